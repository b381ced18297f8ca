"""End to end: people + ties CSV -> validated import saved in a new .owb -> full analysis,
against a tight script doing the same work with csv + igraph + sqlite3 directly.

Usage: python benchmarks/bench_end_to_end.py [--sizes 10k 50k] [--profile STEP]

For each size a seeded organisation is written as a people CSV and a single-relation ties CSV
(70 % of ties inside the department, popular people attract more ties). Each run -- ours
and the baseline -- happens in its own subprocess so its peak resident memory (ru_maxrss) is
its own. "import" is reading + checking both files and saving them into a new project;
"analyse" is ``analyse_network(..., use_cache=False)`` (measures, communities, layout,
findings, group report). The baseline reads the CSVs with the csv module, checks ids and
self-ties, builds an igraph Graph, saves people and ties with sqlite3 ``executemany``, then
computes PageRank, betweenness (exact up to 5,000 people, else from the same 256 sampled
sources as ours via ``betweenness(sources=...)``), harmonic closeness (same rule, from
``distances`` of those sources), eigenvector, Burt constraint and Leiden.
Prints a table with the ratio ours / baseline and writes benchmarks/results/end_to_end.json.
``--profile import|analyse`` runs ours at the first size under cProfile instead.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from common import report  # noqa: E402

SIZES = {"2k": (2_000, 20_000), "10k": (10_000, 100_000), "50k": (50_000, 500_000)}
DEPARTMENTS = 20
EXACT_LIMIT = 5000  # same rule as workbench.core.network.metrics.compute_metrics
SAMPLE_SIZE = 256
SEED = 42


# -- input files ------------------------------------------------------------------------------

def write_inputs(folder: Path, people: int, ties: int, seed: int = 1) -> tuple[Path, Path]:
    """A people CSV and a ties CSV (one relation: advice) for a seeded organisation."""
    import numpy as np

    rng = np.random.default_rng(seed)
    dept = rng.integers(0, DEPARTMENTS, people)
    popularity = 1.0 / (1 + rng.permutation(people)) ** 0.6
    members = [np.flatnonzero(dept == d) for d in range(DEPARTMENTS)]
    draw = int(ties * 1.15)
    src = rng.integers(0, people, draw)
    inside = rng.random(draw) < 0.7
    dst = rng.choice(people, size=draw, p=popularity / popularity.sum())
    for d in range(DEPARTMENTS):
        pick = inside & (dept[src] == d)
        p = popularity[members[d]]
        dst[pick] = rng.choice(members[d], size=int(pick.sum()), p=p / p.sum())
    pairs = np.unique(np.column_stack((src, dst))[src != dst], axis=0)
    pairs = pairs[rng.permutation(len(pairs))[:ties]]
    weights = rng.integers(1, 4, len(pairs))
    customer = rng.random(people) < 0.2
    people_path, ties_path = folder / f"people_{people}.csv", folder / f"ties_{ties}.csv"
    with open(people_path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "email", "department", "role", "manager_id", "location",
                      "customer_facing", "segment"])
        for i in range(people):
            manager = f"e{i // 8}" if i else ""
            out.writerow([f"e{i}", f"Person {i}", f"e{i}@example.com", f"D{dept[i]:02d}",
                          "Staff", manager, "Oslo", "yes" if customer[i] else "no", ""])
    with open(ties_path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "target", "weight", "type"])
        out.writerows((f"e{a}", f"e{b}", int(w), "advice")
                      for (a, b), w in zip(pairs.tolist(), weights.tolist(), strict=True))
    return people_path, ties_path


# -- ours -----------------------------------------------------------------------------------

def run_ours(people_path: str, ties_path: str, project_path: str) -> dict:
    """Import through workbench.core.importing, then analyse without the cache."""
    start = time.perf_counter()
    from workbench.core import importing
    from workbench.core.analysis import analyse_network
    from workbench.core.project import Project
    modules_s = time.perf_counter() - start

    steps: dict[str, float] = {}
    start = time.perf_counter()
    project = Project.create(project_path, client="bench")
    try:
        people_plan = importing.read_people_file(project, people_path)
        steps["read_people_s"] = time.perf_counter() - start
        mark = time.perf_counter()
        roster = importing.roster_after(project, people_plan)
        ties_plan = importing.read_ties_file(project, ties_path, roster=roster)
        steps["read_ties_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        plan = importing.combine(people_plan, ties_plan)
        summary = importing.apply_import(project, plan, accept_valid=True)
        steps["save_s"] = time.perf_counter() - mark
        import_s = time.perf_counter() - start
        import_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        analysis = analyse_network(project, use_cache=False)
        analyse_s = time.perf_counter() - start
    finally:
        project.close()
    return {"modules_s": modules_s, "import_s": import_s, "analyse_s": analyse_s, **steps,
            "ties": sum(summary.networks.values()), "people": summary.added,
            "communities": analysis.metrics.network["communities"],
            "import_peak_mb": import_rss,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# -- baseline -----------------------------------------------------------------------------------

def run_baseline(people_path: str, ties_path: str, db_path: str) -> dict:
    """The same work written tightly against csv, igraph and sqlite3."""
    start = time.perf_counter()
    import sqlite3

    import igraph as ig
    import numpy as np
    modules_s = time.perf_counter() - start

    start = time.perf_counter()
    with open(people_path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        people = [r for r in rows if r and r[0].strip()]
    index: dict[str, int] = {}
    for r in people:
        index.setdefault(r[0].strip(), len(index))
    edges: dict[tuple[int, int], float] = {}
    with open(ties_path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for source, target, weight, _type in rows:
            a, b = index.get(source.strip()), index.get(target.strip())
            if a is None or b is None or a == b:
                continue
            w = float(weight)
            if w > 0:
                edges[a, b] = edges.get((a, b), 0.0) + w
    g = ig.Graph(n=len(index), edges=list(edges), directed=True)
    g.es["weight"] = list(edges.values())
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, person_id TEXT UNIQUE, name TEXT, "
               "email TEXT, department TEXT, role TEXT, manager_id TEXT, location TEXT, "
               "customer_facing INTEGER, segment TEXT)")
    db.execute("CREATE TABLE tie (id INTEGER PRIMARY KEY, network_id INTEGER, source TEXT, "
               "target TEXT, weight REAL)")
    db.execute("CREATE INDEX tie_network ON tie (network_id)")
    with db:
        db.executemany("INSERT OR IGNORE INTO person (person_id, name, email, department, role, "
                       "manager_id, location, customer_facing, segment) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       ((r[0], r[1], r[2], r[3], r[4], r[5] or None, r[6], r[7] == "yes", r[8])
                        for r in people))
        ids = list(index)
        db.executemany("INSERT INTO tie (network_id, source, target, weight) VALUES (1, ?, ?, ?)",
                       ((ids[a], ids[b], w) for (a, b), w in edges.items()))
    db.close()
    import_s = time.perf_counter() - start
    import_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    n = g.vcount()
    pagerank = g.pagerank(damping=0.85, weights="weight", directed=True)
    if n <= EXACT_LIMIT:
        betweenness = g.betweenness(directed=True)
        closeness = g.harmonic_centrality(mode="in", normalized=False)
    else:
        sources = [index[p] for p in random.Random(SEED).sample(ids, SAMPLE_SIZE)]
        betweenness = np.zeros(n)
        for chunk in range(0, SAMPLE_SIZE, 32):
            betweenness += g.betweenness(directed=True, sources=sources[chunk:chunk + 32])
        closeness = np.zeros(n)
        for chunk in range(0, SAMPLE_SIZE, 32):
            dist = np.asarray(g.distances(source=sources[chunk:chunk + 32], mode="out"))
            with np.errstate(divide="ignore"):
                closeness += np.where(dist > 0, 1.0 / dist, 0.0).sum(axis=0)
    u = g.as_undirected(mode="collapse", combine_edges="sum")
    eigenvector = u.eigenvector_centrality(weights=None)
    constraint = g.constraint(weights=None)
    ig.set_random_number_generator(random.Random(SEED))
    leiden = u.community_leiden(objective_function="modularity", weights="weight",
                                n_iterations=-1)
    analyse_s = time.perf_counter() - start
    assert len(pagerank) == len(betweenness) == len(closeness) == len(eigenvector) == len(
        constraint) == n
    return {"modules_s": modules_s, "import_s": import_s, "analyse_s": analyse_s,
            "ties": len(edges), "people": n, "communities": len(leiden),
            "import_peak_mb": import_rss,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# -- driver -----------------------------------------------------------------------------------

def child(kind: str, people_path: str, ties_path: str, out_path: str) -> None:
    run = run_ours if kind == "ours" else run_baseline
    print(json.dumps(run(people_path, ties_path, out_path)))


def in_subprocess(kind: str, people_path: Path, ties_path: Path, out_path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(people_path),
                           str(ties_path), str(out_path)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile(step: str, people_path: Path, ties_path: Path, folder: Path) -> None:
    import cProfile
    import pstats

    from workbench.core import importing
    from workbench.core.analysis import analyse_network
    from workbench.core.project import Project

    project = Project.create(folder / "profiled.owb")
    profiler = cProfile.Profile()

    def do_import():
        people_plan = importing.read_people_file(project, people_path)
        roster = importing.roster_after(project, people_plan)
        ties_plan = importing.read_ties_file(project, ties_path, roster=roster)
        importing.apply_import(project, importing.combine(people_plan, ties_plan),
                               accept_valid=True)

    if step == "import":
        profiler.runcall(do_import)
    else:
        do_import()
        profiler.runcall(analyse_network, project, use_cache=False)
    project.close()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "50k"], choices=list(SIZES))
    parser.add_argument("--profile", choices=("import", "analyse"))
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            people_path, ties_path = write_inputs(folder, *SIZES[size])
            if args.profile:
                profile(args.profile, people_path, ties_path, folder)
                return
            ours = in_subprocess("ours", people_path, ties_path, folder / f"{size}.owb")
            base = in_subprocess("baseline", people_path, ties_path, folder / f"{size}.db")
            for kind, result in (("ours", ours), ("baseline", base)):
                rows.append({"size": size, "run": kind, "people": result["people"],
                             "ties": result["ties"],
                             **{k: round(v, 3) for k, v in result.items()
                                if k.endswith(("_s", "_mb"))},
                             "total_s": round(result["import_s"] + result["analyse_s"], 3)})
            ratio = {key: round(ours[key] / base[key], 2)
                     for key in ("import_s", "analyse_s")}
            ratio["total_s"] = round((ours["import_s"] + ours["analyse_s"])
                                     / (base["import_s"] + base["analyse_s"]), 2)
            rows.append({"size": size, "run": "ours / baseline", **ratio,
                         "peak_mb": round(ours["peak_mb"] / base["peak_mb"], 2)})
    report("end_to_end", rows)
    print("targets: 10k import < 3 s, 10k total within 1.5x of baseline; "
          "50k total < 30 s and peak < 2048 MB")


if __name__ == "__main__":
    main()
