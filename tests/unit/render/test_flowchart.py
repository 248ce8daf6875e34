"""The flowchart holds every step and branch, stays well-formed XML for any author text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sopkb.domain.flow import build_flow
from sopkb.models.sop import Sop
from sopkb.render.environment import make_environment
from sopkb.render.flowchart import layout, wrap
from sopkb.render.flowchart_text import cut_words, text_width

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    'Say "hi" & <b>bye</b>',
    "end",
    "A --> B [x] (y) {z}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Emoji 📦🚚 ok",
    "العميل يرفض الانتظار",
    "]]> <!-- -->",
    "x" * 300,
]


def sop_with(title: str) -> Sop:
    return Sop.model_validate(
        {
            "id": "t",
            "title": title,
            "summary": title,
            "category": "c",
            "status": "draft",
            "owner": "o",
            "version": "1",
            "effective": "2026-01-01",
            "review_by": "2099-01-01",
            "source": "s",
            "objective": "o",
            "steps": [
                {
                    "id": "a",
                    "title": title,
                    "decision": {
                        "question": title,
                        "branches": [
                            {"answer": title, "goto": "b"},
                            {"answer": "No " + title, "goto": "end"},
                            {"answer": "Other", "goto": "sop:other#x"},
                            {"answer": "Back", "goto": "a"},
                        ],
                    },
                },
                {"id": "b", "title": title},
            ],
        }
    )


def render(sop: Sop) -> str:
    chart = layout(sop, build_flow(sop), {"other": ("../../sops/other/", "Other SOP")})
    return make_environment().get_template("flowchart.svg.j2").render(chart=chart)


@pytest.mark.parametrize("text", HOSTILE)
def test_any_author_text_gives_well_formed_svg_with_every_step(text):
    svg = render(sop_with(text))
    root = ET.fromstring(svg)  # raises on anything an author could break
    assert root.findall(f".//{SVG}script") == []
    assert not any(k.startswith("on") for el in root.iter() for k in el.attrib)
    nodes = {g.get("data-node"): g for g in root.iter(f"{SVG}g") if g.get("data-node")}
    assert {"step-a", "step-b"} <= set(nodes)
    assert nodes["step-a"].find(f"{SVG}polygon") is not None  # the decision is drawn distinctly
    assert nodes["step-b"].find(f"{SVG}rect") is not None
    links = [a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")]
    assert all(a.get("href") is None for a in root.iter(f"{SVG}a"))  # see flowchart.svg.j2
    assert "#step-a" in links and "#step-b" in links
    assert "../../sops/other/#step-x" in links


def test_every_branch_has_an_arrow_and_exits_have_boxes():
    svg = render(sop_with("Check"))
    root = ET.fromstring(svg)
    kinds = [g.get("class") for g in root.iter(f"{SVG}g") if g.get("data-node")]
    assert (
        kinds.count("sopkb-chart__node sopkb-chart__node--end") == 2
    )  # "No" branch + end after the last step
    assert kinds.count("sopkb-chart__node sopkb-chart__node--sop") == 1
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("sopkb-chart__edge")]
    labels = {"".join(t.itertext()).strip() for g in edges for t in g.iter(f"{SVG}tspan")}
    assert {"Check", "No Check", "Other", "Back"} <= labels
    # start→a, 4 branches, b→end
    assert len(edges) == 6


def test_wrap_never_exceeds_width_and_marks_cut_text():
    lines = wrap("word " * 80, 200, max_lines=3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert wrap("x" * 100, 70)[0] == "x" * 10  # as many as fit: 10 × 7 px
    assert all(text_width(line) <= 200 for line in lines + wrap("x" * 100 + " wide 配送状況を確認", 70))


NEW_PARTS = {
    "id": "demo", "title": "Transfer to Tier 2", "summary": "s", "category": "c", "status": "draft",
    "owner": "unknown", "version": "unknown", "effective": "unknown", "review_by": "unknown",
    "source": "s", "objective": "o",
    "external": [{"id": "billing", "title": "Billing dispute workflow", "identifier": "KB-1234"}],
    "starts": [{"when": "Inbound call", "step": "greet"}, {"when": "Outbound call-back", "step": "verify"}],
    "steps": [
        {"id": "greet", "title": "Greet the customer"},
        {"id": "verify", "title": "Verify identity", "decision": {"question": "Do the details match?", "branches": [
            {"answer": "Yes", "goto": "transfer"},
            {"answer": "Customer cannot find the order number right now", "goto": "verify"},
            {"answer": "Billing question", "goto": "ext:billing"},
        ]}},
        {"id": "transfer", "title": "Warm transfer to Tier 2", "actor": "Tier 2 lead",
         "wait": {"duration": "30 seconds", "until": "Tier 2 answers", "timeout": "callback"}},
        {"id": "refund", "title": "Issue the refund", "call": "ext:billing"},
        {"id": "callback", "title": "Offer a call-back", "next": "sop:other"},
    ],
}  # fmt: skip


def text_of(element: ET.Element) -> str:
    """The text of each <text> in `element` as a screen reader reads it: its lines run together,
    with nothing between them but what the SVG puts there."""
    return " ".join("".join(s.text or "" for s in t.iter(f"{SVG}tspan")) for t in element.iter(f"{SVG}text"))


def new_parts_svg() -> tuple[ET.Element, dict[str, ET.Element]]:
    root = ET.fromstring(render(Sop.model_validate(NEW_PARTS)))
    return root, {g.get("data-node"): g for g in root.iter(f"{SVG}g") if g.get("data-node")}


def test_the_chart_has_a_title_and_a_description_naming_the_new_parts():
    root, _ = new_parts_svg()
    assert root.findtext(f"{SVG}title") == "Flowchart: Transfer to Tier 2"
    desc = root.findtext(f"{SVG}desc")
    assert "Inbound call at step 1" in desc and "Outbound call-back at step 2" in desc
    assert "step 4 runs Billing dispute workflow" in desc and "step 3 waits 30 seconds" in desc


def test_actor_badge_and_sub_process_box():
    _, nodes = new_parts_svg()
    badge = nodes["step-transfer"].find(f"{SVG}g[@class='sopkb-chart__actor']")
    assert badge is not None and badge.findtext(f"{SVG}text") == "Tier 2 lead"
    refund = nodes["step-refund"]
    assert refund.get("class").endswith("--call")
    assert refund.find(f"{SVG}path[@class='sopkb-chart__bars']") is not None  # the two inner bars
    assert "Calls Billing dispute workflow" in text_of(refund)


def test_outside_procedure_is_its_own_terminal_with_its_title():
    _, nodes = new_parts_svg()
    outside = [g for g in nodes.values() if g.get("class").endswith("--external")]
    assert len(outside) == 1 and outside[0].find(f"{SVG}polygon") is not None
    assert "Billing dispute workflow" in text_of(outside[0]) and "KB-1234" in text_of(outside[0])


def test_wait_marker_and_its_timeout_arrow():
    root, nodes = new_parts_svg()
    wait = nodes["step-transfer"].find(f"{SVG}g[@class='sopkb-chart__wait']")
    assert wait is not None and wait.find(f"{SVG}circle") is not None
    assert wait.findtext(f"{SVG}title") == "Wait 30 seconds until Tier 2 answers"
    assert wait.findtext(f"{SVG}text") == "Wait 30 seconds"
    timeout = [g for g in root.iter(f"{SVG}g") if "sopkb-chart__edge--timeout" in g.get("class", "")]
    assert len(timeout) == 1 and text_of(timeout[0]) == "No answer after 30 seconds"


def test_one_start_per_situation_each_reaching_its_step():
    chart = layout(Sop.model_validate(NEW_PARTS), build_flow(Sop.model_validate(NEW_PARTS)), {})
    boxes = {b.id: b for b in chart.boxes}
    starts = [b for b in chart.boxes if b.kind == "start"]
    # in the SOP's order, top to bottom, as the page's "Start here" list: the first start is not
    # moved down because it starts at step 1 (it reaches it through a lane instead)
    assert [b.lines for b in starts] == [["Inbound call"], ["Outbound call-back"]]
    assert starts[0].y < starts[1].y < boxes["step-greet"].y
    for start, step in ((starts[0], "greet"), (starts[1], "verify")):
        arrow = next(
            a for a in chart.arrows if a.points[0] in ((start.x, start.cy), (start.cx, start.bottom))
        )
        target = boxes[f"step-{step}"]
        end_x, end_y = arrow.points[-1]
        assert target.y <= end_y <= target.bottom
        assert min(abs(end_x - target.side_x(end_y)), abs(end_x - target.cx)) < 0.1


def test_the_last_start_leads_straight_down_when_it_starts_at_step_1():
    sop = Sop.model_validate({**NEW_PARTS, "starts": [NEW_PARTS["starts"][1], NEW_PARTS["starts"][0]]})
    chart = layout(sop, build_flow(sop), {})
    starts = [b for b in chart.boxes if b.kind == "start"]
    assert [b.lines for b in starts] == [["Outbound call-back"], ["Inbound call"]]
    greet = next(b for b in chart.boxes if b.id == "step-greet")
    assert any(a.points == [(starts[1].cx, starts[1].bottom), (greet.cx, greet.y)] for a in chart.arrows)


def test_a_decisions_question_sits_under_a_rule_in_its_own_lines():
    _, nodes = new_parts_svg()
    verify = nodes["step-verify"]
    text = verify.find(f"{SVG}text")
    title = [t for t in text.iter(f"{SVG}tspan") if t.get("x") and not t.get("class")]
    question = [t for t in text.iter(f"{SVG}tspan") if t.get("class") == "sopkb-chart__question"]
    assert [t.text for t in title] == ["2. Verify identity"]
    assert [t.text for t in question] == ["Do the details match?"]
    assert float(question[0].get("dy")) > 17  # a gap for the rule
    rule = verify.find(f"{SVG}path[@class='sopkb-chart__rule']")
    rule_y = float(rule.get("d").split(",")[1].split()[0])
    first_baseline = float(text.get("y"))
    assert first_baseline + 4 < rule_y < first_baseline + float(question[0].get("dy")) - 10
    assert verify.findtext(f"{SVG}title") == "2. Verify identity — Do the details match?"


def test_a_screen_reader_reads_a_space_where_a_line_wraps():
    root, nodes = new_parts_svg()
    assert text_of(nodes["step-verify"]) == "2. Verify identity Do the details match?"
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "sopkb-chart__label"]
    wrapped = [t for t in labels if len([s for s in t.iter(f"{SVG}tspan") if s.get("x")]) > 1]
    assert wrapped, "the long answer wraps"
    for label in wrapped:
        read = "".join(s.text or "" for s in label.iter(f"{SVG}tspan"))
        assert read == label.findtext(f"{SVG}title")  # "…order number right now", no words run together
    long_title = {**NEW_PARTS, "steps": [{"id": "greet", "title": "Greet the customer warmly " * 4}]}
    long_title.pop("starts")
    svg = ET.fromstring(render(Sop.model_validate(long_title)))
    box = next(g for g in svg.iter(f"{SVG}g") if g.get("data-node") == "step-greet")
    assert " ".join(text_of(box).split()) == text_of(box)
    assert text_of(box).startswith("1. Greet the customer warmly Greet the customer")


def test_a_word_cut_for_being_too_long_reads_as_one_word():
    word = "Supercalifragilisticexpialidociousnessofthewholeprocedure"
    sop = Sop.model_validate({**NEW_PARTS, "starts": [], "steps": [{"id": "a", "title": f"Say {word} now"}]})
    svg = ET.fromstring(render(sop))
    box = next(g for g in svg.iter(f"{SVG}g") if g.get("data-node") == "step-a")
    lines = [t.text for t in box.iter(f"{SVG}tspan") if t.get("x")]
    assert len(lines) > 2 and word not in lines  # cut over two lines
    assert text_of(box) == f"1. Say {word} now"  # a space where the line broke at one, none in the word
    assert cut_words("ab cdef g", ["ab", "cd", "ef g"]) == [False, False, True]
    assert cut_words("one two", ["one", "two"]) == [False, False]
