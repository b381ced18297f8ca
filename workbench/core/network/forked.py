"""Work for a second core, done in a forked copy of this process where forking is safe.

A command-line run has one thread, so forking copies a consistent process in milliseconds
(the graph included, nothing to send): the copy computes while this process goes on, and sends
the result back through a pipe. Where forking is not safe (other threads running, as in the
app; no fork on this platform) or there is one core, the work is done in this process when its
result is asked for. A copy that fails or is killed is replaced by doing the work here.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from workbench.core.network.exact_paths import available_cores
from workbench.core.tasks import Progress

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a forked copy may compute beside this process now."""
    return (threading.active_count() == 1 and available_cores() >= 2
            and "fork" in multiprocessing.get_all_start_methods())


class Forked(Generic[T]):
    """``work(progress)`` started in a forked copy when :func:`can_fork`; :meth:`result`
    waits for it, passing the copy's progress on to ``progress`` (so Cancel stops it), or
    runs it here with ``progress``."""

    def __init__(self, work: Callable[[Progress], T], progress: Progress) -> None:
        self._work, self._progress = work, progress
        self._process: multiprocessing.process.BaseProcess | None = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self._reply, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_run_copy, args=(send, work), daemon=True)
            self._process.start()
            send.close()

    def result(self) -> T:
        if self._process is None:
            return self._work(self._progress)
        try:
            while True:
                kind, *values = self._reply.recv()
                if kind == "result":
                    return values[0]
                self._progress.update(*values)  # raises Cancelled once cancelled
        except EOFError:  # the copy failed or was killed: do the work here
            self.close()
            return self._work(self._progress)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the copy if it still runs (on Cancel or an error in this process)."""
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._reply.close()
            self._process = None


def _run_copy(send: Connection, work: Callable[[Progress], object]) -> None:
    try:
        value = work(Progress(lambda fraction, message: send.send(
            ("progress", fraction, message))))
    except BaseException:  # noqa: BLE001 - the caller does the work again, or was interrupted
        return
    send.send(("result", value))
    send.close()
