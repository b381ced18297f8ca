"""Group figures (size, density, E-I index, group x group ties) and Gould-Fernandez brokerage.

Brokerage roles carry plain names that do not collide with the method's own terms (its
"gatekeeper" holds insight back; its "coordinator" is the step-3 appointment): go-between
(Gould-Fernandez coordinator), receiver (gatekeeper), representative, outside adviser
(consultant) and liaison; :mod:`workbench.core.network.glossary` defines each.

Privacy rule: a group with fewer than ``min_group_size`` people has its figures suppressed
(None) and is flagged ``"small"``. Complementary suppression: when any group is hidden, further
groups (smallest first) are hidden too, flagged ``"complementary"``, until at least two groups
are hidden and the hidden groups together have at least ``min_group_size`` people. Subtracting
the shown groups from a network-wide total then only reveals the hidden groups together, never
one of them. Matrix cells that involve a hidden group are None. Network-wide figures are shown
only when the network itself has at least ``min_group_size`` people.

Ties are counted, not weighted; a tie is internal when both people are in the same group.
E-I index = (external - internal) / (external + internal), -1 = all ties inside, +1 = all outside.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.network.graph import GraphArrays, masked_rowsum
from workbench.core.wording import count

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

UNSET = "(not set)"
SMALLEST_ALLOWED = 3
BROKERAGE_ROLES = ("go_between", "receiver", "representative", "outside_adviser", "liaison")


@dataclass(frozen=True)
class GroupFigures:
    """Figures for one group; all None when ``suppressed`` says why they are hidden."""

    name: str
    size: int
    internal_ties: int | None
    external_ties: int | None
    density: float | None
    ei_index: float | None
    suppressed: str | None = None  # None, "small" or "complementary"


@dataclass(frozen=True)
class GroupReport:
    attribute: str
    min_group_size: int
    groups: dict[str, GroupFigures]
    overall_ei: float | None
    matrix: dict[str, dict[str, int | None]]  # from group -> to group -> ties
    notes: list[str]


def group_of(G: nx.Graph, person: str, attribute: str) -> str:
    """The person's group label (``"(not set)"`` when the attribute is empty)."""
    value = G.nodes[person].get(attribute)
    return UNSET if value is None or value == "" else str(value)


def group_report(
    G: nx.Graph, attribute: str = "department", min_group_size: int = 5,
    arrays: GraphArrays | None = None,
) -> GroupReport:
    """Size, internal density and E-I index per group, overall E-I and the group x group ties.

    For undirected graphs the matrix is symmetric (a tie between two groups shows in both
    cells). Raises :class:`WorkbenchError` when ``min_group_size`` is below 3.
    """
    if min_group_size < SMALLEST_ALLOWED:
        raise WorkbenchError(
            f"The smallest group size shown must be at least {SMALLEST_ALLOWED} "
            f"(got {min_group_size})."
        )
    arrays = arrays or GraphArrays.from_graph(G)
    counts = tie_counts(G, attribute, arrays)
    names, sizes, ties = counts.names, counts.sizes, counts.ties
    internal = np.diag(ties).copy()
    external = ties.sum(axis=0) + ties.sum(axis=1) - 2 * internal
    if not arrays.directed:
        ties = ties + ties.T - np.diag(internal)
    keep = arrays.src != arrays.dst
    hidden = _suppressed(sizes, min_group_size)
    position = {name: i for i, name in enumerate(names)}
    groups = {}
    for name in sorted(sizes, key=lambda g: (-sizes[g], g)):
        i = position[name]
        if name in hidden:
            groups[name] = GroupFigures(name, sizes[name], None, None, None, None, hidden[name])
            continue
        groups[name] = GroupFigures(
            name, sizes[name], int(internal[i]), int(external[i]),
            _density(int(internal[i]), sizes[name], arrays.directed),
            ei_index(int(external[i]), int(internal[i])),
        )
    total_internal = int(internal.sum())
    total_external = int(keep.sum()) - total_internal
    shown_overall = arrays.n >= min_group_size
    matrix = {
        a: {b: None if a in hidden or b in hidden else int(ties[position[a], position[b]])
            for b in groups}
        for a in groups
    }
    notes = []
    if hidden:
        notes.append(
            f"{count(len(hidden), 'group')} hidden: fewer than {min_group_size} people, or hidden "
            "as well so that a small group cannot be worked out from the totals."
        )
    return GroupReport(
        attribute, min_group_size, groups,
        ei_index(total_external, total_internal) if shown_overall else None, matrix, notes,
    )


@dataclass(frozen=True)
class TieCounts:
    """Ties from group to group (rows = from), self-ties left out, and people per group."""

    names: list[str]
    sizes: Counter[str]
    ties: np.ndarray


