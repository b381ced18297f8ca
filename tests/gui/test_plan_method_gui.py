"""The plan method on the Plan panel: owners of roles, step gates, schedule rules, windows."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QMessageBox
from test_plan_panel import _open_plan, _stored

from workbench.core.plan.owners import load_owners
from workbench.gui.panels.plan import FIELDS, OPEN_OWNER, OUTSIDE


def _row(panel, uid: str) -> int:
    return next(r for r, a in enumerate(panel.model.actions) if a.uid == uid)


def _shown(panel, uid: str, field: str):
    return panel.model.index(_row(panel, uid), FIELDS.index(field)).data()


def _person(window, role: str):
    return next(p for p in window.session.project.people.list() if p.role == role)


def _picker(dialog, role: str):
    return dialog.pickers[[need.role for need in dialog.needs].index(role)]


def _open_dialog(qtbot, panel, button):
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.method_dialog is not None and
                    panel.method_dialog.isVisible(), timeout=5000)
    return panel.method_dialog


def _pick(qtbot, picker, search: str) -> None:
    """Search the picker as a user types, then take the first match of its pop-up."""
    picker.lineEdit().selectAll()
    qtbot.keyClicks(picker.lineEdit(), search)
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key_Down)
    qtbot.keyClick(popup, Qt.Key_Return)


def _set_status(qtbot, panel, uid: str, status: str) -> None:
    """Choose ``status`` for action ``uid`` in the table's drop-down editor (F2)."""
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(_row(panel, uid), FIELDS.index("status")))
    qtbot.keyClick(panel.table, Qt.Key_F2)
    editor = panel.table.findChild(QComboBox)
    for _ in range(editor.findText(status) - editor.currentIndex()):
        qtbot.keyClick(editor, Qt.Key_Down)
    qtbot.keyClick(editor, Qt.Key_Return)


def _edit_text(qtbot, panel, uid: str, field: str, text: str) -> None:
    """Type ``text`` into a cell of the actions table (F2, replace, Enter)."""
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(_row(panel, uid), FIELDS.index(field)))
    qtbot.keyClick(panel.table, Qt.Key_F2)
    editor = panel.table.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key_Return)


def test_owners_dialog_names_the_person_on_existing_actions_and_undoes(window, qtbot,
                                                                         demo_copy):
    from driving import answer_modal

    panel = _open_plan(window, qtbot, demo_copy)
    project = window.session.project
    role = "Data and systems lead"

    def write(dialog):
        qtbot.keyClicks(dialog.title, "Bring customer-effort data into one report")
        qtbot.mouseClick(dialog.ok, Qt.LeftButton)

    answer_modal(write)
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 9, timeout=5000)
    uid = panel.model.actions[-1].uid
    _edit_text(qtbot, panel, uid, "owner_role", role)
    qtbot.waitUntil(lambda: _shown(panel, uid, "owner") == OPEN_OWNER, timeout=5000)
    assert f"Nobody is confirmed yet for {role}" in panel.method_status.text()
    engineering = _person(window, "Head of Engineering")

    dialog = _open_dialog(qtbot, panel, panel.owners_button)
    roles = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert roles == ["Executive sponsor", "Head of service", "Internal communications lead",
                     "Finance partner", "Operations manager", "Customer insight lead", role]
    picker = _picker(dialog, role)
    assert picker.person_id() is None and picker.currentText() == OPEN_OWNER
    assert "nobody on the roster clearly matches" in dialog.table.item(6, 3).text()
    product = _person(window, "Head of Product")
    assert _picker(dialog, "Customer insight lead").person_id() == product.id  # confirmed
    _pick(qtbot, picker, "Head of Engineering")
    assert picker.person_id() == engineering.id
    assert dialog.table.item(6, 3).text() == "Your choice."
    assert dialog.name_on_actions.isChecked()
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)

    assert load_owners(project)[role] == engineering.id
    qtbot.waitUntil(lambda: _shown(panel, uid, "owner") == engineering.name, timeout=5000)
    assert next(a for a in _stored(window) if a.uid == uid).owner == engineering.name
    assert "Nobody is confirmed" not in panel.method_status.text()

    assert project.history.undo_label == "Confirm action owners"
    window.act_undo.trigger()  # Edit > Undo (Ctrl+Z): one step takes both back
    qtbot.waitUntil(lambda: _shown(panel, uid, "owner") == OPEN_OWNER, timeout=5000)
    assert role not in load_owners(project)
    assert next(a for a in _stored(window) if a.uid == uid).owner == ""


