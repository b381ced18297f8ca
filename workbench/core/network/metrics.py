"""Per-person and whole-network measures, computed with igraph/scipy from one conversion.

Conventions (matching networkx, which the tests use as the reference):

* betweenness: shortest paths counted by hops, normalised like
  ``nx.betweenness_centrality(normalized=True)``; exact (split over the cores by
  :mod:`~workbench.core.network.exact_paths`) up to ``exact_limit`` people or when ``exact`` is
  asked for, otherwise estimated from ``sample_size`` random sources (drawn like networkx's
  ``k``/``seed`` sampling) and a standard error per person is estimated from eight batches.
* closeness_harmonic: ``nx.harmonic_centrality`` (sum of 1 / incoming hop distance, not
  normalised); estimated from the same sources above ``exact_limit``.
* eigenvector: ``nx.eigenvector_centrality`` of the unweighted undirected projection
  (``G.to_undirected()``), unit Euclidean norm.
* pagerank: alpha 0.85, weighted, dangling people spread uniformly (``nx.pagerank``).
* burt_constraint: ``nx.constraint`` (unweighted, networkx's default); effective_size:
  ``nx.effective_size`` with weights (mutual weights of both directions); both undefined (None)
  for isolated people.

The `workbench analyse` CSV columns are therefore the networkx defaults, apart from the two
choices the contract names: betweenness normalised, eigenvector on the undirected projection.
* clustering: ``nx.clustering`` of the unweighted undirected projection.
* reciprocity: ``nx.reciprocity`` per person; None for isolated people.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING

import numpy as np

from workbench.core.network.communities import (
    METHODS,
    Partition,
    partition_projection,
    undirected_igraph,
)
from workbench.core.network.exact_paths import (
    auto_workers,
    available_cores,
    estimated_seconds,
    exact_paths,
)
from workbench.core.network.graph import GraphArrays, masked_rowsum
from workbench.core.network.igraph_rng import seeded_igraph
from workbench.core.network.second_process import SecondProcess
from workbench.core.tasks import Progress, ensure_progress, others_may_wait

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

METRIC_KEYS = (
    "in_degree", "out_degree", "weighted_in_degree", "weighted_out_degree", "betweenness",
    "closeness_harmonic", "eigenvector", "pagerank", "burt_constraint", "effective_size",
    "clustering", "reciprocity",
)
CSV_COLUMNS = (
    "id", "in_degree", "out_degree", "betweenness", "pagerank", "eigenvector",
    "closeness_harmonic", "burt_constraint", "community", "role",
)
BATCHES = 8
EXACT_LIMIT = 5000  # people; above this betweenness and closeness are sampled unless asked
SAMPLE_SIZE = 256
CALL_WORK = 1_000_000  # people + ties visited per igraph call (one search per source)


@dataclass(frozen=True)
class MetricsResult:
    """Measures for every person (``columns[key][i]`` belongs to ``ids[i]``; NaN = undefined)."""

    ids: list[str]
    columns: dict[str, np.ndarray]
    network: dict[str, float | int]
    partition: Partition
    notes: list[str] = field(default_factory=list)
    standard_error: dict[str, np.ndarray] = field(default_factory=dict)  # sampled measures only
    arrays: GraphArrays | None = None

    @cached_property
    def index(self) -> dict[str, int]:
        return {person: i for i, person in enumerate(self.ids)}

    @cached_property
    def per_person(self) -> dict[str, dict[str, float | None]]:
        """person id -> metric key -> value (None where the measure is undefined)."""
        table = {key: values_or_none(values) for key, values in self.columns.items()}
        return {
            person: {key: table[key][i] for key in self.columns}
            for i, person in enumerate(self.ids)
        }

    def value(self, person: str, key: str) -> float | None:
        v = float(self.columns[key][self.index[person]])
        return None if np.isnan(v) else v


def values_or_none(values: np.ndarray) -> list[float | None]:
    """A measure's values as a list, None where it is undefined (NaN)."""
    listed = values.tolist()
    if not np.isnan(values).any():
        return listed
    return [None if v != v else v for v in listed]  # NaN is the one value unequal to itself