def tie_counts(G: nx.Graph, attribute: str = "department",
               arrays: GraphArrays | None = None) -> TieCounts:
    """Count ties between groups once; the basis of every group figure (no suppression)."""
    arrays = arrays or GraphArrays.from_graph(G)
    names, code = np.unique(
        np.asarray([group_of(G, p, attribute) for p in arrays.ids], dtype=str),
        return_inverse=True,
    )
    k = len(names)
    keep = arrays.src != arrays.dst
    ties = np.bincount(code[arrays.src[keep]] * k + code[arrays.dst[keep]], minlength=k * k)
    sizes = Counter(dict(zip(names.tolist(), np.bincount(code, minlength=k).tolist(),
                             strict=True)))
    return TieCounts(names.tolist(), sizes, ties.reshape(k, k))


def _suppressed(sizes: Counter[str], min_size: int) -> dict[str, str]:
    hidden = {g: "small" for g, size in sizes.items() if size < min_size}
    if not hidden:
        return hidden
    others = sorted((g for g in sizes if g not in hidden), key=lambda g: (sizes[g], g))
    for group in others:
        if len(hidden) >= 2 and sum(sizes[g] for g in hidden) >= min_size:
            break
        hidden[group] = "complementary"
    return hidden


def _density(internal: int, size: int, directed: bool) -> float | None:
    pairs = size * (size - 1) if directed else size * (size - 1) / 2
    return internal / pairs if pairs else None


def ei_index(external: int, internal: int) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def brokerage(G: nx.Graph, attribute: str = "department") -> dict[str, dict[str, int]]:
    """Gould-Fernandez brokerage counts per person.

    Counts every open two-path a -> b -> c (a != c, no tie a -> c) with b as the broker:
    go-between (a, b, c in one group), receiver (b with c, a outside), representative
    (b with a, c outside), outside adviser (a and c in one group, b in another) and liaison
    (three different groups). Undirected ties count in both directions.
    """
    arrays = GraphArrays.from_graph(G)
    counts = brokerage_counts(arrays, [group_of(G, p, attribute) for p in arrays.ids])
    return {
        person: {role: int(counts[role][i]) for role in BROKERAGE_ROLES}
        for i, person in enumerate(arrays.ids)
    }


def brokerage_counts(arrays: GraphArrays, labels: list[str]) -> dict[str, np.ndarray]:
    """Brokerage counts per role, aligned with ``arrays.ids``; ``labels`` = each one's group."""
    import scipy.sparse as sp

    n = arrays.n
    if n == 0:
        return {role: np.zeros(0) for role in BROKERAGE_ROLES}
    _, group = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    A = sp.csr_array((arrays.adjacency() > 0).astype(float))
    AT = sp.csr_array(A.T)
    onehot = sp.csr_array((np.ones(n), (np.arange(n), group)), shape=(n, group.max() + 1))
    by_pred, by_succ = sp.csr_array(AT @ onehot), sp.csr_array(A @ onehot)
    own = (np.arange(n), group)
    in_same, out_same = by_pred[own], by_succ[own]
    in_diff = np.asarray(AT.sum(axis=1)).ravel() - in_same
    out_diff = np.asarray(A.sum(axis=1)).ravel() - out_same
    same_pairs = np.asarray(by_pred.multiply(by_succ).sum(axis=1)).ravel()
    mutual = sp.csr_array(A.multiply(AT))

    def same(M):
        return _keep(M, group, equal=True)

    def diff(M):
        return _keep(M, group, equal=False)

    mutual_same = np.asarray(same(mutual).sum(axis=1)).ravel()
    mutual_diff = np.asarray(mutual.sum(axis=1)).ravel() - mutual_same
    adviser_all = same_pairs - in_same * out_same
    totals = {
        "go_between": in_same * out_same - mutual_same,
        "receiver": in_diff * out_same,
        "representative": in_same * out_diff,
        "outside_adviser": adviser_all - mutual_diff,
        "liaison": in_diff * out_diff - adviser_all,
    }
    closed = {  # a -> b -> c with the tie a -> c present: (mask on b->c, left b<-a, right a->c)
        "go_between": (same(A), same(AT), A),
        "receiver": (same(A), diff(AT), A),
        "representative": (diff(A), same(AT), A),
        "outside_adviser": (diff(A), diff(AT), same(A)),
        "liaison": (diff(A), diff(AT), diff(A)),
    }
    return {role: totals[role] - masked_rowsum(*closed[role]) for role in BROKERAGE_ROLES}


def _keep(M: sp.csr_array, group: np.ndarray, equal: bool) -> sp.csr_array:
    """Entries of ``M`` whose row and column people are (not) in the same group."""
    import scipy.sparse as sp

    C = sp.coo_array(M)
    keep = (group[C.row] == group[C.col]) == equal
    return sp.csr_array((C.data[keep], (C.row[keep], C.col[keep])), shape=M.shape)