def test_gate_continue_lets_the_next_step_finish(window, qtbot, demo_copy):
    from driving import answer_modal

    panel = _open_plan(window, qtbot, demo_copy)
    project = window.session.project
    plan = project.plans.plans()[0]
    refused: list[str] = []

    def read_and_close(box):
        refused.append(box.text())
        box.button(QMessageBox.Ok).click()

    answer_modal(read_and_close, kind=QMessageBox)
    _set_status(qtbot, panel, "A-0006", "Done")  # step 2 before the step 1 gate
    qtbot.waitUntil(lambda: bool(refused), timeout=5000)
    assert "Step 2 waits for the step 1 gate" in refused[0]
    assert next(a for a in _stored(window) if a.uid == "A-0006").status == "Not started"

    dialog = _open_dialog(qtbot, panel, panel.gate_button)
    assert dialog.chosen_step() == 1  # the gate that is due
    qtbot.waitUntil(lambda: dialog.snapshot() is not None, timeout=20_000)
    measures = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
                for r in range(dialog.table.rowCount())}
    assert measures["Leaders who answered"] == "7"
    assert measures["Customer champions"] == "12"
    assert not dialog.ok.isEnabled()  # no decision chosen yet

    qtbot.mouseClick(dialog.radios["continue"], Qt.LeftButton)
    qtbot.keyClicks(dialog.value, "Champions now fix billing problems with Finance")
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)  # nobody named: the core refuses, kindly
    assert dialog.isVisible() and "Say who decided" in dialog.error.text()
    qtbot.keyClicks(dialog.decided_by, "Executive team")
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

    gate = project.plans.gates(plan.id)[1]
    assert (gate.decision, gate.decided_by, gate.decided_on) == (
        "continue", "Executive team", dt.date.today())
    assert gate.value_created == "Champions now fix billing problems with Finance"
    assert gate.snapshot["ratings"]["before"]["leaders"] == 7
    qtbot.waitUntil(lambda: panel.gates_table.rowCount() == 1, timeout=5000)
    assert [panel.gates_table.item(0, c).text() for c in (0, 1, 3)] == [
        "1", "Continue", "Executive team"]
    assert "step 2 gate is due" in panel.method_status.text()

    _set_status(qtbot, panel, "A-0006", "Done")
    qtbot.waitUntil(lambda: next(a for a in _stored(window) if a.uid == "A-0006").status
                    == "Done", timeout=5000)


def _busiest(actions, start: dt.date, period: int) -> int:
    """The most starts one owner role has in one period of ``period`` days."""
    starts = Counter((a.owner_role, (a.start - start).days // period)
                     for a in actions if a.owner_role)
    return max(starts.values())


def test_schedule_rules_change_the_next_proposal(window, qtbot, demo_copy):
    from workbench.core.plan.apply import propose_for_project, schedule_rules

    panel = _open_plan(window, qtbot, demo_copy)
    project = window.session.project
    start = project.plans.plans()[0].start_date
    assert _busiest(propose_for_project(project).actions, start, 30) > 1  # default: 2 per 14

    dialog = _open_dialog(qtbot, panel, panel.schedule_button)
    for spin, value in ((dialog.max_starts, "1"), (dialog.period_days, "30")):
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin, value)
    assert "more than 1 new action in each 30-day period" in dialog.sentence.text()
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    assert (schedule_rules(project).max_starts, schedule_rules(project).period_days) == (1, 30)

    qtbot.mouseClick(panel.propose_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.proposal_dialog is not None and
                    panel.proposal_dialog.isVisible(), timeout=20_000)
    proposal = panel.proposal_dialog.proposal
    assert proposal.actions
    assert _busiest([*proposal.actions, *_stored(window)], start, 30) == 1
    panel.proposal_dialog.reject()


