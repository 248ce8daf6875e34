"""Procedures outside the KB, calls, several starts, waits and unknown metadata: each mistake
located at what the author wrote, every one in the same run."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sopkb.build.site_build import project_of
from sopkb.core.errors import SourceErrors
from sopkb.domain.knowledge_base import KnowledgeBase
from sopkb.models.timing import DURATION_PATTERN, Wait, duration_seconds
from sopkb.pipeline import load_knowledge_base
from sopkb.validation.procedures import is_web_address

TODAY = dt.date(2026, 11, 23)

HEAD = """\
id: {id}
title: {title}
summary: A test SOP.
category: Test
status: approved
owner: Ops
version: "1"
effective: 2026-01-01
review_by: 2099-01-01
source: Tests
objective: Test.
"""
"""The SOP's own keys take lines 1-11: what a test adds starts on line 12."""


def write(root: Path, sop_id: str, body: str, *, title: str | None = None, head: str = HEAD) -> None:
    text = head.format(id=sop_id, title=title or sop_id.title()) + body
    (root / "sops" / f"{sop_id}.yaml").write_text(text, encoding="utf-8")


def load(root: Path) -> KnowledgeBase:
    return load_knowledge_base(project_of(root), today=TODAY)


def problems(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def kb(kb_copy, monkeypatch) -> Path:
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    return root


# --- Procedures outside the KB -----------------------------------------------------------------------

EXTERNAL = """\
external:
  - id: billing-sop
    title: Billing SOP
    url: https://intranet.example/billing
  - id: account-changes
    title: Account Changes workflow
    identifier: KB-1234 in Salesforce
"""


def test_ext_targets_in_goto_next_timeout_call_and_links_name_listed_procedures(kb):
    write(
        kb,
        "a",
        EXTERNAL
        + """\
steps:
  - id: greet
    title: Greet
    do: ["See [the billing SOP](ext:billing-sop) first."]
    call: ext:account-changes
    wait: {duration: 2 minutes, until: Billing answers, timeout: ext:billing-sop}
    decision:
      question: Which?
      branches:
        - {answer: Billing, goto: "ext:billing-sop"}
        - {answer: Other, goto: done}
  - id: done
    title: Done
    next: ext:account-changes
""",
    )
    kb_loaded = load(kb)
    assert [w for w in kb_loaded.warnings if "sops/a.yaml" in w.file] == []


def test_unknown_ext_ids_are_located_with_the_closest_few_ids_all_at_once(kb):
    write(
        kb,
        "a",
        EXTERNAL
        + """\
steps:
  - id: greet
    title: Greet
    notes: ["Then [bill](ext:biling-sop)."]
    call: ext:acount-changes
    wait: {duration: 30 seconds, until: Tier 2 answers, timeout: ext:nothing-like-it}
    decision:
      question: Which?
      branches:
        - {answer: Billing, goto: "ext:billing-sops"}
        - {answer: Refund, goto: "ext:refund"}
        - {answer: Other, goto: done}
  - id: done
    title: Done
    next: ext:billing
""",
    )
    assert problems(kb) == [
        "sops/a.yaml:22:13: steps[0].notes[0]: unknown external procedure 'biling-sop'; the closest: ext:billing-sop",
        "sops/a.yaml:23:11: steps[0].call: unknown external procedure 'acount-changes'; the closest: ext:account-changes",
        "sops/a.yaml:24:66: steps[0].wait.timeout: unknown external procedure 'nothing-like-it'; list it under `external` (its id, title, and url or identifier)",
        "sops/a.yaml:28:35: steps[0].decision.branches[0].goto: unknown external procedure 'billing-sops'; the closest: ext:billing-sop",
        "sops/a.yaml:29:34: steps[0].decision.branches[1].goto: unknown external procedure 'refund'; SOP 'refund' is in the KB: use sop:refund",
        "sops/a.yaml:33:11: steps[1].next: unknown external procedure 'billing'; the closest: ext:billing-sop",
    ]


SOP_LINKS = """\
callouts:
  - {kind: note, text: "Before this, [escalate](sop:escalaton)."}
messages:
  - {channel: email, body: "See [refunds](sop:refund#nope) and [escalate](sop:escalation#escalate)."}
steps:
  - id: greet
    title: Greet
    do:
      - text: "Check [the listener](sop:escalation#listen)."
        items: ["Or [the refund](sop:refnd)."]
    tables:
      - columns: [Case, See]
        rows:
          - [Angry, "[escalate](sop:escalation#escalte)"]
    decision:
      question: Which?
      branches:
        - {answer: Refund, say: ["I will [refund you](sop:refund)."], goto: done}
        - {answer: Other, goto: done}
  - id: done
    title: Done
    notes: ["Back to [greeting](sop:a#greet), not [this](sop:a#nowhere)."]
"""


def test_sop_links_in_every_markdown_field_name_an_sop_and_its_step_with_the_closest_suggested(kb):
    write(kb, "a", SOP_LINKS)
    assert problems(kb) == [
        "sops/a.yaml:13:24: callouts[0].text: unknown SOP 'escalaton'; expected one of: a, escalation, refund",
        "sops/a.yaml:15:28: messages[0].body: SOP 'refund' has no step 'nope'; expected one of: eligible, greet, record",
        "sops/a.yaml:21:17: steps[0].do[0].items[0]: unknown SOP 'refnd'; expected one of: a, escalation, refund",
        "sops/a.yaml:25:21: steps[0].tables[0].rows[0][1]: SOP 'escalation' has no step 'escalte'; "
        "expected one of: escalate, listen",
        "sops/a.yaml:33:13: steps[1].notes[0]: SOP 'a' has no step 'nowhere'; expected one of: done, greet",
    ]


def test_a_link_to_an_sop_that_failed_to_load_is_not_reported_as_unknown(kb):
    write(kb, "a", 'steps:\n  - id: greet\n    title: Greet\n    do: ["See [b](sop:b#x)."]\n')
    write(kb, "b", "steps: 3\n")
    assert problems(kb) == [
        "sops/b.yaml:12:8: steps: expected a list (lines starting with '- ') but received: '3' (int)",
    ]


def test_many_external_procedures_suggest_only_the_closest_few(kb):
    listed = [f"  - {{id: queue-{n}, title: Queue {n}, identifier: Q{n}}}\n" for n in range(40)]
    write(
        kb,
        "a",
        "external:\n" + "".join(listed) + "steps:\n  - id: only\n    title: Only\n    next: ext:queue-7x\n",
    )
    (message,) = problems(kb)
    assert message.endswith(
        "unknown external procedure 'queue-7x'; the closest: ext:queue-7, ext:queue-37, ext:queue-27"
    )


def test_duplicate_ids_and_addresses_that_are_not_http_are_refused_and_a_converted_one_is_a_warning(kb):
    write(
        kb,
        "a",
        """\
external:
  - {id: billing, title: Billing, url: "javascript:alert(1)"}
  - {id: billing, title: Billing again, url: "data:text/html,<b>x</b>"}
  - {id: escalation, title: Escalation, url: "https://intranet.example/esc"}
  - {id: ftp, title: Old share, url: "ftp://files.example/sop.pdf"}
  - {id: relative, title: Relative, url: "/billing"}
steps:
  - id: only
    title: Only
    next: ext:escalation
""",
    )
    assert problems(kb) == [
        "sops/a.yaml:13:40: external[0].url: expected an http:// or https:// address but received: 'javascript:alert(1)'",
        "sops/a.yaml:14:10: external[1].id: duplicate external procedure id 'billing'",
        "sops/a.yaml:14:46: external[1].url: expected an http:// or https:// address but received: 'data:text/html,<b>x</b>'",
        "sops/a.yaml:15:10: warning: external[2].id: external procedure 'escalation' is now in the KB: use sop:escalation",
        "sops/a.yaml:16:38: external[3].url: expected an http:// or https:// address but received: 'ftp://files.example/sop.pdf'",
        "sops/a.yaml:17:42: external[4].url: expected an http:// or https:// address but received: '/billing'",
    ]


def test_an_address_with_credentials_a_bad_port_or_an_encoded_control_character_is_refused_at_the_url(kb):
    write(
        kb,
        "a",
        """\
external:
  - {id: secret, title: Secret, url: "https://user:pass@intranet.example:99999/%00"}
  - {id: nowhere, title: Nowhere}
  - {id: named, title: Named, identifier: KB-1234 in Salesforce}
steps:
  - id: only
    title: Only
    next: ext:secret
""",
    )
    found = problems(kb)
    assert found == [
        "sops/a.yaml:13:38: external[0].url: an address must not hold a user name or password "
        "(`user:password@`): remove them",
        "sops/a.yaml:13:38: external[0].url: an address must not hold an encoded control character "
        "(%00 to %1F, %7F) but received: '%00'",
        "sops/a.yaml:13:38: external[0].url: expected a port from 1 to 65535 in the address but received: "
        "'intranet.example:99999'",
        "sops/a.yaml:14:5: warning: external[1]: external procedure 'nowhere' does not say where to find it: "
        "give its `url` (an http(s) address) or its `identifier` (like 'KB-1234 in Salesforce')",
    ]
    assert not any("pass" in p.replace("password", "") for p in found), "a password is never quoted back"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://intranet.example/billing?x=1#y", True),
        ("HTTP://intranet.example", True),
        ("http://10.0.0.5:8080/sop", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("https://", False),
        ("https://a b.example/", False),
        ("https://example.com/\x00", False),
        ("https:\\\\evil.example", False),
        ("http://[::1", False),
        ("https://user:pass@intranet.example/", False),
        ("https://user@intranet.example/", False),
        ("https://intranet.example:99999/", False),
        ("https://intranet.example:0/", False),
        ("https://intranet.example:80a/", False),
        ("https://intranet.example/a%00b", False),
        ("https://intranet.example/a%7f", False),
        ("https://intranet.example/a%20b?q=%2F#%41", True),
        ("https://intranet.example:65535/", True),
    ],
)
def test_only_http_and_https_addresses_with_a_host_are_web_addresses(url, allowed):
    assert is_web_address(url) is allowed


