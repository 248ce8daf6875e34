"""Call scripts from the source's dialogues: `Agent:` / `Customer:` lines within steps, and a
sample call under its own heading, each line tied to a step."""

from __future__ import annotations

import re

from .fields import part_text
from .outline import Part
from .phrases import placeholders, speaker
from .step_draft import StepDraft


def scripts(data: dict, steps: list[StepDraft], review: list[str]) -> None:
    lines = []
    for step in steps:
        target = step.id or (steps[0].id if steps else "")
        for who, text in step.script:
            lines.append(
                {"speaker": who, "text": placeholders(text), "step": target or data_first_step(data)}
            )
    if lines:
        data["call_scripts"] = [
            {"id": "sample-call", "title": "Sample call (from the source)", "lines": lines}
        ]
        review.append("The sample call's lines are tied to the step each appears in; check each line's step.")


def sample_calls(data: dict, parts: list[Part], steps: list[StepDraft], review: list[str]) -> None:
    """A dialogue under its own heading ("Sample call"): each line tied to the step whose words it
    shares most; other lines of the part describe the situation."""
    for n, part in enumerate(parts, start=1):
        lines, situation = [], []
        for block in part.blocks:
            spoken = speaker(block.text)
            if spoken is None:
                situation.append(block.text)
                continue
            step_id = _closest(spoken[1], steps)
            lines.append({"speaker": spoken[0], "text": placeholders(spoken[1]), "step": step_id})
        if not lines:
            review.append(f"Not placed by the importer: {part_text(part)}")
            continue
        script: dict = {"id": f"sample-call-{n}", "title": part.title.rstrip(": ") or "Sample call"}
        if situation:
            script["situation"] = "\n\n".join(situation)
        script["lines"] = lines
        data.setdefault("call_scripts", []).append(script)
        review.append(
            f"Guessed: each line of “{script['title']}” is tied to the step whose words it shares most."
        )


def _closest(line: str, steps: list[StepDraft]) -> str:
    words = set(re.findall(r"[a-z]{3,}", line.lower()))

    def shared(step: StepDraft) -> int:
        return len(words & set(re.findall(r"[a-z]{3,}", " ".join(step.all_text()).lower())))

    best = max(steps, key=shared)
    return best.id if shared(best) else steps[0].id


def data_first_step(data: dict) -> str:
    if "steps" in data:
        return data["steps"][0]["id"]
    return data["sections"][0]["steps"][0]["id"]
