"""Build networkx graphs from people and ties, and array views of them for the fast measures.

networkx stays the graph model; :class:`GraphArrays` is a one-off conversion (node order =
``list(G)``) that the igraph and scipy based measures share.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass

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
    for person in people:
        if person.id in G:
            raise WorkbenchError(f"Person id {person.id!r} appears more than once.")
        G.add_node(person.id, **{key: getattr(person, key) for key in NODE_ATTRIBUTES})
    unknown: list[str] = []
    for number, tie in enumerate(ties, start=1):
        if tie_types is not None and tie.type not in tie_types:
            continue
        missing = [end for end in (tie.source, tie.target) if end not in G]
        if missing:
            unknown.extend(f"tie {number}: {end!r}" for end in missing)
            continue
        if not (isinstance(tie.weight, int | float) and math.isfinite(tie.weight)) or (
            tie.weight <= 0
        ):
            raise WorkbenchError(
                f"Tie {number} ({tie.source} -> {tie.target}) has weight {tie.weight!r}; "
                "weights must be positive numbers."
            )
        if tie.source == tie.target:
            continue
        data = G.get_edge_data(tie.source, tie.target)
        weight = float(tie.weight) + (data["weight"] if data else 0.0)
        G.add_edge(tie.source, tie.target, weight=weight)
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
                adj = G.adj
                counts = np.fromiter((len(nbrs) for nbrs in adj.values()), np.int64, len(ids))
                src = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
                dst = np.fromiter((index[v] for nbrs in adj.values() for v in nbrs), np.int64,
                                  len(src))
                weight = np.fromiter(
                    (d.get("weight", 1.0) for nbrs in adj.values() for d in nbrs.values()),
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
