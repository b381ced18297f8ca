"""Background work in the status bar: every running task, each with its progress and Cancel.

The bar shows the newest task's message, progress and Cancel. With two or more tasks running a
"2 tasks running" button opens a list with one row per task, so each keeps its own Cancel.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.workers import Task


class TaskRow(QWidget):
    """One running task: its latest message, its progress and its own Cancel."""

    def __init__(self, task: Task, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task = task
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel(task.title)
        self.message.setToolTip(task.title)
        self.message.setMinimumWidth(240)
        self.bar = QProgressBar(maximum=1000, textVisible=False)
        self.bar.setFixedWidth(160)
        self.cancel = QPushButton("Cancel")
        self.cancel.setToolTip(f"Stop: {task.title}")
        self.cancel.clicked.connect(self.cancel_task)
        for widget in (self.message, self.bar, self.cancel):
            layout.addWidget(widget)
        task.signals.progress.connect(self._progress)

    def _progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(int(fraction * 1000))
        if message and not self.task.cancelling:
            self.message.setText(message)

    def cancel_task(self) -> None:
        self.cancel.setEnabled(False)
        self.message.setText("Cancelling…")
        self.task.cancel()


class TaskBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel()
        self.bar = QProgressBar(maximum=1000, textVisible=False)
        self.bar.setFixedWidth(160)
        self.cancel = QPushButton("Cancel")
        self.cancel.setToolTip("Stop the newest task.")
        self.more = QToolButton()
        self.more.setToolTip("Show every running task, each with its own Cancel.")
        self.more.clicked.connect(self.show_list)
        for widget in (self.message, self.bar, self.cancel, self.more):
            layout.addWidget(widget)
        self.popup = QFrame(self, Qt.Popup)
        self.popup.setFrameShape(QFrame.StyledPanel)
        self.list_layout = QVBoxLayout(self.popup)
        self.rows: dict[Task, TaskRow] = {}  # oldest first
        self.cancel.clicked.connect(self._cancel_newest)
        self.hide()

    @property
    def tasks(self) -> list[Task]:
        """The tasks shown, oldest first."""
        return list(self.rows)

    def track(self, task: Task) -> None:
        row = TaskRow(task, self.popup)
        self.rows[task] = row
        self.list_layout.addWidget(row)
        task.signals.progress.connect(lambda *_: self._update())
        self._update()

    def _newest(self) -> TaskRow | None:
        return next(reversed(self.rows.values()), None)

    def _update(self) -> None:
        row = self._newest()
        if row is None:
            self.popup.hide()
            self.hide()
            return
        self.message.setText(row.message.text())
        self.message.setToolTip(row.task.title)
        self.bar.setValue(row.bar.value())
        self.cancel.setEnabled(row.cancel.isEnabled())
        self.more.setText(f"{len(self.rows)} tasks running")
        self.more.setVisible(len(self.rows) > 1)
        if self.popup.isVisible():
            self.popup.adjustSize()
        self.show()

    def _cancel_newest(self) -> None:
        row = self._newest()
        if row is not None:
            row.cancel_task()
            self._update()

    def show_list(self) -> None:
        """Open the list of running tasks above the button."""
        self.popup.adjustSize()
        corner = self.more.mapToGlobal(QPoint(0, 0))
        self.popup.move(corner - QPoint(0, self.popup.sizeHint().height()))
        self.popup.show()

    def untrack(self, task: Task) -> None:
        """Drop an ended task (the runner's ``ended`` signal)."""
        row = self.rows.pop(task, None)
        if row is not None:
            self.list_layout.removeWidget(row)
            row.deleteLater()
        self._update()
