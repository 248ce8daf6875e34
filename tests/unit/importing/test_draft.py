"""The drafter on the five seeds and on procedures of other domains and layouts: what it finds,
that every draft validates, and that every sentence of the source is in the draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from sopkb.importing.check import problems_of, valid_draft
from sopkb.importing.draft import draft_document
from sopkb.importing.fields import KnownSop
from sopkb.importing.outline import section_name
from sopkb.importing.read_markdown import read_markdown
from sopkb.importing.read_text import read_text
from sopkb.importing.run import DocumentResult, _count_sentences, figures

FIXTURES = Path(__file__).parents[2] / "fixtures" / "import"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


def drafts_of(path: Path, known: list[KnownSop] | None = None):
    reader = read_markdown if path.suffix == ".md" else read_text
    blocks = reader(path, path.name)
    drafts = draft_document(blocks, path.name, category="Imported", known=known or [], taken=set())
    result = DocumentResult(path.name)
    names = [b for b in blocks if len(b.text.split()) <= 4 and section_name(b.text.rstrip(": "))]
    _count_sentences(result, [b for b in blocks if b not in names], [d.data for d in drafts])
    return drafts, result


def steps_of(data: dict) -> list[dict]:
    return data.get("steps") or [s for section in data["sections"] for s in section["steps"]]


@pytest.mark.parametrize("path", SEEDS + sorted(FIXTURES.glob("*.*")), ids=lambda p: p.name)
def test_every_draft_validates_and_carries_every_sentence(path):
    drafts, result = drafts_of(path)
    assert drafts
    for draft in drafts:
        assert problems_of(draft.data, "draft.yaml", set()) == []  # valid as drafted: nothing degraded
        assert valid_draft(draft.data, "draft.yaml", set()) == (draft.data, [])
        assert draft.data["status"] == "draft"
    assert result.carried == result.sentences > 0


def test_seed_000_steps_metadata_and_documentation():
    (draft,), result = drafts_of(SEEDS[0])
    data = draft.data
    assert data["title"] == "Missed Deliveries When Customer Is at Home"
    assert data["source"].startswith("000_2a6e39cb25ccaeac.txt, “Standard Operating Procedure (SOP)")
    assert [data[k] for k in ("owner", "version", "effective", "review_by")] == ["unknown"] * 4
    assert [s["title"] for s in data["steps"]][:3] == ["Greet Customer", "Listen and Understand", "Verify Customer Information"]
    assert len(data["steps"]) == 7
    assert data["responsibilities"][0]["role"] == "Customer Service Representative (CSR)"
    assert data["conclusion"].startswith("By following this SOP")
    assert [d["label"] for d in data["documentation"]["dispositions"]] == ["Missed delivery", "Re-delivery scheduled"]
    assert result.in_fields == result.sentences


def test_seed_002_condition_headings_with_bullets_are_a_decision():
    (draft,), _ = drafts_of(SEEDS[2])
    (step,) = [s for s in draft.data["steps"] if "decision" in s]
    answers = [b["answer"] for b in step["decision"]["branches"]]
    assert answers == ["The order was recently placed", "The package was picked up but had not reached the hub"]
    assert all(b["goto"] == "provide-reassurance" for b in step["decision"]["branches"])
    assert any(note.startswith("Guessed: a decision") for note in step["review"])


def test_seed_003_a_policy_in_chapters_is_sections():
    (draft,), _ = drafts_of(SEEDS[3])
    sections = draft.data["sections"]
    assert [(s["number"], s["title"]) for s in sections][:2] == [("III", "Customer Inquiry Handling"), ("IV", "Customer Complaint Handling")]
    assert [s["number"] for s in sections[0]["steps"]] == ["3.1", "3.2", "3.3", "3.4"]
    assert "[Your Company Name]" in draft.data["scope"]
    assert any("[Your Name] [Your Role] [Date]" in note for note in draft.data["review"])


def test_seed_004_tables_and_condition_headings_become_ways():
    (draft,), result = drafts_of(SEEDS[4])
    steps = draft.data["steps"]
    ways = next(s for s in steps if s["title"] == "Which way applies?")
    answers = [b["answer"] for b in ways["decision"]["branches"]]
    assert answers[:2] == ["Customer agrees to wait for a Follow up", "Customer refuses to wait for a Follow-Up"]
    refuses = next(s for s in steps if s["id"] == ways["decision"]["branches"][1]["goto"])
    unavailable = next(b for b in refuses["decision"]["branches"] if b["answer"] == "Unavailable")
    step_2 = next(s for s in steps if s["id"] == unavailable["goto"])
    assert step_2["number"] == "2" and "Resolution Lead" in str(step_2)  # "Go to Step 2" of the same table
    assert refuses["wait"]["duration"] == "30 seconds"
    assert result.carried == result.sentences


def test_markdown_with_scripts_placeholders_callouts_limits_and_references():
    known = [KnownSop("refund-request", "Refund request")]
    (draft,), _ = drafts_of(FIXTURES / "password-reset.md", known)
    steps = {s["id"]: s for s in draft.data["steps"]}
    assert steps["greet-customer"]["say"] == ["Thanks for contacting us, {customer_name}. How can I help?"]
    assert steps["verify-customers-identity"]["callouts"] == [{"kind": "note", "text": "Never read the security answer aloud."}]
    locked = steps["is-account-locked"]["decision"]
    assert [(b["answer"], b["goto"]) for b in locked["branches"]] == [("Yes", "send-reset-link"), ("No", "send-reset-link")]
    assert steps["send-reset-link"]["say"] == ["I've sent a link to {customer_email_address}; it works for 30 minutes."]
    assert steps["send-reset-link"]["limit"]["duration"] == "30 minutes"
    assert steps["close-ticket"]["call"] == "sop:refund-request"
    assert draft.data["related"] == [{"sop": "refund-request", "why": "The source says: “follow the Refund request SOP”."}]
    assert "Record the reset in the ticket and set the ticket status to Solved." in draft.data["documentation"]["record"]


def test_an_unknown_procedure_is_an_external_entry():
    (draft,), _ = drafts_of(FIXTURES / "password-reset.md")
    assert draft.data["external"] == [{"id": "refund-request", "title": "Refund request SOP"}]
    assert draft.data["steps"][-1]["call"] == "ext:refund-request"


def test_step_n_if_yes_if_no_metadata_actor_and_warning():
    (draft,), _ = drafts_of(FIXTURES / "outage-callback.txt")
    data = draft.data
    assert (data["owner"], data["version"], str(data["effective"]), data["review_by"]) == ("Field Operations", "2.1", "2025-03-01", "unknown")
    ask = data["steps"][1]["decision"]["branches"]
    assert [(b["answer"], b["goto"]) for b in ask] == [("Yes", "record-outcome-ticket"), ("No", "team-lead-reviews-case-decides")]
    last = data["steps"][-1]
    assert last["actor"] == "Team lead" and last["limit"]["duration"] == "2 days"
    assert last["callouts"] == [{"kind": "warning", "text": "Do not promise a restoration time."}]


def test_agent_customer_dialogue_is_a_call_script_and_agrees_refuses_a_decision():
    (draft,), _ = drafts_of(FIXTURES / "refund-dialogue.txt")
    data = draft.data
    (script,) = data["call_scripts"]
    assert [(line["speaker"], line["step"]) for line in script["lines"]] == [
        ("agent", "greet-listen"), ("customer", "greet-listen"),
        ("agent", "offer-refund-or-replacement"), ("customer", "offer-refund-or-replacement"),
    ]  # fmt: skip
    branches = data["steps"][1]["decision"]["branches"]
    assert [b["answer"] for b in branches] == ["The customer agrees", "The customer refuses"]
    assert "my mug arrived broken" not in data["keywords"]  # the keywords come from lines within steps only
    assert figures(data)["script lines"] == 4


def test_a_handbook_of_headed_procedures_gives_one_draft_each():
    drafts, result = drafts_of(FIXTURES / "handbook.md")
    assert [d.data["title"] for d in drafts] == ["Issuing a gift card", "Replacing a lost gift card"]
    assert [d.data["source"] for d in drafts] == [
        "handbook.md, “Store handbook, chapter 4”, “Issuing a gift card”",
        "handbook.md, “Store handbook, chapter 4”, “Replacing a lost gift card”",
    ]
    assert result.carried == result.sentences


def test_the_same_input_gives_the_same_drafts():
    first, _ = drafts_of(SEEDS[4])
    again, _ = drafts_of(SEEDS[4])
    assert [d.data for d in first] == [d.data for d in again]


def test_a_policy_with_headed_sub_chapters_drafts_as_its_text_does(tmp_path):
    """Word, PDF and web pages give `III.` and `3.1` as headings (one level apart) with their
    numbers typed; text gives `3.1` as a numbered item. Both are one section per chapter with
    a step per sub-chapter, numbered as the source numbers them."""
    from sopkb.importing.blocks import Block, Where

    def at(n: int) -> Where:
        return Where("policy.docx", paragraph=n)

    blocks = [
        Block("heading", "Service policy", at(1), 1),
        Block("heading", "I. Objective", at(2), 2),
        Block("paragraph", "Handle every contact the same way.", at(3)),
        Block("heading", "III. Inquiries", at(4), 2),
        Block("heading", "3.1 Receiving inquiries", at(5), 3),
        Block("item", "Answer within one business day.", at(6), 0),
        Block("heading", "3.2 Gathering information", at(7), 3),
        Block("item", "Ask for the order number.", at(8), 0),
        Block("heading", "IV. Complaints", at(9), 2),
        Block("heading", "4.1 Reception", at(10), 3),
        Block("item", "Acknowledge the complaint with empathy.", at(11), 0),
        Block("heading", "2024 holiday returns", at(12), 3),
        Block("item", "Accept returns until January 31.", at(13), 0),
    ]
    (draft,) = draft_document(blocks, "policy.docx", category="Imported", known=[], taken=set())
    sections = draft.data["sections"]
    assert [(s["title"], s["number"]) for s in sections] == [("Inquiries", "III"), ("Complaints", "IV")]
    assert [(st["title"], st.get("number")) for st in sections[0]["steps"]] == [
        ("Receiving inquiries", "3.1"),
        ("Gathering information", "3.2"),
    ]
    assert [st["title"] for st in sections[1]["steps"]] == ["Reception", "2024 holiday returns"]
    assert sections[1]["steps"][1].get("number") is None  # a year is not a number
    assert draft.data["objective"] == "Handle every contact the same way."
    assert problems_of(draft.data, "policy.yaml", set()) == []


def test_an_answer_that_follows_another_procedure_continues_there(tmp_path):
    source = tmp_path / "returns.txt"
    source.write_text(
        "Returns for damaged items\n"
        "1. Ask whether the item is damaged or just unwanted.\n"
        "If the item is unwanted, follow the Standard Returns SOP and stop.\n"
        "If the item is damaged, go to Step 2.\n"
        "2. Refund it. See the Shipping Damage Claims SOP for claims against the carrier.\n"
        "3. Follow the Refund request procedure.\n",
        encoding="utf-8",
    )
    (draft,), result = drafts_of(source, known=[KnownSop("refund", "Refund request")])
    first, second, third = draft.data["steps"]
    branches = {b["answer"]: b for b in first["decision"]["branches"]}
    unwanted = branches["The item is unwanted"]
    assert unwanted["goto"] == "ext:standard-returns"
    assert "continues in another procedure" in unwanted["review"][0]
    assert branches["The item is damaged"]["goto"] == second["id"]  # a named step wins
    assert third.get("call") == "sop:refund"  # a step that follows another one comes back
    assert [e["id"] for e in draft.data["external"]] == ["standard-returns", "shipping-damage-claims"]
    assert problems_of(draft.data, "returns.yaml", {"refund"}) == []
    assert result.carried == result.sentences


@pytest.mark.parametrize(
    "text",
    [
        # the handbook's title a heading above its procedures' headings
        "# Customer Care Handbook\n\nThis handbook collects the procedures for the billing desk.\n\n"
        "## Handling a Double Charge\n\n1. Apologise.\n2. Raise a refund for the duplicate.\n\n"
        "## Updating Payment Details\n\n1. Verify the PIN.\n2. Send the secure link.\n",
        # its title plain text, the procedures' headings the first heading level
        "Customer Care Handbook\n\nThis handbook collects the procedures for the billing desk.\n\n"
        "# Handling a Double Charge\n\n1. Apologise.\n2. Raise a refund for the duplicate.\n\n"
        "# Updating Payment Details\n\n1. Verify the PIN.\n2. Send the secure link.\n",
    ],
    ids=["title-heading", "title-text"],
)
def test_a_handbook_loses_neither_its_introduction_nor_its_first_procedure(tmp_path, text):
    source = tmp_path / "handbook.md"
    source.write_text(text, encoding="utf-8")
    drafts, result = drafts_of(source)
    assert [d.data["title"] for d in drafts] == ["Handling a Double Charge", "Updating Payment Details"]
    assert [len(d.data["steps"]) for d in drafts] == [2, 2]
    for draft in drafts:
        assert "This handbook collects the procedures for the billing desk." in draft.data["background"]
    assert result.sentences >= 7 and result.carried == result.sentences


def test_text_no_draft_took_is_listed_and_counted(monkeypatch, tmp_path):
    """Whatever a split leaves over goes to the first draft's review notes, and is counted: here
    a splitting that forgets a whole procedure (as one once did) still loses nothing."""
    from sopkb.importing import draft as drafting
    from sopkb.importing.outline import Outline

    def forgetful(doc):  # noqa: ANN001, ANN202
        kept = [p for p in doc.parts if "Updating" not in p.title]
        return [Outline(doc.title, doc.title_block, kept)]

    monkeypatch.setattr(drafting, "procedures", forgetful)
    source = tmp_path / "handbook.md"
    source.write_text("# Refunds\n\n1. Refund it.\n\n## Updating details\n\nSend the secure link.\n", encoding="utf-8")
    (draft,), result = drafts_of(source)
    notes = "\n".join(draft.data["review"])
    assert "Not placed by the importer" in notes and "Send the secure link." in notes and "Updating details" in notes
    assert result.carried == result.sentences


def test_a_say_step_is_named_by_what_it_says_and_a_quoted_note_is_not_said(tmp_path):
    source = tmp_path / "address.txt"
    source.write_text(
        "Address change\n1. Verify the customer.\n"
        '2. Say: "I can update your address for you today."\n'
        '3. Add an internal note to the ticket: "Address changed at customer request"\n'
        '4. Set the ticket status to "Pending customer reply from the caller" and close the call.\n',
        encoding="utf-8",
    )
    (draft,), result = drafts_of(source)
    steps = draft.data["steps"]
    assert steps[1]["title"] == "Say “I can update your address for …”"
    assert steps[1]["say"] == ["I can update your address for you today."]
    assert "say" not in steps[2] and "Address changed at customer request" in steps[2]["do"][0]
    assert "say" not in steps[3]
    assert result.carried == result.sentences


def test_a_warning_after_the_scope_is_a_callout_not_more_scope(tmp_path):
    source = tmp_path / "address.md"
    source.write_text(
        "# Changing an address\n\n## Scope\n\nOrders not yet shipped.\n\n"
        "Warning: Do not change the address on an order flagged for fraud review.\n\n"
        "## Steps\n\n1. Open the order.\n2. Update the address.\n",
        encoding="utf-8",
    )
    (draft,), result = drafts_of(source)
    assert draft.data["scope"] == "Orders not yet shipped."
    assert draft.data["callouts"] == [
        {"kind": "warning", "text": "Do not change the address on an order flagged for fraud review."}
    ]
    assert result.carried == result.sentences


_CRASHING_READER = """
import json, os
from pathlib import Path
from sopkb.importing import run

