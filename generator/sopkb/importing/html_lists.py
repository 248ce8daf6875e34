"""An HTML list's numbers as a browser shows them: an <ol>'s start, type and reversed, an <li>'s
value; a bullet list has none.

The numbers are not in the page's text (the browser computes them), so they are counted here as
the list's items are read; a reversed list without a start counts down from its number of items,
known only when it closes, so its items are numbered then.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .blocks import Block
from .html_tags import attribute_int


@dataclass
class HtmlList:
    ordered: bool
    next: int = 1
    step: int = 1
    style: str = "1"  # the <ol type>: 1, a, A, i, I
    item: str | None = None  # "open": an <li> whose first text is not yet a block
    number: str | None = None
    count_down: bool = False  # <ol reversed> without start: numbered from its item count, at its end
    items: list[int] = field(default_factory=list)  # where its items are in the blocks

    def open_item(self, attributes: dict[str, str]) -> str | None:
        """An <li> begins: the number it shows ("3.", None in a bullet list), counted."""
        number = None
        if self.ordered:
            value = attribute_int(attributes.get("value"))
            if value is not None:
                self.next = value
            number = list_number(self.next, self.style) + "."
            self.next += self.step
        self.item, self.number = "open", number
        return number


def new_list(tag: str, attributes: dict[str, str]) -> HtmlList:
    if tag != "ol":
        return HtmlList(ordered=False)
    reverse = "reversed" in attributes
    start = attribute_int(attributes.get("start"))
    style = attributes.get("type", "1")
    return HtmlList(
        ordered=True,
        next=start if start is not None else 1,
        step=-1 if reverse else 1,
        style=style if style in ("1", "a", "A", "i", "I") else "1",
        count_down=reverse and start is None,
    )


def number_reversed(closed: HtmlList, blocks: list[Block]) -> None:
    """<ol reversed> counts down from its number of items, known only when it closes."""
    if closed.count_down:
        for value, index in zip(range(len(closed.items), 0, -1), closed.items, strict=False):
            block = blocks[index]
            blocks[index] = replace(block, number=list_number(value, closed.style) + ".")


def list_number(value: int, style: str) -> str:
    """An <ol> number as browsers show it: 1, a … z then aa (as CSS lower-alpha), i, I."""
    if style in ("a", "A") and value > 0:
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if style == "A" else letters
    if style in ("i", "I") and 0 < value < 4000:
        numerals = [
            (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
        ]  # fmt: skip
        out = ""
        for amount, numeral in numerals:
            count, value = divmod(value, amount)
            out += numeral * count
        return out.upper() if style == "I" else out
    return str(value)
