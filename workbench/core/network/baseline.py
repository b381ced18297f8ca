"""What chance alone would give: the yardstick findings are measured against.

Both yardsticks keep every person's number of ties, in and out, as it really is:

* :func:`random_baseline` rewires the network at random a few dozen times (igraph edge swaps
  that keep each person's in- and out-degree; seeded, so the same network always gives the
  same baseline) and records each person's bridge score (betweenness, normalised as in
  :mod:`~workbench.core.network.metrics`) and, for the people asked about, the share of
  connected pairs lost when they leave. Bridge scores are exact while people x ties stays
  within :data:`EXACT_BUDGET` per sample and estimated from sampled sources above it.
  :func:`start_baseline` starts the bridge scores of a large network in a second process
  (``spawn``; the same seeded chain, so the same numbers) while the caller does other work.
* :func:`random_mixing` gives each group's ties with other groups under random mixing of the
  same people with the same numbers of ties: the configuration-model expectation (a tie
  i -> j between two different people in proportion to out-degree(i) x in-degree(j)),
  computed exactly rather than sampled.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import igraph as ig
import numpy as np

from workbench.core.network.exact_paths import available_cores
from workbench.core.network.graph import GraphArrays
from workbench.core.network.igraph_rng import seeded_igraph
from workbench.core.network.metrics import _betweenness_sampled, _normalised_betweenness
from workbench.core.tasks import Progress, ensure_progress

SAMPLES = 30
BURN_IN = 3  # swap attempts per tie before the first sample
BETWEEN = 0.5  # swap attempts per tie between two samples
EXACT_BUDGET = 1_000_000  # people x ties per sample up to which bridge scores are exact
MIN_SOURCES = 16
PARALLEL_WORK = 5e7  # samples x sources x (people + ties): about a second, worth a process


@dataclass(frozen=True)
class Baseline:
    """Bridge score per person (``arrays.ids`` order) over the random networks, as mean and
    standard deviation, and pairs lost for the people watched (index -> mean, sd)."""

    samples: int
    betweenness_mean: np.ndarray
    betweenness_sd: np.ndarray
    pairs_lost: dict[int, tuple[float, float]]


def random_baseline(arrays: GraphArrays, samples: int = SAMPLES, seed: int = 42,
                    watch: Sequence[int] = ()) -> Baseline:
    """Bridge scores, and pairs lost for the people in ``watch``, over ``samples`` random
    networks with the same people and the same numbers of ties in and out for each."""
    n, m = arrays.n, int((arrays.src != arrays.dst).sum())
    if n < 3 or m < 2 or samples < 2:
        return Baseline(0, np.zeros(n), np.zeros(n), {v: (0.0, 0.0) for v in watch})
    mean, sd, lost = _rewired(n, _edges(arrays), arrays.directed, samples, seed,
                              _sources(n, m), watch)
    return Baseline(samples, mean, sd, _watched(watch, lost))


@dataclass
class PendingBaseline:
    """A :func:`random_baseline` started before the people to watch are known: on a large
    network the bridge scores are computed in a second process meanwhile (the same numbers:
    the same seeded rewiring); :meth:`result` adds the pairs lost. Call :meth:`close` when
    done (it stops the process if it is still running, e.g. after Cancel)."""

    arrays: GraphArrays
    samples: int
    seed: int
    _process: BaseProcess | None = None
    _reply: Connection | None = field(default=None, repr=False)
    _edges_file: str | None = None

    def result(self, watch: Sequence[int] = (), progress: Progress | None = None) -> Baseline:
        """The baseline with the pairs lost of ``watch``; ``progress`` is updated (and Cancel
        honoured) while waiting for the second process."""
        if self._reply is None:
            return random_baseline(self.arrays, self.samples, self.seed, watch)
        progress = ensure_progress(progress)
        try:
            while not self._reply.poll(0.1):
                progress.update(0.0, "Comparing with random networks")
            mean, sd = self._reply.recv()
        except (EOFError, OSError):  # the process died (e.g. out of memory): do it here
            self.close()
            return random_baseline(self.arrays, self.samples, self.seed, watch)
        self.close()
        if not len(watch):
            return Baseline(self.samples, mean, sd, {})
        lost = _rewired(self.arrays.n, _edges(self.arrays), self.arrays.directed, self.samples,
                        self.seed, None, watch, scores=False)[2]  # the same chain again
        return Baseline(self.samples, mean, sd, _watched(watch, lost))

    def close(self) -> None:
        if self._reply is not None:
            self._reply.close()
            self._reply = None
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._process = None
        if self._edges_file is not None:
            os.unlink(self._edges_file)
            self._edges_file = None


def start_baseline(arrays: GraphArrays, samples: int = SAMPLES, seed: int = 42
                   ) -> PendingBaseline:
    """Start the bridge scores of :func:`random_baseline` in a second process when the
    network is large enough to pay for it and a second core is free; else compute later."""
    n, m = arrays.n, int((arrays.src != arrays.dst).sum())
    pending = PendingBaseline(arrays, samples, seed)
    sources = _sources(n, m)
    if (sources is None or samples < 2 or available_cores() < 2
            or samples * sources * (n + m) < PARALLEL_WORK):
        return pending
    # the ties go through a file: passed as an argument they would hold this process up
    # until the new one has started and read them
    handle, pending._edges_file = tempfile.mkstemp(suffix=".npy", prefix="workbench-ties-")
    with os.fdopen(handle, "wb") as out:
        np.save(out, _edges(arrays))
    context = multiprocessing.get_context("spawn")  # safe beside the GUI's threads
    reply, send = context.Pipe(duplex=False)
    process = context.Process(target=_scores_worker, daemon=True, args=(
        send, n, pending._edges_file, arrays.directed, samples, seed, sources))
    process.start()
    send.close()
    pending._process, pending._reply = process, reply
    return pending


def _scores_worker(send: Connection, n: int, edges_file: str, directed: bool, samples: int,
                   seed: int, sources: int) -> None:
    mean, sd, _ = _rewired(n, np.load(edges_file), directed, samples, seed, sources, ())
    send.send((mean, sd))
    send.close()


def _edges(arrays: GraphArrays) -> np.ndarray:
    keep = arrays.src != arrays.dst
    return np.column_stack((arrays.src[keep], arrays.dst[keep]))


def _sources(n: int, m: int) -> int | None:
    """Sampled sources per random network for bridge scores (None: exact ones)."""
    return None if n * m <= EXACT_BUDGET else min(n, max(MIN_SOURCES, EXACT_BUDGET // m))


def _rewired(n: int, edges: np.ndarray, directed: bool, samples: int, seed: int,
             sources: int | None, watch: Sequence[int], scores: bool = True
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bridge-score mean and standard deviation per person (zeros unless ``scores``; from
    ``sources`` sampled sources, None = exact) and the pairs lost per sample for ``watch``,
    over the seeded chain of rewired networks."""
    g = ig.Graph(n=n, edges=edges.tolist(), directed=directed)
    m = g.ecount()
    rng = np.random.default_rng(seed)
    values = np.zeros((samples, n))
    lost = np.zeros((samples, len(watch)))
    with seeded_igraph(seed):
        g.rewire(n=BURN_IN * m)
        for s in range(samples):
            g.rewire(n=max(1, int(BETWEEN * m)))
            if scores and sources is None:
                values[s] = _normalised_betweenness(
                    np.asarray(g.betweenness(directed=directed), dtype=float), directed)
            elif scores:
                chosen = rng.choice(n, size=sources, replace=False)
                values[s] = _betweenness_sampled(g, directed, chosen, Progress())[0]
            cut = set(g.articulation_points()) if len(watch) else set()
            lost[s] = [pairs_lost(g, v) if v in cut else 0.0 for v in watch]
    return values.mean(axis=0), values.std(axis=0, ddof=1), lost