def compute_metrics(
    G: nx.Graph | GraphArrays,
    progress: Progress | None = None,
    exact_limit: int = EXACT_LIMIT,
    sample_size: int = SAMPLE_SIZE,
    seed: int = 42,
    community_method: str = "leiden",
    resolution: float = 1.0,
    exact: bool = False,
    workers: int | None = None,
    keys: Collection[str] = METRIC_KEYS,
) -> MetricsResult:
    """Compute the per-person measures in ``keys`` (all by default) and the whole-network
    summary of ``G`` (a graph, or its arrays).

    Betweenness and harmonic closeness are exact up to ``exact_limit`` people (at any size when
    ``exact``; ``workers`` processes, None = as many as worth it) and estimated from
    ``sample_size`` sources above it (the notes say which, and the expected error). Raises
    :class:`~workbench.core.tasks.Cancelled` between measures once cancelled.
    """
    if community_method not in METHODS:
        raise ValueError(f"unknown community method {community_method!r}; use one of {METHODS}")
    progress = ensure_progress(progress)
    progress.update(0.0, "Preparing the network")
    arrays = G if isinstance(G, GraphArrays) else GraphArrays.from_graph(G)
    n = arrays.n
    g = arrays.to_igraph()
    columns: dict[str, np.ndarray] = {}
    errors: dict[str, np.ndarray] = {}
    notes: list[str] = []
    if negative := arrays.negative_ties:
        notes.append(f"{negative:,} negative (signed) {'tie' if negative == 1 else 'ties'}, "
                     "e.g. dislike, left out: every measure here counts the positive ties only.")

    progress.update(0.05, "Counting ties")
    columns.update((key, values) for key, values in _degrees(arrays).items() if key in keys)
    if "reciprocity" in keys:
        columns["reciprocity"] = _reciprocity(arrays.adjacency(weighted=False), arrays.directed)

    sampled = not exact and n > exact_limit and n > sample_size
    sources = _sample_sources(arrays.ids, sample_size, seed) if sampled else None
    progress.update(0.1, "Bridge scores (betweenness)")
    paths: _SampledPaths | None = None
    if sources is None:
        raw, columns["closeness_harmonic"] = exact_paths(g, progress.sub(0.1, 0.6), workers)
        columns["betweenness"] = _normalised_betweenness(raw, arrays.directed)
        if n > exact_limit:
            notes.append(f"Betweenness and harmonic closeness are exact: computed from every "
                         f"one of the {n:,} people, not from a sample.")
    else:
        paths = _SampledPaths(g, arrays.directed, sources, progress)
    u = undirected_igraph(arrays)  # after the fork: only this process needs it
    try:
        if paths is not None:
            first = paths.start(progress)
            if not paths.second.apart:  # all here, in the order of the progress
                paths.finish(first, columns, errors, notes)
        _influence_and_holes(g, u, arrays, keys, columns, progress)
        progress.update(0.8, "Communities")
        partition = partition_projection(u, arrays.ids, community_method, resolution, seed)
        if paths is not None and paths.second.apart:  # it has had all of that time
            paths.finish(first, columns, errors, notes, replay=False)
    finally:
        if paths is not None:
            paths.second.close()
    progress.update(0.95, "Network summary")
    network = _network_summary(g, n, partition)
    progress.update(1.0, "Measures ready")
    columns = {key: columns[key] for key in METRIC_KEYS if key in columns}
    return MetricsResult(arrays.ids, columns, network, partition, notes, errors, arrays)


