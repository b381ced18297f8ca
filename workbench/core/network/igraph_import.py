"""igraph without its plotting: ``import igraph`` also imports matplotlib.pyplot (half a second
per process) for drawing the app never asks igraph to do."""

from __future__ import annotations

import sys


def import_igraph_unplotted() -> None:
    """Import igraph while matplotlib is hidden, so igraph's plotting stays a stub.

    For a process that has imported neither yet and runs one thread (a command, a spawned
    worker): matplotlib imports normally afterwards. Does nothing once either is imported.
    """
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        return
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # "import matplotlib" fails
    try:
        import igraph  # noqa: F401
    finally:
        del sys.modules["matplotlib"]
