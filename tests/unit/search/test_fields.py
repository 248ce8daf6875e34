"""What search matches an SOP by: callouts (internal ones too), messages and table cells included."""

from __future__ import annotations

from sopkb.search.fields import sop_fields

from tests.unit.domain.sop_data import sop, step


def content_sop():  # noqa: ANN201
    return sop(
        callouts=[{"kind": "internal", "title": "Override code", "text": "Supervisors use code 4400."}],
        messages=[{"channel": "sms", "body": "Your engineer is on the way."}],
        steps=[
            step(
                "transfer",
                order=["tables", "say"],
                say=["One moment."],
                callouts=[{"kind": "warning", "text": "Never promise a refund date."}],
                tables=[{"caption": "Utility lines", "columns": ["Utility", "Phone"], "rows": [["Gas", "555-0100"]]}],
                messages=[
                    {"channel": "email", "title": "Outage apology", "subject": "Sorry about {date}",
                     "body": "We are sorry for the outage."}
                ],
            )
        ],
    )  # fmt: skip


def test_callouts_messages_and_tables_are_searchable():
    fields = sop_fields(content_sop())
    assert {
        "Override code",
        "Utility lines",
        "Utility",
        "Phone",
        "Outage apology",
        "Sorry about {date}",
    } <= set(fields["headings"])
    assert {
        "Supervisors use code 4400.",  # internal: agents look things up by it
        "Never promise a refund date.",
        "Gas",
        "555-0100",
        "We are sorry for the outage.",
        "Your engineer is on the way.",
    } <= set(fields["body"])


def test_names_are_headings_once_and_format_words_are_not_text():
    fields = sop_fields(content_sop())
    for heading in ("Override code", "Utility lines", "Utility", "Outage apology", "Sorry about {date}"):
        assert heading not in fields["body"]
    for word in ("tables", "say", "internal", "warning"):  # `order` and a callout's `kind`
        assert word not in fields["body"]
