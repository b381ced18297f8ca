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
        assert not any(b.isChecked() for b in presenter.choice_buttons())
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


def _presenting(panel, qtbot, named=False):
    """Create a session on the demo's maturity round (mouse) and present it."""
    if named:
        qtbot.mouseClick(panel.named_votes, Qt.LeftButton)
        assert panel.named_votes.isChecked()
    qtbot.mouseClick(panel.new_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.session_list.count() == 1)
    qtbot.mouseClick(panel.present_button, Qt.LeftButton)
    presenter = panel.presenter
    qtbot.waitExposed(presenter)
    return presenter


def test_named_votes_ask_each_name_and_never_show_it(panel, qtbot, window):
    from workbench.core.workshop.record import workshop_rows

    project = window.session.project
    presenter = _presenting(panel, qtbot, named=True)
    session_id = panel.selected_session()
    assert not project.workshop.session(session_id).anonymous
    item = presenter.item
    qtbot.keyClick(presenter, Qt.Key_Space)  # the name comes first, on the pass page
    assert presenter.page == presenter.PASS and presenter.name_field.isVisible()
    for number, (name, vote) in enumerate((("Ana", 3), ("Ben Okafor", 1)), start=1):
        assert presenter.focusWidget() is presenter.name_field
        assert presenter.name_field.text() == ""
        qtbot.keyClicks(presenter.name_field, name)
        qtbot.keyClick(presenter.name_field, Qt.Key_Return)
        assert presenter.page == presenter.VOTE
        assert presenter.vote_prompt.text().startswith(f"{name}:")
        qtbot.keyClick(presenter, Qt.Key_0 + vote)
        qtbot.keyClick(presenter, Qt.Key_Return)
        assert presenter.page == presenter.PASS
        shown = _visible_text(presenter.stack.currentWidget()) + presenter.name_field.text()
        assert f"Votes so far: {number}" in shown
        assert "Ana" not in shown and "Ben" not in shown  # the next person sees no name
    qtbot.keyClicks(presenter.name_field, "ana")  # the same person twice is refused
    qtbot.keyClick(presenter.name_field, Qt.Key_Return)
    assert presenter.page == presenter.PASS and "already voted" in presenter.pass_text.text()
    assert "Ana" not in presenter.pass_text.text()
    qtbot.keyClick(presenter.name_field, Qt.Key_Escape)  # out of the box, then reveal
    assert presenter.isVisible()
    qtbot.keyClick(presenter, Qt.Key_R)
    assert presenter.page == presenter.REVEAL
    assert [(b.participant, b.value) for b in project.workshop.votes(item.id)] == [
        ("Ana", 3), ("Ben Okafor", 1)]
    row = next(r for r in workshop_rows(project) if r["Question"] == item.title)
    assert row["Individual votes"] == "Ana: 3; Ben Okafor: 1"


def test_anonymous_is_the_default(panel, qtbot, window):
    presenter = _presenting(panel, qtbot)
    assert window.session.project.workshop.session(panel.selected_session()).anonymous
    qtbot.keyClick(presenter, Qt.Key_Space)
    assert presenter.page == presenter.VOTE and not presenter.name_field.isVisible()


def test_notes_from_the_presenter_reach_panel_and_workbook(panel, qtbot, window, tmp_path):
    from openpyxl import load_workbook

    from workbench.core.report.assemble import export_workbook

    project = window.session.project
    presenter = _presenting(panel, qtbot)
    session_id = panel.selected_session()
    qtbot.keyClick(presenter, Qt.Key_N)
    assert presenter.page == presenter.NOTE
    assert presenter.focusWidget() is presenter.note_text
    qtbot.keyClicks(presenter.note_text, "Sales shares leads")
    qtbot.keyClick(presenter.note_text, Qt.Key_Return)
    qtbot.keyClicks(presenter.note_text, "Service does not")
    qtbot.keyClick(presenter.note_text, Qt.Key_Return, Qt.ControlModifier)
    assert presenter.page == presenter.QUESTION
    qtbot.mouseClick(presenter.note_button, Qt.LeftButton)  # mouse or touch: Esc cancels
    qtbot.keyClicks(presenter.note_text, "not kept")
    qtbot.keyClick(presenter.note_text, Qt.Key_Escape)
    assert presenter.page == presenter.QUESTION and presenter.isVisible()
    notes = project.workshop.notes(session_id)
    assert [(n.item_id, n.text) for n in notes] == [
        (presenter.item.id, "Sales shares leads\nService does not")]
    qtbot.waitUntil(lambda: panel.agenda.model.rowCount() > 0)
    column = [c.title for c in panel.agenda.model.columns].index("Notes")
    shown = [panel.agenda.model.index(r, column).data() for r in
             range(panel.agenda.model.rowCount())]
    assert "Sales shares leads · Service does not" in shown
    path = tmp_path / "plan.xlsx"
    export_workbook(project, path)
    sheet = load_workbook(path, read_only=True)["Workshop"]
    rows = list(sheet.iter_rows(values_only=True))
    note = rows[0].index("Note")
    assert "Sales shares leads\nService does not" in [r[note] for r in rows[1:]]


