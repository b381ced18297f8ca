"""Exact betweenness and harmonic closeness split over worker processes: the same values as one
whole igraph call, progress per chunk, Cancel leaving no child process, the --exact CLI flag."""

from __future__ import annotations

import csv
import multiprocessing
import os
import signal
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.network.exact_paths import MAX_LEVELS, MESSAGE, exact_paths, harmonic_in
from workbench.core.network.graph import GraphArrays
from workbench.core.network.metrics import compute_metrics, exact_cost
from workbench.core.project import Project
from workbench.core.tasks import Cancelled, Progress


def org(people: int, ties: int, directed: bool = True, seed: int = 3) -> nx.Graph:
    """A random organisation with string ids and weights, and a few isolated people."""
    G = nx.gnm_random_graph(people - 5, ties, seed=seed, directed=directed)
    G.add_nodes_from(range(people - 5, people))
    G = nx.relabel_nodes(G, {i: f"p{i}" for i in G})
    for i, (_a, _b, data) in enumerate(G.edges(data=True)):
        data["weight"] = 1.0 + i % 3
    return G


def children() -> list[str]:
    """Processes (zombies included) whose parent is this test process, as "pid state command",
    apart from multiprocessing's resource tracker (one per program, it ends with it)."""
    mine, found = str(os.getpid()), []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            fields = (folder / "stat").read_text().rsplit(")", 1)[1].split()
            command = (folder / "cmdline").read_text().replace("\0", " ")
        except OSError:  # the process ended while we looked
            continue
        if fields[1] == mine and "multiprocessing.resource_tracker" not in command:
            found.append(f"{folder.name} {fields[0]} {command}")
    return found


@pytest.mark.parametrize("directed", [True, False])
def test_parallel_exact_equals_one_whole_igraph_call(directed):
    g = GraphArrays.from_graph(org(1500, 15_000, directed)).to_igraph()
    seen: list[tuple[float, str]] = []
    betweenness, harmonic = exact_paths(g, Progress(lambda f, m: seen.append((f, m))), workers=2)
    np.testing.assert_allclose(betweenness, g.betweenness(directed=directed), rtol=1e-12)
    np.testing.assert_allclose(harmonic, g.harmonic_centrality(mode="in", normalized=False),
                               rtol=1e-12)
    assert betweenness.max() > 0 and harmonic[-1] == 0  # the last person is isolated
    done = [f for f, m in seen if m.startswith(MESSAGE) and m.endswith("people done")]
    assert len(set(done)) >= 4 and done == sorted(done) and done[-1] == 1.0  # per chunk
    assert "1,500 of 1,500 people done" in seen[-1][1]
    assert children() == []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_network_too_deep_for_bit_searches_gets_igraph_closeness(workers):
    chain = nx.path_graph([f"p{i}" for i in range(MAX_LEVELS + 40)], create_using=nx.DiGraph)
    g = GraphArrays.from_graph(chain).to_igraph()
    edges = np.asarray(g.get_edgelist())
    assert harmonic_in(g.vcount(), edges, True) is None
    assert harmonic_in(g.vcount(), edges[: MAX_LEVELS - 1], True) is not None  # shorter chain
    betweenness, harmonic = exact_paths(g, workers=workers)
    np.testing.assert_allclose(harmonic, g.harmonic_centrality(mode="in", normalized=False))
    np.testing.assert_allclose(betweenness, g.betweenness())
    assert children() == []


def test_exact_above_the_limit_equals_the_serial_exact_path_and_says_so():
    G = org(1500, 15_000)
    serial = compute_metrics(G, workers=1)  # 1,500 people: exact, in this process
    parallel = compute_metrics(G, exact_limit=100, exact=True, workers=2)
    for key in serial.columns:  # the others are the same code (PageRank wobbles near 1e-12)
        rtol = 1e-12 if key in ("betweenness", "closeness_harmonic") else 1e-9
        np.testing.assert_allclose(parallel.columns[key], serial.columns[key], rtol=rtol,
                                   equal_nan=True, err_msg=key)
    assert parallel.standard_error == {} and serial.notes == []
    assert parallel.notes == ["Betweenness and harmonic closeness are exact: computed from "
                              "every one of the 1,500 people, not from a sample."]
    sampled = compute_metrics(G, exact_limit=100)
    assert [n.split(" estimated")[0] for n in sampled.notes] == ["Betweenness",
                                                                  "Harmonic closeness"]
    assert not np.allclose(sampled.columns["betweenness"], serial.columns["betweenness"])


def test_cancel_stops_the_workers_and_leaves_no_child_process():
    g = GraphArrays.from_graph(org(1500, 15_000)).to_igraph()
    progress = Progress()
    messages: list[str] = []

    def on_update(fraction: float, message: str) -> None:
        messages.append(message)
        if fraction > 0:  # the first chunk came back from a worker
            progress.cancel()

    progress._callback = on_update
    with pytest.raises(Cancelled):
        exact_paths(g, progress, workers=2)
    assert any(m.startswith(MESSAGE) for m in messages)
    assert multiprocessing.active_children() == []
    assert children() == []


def test_a_worker_that_dies_gives_a_plain_error_and_no_leftover_process():
    g = GraphArrays.from_graph(org(1500, 15_000)).to_igraph()
    killed: list[int] = []

    def kill_a_worker(_fraction: float, _message: str) -> None:
        workers = multiprocessing.active_children()
        if workers and not killed:
            killed.append(workers[0].pid)
            os.kill(workers[0].pid, signal.SIGKILL)  # as the out-of-memory killer would

    with pytest.raises(WorkbenchError, match="a helper process ended unexpectedly"):
        exact_paths(g, Progress(kill_a_worker), workers=2)
    assert killed and children() == []


def test_exact_cost_names_the_time_at_that_size():
    assert "already exact for 300 people" in exact_cost(300, 3000)
    text = exact_cost(10_000, 100_000)
    assert "every one of the 10,000 people" in text and "100,000 ties" in text
    assert " s for 100,000 ties" in text and "for the estimate" in text
    assert "minutes" in exact_cost(50_000, 500_000)


def test_cli_exact_flag_gives_exact_values_and_a_note(tmp_path, capsys):
    G = org(5100, 15_000, seed=8)
    path = tmp_path / "big.owb"
    with Project.create(path) as project:
        project.people.add_many(Person(p, department="AB"[i % 2]) for i, p in enumerate(G))
        project.networks.add("advice", [Tie(a, b, w) for a, b, w in G.edges(data="weight")],
                             type="advice")
    reference = compute_metrics(G, exact=True, workers=1)
    outputs = {}
    for flags in ([], ["--exact"]):  # the second run must not reuse the sampled measures
        out = tmp_path / f"m{len(flags)}.csv"
        assert main(["analyse", str(path), *flags, "--out", str(out)]) == 0
        with open(out, newline="", encoding="utf-8") as handle:
            outputs[bool(flags)] = {r["id"]: r for r in csv.DictReader(handle)}
        outputs[f"printed {bool(flags)}"] = capsys.readouterr().out
    assert "Betweenness estimated from 256 sampled people" in outputs["printed False"]
    assert "are exact: computed from every one of the 5,100 people" in outputs["printed True"]
    assert "estimated" not in outputs["printed True"]
    exact = outputs[True]
    for key in ("betweenness", "closeness_harmonic"):
        expected = [reference.value(p, key) for p in reference.ids]
        np.testing.assert_allclose([float(exact[p][key]) for p in reference.ids], expected,
                                   rtol=1e-9)
        assert [float(outputs[False][p][key]) for p in reference.ids] != pytest.approx(expected)
