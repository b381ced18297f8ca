"""Build networkx graphs from people and ties, and array views of them for the fast measures.

networkx stays the graph model; :class:`GraphArrays` is the array form (node order =
``list(G)``) that the igraph, numpy and scipy based measures share, made from a graph or
straight from stored tie columns (:meth:`GraphArrays.from_columns`: the same arrays without
building the graph). networkx and scipy are imported when first needed: a command that only
measures never loads them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person, Tie
from workbench.core.tasks import Progress, gc_paused

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

NODE_ATTRIBUTES = ("name", "department", "customer_facing", "segment", "role", "manager_id")
LIST_SLICE = 20_000  # rows per tolist() call: ~5 ms, so the window's thread waits no longer


def build_graph(
    people: Iterable[Person],
    ties: Iterable[Tie],
    directed: bool = True,
    tie_types: Collection[str] | None = None,
) -> nx.DiGraph | nx.Graph:
    """Graph of people (node id = person id) and ties (edge ``weight``).

    Repeated ties between the same pair are merged by summing their weights; self-ties are
    dropped. Only ties whose ``type`` is in ``tie_types`` are used when it is given. A tie
    with a negative weight is a signed tie (dislike, distrust): the measures are defined on
    positive ties, so it is left out and counted in ``G.graph["negative_ties"]``. Raises
    :class:`WorkbenchError` for duplicate person ids, ties naming unknown people, or weights
    that are zero or not finite numbers (ties are numbered from 1 in the order given).
    """
    numbered = [(number, tie) for number, tie in enumerate(ties, start=1)
                if tie_types is None or tie.type in tie_types]
    return graph_from_columns(
        people, [t.source for _, t in numbered], [t.target for _, t in numbered],
        [t.weight for _, t in numbered], directed, numbers=[n for n, _ in numbered],
    )


def graph_from_columns(
    people: Iterable[Person],
    sources: Sequence[str],
    targets: Sequence[str],
    weights: Sequence[object],
    directed: bool = True,
    numbers: Sequence[int] | None = None,
) -> nx.DiGraph | nx.Graph:
    """:func:`build_graph` for ties given as three parallel columns (tie ``i`` is numbered
    ``numbers[i]`` in messages, ``i + 1`` by default): the same graph, node order and
    neighbour order, merged and checked with numpy instead of once per tie in Python."""
    nodes: dict[str, dict] = {}
    for person in people:
        if person.id in nodes:
            raise WorkbenchError(f"Person id {person.id!r} appears more than once.")
        nodes[person.id] = {key: getattr(person, key) for key in NODE_ATTRIBUTES}
    ids = list(nodes)
    with gc_paused():
        pairs = _merged_pairs(ids, sources, targets, weights, directed, numbers)
        G = _assemble(nodes, ids, pairs.src, pairs.dst, pairs.weight.tolist(), directed)
    if pairs.negative:
        G.graph["negative_ties"] = pairs.negative
    return G


@dataclass(frozen=True)
class _Pairs:
    """Ties merged per pair (sources and targets as indices), in first-seen order, and the
    number of negative (signed) ties left out."""

    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    negative: int


def _merged_pairs(ids: list[str], sources: Sequence[str], targets: Sequence[str],
                  weights: Sequence[object], directed: bool,
                  numbers: Sequence[int] | None = None) -> _Pairs:
    """Checks the ties against ``ids``, drops self-ties and signed ties, and sums the weights
    of each pair (each unordered pair when not ``directed``, kept as first given)."""
    index = {person: i for i, person in enumerate(ids)}
    src = np.fromiter(map(index.get, sources, repeat(-1)), np.int64, len(sources))
    dst = np.fromiter(map(index.get, targets, repeat(-1)), np.int64, len(targets))
    known = (src >= 0) & (dst >= 0)
    weight = _checked_weights(weights, known, sources, targets, numbers)
    if not known.all():
        _raise_unknown(np.flatnonzero(~known), src, dst, sources, targets, numbers)
    negative = int(((src != dst) & (weight < 0)).sum())
    keep = (src != dst) & (weight > 0)
    src, dst, weight = src[keep], dst[keep], weight[keep]
    low, high = (src, dst) if directed else (np.minimum(src, dst), np.maximum(src, dst))
    _, first, inverse = np.unique(low * max(len(ids), 1) + high, return_index=True,
                                  return_inverse=True)
    # bincount adds each pair's weights in tie order, as a running sum from 0.0 would
    total = np.bincount(inverse.ravel(), weights=weight, minlength=len(first))
    order = np.argsort(first, kind="stable")  # pairs in first-seen order
    first = first[order]
    return _Pairs(src[first], dst[first], total[order], negative)


def _checked_weights(weights: Sequence[object], known: np.ndarray, sources: Sequence[str],
                     targets: Sequence[str], numbers: Sequence[int] | None) -> np.ndarray:
    """The weights as floats; raises for the first tie between known people whose weight is
    zero or not a finite number (a negative weight is a signed tie)."""
    if set(map(type, weights)) <= {float, int, bool}:
        values = np.asarray(weights, dtype=np.float64).reshape(len(weights))
    else:
        values = np.fromiter((w if isinstance(w, int | float) else np.nan for w in weights),
                             np.float64, len(weights))
    bad = known & (~np.isfinite(values) | (values == 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        number = numbers[i] if numbers is not None else i + 1
        raise WorkbenchError(
            f"Tie {number} ({sources[i]} -> {targets[i]}) has weight {weights[i]!r}; "
            "weights must be positive numbers (or negative for a signed tie)."
        )
    return values


def _raise_unknown(rows: np.ndarray, src: np.ndarray, dst: np.ndarray, sources: Sequence[str],
                   targets: Sequence[str], numbers: Sequence[int] | None) -> None:
    count = int((src < 0).sum() + (dst < 0).sum())
    shown: list[str] = []
    for i in rows[:5].tolist():
        number = numbers[i] if numbers is not None else i + 1
        shown.extend(f"tie {number}: {end!r}" for end, at in ((sources[i], src[i]),
                                                              (targets[i], dst[i])) if at < 0)
    text = "; ".join(shown[:5]) + (f" and {count - 5} more" if count > 5 else "")
    raise WorkbenchError(f"Ties name people who are not in the people list: {text}.")


def _assemble(nodes: dict[str, dict], ids: list[str], src: np.ndarray, dst: np.ndarray,
              weights: list[float], directed: bool) -> nx.DiGraph | nx.Graph:
    """The graph ``add_nodes_from(nodes)`` then ``add_weighted_edges_from`` would give (same
    node and neighbour order), with the adjacency dicts made per person instead of per tie.
    The graph is fresh, so it has no cached views to reset."""
    import networkx as nx

    G: nx.DiGraph | nx.Graph = nx.DiGraph() if directed else nx.Graph()
    G._node.update(nodes)
    data = [{"weight": w} for w in weights]  # one dict per edge, shared by both directions
    if directed:
        G._adj.update(zip(ids, _neighbour_dicts(ids, src, dst, data), strict=True))
        G._pred.update(zip(ids, _neighbour_dicts(ids, dst, src, data), strict=True))
    else:  # each edge enters both ends' dicts at its own turn: interleave u->v and v->u
        rows, cols = np.column_stack((src, dst)).ravel(), np.column_stack((dst, src)).ravel()
        both = [d for d in data for _ in range(2)]
        G._adj.update(zip(ids, _neighbour_dicts(ids, rows, cols, both), strict=True))
    return G


def as_list(values: np.ndarray) -> list:
    """``values.tolist()`` made a slice of rows at a time. One call holds the interpreter until
    it returns (60-80 ms for 100,000 pairs); between slices the app's window gets its turn."""
    if len(values) <= LIST_SLICE:
        return values.tolist()
    out: list = []
    for start in range(0, len(values), LIST_SLICE):
        out += values[start:start + LIST_SLICE].tolist()
    return out