def test_control_view_votes_privately_on_the_laptop(panel, qtbot, window):
    from PySide6.QtWidgets import QPushButton

    from workbench.gui.presenter import TOUCH_HEIGHT, PresenterWindow
    from workbench.gui.workshop_control import ControlView

    project = window.session.project
    session_id = panel.new_session(project.assessments.rounds()[0].id)
    presenter = PresenterWindow(window.session, session_id)
    qtbot.addWidget(presenter)
    control = ControlView()
    qtbot.addWidget(control)
    control.attach(presenter, private=True)  # as with a projector: voting on the laptop
    presenter.show()
    control.show()
    qtbot.waitExposed(control)
    item = presenter.item
    assert control.item_label.text() == f"Item 1 of {len(presenter.items)}"
    assert control.title_label.text() == item.title
    assert control.count_label.text() == "Votes so far: 0"
    assert all(b.height() >= TOUCH_HEIGHT for b in control.buttons)
    for number, vote in enumerate((4, 2, 4), start=1):
        qtbot.mouseClick(control.pane.vote_button, Qt.LeftButton)
        assert presenter.page == presenter.VOTE
        ballot = control.pane.currentWidget()
        assert ballot is presenter.pages[presenter.VOTE] and ballot.isVisible()
        cover = presenter.stack.currentWidget()  # what the projector shows meanwhile
        assert "voting on the laptop" in cover.text() and not cover.findChildren(QPushButton)
        choice = next(b for b in presenter.choice_buttons() if b.property("value") == vote)
        assert choice.isVisible() and choice.window() is control
        assert choice.height() >= TOUCH_HEIGHT
        qtbot.mouseClick(choice, Qt.LeftButton)
        assert choice.isChecked() and presenter.selected == vote
        qtbot.mouseClick(presenter.confirm_button, Qt.LeftButton)
        assert presenter.page == presenter.PASS
        assert control.pane.currentWidget() is presenter.pages[presenter.PASS]
        assert f"Votes so far: {number}" in presenter.stack.currentWidget().text()
        assert control.count_label.text() == f"Votes so far: {number}"
        qtbot.keyClick(control.pane, Qt.Key_Left)  # keys typed on the laptop drive it
        assert presenter.page == presenter.QUESTION
    assert [b.value for b in project.workshop.votes(item.id)] == [4, 2, 4]
    # before the reveal the laptop shows the count, never a value
    assert "Average" not in _visible_text(control)
    qtbot.mouseClick(control.buttons[1], Qt.LeftButton)  # Reveal
    assert presenter.page == presenter.REVEAL
    assert control.state_label.text() == "The votes are revealed"
    assert "Average: 3.33" in _visible_text(presenter.reveal_body)
    qtbot.mouseClick(control.buttons[2], Qt.LeftButton)  # Next
    assert presenter.index == 1
    assert control.title_label.text() == presenter.items[1].title
    qtbot.keyClicks(control.note_field, "Ask finance next time")
    qtbot.keyClick(control.note_field, Qt.Key_Return)
    assert control.note_field.text() == ""
    assert [(n.item_id, n.text) for n in project.workshop.notes(session_id)] == [
        (presenter.items[1].id, "Ask finance next time")]
    qtbot.mouseClick(control.buttons[0], Qt.LeftButton)  # Back
    assert presenter.index == 0
    qtbot.mouseClick(control.buttons[3], Qt.LeftButton)  # Leave
    assert not presenter.isVisible()


def test_touch_targets_are_large_and_clickable(panel, qtbot, window):
    from PySide6.QtWidgets import QPushButton

    from workbench.gui.presenter import TOUCH_HEIGHT

    presenter = _presenting(panel, qtbot)
    nav = [presenter.back_button, presenter.note_button, presenter.next_button,
           presenter.leave_button]
    assert all(b.isVisible() and b.height() >= TOUCH_HEIGHT for b in nav)
    qtbot.mouseClick(presenter.next_button, Qt.LeftButton)
    assert presenter.index == 1
    qtbot.mouseClick(presenter.back_button, Qt.LeftButton)
    assert presenter.index == 0
    vote = next(b for b in presenter.stack.currentWidget().findChildren(QPushButton)
                if b.text().startswith("Vote"))
    qtbot.mouseClick(vote, Qt.LeftButton)
    assert presenter.page == presenter.VOTE and not presenter.nav.isVisible()
    choices = presenter.choice_buttons()
    assert choices and all(b.height() >= TOUCH_HEIGHT for b in choices)
    assert presenter.confirm_button.height() >= TOUCH_HEIGHT
    qtbot.mouseClick(choices[2], Qt.LeftButton)
    qtbot.mouseClick(presenter.confirm_button, Qt.LeftButton)
    assert [b.value for b in window.session.project.workshop.votes(presenter.item.id)] == [
        choices[2].property("value")]
    qtbot.mouseClick(presenter.leave_button, Qt.LeftButton)
    assert panel.presenter is None


def test_proposal_preview_says_agreed_in_workshop(panel, qtbot, window):
    from PySide6.QtWidgets import QLabel

    from workbench.core.plan.apply import propose_for_project
    from workbench.core.report.assemble import MATURITY_TEMPLATE
    from workbench.gui.plan_dialogs import ProposalDialog

    project = window.session.project
    target = project.engagement.get().target_step
    ladder = max((r for r in project.assessments.rounds()
                  if r.template.key == MATURITY_TEMPLATE), key=lambda r: r.id)
    session_id = panel.new_session(ladder.id)
    template = project.workshop.template(session_id)
    item = next(i for i in project.workshop.items(session_id) if i.kind == "question"
                and (q := template.question(i.ref)).group and q.group.step == target)
    project.workshop.record_consensus(item.id, 0)  # the bottom of the scale: surely a gap
    dialog = ProposalDialog(propose_for_project(project))
    qtbot.addWidget(dialog)
    text = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "0.0 of 4, 3.0 below the bar (agreed in workshop)" in text
