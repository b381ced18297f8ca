"""Work for a second core, in another process, with progress and Cancel kept working.

* **Forked copy** — a command-line run has one thread, so forking copies a consistent process
  in milliseconds (the graph included, nothing to send): the copy computes while this process
  goes on.
* **Spawned process** (``spawn=True``) — in the app, other threads run and forking is unsafe;
  a fresh process is started instead (about a second to load its libraries) and the work is
  sent to it. An igraph call holds the interpreter for its whole length, so long measures made
  there never freeze the app's window; the window's thread only waits on a pipe.

Either way the other process sends its progress and then its result through a pipe; progress
is passed on to the caller's :class:`~workbench.core.tasks.Progress`, whose Cancel stops the
process. Where neither is possible (one core; no fork and no ``spawn``) the work is done in
this process when its result is asked for; so is work whose process failed or was killed.
"""

from __future__ import annotations

import multiprocessing
import pickle
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from workbench.core.network.exact_paths import available_cores
from workbench.core.tasks import Progress, others_may_wait

T = TypeVar("T")
POLL_S = 0.1  # how often Cancel is checked while the other process is quiet
_spawned = False  # this is the app's second process: it leaves the other cores to the app


def can_fork() -> bool:
    """Whether a forked copy may compute beside this process now (on Linux only: macOS
    system libraries are not safe to use in a forked copy, Windows cannot fork)."""
    return (sys.platform.startswith("linux") and not others_may_wait()
            and available_cores() >= 2 and not multiprocessing.current_process().daemon
            and not _spawned)


class SecondProcess(Generic[T]):
    """``work(progress)`` started in a forked copy when ``fork`` and :func:`can_fork`, else in
    a spawned process when ``spawn`` (``work`` must then pickle); :meth:`result` waits for
    it, or runs it here with ``progress``."""

    def __init__(self, work: Callable[[Progress], T], progress: Progress, *,
                 fork: bool = True, spawn: bool = False) -> None:
        self._work, self._progress = work, progress
        self._process: multiprocessing.process.BaseProcess | None = None
        context: Any
        target: Callable[[Connection, Any], None]
        payload: object
        if fork and can_fork():
            context, target, payload = multiprocessing.get_context("fork"), _run_copy, work
        elif spawn and available_cores() >= 2:
            context, target = multiprocessing.get_context("spawn"), _run_spawned
            payload = pickle.dumps(work)
        else:
            return
        self._reply, send = context.Pipe(duplex=False)
        # a spawned process may start processes of its own (exact measures' workers), which
        # a daemonic one may not; it is stopped on Cancel, and ends with its work
        self._process = context.Process(target=target, args=(send, payload),
                                        daemon=target is _run_copy)
        self._process.start()
        send.close()

    @property
    def apart(self) -> bool:
        """Whether the work runs in another process (else :meth:`result` does it here)."""
        return self._process is not None

    def result(self, replay: bool = True) -> T:
        """The work's result; with ``replay`` its progress is passed on (leave it out when
        the caller's progress has moved past the work's range meanwhile)."""
        if self._process is None:
            return self._work(self._progress)
        try:
            while True:
                while not self._reply.poll(POLL_S):
                    self._progress.check()  # raises Cancelled once cancelled
                kind, *values = self._reply.recv()
                if kind == "result":
                    return values[0]
                if replay:
                    self._progress.update(*values)
                else:
                    self._progress.check()
        except EOFError:  # the process failed or was killed: do the work here
            self.close()
            return self._work(self._progress)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the process if it still runs (on Cancel or an error in this process)."""
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


def _run_spawned(send: Connection, payload: bytes) -> None:
    from workbench.core.network.igraph_import import import_igraph_unplotted

    global _spawned
    _spawned = True  # a copy of its own would take the core the app's window needs
    import_igraph_unplotted()  # before the work, whose functions import igraph, is unpickled
    _run_copy(send, pickle.loads(payload))
