"""Per learner, the SOPs they signed at a version that is no longer current: what `sopkb report`
lists to sign again, each with what changed since the version signed, in a line.

A learner's signature of an SOP is the newest one in their receipts (by `signed_at`); an SOP no
longer in the KB is left out (the receipt's flags already say so).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import change_words
from ..domain.history import SopHistory, read_versions, version_key
from ..domain.knowledge_base import KnowledgeBase
from ..domain.sop_diff import SopDiff
from ..text.markdown import plain
from .model import SignedSop
from .verify import CheckedReceipt


@dataclass(frozen=True)
class SignAgain:
    learner: str
    sop: str
    title: str  # as it is now
    signed: str  # the version signed
    signed_at: str
    current: str
    summary: str | None  # what changed since, in a line; None when the build cannot compare


def to_sign_again(checked: list[CheckedReceipt], kb: KnowledgeBase) -> list[SignAgain]:
    """By learner, then SOP id."""
    newest: dict[tuple[str, str], SignedSop] = {}
    for c in checked:
        for read in c.receipt.sops_read:
            key = (c.receipt.learner, read.sop)
            if read.sop in kb.by_id and (key not in newest or read.signed_at > newest[key].signed_at):
                newest[key] = read
    outdated = [
        (learner, read) for (learner, _), read in newest.items() if read.version != _current(kb, read.sop)
    ]
    places = {(r.sop, r.version): _place(kb.history.get(r.sop), r.version) for _, r in outdated}
    read_versions((kb.history[sop_id], index) for (sop_id, _), index in places.items() if index is not None)
    out = []
    for learner, read in outdated:
        summary = _summary(kb.history.get(read.sop), places[(read.sop, read.version)])
        sop = kb.by_id[read.sop].sop
        title = plain(sop.title)
        out.append(SignAgain(learner, read.sop, title, read.version, read.signed_at, sop.version, summary))
    return sorted(out, key=lambda s: (s.learner.casefold(), s.learner, s.sop))


def _current(kb: KnowledgeBase, sop_id: str) -> str:
    return kb.by_id[sop_id].sop.version


def _place(history: SopHistory | None, version: str) -> int | None:
    """Where `version` is among the history's earlier versions: the same text, else the same
    version as people read it (`1.0` is `1`)."""
    if history is None:
        return None
    earlier = list(enumerate(history.versions))[1:]
    found = next((i for i, v in earlier if v.version == version), None)
    key = version_key(version)
    if found is None and key is not None:
        found = next((i for i, v in earlier if version_key(v.version) == key), None)
    return found


def _summary(history: SopHistory | None, index: int | None) -> str | None:
    if history is None or index is None:
        return None
    found = history.diff_since(index)
    return change_words.summary(found) if isinstance(found, SopDiff) else None
