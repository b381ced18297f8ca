"""What a new user meets first: a new engagement after the demo, empty pages, dates, counts."""

from __future__ import annotations

import datetime as dt

import pytest
from driving import answer_file_dialogs, import_with_wizard, write_roster
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from workbench.core.project import Project
from workbench.gui.formatting import edit_format


def _panel(window, title):
    return next(p for p in window.panels if p.title == title)


def _action(window, text):
    return next(a for a in window.findChildren(QAction) if a.text().replace("&", "") == text)


def _new_engagement(window, qtbot, monkeypatch, folder, name="Fresh client"):
    """File → New engagement…, answered with a new file in ``folder``."""
    target = folder / f"{name}.owb"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    window.act_new.trigger()
    qtbot.waitUntil(lambda: window.session is not None and window.session.path == target,
                    timeout=10_000)
    return target


def _visible_texts(widget) -> str:
    texts = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]
    return "\n".join(texts)


def test_new_engagement_after_the_demo_keeps_nothing_of_it(window, qtbot, demo_copy,
                                                            monkeypatch, tmp_path):
    assert window.open_path(demo_copy)
    network = _panel(window, "People & Network")
    window.sidebar.setCurrentRow(window.panels.index(network))
    qtbot.waitUntil(lambda: network.analysis is not None and not window.tasks.busy,
                    timeout=20_000)
    view = network.table.view  # the user clicks a person: the line under the map names them
    qtbot.mouseClick(view.viewport(), Qt.LeftButton,
                     pos=view.visualRect(network.table.proxy.index(0, 0)).center())
    person = network.table.selected()[0]
    demo_name = network.analysis.graph.nodes[person]["name"]
    assert demo_name in network.details.text()
    network.tabs.setCurrentIndex(1)
    qtbot.mouseClick(network.formal_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "ties" in network.comparison.toPlainText(), timeout=20_000)
    demo_comparison = network.comparison.toPlainText()

    _new_engagement(window, qtbot, monkeypatch, tmp_path)
    import_with_wizard(qtbot, _action(window, "Import people…"),
                       write_roster(tmp_path / "roster.csv"), monkeypatch)
    window.sidebar.setCurrentRow(window.panels.index(network))
    qtbot.waitUntil(lambda: network._stack.currentWidget() is network.content, timeout=5000)
    assert network.comparison.toPlainText() == ""
    assert demo_comparison not in network.comparison.toPlainText()
    shown = _visible_texts(network) + network.comparison.toPlainText()
    assert demo_name not in shown
    assert "12 people in the roster and no network yet" in network.hint.text()
    assert all(card.value.text() == "–" for card in network.cards.values())
    assert network.table.model.rowCount() == 0 and network.findings.count() == 0


def test_every_empty_state_shows_its_whole_explanation(window, tmp_path):
    path = tmp_path / "empty.owb"
    Project.create(path, client="Empty Ltd").close()
    assert window.open_path(path)
    for width, height in ((1280, 800), (1600, 1000)):
        window.resize(width, height)
        for row, panel in enumerate(window.panels):
            window.sidebar.setCurrentRow(row)
            if panel.title == "Engagement":  # always has content once a project is open
                continue
            assert panel._stack.currentWidget() is panel.empty, panel.title
            text = panel.empty.text
            assert text.isVisible()
            assert text.width() >= 400, panel.title  # not squeezed into a narrow column
            assert text.height() >= text.heightForWidth(text.width()), (panel.title, width)


def test_new_engagement_runs_one_hundred_days(window, qtbot, monkeypatch, tmp_path):
    _new_engagement(window, qtbot, monkeypatch, tmp_path)
    engagement = _panel(window, "Engagement")
    assert window.stack.currentWidget() is engagement
    assert engagement.end.date() == engagement.start.date().addDays(100)
    stored = window.session.project.engagement.get()
    assert stored.end_date == stored.start_date + dt.timedelta(days=100)
    # moving the start moves an end date nobody chose
    engagement.start.setFocus()
    engagement.start.setDate(QDate(2026, 1, 5))
    engagement.start.editingFinished.emit()
    qtbot.waitUntil(lambda: engagement.end.date() == QDate(2026, 4, 15), timeout=5000)


def test_dates_are_shown_in_the_locale_short_format(window, qtbot, demo_copy):
    assert window.open_path(demo_copy)
    engagement = _panel(window, "Engagement")
    stored = window.session.project.engagement.get()
    # date fields: the locale's short date (the year always in full, so typing is safe)
    assert engagement.start.displayFormat() == edit_format()
    short = QLocale().dateFormat(QLocale.ShortFormat)
    assert edit_format() in (short, short.replace("yy", "yyyy"))
    assert engagement.start.text() == QLocale().toString(
        QDate(stored.start_date.year, stored.start_date.month, stored.start_date.day),
        edit_format())
    plan = _panel(window, "Plan")
    window.sidebar.setCurrentRow(window.panels.index(plan))
    qtbot.waitUntil(lambda: plan.model.rowCount() > 0, timeout=10_000)
    action = plan.model.actions[0]
    start_column = [plan.model.headerData(c, Qt.Horizontal) for c in
                    range(plan.model.columnCount())].index("Start")
    shown = plan.model.index(0, start_column).data()
    assert shown == QLocale().toString(QDate(action.start.year, action.start.month,
                                             action.start.day), QLocale.ShortFormat)


@pytest.mark.parametrize(("people", "expected"), [(1, "person in the roster"),
                                                  (2, "people in the roster")])
def test_engagement_cards_count_in_words(window, tmp_path, people, expected):
    from workbench.core.model import Person

    path = tmp_path / "few.owb"
    with Project.create(path, client="Few") as project:
        project.people.add_many([Person(id=f"P{i}", name=f"P {i}") for i in range(people)],
                                "Add")
        from workbench.core.questionnaire import builtin_templates
        from workbench.core.questionnaire import rounds as R

        round_id = R.start_round(project, builtin_templates()[0], "Spring")
        project.assessments.add_respondent(round_id, "L1", name="Ada")
    assert window.open_path(path)
    cards = _panel(window, "Engagement").cards
    assert (cards["people"].value.text(), cards["people"].caption.text()) == (str(people),
                                                                              expected)
    assert cards["respondents"].caption.text() == "questionnaire respondent"
    assert cards["networks"].caption.text() == "networks mapped"


def test_file_dialog_answers_are_recorded(monkeypatch, tmp_path):
    asked = answer_file_dialogs(monkeypatch, save_folder=tmp_path)
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(None, "Export", "plan", "Excel workbook (*.xlsx)")
    assert path.endswith("plan.xlsx") and asked == [("save", "Export")]
