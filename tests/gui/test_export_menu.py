"""File → Export: one entry per deliverable, each asking for a file and writing it in a task
with progress and Cancel; the status bar says where it went, failures come as a message."""

from __future__ import annotations

from driving import answer_file_dialogs, answer_modal
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

MENU = ["Plan workbook (.xlsx)…", "Narrative report (.docx)…", "Slide deck (.pptx)…",
        "Summary (.pdf)…"]
MAGIC = {".xlsx": b"PK\x03\x04", ".docx": b"PK\x03\x04", ".pptx": b"PK\x03\x04",
         ".pdf": b"%PDF-"}


def _export_menu(window):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a.menu() for a in file_menu.actions() if a.text() == "&Export")


def test_each_deliverable_is_written_from_the_export_menu(window, qtbot, demo_copy, tmp_path,
                                                          monkeypatch):
    menu = _export_menu(window)
    assert not menu.isEnabled()  # nothing to export without an engagement
    asked = answer_file_dialogs(monkeypatch, save_folder=tmp_path)
    assert window.open_path(demo_copy)
    assert menu.isEnabled() and [a.text() for a in menu.actions()] == MENU
    assert menu.actions()[0].shortcut() == QKeySequence("Ctrl+E")  # the workbook keeps Ctrl+E
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)
    for number, action in enumerate(menu.actions(), start=1):
        if number == 1:
            qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier)
        else:
            action.trigger()
        qtbot.waitUntil(lambda: window.task_bar.isVisible(), timeout=5000)  # progress shown
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30_000)
        (written,) = tmp_path.glob(f"{number:03d}-*")
        name = action.text().split(" (")[0]
        assert written.read_bytes().startswith(MAGIC[written.suffix])
        assert window.statusBar().currentMessage() == f"{name} written to {written}"
    assert [s for s in (tmp_path.glob("*")) if s.name.startswith(".")] == []  # no temp file
    assert [caption for _kind, caption in asked] == [
        "Export plan workbook", "Export narrative report", "Export slide deck",
        "Export summary"]
    assert [p.suffix for p in sorted(tmp_path.glob("0*"))] == [".xlsx", ".docx", ".pptx",
                                                               ".pdf"]


def test_cancel_in_the_task_bar_leaves_no_file(window, qtbot, demo_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    answer_file_dialogs(monkeypatch, save_folder=out)
    assert window.open_path(demo_copy)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)
    _export_menu(window).actions()[2].trigger()  # the slide deck
    bar = window.task_bar
    assert bar.isVisible() and bar.message.toolTip().startswith("Writing 001-")
    qtbot.mouseClick(bar.cancel, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30_000)
    assert list(out.iterdir()) == []
    assert "written" not in window.statusBar().currentMessage()


def test_a_failed_export_is_told_in_a_message(window, qtbot, demo_copy, tmp_path, monkeypatch):
    answer_file_dialogs(monkeypatch, save_folder=tmp_path)
    assert window.open_path(demo_copy)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)
    (tmp_path / f"001-{demo_copy.stem} report.docx").mkdir()  # a folder where the file goes
    told = []

    def read(box):
        told.append(box.text())
        box.accept()

    seen = answer_modal(read, kind=QMessageBox)
    _export_menu(window).actions()[1].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    assert "this is a folder" in told[0]
    assert list((tmp_path / f"001-{demo_copy.stem} report.docx").iterdir()) == []
