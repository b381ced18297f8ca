"""Workshop mode driven like a facilitator would: keyboard only, on the demo engagement."""

from __future__ import annotations

import statistics

import pytest
from PySide6.QtCore import Qt

from workbench.core.workshop.agenda import PREDICT_PEOPLE
from workbench.core.workshop.predictions import insight_nominations

WORKSHOP_ROW = 5


@pytest.fixture
def panel(window, demo_copy, qtbot):
    assert window.open_path(demo_copy)
    window.sidebar.setCurrentRow(WORKSHOP_ROW)
    panel = window.panel(WORKSHOP_ROW)
    assert panel._stack.currentWidget() is panel.content
    yield panel
    if panel.presenter is not None:
        panel.presenter.leave()


def _visible_text(widget) -> str:
    from PySide6.QtWidgets import QLabel, QPushButton

    found = widget.findChildren(QLabel) + widget.findChildren(QPushButton)
    return " ".join(w.text() for w in found if w.isVisibleTo(widget))


def test_full_workshop_by_keyboard(panel, qtbot, window):
    project = window.session.project
    round_id = project.assessments.rounds()[0].id  # maturity ladder, ratings 0..4
    session_id = panel.new_session(round_id)
    panel.refresh()
    presenter = panel.present()
    qtbot.waitExposed(presenter)
    item = presenter.item
    votes = [3, 1, 3, 4, 0]
    for number, vote in enumerate(votes, start=1):
        qtbot.keyClick(presenter, Qt.Key_Space)  # next participant / start voting
        assert presenter.page == presenter.VOTE
        assert f"Participant {number}" in presenter.vote_prompt.text()
        # the voting screen never shows earlier values: no choice is pre-selected
        assert presenter.selected is None
        assert not any(presenter.choice_grid.itemAt(i).widget().isChecked()
                       for i in range(presenter.choice_grid.count()))
        qtbot.keyClick(presenter, Qt.Key_0 + vote)
        qtbot.keyClick(presenter, Qt.Key_Return)
        assert presenter.page == presenter.PASS
        shown = _visible_text(presenter.stack.currentWidget())
        assert f"Votes so far: {number}" in shown
        assert "Average" not in shown and "chose" not in shown
        # committed at once, with nothing else on the screen betraying the value
        assert [b.value for b in project.workshop.votes(item.id)] == votes[:number]
    qtbot.keyClick(presenter, Qt.Key_R)
    assert presenter.page == presenter.REVEAL
    shown = _visible_text(presenter.reveal_body)
    assert f"Average: {statistics.fmean(votes):.2f}" in shown
    assert f"Middle vote: {statistics.median(votes):g}" in shown
    assert f"Spread: ±{statistics.pstdev(votes):.2f}" in shown
    # median 3; quartiles 1 and 3 -> gap 3: nothing is further than 3 from the middle vote
    assert "Far from the group: none" in shown
    qtbot.keyClick(presenter, Qt.Key_3)
    qtbot.keyClicks(presenter.note, "Strong in sales, weak elsewhere")
    qtbot.keyClick(presenter.note, Qt.Key_Return)
    agreed = project.workshop.consensus(session_id)[item.id]
    assert (agreed.value, agreed.note) == (3, "Strong in sales, weak elsewhere")
    assert project.assessments.consensus(round_id)[item.ref] == 3
    qtbot.keyClick(presenter, Qt.Key_Right)
    assert presenter.index == 1 and presenter.page == presenter.QUESTION
    qtbot.keyClick(presenter, Qt.Key_Left)
    assert presenter.index == 0
    qtbot.keyClick(presenter, Qt.Key_Escape)
    assert panel.presenter is None and not presenter.isVisible()


def test_predict_then_reveal_on_demo(panel, qtbot, window):
    project = window.session.project
    session_id = panel.new_session(project.assessments.rounds()[0].id)
    item = next(i for i in project.workshop.items(session_id) if i.kind == PREDICT_PEOPLE)
    panel.refresh()
    presenter = panel.present()
    presenter._go(item.position)
    insight = next(n for n in project.networks.list() if n.type == "customer_insight")
    counts = insight_nominations(project.networks.ties(insight.id))
    ranked = sorted(counts, key=lambda p: (-counts[p], p))
    # two people pick the measured top two, one picks someone nobody names
    unnamed = next(p.id for p in project.people.list() if p.id not in counts)
    for picks in ([ranked[0], ranked[1]], [ranked[0]], [unnamed]):
        qtbot.keyClick(presenter, Qt.Key_V)
        for r in range(presenter.candidates.count()):
            entry = presenter.candidates.item(r)
            if entry.data(Qt.UserRole) in picks:
                entry.setCheckState(Qt.Checked)
        qtbot.keyClick(presenter, Qt.Key_Return)
        assert presenter.page == presenter.PASS
    qtbot.keyClick(presenter, Qt.Key_R)
    from PySide6.QtWidgets import QLabel

    score = presenter.reveal_body.findChild(QLabel, "score").text()
    assert score.startswith("2 of 5 in both lists")


def test_no_session_hint_and_controls_follow_presenting(panel, qtbot):
    assert panel.session.project.workshop.sessions() == []
    assert panel.no_sessions.isVisible() and not panel.session_list.isVisible()
    assert "New workshop session" in panel.no_sessions.text()
    assert not panel.present_button.isEnabled()
    assert not any(b.isEnabled() for b in panel.control_buttons)
    screen = panel.screen_box.currentData()
    size = screen.size()
    assert panel.screen_box.currentText().startswith(
        f"Screen {panel.screen_box.currentIndex() + 1} — {size.width()}×{size.height()}")
    qtbot.mouseClick(panel.new_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.session_list.count() == 1)
    assert panel.session_list.isVisible() and not panel.no_sessions.isVisible()
    assert panel.present_button.isEnabled()
    assert not any(b.isEnabled() for b in panel.control_buttons)
    qtbot.mouseClick(panel.present_button, Qt.LeftButton)
    assert panel.presenter is not None
    assert all(b.isEnabled() for b in panel.control_buttons)
    qtbot.mouseClick(panel.control_buttons[-1], Qt.LeftButton)  # Leave
    assert panel.presenter is None
    assert not any(b.isEnabled() for b in panel.control_buttons)