class _SampledPaths:
    """Sampled bridge scores and reach: half the bridge scores' batches here now, the other
    half and the reach in a second process where a command can fork (see
    :mod:`~workbench.core.network.second_process`), else here when finished."""

    def __init__(self, g, directed: bool, sources: np.ndarray, progress: Progress) -> None:
        self.g, self.directed, self.sources = g, directed, sources
        self.batches = _batches(sources)
        self.half = len(self.batches) // 2
        self.second = SecondProcess(
            partial(_second_core_paths, g, directed, self.batches[self.half:], sources),
            progress.sub(0.3, 0.6))

    def start(self, progress: Progress) -> np.ndarray:
        """The first half of the bridge scores, here (raw, one row per batch)."""
        first = _batch_betweenness(self.g, self.directed, self.batches[:self.half],
                                   progress.sub(0.1, 0.3))
        progress.update(0.3, "Bridge scores and reach (harmonic closeness)")
        return first

    def finish(self, first: np.ndarray, columns: dict[str, np.ndarray],
               errors: dict[str, np.ndarray], notes: list[str], replay: bool = True) -> None:
        """Both halves and the reach into ``columns``, their errors and notes."""
        rest, closeness = self.second.result(replay)
        columns["betweenness"], errors["betweenness"] = _betweenness_estimate(
            np.vstack((first, rest)), self.batches, self.directed)
        columns["closeness_harmonic"], errors["closeness_harmonic"] = closeness
        k = len(self.sources)
        notes.append(_sampling_note("Betweenness", k, errors["betweenness"],
                                    columns["betweenness"]))
        notes.append(_sampling_note("Harmonic closeness", k, errors["closeness_harmonic"],
                                    columns["closeness_harmonic"]))


def _influence_and_holes(g, u, arrays: GraphArrays, keys: Collection[str],
                         columns: dict[str, np.ndarray], progress: Progress) -> None:
    """Eigenvector, PageRank, constraint, and effective size and clustering when in ``keys``."""
    progress.update(0.6, "Influence (eigenvector, PageRank)")
    columns["eigenvector"] = _eigenvector(u)
    columns["pagerank"] = (
        np.asarray(g.pagerank(damping=0.85, weights="weight", directed=arrays.directed))
        if arrays.n else np.zeros(0)
    )
    progress.update(0.7, "Structural holes (constraint, effective size)")
    columns["burt_constraint"] = np.asarray(g.constraint(weights=None), dtype=float)
    if "effective_size" in keys:
        columns["effective_size"] = _effective_size(arrays.adjacency(weighted=True),
                                                    progress.sub(0.72, 0.8))
    if "clustering" in keys:
        columns["clustering"] = np.asarray(
            u.transitivity_local_undirected(mode="zero"), dtype=float
        ) if arrays.n else np.zeros(0)


def exact_cost(people: int, ties: int) -> str:
    """What asking for exact measures costs on a network of this size, in plain words."""
    if people <= EXACT_LIMIT:
        return (f"Betweenness and harmonic closeness are already exact for {people:,} people "
                f"(they are estimated from a sample only above {EXACT_LIMIT:,}).")
    cores, used = available_cores(), auto_workers(people, ties)
    return (f"Compute betweenness and harmonic closeness from every one of the {people:,} "
            f"people instead of estimating them from {SAMPLE_SIZE}: about "
            f"{_duration(estimated_seconds(people, ties))} for {ties:,} ties using {used} of "
            f"this computer's {cores} {'core' if cores == 1 else 'cores'} (those not busy now), "
            f"against about "
            f"{_duration(estimated_seconds(people, ties, SAMPLE_SIZE))} for the estimate.")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(round(seconds), 1)} s"
    return f"{round(seconds / 60)} minutes"


def _sample_sources(ids: list[str], k: int, seed: int) -> np.ndarray:
    """Source indices drawn the way networkx draws ``k`` sampled sources for ``seed``."""
    position = {person: i for i, person in enumerate(ids)}
    return np.asarray([position[p] for p in random.Random(seed).sample(ids, k)])


def _normalised_betweenness(raw: np.ndarray, directed: bool) -> np.ndarray:
    n = len(raw)
    if n <= 2:
        return np.zeros(n)
    pairs = (n - 1) * (n - 2)
    return raw / pairs if directed else 2 * raw / pairs


def _betweenness_sampled(g, directed: bool, sources: np.ndarray, progress: Progress):
    """Estimate and standard error, scaled like networkx's ``k`` sampling."""
    batches = _batches(sources)
    return _betweenness_estimate(_batch_betweenness(g, directed, batches, progress), batches,
                                 directed)


