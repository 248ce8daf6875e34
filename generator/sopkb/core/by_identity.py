"""Work kept with the objects it was done on, while `sopkb serve` hands back the same objects: a
model is the same object while its source is unchanged (validation/source_memo.py), so what was
worked out from it holds, and is found by identity, never by equality (comparing two models costs
as much as the work)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class ByIdentity:
    def __init__(self) -> None:
        self._kept: dict[int, tuple[Any, Any]] = {}

    def map(self, objects: Iterable[Any], work: Callable[[Any], Any]) -> list[Any]:
        """`[work(o) for o in objects]`, from what was kept for the objects of the last call; only
        these objects' results are kept for the next."""
        kept, self._kept = self._kept, {}
        out = []
        for obj in objects:
            found = kept.get(id(obj))
            if found is None or found[0] is not obj:  # not the object that had this id before
                found = (obj, work(obj))
            self._kept[id(obj)] = found
            out.append(found[1])
        return out
