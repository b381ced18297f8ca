"""Workshop mode driven like a facilitator would: keyboard only, on the demo engagement."""

from __future__ import annotations

import statistics

import pytest
from PySide6.QtCore import Qt

from workbench.core.workshop.agenda import PREDICT_PEOPLE
from workbench.core.workshop.predictions import insight_nominations
from workbench.gui.main_window import PANELS

WORKSHOP_ROW = [title for title, _module, _name in PANELS].index("Workshop")


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
    presenter = panel.presenter
    assert presenter is not None

    def enabled():
        return [b.text() for b in panel.control_buttons if b.isEnabled()]

    # the first item, nobody has voted: no Back, nothing to reveal (the session says so)
    assert enabled() == ["Next →", "Leave"]
    qtbot.keyClick(presenter, Qt.Key_Space)
    assert enabled() == ["Leave"]  # a participant is voting: nobody moves on
    qtbot.keyClick(presenter, Qt.Key_2)
    qtbot.keyClick(presenter, Qt.Key_Return)
    assert enabled() == ["Reveal", "Next →", "Leave"]
    qtbot.mouseClick(panel.control_buttons[2], Qt.LeftButton)  # Next
    assert enabled() == ["← Back", "Next →", "Leave"]
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


def _footer(presenter) -> dict[str, str]:
    """The footer as key -> what it says the key does ("→  next item    Esc  leave")."""
    import re

    assert presenter.hint.isVisible()
    entries = [e for e in re.split(r"\s{4,}", presenter.hint.text().strip()) if e]
    return dict(re.split(r"\s{2,}", entry, maxsplit=1) for entry in entries)


def test_footer_lists_exactly_what_the_keys_do(panel, qtbot, window):
    project = window.session.project
    presenter = _presenting(panel, qtbot)
    item = presenter.item
    keys = {"→": Qt.Key_Right, "←": Qt.Key_Left, "Space": Qt.Key_Space, "R": Qt.Key_R,
            "N": Qt.Key_N, "Esc": Qt.Key_Escape, "Enter": Qt.Key_Return}

    # the first question, nobody has voted yet: no previous item, nothing to reveal
    assert _footer(presenter) == {"→": "next item", "Space": "vote", "N": "note",
                                  "Esc": "leave"}
    qtbot.keyClick(presenter, keys["→"])
    assert presenter.index == 1 and presenter.page == presenter.QUESTION
    assert _footer(presenter)["←"] == "previous item"
    qtbot.keyClick(presenter, keys["←"])
    assert presenter.index == 0
    qtbot.keyClick(presenter, keys["N"])
    assert presenter.page == presenter.NOTE
    assert _footer(presenter) == {"Ctrl+Enter": "save the note", "Esc": "cancel"}
    qtbot.keyClick(presenter.note_text, keys["Esc"])
    assert presenter.page == presenter.QUESTION and presenter.isVisible()
    qtbot.keyClick(presenter, keys["Space"])
    assert presenter.page == presenter.VOTE  # Space votes; it does not move on
    assert presenter.index == 0 and not presenter.hint.isVisible()
    qtbot.keyClick(presenter, Qt.Key_2)
    qtbot.keyClick(presenter, Qt.Key_Return)

    # between two participants
    assert presenter.page == presenter.PASS
    assert _footer(presenter) == {"→": "next item", "←": "back to the question",
                                  "Space": "next participant", "R": "reveal", "N": "note",
                                  "Esc": "leave"}
    qtbot.keyClick(presenter, keys["←"])
    assert presenter.page == presenter.QUESTION and presenter.index == 0
    assert _footer(presenter) == {"→": "next item", "Space": "vote", "R": "reveal",
                                  "N": "note", "Esc": "leave"}
    qtbot.keyClick(presenter, keys["Space"])
    qtbot.keyClick(presenter, Qt.Key_4)
    qtbot.keyClick(presenter, Qt.Key_Return)
    qtbot.keyClick(presenter, keys["Space"])
    assert presenter.page == presenter.VOTE
    qtbot.keyClick(presenter, Qt.Key_Escape)  # this participant changed their mind
    assert [b.value for b in project.workshop.votes(item.id)] == [2, 4]
    qtbot.keyClick(presenter, keys["R"])

    # the reveal
    assert presenter.page == presenter.REVEAL
    assert _footer(presenter) == {"→": "next item", "←": "back to the question",
                                  "0–4": "agreed value", "Enter": "record the consensus",
                                  "N": "note", "Esc": "leave"}
    qtbot.keyClick(presenter, Qt.Key_3)
    qtbot.keyClick(presenter, keys["Enter"])
    assert project.workshop.consensus(panel.selected_session())[item.id].value == 3
    assert "✓ recorded" in presenter.consensus_label.text()
    qtbot.keyClick(presenter, keys["←"])
    # voting on the item closed at the reveal: Space is no longer offered, and does nothing
    assert presenter.page == presenter.QUESTION
    assert _footer(presenter) == {"→": "next item", "R": "reveal", "N": "note",
                                  "Esc": "leave"}
    assert not presenter.vote_button.isEnabled()
    qtbot.keyClick(presenter, keys["Space"])
    assert presenter.page == presenter.QUESTION
    assert len(project.workshop.votes(item.id)) == 2
    qtbot.keyClick(presenter, keys["R"])
    assert presenter.page == presenter.REVEAL
    qtbot.keyClick(presenter, keys["→"])
    assert presenter.index == 1 and presenter.page == presenter.QUESTION
    qtbot.keyClick(presenter, keys["Esc"])
    assert panel.presenter is None and not presenter.isVisible()


