"""Uncaught exceptions become a dialog with a copyable report; the app keeps running."""

from __future__ import annotations

import platform
import sys
import traceback

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__


def error_report(exc_type, exc, tb) -> str:
    lines = traceback.format_exception(exc_type, exc, tb)
    return (f"Organisation Design Workbench {__version__}\n"
            f"Python {platform.python_version()} on {platform.platform()}\n\n" + "".join(lines))


class ErrorDialog(QDialog):
    def __init__(self, summary: str, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.setMinimumSize(560, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(f"<b>{summary}</b><br>Your work is safe: every change you made before "
                       "this is saved in the project file. You can copy the report below and "
                       "send it to support.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        layout.addWidget(self.report)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.copy_button = buttons.addButton("Copy report", QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(
            lambda: QApplication.clipboard().setText(self.report.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ExceptionHook(QObject):
    """Installed as ``sys.excepthook``; shows the dialog on the GUI thread."""

    caught = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self.caught.connect(self._show)
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self.handle

    def handle(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        report = error_report(exc_type, exc, tb)
        sys.stderr.write(report)
        self.caught.emit(f"{exc_type.__name__}: {exc}", report)

    def _show(self, summary: str, report: str) -> None:
        ErrorDialog(summary, report, self._parent).exec()
