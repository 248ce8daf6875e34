"""Where each step of an SOP can go next: `build_flow`, the graph's queries, and `reaching`."""

from __future__ import annotations

from sopkb.domain.flow import Destination, Edge, build_flow, reaching

from .sop_data import decision, sop, step


def edges_of(flow, step_id: str) -> list[tuple]:  # noqa: ANN001
    return [(e.target, e.label, e.key_path, e.implicit) for e in flow.edges[step_id]]


def test_a_step_goes_on_to_the_following_step_and_the_last_one_ends():
    flow = build_flow(sop(steps=[step("greet"), step("help")]))
    assert flow.entries == ["greet"]
    assert edges_of(flow, "greet") == [(Destination("step", "help"), None, ("steps", 0), True)]
    assert edges_of(flow, "help") == [(Destination("end"), None, ("steps", 1), True)]


def test_next_overrides_the_default_and_is_located_at_its_key():
    flow = build_flow(sop(steps=[step("greet", next="close"), step("skipped"), step("close", next="end")]))
    assert edges_of(flow, "greet") == [(Destination("step", "close"), None, ("steps", 0, "next"), False)]
    assert edges_of(flow, "close") == [(Destination("end"), None, ("steps", 2, "next"), False)]
    assert flow.successors("greet") == ["close"] and flow.successors("close") == []


def test_branches_go_where_they_say_with_their_answer_as_label():
    flow = build_flow(
        sop(
            steps=[
                step("ask", decision=decision(("Yes", "record"), ("No", "end"), ("Angry", "sop:esc#listen"))),
                step("record"),
            ]
        )
    )
    at = ("steps", 0, "decision", "branches")
    assert edges_of(flow, "ask") == [
        (Destination("step", "record"), "Yes", (*at, 0, "goto"), False),
        (Destination("end"), "No", (*at, 1, "goto"), False),
        (Destination("sop", step="listen", sop="esc"), "Angry", (*at, 2, "goto"), False),
    ]
    assert flow.successors("ask") == ["record"]  # only steps of this SOP


def test_a_decision_wins_over_next():
    flow = build_flow(
        sop(steps=[step("ask", next="end", decision=decision(("Yes", "b"), ("No", "b"))), step("b")])
    )
    assert [e.label for e in flow.edges["ask"]] == ["Yes", "No"]


def test_destinations_parse_steps_ends_and_other_sops_with_or_without_a_step():
    assert Destination.parse("record") == Destination("step", step="record")
    assert Destination.parse("end") == Destination("end")
    assert Destination.parse("sop:escalation") == Destination("sop", step=None, sop="escalation")
    assert Destination.parse("sop:escalation#listen") == Destination("sop", step="listen", sop="escalation")


def test_each_section_is_entered_at_its_first_step_and_its_last_step_ends():
    sections = [
        {"id": "one", "title": "One", "steps": [step("a"), step("b")]},
        {"id": "two", "title": "Two", "steps": [step("c")]},
    ]
    flow = build_flow(sop(sections=sections))
    assert flow.entries == ["a", "c"]
    assert edges_of(flow, "b") == [(Destination("end"), None, ("sections", 0, "steps", 1), True)]
    assert flow.step_paths == {
        "a": ("sections", 0, "steps", 0),
        "b": ("sections", 0, "steps", 1),
        "c": ("sections", 1, "steps", 0),
    }


def test_a_repeated_step_id_keeps_its_first_place_and_edges():
    sections = [
        {"id": "one", "title": "One", "steps": [step("a", next="end")]},
        {"id": "two", "title": "Two", "steps": [step("a", next="z"), step("z")]},
    ]
    flow = build_flow(sop(sections=sections))
    assert flow.step_paths["a"] == ("sections", 0, "steps", 0)
    assert [e.target for e in flow.edges["a"]] == [Destination("end")]


def test_reachable_follows_steps_from_the_entries_only():
    flow = build_flow(
        sop(steps=[step("a", next="c"), step("orphan", next="a"), step("c", next="ghost"), step("d")])
    )
    assert flow.reachable() == {"a", "c"}  # an unknown step is not a step


def test_predecessors_read_the_flow_backwards():
    flow = build_flow(
        sop(steps=[step("a", decision=decision(("Yes", "b"), ("No", "c"))), step("b", next="c"), step("c")])
    )
    assert flow.predecessors() == {"a": [], "b": ["a"], "c": ["a", "b"]}


def test_ways_out_are_ends_other_sops_and_unknown_steps():
    flow = build_flow(sop(steps=[step("a")]))
    out = Edge("a", Destination("step", "ghost"), None, ())
    assert flow.leaves(out) and flow.leaves(Edge("a", Destination("sop", sop="x"), None, ()))
    assert not flow.leaves(Edge("a", Destination("step", "a"), None, ()))


def test_steps_caught_in_a_loop_cannot_reach_an_exit():
    flow = build_flow(
        sop(
            steps=[
                step("start", decision=decision(("Loop", "spin"), ("Leave", "sop:other"))),
                step("spin", next="spun"),
                step("spun", next="spin"),
            ]
        )
    )
    assert flow.exits_reachable() == {"start"}


def test_reaching_includes_the_goals_and_everything_before_them():
    before = {"a": [], "b": ["a"], "c": ["b", "x"], "x": [], "y": ["y"]}
    assert reaching(["c"], before) == {"a", "b", "c", "x"}
    assert reaching([], before) == set()
    assert reaching(["y"], before) == {"y"}  # a self-loop ends the search


def test_reaching_looks_at_each_node_once_whatever_the_shape_of_the_graph():
    """Linear: a diamond, a cycle and a long chain cost one lookup per node found."""

    class Counted(list):
        lookups = 0

        def __getitem__(self, node):  # noqa: ANN001, ANN204
            Counted.lookups += 1
            return super().__getitem__(node)

    n = 2_000
    chain = [[i - 1] if i else [] for i in range(n)]  # a list works as well as a dict
    chain[0] = [n - 1, 1]  # and back round: a cycle
    chain[5] = [4, 3, 2]  # more than one way back: a diamond
    before = Counted(chain)
    assert reaching([n - 1], before) == set(range(n))
    assert Counted.lookups == n


def test_a_call_keeps_the_step_going_on_and_a_wait_timeout_adds_an_edge():
    flow = build_flow(
        sop(
            steps=[
                step("verify", call="sop:identity#ask"),
                step("hold", wait={"duration": "30 seconds", "until": "Tier 2", "timeout": "ext:billing"}),
                step("done"),
            ],
            external=[{"id": "billing", "title": "Billing"}],
        )
    )
    assert edges_of(flow, "verify") == [(Destination("step", "hold"), None, ("steps", 0), True)]
    (onward, timeout) = flow.edges["hold"]
    assert (onward.target, onward.timeout) == (Destination("step", "done"), False)
    assert (timeout.target, timeout.label, timeout.key_path, timeout.timeout) == (
        Destination("external", external="billing"),
        "No answer after 30 seconds",
        ("steps", 1, "wait", "timeout"),
        True,
    )
    assert flow.leaves(timeout)  # a procedure outside the KB is a way out


def test_several_starts_are_the_entries_in_the_order_written():
    data = sop(
        steps=[step("a"), step("b"), step("c")],
        starts=[{"when": "Out", "step": "c"}, {"when": "In", "step": "b"}],
    )
    flow = build_flow(data)
    assert flow.entries == ["c", "b"]
    assert flow.reachable() == {"b", "c"}
