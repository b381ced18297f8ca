"""The Action library window on the demo engagement: filter, edit, add, undo, XLSX in and out."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench.core.plan.library import LIBRARY_COLUMNS, TO_AGREE, item_label
from workbench.core.plan.project_library import (
    builtin_library,
    dependents,
    has_own_library,
    project_library,
)
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


def _show_only(dialog, qtbot, text: str) -> None:
    dialog.table.filter.clear()
    qtbot.keyClicks(dialog.table.filter, text)


def _retype(qtbot, line_edit, text: str) -> None:
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key_Delete)
    qtbot.keyClicks(line_edit, text)


def test_filter_edit_add_and_undo_through_the_window(window, qtbot, demo_copy):
    dialog = _open(window, qtbot, demo_copy)
    builtin = builtin_library()
    assert _visible_ids(dialog) == [a.id for a in builtin.actions]
    assert "built-in library" in dialog.source.text()

    target = builtin.actions[5]
    _show_only(dialog, qtbot, target.title)
    assert _visible_ids(dialog) == [target.id]
    dialog.table.view.selectRow(0)
    assert dialog.form.title.text() == target.title
    assert dialog.form.items.refs() == list(target.applies_to)
    assert dialog.form.data_source.text() == target.data_source

    _retype(qtbot, dialog.form.title, "Customer clinic in the Harbour room")
    _retype(qtbot, dialog.form.unit, "cases per month")
    _retype(qtbot, dialog.form.baseline, "0")
    _retype(qtbot, dialog.form.target, "12")
    _retype(qtbot, dialog.form.data_source, "Clinic log kept by the operations team")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    project = window.session.project
    saved = project_library(project).by_id(target.id)
    assert saved.title == "Customer clinic in the Harbour room"
    assert (saved.unit, saved.baseline, saved.target) == ("cases per month", 0.0, 12.0)
    assert saved.data_source == "Clinic log kept by the operations team"
    assert saved.applies_to == target.applies_to
    assert "own edited library" in dialog.source.text()
    _show_only(dialog, qtbot, "Harbour room")
    assert _visible_ids(dialog) == [target.id]  # the table shows the new title
    row = [dialog.table.proxy.index(0, c).data() for c in range(dialog.table.proxy.columnCount())]
    assert "0 → 12 cases per month" in row
    assert "; ".join(item_label(r) for r in target.applies_to) in row

    dialog.table.filter.clear()
    count = len(builtin.actions)
    qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
    library = project_library(project)
    assert len(library.actions) == count + 1
    added = library.actions[-1]
    assert added.applies_to == target.applies_to  # the new action serves the same items
    assert (added.step, added.target, added.data_source) == (target.step, None, TO_AGREE)
    assert dialog.selected_id == added.id and dialog.form.id.text() == added.id
    assert dialog.table.proxy.rowCount() == count + 1
    assert "a target, data source or questionnaire to check" in dialog.coverage.text()
    assert f"{added.id} has no target yet" in dialog.coverage.toolTip()

    qtbot.keyClick(dialog, Qt.Key_Z, Qt.ControlModifier)
    assert len(project_library(project).actions) == count
    assert dialog.table.proxy.rowCount() == count
    qtbot.keyClick(dialog, Qt.Key_Z, Qt.ControlModifier)
    assert not has_own_library(project)
    _show_only(dialog, qtbot, target.title)
    assert _visible_ids(dialog) == [target.id]  # the old title is back in the table
    assert "Undone: Edit library action" in dialog.status.text()


def test_ticking_items_moves_a_ladder_action_and_saves_what_it_serves(window, qtbot, demo_copy,
                                                                     monkeypatch):
    dialog = _open(window, qtbot, demo_copy)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    project = window.session.project
    builtin = builtin_library()
    action = next(a for a in builtin.actions if a.step == 1 and len(a.applies_to) == 1
                  and a.applies_to[0].startswith("maturity_ladder:")
                  and not dependents(builtin, a.id))
    dialog.select(action.id)
    picker = dialog.form.items
    assert picker.list.item(0).data(Qt.UserRole) == action.applies_to[0]  # served items first

    # swap the step-1 cell for a step-3 cell, with the keyboard: find, move, Space ticks
    picker.list.setFocus()
    picker.list.setCurrentRow(0)
    qtbot.keyClick(picker.list, Qt.Key_Space)
    assert picker.refs() == []
    qtbot.keyClicks(picker.filter, "s3_working_climate")
    visible = [picker.list.item(r) for r in range(picker.list.count())
               if not picker.list.item(r).isHidden()]
    assert [e.data(Qt.UserRole) for e in visible] == ["maturity_ladder:s3_working_climate"]
    picker.list.setFocus()
    picker.list.setCurrentItem(visible[0])
    qtbot.keyClick(picker.list, Qt.Key_Space)
    assert dialog.form.step.currentData() == 3  # the step follows the ladder cell
    picker.filter.clear()
    qtbot.keyClicks(picker.filter, "transparency")
    entry = picker.entry("org_design:transparency")
    picker.list.setCurrentItem(entry)
    qtbot.keyClick(picker.list, Qt.Key_Space)
    assert dialog.form.step.currentData() == 3  # not a ladder cell: the step stays

    dialog.form.depends_on.clear()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert shown == []
    saved = project_library(project).by_id(action.id)
    assert saved.applies_to == ("maturity_ladder:s3_working_climate", "org_design:transparency")
    assert saved.step == 3


def test_a_bad_form_value_is_refused_with_its_field(window, qtbot, demo_copy, monkeypatch):
    dialog = _open(window, qtbot, demo_copy)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    dialog.form.depends_on.clear()
    qtbot.keyClicks(dialog.form.depends_on, "NOT-AN-ACTION")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert shown and "depends_on" in shown[0] and "NOT-AN-ACTION" in shown[0]

    dialog.revert_button.click()
    _retype(qtbot, dialog.form.target, "thirty")
    dialog.form.unit.clear()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "'target'" in shown[-1] and "'unit'" in shown[-1]

    dialog.revert_button.click()
    first = builtin_library().actions[0]
    assert first.applies_to[0].startswith("maturity_ladder:s1_")
    dialog.form.step.setCurrentIndex(dialog.form.step.findData(4))
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "a cell of ladder step 1" in shown[-1] and "'applies_to[0]'" in shown[-1]
    assert not has_own_library(window.session.project)


def test_xlsx_export_edit_import_and_a_refused_workbook(window, qtbot, demo_copy, tmp_path,
                                                       monkeypatch):
    dialog = _open(window, qtbot, demo_copy)
    project = window.session.project
    path = tmp_path / "library.xlsx"
    dialog.export_xlsx(path)  # a task may finish before a wait for its signal begins
    qtbot.waitUntil(lambda: "Exported" in dialog.status.text(), timeout=20_000)
    assert path.exists()

    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    column = {name: i + 1 for i, name in enumerate(LIBRARY_COLUMNS)}
    action_id = sheet.cell(2, column["id"]).value
    sheet.cell(2, column["title"]).value = "Edited in the workbook"
    sheet.cell(2, column["target"]).value = 42
    book.save(path)
    dialog.import_xlsx(path)
    qtbot.waitUntil(lambda: "Imported" in dialog.status.text(), timeout=20_000)
    assert project_library(project).by_id(action_id).title == "Edited in the workbook"
    assert project_library(project).by_id(action_id).target == 42
    assert dialog.form.target.text() == "42"

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    sheet.cell(3, column["effort"]).value = "enormous"
    book.save(path)
    dialog.import_xlsx(path)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "row 3" in shown[0] and "'effort'" in shown[0] and "library.xlsx" in shown[0]
    assert project_library(project).by_id(action_id).title == "Edited in the workbook"

    qtbot.mouseClick(dialog.reset_button, Qt.LeftButton)
    assert not has_own_library(project)
    assert not dialog.reset_button.isEnabled()
