"""The Action library window on the demo engagement: filter, edit, add, undo, XLSX in and out."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench.core.plan.library import LIBRARY_COLUMNS
from workbench.core.plan.project_library import builtin_library, has_own_library, project_library
from workbench.gui.library_dialog import LibraryDialog


def _open(window, qtbot, demo_copy) -> LibraryDialog:
    assert window.open_path(demo_copy)
    window.act_library.trigger()
    dialog = window.findChild(LibraryDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _visible_ids(dialog) -> list[str]:
    proxy, column = dialog.table.proxy, [c.title for c in dialog.table.model.columns].index("Id")
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_filter_edit_add_and_undo_through_the_window(window, qtbot, demo_copy):
    dialog = _open(window, qtbot, demo_copy)
    builtin = builtin_library()
    assert _visible_ids(dialog) == [a.id for a in builtin.actions]
    assert "built-in library" in dialog.source.text()

    target = builtin.actions[5]
    qtbot.keyClicks(dialog.table.filter, target.title)
    assert _visible_ids(dialog) == [target.id]
    dialog.table.view.selectRow(0)
    assert dialog.form.title.text() == target.title

    dialog.form.title.selectAll()
    qtbot.keyClicks(dialog.form.title, "Customer clinic, every week")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    project = window.session.project
    assert project_library(project).by_id(target.id).title == "Customer clinic, every week"
    assert "own edited library" in dialog.source.text()
    dialog.table.filter.clear()
    qtbot.keyClicks(dialog.table.filter, "every week")
    assert _visible_ids(dialog) == [target.id]  # the table shows the new title

    dialog.table.filter.clear()
    count = len(builtin.actions)
    qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
    library = project_library(project)
    assert len(library.actions) == count + 1
    added = library.actions[-1]
    assert added.applies_to == target.applies_to  # the new action joins the selected area
    assert dialog.selected_id == added.id and dialog.form.id.text() == added.id
    assert dialog.table.proxy.rowCount() == count + 1

    qtbot.keyClick(dialog, Qt.Key_Z, Qt.ControlModifier)
    assert len(project_library(project).actions) == count
    assert dialog.table.proxy.rowCount() == count
    qtbot.keyClick(dialog, Qt.Key_Z, Qt.ControlModifier)
    assert not has_own_library(project)
    qtbot.keyClicks(dialog.table.filter, target.title)
    assert _visible_ids(dialog) == [target.id]  # the old title is back in the table
    assert "Undone: Edit library action" in dialog.status.text()


def test_a_bad_form_value_is_refused_with_its_field(window, qtbot, demo_copy, monkeypatch):
    dialog = _open(window, qtbot, demo_copy)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    dialog.form.depends_on.clear()
    qtbot.keyClicks(dialog.form.depends_on, "NOT-AN-ACTION")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert shown and "depends_on" in shown[0] and "NOT-AN-ACTION" in shown[0]
    assert not has_own_library(window.session.project)


def test_xlsx_export_edit_import_and_a_refused_workbook(window, qtbot, demo_copy, tmp_path,
                                                       monkeypatch):
    dialog = _open(window, qtbot, demo_copy)
    project = window.session.project
    path = tmp_path / "library.xlsx"
    task = dialog.export_xlsx(path)
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        pass
    assert path.exists()

    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    column = {name: i + 1 for i, name in enumerate(LIBRARY_COLUMNS)}
    action_id = sheet.cell(2, column["id"]).value
    sheet.cell(2, column["title"]).value = "Edited in the workbook"
    book.save(path)
    task = dialog.import_xlsx(path)
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: "Imported" in dialog.status.text())
    assert project_library(project).by_id(action_id).title == "Edited in the workbook"

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    sheet.cell(3, column["effort"]).value = "enormous"
    book.save(path)
    task = dialog.import_xlsx(path)
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: bool(shown))
    assert "row 3" in shown[0] and "'effort'" in shown[0] and "library.xlsx" in shown[0]
    assert project_library(project).by_id(action_id).title == "Edited in the workbook"

    qtbot.mouseClick(dialog.reset_button, Qt.LeftButton)
    assert not has_own_library(project)
    assert not dialog.reset_button.isEnabled()
