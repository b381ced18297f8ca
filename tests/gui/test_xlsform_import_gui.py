"""New round from a real XLSForm: the user loads it, sees what was skipped, starts the round."""

from __future__ import annotations

from driving import answer_file_dialogs, answer_modal
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from workbench.core.questionnaire import rounds as R
from workbench.gui.round_dialogs import NewRoundDialog


def kobo_form(path):
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for row in [("type", "name", "label"), ("start", "start", None),
                ("geopoint", "site", "Where is the site?"),
                ("select_one yes_no", "open_plan", "Do you work in an open-plan office?"),
                ("integer", "desks", "How many desks?")]:
        survey.append(row)
    choices = book.create_sheet("choices")
    for row in [("list_name", "name", "label"), ("yes_no", "yes", "Yes"), ("yes_no", "no", "No")]:
        choices.append(row)
    book.save(path)
    return path


def test_loading_an_xlsform_shows_the_skipped_rows_and_starts_the_round(
        window, demo_copy, tmp_path, qtbot, monkeypatch):
    path = kobo_form(tmp_path / "office_survey.xlsx")
    answer_file_dialogs(monkeypatch, open_file=path)
    assert window.open_path(demo_copy)
    window.sidebar.setCurrentRow(1)
    panel = window.panel(1)
    rounds_before = panel.rounds_table.model.rowCount()
    seen: dict[str, object] = {}

    def use_the_form(dialog):
        qtbot.mouseClick(dialog.load_button, Qt.LeftButton)
        seen["item"] = dialog.choices.currentItem().text()
        seen["shown"] = dialog.warnings.isVisible() and not dialog.errors.isVisible()
        seen["warnings"] = dialog.warnings.toPlainText().splitlines()
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
        qtbot.mouseClick(ok, Qt.LeftButton)

    opened = answer_modal(use_the_form, kind=NewRoundDialog)
    qtbot.mouseClick(panel.buttons["New round…"], Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(opened))
    assert seen["item"] == "office survey  ·  version 1  ·  2 questions"
    assert seen["shown"]
    lines = seen["warnings"]
    assert lines[0] == ("office_survey.xlsx loaded, with 2 warnings about what the app "
                        "skipped or changed:")
    assert lines[2:] == [
        "office_survey.xlsx, sheet 'survey', row 2, column 'type': type 'start' is metadata "
        "the form records by itself, which the app cannot ask; skipped",
        "office_survey.xlsx, sheet 'survey', row 3, column 'type': type 'geopoint' is a "
        "location, which the app cannot ask; skipped"]
    assert panel.rounds_table.model.rowCount() == rounds_before + 1
    template = R.round_template(window.session.project, panel.current_round_id())
    assert [q.id for q in template.questions()] == ["open_plan", "desks"]
