"""Waits and time limits, written as an author would say them ("30 seconds", "14 days").

The duration stays text in the source (it is what the SOP says); `duration_seconds` reads it so
guided mode can offer a countdown for short waits and the page can say "within 14 days".
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

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
_UNIT_WORDS = (
    r"seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|business days?|working days?|weeks?|wks?|w"
)
_DURATION = re.compile(rf"\s*([0-9]+(?:\.[0-9]+)?)\s*({_UNIT_WORDS})\s*", re.IGNORECASE)

SHORTEST = 1  # second: a wait or limit of less than a second is a typo, not a procedure
LONGEST = 365 * 86400  # seconds: a year; anything longer is a typo or a policy, not a wait
DURATION_EXAMPLE = "a duration like '30 seconds', '2 minutes' or '14 days'"
DURATION_UNITS = "seconds, minutes, hours, days, business days, working days or weeks"


def _any_case(pattern: str) -> str:
    """`seconds` as `[sS][eE]…`: JSON Schema patterns take no case-insensitive flag."""
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in pattern)


DURATION_PATTERN = rf"^\s*[0-9]+(?:\.[0-9]+)?\s*(?:{_any_case(_UNIT_WORDS)})\s*$"
"""The form of a duration, for editors (the JSON Schema); `_checked_duration` also bounds it."""


def duration_seconds(text: str) -> float:
    """The duration in seconds (a business or working day counts as a day); the unit in any case."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"not a duration: {text!r}")
    unit = " ".join(match.group(2).lower().split())
    unit = _ALIASES.get(unit, unit.removesuffix("s"))
    return float(match.group(1)) * _UNITS[unit]


def _received(value: Any) -> str:
    """The value quoted back in a message, as validation quotes values: one line, cut short."""
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{getattr(value, 'raw', value)} (a number without a unit)"
    text = repr(value) if isinstance(value, str) else f"a {type(value).__name__}"
    return text if len(text) <= 60 else f"{text[:59]}…"


def _checked_duration(value: Any) -> str:
    """A duration as written (`30 Seconds` too), or a message saying what one looks like: a number
    without a unit (`duration: 30`), an unknown unit, zero, under a second or over a year."""
    if not isinstance(value, str) or _DURATION.fullmatch(value) is None:
        expected = f"expected {DURATION_EXAMPLE} (units: {DURATION_UNITS})"
        raise ValueError(f"{expected} but received: {_received(value)}")
    seconds = duration_seconds(value)
    if seconds < SHORTEST:
        raise ValueError(f"a duration is at least 1 second but received: {_received(value)}")
    if seconds > LONGEST:
        raise ValueError(f"a duration is at most 365 days but received: {_received(value)}")
    return value.strip()


Duration = Annotated[
    str,
    BeforeValidator(_checked_duration),
    Field(
        json_schema_extra={"pattern": DURATION_PATTERN},
        description=(
            "A number and a unit, from 1 second to 365 days: '30 seconds', '2 minutes', '48 hours', "
            "'14 days', '3 business days', '1.5 hours'."
        ),
    ),
]


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