def read_or_die(item):
    if "crash" in item[1]:
        os._exit(3)  # as a reader crashing in C would
    return run.Read([], None)

run.read_document = read_or_die
items = [(Path(f"{n}.txt"), f"{n}-{'crash' if n == 3 else 'ok'}") for n in range(8)]
print(json.dumps([read.error == run.CRASHED for read in run.read_documents(items, 2)]))
"""


def test_documents_are_read_in_order_and_a_crashing_reader_fails_without_hanging():
    import json
    import subprocess
    import sys

    from sopkb.importing import run

    paths = sorted(FIXTURES.glob("*.*"))
    items = [(p, p.name) for p in paths]
    assert list(run.read_documents(items, jobs=2)) == [run.read_document(item) for item in items]
    # In a process of its own: here, with the test run's threads, reading would not fork, and the
    # crash would end the test run itself.
    crashed = subprocess.run(
        [sys.executable, "-c", _CRASHING_READER], capture_output=True, text=True, timeout=120, check=True
    )
    flags = json.loads(crashed.stdout)
    # The crashed document fails, in its place, and with it those whose results had not come back
    # when its process died: with two readers, which those are is a race (a loaded machine once
    # lost the first document's result too). Never one read after a failure, never a hang.
    first_failed = flags.index(True)
    assert len(flags) == 8 and first_failed <= 3 and flags[first_failed:] == [True] * (8 - first_failed)
