"""The briefing as Markdown (for a chat or an email in plain text) or as one self-contained HTML
file (its own styles, no script, nothing fetched; every author word escaped)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..core.console import count
from ..domain.change_words import part_name, step_label, step_sentence, summary
from ..domain.sop_diff import FieldChange, SopDiff
from ..domain.text_diff import LineChange
from ..text import markdown
from . import Entry


@dataclass(frozen=True)
class Item:
    """One change in words, with the lines whose words changed."""

    sentence: str
    lines: list[tuple[str, LineChange]]  # (the part's name, the line)


def items(diff: SopDiff) -> list[Item]:
    out = []
    for step in diff.steps:
        lines = _lines(step.fields)
        for branch in step.branches:
            lines += _lines(branch.fields, f"if {branch.answer}: ")
        out.append(Item(f"{step_label(step)}: {step_sentence(step)}.", lines))
    for part in diff.parts:
        out.append(Item(f"{part_name(part.name).capitalize()} changed.", _lines([part])))
    if diff.metadata:
        said = "; ".join(f"{part_name(m.name)} {m.before or '—'} → {m.after or '—'}" for m in diff.metadata)
        out.append(Item(f"Details: {said}.", []))
    return out


def _lines(fields: tuple[FieldChange, ...] | list[FieldChange], lead: str = "") -> list:
    return [((lead + part_name(f.name)).capitalize(), line) for f in fields for line in f.lines]


def heading(entry: Entry) -> str:
    date = f", {entry.version.date.isoformat()}" if entry.version.date else " (not committed yet)"
    if entry.previous is None:
        return f"{entry.sop.title}: new, version {entry.version.version}{date}"
    return f"{entry.sop.title}: version {entry.version.version} (from {entry.previous.version}){date}"


def totals(found: list[Entry]) -> str:
    sops = len({e.sop.id for e in found})
    return f"{count(len(found), 'change')} in {count(sops, 'SOP')}, newest first."


def _details(entry: Entry) -> tuple[str | None, list[Item]]:
    """The one-line summary and the items, or the note on why there are none."""
    if entry.diff is not None:
        return f"In short: {summary(entry.diff)}.", items(entry.diff)
    if entry.note:
        return f"A step-by-step comparison is not available: {entry.note}.", []
    return None, []


_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>|])")
_HTML_BRACKET = re.compile(r"([<>])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _md_line(line: LineChange) -> str:
    if line.kind == "added":
        return f"new: **{_md(line.after or '')}**"
    if line.kind == "removed":
        return f"removed: ~~{_md(line.before or '')}~~"
    marks = {"equal": "{}", "delete": "~~{}~~", "insert": "**{}**"}
    return "".join(_spaced(marks[run.op], _md(run.text)) for run in line.words)


def _spaced(mark: str, text: str) -> str:
    """Emphasis around the words, the spaces after them outside it (`**new** `, not `**new **`)."""
    stripped = text.rstrip()
    return mark.format(stripped) + text[len(stripped) :] if stripped else text


def as_markdown(found: list[Entry], title: str) -> str:
    out = [f"# {title}", "", totals(found) if found else "No changes.", ""]
    for entry in found:
        out += [f"## {_md(heading(entry))}", ""]
        if entry.version.summary:  # Markdown as the site reads it: formatting kept, no raw HTML
            quoted = _HTML_BRACKET.sub(r"\\\1", entry.version.summary)
            out += [f"> {quoted}".replace("\n", "\n> "), ""]
        short, listed = _details(entry)
        if short:
            out += [short, ""]
        for item in listed:
            out.append(f"- {_md(item.sentence)}")
            out += [f"  - {name}: {_md_line(line)}" for name, line in item.lines]
        out += [""] if listed else []
    return "\n".join(out).rstrip() + "\n"


_STYLE = """body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
body{line-height:1.5;color:#1b1b1f;background:#fff}
h2{font-size:1.15rem;margin-top:2rem;border-top:1px solid #ccc;padding-top:1rem}
blockquote{margin:.5rem 0;padding-left:.8rem;border-left:4px solid #3f51b5}
ins{background:#e3f4e6;color:inherit;text-decoration:underline;text-decoration-thickness:2px}
del{background:#fde7e5;color:inherit;text-decoration:line-through;text-decoration-thickness:2px}
.hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.part{font-weight:700}"""


def _html_line(line: LineChange) -> Markup:
    def run(tag: str, said: str, text: str) -> Markup:
        return Markup('<{0}><span class="hidden">{1}: </span>{2}</{0}>').format(tag, said, text)

    if line.kind == "added":
        return Markup("new: ") + run("ins", "added", line.after or "")
    if line.kind == "removed":
        return Markup("removed: ") + run("del", "removed", line.before or "")
    tags: dict[str, Callable[[str], Markup]] = {
        "equal": escape,
        "delete": lambda text: run("del", "removed", text),
        "insert": lambda text: run("ins", "added", text),
    }
    return Markup("").join(tags[r.op](r.text) for r in line.words)


def as_html(found: list[Entry], title: str) -> str:
    body = [Markup("<h1>{}</h1><p>{}</p>").format(title, totals(found) if found else "No changes.")]
    for entry in found:
        body.append(Markup("<h2>{}</h2>").format(heading(entry)))
        if entry.version.summary:
            body.append(Markup("<blockquote>{}</blockquote>").format(markdown.block(entry.version.summary)))
        short, listed = _details(entry)
        if short:
            body.append(Markup("<p>{}</p>").format(short))
        if listed:
            body.append(Markup("<ul>{}</ul>").format(Markup("").join(_html_item(item) for item in listed)))
    page = Markup("\n").join(body)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body>\n{page}\n</body></html>\n"
    )


def _html_item(item: Item) -> Markup:
    lines = Markup("").join(
        Markup('<li><span class="part">{}:</span> {}</li>').format(name, _html_line(line))
        for name, line in item.lines
    )
    nested = Markup("<ul>{}</ul>").format(lines) if item.lines else Markup("")
    return Markup("<li>{}{}</li>").format(item.sentence, nested)