def test_footer_in_a_named_session_follows_the_name_box(panel, qtbot, window):
    presenter = _presenting(panel, qtbot, named=True)
    qtbot.keyClick(presenter, Qt.Key_Space)
    assert presenter.page == presenter.PASS and presenter.focusWidget() is presenter.name_field
    assert _footer(presenter) == {"Enter": "vote, once your name is typed",
                                  "Esc": "out of the name box"}
    qtbot.keyClicks(presenter.name_field, "Ana")
    qtbot.keyClick(presenter.name_field, Qt.Key_Return)
    assert presenter.page == presenter.VOTE
    qtbot.keyClick(presenter, Qt.Key_1)
    qtbot.keyClick(presenter, Qt.Key_Return)
    qtbot.keyClick(presenter.name_field, Qt.Key_Escape)
    assert _footer(presenter) == {"→": "next item", "←": "back to the question",
                                  "Space": "type the next name", "R": "reveal", "N": "note",
                                  "Esc": "leave"}
    qtbot.keyClick(presenter, Qt.Key_Space)
    assert presenter.page == presenter.PASS and presenter.focusWidget() is presenter.name_field


def test_empty_consensus_is_refused_on_screen(panel, qtbot, window):
    project = window.session.project
    presenter = _presenting(panel, qtbot)
    session_id = panel.selected_session()
    item = presenter.item
    for vote in (Qt.Key_1, Qt.Key_3):
        qtbot.mouseClick(presenter.vote_button, Qt.LeftButton)
        qtbot.keyClick(presenter, vote)
        qtbot.mouseClick(presenter.confirm_button, Qt.LeftButton)
    qtbot.mouseClick(presenter.pass_reveal_button, Qt.LeftButton)
    assert presenter.page == presenter.REVEAL
    qtbot.keyClicks(presenter.note, "We could not agree")
    qtbot.mouseClick(presenter.record_button, Qt.LeftButton)  # no agreed value chosen
    shown = _visible_text(presenter.stack.currentWidget())
    assert "✓" not in shown and "recorded" not in shown
    assert presenter.consensus_message.isVisible()
    assert presenter.consensus_message.text() == "Choose the agreed value first (press 0–4)."
    assert project.workshop.consensus(session_id) == {}
    assert item.ref not in project.assessments.consensus(
        project.workshop.session(session_id).round_id)
    qtbot.keyClick(presenter, Qt.Key_Return)  # Enter refuses it the same way
    assert project.workshop.consensus(session_id) == {}
    qtbot.keyClick(presenter, Qt.Key_2)
    assert presenter.consensus_message.text() == ""
    qtbot.mouseClick(presenter.record_button, Qt.LeftButton)
    assert presenter.consensus_label.text() == "Agreed value: 2  ✓ recorded"
    agreed = project.workshop.consensus(session_id)[item.id]
    assert (agreed.value, agreed.note) == (2, "We could not agree")


