"""The Customer learning page driven as a user would: the form, the board, the canvas, the
import dialog and the presenter, on a small project with a roster, a new empty project and the
demo."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from driving import answer_file_dialogs, answer_modal, write_roster
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from shiboken6 import isValid

from workbench.core import importing
from workbench.core.project import Project
from workbench.gui.learning_experiments import ExperimentDialog
from workbench.gui.learning_import import LearningImportDialog
from workbench.gui.learning_insights import InsightDialog
from workbench.gui.learning_journey import ROWS, JourneyPresenter
from workbench.gui.panels.learning import LearningPanel

PAGE = "Customer learning"


@pytest.fixture(scope="module")
def roster_file(tmp_path_factory):
    """A project with the 12-person roster of driving.write_roster: N01..N12, "Newperson 01"..,
    departments by i % 3: 0 Sales, 1 Service, 2 Marketing (N02 and N05 Marketing, N03 and N06
    Sales); built once, copied per test."""
    folder = tmp_path_factory.mktemp("roster-project")
    path = folder / "lab.owb"
    with Project.create(path, client="Lab Ltd") as project:
        plan = importing.read_people_file(project, write_roster(folder / "roster.csv"))
        importing.apply_import(project, plan, accept_valid=True)
    return path


@pytest.fixture
def roster_project(roster_file, tmp_path):
    path = tmp_path / "lab.owb"
    shutil.copy(roster_file, path)
    return path


def _open(window, path, qtbot) -> LearningPanel:
    assert window.open_path(path)
    window.go_to(PAGE)
    panel = window.stack.currentWidget()
    assert isinstance(panel, LearningPanel)
    _idle(window, qtbot)
    return panel


def _idle(window, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)
    qtbot.wait(200)  # the debounced analysis starts, then ends
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)


def _cells(table, column_title: str) -> list[str]:
    model = table.model()
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Horizontal) == column_title)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _button(root, text: str) -> QPushButton:
    return next(b for b in root.findChildren(QPushButton) if b.text().replace("&", "") == text)


def _next_to(dialog, page, qtbot) -> None:
    """Click Next in an import dialog and wait for ``page``."""
    qtbot.mouseClick(dialog.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.pages.currentWidget() is page,
                    timeout=10_000)


def _cards(panel, stage: str) -> list[str]:
    cards = panel.experiments_tab.board.columns[stage]
    return [cards.item(i).text().split("\n")[0] for i in range(cards.count())]


def test_add_an_insight_with_the_form_then_undo(window, roster_project, qtbot):
    panel = _open(window, roster_project, qtbot)
    assert panel._stack.currentWidget() is panel.empty
    assert "No insights yet" in panel.empty.text.text()
    qtbot.mouseClick(panel.empty.button, Qt.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, InsightDialog) and dialog.isVisible()
    dialog.source.setCurrentText("complaint")
    qtbot.keyClicks(dialog.segment.lineEdit(), "Households")
    qtbot.keyClicks(dialog.summary, "Second bill this month shows the old tariff")
    qtbot.keyClicks(dialog.received_by.lineEdit(), "Newperson 02")
    qtbot.keyClicks(dialog.can_act.lineEdit(), "Head of Billing")
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.insights_tab.model.rowCount() == 1)

    (insight,) = window.session.project.learning.data().insights
    assert (insight.received_by, insight.can_act) == ("N02", "Head of Billing")
    view = panel.insights_tab.view
    assert _cells(view, "Received by") == ["Newperson 02"]
    assert _cells(view, "Can act") == ["Head of Billing"]
    assert _cells(view, "Summary") == ["Second bill this month shows the old tariff"]

    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert window.session.project.learning.data().insights == []
    qtbot.waitUntil(lambda: panel._stack.currentWidget() is panel.empty)


def test_the_form_refuses_an_action_before_the_insight(window, roster_project, qtbot):
    panel = _open(window, roster_project, qtbot)
    dialog = panel.add_insight()
    qtbot.keyClicks(dialog.summary, "Asked for paper bills again")
    dialog.received_on.setDate(dt.date(2026, 3, 10))
    qtbot.mouseClick(dialog.acted, Qt.LeftButton)
    dialog.acted_on.setDate(dt.date(2026, 3, 1))
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    assert dialog.isVisible() and "before it was received" in dialog.error.text()
    assert window.session.project.learning.data().insights == []


def _four_insights(path) -> None:
    """Hand-computed: acted I-0001 after 2 days and I-0002 after 10 (median 6); 2 of 4 acted;
    of the 2 acted, 1 closed with the customer; gatekeeper known for 3, passed by 2."""
    with Project.open(path) as project:
        add = project.learning.add_insight
        add(source="complaint", segment="Households", summary="Meter read twice",
            received_on=dt.date(2026, 1, 1), received_by="N02", can_act="N05",
            acted_on=dt.date(2026, 1, 3), loop_closed=True, via_gatekeeper=False)
        add(source="survey", segment="Households", summary="Wants one bill",
            received_on=dt.date(2026, 1, 1), received_by="N02", can_act="Head of Billing",
            acted_on=dt.date(2026, 1, 11), loop_closed=False, via_gatekeeper=True)
        add(source="partner", segment="Small business", summary="Installer waits for parts",
            received_on=dt.date(2026, 1, 5), received_by="N03", can_act="N06",
            via_gatekeeper=True)
        add(source="partner", segment="Small business", summary="Installer lacks the plan",
            received_on=dt.date(2026, 1, 6), received_by="N03", can_act="N06")


def test_figures_filters_and_receivers_on_a_hand_computed_log(window, roster_project, qtbot):
    _four_insights(roster_project)
    panel = _open(window, roster_project, qtbot)
    tab = panel.insights_tab
    assert tab.median_card.value.text() == "6 days"
    assert tab.acted_card.value.text() == "50%"
    assert tab.closed_card.value.text() == "50%"
    assert tab.gatekeeper_card.value.text() == "67%"

    tab.filter_boxes["source"].setCurrentText("partner")
    assert _cells(tab.view, "Ref") == ["I-0003", "I-0004"]
    tab.filter_boxes["source"].setCurrentText("All")
    qtbot.mouseClick(tab.not_acted, Qt.LeftButton)
    assert _cells(tab.view, "Ref") == ["I-0003", "I-0004"]
    qtbot.mouseClick(tab.not_acted, Qt.LeftButton)
    tab.filter_boxes["department"].setCurrentText("Marketing")  # N02's department
    assert tab.filter_boxes["department"].currentText() == "Marketing"
    assert _cells(tab.view, "Ref") == ["I-0001", "I-0002"]
    assert "2 of 4 insights shown" in tab.shown_note.text()

    tab.views.setCurrentWidget(tab.reach)
    rows = {d: (r, own, other, not_acted) for d, r, own, other, not_acted in zip(
        *(_cells(tab.reach.view, t) for t in ("Receiving department", "Received",
                                               "Acted by its own people", "Acted elsewhere",
                                               "Not acted on")), strict=True)}
    # Marketing (N02): I-0001 acted by N05 (Marketing), I-0002 by a role; Sales (N03): none
    assert rows == {"Marketing": ("2", "1", "1", "0"), "Sales": ("2", "0", "0", "2")}

    tab.views.setCurrentWidget(tab.sources)
    by_source = dict(zip(_cells(tab.sources.view, "Source"),
                         zip(_cells(tab.sources.view, "Received"),
                             _cells(tab.sources.view, "Median days to action"), strict=True),
                         strict=True))
    assert by_source == {"complaint": ("1", "2"), "survey": ("1", "10"), "partner": ("2", "")}


def test_delete_selected_insights_and_bring_them_back(window, roster_project, qtbot):
    _four_insights(roster_project)
    panel = _open(window, roster_project, qtbot)
    tab = panel.insights_tab
    tab.view.selectRow(0)
    qtbot.mouseClick(tab.delete_button, Qt.LeftButton)
    assert _cells(tab.view, "Ref") == ["I-0002", "I-0003", "I-0004"]
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert _cells(tab.view, "Ref") == ["I-0001", "I-0002", "I-0003", "I-0004"]


def test_experiment_added_moved_by_button_and_keyboard(window, roster_project, qtbot):
    panel = _open(window, roster_project, qtbot)
    qtbot.mouseClick(_button(panel.empty, "Open the lab"), Qt.LeftButton)
    panel.tabs.setCurrentWidget(panel.experiments_tab)
    tab = panel.experiments_tab
    assert "No experiments yet" in tab.hint.text()
    assert not tab.action_button.isEnabled()
    qtbot.mouseClick(tab.add_button, Qt.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, ExperimentDialog)
    qtbot.keyClicks(dialog.title, "Cooking evenings for new customers")
    qtbot.mouseClick(dialog.connects["non-customers"], Qt.LeftButton)
    dialog.value_kind.setCurrentText("life-changing")
    qtbot.mouseClick(dialog.add_change_button, Qt.LeftButton)
    dialog.changes.item(0, 1).setText("Store managers rewarded for classes held")
    dialog.changes.cellWidget(0, 0).setCurrentText("incentives")
    qtbot.mouseClick(dialog.ok, Qt.LeftButton)
    qtbot.waitUntil(lambda: _cards(panel, "search") == [
        "E-01  Cooking evenings for new customers"])
    (experiment,) = window.session.project.learning.data().experiments
    assert experiment.connects == ("non-customers",)
    assert [(c.area, c.change) for c in experiment.changes] == [
        ("incentives", "Store managers rewarded for classes held")]

    tab.board.select(experiment.id)
    assert tab.later_button.isEnabled() and not tab.earlier_button.isEnabled()
    qtbot.mouseClick(tab.later_button, Qt.LeftButton)
    assert _cards(panel, "create") == ["E-01  Cooking evenings for new customers"]
    assert _cards(panel, "search") == []
    qtbot.keyClick(tab.board.columns["create"], Qt.Key_Right, Qt.ControlModifier)
    assert _cards(panel, "scale") == ["E-01  Cooking evenings for new customers"]
    assert window.session.project.learning.data().experiments[0].stage == "scale"
    assert window.session.undo_label == "Move experiment E-01 to scale"
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert _cards(panel, "create") == ["E-01  Cooking evenings for new customers"]
    assert "no plan yet" in tab.action_button.toolTip()


def test_canvas_cell_edited_in_place_is_stored_and_undone(window, roster_project, qtbot):
    panel = _open(window, roster_project, qtbot)
    qtbot.mouseClick(_button(panel.empty, "Open the lab"), Qt.LeftButton)
    panel.tabs.setCurrentWidget(panel.journey_tab)
    tab = panel.journey_tab
    tab.segment.setEditText("")
    qtbot.keyClicks(tab.segment.lineEdit(), "Households")

    def name_it(dialog):
        dialog.findChild(QLineEdit).setText("Moving in")
        dialog.accept()

    seen = answer_modal(name_it)
    qtbot.mouseClick(tab.add_button, Qt.LeftButton)
    assert seen == ["Add a journey stage"]
    qtbot.waitUntil(lambda: tab.canvas.columnCount() == 1)
    canvas = tab.canvas
    need = [f for f, _t, _tip in ROWS].index("need")
    canvas.setFocus()
    canvas.setCurrentCell(need, 0)
    qtbot.keyClick(canvas, Qt.Key_F2)
    editor = canvas.findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClicks(editor, "Power on the day the keys arrive")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.session.project.learning.data().journeys["Households"][0]
                    .need == "Power on the day the keys arrive")
    (stage,) = window.session.project.learning.data().journeys["Households"]
    assert stage.name == "Moving in"
    qtbot.waitUntil(lambda: canvas.item(need, 0).text() == "Power on the day the keys arrive")
    assert window.session.undo_label == "Edit journey stage 'Moving in'"
    window.act_undo.trigger()  # Edit › Undo (the name dialog left no window active for keys)
    assert window.session.project.learning.data().journeys["Households"][0].need == ""
    qtbot.waitUntil(lambda: canvas.item(need, 0).text() == "")


def _journey(path) -> None:
    with Project.open(path) as project:
        for name in ("Choosing a tariff", "Moving in", "First bill"):
            project.learning.add_stage("Households", name)
        stage = project.learning.data().journeys["Households"][1]
        project.learning.update_stage(stage.id, handoff_from="Sales", handoff_to="Service",
                                      handoff_break="Meter number not passed on")


def test_present_mode_one_stage_at_a_time(window, roster_project, qtbot):
    _journey(roster_project)
    panel = _open(window, roster_project, qtbot)
    panel.tabs.setCurrentWidget(panel.journey_tab)
    tab = panel.journey_tab
    assert tab.chosen_segment() == "Households"
    qtbot.mouseClick(tab.present_button, Qt.LeftButton)
    presenter = panel.presenter
    assert isinstance(presenter, JourneyPresenter) and presenter.isVisible()
    assert presenter.title.text() == "Choosing a tariff"
    qtbot.keyClick(presenter, Qt.Key_Right)
    assert presenter.title.text() == "Moving in"
    assert "Sales → Service" in presenter.values["handoff"].text()
    assert "Meter number not passed on" in presenter.values["handoff"].text()
    qtbot.keyClick(presenter, Qt.Key_Space)
    assert presenter.title.text() == "First bill"
    assert "stage 3 of 3" in presenter.position.text()
    qtbot.keyClick(presenter, Qt.Key_Space)  # the last stage stays
    assert presenter.title.text() == "First bill"
    qtbot.keyClick(presenter, Qt.Key_Left)
    assert presenter.title.text() == "Moving in"
    qtbot.keyClick(presenter, Qt.Key_Escape)
    qtbot.waitUntil(lambda: panel.presenter is None or not isValid(presenter))


CSV = """Source,Segment,Summary,Date received,Received by,Who can act,Date acted on
complaint,Households,Meter reading estimated twice,2026-02-01,N02,Head of Billing,2026-02-04
compliant,Households,Source mistyped,2026-02-02,N03,,
survey,Small business,Asked for one invoice per site,03/02/2026,Newperson 04,N05,
frontline conversation,Households,Acted before received,2026-02-10,N02,N05,2026-02-01
"""


def test_import_a_csv_through_the_dialog(window, roster_project, qtbot, monkeypatch, tmp_path):
    path = tmp_path / "insight log.csv"
    path.write_text(CSV, encoding="utf-8")
    answer_file_dialogs(monkeypatch, open_file=path)
    panel = _open(window, roster_project, qtbot)
    qtbot.mouseClick(_button(panel.empty, "Import insights…"), Qt.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, LearningImportDialog) and dialog.isVisible()
    browse = next(b for b in dialog.file_page.findChildren(type(dialog.next_button))
                  if "Browse" in b.text())
    qtbot.mouseClick(browse, Qt.LeftButton)
    _next_to(dialog, dialog.preview_page, qtbot)
    assert dialog.preview_table.item(1, 0).text() == "compliant"  # the file as it reads
    _next_to(dialog, dialog.columns_page, qtbot)
    assert dialog.field_boxes["received_on"].currentText() == "Date received"
    assert dialog.field_boxes["can_act"].currentText() == "Who can act"
    _next_to(dialog, dialog.check_page, qtbot)
    assert "2 insights can be imported" in dialog.summary.text()
    problems = dialog.problems
    located = [(problems.topLevelItem(i).child(j).text(1))
               for i in range(problems.topLevelItemCount())
               for j in range(problems.topLevelItem(i).childCount())]
    assert "insight log.csv, row 3, column 'Source'" in located
    assert "insight log.csv, row 5, column 'Date acted on'" in located
    assert dialog.import_button.text().replace("&", "") == "Import valid part"
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    insights = window.session.project.learning.data().insights
    assert [(i.summary, i.received_by, i.can_act) for i in insights] == [
        ("Meter reading estimated twice", "N02", "Head of Billing"),
        ("Asked for one invoice per site", "N04", "N05")]
    qtbot.waitUntil(lambda: panel.insights_tab.model.rowCount() == 2)
    assert window.session.undo_label == "Import 2 insights from insight log.csv"
    window.act_undo.trigger()  # one step takes the import back
    assert window.session.project.learning.data().insights == []


def test_empty_project_tabs_say_what_to_do(window, tmp_path, qtbot):
    path = tmp_path / "empty.owb"
    Project.create(path, client="Empty Ltd").close()
    panel = _open(window, path, qtbot)
    assert panel._stack.currentWidget() is panel.empty
    qtbot.mouseClick(_button(panel.empty, "Open the lab"), Qt.LeftButton)
    assert panel._stack.currentWidget() is panel.content
    assert "No experiments yet" in panel.experiments_tab.hint.text()
    assert "No customer evidence yet" in panel.evidence_tab.note.text()
    assert "Choose or type a segment" in panel.journey_tab.hint.text()
    assert not panel.journey_tab.add_button.isEnabled()  # no segment named yet
    assert panel.insights_tab.median_card.value.text() == "–"
    QApplication.processEvents()


def test_entry_workbook_written_filled_and_read_back(window, roster_project, qtbot,
                                                     monkeypatch, tmp_path):
    from openpyxl import load_workbook

    saves = tmp_path / "saved"
    saves.mkdir()
    answer_file_dialogs(monkeypatch, save_folder=saves)
    panel = _open(window, roster_project, qtbot)
    qtbot.mouseClick(_button(panel.empty, "Entry workbook for teams…"), Qt.LeftButton)
    qtbot.waitUntil(lambda: any(saves.glob("*.xlsx")) and not window.tasks.busy,
                    timeout=10_000)
    (path,) = saves.glob("*.xlsx")
    assert "Entry workbook written" in window.statusBar().currentMessage()
    book = load_workbook(path)
    sheet = book["Insights"]
    headers = [c.value for c in sheet[1]]
    row = {"Source": "frontline conversation", "Segment": "Households",
           "What the customer said": "Movers want one call to switch supply",
           "Date received": dt.datetime(2026, 4, 2), "Who received it": "Newperson 07",
           "Who can act": "Move team lead", "Date acted on": dt.datetime(2026, 4, 9),
           "Customer told": "yes"}
    for name, value in row.items():
        sheet.cell(row=2, column=headers.index(name) + 1, value=value)
    book.save(path)

    answer_file_dialogs(monkeypatch, open_file=path)
    qtbot.mouseClick(_button(panel.empty, "Open the lab"), Qt.LeftButton)
    qtbot.mouseClick(panel.insights_tab.read_workbook_button, Qt.LeftButton)
    dialog = panel.dialog
    qtbot.waitUntil(lambda: not dialog.busy and dialog.pages.currentWidget()
                    is dialog.check_page, timeout=10_000)
    assert "1 insight can be imported" in dialog.summary.text()
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.insights_tab.model.rowCount() == 1, timeout=10_000)
    (insight,) = window.session.project.learning.data().insights
    assert (insight.source, insight.received_by, insight.can_act, insight.days_to_action,
            insight.loop_closed) == ("frontline conversation", "N07", "Move team lead", 7, True)


def test_demo_page_shows_the_planted_patterns(window, demo_copy, qtbot):
    panel = _open(window, demo_copy, qtbot)
    data = window.session.project.learning.data()
    assert panel.insights_tab.model.rowCount() == len(data.insights) >= 100
    kinds = [panel.findings.item(i).data(Qt.UserRole).kind
             for i in range(panel.findings.count())]
    assert {"source_never_acted", "cannot_act"} <= set(kinds)
    shown = "\n".join(panel.findings.item(i).text() for i in range(panel.findings.count()))
    assert "partner" in shown and "Customer Service" in shown
    cards = sum(panel.experiments_tab.board.columns[s].count()
                for s in ("search", "create", "scale", "stopped"))
    assert cards == len(data.experiments) == 6
    panel.tabs.setCurrentWidget(panel.journey_tab)
    canvas = panel.journey_tab.canvas
    assert canvas.columnCount() >= 5
    checks = [canvas.item(len(ROWS), c).text() for c in range(canvas.columnCount())]
    assert any(text.startswith("Barely tied") for text in checks)


def test_pseudonymised_demo_names_nobody_in_the_log(window, pseudonymised_demo, qtbot):
    path, people = pseudonymised_demo
    panel = _open(window, path, qtbot)
    names = {p.name for p in people if p.name}
    view = panel.insights_tab.view
    shown = set(_cells(view, "Received by")) | set(_cells(view, "Can act"))
    assert shown and not shown & names
    texts = [panel.findings.item(i).text() for i in range(panel.findings.count())]
    assert not any(name in text for name in names for text in texts)


def test_demo_experiment_becomes_a_plan_action(window, demo_copy, qtbot):
    panel = _open(window, demo_copy, qtbot)
    panel.tabs.setCurrentWidget(panel.experiments_tab)
    tab = panel.experiments_tab
    project = window.session.project
    scaling = next(e for e in project.learning.data().experiments if e.stage == "scale")
    before = len(project.plans.actions(project.plans.plans()[0].id))
    tab.board.select(scaling.id)
    assert tab.action_button.isEnabled()
    qtbot.mouseClick(tab.action_button, Qt.LeftButton)
    stored = next(e for e in project.learning.data().experiments if e.id == scaling.id)
    actions = project.plans.actions(project.plans.plans()[0].id)
    assert len(actions) == before + 1 and stored.action_id == actions[-1].uid
    assert f"plan action {stored.action_id}" in tab.board.columns["scale"].item(0).text()
    qtbot.waitUntil(lambda: not tab.action_button.isEnabled())  # one action per experiment
    assert stored.action_id in tab.action_button.toolTip()


EVIDENCE_CSV = """Segment;Measure;Value;Unit;Target;Period
Households;churn;12;%;10;2026-Q4
Retail giants;churn;5;%;;2026-Q4
Small business;satisfaction;7,9;score 0-10;8;2026-Q4
"""


def test_import_evidence_replaces_the_measures(window, demo_copy, qtbot, monkeypatch,
                                               tmp_path):
    path = tmp_path / "evidence.csv"
    path.write_text(EVIDENCE_CSV, encoding="utf-8")
    answer_file_dialogs(monkeypatch, open_file=path)
    panel = _open(window, demo_copy, qtbot)
    panel.tabs.setCurrentWidget(panel.evidence_tab)
    qtbot.mouseClick(panel.evidence_tab.import_button, Qt.LeftButton)
    dialog = panel.dialog
    qtbot.mouseClick(_button(dialog.file_page, "Browse…"), Qt.LeftButton)
    for page in (dialog.preview_page, dialog.columns_page, dialog.check_page):
        _next_to(dialog, page, qtbot)
    top = dialog.problems.topLevelItem(0)
    assert top.child(0).text(1) == "evidence.csv, row 3, column 'Segment'"
    assert "Retail giants" in top.child(0).text(0)
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    table = panel.evidence_tab.measures
    qtbot.waitUntil(lambda: table.model.rowCount() == 2, timeout=10_000)
    assert sorted(zip(_cells(table.view, "Segment"), _cells(table.view, "Value"),
                      strict=True)) == [("Households", "12"), ("Small business", "7.9")]
    _idle(window, qtbot)
    beside = panel.evidence_tab.beside.view
    assert set(_cells(beside, "Segment")) == {"Households", "Small business"}


def test_stage_moved_and_deleted_by_buttons(window, roster_project, qtbot):
    _journey(roster_project)
    panel = _open(window, roster_project, qtbot)
    panel.tabs.setCurrentWidget(panel.journey_tab)
    tab = panel.journey_tab
    canvas = tab.canvas
    names = lambda: [canvas.item(0, c).text() for c in range(canvas.columnCount())]  # noqa: E731
    assert names() == ["Choosing a tariff", "Moving in", "First bill"]
    assert canvas.item(len(ROWS), 1).text().startswith("Not measured")  # no network here
    canvas.setCurrentCell(0, 1)
    qtbot.mouseClick(tab.left_button, Qt.LeftButton)
    assert names() == ["Moving in", "Choosing a tariff", "First bill"]
    assert canvas.current_stage().name == "Moving in"
    qtbot.mouseClick(tab.delete_button, Qt.LeftButton)
    assert names() == ["Choosing a tariff", "First bill"]
    window.act_undo.trigger()
    assert names() == ["Moving in", "Choosing a tariff", "First bill"]
