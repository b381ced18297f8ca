"""Exact betweenness and incoming harmonic closeness of large networks, using every core.

Betweenness is a sum over sources (Brandes): the sources are split into chunks, igraph computes
each chunk's share in a worker process, and the shares add up to the exact value (only the order
of the floating-point additions differs from one whole igraph call: relative differences near
1e-15). Meanwhile this process computes harmonic closeness with breadth-first searches from up
to 1,024 people at once, one bit per person in 64-bit words (:func:`harmonic_in`); a network too
deep for that to pay (a long chain) gets igraph's searches in the workers instead.

Workers are started with ``spawn`` (safe beside the GUI's threads; the frozen app calls
``multiprocessing.freeze_support``) and import only igraph and numpy. Progress is reported per
chunk; Cancel stops between chunks and shuts the workers down.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

import igraph as ig
import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.tasks import Progress, ensure_progress

CHUNK_WORK = 2e7  # sources x (people + ties) per chunk: about 0.2-0.4 s of searches
PARALLEL_WORK = 1e8  # below this much work starting worker processes costs more than it saves
SECONDS_PER_WORK = 1.5e-8  # one core of this project's reference machine (see bench_metrics)
MAX_LEVELS = 64  # deeper searches than this: harmonic closeness from igraph instead of bits
BIT_WORDS = 16  # 64-bit words per person in harmonic_in: 1,024 sources searched at once
MESSAGE = "Bridge scores and reach (exact)"

_graph: ig.Graph | None = None  # the network in a worker process


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def idle_cores() -> int:
    """Cores not busy with other programs over the last minute (at least one)."""
    cores = available_cores()
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        busy = 0.0
    return max(1, min(cores, cores - round(busy)))


def auto_workers(people: int, ties: int) -> int:
    """Worker processes worth starting for a network of this size (1 = stay in process): the
    idle cores, since on a busy machine extra processes only add their start-up and contention
    (measured: 32 s over two processes against 20 s in one at a load of 5 on 2 cores)."""
    return idle_cores() if people * (people + ties) >= PARALLEL_WORK else 1


def estimated_seconds(people: int, ties: int, sources: int | None = None) -> float:
    """Rough time of the searches from ``sources`` people (default: all, on the cores worth
    using; a sample runs in one process)."""
    if sources is not None:
        return SECONDS_PER_WORK * sources * (people + ties)
    return SECONDS_PER_WORK * people * (people + ties) / auto_workers(people, ties)


def exact_paths(
    g: ig.Graph, progress: Progress | None = None, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Raw igraph betweenness (hops, unnormalised) and incoming harmonic closeness of ``g``.

    ``workers``: processes to use (None: :func:`auto_workers`; 1: this process). Raises
    :class:`~workbench.core.tasks.Cancelled` between chunks once cancelled.
    """
    progress = ensure_progress(progress)
    n, m = g.vcount(), g.ecount()
    workers = auto_workers(n, m) if workers is None else max(1, workers)
    chunks = min(max(math.ceil(n * (n + m) / CHUNK_WORK), 4 * workers if workers > 1 else 1), n)
    progress.update(0.0, _message(0, n))
    if chunks <= 1:  # small: one whole call each, as fast as it gets
        return (np.asarray(g.betweenness(directed=g.is_directed()), dtype=float),
                np.asarray(g.harmonic_centrality(mode="in", normalized=False), dtype=float))
    parts = [part.tolist() for part in np.array_split(np.arange(n), chunks)]
    edges = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    if workers == 1:
        return _in_process(g, edges, parts, progress)
    executor = ProcessPoolExecutor(
        max_workers=min(workers, len(parts)), mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker, initargs=(n, edges, g.is_directed()),
    )
    try:
        return _in_workers(executor, edges, parts, n, g.is_directed(), progress)
    except BrokenProcessPool as error:
        raise WorkbenchError("The exact measures stopped: a helper process ended unexpectedly "
                             "(perhaps the computer ran short of memory). Analyse again without "
                             "exact measures, or close other programs and retry.") from error
    finally:  # also on Cancel or a failed worker: drop queued chunks, wait for the running ones
        executor.shutdown(wait=True, cancel_futures=True)


def _in_process(g: ig.Graph, edges: np.ndarray, parts: list[list[int]], progress: Progress
                ) -> tuple[np.ndarray, np.ndarray]:
    n = g.vcount()
    betweenness = np.zeros(n)
    harmonic = harmonic_in(n, edges, g.is_directed(), progress)
    jobs = [("betweenness", part) for part in parts]
    if harmonic is None:
        harmonic = np.zeros(n)
        jobs += [("harmonic", part) for part in parts]
    for done, job in enumerate(jobs):
        people = n * done // len(jobs)
        progress.update(done / len(jobs), _message(people, n))
        _add(betweenness, harmonic, job, _job(g, *job))
    progress.update(1.0, _message(n, n))
    return betweenness, harmonic


