"""What each box of the flowchart says: steps (with who does them, what they call, what they wait
for), decisions, start pills, and the boxes on the right an arrow leaves the SOP for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..domain.flow import Destination, Edge
from ..models.sop import ExternalProcedure
from ..models.step import Step
from ..text.markdown import plain
from .flowchart_shapes import BADGE_H, LINE_PX, NODE_W, PAD, QUESTION_GAP, TERM_W, Box
from .flowchart_text import BADGE_SCALE, cut_words, mark_width, text_width, wrap

BAR = 8  # the sub-process box's inner bars, from each side


@dataclass
class Names:
    """How the chart names steps, other SOPs and outside procedures."""

    numbers: dict[str, str]
    titles: dict[str, str]
    row: dict[str, int]
    other_sops: Mapping[str, tuple[str, str]]  # SOP id → (page URL, title)
    external: dict[str, ExternalProcedure]

    def step_name(self, step_id: str) -> str:
        return f"{self.numbers.get(step_id, step_id)}. {self.titles.get(step_id, step_id)}"

    def goto_title(self, goto: str) -> str:
        t = Destination.parse(goto)
        if t.kind == "sop":
            return f"SOP: {plain(self.other_sops.get(t.sop or '', ('', t.sop or ''))[1])}"
        if t.kind == "external":
            proc = self.external.get(t.external or "")
            return plain(proc.title) if proc else t.external or ""
        if t.kind == "step":
            return self.step_name(t.step or "")
        return "End"


@dataclass(frozen=True)
class Changed:
    """The steps the SOP's current version added or changed, marked on the chart."""

    version: str
    steps: dict[str, str]  # step id → "added" or "changed"

    def mark(self, step_id: str) -> tuple[str, str]:
        """The mark's text and its words for a screen reader, or two empty strings."""
        kind = self.steps.get(step_id)
        if kind is None:
            return "", ""
        mark = "New" if kind == "added" else "Changed"
        return mark, f"{mark} in version {self.version}"


def step_box(step: Step, names: Names, x: float, y: float, changed: Changed | None = None) -> Box:
    """A step's box, as tall as its text: number and title, a decision's question (under a rule,
    in italics), the procedure it calls, what it waits for, a badge naming who does it, and a
    mark when the current version added or changed it (the actor's badge gives it room)."""
    name = names.step_name(step.id)
    kind = "decision" if step.decision else "call" if step.call else "step"
    inner = NODE_W - 2 * PAD - {"decision": 24, "call": 2 * BAR}.get(kind, 0)
    asked = plain(step.decision.question) if step.decision is not None else ""
    question = wrap(asked, inner, 3) if asked else []
    lines = wrap(name, inner, 3 if question else 4)
    calls = f"Calls {names.goto_title(step.call)}" if step.call else ""
    call = wrap(calls, inner, 2) if calls else []
    wait = f"Wait {step.wait.duration}" if step.wait else ""
    mark, mark_title = changed.mark(step.id) if changed else ("", "")
    room = NODE_W - 60 - (mark_width(mark) + 6 if mark else 0)
    badge = wrap(plain(step.actor), room, 1, scale=BADGE_SCALE)[0] if step.actor else ""
    rows = len(lines) + len(question) + len(call) + (1 if wait else 0)
    top = BADGE_H + 4 if badge or mark else 0
    h = rows * LINE_PX + 2 * PAD + top + (QUESTION_GAP if question else 0)
    title = " ".join(
        part
        for part in (
            f"{badge}:" if badge else "",
            f"{name} —" if question else name,
            plain(step.decision.question) if step.decision else "",
            f"Calls {names.goto_title(step.call)}." if step.call else "",
            f"Wait {step.wait.duration} until {plain(step.wait.until)}." if step.wait else "",
            f"({mark_title})" if mark else "",
        )
        if part
    )
    box = Box(f"step-{step.id}", kind, lines, x, y, NODE_W, h, f"#step-{step.id}", title)
    box.badge, box.question, box.call, box.wait = badge, question, call, wait
    box.mark, box.mark_title = mark, mark_title
    box.cut = cut_words(name, lines) + cut_words(asked, question) + cut_words(calls, call)
    box.wait_title = f"Wait {step.wait.duration} until {plain(step.wait.until)}" if step.wait else ""
    return box


def pill(node_id: str, text: str, title: str, cx: float, y: float, kind: str = "start") -> Box:
    """A start or end: a rounded pill, as wide as its text up to a step's width."""
    lines = wrap(text, NODE_W - 2 * PAD - 20, 3)
    w = max(90.0, min(NODE_W, max(text_width(line) for line in lines) + 2 * PAD + 20))
    h = max(28.0, len(lines) * LINE_PX + 10)
    box = Box(node_id, kind, lines, cx - w / 2, y, w, h, None, title)
    box.cut = cut_words(text, lines)
    return box


def terminal(edge: Edge, node_id: str, names: Names, x: float) -> Box:
    """The box an arrow to the right leads to: the end, another SOP, an outside procedure, or a
    step of this SOP the lanes had no room for ("go to")."""
    t = edge.target
    href: str | None = None
    if t.kind == "sop":
        href, title = names.other_sops.get(t.sop or "", ("", t.sop or ""))
        text, kind = f"Continue with SOP: {plain(title)}", "sop"
        href = (href + f"#step-{t.step}" if t.step else href) or None
    elif t.kind == "external":
        proc = names.external.get(t.external or "")
        text, kind = f"Outside procedure: {plain(proc.title) if proc else t.external}", "external"
        if proc and proc.identifier:
            text += f" ({plain(proc.identifier)})"
        if proc and proc.url and proc.url.startswith(("https://", "http://")):
            href = proc.url
    elif t.kind == "step":
        back = names.row.get(t.step or "", 0) <= names.row.get(edge.source, 0)
        text = f"{'Back to' if back else 'Go to'} {names.step_name(t.step or '')}"
        kind, href = "goto", f"#step-{t.step}"
    else:
        text, kind = "End", "end"
    lines = wrap(text, TERM_W - 2 * PAD - (12 if kind == "external" else 0), 4)
    box = Box(node_id, kind, lines, x, 0.0, TERM_W, max(28.0, len(lines) * LINE_PX + 10), href, text)
    box.cut = cut_words(text, lines)
    return box
