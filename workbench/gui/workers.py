"""Run long core work off the GUI thread, with progress and Cancel."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from workbench.core.errors import WorkbenchError
from workbench.core.tasks import Cancelled, Progress


class _Signals(QObject):
    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(str, str)  # user message, technical details ("" for user errors)
    cancelled = Signal()
    finished = Signal()


class Task(QRunnable):
    """``func(progress)`` run on the thread pool; signals arrive on the GUI thread."""

    def __init__(self, title: str, func: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.title = title
        self.func = func
        self.signals = _Signals()
        self.progress = Progress(lambda f, m: self.signals.progress.emit(f, m))
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self.progress.cancel()

    def run(self) -> None:
        try:
            result = self.func(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except WorkbenchError as exc:
            self.signals.failed.emit(str(exc), "")
        except Exception as exc:  # noqa: BLE001 - reported to the user with details
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}", traceback.format_exc())
        else:
            self.signals.done.emit(result)
        finally:
            self.signals.finished.emit()


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they finish; one pool for the app."""

    started = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._running: set[Task] = set()

    def start(self, task: Task) -> Task:
        self._running.add(task)
        task.signals.finished.connect(lambda: self._running.discard(task))
        self.started.emit(task)
        self.pool.start(task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)
