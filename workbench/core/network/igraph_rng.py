"""igraph draws from one process-wide random generator: seed it, one caller at a time."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import igraph as ig

IGRAPH_RNG_LOCK = threading.RLock()


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Hold the igraph generator, seeded, for the block: the same input gives the same output
    (communities, layouts, even the last digits of eigenvector scores), whatever the thread."""
    with IGRAPH_RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)
