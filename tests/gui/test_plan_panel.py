"""Plan panel: propose actions on the demo, edit a status with the keyboard, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox

from workbench.gui.main_window import PANELS
from workbench.gui.panels.plan import FIELDS


def _open_plan(window, qtbot, demo_copy):
    assert window.open_path(demo_copy)
    window.sidebar.setCurrentRow([title for title, _m, _n in PANELS].index("Plan"))
    panel = window._plan_panel()
    # the timeline and evidence start once the table is painted: wait for them too
    qtbot.waitUntil(lambda: not panel._background_start.pending and not window.tasks.busy,
                    timeout=20_000)
    return panel


def _stored(window):
    project = window.session.project
    return project.plans.actions(project.plans.plans()[0].id)


def test_propose_actions_and_undo(window, qtbot, demo_copy):
    panel = _open_plan(window, qtbot, demo_copy)
    before = panel.model.rowCount()
    qtbot.mouseClick(panel.propose_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.proposal_dialog is not None and
                    panel.proposal_dialog.isVisible(), timeout=20_000)
    dialog = panel.proposal_dialog
    offered = len(dialog.proposal.actions)
    assert offered > 2
    dialog.table.item(0, 0).setCheckState(Qt.Unchecked)  # the user drops one
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert ok.text() == f"Add {offered - 1} actions"
    qtbot.mouseClick(ok, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == before + offered - 1, timeout=5000)
    stored = _stored(window)
    assert dialog.proposal.actions[0].library_id not in {a.library_id for a in stored}
    # the added actions take the plan's next ids, without a hole where the dropped one was
    assert [a.uid for a in stored[before:]] == [f"A-{n:04d}" for n in range(
        before + 1, before + offered)]
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: panel.model.rowCount() == before, timeout=5000)


def test_edit_status_with_the_keyboard_then_undo(window, qtbot, demo_copy):
    panel = _open_plan(window, qtbot, demo_copy)
    row = next(r for r, a in enumerate(panel.model.actions) if a.status == "Not started")
    uid = panel.model.actions[row].uid
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(row, FIELDS.index("status")))
    qtbot.keyClick(panel.table, Qt.Key_F2)
    editor = panel.table.findChild(QComboBox)
    assert editor is not None and editor.currentText() == "Not started"
    qtbot.keyClick(editor, Qt.Key_Down)  # -> In progress
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: next(a for a in _stored(window) if a.uid == uid).status
                    == "In progress", timeout=5000)
    shown = panel.model.index(row, FIELDS.index("status")).data()
    assert shown == "In progress"
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.index(row, FIELDS.index("status")).data()
                    == "Not started", timeout=5000)
    assert next(a for a in _stored(window) if a.uid == uid).status == "Not started"


def test_export_import_round_trip_from_the_menu(window, qtbot, demo_copy, tmp_path):
    from openpyxl import load_workbook

    panel = _open_plan(window, qtbot, demo_copy)
    out = tmp_path / "plan.xlsx"
    panel.export_workbook(out)
    qtbot.waitUntil(lambda: out.exists() and not window.tasks.busy, timeout=20_000)
    book = load_workbook(out)
    sheet = book["Plan"]
    status_col = [c.value for c in sheet[1]].index("Status") + 1
    uid = sheet.cell(2, 1).value
    sheet.cell(2, status_col).value = "Blocked"
    book.save(out)
    panel.import_edits(out)
    qtbot.waitUntil(lambda: panel.import_dialog is not None and
                    panel.import_dialog.isVisible(), timeout=20_000)
    dialog = panel.import_dialog
    assert dialog.changes.rowCount() == 1 and dialog.changes.item(0, 4).text() == "Blocked"
    qtbot.mouseClick(dialog.apply, Qt.LeftButton)
    qtbot.waitUntil(lambda: next(a for a in _stored(window) if a.uid == uid).status
                    == "Blocked", timeout=5000)


def test_no_network_shows_insufficient_data(window, qtbot, tmp_path):
    from workbench.core.plan.apply import add_custom_action
    from workbench.core.project import Project

    path = tmp_path / "empty.owb"
    with Project.create(path, client="Empty") as project:
        add_custom_action(project, "First step", 1)
    panel = _open_plan(window, qtbot, path)
    qtbot.waitUntil(lambda: "Insufficient data" in panel.evidence_status.text(), timeout=20_000)
    assert panel.model.rowCount() == 1


def test_add_action_button_asks_for_the_action(window, qtbot, demo_copy):
    from driving import answer_modal

    panel = _open_plan(window, qtbot, demo_copy)
    before = panel.model.rowCount()

    def fill(dialog):
        qtbot.keyClicks(dialog.title, "Weekly customer huddle")
        qtbot.mouseClick(dialog.ok, Qt.LeftButton)

    seen = answer_modal(fill)
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    assert seen == ["Add action"]
    qtbot.waitUntil(lambda: panel.model.rowCount() == before + 1, timeout=5000)
    assert "Weekly customer huddle" in [a.title for a in panel.model.actions]


def _import_preview_opens(window, qtbot, panel, monkeypatch, workbook, start) -> None:
    from driving import answer_file_dialogs

    asked = answer_file_dialogs(monkeypatch, open_file=workbook)
    start()
    assert asked == [("open", "Import plan edits")]
    qtbot.waitUntil(lambda: panel.import_dialog is not None and
                    panel.import_dialog.isVisible(), timeout=20_000)
    assert panel.import_dialog.windowTitle() == f"Import plan edits – {workbook.name}"
    panel.import_dialog.reject()


def test_import_edits_button_opens_the_file_dialog(window, qtbot, demo_copy, monkeypatch,
                                                   demo_plan_workbook):
    panel = _open_plan(window, qtbot, demo_copy)
    _import_preview_opens(window, qtbot, panel, monkeypatch, demo_plan_workbook,
                          lambda: qtbot.mouseClick(panel.import_button, Qt.LeftButton))


def test_import_plan_edits_menu_opens_the_file_dialog(window, qtbot, demo_copy, monkeypatch,
                                                      demo_plan_workbook):
    panel = _open_plan(window, qtbot, demo_copy)
    assert window.act_import_plan in window.menuBar().actions()[0].menu().actions()
    _import_preview_opens(window, qtbot, panel, monkeypatch, demo_plan_workbook,
                          window.act_import_plan.trigger)


def test_propose_without_ratings_says_why_there_is_nothing(window, qtbot, tmp_path):
    from workbench.core.project import Project

    path = tmp_path / "fresh.owb"
    Project.create(path, client="Fresh").close()
    panel = _open_plan(window, qtbot, path)
    assert panel._stack.currentWidget() is panel.empty
    qtbot.mouseClick(panel.empty.button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.proposal_dialog is not None and
                    panel.proposal_dialog.isVisible(), timeout=20_000)
    dialog = panel.proposal_dialog
    texts = " ".join(w.text() for w in dialog.findChildren(type(panel.hint)))
    assert "No leader has rated the maturity ladder yet" in texts
    assert "meet it for this step" not in texts and "already holds" not in texts
    assert not dialog.table.isVisible()
    assert not dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
    dialog.reject()


def test_first_action_can_be_written_without_ratings(window, qtbot, tmp_path):
    from driving import answer_modal

    from workbench.core.project import Project

    path = tmp_path / "fresh.owb"
    Project.create(path, client="Fresh").close()
    panel = _open_plan(window, qtbot, path)

    def fill(dialog):
        qtbot.keyClicks(dialog.title, "Map who customers call first")
        qtbot.mouseClick(dialog.ok, Qt.LeftButton)

    answer_modal(fill)
    qtbot.mouseClick(panel.empty_add_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel._stack.currentWidget() is panel.content, timeout=5000)
    assert [a.title for a in panel.model.actions] == ["Map who customers call first"]