# --- Calls -----------------------------------------------------------------------------------------


def calling(sop_id: str, call: str, title: str = "Call") -> str:
    return f"""\
steps:
  - id: first
    title: {title}
    call: "{call}"
  - id: last
    title: Last
"""


def test_a_call_goes_on_to_the_next_step_and_a_valid_call_builds(kb):
    write(kb, "a", calling("a", "sop:escalation#listen"))
    kb_loaded = load(kb)
    flow = kb_loaded.by_id["a"].flow
    assert flow.successors("first") == ["last"]


def test_call_targets_must_exist_and_name_another_procedure(kb):
    write(kb, "a", calling("a", "sop:nope"))
    write(kb, "b", calling("b", "sop:escalation#ghost"))
    write(kb, "c", calling("c", "last"))
    write(kb, "d", calling("d", "end"))
    assert problems(kb) == [
        "sops/a.yaml:15:11: steps[0].call: unknown SOP 'nope'; expected one of: a, b, c, d, escalation, refund",
        "sops/b.yaml:15:11: steps[0].call: SOP 'escalation' has no step 'ghost'; expected one of: escalate, listen",
        "sops/c.yaml:15:11: steps[0].call: a call names another procedure: `sop:<sop-id>` (optionally `#<step-id>`) or `ext:<id>`; to go on to a step of this SOP, use `next`",
        "sops/d.yaml:15:11: steps[0].call: a call names another procedure: `sop:<sop-id>` (optionally `#<step-id>`) or `ext:<id>`; to go on to a step of this SOP, use `next`",
    ]


