"""Run long core work off the GUI thread, with progress and Cancel.

Everything starts through :meth:`TaskRunner.run_task`: a task started with the key of a task
still running supersedes it (the older one is cancelled and its late result dropped), failures
are logged and reported in one place, and tasks that write to the project raise
``writing_changed`` so the GUI disables its editing controls instead of blocking on the project's
write lock.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Hashable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from workbench.core.errors import WorkbenchError
from workbench.core.tasks import Cancelled, Progress

log = logging.getLogger(__name__)
ErrorReporter = Callable[[str, str], None]  # (user message, technical details or "")


class _Signals(QObject):
    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(str, str)  # user message, technical details ("" for user errors)
    cancelled = Signal()
    finished = Signal()


def _done(_progress: Progress) -> None:
    """The work of a task that has finished and was released."""


class Task:
    """``func(progress)`` run on the thread pool; signals arrive on the GUI thread.

    The pool is handed the plain callable :meth:`run` (it keeps no reference to the task), and
    :meth:`release` lets go of the work, its result and the callbacks once they have been used:
    a finished task holds nothing large for the memory, or for a garbage collection to scan.
    """

    def __init__(self, title: str, func: Callable[[Progress], Any], *,
                 key: Hashable | None = None, writes: bool = False,
                 owner: object | None = None) -> None:
        self.title = title
        self.func = func
        self.key = key
        self.writes = writes
        self.owner = owner
        self.superseded = False  # a newer task with the same key replaced this one
        # ("done", result, "") | ("failed", message, details) | ("cancelled", None, "")
        self.outcome: tuple[str, Any, str] = ("cancelled", None, "")
        self.signals = _Signals()
        self.progress = Progress(lambda f, m: self.signals.progress.emit(f, m))

    def cancel(self) -> None:
        self.progress.cancel()

    def release(self) -> None:
        """Drop the work and the result, and (once the finishing slot has returned) the
        callbacks connected to ``finished``: whatever they reference may go now."""
        self.func = _done
        self.outcome = (self.outcome[0], None, "")
        QTimer.singleShot(0, self.signals, self.signals.finished.disconnect)

    @property
    def live(self) -> bool:
        """Whether its results are still wanted: not superseded, its owner widget not deleted."""
        if self.superseded:
            return False
        return not isinstance(self.owner, QObject) or shiboken6.isValid(self.owner)

    @property
    def cancelling(self) -> bool:
        return self.progress.cancelled

    def run(self) -> None:
        try:
            result = self.func(self.progress)
        except Cancelled:
            log.info("Task cancelled: %s", self.title)
            self.outcome = ("cancelled", None, "")
            self.signals.cancelled.emit()
        except WorkbenchError as exc:
            log.warning("Task %r stopped: %s", self.title, exc)
            self.outcome = ("failed", str(exc), "")
            self.signals.failed.emit(str(exc), "")
        except Exception as exc:  # noqa: BLE001 - logged and reported to the user with details
            log.exception("Task %r failed", self.title)
            self.outcome = ("failed", f"{type(exc).__name__}: {exc}", traceback.format_exc())
            self.signals.failed.emit(*self.outcome[1:])
        else:
            self.outcome = ("done", result, "")
            self.signals.done.emit(result)
        finally:
            self.signals.finished.emit()


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they finish; one pool for the app."""

    started = Signal(object)  # Task
    ended = Signal(object)  # Task, before its result is applied
    writing_changed = Signal(bool)  # True while a task that writes to the project runs

    def __init__(self, parent: QObject | None = None,
                 report_error: ErrorReporter | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self.report_error = report_error
        self._running: list[Task] = []  # oldest first
        self._keyed: dict[Hashable, Task] = {}
        self._writing = 0

    def run_task(self, key: Hashable | None, title: str, func: Callable[[Progress], Any],
                 on_done: Callable[[Any], Any], *, writes: bool = False,
                 report: bool = True,
                 on_failed: Callable[[str], Any] | None = None,
                 on_cancelled: Callable[[], Any] | None = None,
                 on_finished: Callable[[], Any] | None = None,
                 owner: object | None = None) -> Task:
        """Run ``func(progress)`` in the background and pass its result to ``on_done``.

        A running task with the same ``key`` is cancelled and superseded: none of its
        callbacks run any more, so its late result never overwrites this one's (``None``: no
        key, never superseded). A :class:`WorkbenchError` is shown to the user as a message
        (``report=False``: not, for callers that show it in place through ``on_failed``); any
        other exception is logged with its traceback and always shown in the error dialog with
        details. ``on_failed(message)`` is called on either failure, first. ``writes=True``
        marks work that edits the project: :attr:`busy_writing` is true (and
        ``writing_changed`` was emitted) before it starts, until it ends. ``on_finished`` runs
        last, after done, failure or cancel. No callback runs once the task was superseded or
        its ``owner`` (a panel or dialog) was deleted.
        """
        task = Task(title, func, key=key, writes=writes, owner=owner)
        if key is not None:
            previous = self._keyed.get(key)
            if previous is not None:
                self.supersede(previous)
            self._keyed[key] = task

        def finished() -> None:
            # One slot for the whole ending: the task leaves the runner (and the task bar)
            # before its result is applied, so whoever sees the result sees it ended.
            self._end(task)
            kind, value, details = task.outcome
            if not task.live:
                log.info("Dropped the %s result of %r (superseded or closed)", kind, task.title)
                task.release()
                return
            if kind == "done":
                self._call(task, on_done, value)
            elif kind == "failed":
                if on_failed is not None:
                    self._call(task, on_failed, value)
                if details or report:
                    self._report(value, details)
            elif on_cancelled is not None:
                self._call(task, on_cancelled)
            if on_finished is not None and task.live:
                self._call(task, on_finished)
            task.release()

        task.signals.finished.connect(finished)
        return self._start(task)

    def _end(self, task: Task) -> None:
        if task in self._running:
            self._running.remove(task)
        if task.key is not None and self._keyed.get(task.key) is task:
            del self._keyed[task.key]
        if task.writes:
            self._writing -= 1
            if not self._writing:
                self.writing_changed.emit(False)
        self.ended.emit(task)

    def _start(self, task: Task) -> Task:
        self._running.append(task)
        if task.writes:
            self._writing += 1
            if self._writing == 1:
                self.writing_changed.emit(True)
        self.started.emit(task)
        self.pool.start(task.run)  # a plain callable: the pool keeps no task
        return task

    def supersede(self, task: Task) -> None:
        """Cancel ``task`` and drop whatever it still reports."""
        task.superseded = True
        task.cancel()

    def supersede_owned(self, owner: object) -> None:
        """Supersede every running task started for ``owner`` (a panel whose project changed)."""
        for task in list(self._running):
            if task.owner is owner:
                self.supersede(task)

    def _call(self, task: Task, callback: Callable[..., Any], *args: Any) -> None:
        """Run a task's GUI-side callback; its errors are reported like the task's own."""
        try:
            callback(*args)
        except WorkbenchError as exc:
            log.warning("After task %r: %s", task.title, exc)
            self._report(str(exc), "")
        except Exception as exc:  # noqa: BLE001 - logged and reported with details
            log.exception("After task %r", task.title)
            self._report(f"{type(exc).__name__}: {exc}", traceback.format_exc())

    def _report(self, message: str, details: str) -> None:
        if self.report_error is not None:
            self.report_error(message, details)

    @property
    def running(self) -> list[Task]:
        """The running tasks, oldest first."""
        return list(self._running)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    @property
    def busy_writing(self) -> bool:
        """Whether a task that edits the project is running."""
        return self._writing > 0

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)
