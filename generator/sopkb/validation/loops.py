"""Steps no call can get past: never reached, or looping for ever, within one SOP or across SOPs.

A hand-off (`goto: sop:b` or `sop:b#step`) is a way out of SOP A only if B's path can reach an
`end`: when B hands back to A and round again, an agent following the SOPs never finishes. So
the check runs on one graph over every SOP, whose nodes are (SOP, step) pairs.

Each problem is reported once, where it is: a loop inside B is B's problem (the in-SOP message),
so a step of A that enters B there counts as having a way out; so do hand-offs to an unknown or
unreadable SOP, and gotos naming a step that does not exist, since those have errors of their own.

Everything here is linear in steps + edges: searches go backwards from the ways out
(`flow.reaching`), and the loops a trapped step runs into are found as strongly connected
components (Tarjan's algorithm, with an explicit stack: no recursion limit on long SOPs).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.errors import Problem
from ..domain.flow import Edge, Flow, reaching
from . import once_per_document

if TYPE_CHECKING:
    from .references import LoadedSop

LOOPS = "leads nowhere: every path from it loops back without reaching `end`"
MAX_NAMED_SOPS = 5


@dataclass
class _Graph:
    """Nodes are ints; `node_of[(i, step)]` is step `step` of `items[i]`."""

    items: list[LoadedSop]
    node_of: dict[tuple[int, str], int] = field(default_factory=dict)
    owner: list[int] = field(default_factory=list)  # node -> index in items
    step: list[str] = field(default_factory=list)
    successors: list[list[int]] = field(default_factory=list)
    predecessors: list[list[int]] = field(default_factory=list)
    goals: list[int] = field(default_factory=list)  # nodes with a way out of the whole graph
    position: dict[int, int] = field(init=False)  # id(item) -> its index in items

    def __post_init__(self) -> None:
        self.position = {id(item): index for index, item in enumerate(self.items)}


def check_flows(items: list[LoadedSop], by_id: dict[str, LoadedSop]) -> list[Problem]:
    """`items`: SOPs whose flow is unambiguous (no duplicate step ids); `by_id`: every SOP by id,
    the first one of a duplicated id. Hand-offs to SOPs not in `items` count as ways out."""
    local = [once_per_document(item.doc, "loops", lambda item=item: _check_one(item)) for item in items]
    problems = [problem for found, _, _ in local for problem in found]
    alone, self_handed = _alone(items, by_id)
    across: dict[int, list[Problem]] = {}
    for index in sorted(alone):  # its loops across hand-offs are its own: worked out once per document

        def own(item: LoadedSop = items[index], found: tuple = local[index]) -> list[Problem]:
            graph = _build_graph([item], by_id, [found[2]])
            return [problem for _, problem in _cross_sop_loops(graph, [found[1]])]

        name = f"loops across, alone {index in self_handed}"
        across[index] = once_per_document(items[index].doc, name, own)
    joined = [index for index in range(len(items)) if index not in alone]
    graph = _build_graph([items[i] for i in joined], by_id, [local[i][2] for i in joined])
    for owner, problem in _cross_sop_loops(graph, [local[i][1] for i in joined]):
        across.setdefault(joined[owner], []).append(problem)
    return problems + [problem for index in sorted(across) for problem in across[index]]


def _alone(items: list[LoadedSop], by_id: dict[str, LoadedSop]) -> tuple[set[int], set[int]]:
    """The SOPs (by index) that hand off to no other SOP of `items` and that none hands off to:
    the loops across hand-offs they can be in are within themselves (a hand-off to their own
    steps), so they are checked alone. And those of them that do hand off to themselves."""
    position = {id(item): index for index, item in enumerate(items)}
    handed: list[set[int]] = []
    for item in items:
        named = hand_offs(item)
        handed.append({position[id(by_id[s])] for s in named if s in by_id and id(by_id[s]) in position})
    entered = {target for index, targets in enumerate(handed) for target in targets if target != index}
    alone = {index for index, targets in enumerate(handed) if targets <= {index} and index not in entered}
    return alone, {index for index in alone if index in handed[index]}


def hand_offs(item: LoadedSop) -> frozenset[str]:
    """The ids of the SOPs the flow hands off to: once per document."""
    return once_per_document(item.doc, "hand-offs", lambda: frozenset(_hand_offs(item.flow)))


def _hand_offs(flow: Flow) -> Iterator[str]:
    for edges in flow.edges.values():
        for edge in edges:
            if edge.target.kind == "sop" and edge.target.sop:
                yield edge.target.sop


def _build_graph(items: list[LoadedSop], by_id: dict[str, LoadedSop], can_exit: list[set[str]]) -> _Graph:
    """One graph over every SOP. Steps trapped inside their own SOP are ways out: their loop is
    reported in their SOP, and a hand-off into it is not reported again."""
    graph = _Graph(items)
    for index, item in enumerate(items):
        for step in item.flow.edges:
            _add_node(graph, index, step)
    for index, item in enumerate(items):
        graph.goals += [graph.node_of[(index, s)] for s in item.flow.edges if s not in can_exit[index]]
        _add_edges(graph, index, item, by_id)
    return graph


def _cross_sop_loops(graph: _Graph, reached: list[set[str]]) -> list[tuple[int, Problem]]:
    """Steps that have a way out of their own SOP, but none that ever reaches an `end`: each
    problem with its SOP's index in the graph's items."""
    trapped = _trapped(graph)
    if not trapped:
        return []
    problems = []
    loop_of = _loops_reached(graph, trapped)
    sops_on: dict[int, set[str]] = {}  # per closed loop (by id): computed once, however many reach it
    for node in sorted(trapped):
        item = graph.items[graph.owner[node]]
        if graph.step[node] not in reached[graph.owner[node]]:
            continue  # reported as never reached
        loop = loop_of[node]
        if id(loop) not in sops_on:
            sops_on[id(loop)] = {graph.items[graph.owner[n]].sop.id for n in loop}
        message = LOOPS + _through(item.sop.id, sops_on[id(loop)])
        problems.append((graph.owner[node], _problem(item, graph.step[node], message)))
    return problems


def _check_one(item: LoadedSop) -> tuple[list[Problem], set[str], set[str]]:
    """The in-SOP checks: (problems, steps reached from the start, steps with a way out)."""
    problems: list[Problem] = []
    flow = item.flow
    reachable = flow.reachable()
    can_exit = flow.exits_reachable()
    for step_id in flow.step_paths:
        if step_id not in reachable:
            problems.append(_problem(item, step_id, "is never reached: no step or branch leads to it"))
        elif step_id not in can_exit:
            problems.append(_problem(item, step_id, LOOPS))
    return problems, reachable, can_exit


def _problem(item: LoadedSop, step_id: str, what: str) -> Problem:
    return item.doc.problem((*item.flow.step_paths[step_id], "id"), f"step {step_id!r} {what}")


def _add_node(graph: _Graph, index: int, step: str) -> None:
    graph.node_of[(index, step)] = len(graph.owner)
    graph.owner.append(index)
    graph.step.append(step)
    graph.successors.append([])
    graph.predecessors.append([])


def _add_edges(graph: _Graph, index: int, item: LoadedSop, by_id: dict[str, LoadedSop]) -> None:
    """A step's `call` adds no edge: the called procedure comes back (call cycles are checked in
    `procedures.py`), so a calling step goes on where its branches or `next` say."""
    for step, edges in item.flow.edges.items():
        node = graph.node_of[(index, step)]
        for edge in edges:
            targets = _targets(graph, index, edge, by_id)
            if not targets:
                graph.goals.append(node)
            for target in targets:
                graph.successors[node].append(target)
                graph.predecessors[target].append(node)


def _targets(graph: _Graph, index: int, edge: Edge, by_id: dict[str, LoadedSop]) -> list[int]:
    """The nodes an edge leads to, or none when it leads out (an end, a procedure outside the KB,
    or something reported). A hand-off to an SOP with several starts leads to each of them."""
    target = edge.target
    if target.kind == "step":
        node = graph.node_of.get((index, target.step or ""))
        return [] if node is None else [node]
    if target.kind != "sop":
        return []
    other = by_id.get(target.sop or "")
    where = graph.position.get(id(other)) if other is not None else None
    if other is None or where is None:
        return []
    steps = [target.step] if target.step else other.flow.entries
    nodes = [graph.node_of.get((where, step)) for step in steps]
    if any(node is None for node in nodes):
        return []  # a step that does not exist: reported on its own
    return [node for node in nodes if node is not None]


def _trapped(graph: _Graph) -> set[int]:
    """Nodes from which no path reaches a way out."""
    can_exit = reaching(graph.goals, graph.predecessors)
    return set(range(len(graph.owner))) - can_exit


def _loops_reached(graph: _Graph, trapped: set[int]) -> dict[int, list[int]]:
    """For each trapped node, the nodes of one closed loop it runs into (the nearest one).

    Every successor of a trapped node is trapped, so following any path from one ends in a
    closed loop: a strongly connected component with no edge out. A search backwards from all
    closed loops at once labels each node with the first loop to reach it.
    """
    components = strongly_connected(sorted(trapped), graph.successors, trapped)
    component_of = {node: c for c, members in enumerate(components) for node in members}
    closed = [
        members
        for c, members in enumerate(components)
        if all(component_of.get(n) == c for m in members for n in graph.successors[m])
    ]
    closed.sort(key=min)
    loop_of: dict[int, list[int]] = {}
    queue: deque[int] = deque()
    for members in closed:
        for node in members:
            loop_of[node] = members
            queue.append(node)
    while queue:
        node = queue.popleft()
        for before in graph.predecessors[node]:
            if before in trapped and before not in loop_of:
                loop_of[before] = loop_of[node]
                queue.append(before)
    return loop_of


def strongly_connected(
    nodes: Sequence[int], successors: Sequence[Iterable[int]], inside: set[int]
) -> list[list[int]]:
    """Tarjan's strongly connected components of the subgraph on `inside`, without recursion.

    Components come out in reverse topological order (a component after every one it leads to).
    Each node's successors are asked for once and walked once: linear in nodes + edges.
    """
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []

    def enter(node: int) -> tuple[int, Iterator[int]]:
        order[node] = low[node] = len(order)
        stack.append(node)
        on_stack.add(node)
        return node, iter(successors[node])

    for root in nodes:
        if root in order:
            continue
        work = [enter(root)]
        while work:
            node, after = work[-1]
            nxt = next(after, None)
            if nxt is not None:
                if nxt not in inside:
                    continue
                if nxt not in order:
                    work.append(enter(nxt))
                elif nxt in on_stack:
                    low[node] = min(low[node], order[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                components.append(_pop_component(stack, on_stack, node))
    return components


def _pop_component(stack: list[int], on_stack: set[int], root: int) -> list[int]:
    members = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        members.append(member)
        if member == root:
            return members


def _through(own: str, sops: set[str]) -> str:
    """` (through SOP 'b')`: the other SOPs on the loop; or the hand-off that makes an SOP loop
    into itself, which its own check (hand-offs count as ways out) cannot see."""
    others = sorted(sops - {own})
    if not others:
        return f" (through a hand-off back into SOP {own!r})"
    return f" (through SOP{'s' if len(others) > 1 else ''} {_names(others)})"


def _names(ids: list[str]) -> str:
    quoted = [repr(i) for i in ids[:MAX_NAMED_SOPS]]
    if len(ids) > MAX_NAMED_SOPS:
        return f"{', '.join(quoted)} and {len(ids) - MAX_NAMED_SOPS} more"
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