def _in_workers(executor: ProcessPoolExecutor, edges: np.ndarray, parts: list[list[int]],
                n: int, directed: bool, progress: Progress) -> tuple[np.ndarray, np.ndarray]:
    betweenness = np.zeros(n)
    pending: dict[Future, tuple[str, list[int]]] = {
        executor.submit(_work, "betweenness", part): ("betweenness", part) for part in parts}
    harmonic = harmonic_in(n, edges, directed, progress)  # while the workers search
    if harmonic is None:
        harmonic = np.zeros(n)
        pending.update({executor.submit(_work, "harmonic", part): ("harmonic", part)
                        for part in parts})
    total = len(pending)
    while pending:
        finished, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
        for future in finished:
            _add(betweenness, harmonic, pending.pop(future), future.result())
        done = total - len(pending)
        progress.update(done / total, _message(n * done // total, n))
    return betweenness, harmonic


def harmonic_in(n: int, edges: np.ndarray, directed: bool, progress: Progress | None = None
                ) -> np.ndarray | None:
    """Sum of 1 / hops from every other person, by searches from 64 x BIT_WORDS people at once.

    Person v's word bits say which of the sources reached v; one step ORs the words of v's
    in-neighbours. The count of newly reached sources per hop is kept as whole numbers, so the
    result does not depend on how the sources were grouped. None when a search runs deeper than
    :data:`MAX_LEVELS` hops (then igraph's searches are quicker).
    """
    progress = ensure_progress(progress)
    src, dst = edges[:, 0], edges[:, 1]
    keep = src != dst
    src, dst = src[keep], dst[keep]
    if not directed:
        src, dst = np.concatenate((src, dst)), np.concatenate((dst, src))
    order = np.argsort(dst, kind="stable")
    neighbour = src[order]  # in-neighbours, grouped by the person they point at
    starts = np.concatenate(([0], np.cumsum(np.bincount(dst, minlength=n))))
    has_in = np.flatnonzero(np.diff(starts))
    words = max(1, min(BIT_WORDS, math.ceil(n / 64), 2**23 // max(len(neighbour), 1)))  # 64 MB
    reached_at = np.zeros((MAX_LEVELS + 1, n), dtype=np.int64)  # [hops, person] -> sources
    for first in range(0, n, 64 * words):
        bit = np.arange(min(64 * words, n - first))
        frontier = np.zeros((n, words), dtype=np.uint64)
        frontier[first + bit, bit // 64] = np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64))
        seen = frontier.copy()
        for hops in range(1, MAX_LEVELS + 2):
            progress.check()
            step = np.zeros_like(frontier)
            if len(has_in):
                step[has_in] = np.bitwise_or.reduceat(frontier[neighbour], starts[has_in], axis=0)
            step &= ~seen
            new = np.bitwise_count(step).sum(axis=1, dtype=np.int64)
            if not new.any():
                break
            if hops > MAX_LEVELS:
                return None
            reached_at[hops] += new
            seen |= step
            frontier = step
    return (reached_at[1:] / np.arange(1, MAX_LEVELS + 1)[:, None]).sum(axis=0)


def _message(done: int, people: int) -> str:
    return f"{MESSAGE}: {done:,} of {people:,} people done"


def _add(betweenness: np.ndarray, harmonic: np.ndarray, job: tuple[str, list[int]],
         values: np.ndarray) -> None:
    if job[0] == "betweenness":
        betweenness += values
    else:
        harmonic[job[1]] = values


def _job(g: ig.Graph, what: str, part: list[int]) -> np.ndarray:
    """Betweenness contributed by the sources in ``part``, or the harmonic closeness of
    ``part``."""
    if what == "betweenness":
        return np.asarray(g.betweenness(directed=g.is_directed(), sources=part), dtype=float)
    return np.asarray(g.harmonic_centrality(vertices=part, mode="in", normalized=False),
                      dtype=float)


def _start_worker(n: int, edges: np.ndarray, directed: bool) -> None:
    global _graph
    _graph = ig.Graph(n=n, edges=edges.tolist(), directed=directed)


def _work(what: str, part: list[int]) -> np.ndarray:
    assert _graph is not None, "worker started without its network"
    return _job(_graph, what, part)
