"""Time the network-analysis core on generated organisations and compare with plain networkx.

Usage: python benchmarks/bench_metrics.py [--sizes 1k 10k 50k] [--no-networkx] [--exact]
Each size runs in a fresh process so its peak memory (max RSS) is its own. Prints a table and
writes benchmarks/results/bench_metrics.json. ``--exact`` times instead, per size and back to
back (best of ``--repeat``, wall and CPU seconds of this process and its workers): all measures
sampled and exact, and the exact betweenness + closeness alone as before (one whole igraph call
each) and now: in one process, in two, and as many as are idle (``auto``); results in
bench_metrics_exact.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZES = {"1k": (1_000, 10_000), "10k": (10_000, 100_000), "50k": (50_000, 500_000)}
RESULTS = Path(__file__).resolve().parent / "results"


def generate(people: int, ties: int, seed: int = 1, departments: int = 20):
    """Directed organisation graph: 70 % of ties inside the department, popular people
    (Zipf-like) attract more ties; department, customer-facing and manager attributes."""
    import networkx as nx
    import numpy as np

    rng = np.random.default_rng(seed)
    dept = rng.integers(0, departments, people)
    popularity = 1.0 / (1 + rng.permutation(people)) ** 0.6
    members = [np.flatnonzero(dept == d) for d in range(departments)]
    weights = [popularity[m] / popularity[m].sum() for m in members]
    everyone = popularity / popularity.sum()
    draw = int(ties * 1.15)
    src = rng.integers(0, people, draw)
    inside = rng.random(draw) < 0.7
    dst = rng.choice(people, size=draw, p=everyone)
    for d in range(departments):
        pick = inside & (dept[src] == d)
        dst[pick] = rng.choice(members[d], size=int(pick.sum()), p=weights[d])
    pairs = np.unique(np.column_stack((src, dst))[src != dst], axis=0)
    pairs = pairs[rng.permutation(len(pairs))[:ties]]
    G = nx.DiGraph()
    for i in range(people):
        G.add_node(f"p{i}", name=f"Person {i}", department=f"D{dept[i]:02d}",
                   customer_facing=bool(rng.random() < 0.2), segment="", role="",
                   manager_id=None)
    G.add_edges_from((f"p{a}", f"p{b}", {"weight": float(w)})
                     for (a, b), w in zip(pairs, rng.integers(1, 4, len(pairs)), strict=True))
    return G


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(label: str, with_networkx: bool) -> dict:
    from workbench.core.network.findings import find_patterns
    from workbench.core.network.groups import group_report
    from workbench.core.network.metrics import compute_metrics

    people, ties = SIZES[label]
    G, build = timed(generate, people, ties)
    base = peak_mb()
    metrics, t_metrics = timed(compute_metrics, G)
    findings, t_findings = timed(find_patterns, G, metrics)
    _, t_groups = timed(group_report, G)
    row = {
        "size": label, "people": G.number_of_nodes(), "ties": G.number_of_edges(),
        "generate_s": build, "metrics_s": t_metrics, "findings_s": t_findings,
        "groups_s": t_groups, "total_s": t_metrics + t_findings + t_groups,
        "peak_rss_mb": peak_mb(), "rss_before_analysis_mb": base,
        "notes": metrics.notes, "communities": metrics.network["communities"],
        "modularity": metrics.network["modularity"], "findings": len(findings.findings),
    }
    if with_networkx and people <= 10_000:
        row["networkx"] = networkx_times(G, sampled=people > 5000)
    return row


EXACT_RUNS = ("sampled", "exact", "paths_before", "paths_1_process", "paths_2_processes",
              "paths_auto")


def run_exact(label: str, repeat: int) -> dict:
    """Wall and CPU seconds of the measures sampled and exact, and of the exact paths alone."""
    from workbench.core.network.exact_paths import auto_workers, available_cores, exact_paths
    from workbench.core.network.graph import GraphArrays
    from workbench.core.network.metrics import compute_metrics

    people, ties = SIZES[label]
    G = generate(people, ties)
    g = GraphArrays.from_graph(G).to_igraph()
    runs = dict(zip(EXACT_RUNS, (
        lambda: compute_metrics(G), lambda: compute_metrics(G, exact=True),
        lambda: (g.betweenness(), g.harmonic_centrality(mode="in", normalized=False)),
        lambda: exact_paths(g, workers=1), lambda: exact_paths(g, workers=2),
        lambda: exact_paths(g)), strict=True))
    best: dict[str, float] = {}
    for _ in range(repeat):  # interleaved, so a busy spell hits every variant alike
        for name, run in runs.items():
            cpu = cpu_seconds()
            wall = timed(run)[1]
            if wall < best.get(name, float("inf")):
                best[name], best[f"{name}_cpu"] = wall, cpu_seconds() - cpu
    return {"size": label, "people": people, "ties": G.number_of_edges(),
            "cores": available_cores(), "load_average": os.getloadavg()[0],
            "auto_workers": auto_workers(people, ties), **best}


def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the worker processes)."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def networkx_times(G, sampled: bool) -> dict:
    """Plain-networkx time of the same measures (None = skipped as infeasible)."""
    import networkx as nx

    U = G.to_undirected()
    jobs = {
        "pagerank": lambda: nx.pagerank(G, weight="weight"),
        "eigenvector": lambda: nx.eigenvector_centrality(U, weight="weight", max_iter=1000),
        "betweenness": (lambda: nx.betweenness_centrality(G, k=256, seed=42)) if sampled
        else (lambda: nx.betweenness_centrality(G)),
        "harmonic_closeness": None if sampled else (lambda: nx.harmonic_centrality(G)),
        "constraint": None if sampled else (lambda: nx.constraint(G, weight="weight")),
        "clustering": lambda: nx.clustering(U),
        "louvain": lambda: nx.community.louvain_communities(U, weight="weight", seed=42),
    }
    times = {name: (timed(job)[1] if job else None) for name, job in jobs.items()}
    times["total_s"] = sum(t for t in times.values() if t is not None)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1k", "10k"], choices=list(SIZES))
    parser.add_argument("--no-networkx", action="store_true")
    parser.add_argument("--exact", action="store_true", help="time the exact measures")
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant with --exact")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        row = run_exact(args.one, args.repeat) if args.exact else run_size(
            args.one, not args.no_networkx)
        print(json.dumps(row))
        return
    if args.exact:
        exact_table(args.sizes, args.repeat)
        return
    rows = []
    for label in args.sizes:
        command = [sys.executable, __file__, "--one", label]
        if args.no_networkx:
            command.append("--no-networkx")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
    print(f"{'size':>5} {'people':>7} {'ties':>8} {'metrics':>8} {'findings':>8} "
          f"{'groups':>7} {'total':>7} {'peak MB':>8} {'networkx':>9} {'ratio':>6}")
    for r in rows:
        nx_total = r.get("networkx", {}).get("total_s")
        ratio = f"{nx_total / r['metrics_s']:.1f}x" if nx_total else "n/a"
        nx_text = f"{nx_total:.2f}" if nx_total else "n/a"
        print(f"{r['size']:>5} {r['people']:>7} {r['ties']:>8} {r['metrics_s']:>8.2f} "
              f"{r['findings_s']:>8.2f} {r['groups_s']:>7.2f} {r['total_s']:>7.2f} "
              f"{r['peak_rss_mb']:>8.0f} {nx_text:>9} {ratio:>6}")
        for note in r["notes"]:
            print(f"      {note}")
        if "networkx" in r:
            parts = ", ".join(f"{k} {v:.2f}s" if v is not None else f"{k} n/a"
                              for k, v in r["networkx"].items() if k != "total_s")
            print(f"      networkx: {parts}")
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "bench_metrics.json"
    target.write_text(json.dumps({"machine": platform.platform(), "python": sys.version,
                                  "rows": rows}, indent=2))
    print(f"written {target}")


def _cell(row: dict, name: str) -> str:
    text = f"{row[name]:.2f} ({row[name + '_cpu']:.1f})"
    return f"{text:>17}"


def exact_table(sizes: list[str], repeat: int) -> None:
    rows = []
    for label in sizes:
        command = [sys.executable, __file__, "--one", label, "--exact", "--repeat", str(repeat)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
    print("wall seconds (CPU seconds); paths = exact betweenness + harmonic closeness alone")
    print(f"{'size':>5} {'cores':>5} {'load':>5} {'auto':>4} "
          + " ".join(f"{n:>17}" for n in EXACT_RUNS) + f" {'before/auto':>11}")
    for r in rows:
        cells = " ".join(_cell(r, n) for n in EXACT_RUNS)
        print(f"{r['size']:>5} {r['cores']:>5} {r['load_average']:>5.1f} {r['auto_workers']:>4} "
              f"{cells} {r['paths_before'] / r['paths_auto']:>10.2f}x")
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "bench_metrics_exact.json"
    target.write_text(json.dumps({"machine": platform.platform(), "python": sys.version,
                                  "repeat": repeat, "rows": rows}, indent=2))
    print(f"written {target}")


if __name__ == "__main__":
    main()
