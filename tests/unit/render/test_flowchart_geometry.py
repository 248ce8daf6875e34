"""The real layout, measured: no box over a box, no label over a label or a box, no arrow through a
box or across a label, nothing outside the chart, every arrow label whole. Over every bundled SOP
and 400 generated ones (see flowchart_sops.py); and the check itself fails on a chart that does
any of those things."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from sopkb.models.sop import Sop
from sopkb.render.environment import make_environment
from sopkb.render.flowchart_geometry import crosses, overlaps
from sopkb.render.flowchart_shapes import Arrow, Chart

from .flowchart_sops import chart_of, looping_sop, random_sop

BUNDLED = sorted((Path(__file__).parents[3] / "sops").rglob("*.yaml"))
SEEDS = range(400)


def kinds(chart: Chart) -> set[str]:
    return {o.kind for o in overlaps(chart)}


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
@pytest.mark.parametrize("marked", [False, True], ids=["as-is", "every-step-changed"])
def test_bundled_sops_have_no_overlaps(path, marked):
    sop = Sop.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    chart = chart_of(sop, marked)
    assert [str(o) for o in overlaps(chart)] == []
    assert_whole_labels(chart)


@pytest.mark.parametrize("marked", [False, True], ids=["as-is", "every-step-changed"])
def test_generated_sops_have_no_overlaps(marked):
    failures = {}
    for seed in SEEDS:
        found = overlaps(chart_of(random_sop(seed), marked))
        if found:
            failures[seed] = [str(o) for o in found[:3]]
    assert failures == {}


def test_generated_sops_cover_what_the_layout_must_handle():
    """The generator is only as good as what it produces: loops of every kind, full lanes, every
    kind of box, long labels."""
    seen: set[str] = set()
    for seed in SEEDS:
        chart = chart_of(random_sop(seed))
        seen |= {b.kind for b in chart.boxes}
        seen |= {"badge" for b in chart.boxes if b.badge} | {"wait" for b in chart.boxes if b.wait}
        marked = chart_of(random_sop(seed), marked=True).boxes
        seen |= {"badge and mark" for b in marked if b.badge and b.mark}
        seen |= {"mark on a decision" for b in marked if b.mark and b.kind == "decision"}
        seen |= {"timeout" for a in chart.arrows if a.kind == "timeout"}
        seen |= {"self-loop" for a in chart.arrows if len(a.points) == 4 and a.points[0][1] > a.points[3][1]}
        seen |= {"long label" for a in chart.arrows if len(a.label_lines) >= 4}
        assert_whole_labels(chart)
    assert seen >= {
        "start", "step", "decision", "call", "end", "sop", "external", "goto", "section",
        "badge", "wait", "timeout", "self-loop", "long label", "badge and mark", "mark on a decision",
    }  # fmt: skip


def test_a_sixteen_step_chart_with_loops_has_no_overlaps_and_no_fan():
    chart = chart_of(looping_sop(16))
    assert overlaps(chart) == []
    lanes = {a.points[1][0] for a in chart.arrows if len(a.points) == 4 and a.points[1][0] < a.points[0][0]}
    assert len(lanes) <= 3


def assert_whole_labels(chart: Chart) -> None:
    for arrow in chart.arrows:
        assert " ".join(arrow.label_lines).replace(" ", "") == arrow.title.replace(" ", "")


def test_same_sop_gives_the_same_svg():
    template = make_environment().get_template("flowchart.svg.j2")
    for seed in (1, 2, 3):
        assert template.render(chart=chart_of(random_sop(seed))) == template.render(
            chart=chart_of(random_sop(seed))
        )


# The check itself: each kind of fault, made on purpose, is found.


def sample() -> Chart:
    chart = chart_of(looping_sop(6))
    assert overlaps(chart) == []
    return copy.deepcopy(chart)


def test_the_check_finds_a_box_over_a_box():
    chart = sample()
    step = [b for b in chart.boxes if b.kind == "decision"]
    step[1].y = step[0].y + 10
    assert "box/box" in kinds(chart)


def test_the_check_finds_labels_over_labels_and_boxes():
    chart = sample()
    labelled = [a for a in chart.arrows if a.label_lines]
    labelled[1].label_x, labelled[1].label_y = labelled[0].label_x + 5, labelled[0].label_y + 3
    labelled[1].label_anchor = labelled[0].label_anchor
    assert "label/label" in kinds(chart)
    chart = sample()
    box = next(b for b in chart.boxes if b.kind == "step")
    arrow = next(a for a in chart.arrows if a.label_lines)
    arrow.label_x, arrow.label_y, arrow.label_anchor = box.x + 4, box.y + 14, "start"
    assert "label/box" in kinds(chart)


def test_the_check_finds_an_arrow_through_a_box_or_a_label():
    chart = sample()
    first, last = chart.boxes[1], chart.boxes[-1]
    chart.arrows.append(Arrow([(first.cx, first.bottom), (first.cx, last.y)]))  # straight down past steps
    assert "edge/box" in kinds(chart)
    chart = sample()
    label = next(a for a in chart.arrows if a.label_lines).label_rect()
    assert label is not None
    chart.arrows.append(
        Arrow([(label.x - 20, label.y + label.h / 2), (label.right + 20, label.y + label.h / 2)])
    )
    assert "edge/label" in kinds(chart)


def test_the_check_finds_things_outside_the_chart_and_text_wider_than_its_box():
    chart = sample()
    chart.height = chart.boxes[-1].y
    assert "outside" in kinds(chart)
    chart = sample()
    chart.boxes[2].lines.append("W" * 60)
    assert "text/box" in kinds(chart)


def test_a_line_may_end_on_an_outline_but_not_cross_into_it():
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    assert not crosses((-5, 5), (0, 5), square)  # ends on the left side
    assert not crosses((-5, 0), (15, 0), square)  # runs along the top
    assert crosses((-5, 5), (3, 5), square)
    assert crosses((5, -5), (5, 15), square)
    hexagon = [(4.0, 0.0), (16.0, 0.0), (20.0, 5.0), (16.0, 10.0), (4.0, 10.0), (0.0, 5.0)]
    assert not crosses((-5, 1), (3.2, 1), hexagon)  # stops at the slanted side
    assert crosses((-5, 1), (6, 1), hexagon)


def test_the_check_finds_a_change_mark_over_the_badge_its_text_or_outside_its_box():
    chart = chart_of(looping_sop(6), marked=True)
    assert overlaps(chart) == []
    box = next(b for b in chart.boxes if b.mark == "Changed")
    box.badge = "A team lead with a long name"  # room for it only without a mark
    assert {str(o) for o in overlaps(chart)} == {f"text/box: {box.id} × mark {box.mark} × badge {box.badge}"}
    box.badge = ""
    box.mark = "Changed in version 1.10 with more words than fit"
    assert f"text/box: {box.id} × mark {box.mark}" in {str(o) for o in overlaps(chart)}
    box.mark = "New"
    box.h -= 40  # a box too short for its text: the text, centred, rises into the mark's row
    assert f"text/box: {box.id} × mark New × text" in {str(o) for o in overlaps(chart)}