def _contrast(a, b) -> float:
    """WCAG contrast ratio of two QColors (1 = none, 21 = black on white)."""
    def luminance(c):
        channels = [v / 255 for v in (c.red(), c.green(), c.blue())]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_prediction_ticks_are_large_and_high_contrast(panel, qtbot, window):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor

    from workbench.gui.presenter import ACCENT, BACKGROUND, FOREGROUND, TOUCH_HEIGHT

    presenter = _presenting(panel, qtbot)
    while presenter.item.kind != PREDICT_PEOPLE:
        qtbot.keyClick(presenter, Qt.Key_Right)
    qtbot.keyClick(presenter, Qt.Key_Space)
    listing = presenter.candidates
    assert presenter.page == presenter.VOTE and listing.isVisible()
    first, second = listing.item(0), listing.item(1)
    row = listing.visualItemRect(first)
    assert row.height() >= TOUCH_HEIGHT
    qtbot.mouseClick(listing.viewport(), Qt.LeftButton, pos=row.center())  # a tap on the name
    assert first.checkState() == Qt.Checked and second.checkState() == Qt.Unchecked
    image = listing.viewport().grab().toImage()
    ratio = image.width() / listing.viewport().width()

    def extent(rect: QRect, colour: str) -> tuple[int, int]:
        """Width and height (logical px) of the pixels of ``colour`` inside ``rect``."""
        want = QColor(colour)
        xs, ys = [], []
        for y in range(int(rect.top() * ratio), int((rect.bottom() + 1) * ratio)):
            for x in range(int(rect.left() * ratio), int((rect.right() + 1) * ratio)):
                c = image.pixelColor(x, y)
                if max(abs(c.red() - want.red()), abs(c.green() - want.green()),
                       abs(c.blue() - want.blue())) <= 24:
                    xs.append(x)
                    ys.append(y)
        if not xs:
            return 0, 0
        return round((max(xs) - min(xs) + 1) / ratio), round((max(ys) - min(ys) + 1) / ratio)

    # the ticked box: a solid accent square as large as a fingertip, on the black page
    box_area = QRect(row.left(), row.top(), TOUCH_HEIGHT + 12, row.height())
    width, height = extent(box_area, ACCENT)
    assert width >= TOUCH_HEIGHT - 8 and height >= TOUCH_HEIGHT - 8
    centre = image.pixelColor(int((row.left() + 4 + TOUCH_HEIGHT / 2) * ratio),
                              int(row.center().y() * ratio))
    ground = image.pixelColor(int((row.right() - 2) * ratio), int(row.center().y() * ratio))
    assert ground == QColor(BACKGROUND)
    assert _contrast(centre, ground) >= 7  # WCAG AAA for text, far above it for a mark
    # an empty box: a thick white outline of the same size, clearly a box to tick
    other = listing.visualItemRect(second)
    width, height = extent(QRect(other.left(), other.top(), TOUCH_HEIGHT + 12, other.height()),
                           FOREGROUND)
    assert width >= TOUCH_HEIGHT - 8 and height >= TOUCH_HEIGHT - 8
    # a second tap on the name clears the tick again
    qtbot.mouseClick(listing.viewport(), Qt.LeftButton, pos=row.center())
    assert first.checkState() == Qt.Unchecked


def test_target_step_digit_in_the_room_is_the_step_number(panel, qtbot, window):
    """Typing 2 on the target-step question votes for step 2, as in the answer wizard."""
    presenter = _presenting(panel, qtbot)
    while presenter.question is None or presenter.question.kind != "single_choice":
        before = presenter.index
        qtbot.keyClick(presenter, Qt.Key_Right)
        assert presenter.index != before, "the demo round has a target-step question"
    values = [o.value for o in presenter.question.options]
    assert "2" in values and values.index("2") != 1  # a positional digit would pick another
    qtbot.keyClick(presenter, Qt.Key_Space)
    assert presenter.page == presenter.VOTE
    qtbot.keyClick(presenter, Qt.Key_2)
    assert presenter.selected == "2"
    labels = [b.text() for b in presenter.choice_buttons() if b.isChecked()]
    assert len(labels) == 1 and labels[0].startswith("2 ")


def _readiness(panel, qtbot):
    qtbot.waitUntil(lambda: panel.readiness is not None and panel.readiness.isVisible(),
                    timeout=10_000)
    return panel.readiness


def test_data_check_by_keyboard_on_the_demo_is_all_green(panel, qtbot, window):
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key_K, Qt.AltModifier)  # Chec&k data…
    dialog = _readiness(panel, qtbot)
    assert dialog.summary.text() == "7 of 7 exercises have the data they need"
    assert {m.accessibleName() for m in dialog.marks.values()} == {"Ready"}
    assert "'customer_insight' (541 ties)" in dialog.details["Customer champions"].text()
    assert dialog.close_button.hasFocus()
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible()


def test_data_check_lists_what_a_roster_only_project_lacks(window, qtbot, tmp_path):
    from driving import write_roster

    from workbench.core import importing
    from workbench.core.project import Project

    path = tmp_path / "roster only.owb"
    with Project.create(path, client="Client") as project:
        plan = importing.read_people_file(project, write_roster(tmp_path / "roster.csv"))
        plan.networks.append(importing.formal_network(importing.roster_after(project, plan)))
        importing.apply_import(project, plan)
    assert window.open_path(path)
    window.sidebar.setCurrentRow(WORKSHOP_ROW)
    panel = window.panel(WORKSHOP_ROW)
    assert panel._stack.currentWidget() is panel.empty  # no round yet: the empty page
    qtbot.mouseClick(panel.empty_check_button, Qt.LeftButton)
    dialog = _readiness(panel, qtbot)
    assert dialog.summary.text() == "0 of 7 exercises have the data they need"
    assert list(dialog.marks) == ["Maturity vote", "Design questions", "Predict-then-reveal",
                                  "Say vs show", "Customer champions", "Network map",
                                  "Plan proposal"]
    assert {m.accessibleName() for m in dialog.marks.values()} == {"Data missing"}
    details = {name: label.text() for name, label in dialog.details.items()}
    assert "<b>Missing:</b> Only the reporting lines are there" in details["Network map"]
    assert "Reporting lines for the formal structure" in details["Network map"]
    assert ("'Who do people go to for customer insight?' needs a customer-insight network: "
            "import a ties file with the relation 'customer insight'.") in \
        details["Predict-then-reveal"]
    assert "maturity-ladder round" in details["Maturity vote"]
    qtbot.mouseClick(dialog.close_button, Qt.LeftButton)
    assert not dialog.isVisible()
