"""Work kept with the objects it was done on, while `sopkb serve` hands back the same objects: a
model is the same object while its source is unchanged (validation/source_memo.py), so what was
worked out from it holds, and is found by identity, never by equality (comparing two models costs
as much as the work)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
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


class KeptBy:
    """Results kept by a key and the objects they show (by identity), for one generation: what a
    page shows of a thousand SOPs is the same page while those are the same objects. A new
    generation (`start` with other `inputs`: templates, settings, today) keeps nothing; `finish`
    lets go of what this round did not ask for."""

    def __init__(self) -> None:
        self._inputs: object = None
        self._kept: dict[Hashable, tuple[tuple, Any]] = {}
        self._used: dict[Hashable, tuple[tuple, Any]] = {}

    def start(self, inputs: object) -> None:
        if inputs != self._inputs:
            self._kept, self._inputs = {}, inputs
        self._used = {}

    def finish(self) -> None:
        self._kept, self._used = self._used, {}

    def get(self, key: Hashable, shows: tuple, make: Callable[[], Any]) -> Any:
        """`make()`, or what it gave for `key` when every object in `shows` is the one it showed."""
        found = self._kept.get(key)
        same = found is not None and len(found[0]) == len(shows)
        if not (same and all(a is b for a, b in zip(found[0], shows, strict=True))):
            found = (shows, make())
        self._used[key] = found
        return found[1]

    def equal(self, key: Hashable, value: Any, make: Callable[[], Any]) -> Any:
        """`make()`, or what it gave for `key` when `value` equals (==) what it was made from: for
        what is cheap to gather again but costly to make (a file of 10,000 quizzes' titles as
        JSON), where a changed SOP is a new object though its title is the same."""
        found = self._kept.get(key)
        if found is None or found[0] != value:
            found = (value, make())
        self._used[key] = found
        return found[1]