def test_call_cycles_are_errors_at_each_call_on_them(kb):
    write(kb, "a", calling("a", "sop:b"))
    write(kb, "b", calling("b", "sop:c#last"))
    write(kb, "c", calling("c", "sop:a"))
    write(kb, "self", calling("self", "sop:self#last"))
    write(kb, "outside", calling("outside", "sop:a"))  # calls into the cycle, is not on it
    assert problems(kb) == [
        "sops/a.yaml:15:11: steps[0].call: call cycle: 'a' calls 'b' calls 'c' calls 'a'; a called procedure must come back, not call its caller again",
        "sops/b.yaml:15:11: steps[0].call: call cycle: 'b' calls 'c' calls 'a' calls 'b'; a called procedure must come back, not call its caller again",
        "sops/c.yaml:15:11: steps[0].call: call cycle: 'c' calls 'a' calls 'b' calls 'c'; a called procedure must come back, not call its caller again",
        "sops/self.yaml:15:11: steps[0].call: call cycle: SOP 'self' calls itself; a called procedure must come back",
    ]


def test_a_calling_step_still_needs_a_way_to_an_end(kb):
    write(
        kb,
        "a",
        """\
steps:
  - id: first
    title: First
    call: sop:escalation
    next: again
  - id: again
    title: Again
    call: sop:escalation
    next: first
""",
    )
    assert problems(kb) == [
        "sops/a.yaml:13:9: steps[0].id: step 'first' leads nowhere: every path from it loops back without reaching `end`",
        "sops/a.yaml:17:9: steps[1].id: step 'again' leads nowhere: every path from it loops back without reaching `end`",
    ]