def _neighbour_dicts(ids: list[str], rows: np.ndarray, cols: np.ndarray, data: list[dict]
                     ) -> list[dict[str, dict]]:
    """Per person (in ``ids`` order) the dict neighbour -> edge data of its rows, in the
    order the rows are given."""
    order = np.argsort(rows, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(ids))))).tolist()
    names = list(map(ids.__getitem__, as_list(cols[order])))
    values = list(map(data.__getitem__, as_list(order)))
    return [dict(zip(names[a:b], values[a:b], strict=True))
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


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
    import networkx as nx

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
    negative_ties: int = 0  # signed ties left out (``G.graph["negative_ties"]``)

    @classmethod
    def from_columns(cls, ids: list[str], sources: Sequence[str], targets: Sequence[str],
                     weights: Sequence[object], directed: bool = True) -> GraphArrays:
        """Exactly ``from_graph(graph_from_columns(people, ...))`` for people with these ids
        (same order of people and ties, same merged weights, same checks), without the graph.
        """
        if len(set(ids)) != len(ids):
            duplicate = next(p for p, n in Counter(ids).items() if n > 1)
            raise WorkbenchError(f"Person id {duplicate!r} appears more than once.")
        with gc_paused():
            pairs = _merged_pairs(ids, sources, targets, weights, directed)
        src, dst = pairs.src, pairs.dst
        if not directed:  # networkx lists an edge once, from its end that comes first
            src, dst = np.minimum(src, dst), np.maximum(src, dst)
        order = np.argsort(src, kind="stable")  # by person, each person's ties as first given
        return cls(ids, src[order], dst[order], pairs.weight[order], directed, pairs.negative)

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
        return cls(ids, src, dst, weight, G.is_directed(), G.graph.get("negative_ties", 0))

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

    def both_ways(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sources, targets and weights of the ties between two people, an undirected tie
        listed in both directions (as the adjacency matrix holds it)."""
        keep = self.src != self.dst
        src, dst, weight = self.src[keep], self.dst[keep], self.weight[keep]
        if self.directed:
            return src, dst, weight
        return (np.concatenate((src, dst)), np.concatenate((dst, src)),
                np.concatenate((weight, weight)))

    def adjacency(self, weighted: bool = False) -> sp.csr_array:
        """Adjacency matrix (row = tie source); symmetric for undirected graphs; no self-ties."""
        import scipy.sparse as sp

        src, dst, weight = self.both_ways()
        values = weight if weighted else np.ones(len(src))
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
    import scipy.sparse as sp

    mask, left, right = sp.csr_array(mask), sp.csr_array(left), sp.csr_array(right)
    out = np.zeros(left.shape[0])
    for start in range(0, left.shape[0], chunk_rows):
        if progress is not None:
            progress.update(start / left.shape[0])
        stop = min(start + chunk_rows, left.shape[0])
        block = (left[start:stop] @ right).multiply(mask[start:stop])
        out[start:stop] = np.asarray(block.sum(axis=1)).ravel()
    return out
