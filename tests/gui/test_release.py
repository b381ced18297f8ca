"""Large results are freed a slice at a time, and only what nothing else holds is emptied."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from workbench.gui import release as module
from workbench.gui.release import Releaser


class Person:
    def __init__(self, name: str) -> None:
        self.name = name
        self.ties = {f"{name}-{i}": {"weight": float(i)} for i in range(5)}


@dataclass(frozen=True)
class Result:
    people: dict[str, Person]
    rows: list[dict]
    shared: list[int]


def _result(shared: list[int]) -> Result:
    return Result({f"p{i}": Person(f"p{i}") for i in range(3_000)},
                  [{"id": i} for i in range(3_000)], shared)


def test_a_big_result_is_freed_over_several_turns(qtbot, monkeypatch):
    monkeypatch.setattr(module, "STEP_ITEMS", 2_000)
    releaser = Releaser()
    result = _result([])
    people = [weakref.ref(p) for p in result.people.values()]
    releaser.release(result)
    del result
    alive = [sum(ref() is not None for ref in people)]
    assert alive == [3_000]  # nothing freed while the caller returns
    while releaser.pending:
        releaser.step()
        alive.append(sum(ref() is not None for ref in people))
    assert alive[-1] == 0
    # freed in many small steps, each within its budget (a person is a handful of objects)
    freed = [before - after for before, after in zip(alive, alive[1:], strict=False)]
    assert len(alive) > 10 and max(freed) <= 2_000
    assert not releaser.timer.isActive()


def test_the_timer_frees_it_while_the_event_loop_runs(qtbot):
    releaser = Releaser()
    result = _result([])
    probe = weakref.ref(next(iter(result.people.values())))
    releaser.release(result)
    del result
    assert probe() is not None and releaser.timer.isActive()
    qtbot.waitUntil(lambda: probe() is None and not releaser.pending, timeout=5_000)


def test_what_is_still_held_elsewhere_is_never_emptied(qtbot):
    releaser = Releaser()
    shared = list(range(1_000))
    result = _result(shared)
    kept_person = result.people["p7"]
    releaser.release(result)
    del result
    while releaser.pending:
        releaser.step()
    assert shared == list(range(1_000))  # held by the test: let go, not emptied
    assert kept_person.name == "p7" and len(kept_person.ties) == 5

    held = _result([])
    releaser.release(held)  # the caller keeps its own reference
    while releaser.pending:
        releaser.step()
    assert len(held.people) == 3_000 and len(held.rows) == 3_000
    assert held.people["p0"].ties["p0-4"] == {"weight": 4.0}


def _graph():
    import networkx as nx

    G = nx.DiGraph()
    G.add_edges_from((f"p{i}", f"p{(i * 7) % 2_000}", {"weight": 1.0}) for i in range(2_000))
    assert G.degree and G.edges  # cached views that hold the graph: a reference cycle
    return G


def test_a_graph_held_only_by_its_own_views_is_emptied_too(qtbot):
    import gc

    gc.disable()  # (the app collects on its own timer: only emptying frees this cycle)
    try:
        releaser = Releaser()
        G = _graph()
        probe = weakref.ref(G)
        releaser.release({"graph": G, "rows": list(range(100))})
        del G
        while releaser.pending:
            releaser.step()
        assert probe() is None

        G = _graph()
        edges = G.edges  # a view still used elsewhere keeps the graph whole
        releaser.release(G)
        del G
        while releaser.pending:
            releaser.step()
        assert len(edges) == 2_000 and ("p1", "p7") in edges
    finally:
        gc.enable()
