"""The bare script `workbench import` + `workbench analyse` are measured against.

Usage: python benchmarks/bare_igraph.py PEOPLE.csv TIES.csv STORE.sqlite OUT.csv

Does the same work as the two commands, written as tightly as csv, sqlite3 and igraph allow:
reads the people CSV (first column the id) and the ties CSV (source, target, weight, type) with
the csv module; checks ids (blank, duplicate) and ties (unknown person, self-tie, weight);
stores people and ties in a new SQLite file with ``executemany``; builds an igraph Graph and
computes in-/out-degree, PageRank, eigenvector (undirected projection), Burt constraint,
betweenness and harmonic closeness both sampled from the same 256 sources
(``betweenness(sources=...)``, ``distances`` from the sources), Louvain communities
(``community_multilevel``); writes one CSV row per person. Like the app, it runs igraph's
PageRank on one OpenMP thread (spinning threads make it 20 times slower on a busy machine,
for both alike). Prints the seconds of each step as
one JSON line, wall (NAME_s) and CPU (NAME_cpu) (the process start-up is what its caller
measures around it).
"""

import time

START = time.perf_counter(), time.process_time()

import os  # noqa: E402

os.environ.setdefault("OMP_NUM_THREADS", "1")  # as the app does: PRPACK's spinning threads
import csv  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402

import igraph as ig  # noqa: E402
import numpy as np  # noqa: E402

SAMPLE_SIZE = 256
SEED = 42


class Steps(dict):
    """Wall and CPU seconds of each step since the previous one."""

    def __init__(self) -> None:
        super().__init__()
        self.mark = START

    def done(self, name: str) -> None:
        now = time.perf_counter(), time.process_time()
        self[f"{name}_s"], self[f"{name}_cpu"] = now[0] - self.mark[0], now[1] - self.mark[1]
        self.mark = now


def main(people_path: str, ties_path: str, store_path: str, out_path: str) -> dict:
    steps = Steps()
    steps.done("modules")

    # read and check
    with open(people_path, encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        people, index, problems = [], {}, 0
        for row in rows:
            person = row[0].strip() if row else ""
            if not person or person in index:
                problems += 1
                continue
            index[person] = len(people)
            people.append(row)
    edges: dict[tuple[int, int], float] = {}
    with open(ties_path, encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for source, target, weight, _relation in rows:
            a, b = index.get(source.strip()), index.get(target.strip())
            try:
                w = float(weight)
            except ValueError:
                w = 0.0
            if a is None or b is None or a == b or w <= 0:
                problems += 1
                continue
            edges[a, b] = edges.get((a, b), 0.0) + w
    steps.done("read_check")

    # store
    db = sqlite3.connect(store_path)
    db.execute("PRAGMA synchronous=FULL")  # the durability of a project file
    columns = ", ".join(f'"{c}" TEXT' for c in header[1:])
    db.execute(f"CREATE TABLE person (id INTEGER PRIMARY KEY, person_id TEXT UNIQUE, {columns})")
    db.execute("CREATE TABLE tie (network_id INTEGER, source INTEGER, target INTEGER, "
               "weight REAL)")
    with db:
        db.executemany(f"INSERT INTO person VALUES (NULL, {', '.join('?' * len(header))})",
                       ([p.strip() for p in row] for row in people))
        db.executemany("INSERT INTO tie VALUES (1, ?, ?, ?)",
                       ((a + 1, b + 1, w) for (a, b), w in edges.items()))
    db.close()
    steps.done("store")

    # graph and measures
    n = len(people)
    g = ig.Graph(n=n, edges=list(edges), directed=True, edge_attrs={"weight": list(edges.values())})
    u = g.as_undirected(mode="collapse", combine_edges="sum")
    steps.done("graph")
    in_degree, out_degree = g.indegree(), g.outdegree()
    pagerank = g.pagerank(damping=0.85, weights="weight", directed=True)
    eigenvector = u.eigenvector_centrality(scale=False)
    constraint = g.constraint(weights=None)
    sources = random.Random(SEED).sample(range(n), min(SAMPLE_SIZE, n))
    betweenness = np.zeros(n)
    closeness = np.zeros(n)
    for chunk in range(0, len(sources), 32):
        batch = sources[chunk:chunk + 32]
        betweenness += g.betweenness(directed=True, sources=batch)
        dist = np.asarray(g.distances(source=batch, mode="out"))
        with np.errstate(divide="ignore"):
            closeness += np.where(dist > 0, 1.0 / dist, 0.0).sum(axis=0)
    k = max(len(sources), 1)
    betweenness /= k * max(n - 2, 1)
    closeness *= (n - 1) / k
    steps.done("measures")
    communities = u.community_multilevel(weights="weight").membership
    steps.done("communities")

    # write
    ids = [row[0].strip() for row in people]
    with open(out_path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["id", "in_degree", "out_degree", "betweenness", "pagerank", "eigenvector",
                      "closeness_harmonic", "burt_constraint", "community"])
        out.writerows(zip(ids, in_degree, out_degree, betweenness.tolist(), pagerank,
                          eigenvector, closeness.tolist(), constraint, communities, strict=True))
    steps.done("write")
    return {**steps, "people": n, "ties": len(edges), "problems": problems,
            "communities": max(communities, default=-1) + 1}


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    print(json.dumps(main(*sys.argv[1:])))
