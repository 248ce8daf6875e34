"""The flowchart holds every step and branch, stays well-formed XML for any author text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sopkb.domain.flow import build_flow
from sopkb.models.sop import Sop
from sopkb.render.environment import make_environment
from sopkb.render.flowchart import layout, wrap
from sopkb.render.flowchart_shapes import text_width

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
