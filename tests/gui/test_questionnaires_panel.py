"""The Questionnaires panel on the demo: rounds, respondents, new round, workbooks round trip."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from workbench.core.questionnaire import builtin_templates
from workbench.core.questionnaire import rounds as R
from workbench.gui.round_dialogs import NewRoundDialog, RespondentDialog


def open_panel(window, demo_copy):
    assert window.open_path(demo_copy)
    window.sidebar.setCurrentRow(1)
    return window.panel(1)


def test_demo_lists_four_rounds_and_seven_respondents(window, demo_copy):
    panel = open_panel(window, demo_copy)
    assert panel.rounds_table.model.rowCount() == 4
    titles = {panel.rounds_table.model.index(r, 1).data() for r in range(4)}
    assert titles == {t.title for t in builtin_templates()}
    assert panel.respondents_table.model.rowCount() == 7
    project = window.session.project
    round_id = panel.current_round_id()
    shown = {p.code: (p.answered, p.visible) for p in panel.respondents_table.model.records}
    answers = project.assessments.answers(round_id)
    template = R.round_template(project, round_id)
    for code, (answered, visible) in shown.items():
        assert visible == len(R.visible_questions(template, answers[code]))
        assert answered == visible  # the demo rounds are complete
    assert panel.rounds_table.model.index(0, 5).data() == "7 of 7"


def test_invalid_template_is_refused_with_its_location(window, demo_copy, tmp_path):
    panel = open_panel(window, demo_copy)
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\ntitle: X\nsections: []\n")
    dialog = NewRoundDialog(panel)
    assert dialog.load_file(bad) is None
    assert dialog.errors.isVisibleTo(dialog)
    assert f"{bad}:4: sections:" in dialog.errors.toPlainText()


def test_new_round_respondent_workbook_round_trip_and_undo(window, demo_copy, tmp_path, qtbot):
    panel = open_panel(window, demo_copy)
    project = window.session.project
    dialog = NewRoundDialog(panel)
    dialog.choices.setCurrentRow(3)
    dialog.name.setText("Insight — 100 days")
    round_id = panel.new_round(dialog)
    assert panel.rounds_table.model.rowCount() == 5 and panel.current_round_id() == round_id
    for name in ("Ada", "Bo"):
        person = RespondentDialog(panel)
        qtbot.keyClicks(person.name, name)
        qtbot.keyClicks(person.department, "Sales")
        panel.add_respondent(person)
    assert [p.code for p in panel.respondents_table.model.records] == ["Ada", "Bo"]

    folder = tmp_path / "out"
    folder.mkdir()
    panel.export_workbooks(folder)
    qtbot.waitUntil(lambda: len(list(folder.glob("*.xlsx"))) == 2 and not window.tasks.busy)
    [ada_file] = folder.glob("*_Ada.xlsx")
    template = R.round_template(project, round_id)
    ratings = [q for q in template.questions() if q.kind == "rating_0_4"]
    book = openpyxl.load_workbook(ada_file)
    for row in book["Questions"].iter_rows(min_row=2):
        if row[0].value == ratings[0].id:
            row[4].value = 2
    book.save(ada_file)

    panel.import_answers([ada_file, tmp_path / "missing.xlsx"])
    qtbot.waitUntil(lambda: panel.preview_dialog is not None)
    preview = panel.preview_dialog
    assert preview.table.model.rowCount() == 2
    assert "missing.xlsx" in preview.details.toPlainText()
    assert preview.summary.text() == "1 of 2 files will be merged."
    qtbot.mouseClick(preview.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert project.assessments.answers(round_id) == {"Ada": {ratings[0].id: 2}, "Bo": {}}
    ada = next(p for p in panel.respondents_table.model.records if p.code == "Ada")
    assert ada.answered == 1
    window.act_undo.trigger()
    assert project.assessments.answers(round_id)["Ada"] == {}


def test_export_template_writes_a_loadable_workbook(window, demo_copy, tmp_path):
    panel = open_panel(window, demo_copy)
    target = tmp_path / "template.xlsx"
    panel.export_template(target)
    round_template = R.round_template(window.session.project, panel.current_round_id())
    assert R.load_template_file(target) == round_template


def test_pick_respondents_from_the_roster_in_one_undoable_edit(window, demo_copy, qtbot):
    from driving import answer_modal

    from workbench.gui.round_dialogs import RosterPickerDialog

    panel = open_panel(window, demo_copy)
    project = window.session.project
    round_id = panel.new_round(_round_dialog(panel, "Pick test"))
    from collections import Counter

    department = Counter(p.department for p in project.people.list()).most_common(1)[0][0]
    wanted = sorted((p for p in project.people.list() if p.department == department),
                    key=lambda p: p.name)[:3]

    def pick(picker):
        table = picker.table
        qtbot.keyClicks(table.filter, wanted[0].name)  # filterable: one person left
        assert table.proxy.rowCount() == 1
        assert [table.proxy.index(0, c).data() for c in range(3)] == [
            wanted[0].name, wanted[0].role, wanted[0].department]
        table.filter.clear()
        qtbot.keyClicks(table.filter, department)
        names = [table.proxy.index(r, 0).data() for r in range(table.proxy.rowCount())]
        view = table.view
        for person in wanted:  # Ctrl+click each row
            index = table.proxy.index(names.index(person.name), 0)
            view.scrollTo(index)
            qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.ControlModifier,
                             view.visualRect(index).center())
        assert picker.ok.text() == "Add 3 respondents"
        assert view.selectionModel().isRowSelected(names.index(wanted[0].name))
        qtbot.mouseClick(picker.ok, Qt.LeftButton)

    def respondent(dialog):
        answer_modal(pick, kind=RosterPickerDialog)
        qtbot.mouseClick(dialog.pick_button, Qt.LeftButton)

    seen = answer_modal(respondent)
    qtbot.mouseClick(panel.buttons["Add respondent…"], Qt.LeftButton)
    assert seen == ["Add respondent"]
    added = project.assessments.respondents(round_id)
    assert sorted((r.name, r.role, r.department) for r in added) == [
        (p.name, p.role, p.department) for p in wanted]
    assert project.history.undo_label == "Add 3 respondents"
    qtbot.waitUntil(lambda: panel.respondents_table.model.rowCount() == 3, timeout=5000)
    window.act_undo.trigger()
    assert project.assessments.respondents(round_id) == []


def test_typing_a_respondent_still_works_next_to_the_roster(window, demo_copy, qtbot):
    from driving import answer_modal

    panel = open_panel(window, demo_copy)
    project = window.session.project
    round_id = panel.new_round(_round_dialog(panel, "Typed"))

    def fill(dialog):
        assert dialog.pick_button.isEnabled()
        qtbot.keyClicks(dialog.name, "Visiting Director")
        qtbot.keyClicks(dialog.role, "Director")
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok),
                         Qt.LeftButton)

    answer_modal(fill)
    qtbot.mouseClick(panel.buttons["Add respondent…"], Qt.LeftButton)
    [added] = project.assessments.respondents(round_id)
    assert (added.code, added.name, added.role) == ("Visiting Director", "Visiting Director",
                                                    "Director")


def _round_dialog(panel, name):
    dialog = NewRoundDialog(panel)
    dialog.choices.setCurrentRow(3)
    dialog.name.setText(name)
    return dialog
