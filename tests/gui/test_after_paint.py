"""Background work of a page starts once the page has been drawn (issue 21: no stall while a
worker competes with the page's first layout and paint)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel

from workbench.gui import after_paint
from workbench.gui.after_paint import AfterPaint


class _Paints(QObject):
    """Counts the paint events a widget received."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _shown_label(qtbot) -> QLabel:
    widget = QLabel("page")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_work_starts_after_the_widget_is_painted_and_only_the_last_call_runs(qtbot):
    widget = _shown_label(qtbot)
    start = AfterPaint(widget)
    paints = _Paints(widget)
    ran: list[tuple[str, int]] = []
    start.call(lambda: ran.append(("first", paints.count)))
    start.call(lambda: ran.append(("second", paints.count)))  # a newer refresh replaces it
    assert start.pending and not ran  # not on the turn that asked for it
    widget.update()
    qtbot.waitUntil(lambda: bool(ran))
    qtbot.wait(50)
    assert len(ran) == 1 and ran[0][0] == "second" and ran[0][1] >= 1  # painted first
    assert not start.pending


def test_a_hidden_widget_starts_on_the_next_turn_and_cancel_drops_the_work(qtbot):
    widget = QLabel("hidden")
    qtbot.addWidget(widget)
    start = AfterPaint(widget)
    ran: list[str] = []
    start.call(lambda: ran.append("hidden"))
    assert not ran
    qtbot.waitUntil(lambda: ran == ["hidden"])
    start.call(lambda: ran.append("dropped"))
    start.cancel()  # the page was cleared (another project)
    qtbot.wait(50)
    assert ran == ["hidden"] and not start.pending


def test_a_widget_never_painted_still_starts_the_work(qtbot, monkeypatch):
    monkeypatch.setattr(after_paint, "FALLBACK_MS", 20)
    widget = _shown_label(qtbot)
    widget.setUpdatesEnabled(False)  # no paint comes (as in a minimised window)
    start = AfterPaint(widget)
    ran: list[str] = []
    start.call(lambda: ran.append("late"))
    qtbot.waitUntil(lambda: ran == ["late"], timeout=2_000)


def _plan_project(tmp_path):
    from workbench.core.plan.apply import add_custom_action
    from workbench.core.project import Project

    path = tmp_path / "plan.owb"
    with Project.create(path, client="Client") as project:
        add_custom_action(project, "First step", 1)
    return path


def test_the_plan_page_is_drawn_before_its_timeline_work_starts(window, qtbot, tmp_path):
    assert window.open_path(_plan_project(tmp_path))
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)
    started: list[bool] = []  # whether the Plan page had been painted when the task started
    window.tasks.started.connect(lambda _task: started.append(paints.count > 0))
    window.go_to("Plan")
    panel = window._plan_panel()
    paints = _Paints(panel.table.viewport())
    assert not window.tasks.busy  # the page is laid out and painted first
    qtbot.waitUntil(lambda: panel.timeline.figure is not None, timeout=20_000)
    qtbot.waitUntil(lambda: "Insufficient data" in panel.evidence_status.text(), timeout=20_000)
    assert started == [True]


def test_closing_the_project_does_not_redraw_the_page_on_screen(window, qtbot, tmp_path,
                                                                 monkeypatch):
    assert window.open_path(_plan_project(tmp_path))
    window.go_to("Plan")
    panel = window._plan_panel()
    qtbot.waitUntil(lambda: panel.timeline.figure is not None, timeout=20_000)
    reloads: list[bool] = []
    monkeypatch.setattr(panel, "reload", lambda: reloads.append(True))
    window.close_project()
    assert not reloads and window.stack.currentWidget() is window.start_page
    assert panel.model.rowCount() == 0 and panel.timeline.figure is None  # emptied all the same
