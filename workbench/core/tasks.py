"""Progress reporting and cancellation shared by the CLI, the GUI workers and tests."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator


class Cancelled(Exception):
    """Raised inside long work when the user pressed Cancel."""


ProgressCallback = Callable[[float, str], None]


class Progress:
    """Passed into long-running core functions.

    ``update(fraction, message)`` reports 0..1 progress and raises :class:`Cancelled` once
    :meth:`cancel` has been called (from any thread). ``sub(start, end)`` gives a child that
    maps its own 0..1 range into ``start..end`` of this one, so steps compose.
    """

    def __init__(self, callback: ProgressCallback | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()
        self._parent: Progress | None = None
        self._start = 0.0
        self._end = 1.0

    @property
    def cancelled(self) -> bool:
        root = self._root()
        return root._cancel.is_set()

    def cancel(self) -> None:
        self._root()._cancel.set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was requested."""
        if self.cancelled:
            raise Cancelled()

    def update(self, fraction: float, message: str = "") -> None:
        self.check()
        fraction = min(max(fraction, 0.0), 1.0)
        mapped = self._start + (self._end - self._start) * fraction
        if self._parent is not None:
            self._parent.update(mapped, message)
        elif self._callback is not None:
            self._callback(mapped, message)

    def sub(self, start: float, end: float) -> Progress:
        child = Progress()
        child._parent = self
        child._start, child._end = start, end
        return child

    def _root(self) -> Progress:
        node = self
        while node._parent is not None:
            node = node._parent
        return node


def others_may_wait() -> bool:
    """Whether other threads may be waiting for the interpreter (in the app, its window):
    this is not the main thread (the app's workers are threads Qt made, which ``threading``
    does not count), or other Python threads run. A long call holding the interpreter then
    freezes them, and the process must not fork."""
    return threading.get_ident() != threading.main_thread().ident or threading.active_count() > 1


def ensure_progress(progress: Progress | None) -> Progress:
    return progress if progress is not None else Progress()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while long work builds many small acyclic objects.

    A collector scanning the growing heap again and again makes a 750k-tie import or a 100k-tie
    graph conversion several times slower.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