# --- Waits -----------------------------------------------------------------------------------------


def test_a_wait_timeout_is_checked_like_any_goto_and_leads_out_of_a_loop(kb):
    write(
        kb,
        "a",
        """\
steps:
  - id: hold
    title: Hold
    wait: {duration: 30 seconds, until: Tier 2 answers, timeout: nowhere}
    next: hold
""",
    )
    write(
        kb,
        "b",
        """\
steps:
  - id: hold
    title: Hold
    wait: {duration: 30 seconds, until: Tier 2 answers, timeout: end}
    next: hold
""",
    )
    assert problems(kb) == [
        "sops/a.yaml:15:66: steps[0].wait.timeout: unknown step 'nowhere'; expected one of: hold, end, sop:<sop-id>",
    ]


DURATION = (
    "expected a duration like '30 seconds', '2 minutes' or '14 days' (units: seconds, minutes, hours, "
    "days, business days, working days or weeks) but received: "
)


def test_a_duration_that_is_not_one_says_what_a_duration_looks_like_at_each_one(kb):
    durations = ["-5 minutes", "1e9 s", '""', "5 fortnights", "30", "", "0 minutes", "0.5 s", "366 days"]
    steps = "".join(
        f"  - id: s{i}\n    title: S{i}\n    limit:\n      duration: {d}\n      what: a reply\n"
        for i, d in enumerate(durations)
    )
    write(kb, "a", "steps:\n" + steps)
    assert problems(kb) == [
        f"sops/a.yaml:16:17: steps[0].limit.duration: {DURATION}'-5 minutes'",
        f"sops/a.yaml:21:17: steps[1].limit.duration: {DURATION}'1e9 s'",
        f"sops/a.yaml:26:17: steps[2].limit.duration: {DURATION}''",
        f"sops/a.yaml:31:17: steps[3].limit.duration: {DURATION}'5 fortnights'",
        f"sops/a.yaml:36:17: steps[4].limit.duration: {DURATION}30 (a number without a unit)",
        f"sops/a.yaml:41:16: steps[5].limit.duration: {DURATION}nothing (empty value)",
        "sops/a.yaml:46:17: steps[6].limit.duration: a duration is at least 1 second but received: '0 minutes'",
        "sops/a.yaml:51:17: steps[7].limit.duration: a duration is at least 1 second but received: '0.5 s'",
        "sops/a.yaml:56:17: steps[8].limit.duration: a duration is at most 365 days but received: '366 days'",
    ]


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("30 Seconds", 30),
        ("2 MIN", 120),
        ("1.5 hours", 5400),
        ("0.5 minutes", 30),
        ("3 Business Days", 3 * 86400),
        ("2min", 120),
        ("365 days", 365 * 86400),
        ("1 s", 1),
    ],
)
def test_units_are_read_in_any_case_and_fractions_of_a_second_or_more_are_durations(written, seconds):
    wait = Wait(duration=written, until="Tier 2 answers")
    assert wait.duration == written
    assert duration_seconds(wait.duration) == seconds
    assert re.fullmatch(DURATION_PATTERN, written), "the editors' schema agrees"


