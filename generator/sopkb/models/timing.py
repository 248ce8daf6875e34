"""Waits and time limits, written as an author would say them ("30 seconds", "14 days").

The duration stays text in the source (it is what the SOP says); `duration_seconds` reads it so
guided mode can offer a countdown for short waits and the page can say "within 14 days".
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field

from .base import Model, Text

_UNITS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "business day": 86400,
    "working day": 86400,
    "week": 7 * 86400,
}
_ALIASES = {
    "s": "second", "sec": "second", "secs": "second",
    "m": "minute", "min": "minute", "mins": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour",
    "d": "day",
    "w": "week", "wk": "week", "wks": "week",
}  # fmt: skip
DURATION_PATTERN = (
    r"^\s*\d+(?:\.\d+)?\s*(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|"
    r"business days?|working days?|weeks?|wks?|w)\s*$"
)

Duration = Annotated[
    str,
    Field(
        pattern=DURATION_PATTERN,
        description=(
            "A number and a unit: '30 seconds', '2 minutes', '48 hours', '14 days', '3 business days'."
        ),
    ),
]


def duration_seconds(text: str) -> float:
    """The duration in seconds (a business or working day counts as a day)."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*([a-z ]+?)\s*$", text.lower())
    if match is None:
        raise ValueError(f"not a duration: {text!r}")
    unit = match.group(2)
    unit = _ALIASES.get(unit, unit.removesuffix("s"))
    return float(match.group(1)) * _UNITS[unit]


class Wait(Model):
    """Pause here until something happens: "wait 30 seconds for Tier 2 to answer"."""

    duration: Duration
    until: Text = Field(description="What the agent is waiting for: 'Tier 2 answers the transfer'.")
    timeout: Text | None = Field(
        None,
        description="Where to go if the time runs out: a step id, `end`, `sop:<id>` or `ext:<id>`.",
    )


class Limit(Model):
    """A deadline that outlives the call: "the customer must reply within 14 days"."""

    duration: Duration
    what: Text = Field(description="What must happen in that time: 'the customer replies to the ticket'.")
