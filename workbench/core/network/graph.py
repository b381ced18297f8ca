"""Build networkx graphs from people and ties, and array views of them for the fast measures.

networkx stays the graph model; :class:`GraphArrays` is a one-off conversion (node order =
``list(G)``) that the igraph and scipy based measures share.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import chain

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.tasks import Progress, gc_paused

NODE_ATTRIBUTES = ("name", "department", "customer_facing", "segment", "role", "manager_id")


def build_graph(
    people: Iterable[Person],
    ties: Iterable[Tie],
    directed: bool = True,
    tie_types: Collection[str] | None = None,
) -> nx.DiGraph | nx.Graph:
    """Graph of people (node id = person id) and ties (edge ``weight``).

    Repeated ties between the same pair are merged by summing their weights; self-ties are
    dropped. Only ties whose ``type`` is in ``tie_types`` are used when it is given. Raises
    :class:`WorkbenchError` for duplicate person ids, ties naming unknown people, or weights
    that are not finite positive numbers.
    """
    G: nx.DiGraph | nx.Graph = nx.DiGraph() if directed else nx.Graph()
    nodes: dict[str, dict] = {}
    for person in people:
        if person.id in nodes:
            raise WorkbenchError(f"Person id {person.id!r} appears more than once.")
        nodes[person.id] = {key: getattr(person, key) for key in NODE_ATTRIBUTES}
    G.add_nodes_from(nodes.items())
    # Merge repeated ties in a plain dict first (first-seen order, as add_edge would keep),
    # then add each pair once: far cheaper than a networkx lookup and update per tie.
    merged: dict[tuple[str, str], float] = {}
    unknown: list[str] = []
    for number, tie in enumerate(ties, start=1):
        if tie_types is not None and tie.type not in tie_types:
            continue
        source, target, weight = tie.source, tie.target, tie.weight
        if source not in nodes or target not in nodes:
            unknown.extend(f"tie {number}: {end!r}" for end in (source, target)
                           if end not in nodes)
            continue
        if not (isinstance(weight, int | float) and math.isfinite(weight)) or weight <= 0:
            raise WorkbenchError(
                f"Tie {number} ({source} -> {target}) has weight {weight!r}; "
                "weights must be positive numbers."
            )
        if source == target:
            continue
        pair = (source, target) if directed or source <= target else (target, source)
        merged[pair] = merged.get(pair, 0.0) + float(weight)
    G.add_weighted_edges_from((s, t, w) for (s, t), w in merged.items())
    if unknown:
        shown = "; ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise WorkbenchError(f"Ties name people who are not in the people list: {shown}.")
    return G


def formal_graph(people: Iterable[Person]) -> nx.DiGraph:
    """Reporting lines as a graph: one edge manager -> report for every known manager id."""
    people = list(people)
    G = build_graph(people, [], directed=True)
    for person in people:
        manager = person.manager_id
        if manager and manager != person.id and manager in G:
            G.add_edge(manager, person.id, weight=1.0)
    return G


def undirected_projection(G: nx.Graph) -> nx.Graph:
    """Undirected copy of ``G`` where a pair's weight is the sum of its ties in both directions."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, w in G.edges(data="weight", default=1.0):
        if u == v:
            continue
        if H.has_edge(u, v):
            H[u][v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w)
    return H


@dataclass(frozen=True)
class GraphArrays:
    """Array form of a graph: node ids in ``list(G)`` order and edges as index arrays."""

    ids: list[str]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    directed: bool

    @classmethod
    def from_graph(cls, G: nx.Graph) -> GraphArrays:
        ids = list(G)
        index = {node: i for i, node in enumerate(ids)}
        with gc_paused():
            if G.is_directed():
                # G.adjacency() yields the plain neighbour dicts (no view object per node)
                adj = [nbrs for _, nbrs in G.adjacency()]
                counts = np.fromiter(map(len, adj), np.int64, len(ids))
                src = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
                dst = np.fromiter(map(index.__getitem__, chain.from_iterable(adj)), np.int64,
                                  len(src))
                weight = np.fromiter(
                    (d.get("weight", 1.0) for nbrs in adj for d in nbrs.values()),
                    np.float64, len(src),
                )
            else:
                edges = list(G.edges(data="weight", default=1.0))
                src = np.fromiter((index[e[0]] for e in edges), np.int64, len(edges))
                dst = np.fromiter((index[e[1]] for e in edges), np.int64, len(edges))
                weight = np.fromiter((e[2] for e in edges), np.float64, len(edges))
        bad = ~np.isfinite(weight) | (weight <= 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise WorkbenchError(
                f"Tie {ids[src[i]]} -> {ids[dst[i]]} has weight {weight[i]!r}; "
                "weights must be positive numbers."
            )
        return cls(ids, src, dst, weight, G.is_directed())

    @property
    def n(self) -> int:
        return len(self.ids)

    def subgraph(self, members: Iterable[str]) -> GraphArrays:
        """The arrays of ``G.subgraph(members)``, cut from these arrays instead of walking a
        networkx subgraph view; people keep their order in ``G`` (a view follows set order)."""
        position = {person: i for i, person in enumerate(self.ids)}
        kept = np.zeros(self.n, dtype=bool)
        kept[[position[p] for p in members if p in position]] = True
        renumber = np.cumsum(kept) - 1
        edges = kept[self.src] & kept[self.dst]
        return GraphArrays([p for p, k in zip(self.ids, kept.tolist(), strict=True) if k],
                           renumber[self.src[edges]], renumber[self.dst[edges]],
                           self.weight[edges], self.directed)

    def to_igraph(self) -> ig.Graph:
        """igraph copy with the same vertex order and a ``weight`` edge attribute."""
        with gc_paused():
            edges = np.column_stack((self.src, self.dst)).tolist()
            g = ig.Graph(n=self.n, edges=edges, directed=self.directed)
        g.es["weight"] = self.weight.tolist()
        return g

    def adjacency(self, weighted: bool = False) -> sp.csr_array:
        """Adjacency matrix (row = tie source); symmetric for undirected graphs; no self-ties."""
        keep = self.src != self.dst
        src, dst = self.src[keep], self.dst[keep]
        values = self.weight[keep] if weighted else np.ones(len(src))
        if not self.directed:
            src, dst = np.concatenate((src, dst)), np.concatenate((dst, src))
            values = np.concatenate((values, values))
        A = sp.csr_array((values, (src, dst)), shape=(self.n, self.n))
        A.sum_duplicates()
        return A


def masked_rowsum(
    mask: sp.csr_array, left: sp.csr_array, right: sp.csr_array, chunk_rows: int = 2048,
    progress: Progress | None = None,
) -> np.ndarray:
    """Row sums of ``mask * (left @ right)`` (elementwise), computed in row blocks.

    Only the entries under the mask are kept, so memory stays bounded even when the full
    product (all two-step neighbourhoods) would be large. ``progress`` is updated per block.
    """
    mask, left, right = sp.csr_array(mask), sp.csr_array(left), sp.csr_array(right)
    out = np.zeros(left.shape[0])
    for start in range(0, left.shape[0], chunk_rows):
        if progress is not None:
            progress.update(start / left.shape[0])
        stop = min(start + chunk_rows, left.shape[0])
        block = (left[start:stop] @ right).multiply(mask[start:stop])
        out[start:stop] = np.asarray(block.sum(axis=1)).ravel()
    return out