# --- Several starts ----------------------------------------------------------------------------------


def test_each_start_names_a_step_and_situations_are_unique(kb):
    write(
        kb,
        "a",
        """\
starts:
  - {when: Inbound call, step: greet}
  - {when: Outbound call, step: dial}
  - {when: inbound CALL, step: greet}
steps:
  - id: greet
    title: Greet
    next: end
  - id: callback
    title: Call back
""",
    )
    assert problems(kb) == [
        "sops/a.yaml:14:33: starts[1].step: unknown step 'dial'; expected one of: greet, callback",
        "sops/a.yaml:15:12: starts[2].when: duplicate situation 'inbound CALL'",
        "sops/a.yaml:20:9: steps[1].id: step 'callback' is never reached: no step or branch leads to it",
    ]


def test_every_start_is_an_entry_and_a_handoff_reaches_each(kb):
    write(
        kb,
        "a",
        """\
starts:
  - {when: Inbound call, step: greet}
  - {when: Outbound call, step: callback}
steps:
  - id: greet
    title: Greet
    next: end
  - id: callback
    title: Call back
""",
    )
    kb_loaded = load(kb)
    assert kb_loaded.by_id["a"].flow.entries == ["greet", "callback"]


def test_a_handoff_into_an_sop_with_several_starts_loops_only_if_every_start_does(kb):
    write(
        kb,
        "a",
        """\
starts:
  - {when: Inbound call, step: back}
  - {when: Outbound call, step: done}
steps:
  - id: back
    title: Back
    next: sop:b
  - id: done
    title: Done
""",
    )
    write(kb, "b", "steps:\n  - id: only\n    title: Only\n    next: sop:a\n")
    load(kb)  # a's second start ends, so the hand-offs between a and b do not trap a call


# --- Unknown metadata --------------------------------------------------------------------------------

UNKNOWN_HEAD = HEAD.replace("owner: Ops", "owner: unknown").replace('version: "1"', "version: unknown")


def test_unknown_owner_version_and_dates_validate_and_are_not_compared(kb):
    head = UNKNOWN_HEAD.replace("effective: 2026-01-01", "effective: unknown")
    write(
        kb,
        "a",
        "steps:\n  - id: only\n    title: Only\n",
        head=head.replace("review_by: 2099-01-01", "review_by: unknown"),
    )
    write(kb, "b", "steps:\n  - id: only\n    title: Only\n", head=head)  # a review date, no effective date
    write(
        kb,
        "c",
        "steps:\n  - id: only\n    title: Only\n",
        head=HEAD.replace("effective: 2026-01-01", "effective: unknown").replace(
            "review_by: 2099-01-01", "review_by: 2020-01-01"
        ),
    )
    kb_loaded = load(kb)
    assert kb_loaded.by_id["a"].sop.review_by == "unknown"
    assert [str(w) for w in kb_loaded.warnings] == [
        "sops/c.yaml:9:12: warning: review_by: review date 2020-01-01 has passed; review the SOP and set a new date"
    ]
