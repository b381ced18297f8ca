"""Community detection (Louvain, Leiden with the modularity objective) that repeats run to run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np

from workbench.core.network.graph import GraphArrays, as_list
from workbench.core.network.igraph_rng import seeded_igraph
from workbench.core.tasks import gc_paused

if TYPE_CHECKING:
    import networkx as nx

METHODS = ("leiden", "louvain")


@dataclass(frozen=True)
class Partition:
    """Community of each person; community 0 is the largest (ties broken by first member)."""

    membership: dict[str, int]
    modularity: float
    method: str
    resolution: float
    seed: int

    @property
    def sizes(self) -> list[int]:
        counts = Counter(self.membership.values())
        return [counts[c] for c in range(len(counts))]

    def members(self) -> list[list[str]]:
        """People of each community, community index = list position."""
        groups: list[list[str]] = [[] for _ in self.sizes]
        for person, community in self.membership.items():
            groups[community].append(person)
        return groups


def undirected_igraph(arrays: GraphArrays) -> ig.Graph:
    """igraph undirected projection: a pair's weight is the sum of its ties in both directions."""
    src, dst, weight = arrays.both_ways()  # an undirected tie counts in both directions
    low, high = np.minimum(src, dst), np.maximum(src, dst)
    pairs, inverse = np.unique(low * max(arrays.n, 1) + high, return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=weight, minlength=len(pairs))
    with gc_paused():
        edges = as_list(np.column_stack(np.divmod(pairs, max(arrays.n, 1))))
        g = ig.Graph(n=arrays.n, edges=edges, directed=False)
    g.es["weight"] = as_list(total)
    return g


def detect_communities(
    G: nx.Graph,
    method: str = "leiden",
    resolution: float = 1.0,
    seed: int = 42,
    arrays: GraphArrays | None = None,
) -> Partition:
    """Communities of the undirected, weighted projection of ``G`` and their modularity.

    Leiden runs with the modularity objective until stable. The same graph, method,
    resolution and seed always give the same partition (igraph's random generator is seeded
    for the duration of the call, so do not run two detections at once in different threads).
    """
    arrays = arrays or GraphArrays.from_graph(G)
    return partition_projection(undirected_igraph(arrays), arrays.ids, method, resolution, seed)


def partition_projection(
    u: ig.Graph, ids: list[str], method: str, resolution: float, seed: int
) -> Partition:
    """Communities of an undirected igraph projection whose vertex i is ``ids[i]``."""
    if method not in METHODS:
        raise ValueError(f"unknown community method {method!r}; use one of {METHODS}")
    with seeded_igraph(seed):
        if method == "leiden":
            clustering = u.community_leiden(
                objective_function="modularity", weights="weight", resolution=resolution,
                n_iterations=-1,
            )
        else:
            clustering = u.community_multilevel(weights="weight", resolution=resolution)
    labels = _relabel_by_size(np.asarray(clustering.membership, dtype=np.int64))
    modularity = (
        u.modularity(labels.tolist(), weights="weight", resolution=resolution)
        if u.ecount() else 0.0
    )
    return Partition(
        dict(zip(ids, labels.tolist(), strict=True)), float(modularity), method, resolution, seed
    )


def _relabel_by_size(raw: np.ndarray) -> np.ndarray:
    """Renumber communities so 0 is the largest; equal sizes keep first-appearance order."""
    if len(raw) == 0:
        return raw
    _, first, inverse, counts = np.unique(
        raw, return_index=True, return_inverse=True, return_counts=True
    )
    order = np.lexsort((first, -counts))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse]


@dataclass(frozen=True)
class DepartmentOverlap:
    """How communities line up with an attribute such as department."""

    community_departments: dict[int, dict[str, int]]  # community -> department -> people
    crossing: list[int]  # communities with people from two or more departments
    dominant_share: dict[int, float]  # share of each community from its largest department
    agreement: float  # adjusted Rand index between communities and departments


def compare_with_departments(
    G: nx.Graph, partition: Partition, attribute: str = "department"
) -> DepartmentOverlap:
    """Cross-tabulate communities with departments (or another node attribute)."""
    table: dict[int, Counter[str]] = {}
    for person, community in partition.membership.items():
        table.setdefault(community, Counter())[str(G.nodes[person].get(attribute) or "")] += 1
    crossing = sorted(c for c, depts in table.items() if len(depts) >= 2)
    share = {c: max(d.values()) / sum(d.values()) for c, d in table.items()}
    people = list(partition.membership)
    agreement = _adjusted_rand(
        [partition.membership[p] for p in people],
        [str(G.nodes[p].get(attribute) or "") for p in people],
    )
    return DepartmentOverlap(
        {c: dict(table[c]) for c in sorted(table)}, crossing, share, agreement
    )


def _adjusted_rand(a: list, b: list) -> float:
    """Adjusted Rand index of two labelings (1 = identical grouping, ~0 = unrelated)."""
    n = len(a)
    if n < 2:
        return 1.0

    def pairs(counts) -> float:
        c = np.asarray(list(counts), dtype=float)
        return float((c * (c - 1) / 2).sum())

    joint = pairs(Counter(zip(a, b, strict=True)).values())
    pa, pb = pairs(Counter(a).values()), pairs(Counter(b).values())
    expected = pa * pb / (n * (n - 1) / 2)
    top = (pa + pb) / 2
    return 1.0 if top == expected else (joint - expected) / (top - expected)
