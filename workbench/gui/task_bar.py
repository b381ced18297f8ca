"""Background work in the status bar: a progress bar, the task's message and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from workbench.gui.workers import Task


class TaskBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel()
        self.bar = QProgressBar(maximum=1000, textVisible=False)
        self.bar.setFixedWidth(160)
        self.cancel = QPushButton("Cancel")
        for widget in (self.message, self.bar, self.cancel):
            layout.addWidget(widget)
        self._task: Task | None = None
        self.cancel.clicked.connect(self._cancel)
        self.hide()

    def track(self, task: Task) -> None:
        self._task = task
        self.message.setText(task.title)
        self.bar.setValue(0)
        self.cancel.setEnabled(True)
        task.signals.progress.connect(self._progress)
        task.signals.finished.connect(self._finished)
        self.show()

    def _progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(int(fraction * 1000))
        if message:
            self.message.setText(message)

    def _cancel(self) -> None:
        if self._task is not None:
            self.cancel.setEnabled(False)
            self.message.setText("Cancelling…")
            self._task.cancel()

    def _finished(self) -> None:
        self._task = None
        self.hide()
