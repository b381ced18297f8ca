"""Helpers that drive the GUI as a user would: answer file dialogs and modal dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget


def answer_modal(handler: Callable[[QWidget], None], timeout_ms: int = 10_000,
                 kind: type | None = None) -> list[str]:
    """Call ``handler`` with the next modal dialog (of class ``kind``, if given) once it is on
    screen, polling every 20 ms.

    Returns a list that receives the handled dialog's window title, so a test can check that
    the dialog really opened.
    """
    seen: list[str] = []
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible() and (kind is None or
                                                          isinstance(dialog, kind)):
            seen.append(dialog.windowTitle())
            try:
                handler(dialog)
            except BaseException:
                close_all_modals()  # a failed check must not leave the test waiting
                raise
            return
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def close_all_modals(rounds: int = 50) -> None:
    """Reject the open modal dialogs one after the other, innermost first."""

    def close() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            dialog.close() if not hasattr(dialog, "reject") else dialog.reject()
            if rounds > 0:
                QTimer.singleShot(20, lambda: close_all_modals(rounds - 1))

    QTimer.singleShot(0, close)


def answer_file_dialogs(monkeypatch, *, open_file: str | Path | None = None,
                        save_folder: Path | None = None, folder: Path | None = None,
                        open_files: list[str | Path] | None = None) -> list[tuple[str, str]]:
    """Replace the native file dialogs: open ones return ``open_file`` (a path or a function
    of the filter), save ones a fresh file in ``save_folder`` named after the suggestion.

    Returns the log of (kind, caption) the app asked.
    """
    asked: list[tuple[str, str]] = []
    counter = [0]

    def _open(_parent=None, caption="", _dir="", file_filter="", *args, **kwargs):
        asked.append(("open", caption))
        chosen = open_file(file_filter) if callable(open_file) else open_file
        return (str(chosen) if chosen else "", file_filter)

    def _open_many(_parent=None, caption="", _dir="", file_filter="", *args, **kwargs):
        asked.append(("open many", caption))
        return ([str(p) for p in open_files or []], file_filter)

    def _save(_parent=None, caption="", suggested="", file_filter="", *args, **kwargs):
        asked.append(("save", caption))
        if save_folder is None:
            return ("", file_filter)
        counter[0] += 1
        name = Path(suggested).name or "file"
        if "." not in name:
            name += _suffix(file_filter)
        target = save_folder / f"{counter[0]:03d}-{name}"
        return (str(target), file_filter)

    def _folder(_parent=None, caption="", *args, **kwargs):
        asked.append(("folder", caption))
        return str(folder) if folder else ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(_open))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(_open_many))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(_save))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(_folder))
    return asked


def _suffix(file_filter: str) -> str:
    """The first suffix a Qt filter names: ``"PDF document (*.pdf)"`` → ``".pdf"``."""
    start = file_filter.find("*.")
    if start < 0:
        return ""
    end = start + 2
    while end < len(file_filter) and file_filter[end].isalnum():
        end += 1
    return file_filter[start + 1:end]


def write_roster(path: Path, people: int = 12) -> Path:
    """A small HR roster CSV (id, name, department, role, manager) as a client sends it."""
    departments = ("Sales", "Service", "Marketing")
    lines = ["id,name,department,role,manager"]
    for i in range(1, people + 1):
        manager = "" if i == 1 else f"N{(i - 2) // 3 + 1:02d}"
        lines.append(f"N{i:02d},Newperson {i:02d},{departments[i % 3]},"
                     f"{'Lead' if i % 4 == 1 else 'Advisor'},{manager}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_ties(path: Path, people: int = 12) -> Path:
    """An advice-ties CSV (source, target, weight) naming the people of :func:`write_roster`."""
    lines = ["source,target,weight"]
    for i in range(1, people + 1):
        for step in (1, 3):
            j = (i + step - 1) % people + 1
            lines.append(f"N{i:02d},N{j:02d},{1 + (i + j) % 3}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_with_wizard(qtbot, action, path: Path, monkeypatch, timeout: int = 20_000) -> None:
    """Trigger an import ``action`` of the File menu and click through the wizard it opens:
    Browse (answered with ``path``), Next until the review page, then Import."""
    from PySide6.QtCore import Qt

    from workbench.gui.import_wizard import ImportWizard

    answer_file_dialogs(monkeypatch, open_file=path)
    action.trigger()
    wizard = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ImportWizard) and w.isVisible())
    browse = next(b for b in wizard.file_page.findChildren(type(wizard.next_button))
                  if "Browse" in b.text())
    qtbot.mouseClick(browse, Qt.LeftButton)
    assert wizard.file_edit.text() == str(path)
    for _ in range(4):
        qtbot.waitUntil(lambda: not wizard.busy, timeout=timeout)
        if wizard.pages.currentWidget() is wizard.check_page:
            break
        qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy and
                    wizard.pages.currentWidget() is wizard.check_page, timeout=timeout)
    qtbot.mouseClick(wizard.import_button, Qt.LeftButton)
    from shiboken6 import isValid  # the wizard deletes itself when it closes

    qtbot.waitUntil(lambda: not isValid(wizard) or not wizard.isVisible(), timeout=timeout)
