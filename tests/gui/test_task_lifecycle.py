"""One task lifecycle: supersede by key, every task in the task bar with its own Cancel,
failures reported and logged, editing disabled while a task writes; plus the seams panels use
(the application context, refresh when shown, no notice for an edit that changed nothing)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThreadPool, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractItemView, QMessageBox

from workbench.core.errors import WorkbenchError
from workbench.gui.context import AppContext
from workbench.gui.main_window import PANELS
from workbench.gui.session import ProjectSession
from workbench.gui.workers import TaskRunner

PLAN_ROW = [title for title, _module, _name in PANELS].index("Plan")


class RecordingContext:
    """A real application context for panels built on their own: it runs tasks on the thread
    pool and records the errors, status messages and page changes it is asked for."""

    def __init__(self, session: ProjectSession | None = None) -> None:
        self.session = session
        self.errors: list[tuple[str, str]] = []
        self.statuses: list[str] = []
        self.pages: list[str] = []
        self.tasks = TaskRunner(report_error=self.show_error)

    @property
    def busy_writing(self) -> bool:
        return self.tasks.busy_writing

    def show_error(self, message: str, details: str = "") -> None:
        self.errors.append((message, details))

    def show_status(self, message: str, msecs: int = 6000) -> None:
        self.statuses.append(message)

    def go_to(self, page: str) -> None:
        self.pages.append(page)


def waiting_for(event: threading.Event, result=None):
    """Work that runs until ``event`` is set (or it is cancelled), then returns ``result``."""
    def work(progress):
        progress.update(0.1, "Waiting")
        while not event.wait(0.01):
            progress.check()
        return result
    return work


@pytest.fixture(autouse=True)
def enough_threads():
    """Several tasks wait at once here; give the pool room even on a two-core machine."""
    pool = QThreadPool.globalInstance()
    before = pool.maxThreadCount()
    pool.setMaxThreadCount(max(before, 6))
    yield
    pool.waitForDone(10_000)
    pool.setMaxThreadCount(before)


@pytest.fixture
def ctx(qtbot):
    context = RecordingContext()
    yield context
    context.tasks.cancel_all()
    qtbot.waitUntil(lambda: not context.tasks.busy, timeout=10_000)


@pytest.fixture
def log_folder(tmp_path):
    from workbench.logs import configure_logging, stop_logging

    folder = tmp_path / "logs"
    configure_logging(folder, console=False)
    yield folder
    stop_logging()


def _open_demo(window, qtbot, demo_copy):
    assert window.open_path(demo_copy)
    plan = window.panel(PLAN_ROW)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30_000)
    return plan


def test_the_recording_context_is_an_app_context(ctx):
    context: AppContext = ctx  # the protocol is what panels and dialogs are given
    assert context.tasks is ctx.tasks and not context.busy_writing


# -- supersede ---------------------------------------------------------------------------------


def test_a_task_with_the_same_key_supersedes_the_running_one(ctx, qtbot):
    first_may_end, second_may_end = threading.Event(), threading.Event()
    applied, finished = [], []

    def stubborn(progress):  # ignores Cancel: finishes late, after the second one
        first_may_end.wait(10)
        return "old"

    first = ctx.tasks.run_task("score", "First", stubborn, applied.append,
                               on_finished=lambda: finished.append("first"))
    second = ctx.tasks.run_task("score", "Second", waiting_for(second_may_end, "new"),
                                applied.append, on_finished=lambda: finished.append("second"))
    assert first.superseded and first.cancelling and not second.superseded
    second_may_end.set()
    qtbot.waitUntil(lambda: applied == ["new"], timeout=10_000)
    first_may_end.set()
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=10_000)
    assert applied == ["new"]  # the late, older result is dropped, never applied
    assert finished == ["second"] and ctx.errors == []


def test_a_panel_task_supersedes_its_own_earlier_one_only(ctx, qtbot, demo):
    from workbench.gui.panels.plan import PlanPanel

    session = ProjectSession(demo)
    panel = PlanPanel()
    qtbot.addWidget(panel)
    panel.set_context(ctx)
    panel.set_session(session)
    gate = threading.Event()
    applied = []
    old = panel.run_task("export-workbook", "Old", waiting_for(gate, "old"), applied.append)
    other = ctx.tasks.run_task("export-workbook", "Not the panel's", waiting_for(gate, "other"),
                               applied.append)
    new = panel.run_task("export-workbook", "New", waiting_for(gate, "new"), applied.append)
    assert old.superseded and not other.superseded and not new.superseded
    gate.set()
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=20_000)
    assert sorted(applied) == ["new", "other"]
    session.project.remove_listener(session._on_change)


# -- the task bar ----------------------------------------------------------------------------


def test_task_bar_shows_every_task_and_each_keeps_its_cancel(window, qtbot):
    long_gate, quick_gate = threading.Event(), threading.Event()
    cancelled, done = [], []
    long = window.tasks.run_task("long", "Analysing the big network", waiting_for(long_gate),
                                 done.append, on_cancelled=lambda: cancelled.append("long"))
    quick = window.tasks.run_task("quick", "Writing a workbook", waiting_for(quick_gate, "q"),
                                  done.append)
    bar = window.task_bar
    assert bar.isVisible() and bar.tasks == [long, quick]
    assert bar.more.isVisible() and bar.more.text() == "2 tasks running"
    qtbot.mouseClick(bar.more, Qt.LeftButton)  # the list of every task, one row each
    assert bar.popup.isVisible()
    assert [row.message.toolTip() for row in bar.rows.values()] == [
        "Analysing the big network", "Writing a workbook"]

    quick_gate.set()  # the quick task ends first; the long one keeps its own Cancel
    qtbot.waitUntil(lambda: done == ["q"] and bar.tasks == [long], timeout=10_000)
    assert bar.isVisible() and not bar.more.isVisible()
    assert bar.message.toolTip() == "Analysing the big network"
    qtbot.mouseClick(bar.rows[long].cancel, Qt.LeftButton)
    qtbot.waitUntil(lambda: cancelled == ["long"], timeout=10_000)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=10_000)
    assert done == ["q"] and not window.tasks.busy


def test_the_bar_cancel_stops_the_newest_task(window, qtbot):
    gate = threading.Event()
    cancelled = []
    older = window.tasks.run_task(None, "Older", waiting_for(gate), print)
    newer = window.tasks.run_task(None, "Newer", waiting_for(gate), print,
                                  on_cancelled=lambda: cancelled.append("newer"))
    qtbot.mouseClick(window.task_bar.cancel, Qt.LeftButton)
    qtbot.waitUntil(lambda: cancelled == ["newer"], timeout=10_000)
    assert newer.cancelling and not older.cancelling
    gate.set()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10_000)


# -- failures ---------------------------------------------------------------------------------


def test_an_unexpected_error_shows_the_report_and_logs_the_traceback(window, qtbot, log_folder,
                                                                     monkeypatch):
    from workbench.gui.error_dialog import ErrorDialog

    shown = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda dialog: shown.append(dialog) or 0)

    def broken(_progress):
        raise ValueError("the figures do not add up")

    window.tasks.run_task("broken", "Adding up", broken, lambda _r: None)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    (dialog,) = shown
    report = dialog.report.toPlainText()
    assert "ValueError: the figures do not add up" in report and "Traceback" in report
    log_file = log_folder / "workbench.log"
    assert str(log_file) in dialog.log_label.text() and dialog.log_label.isVisibleTo(dialog)
    text = log_file.read_text(encoding="utf-8")
    assert "Task 'Adding up' failed" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: the figures do not add up" in text


def test_a_user_error_is_a_message_without_a_report(window, qtbot, monkeypatch):
    from workbench.gui.error_dialog import ErrorDialog

    messages, reports = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: messages.append(text))
    monkeypatch.setattr(ErrorDialog, "exec", lambda dialog: reports.append(dialog) or 0)

    def refused(_progress):
        raise WorkbenchError("people.csv, row 3: the id is missing.")

    window.tasks.run_task("import", "Importing", refused, lambda _r: None)
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert messages == ["people.csv, row 3: the id is missing."] and reports == []


def test_an_error_in_the_result_handler_is_reported_too(ctx, qtbot):
    def show(_result):
        raise KeyError("missing column")

    ctx.tasks.run_task(None, "Reading", lambda _p: 1, show)
    qtbot.waitUntil(lambda: bool(ctx.errors), timeout=10_000)
    (message, details), = ctx.errors
    assert "KeyError" in message and "Traceback" in details


def test_uncaught_exceptions_are_logged(window, log_folder):
    import sys

    from workbench.gui.error_dialog import ExceptionHook

    hook = ExceptionHook(window)
    hook.caught.disconnect()  # no modal dialog in the test
    try:
        raise RuntimeError("nobody caught me")
    except RuntimeError:
        hook.handle(*sys.exc_info())
    text = (log_folder / "workbench.log").read_text(encoding="utf-8")
    assert "Uncaught exception" in text and "RuntimeError: nobody caught me" in text


def test_opening_and_closing_a_project_is_logged(window, demo_copy, log_folder):
    assert window.open_path(demo_copy)
    window.close_project()
    text = (log_folder / "workbench.log").read_text(encoding="utf-8")
    assert f"Opened project {demo_copy}" in text and f"Closed project {demo_copy}" in text


def test_help_shows_the_log_folder(window, tmp_path, monkeypatch):
    from workbench.logs import stop_logging

    stop_logging()
    folder = tmp_path / "my logs"
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(folder))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    help_menu = window.menuBar().actions()[-1].menu()
    assert help_menu.title() == "&Help"
    assert window.act_show_logs in help_menu.actions()
    window.act_show_logs.trigger()
    assert opened == [QUrl.fromLocalFile(str(folder))]
    assert folder.is_dir()


# -- writing in the background ---------------------------------------------------------------


def test_editing_is_disabled_while_a_task_writes(window, qtbot, demo_copy):
    plan = _open_demo(window, qtbot, demo_copy)
    window.sidebar.setCurrentRow(PLAN_ROW)
    engagement = window.panel(0)
    assert plan.add_button.isEnabled() and window.act_undo.isEnabled() is False
    gate = threading.Event()
    window.tasks.run_task("import", "Importing ties", waiting_for(gate), lambda _r: None,
                          writes=True)
    assert window.busy_writing
    assert not plan.add_button.isEnabled() and not plan.delete_button.isEnabled()
    assert plan.table.editTriggers() == QAbstractItemView.NoEditTriggers
    assert not engagement.client.isEnabled()
    assert not window.act_import_plan.isEnabled() and not window.act_close.isEnabled()
    assert window.act_export_plan.isEnabled()  # reading still works
    gate.set()
    qtbot.waitUntil(lambda: plan.add_button.isEnabled(), timeout=10_000)
    assert not window.busy_writing and engagement.client.isEnabled()
    assert window.act_import_plan.isEnabled() and window.act_close.isEnabled()
    assert plan.table.editTriggers() != QAbstractItemView.NoEditTriggers


def test_a_standalone_panel_follows_the_writing_state(ctx, qtbot, demo):
    from workbench.gui.panels.engagement import EngagementPanel

    ctx.session = ProjectSession(demo)
    panel = EngagementPanel()
    qtbot.addWidget(panel)
    panel.set_context(ctx)
    panel.set_session(ctx.session)
    gate = threading.Event()
    ctx.tasks.run_task(None, "Writing", waiting_for(gate), lambda _r: None, writes=True)
    assert not panel.client.isEnabled() and not panel.min_group.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: panel.client.isEnabled(), timeout=10_000)
    ctx.session.project.remove_listener(ctx.session._on_change)


# -- the seams -------------------------------------------------------------------------------


def test_empty_state_goes_to_questionnaires_through_the_context(ctx, qtbot, project):
    from workbench.gui.panels.maturity import MaturityPanel

    panel = MaturityPanel()
    qtbot.addWidget(panel)
    panel.set_context(ctx)
    panel.set_session(ProjectSession(project))
    assert panel._stack.currentWidget() is panel.empty
    qtbot.mouseClick(panel.empty.button, Qt.LeftButton)
    assert ctx.pages == ["Questionnaires"]


def test_go_to_shows_the_page(window, qtbot, demo_copy):
    _open_demo(window, qtbot, demo_copy)
    window.go_to("Plan")
    assert window.stack.currentWidget() is window.panel(PLAN_ROW)


def test_a_hidden_panel_refreshes_when_shown(window, qtbot, demo_copy, monkeypatch):
    from workbench.core.plan.apply import add_custom_action

    plan = _open_demo(window, qtbot, demo_copy)
    assert plan.model.rowCount() == 0  # a page opening a project did not show is filled later
    window.sidebar.setCurrentRow(PLAN_ROW)
    window.sidebar.setCurrentRow(0)
    assert window.stack.currentWidget() is not plan and not plan.isVisible()
    rows = plan.model.rowCount()
    assert rows > 0
    refreshed = []
    original = plan.refresh
    monkeypatch.setattr(plan, "refresh", lambda: refreshed.append(1) or original())
    add_custom_action(window.session.project, "Weekly customer huddle", 1)
    add_custom_action(window.session.project, "Monthly customer review", 1)
    assert refreshed == [] and plan.model.rowCount() == rows  # nothing done while hidden
    window.sidebar.setCurrentRow(PLAN_ROW)
    assert refreshed == [1]  # once, for both changes
    assert plan.model.rowCount() == rows + 2
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)


def test_an_edit_that_changes_nothing_is_not_announced(window, qtbot, demo_copy):
    _open_demo(window, qtbot, demo_copy)
    session = window.session
    client = session.project.engagement.get().client
    undo = window.act_undo.text()
    with qtbot.assertNotEmitted(session.project_changed, wait=100):
        session.project.engagement.update(client=client)
    assert window.act_undo.text() == undo and session.undo_label is None
    with qtbot.waitSignal(session.project_changed) as changed:
        session.project.engagement.update(client="Acme Retail")
    assert changed.args == [frozenset({"engagement"})]


def test_an_unknown_scope_refreshes_every_panel(window, qtbot, demo_copy, tmp_path):
    plan = _open_demo(window, qtbot, demo_copy)
    with qtbot.waitSignal(window.session.project_changed) as changed:
        window.session.project.save_as(tmp_path / "copy.owb")
    assert changed.args == [None]
    assert plan._dirty  # hidden: refreshed when shown
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)
