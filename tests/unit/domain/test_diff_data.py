"""A diff as JSON data and back (what a build keeps for the next), and damaged data refused."""

from __future__ import annotations

import json

import pytest
from sopkb.domain.diff_data import from_data, to_data
from sopkb.domain.sop_diff import sop_diff

from .sop_data import decision, sop, step


def rich_diff():
    """Steps added, removed, moved and reworded, branches of every kind, parts and metadata."""
    before = sop(
        steps=[
            step("ask", say=["Hello, how can I help?"], decision=decision(("Yes", "done"), ("No", "end"))),
            step("done", do=["Close it."]),
            step("old"),
            step("other"),
        ],
        documentation={"dispositions": [{"label": "Resolved", "code": "RES"}]},
    )
    after = sop(
        version="2",
        steps=[
            step("other", next="done"),
            step(
                "ask",
                say=["Hello, how can I help you today?"],
                decision=decision(("Yes", "other"), ("Maybe", "end")),
            ),
            step("done", do=["Close it.", "Say goodbye."]),
            step("new"),
        ],
        documentation={"dispositions": [{"label": "Resolved", "code": "RES-1"}]},
        owner="Billing",
    )
    return sop_diff(before, after)


def test_a_diff_comes_back_equal_through_json():
    diff = rich_diff()
    assert {s.kind for s in diff.steps} == {"added", "removed", "changed"}
    assert diff.parts and diff.metadata
    data = json.loads(json.dumps(to_data(diff)))
    assert from_data(data) == diff


def test_a_reason_is_kept_as_it_is():
    reason = "version 1.2 no longer reads as an SOP (line 3: steps: Field required)"
    assert from_data(json.loads(json.dumps(to_data(reason)))) == reason


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: None,
        lambda d: 42,
        lambda d: d[:4],  # a field missing
        lambda d: [*d[:2], "steps", *d[3:]],  # not a list
        lambda d: [*d[:2], [["exploded", *d[2][0][1:]]], *d[3:]],  # a kind the diff never uses
        lambda d: [*d[:2], [[{"kind": "added"}, *d[2][0][1:]]], *d[3:]],  # an unhashable kind
        lambda d: [*d[:2], [[*d[2][0][:5], "yes", *d[2][0][6:]]], *d[3:]],  # moved: not a boolean
        lambda d: [d[0], 2, *d[2:]],  # a version that is not a string
        lambda d: [*d[:4], [["owner", "Ops"]]],  # metadata of two fields
    ],
)
def test_damaged_data_is_refused(damage):
    data = json.loads(json.dumps(to_data(rich_diff())))
    with pytest.raises(ValueError):
        from_data(damage(data))