def test_owners_from_the_proposal_name_the_proposed_actions(window, qtbot, demo_copy):
    panel = _open_plan(window, qtbot, demo_copy)
    qtbot.mouseClick(panel.propose_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.proposal_dialog is not None and
                    panel.proposal_dialog.isVisible(), timeout=20_000)
    proposal_dialog = panel.proposal_dialog
    role = "HR business partner"
    assert role in proposal_dialog.proposal.open_roles
    row = next(r for r, a in enumerate(proposal_dialog.proposal.actions) if a.owner_role == role)
    assert proposal_dialog.table.item(row, 5).text() == f"(open: {role})"

    dialog = _open_dialog(qtbot, panel, proposal_dialog.owners_button)
    assert dialog.parent() is proposal_dialog
    hr = _person(window, "Head of HR")
    assert _picker(dialog, role).person_id() == hr.id  # suggested: role "Head of HR"
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    assert proposal_dialog.table.item(row, 5).text() == hr.name
    assert role not in proposal_dialog.proposal.open_roles
    ok = proposal_dialog.buttons.button(QDialogButtonBox.Ok)
    qtbot.mouseClick(ok, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(a.owner_role == role and a.owner == hr.name
                                for a in _stored(window)), timeout=5000)


def test_a_repeated_step_moves_the_shaded_windows(window, qtbot, demo_copy):
    panel = _open_plan(window, qtbot, demo_copy)
    project = window.session.project
    plan = project.plans.plans()[0]
    start_col = FIELDS.index("start")
    step2 = panel.model.index(_row(panel, "A-0006"), start_col)
    assert step2.data(Qt.BackgroundRole) is None  # inside the step 2 window
    step1_end = plan.start_date + dt.timedelta(days=99)
    project.plans.record_gate(plan.id, 1, "repeat", step1_end, "Half the teams joined",
                              "Board", snapshot={})
    # step 1 gets another 100 days, so step 2 starts 100 days later than it was drafted
    qtbot.waitUntil(lambda: panel.model.index(_row(panel, "A-0006"), start_col)
                    .data(Qt.BackgroundRole) is not None, timeout=5000)
    shaded = panel.model.index(_row(panel, "A-0006"), start_col)
    assert shaded.data(Qt.BackgroundRole).color() == OUTSIDE
    assert "Outside the step 2 window" in shaded.data(Qt.ToolTipRole)
    step1 = panel.model.index(_row(panel, "A-0005"), start_col)
    assert step1.data(Qt.BackgroundRole) is None  # the repeat keeps step 1's own dates in
    assert "after the repeat" in panel.method_status.text()

    # at the end of the repeat window the gate decides to go on: the repeat stays on record
    # (greyed in the Gate decisions tab) and its window keeps step 1's dates inside
    project.plans.record_gate(plan.id, 1, "continue", step1_end + dt.timedelta(days=100),
                              "All teams joined", "Board", snapshot={})
    qtbot.waitUntil(lambda: panel.gates_table.rowCount() == 2, timeout=5000)
    panel.tabs.setCurrentIndex(panel.tabs.count() - 1)
    rows = [[panel.gates_table.item(r, c).text() for c in (0, 1)] for r in range(2)]
    assert rows == [["1", "Repeat this step"], ["1", "Continue"]]
    assert "Replaced by the decision of" in panel.gates_table.item(0, 1).toolTip()
    assert panel.gates_table.item(0, 1).foreground() != panel.gates_table.item(1, 1).foreground()
    assert panel.model.index(_row(panel, "A-0005"), start_col).data(Qt.BackgroundRole) is None


def test_method_buttons_say_why_they_are_off(window, qtbot, tmp_path):
    from workbench.core.project import Project

    path = tmp_path / "empty-plan.owb"
    with Project.create(path, client="Empty plan") as project:
        project.plans.add_plan("100-day plan", 2, dt.date(2026, 1, 5))
    panel = _open_plan(window, qtbot, path)
    assert panel._stack.currentWidget() is panel.content
    assert not panel.gate_button.isEnabled()
    assert "no actions yet" in panel.gate_button.toolTip()
    assert not panel.owners_button.isEnabled()
    assert "owner role" in panel.owners_button.toolTip()
    assert panel.schedule_button.isEnabled()
    panel.set_editing_enabled(False)  # a task is writing to the project
    assert not panel.schedule_button.isEnabled()
    panel.set_editing_enabled(True)
    assert panel.schedule_button.isEnabled()
    assert QApplication.activeModalWidget() is None
