"""Network map: layout time at 1k and 5k people, and frames per second while panning at 5k.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_network_view.py
Panning is timed offscreen: N programmatic scroll steps, each followed by a full repaint.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report, timed  # noqa: E402

from workbench.core.network.layout import force_layout  # noqa: E402

STEPS = 60


os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _graph(n: int) -> nx.DiGraph:
    G = nx.gnm_random_graph(n, 5 * n, seed=7, directed=True)
    G = nx.relabel_nodes(G, lambda i: f"p{i}")
    for i, person in enumerate(G):
        G.nodes[person].update(name=f"Person {i}", department=f"Dept {i % 12}")
    for u, v in G.edges():
        G[u][v]["weight"] = 1.0
    return G


def _pan_fps(G: nx.DiGraph, positions) -> float:
    from PySide6.QtWidgets import QApplication

    from workbench.core.analysis import AnalysisParams, NetworkAnalysis
    from workbench.core.network.communities import compare_with_departments
    from workbench.core.network.findings import find_patterns
    from workbench.core.network.groups import group_report
    from workbench.core.network.metrics import compute_metrics
    from workbench.gui.network_map import NetworkMap

    app = QApplication.instance() or QApplication([])
    metrics = compute_metrics(G)
    analysis = NetworkAnalysis(
        None, AnalysisParams(), G, metrics, find_patterns(G, metrics), group_report(G),
        compare_with_departments(G, metrics.partition), positions, None, "")
    view = NetworkMap()
    view.resize(1200, 800)
    view.show()
    view.set_analysis(analysis)
    view.zoom(3)
    app.processEvents()
    bar = view.horizontalScrollBar()
    start = time.perf_counter()
    for step in range(STEPS):
        bar.setValue(bar.minimum() + (bar.maximum() - bar.minimum()) * step // STEPS)
        view.viewport().repaint()
    fps = STEPS / (time.perf_counter() - start)
    view.close()
    view.set_analysis(None)
    return fps


def main() -> None:
    rows = []
    for n in (1000, 5000):
        G = _graph(n)
        seconds, positions = timed(lambda G=G: force_layout(G))
        row = {"people": n, "ties": G.number_of_edges(), "layout_s": seconds}
        if n == 5000:
            row["pan_fps"] = _pan_fps(G, positions)
        rows.append(row)
    report("bench_network_view", rows)


if __name__ == "__main__":
    main()