def _watched(watch: Sequence[int], lost: np.ndarray) -> dict[int, tuple[float, float]]:
    return {int(v): (float(lost[:, i].mean()), float(lost[:, i].std(ddof=1)))
            for i, v in enumerate(watch)}


def pairs_lost(g: ig.Graph, vertex: int) -> float:
    """Share of the connected (unordered) pairs of other people that lose every path when
    ``vertex`` leaves; direction is ignored (a tie either way connects two people)."""
    components = g.connected_components(mode="weak")
    sizes = np.asarray(components.sizes(), dtype=float)
    sizes[components.membership[vertex]] -= 1
    before = float((sizes * (sizes - 1) / 2).sum())
    h = g.copy()
    h.delete_vertices(vertex)
    after_sizes = np.asarray(h.connected_components(mode="weak").sizes(), dtype=float)
    after = float((after_sizes * (after_sizes - 1) / 2).sum())
    return (before - after) / before if before else 0.0


@dataclass(frozen=True)
class Mixing:
    """Ties inside each group and with other groups (either direction), observed and under
    random mixing; the crossing shares are the network's share of ties between two groups."""

    names: list[str]
    sizes: list[int]
    inside: np.ndarray
    outside: np.ndarray
    expected_inside: np.ndarray
    expected_outside: np.ndarray
    crossing_share: float | None
    expected_crossing_share: float | None


def random_mixing(arrays: GraphArrays, labels: Sequence[str]) -> Mixing:
    """Observed ties per group (``labels[i]`` is the group of ``arrays.ids[i]``) beside the
    configuration-model expectation, scaled so the expected ties add up to the real number.
    Undirected ties count at both ends (degree x degree over unordered pairs)."""
    names, code = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    k = len(names)
    keep = arrays.src != arrays.dst
    src, dst = arrays.src[keep], arrays.dst[keep]
    m = len(src)
    ties = np.bincount(code[src] * k + code[dst], minlength=k * k).reshape(k, k)
    inside = np.diag(ties).astype(float)
    outside = (ties.sum(axis=0) + ties.sum(axis=1) - 2 * inside).astype(float)
    out_deg = np.bincount(src, minlength=arrays.n).astype(float)
    in_deg = np.bincount(dst, minlength=arrays.n).astype(float)
    if not arrays.directed:
        out_deg = in_deg = out_deg + in_deg
    out_g = np.bincount(code, weights=out_deg, minlength=k)
    in_g = np.bincount(code, weights=in_deg, minlength=k)
    own = np.bincount(code, weights=out_deg * in_deg, minlength=k)
    # products over ordered pairs of different people (halved for unordered pairs)
    half = 1.0 if arrays.directed else 0.5
    pairs = half * float(out_deg.sum() * in_deg.sum() - (out_deg * in_deg).sum())
    scale = m / pairs if pairs else 0.0
    expected_inside = scale * half * (out_g * in_g - own)
    expected_outside = scale * half * (out_g * (in_deg.sum() - in_g)
                                       + in_g * (out_deg.sum() - out_g))
    return Mixing(
        names.tolist(), np.bincount(code, minlength=k).tolist(), inside, outside,
        expected_inside, expected_outside,
        float((m - inside.sum()) / m) if m else None,
        float((m - expected_inside.sum()) / m) if m else None,
    )
