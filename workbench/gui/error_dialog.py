"""Uncaught exceptions become a dialog with a copyable report; the app keeps running."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
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
from workbench.logs import log_file

log = logging.getLogger(__name__)


def error_header() -> str:
    """The first lines of a report: the app and Python versions and the platform."""
    return (f"Organisation Design Workbench {__version__}\n"
            f"Python {platform.python_version()} on {platform.platform()}\n\n")


def error_report(exc_type, exc, tb) -> str:
    return error_header() + "".join(traceback.format_exception(exc_type, exc, tb))


class ErrorDialog(QDialog):
    """The summary, a copyable report and where the log file is (when there is one)."""

    def __init__(self, summary: str, report: str, parent: QWidget | None = None,
                 log_path: Path | None = None) -> None:
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
        self.log_path = log_path if log_path is not None else log_file()
        self.log_label = QLabel(f"The log file has the details too: {self.log_path}"
                                if self.log_path else "")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.log_label.setVisible(self.log_path is not None)
        layout.addWidget(self.log_label)
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
        log.critical("Uncaught exception", exc_info=(exc_type, exc, tb))
        self.caught.emit(f"{exc_type.__name__}: {exc}", report)

    def _show(self, summary: str, report: str) -> None:
        ErrorDialog(summary, report, self._parent).exec()