def _batches(sources: np.ndarray) -> list[np.ndarray]:
    """The sampled sources in the batches the standard error is estimated from."""
    return np.array_split(sources, min(BATCHES, len(sources)))


def _batch_betweenness(g, directed: bool, batches: list[np.ndarray], progress: Progress
                       ) -> np.ndarray:
    """Raw betweenness from the sources of each batch (one row per batch)."""
    raw = np.zeros((len(batches), g.vcount()))
    for b, batch in enumerate(batches):
        progress.update(b / len(batches), "Bridge scores (betweenness, sampled)")
        for call in _short_calls(batch, g):
            raw[b] += g.betweenness(directed=directed, sources=call)
    return raw


def _betweenness_estimate(raw: np.ndarray, batches: list[np.ndarray], directed: bool):
    n = raw.shape[1]
    raw = raw * (1.0 if directed else 2.0)  # networkx counts undirected pairs both ways
    in_batch = np.zeros((len(batches), n), dtype=bool)
    for b, batch in enumerate(batches):
        in_batch[b, batch] = True
    # A sampled person gets no information from itself as a source: use k - 1 for them.
    used = np.array([len(b) for b in batches])[:, None] - in_batch
    total_used = used.sum(axis=0)
    estimate = raw.sum(axis=0) / (np.maximum(total_used, 1) * (n - 2))
    per_batch = raw / (np.maximum(used, 1) * (n - 2))
    error = per_batch.std(axis=0, ddof=1) / np.sqrt(len(batches)) if len(batches) > 1 else (
        np.full(n, np.nan)
    )
    return estimate, error


def _second_core_paths(g, directed: bool, batches: list[np.ndarray], sources: np.ndarray,
                       progress: Progress) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """What a second core takes of the sampled paths: the bridge scores of ``batches`` and
    the harmonic closeness from all ``sources``."""
    return (_batch_betweenness(g, directed, batches, progress.sub(0.0, 0.5)),
            _closeness_sampled(g, sources, progress.sub(0.5, 1.0)))


def _closeness_sampled(g, sources: np.ndarray, progress: Progress):
    """Sum of 1/d(s, v) over all s != v, estimated from sampled sources; its standard error."""
    n, k = g.vcount(), len(sources)
    total = np.zeros(n)
    squares = np.zeros(n)
    done = 0
    for chunk in _short_calls(sources, g):
        progress.update(done / k, "Reach (harmonic closeness, sampled)")
        done += len(chunk)
        dist = np.asarray(g.distances(source=chunk, mode="out"), dtype=float)
        with np.errstate(divide="ignore"):
            inv = np.where(dist > 0, 1.0 / dist, 0.0)
        total += inv.sum(axis=0)
        squares += (inv ** 2).sum(axis=0)
    used = np.full(n, k, dtype=float)
    used[sources] -= 1
    used = np.maximum(used, 1)
    mean = total / used
    variance = np.maximum(squares / used - mean ** 2, 0.0)
    finite = max(1 - k / n, 0.0)
    return mean * (n - 1), np.sqrt(variance * finite / used) * (n - 1)


