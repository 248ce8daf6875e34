"""Work kept with the very objects it was done on (`core/by_identity.py`)."""

from __future__ import annotations

from sopkb.core.by_identity import ByIdentity


def test_work_is_kept_for_the_same_objects_only():
    done: list[str] = []

    def work(obj: list[str]) -> str:
        done.append(obj[0])
        return obj[0].upper()

    a, b = ["a"], ["b"]
    memo = ByIdentity()
    assert memo.map([a, b], work) == ["A", "B"]
    assert memo.map([a, b], work) == ["A", "B"] and done == ["a", "b"]  # kept
    equal = ["a"]  # equal to `a`, but another object: worked on again
    assert memo.map([equal, b], work) == ["A", "B"] and done == ["a", "b", "a"]
    memo.map([b], work)
    assert memo.map([a], work) == ["A"] and done[-1] == "a"  # what the last call did not pass is let go
