"""The data guided mode walks, for the flow parts of real procedures: starts, calls, waits, limits,
actors and procedures outside the KB, all from the flow graph."""

from __future__ import annotations

from sopkb.render.guided import COUNTDOWN_MAX, guided_data


def test_several_starts_are_offered_with_the_step_each_starts_at(flow_kb):
    data = guided_data(flow_kb.by_id["callback"], flow_kb)
    assert data["starts"] == [
        {"when": "Inbound call", "step": "greet", "label": "Step 2: Greet the customer"},
        {"when": "Outbound call (we call them)", "step": "dial", "label": "Step 1: Dial the customer"},
    ]
    assert data["start"] == "greet"
    assert data["sopHref"] == "../{id}/"


def test_a_call_names_the_called_sop_and_its_anchor_step_and_the_step_goes_on_after_it(flow_kb):
    callback = guided_data(flow_kb.by_id["callback"], flow_kb)["steps"]
    assert callback["verify"]["call"] == {
        "kind": "sop",
        "sop": "identity",
        "step": None,
        "title": "Verify identity",
        "href": "../identity/",
    }
    assert callback["verify"]["next"] == {
        "kind": "step",
        "step": "transfer",
        "label": "Step 4: Transfer to Tier 2",
    }
    identity = guided_data(flow_kb.by_id["identity"], flow_kb)["steps"]
    assert identity["address"]["call"]["stepLabel"] == "step 2"
    assert identity["address"]["call"]["href"] == "../address/"


def test_a_short_wait_counts_down_and_offers_its_timeout_a_long_one_is_text(flow_kb):
    steps = guided_data(flow_kb.by_id["callback"], flow_kb)["steps"]
    assert steps["transfer"]["wait"] == {
        "duration": "30 seconds",
        "until": "Tier 2 answers",
        "seconds": 30.0,
        "countdown": True,
        "timeout": {"kind": "step", "step": "fallback", "label": "Step 6: Take a message"},
    }
    assert [b["answer"] for b in steps["transfer"]["branches"]] == [
        "Yes",
        "No, billing question",
    ]  # no timeout
    assert (
        steps["fallback"]["wait"]["countdown"] is False
        and steps["fallback"]["wait"]["seconds"] > COUNTDOWN_MAX
    )
    assert steps["fallback"]["wait"]["timeout"] is None


def test_actors_limits_and_external_procedures(flow_kb):
    steps = guided_data(flow_kb.by_id["callback"], flow_kb)["steps"]
    assert steps["approval"]["actor"] == "Team lead"
    assert steps["greet"]["actor"] is None
    assert steps["approval"]["limit"] == {"duration": "14 days", "what": "the customer replies to the offer"}
    billing = {
        "kind": "external",
        "id": "billing",
        "title": "Billing SOP",
        "url": "https://intranet.example/billing",
        "identifier": None,
    }
    assert steps["fallback"]["next"] == billing
    assert steps["transfer"]["branches"][1]["goto"] == billing


def test_the_version_is_passed_as_written_even_when_unknown(flow_kb):
    assert guided_data(flow_kb.by_id["identity"], flow_kb)["version"] == "unknown"


def test_sop_links_in_what_guided_mode_shows_go_where_the_page_sends_them(flow_kb):
    from dataclasses import replace

    from sopkb.render.environment import sop_links

    entry = flow_kb.by_id["callback"]
    first = entry.sop.all_steps()[0]
    linked = first.model_copy(update={"do": ["See [identity checks](sop:identity#ask-name) first."]})
    sop = entry.sop.model_copy(update={"steps": [linked, *entry.sop.all_steps()[1:]]})
    entry = replace(entry, sop=sop)
    with_links = guided_data(entry, flow_kb, sop_links("../../"))["steps"][first.id]["do"]
    assert with_links == [
        'See <a href="../../sops/identity/#step-ask-name" class="sopkb-sop-link">identity checks</a> first.'
    ]
    without = guided_data(entry, flow_kb)["steps"][first.id]["do"]
    assert "sop:" not in without[0] and "identity checks" in without[0]