def _short_calls(sources: np.ndarray, g) -> list[list[int]]:
    """``sources`` in groups of 32, or, while other threads run (the app's window), in groups
    that each take igraph a few dozen milliseconds at most: an igraph call holds the
    interpreter, so the window would freeze for a longer one. (Shorter calls cost more in
    all: igraph prepares the whole network for each.)"""
    per_call = 32 if not others_may_wait() else max(
        1, min(32, CALL_WORK // max(g.vcount() + g.ecount(), 1)))
    return [sources[at:at + per_call].tolist() for at in range(0, len(sources), per_call)]


def _sampling_note(label: str, k: int, error: np.ndarray, estimate: np.ndarray) -> str:
    typical = float(np.nanmean(error)) if len(error) else 0.0
    worst = float(np.nanmax(error)) if len(error) else 0.0
    top = float(np.nanmax(estimate)) if len(estimate) else 0.0
    return (
        f"{label} estimated from {k} sampled people; expected error about ±{typical:.2g} "
        f"on average (at most ±{worst:.2g}), against a highest value of {top:.2g}."
    )


def _degrees(arrays: GraphArrays) -> dict[str, np.ndarray]:
    """Ties in and out per person, counted and weighted (both ways alike when undirected)."""
    src, dst, weight = arrays.both_ways()
    n = arrays.n
    return {
        "in_degree": np.bincount(dst, minlength=n).astype(float),
        "out_degree": np.bincount(src, minlength=n).astype(float),
        "weighted_in_degree": np.bincount(dst, weights=weight, minlength=n),
        "weighted_out_degree": np.bincount(src, weights=weight, minlength=n),
    }


def _reciprocity(A: sp.csr_array, directed: bool) -> np.ndarray:
    total = np.asarray(A.sum(axis=0)).ravel() + np.asarray(A.sum(axis=1)).ravel()
    mutual = 2 * np.asarray(A.multiply(A.T).sum(axis=1)).ravel()
    if not directed:
        mutual = total.copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, mutual / total, np.nan)


def _eigenvector(u) -> np.ndarray:
    n = u.vcount()
    if u.ecount() == 0:
        return np.full(n, 1 / np.sqrt(n)) if n else np.zeros(0)
    with warnings.catch_warnings():  # disconnected networks: minor components score ~0
        warnings.simplefilter("ignore", RuntimeWarning)
        with seeded_igraph(0):  # ARPACK starts from a random vector
            values = np.abs(np.asarray(u.eigenvector_centrality(weights=None)))
    return values / np.linalg.norm(values)


def _effective_size(W: sp.csr_array, progress: Progress | None = None) -> np.ndarray:
    """Burt's effective size with mutual weights (networkx's general formula)."""
    import scipy.sparse as sp

    if W.shape[0] == 0:
        return np.zeros(0)
    mutual = sp.csr_array(W + W.T)
    mutual.setdiag(0)
    mutual.eliminate_zeros()
    row_sum = np.asarray(mutual.sum(axis=1)).ravel()
    row_max = mutual.max(axis=1).toarray().ravel()
    safe_sum = np.where(row_sum > 0, row_sum, 1.0)
    safe_max = np.where(row_max > 0, row_max, 1.0)
    by_sum = sp.csr_array(sp.diags_array(1 / safe_sum) @ mutual)
    by_max = sp.csr_array(sp.diags_array(1 / safe_max) @ mutual)
    neighbours = sp.csr_array((mutual > 0).astype(float))
    degree = np.asarray(neighbours.sum(axis=1)).ravel()
    redundancy = masked_rowsum(neighbours, by_sum, sp.csr_array(by_max.T), progress=progress)
    return np.where(degree > 0, degree - redundancy, np.nan)


def _network_summary(g, n: int, partition: Partition) -> dict[str, float | int]:
    components = g.connected_components(mode="weak") if n else []
    return {
        "people": n,
        "ties": g.ecount(),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "density": g.density(loops=False) if n > 1 else 0.0,
        "reciprocity": g.reciprocity(ignore_loops=True) if g.ecount() else 0.0,
        "communities": len(partition.sizes),
        "modularity": partition.modularity,
    }


def metrics_columns(
    result: MetricsResult, communities: Partition | None = None,
    roles: dict[str, str] | None = None,
) -> list[list]:
    """The :data:`CSV_COLUMNS` as columns (one value per person, in ``result.ids`` order)."""
    communities = communities or result.partition
    roles = roles or {}
    ids = result.ids
    columns: list[list] = [list(ids)]
    for key in CSV_COLUMNS[1:-2]:
        values = values_or_none(result.columns[key])
        columns.append([None if v is None else int(v) for v in values]
                       if key.endswith("degree") else values)
    columns.append(list(map(communities.membership.get, ids)))
    columns.append([roles.get(p, "") for p in ids])
    return columns
