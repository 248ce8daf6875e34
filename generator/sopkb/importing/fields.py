"""The SOP's fields outside its steps: title, summary, metadata, responsibilities, documentation,
references to other procedures, keywords."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .blocks import Block
from .outline import Part
from .phrases import DISPOSITION, RECORD, STATUS, references
from .sentences import split
from .step_draft import slug

UNKNOWN = "unknown"
_TITLE_PREFIXES = [
    r"^(?:standard operating procedure|sop)\s*(?:\((?:sop)\))?\s*(?:for|on|:|-|–)?\s*",
    r"^customer service representatives?\s*(?:\(csrs?\))?\s*(?:for|on|:|-|–)?\s*",
]
_HANDLING = r"^(?:handling|on handling|for handling)\s+"
"""Only after the boilerplate ("SOP for CSRs Handling Missed Deliveries"): "Handling a Double
Charge" alone is the procedure's own name."""
_STOPWORDS = set(
    """a an the and or of for to in on at by with when is are was were be been this that their your our
    customer customers csr csrs representative representatives sop procedure standard operating service
    handling handle how""".split()
)


@dataclass(frozen=True)
class KnownSop:
    id: str
    title: str


def clean_title(title: str) -> str:
    cleaned = title.strip()
    for pattern in _TITLE_PREFIXES:
        cleaned = re.sub(pattern, "", cleaned, flags=re.IGNORECASE).strip()
    if cleaned != title.strip():
        cleaned = re.sub(_HANDLING, "", cleaned, flags=re.IGNORECASE).strip()
    cleaned = cleaned.rstrip(":. ") or title.strip()
    return cleaned[:1].upper() + cleaned[1:]


def part_text(part: Part) -> str:
    """A text section as Markdown: its paragraphs, and its bullets as a list."""
    pieces = [part.rest] if part.rest else []
    for block in part.blocks:
        if block.kind == "item":
            pieces.append(f"- {block.text}")
        elif block.kind == "table":
            pieces.extend(" | ".join(c for c in row if c) for row in block.rows)
        else:
            pieces.append(block.text)
    return _joined(pieces)


def _joined(pieces: list[str]) -> str:
    out = []
    for piece in pieces:
        if out and piece.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + piece
        else:
            out.append(piece)
    return "\n\n".join(out)


def metadata(parts: list[Part]) -> dict[str, object]:
    found: dict[str, object] = {}
    for part in parts:
        if part.name == "metadata" and part.extra and part.rest:
            value: object = part.rest
            if part.extra in ("effective", "review_by"):
                value = parse_date(part.rest) or UNKNOWN
            found.setdefault(part.extra, value)
    return found


def parse_date(text: str) -> dt.date | None:
    text = text.strip().rstrip(".")
    for pattern in ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def responsibilities(parts: list[Part]) -> tuple[list[dict], list[str]]:
    """Roles and duties: a role from the label (`Responsibilities - Agent:`), an item ending with
    ':' (`1. Customer Service Representative (CSR):`) or `Role: duty`; bullets are its duties."""
    roles: list[dict] = []
    review: list[str] = []
    for part in parts:
        current = {"role": part.extra.strip(), "duties": []} if part.extra else None
        for block in part.blocks + (
            [Block("item", part.rest, part.heading.where)] if part.rest and part.heading else []
        ):
            text = block.text.strip()
            role_line = re.match(r"^([^.:]{2,60}):\s*(.*)$", text)
            if text.endswith(":") or (block.number and role_line and not role_line.group(2)):
                current = {"role": text.rstrip(": "), "duties": []}
                roles.append(current)
            elif role_line and role_line.group(2) and len(role_line.group(1).split()) <= 6:
                roles.append({"role": role_line.group(1).strip(), "duties": [role_line.group(2).strip()]})
            else:
                if current is None:
                    current = {"role": "Agent", "duties": []}
                    review.append(
                        "Guessed: the source's responsibilities name no role; “Agent” is the importer's."
                    )
                if current not in roles:
                    roles.append(current)
                current["duties"].append(text)
    return [r for r in roles if r["duties"]], review + [
        f"The role “{r['role']}” has no duties listed in the source." for r in roles if not r["duties"]
    ]


def documentation(texts: list[str], parts: list[Part]) -> dict:
    record: list[str] = []
    dispositions: list[dict] = []
    review: list[str] = []
    for part in parts:
        record += [b.text for b in part.blocks if b.kind in ("item", "paragraph")]
        if part.rest:
            record.append(part.rest)
    for text in texts:
        if RECORD.search(text) or STATUS.search(text):
            record.append(text)
        if DISPOSITION.search(text) and len(text.split()) > 5 and not text.endswith(":"):
            listed = re.search(r"\(([^()]{3,200})\)", text)
            labels = [w.strip(" .") for w in listed.group(1).split(",")] if listed else []
            labels = [w[:1].upper() + w[1:] for w in labels if w and w.lower() not in ("etc", "etc.")]
            dispositions += [{"label": label} for label in labels]
            review.append(
                "Disposition codes: the source names "
                + ("these only as examples" if labels else "none")
                + f" (“{text[:200]}”); the codes in the system are to be confirmed."
            )
    out: dict = {}
    unique = list(dict.fromkeys(record))
    if dispositions:
        out["dispositions"] = list({d["label"]: d for d in dispositions}.values())
    if unique:
        out["record"] = unique
    if review:
        out["review"] = list(dict.fromkeys(review))
    return out


def match_sop(name: str, known: list[KnownSop]) -> KnownSop | None:
    """The KB's SOP whose title shares most of the name's words (at least two thirds of them)."""
    words = {w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _STOPWORDS}
    best, best_score = None, 0.0
    for sop in known:
        title = {w for w in re.findall(r"[a-z0-9]+", sop.title.lower()) if w not in _STOPWORDS}
        if not words or not title:
            continue
        score = len(words & title) / len(words | title)
        if score > best_score:
            best, best_score = sop, score
    return best if best_score >= 0.5 else None


def linked(texts: list[str], known: list[KnownSop]) -> list[tuple[str, str, str, str]]:
    """(the words, kind "sop"/"ext", id, title) for each procedure the texts name."""
    out = []
    for text in texts:
        for words, name, kind in references(text):
            match = match_sop(name, known)
            if match:
                out.append((words, "sop", match.id, match.title))
            else:
                out.append((words, "ext", slug(name, words=6), f"{name} {kind}".strip()))
    return out


def keywords(title: str, customer_lines: list[str]) -> list[str]:
    """A few search words to start from: the title's phrase, its word pairs, customers' own words."""
    words = [w for w in re.findall(r"[a-z0-9']+", title.lower()) if w not in _STOPWORDS]
    found = [" ".join(words)] if 1 < len(words) <= 6 else []
    found += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)][:4]
    for line in customer_lines:
        for sentence in split(line):
            short = sentence.strip(' .!?"“”').lower()
            if 2 <= len(short.split()) <= 8:
                found.append(short)
    return list(dict.fromkeys(k for k in found if k))[:8]
