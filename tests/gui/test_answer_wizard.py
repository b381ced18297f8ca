"""The answer wizard driven by the keyboard only, with validation and resuming."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from workbench.core.project import Project
from workbench.core.questionnaire import rounds as R
from workbench.core.questionnaire.schema import Template
from workbench.gui.answer_wizard import OVERVIEW, AnswerWizard


def pulse() -> Template:
    return Template.model_validate({
        "id": "pulse", "version": 1, "title": "Pulse",
        "sections": [
            {"id": "now", "title": "Today", "questions": [
                {"id": "climate", "kind": "rating_0_4", "text": "How open is the climate?",
                 "required": True, "help": "Think of last month.",
                 "anchors": ["closed", "guarded", "mixed", "open", "very open"]},
                {"id": "owner", "kind": "single_choice", "text": "Who owns the customer?",
                 "required": True, "options": ["cco", "none"]}]},
            {"id": "more", "title": "More", "questions": [
                {"id": "why_none", "kind": "text", "text": "Why nobody?",
                 "show_if": {"question": "owner", "equals": "none"}},
                {"id": "energy", "kind": "scale_1_5", "text": "Energy?"}]},
        ]})


@pytest.fixture
def started(tmp_path):
    path = tmp_path / "w.owb"
    with Project.create(path) as project:
        round_id = R.start_round(project, pulse(), "Spring")
        rid = project.assessments.add_respondent(round_id, "L1", name="Ada")
    return path, round_id, rid


def open_wizard(qtbot, project, round_id, rid) -> AnswerWizard:
    wizard = AnswerWizard(project, round_id, rid)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    return wizard


def press(qtbot, wizard, key, modifier=Qt.NoModifier) -> None:
    target = QApplication.focusWidget() if wizard.isActiveWindow() else None
    qtbot.keyClick(target if target is not None and wizard.isAncestorOf(target) else wizard,
                   key, modifier)


def test_keyboard_only_through_branching_with_required_check(qtbot, started):
    path, round_id, rid = started
    with Project.open(path) as project:
        wizard = open_wizard(qtbot, project, round_id, rid)
        assert wizard.counter.text() == "Question 1 of 3"  # why_none hidden until 'none'
        assert wizard.where.text() == "Today"
        assert wizard.help.text().startswith("Think of last month.")
        assert [b.text_label.text() for b in wizard.option_buttons][3] == "open"
        press(qtbot, wizard, Qt.Key_3)
        assert project.assessments.respondent_answers(rid) == {"climate": 3}
        assert project.history.undo_label == "Answer climate"
        press(qtbot, wizard, Qt.Key_Return)
        assert wizard.counter.text() == "Question 2 of 3"
        press(qtbot, wizard, Qt.Key_Return)  # required, unanswered: stays
        assert wizard.current == "owner"
        assert "needs an answer" in wizard.message.text()
        press(qtbot, wizard, Qt.Key_2)
        assert wizard.counter.text() == "Question 2 of 4"  # the follow-up appeared
        press(qtbot, wizard, Qt.Key_Return)
        assert wizard.current == "why_none" and wizard.where.text() == "More"
        qtbot.keyClicks(wizard.editor, "No budget")
        press(qtbot, wizard, Qt.Key_Return)
        assert wizard.current == "energy"
        press(qtbot, wizard, Qt.Key_Backspace)
        assert wizard.current == "why_none"
        press(qtbot, wizard, Qt.Key_Left, Qt.AltModifier)
        assert wizard.current == "owner"
        press(qtbot, wizard, Qt.Key_Return)
        press(qtbot, wizard, Qt.Key_Return)
        press(qtbot, wizard, Qt.Key_5)
        assert wizard.progress.value() == 4 and wizard.progress.maximum() == 4
        press(qtbot, wizard, Qt.Key_Return, Qt.ControlModifier)
        assert wizard.result() == QDialog.Accepted
        assert project.assessments.respondent_answers(rid) == {
            "climate": 3, "owner": "none", "why_none": "No budget", "energy": 5}


def test_finish_refuses_missing_required_answers(qtbot, started):
    path, round_id, rid = started
    with Project.open(path) as project:
        wizard = open_wizard(qtbot, project, round_id, rid)
        press(qtbot, wizard, Qt.Key_4)
        press(qtbot, wizard, Qt.Key_Return, Qt.ControlModifier)
        assert wizard.isVisible() and wizard.current == "owner"
        assert "1 required question" in wizard.message.text()
        press(qtbot, wizard, Qt.Key_9)  # no ninth option: nothing chosen
        assert "owner" not in project.assessments.respondent_answers(rid)


def test_resumes_where_the_respondent_stopped_after_reopening(qtbot, started):
    path, round_id, rid = started
    with Project.open(path) as project:
        wizard = open_wizard(qtbot, project, round_id, rid)
        press(qtbot, wizard, Qt.Key_1)
        press(qtbot, wizard, Qt.Key_Return)
        press(qtbot, wizard, Qt.Key_1)  # owner = cco: why_none stays hidden
        press(qtbot, wizard, Qt.Key_Return)
        assert wizard.current == "energy"
        wizard.reject()
    with Project.open(path) as project:
        wizard = open_wizard(qtbot, project, round_id, rid)
        assert wizard.current == "energy"
        assert wizard.counter.text() == "Question 3 of 3"
        assert wizard.progress.value() == 2
        press(qtbot, wizard, Qt.Key_Return)  # not required: on to the overview
        assert wizard.current == OVERVIEW
        wizard.finish()
    with Project.open(path) as project:
        wizard = open_wizard(qtbot, project, round_id, rid)
        assert wizard.current == OVERVIEW


def test_target_step_digit_is_the_step_number_and_zero_stays(qtbot, tmp_path):
    from workbench.core.questionnaire import builtin_templates

    ladder = next(t for t in builtin_templates() if t.scoring and t.scoring.target_question)
    path = tmp_path / "ladder.owb"
    with Project.create(path) as project:
        round_id = R.start_round(project, ladder, "Baseline")
        rid = project.assessments.add_respondent(round_id, "L1", name="Ada")
        project.assessments.set_answers(rid, {}, position="target_step")
        wizard = open_wizard(qtbot, project, round_id, rid)
        assert wizard.current == "target_step"
        shown = {b.key_label.text(): b.text_label.text() for b in wizard.option_buttons}
        assert shown["2"].startswith("Step 2") and shown["5"].startswith("Step 5")
        assert shown["0"].startswith("Stay where we are")
        assert "Choose 0 to stay" in wizard.help.text()  # the help names the digit shown
        press(qtbot, wizard, Qt.Key_2)
        assert project.assessments.respondent_answers(rid)["target_step"] == "2"
        assert [b.isChecked() for b in wizard.option_buttons].index(True) == 2
        press(qtbot, wizard, Qt.Key_0)
        assert project.assessments.respondent_answers(rid)["target_step"] == "0"
        press(qtbot, wizard, Qt.Key_Return)
        assert wizard.current == "stop_reason"  # the follow-up of staying
        wizard.reject()
