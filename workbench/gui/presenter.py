"""Presenter mode: one agenda item at a time on a projector, pass-the-laptop voting, reveal.

The window never shows a vote to the next participant: after each vote a "pass the laptop"
page shows only the number of votes so far. Keys: Space / Right next, Left back, V vote,
R reveal, digits choose, Enter confirm, Esc leave (or cancel a vote). Every target is large
enough for touch; every vote is committed as it is cast.
"""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.workshop.agenda import PREDICT_PAIRS, PREDICT_PEOPLE, choices
from workbench.core.workshop.predictions import pair_label
from workbench.core.workshop.reveal import (
    PICKS_PER_PARTICIPANT,
    measured_answer,
    prediction_score,
    question_stats,
)
from workbench.gui.session import ProjectSession

THEME = """
QWidget#presenter { background: #000000; }
QWidget#presenter QLabel { color: #ffffff; font-size: 22pt; }
QWidget#presenter QLabel[role="big"] { font-size: 30pt; font-weight: 700; }
QWidget#presenter QLabel[role="dim"] { color: #d0d0d0; font-size: 18pt; }
QWidget#presenter QLabel[role="accent"] { color: #ffd400; font-size: 24pt; font-weight: 700; }
QWidget#presenter QPushButton { background: #1a1a1a; color: #ffffff; font-size: 24pt;
    border: 3px solid #ffffff; border-radius: 12px; padding: 16px 24px; min-height: 64px; }
QWidget#presenter QPushButton:checked { background: #ffd400; color: #000000; }
QWidget#presenter QPushButton:focus { border-color: #ffd400; }
QWidget#presenter QLineEdit, QWidget#presenter QListWidget { background: #000000;
    color: #ffffff; font-size: 22pt; border: 3px solid #ffffff; padding: 8px; }
QWidget#presenter QListWidget::item { min-height: 56px; }
"""
HINT = "Space / →  next    ←  back    V  vote    R  reveal    Esc  leave"


def _label(text: str = "", role: str | None = None) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    if role:
        widget.setProperty("role", role)
    return widget


def _button(text: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setFocusPolicy(Qt.NoFocus)  # keys go to the window; touch and mouse still work
    button.clicked.connect(slot)
    return button


def presenter_screen() -> QScreen:
    """The second screen when one is connected, otherwise the primary one."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    return next((s for s in screens if s is not primary), primary)


class PresenterWindow(QWidget):
    """Full-screen workshop view of one session, driven by keyboard, mouse or touch."""

    changed = Signal()  # item, page, timer or count changed (the control view follows)
    left = Signal()

    QUESTION, VOTE, PASS, REVEAL = range(4)

    def __init__(self, session: ProjectSession, session_id: int, show_error=None) -> None:
        super().__init__(None, Qt.Window)
        self.setObjectName("presenter")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet(THEME)
        self.setWindowTitle("Workshop — presenter")
        self.project = session.project
        self.session_id = session_id
        self._show_error = show_error or (lambda message: None)
        self.items = self.project.workshop.items(session_id)
        self.template = self.project.workshop.template(session_id)
        self.index = 0
        self.page = self.QUESTION
        self.selected: object = None
        self._item_started = time.monotonic()
        self._item_started_at = dt.datetime.now()
        self._build()
        self._timer = QTimer(self, interval=1000, timeout=self._tick)
        self._timer.start()
        self._show_item()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 24)
        outer.setSpacing(24)
        top = QHBoxLayout()
        self.position = _label("", "dim")
        self.timer_label = _label("", "accent")
        self.timer_label.setAlignment(Qt.AlignRight)
        self.timer_label.setToolTip("Time spent on this item / time planned for it")
        top.addWidget(self.position, 1)
        top.addWidget(self.timer_label)
        outer.addLayout(top)
        self.title = _label("", "big")
        outer.addWidget(self.title)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.hint = _label(HINT, "dim")
        outer.addWidget(self.hint)

        # question page
        question = QWidget()
        q = QVBoxLayout(question)
        q.setSpacing(16)
        self.scale_text = _label("", "dim")
        self.count_label = _label("", "accent")
        q.addWidget(self.scale_text)
        q.addStretch(1)
        q.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for text, slot in (("Vote  (V)", self.start_vote), ("Reveal  (R)", self.reveal),
                           ("Next  →", self.next_item)):
            buttons.addWidget(_button(text, slot))
        q.addLayout(buttons)
        self.stack.addWidget(question)

        # vote page (choices are rebuilt per item)
        vote = QWidget()
        self.vote_layout = QVBoxLayout(vote)
        self.vote_prompt = _label("", "accent")
        self.vote_layout.addWidget(self.vote_prompt)
        self.choice_box = QWidget()
        self.choice_grid = QGridLayout(self.choice_box)
        self.choice_grid.setSpacing(16)
        self.vote_layout.addWidget(self.choice_box)
        self.filter = QLineEdit(placeholderText="Type to filter…")
        self.filter.textChanged.connect(self._filter_candidates)
        self.candidates = QListWidget()
        self.vote_layout.addWidget(self.filter)
        self.vote_layout.addWidget(self.candidates, 1)
        vote_buttons = QHBoxLayout()
        self.confirm_button = _button("Cast my vote  (Enter)", self.confirm_vote)
        vote_buttons.addWidget(self.confirm_button)
        vote_buttons.addWidget(_button("Cancel  (Esc)", self.cancel_vote))
        self.vote_layout.addLayout(vote_buttons)
        self.stack.addWidget(vote)

        # pass-the-laptop page
        passing = QWidget()
        p = QVBoxLayout(passing)
        self.pass_text = _label("", "big")
        self.pass_text.setAlignment(Qt.AlignCenter)
        p.addStretch(1)
        p.addWidget(self.pass_text)
        p.addStretch(1)
        pass_buttons = QHBoxLayout()
        for text, slot in (("Next participant  (Space)", self.start_vote),
                           ("Everyone has voted: reveal  (R)", self.reveal)):
            pass_buttons.addWidget(_button(text, slot))
        p.addLayout(pass_buttons)
        self.stack.addWidget(passing)

        # reveal page
        reveal = QWidget()
        self.reveal_layout = QVBoxLayout(reveal)
        self.reveal_body = QWidget()
        self.reveal_layout.addWidget(self.reveal_body, 1)
        self.consensus_row = QWidget()
        c = QHBoxLayout(self.consensus_row)
        c.setContentsMargins(0, 0, 0, 0)
        self.consensus_label = _label("Agreed value: –  (press a number)", "accent")
        self.note = QLineEdit(placeholderText="Note on the discussion (Enter records)")
        self.note.returnPressed.connect(self.record_consensus)
        c.addWidget(self.consensus_label, 1)
        c.addWidget(self.note, 1)
        c.addWidget(_button("Record consensus", self.record_consensus))
        self.reveal_layout.addWidget(self.consensus_row)
        self.stack.addWidget(reveal)

    # -- state ---------------------------------------------------------------------------

    @property
    def item(self):
        return self.items[self.index]

    @property
    def question(self):
        if self.item.kind != "question" or self.template is None:
            return None
        return self.template.question(self.item.ref)

    def vote_count(self) -> int:
        return self.project.workshop.ballot_count(self.item.id)

    def elapsed(self) -> float:
        return time.monotonic() - self._item_started

    def _tick(self) -> None:
        seconds = int(self.elapsed())
        planned = int(self.item.minutes * 60)
        self.timer_label.setText(f"{seconds // 60:02d}:{seconds % 60:02d} / "
                                 f"{planned // 60:02d}:{planned % 60:02d}")
        self.timer_label.setProperty("role", "accent" if seconds <= planned else "big")
        self.timer_label.style().polish(self.timer_label)
        self.changed.emit()

    def _set_page(self, page: int) -> None:
        self.page = page
        self.stack.setCurrentIndex(page)
        self.setFocus()
        self.changed.emit()

    def _show_item(self) -> None:
        item = self.item
        self.position.setText(f"Item {self.index + 1} of {len(self.items)}  ·  {item.section}")
        self.title.setText(item.title)
        question = self.question
        if question is not None:
            self.scale_text.setText("    ".join(  # short names; the full anchors show when voting
                f"{value} {text.split(':')[0][:24]}".rstrip() for value, text in choices(question)))
        else:
            self.scale_text.setText("Each person names up to "
                                    f"{PICKS_PER_PARTICIPANT} privately; then the network "
                                    "answer is shown beside the team's picture.")
        self._update_count()
        self._tick()
        self._set_page(self.QUESTION)

    def _update_count(self) -> None:
        n = self.vote_count()
        self.count_label.setText(f"Votes so far: {n}")
        self.pass_text.setText(f"Thank you — your vote is saved.\n\nPlease pass the laptop "
                               f"to the next person.\n\nVotes so far: {n}")

    def _log_time(self) -> None:
        seconds = self.elapsed()
        if seconds >= 1:
            self.project.workshop.log_time(self.item.id, self._item_started_at, seconds)

    def _go(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            return
        self._log_time()
        self.index = index
        self._item_started = time.monotonic()
        self._item_started_at = dt.datetime.now()
        self._show_item()

    # -- actions (keys, buttons and the control view all land here) -------------------------

    def next_item(self) -> None:
        self._go(self.index + 1)

    def previous_item(self) -> None:
        self._go(self.index - 1)

    def start_vote(self) -> None:
        self.selected = None
        participant = self.vote_count() + 1
        self.vote_prompt.setText(f"Participant {participant}: choose privately, then press "
                                 "Enter. Nobody else sees your choice.")
        while self.choice_grid.count():
            self.choice_grid.takeAt(0).widget().deleteLater()
        question = self.question
        self.choice_box.setVisible(question is not None)
        self.filter.setVisible(question is None)
        self.candidates.setVisible(question is None)
        if question is not None:
            for row, (value, text) in enumerate(choices(question)):
                key = str(row + 1) if question.kind == "single_choice" else str(value)
                button = _button(f"{key}   {text}".rstrip(), lambda _=False, v=value:
                                 self._select(v))
                button.setCheckable(True)
                button.setProperty("value", value)
                button.setStyleSheet("text-align: left;")
                self.choice_grid.addWidget(button, row, 0)
        else:
            self._fill_candidates()
            self.filter.clear()
            self.filter.setFocus()
        self._set_page(self.VOTE)
        if question is None:
            self.filter.setFocus()

    def _select(self, value: object) -> None:
        self.selected = value
        for i in range(self.choice_grid.count()):
            button = self.choice_grid.itemAt(i).widget()
            button.setChecked(button.property("value") == value)

    def _fill_candidates(self) -> None:
        self.candidates.clear()
        if self.item.kind == PREDICT_PEOPLE:
            options = [(p.id, f"{p.name or p.id}  ({p.department})")
                       for p in sorted(self.project.people.list(), key=lambda p: p.name)]
        else:
            options = [(key, pair_label(key))
                       for key in sorted(measured_answer(self.project, PREDICT_PAIRS))]
        for key, text in options:
            entry = QListWidgetItem(text)
            entry.setData(Qt.UserRole, key)
            entry.setFlags(entry.flags() | Qt.ItemIsUserCheckable)
            entry.setCheckState(Qt.Unchecked)
            self.candidates.addItem(entry)

    def _filter_candidates(self, text: str) -> None:
        for row in range(self.candidates.count()):
            entry = self.candidates.item(row)
            entry.setHidden(text.lower() not in entry.text().lower())

    def picks(self) -> list[str]:
        return [self.candidates.item(r).data(Qt.UserRole) for r in range(self.candidates.count())
                if self.candidates.item(r).checkState() == Qt.Checked]

    def confirm_vote(self) -> None:
        participant = f"P{self.vote_count() + 1}"
        try:
            if self.question is not None:
                if self.selected is None:
                    return
                self.project.workshop.cast_vote(self.item.id, participant, self.selected)
            else:
                picks = self.picks()
                if not picks or len(picks) > PICKS_PER_PARTICIPANT:
                    self.vote_prompt.setText(f"Tick between 1 and {PICKS_PER_PARTICIPANT}, "
                                             "then press Enter.")
                    return
                self.project.workshop.cast_prediction(self.item.id, participant, picks)
        except WorkbenchError as exc:
            self._show_error(str(exc))
            return
        self.selected = None
        self.candidates.clear()
        self._update_count()
        self._set_page(self.PASS)

    def cancel_vote(self) -> None:
        self.selected = None
        self.candidates.clear()
        self._set_page(self.QUESTION)

    def reveal(self) -> None:
        try:
            body = self._reveal_body()
        except WorkbenchError as exc:
            self._show_error(str(exc))
            return
        self.reveal_layout.replaceWidget(self.reveal_body, body)
        self.reveal_body.hide()
        self.reveal_body.deleteLater()
        self.reveal_body = body
        agreed = self.project.workshop.consensus(self.session_id).get(self.item.id)
        self.selected = agreed.value if agreed else None
        self.note.setText(agreed.note if agreed else "")
        self.consensus_label.setVisible(self.question is not None)
        self._show_consensus()
        self._set_page(self.REVEAL)

    def _reveal_body(self) -> QWidget:
        if self.question is not None:
            votes = [b.value for b in self.project.workshop.votes(self.item.id)]
            return vote_view(self.question, question_stats(self.question, votes))
        score = prediction_score(self.project, self.item.id, self.item.kind)
        names = {p.id: p.name or p.id for p in self.project.people.list()}
        return prediction_view(score, names if self.item.kind == PREDICT_PEOPLE else None)

    def _show_consensus(self) -> None:
        shown = "–" if self.selected is None else str(self.selected)
        recorded = self.project.workshop.consensus(self.session_id).get(self.item.id)
        state = "  ✓ recorded" if recorded and recorded.value == self.selected else ""
        self.consensus_label.setText(f"Agreed value: {shown}{state}")

    def record_consensus(self) -> None:
        try:
            self.project.workshop.record_consensus(self.item.id, self.selected,
                                                   self.note.text().strip())
        except WorkbenchError as exc:
            self._show_error(str(exc))
            return
        self._show_consensus()
        self.setFocus()

    def leave(self) -> None:
        self._log_time()
        self._timer.stop()
        self.close()
        self.left.emit()

    # -- keys -----------------------------------------------------------------------------

    def _digit_value(self, key: int) -> object | None:
        question = self.question
        if question is None or not Qt.Key_0 <= key <= Qt.Key_9:
            return None
        digit = key - Qt.Key_0
        values = [value for value, _ in choices(question)]
        if question.kind == "single_choice":
            return values[digit - 1] if 1 <= digit <= len(values) else None
        return digit if digit in values else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: C901 - one table of keys
        key = event.key()
        if self.page == self.VOTE:
            value = self._digit_value(key)
            if value is not None:
                self._select(value)
            elif key in (Qt.Key_Return, Qt.Key_Enter):
                self.confirm_vote()
            elif key == Qt.Key_Escape:
                self.cancel_vote()
            return
        if key == Qt.Key_Escape:
            self.leave()
        elif key in (Qt.Key_Right, Qt.Key_PageDown) or (
                key == Qt.Key_Space and self.page == self.REVEAL):
            self.next_item()
        elif key == Qt.Key_Space or key == Qt.Key_V:
            self.start_vote()
        elif key in (Qt.Key_Left, Qt.Key_PageUp):
            if self.page == self.QUESTION:
                self.previous_item()
            else:
                self._set_page(self.QUESTION)
        elif key == Qt.Key_R:
            self.reveal()
        elif self.page == self.REVEAL and self._digit_value(key) is not None:
            self.selected = self._digit_value(key)
            self._show_consensus()
        elif self.page == self.REVEAL and key in (Qt.Key_Return, Qt.Key_Enter):
            self.record_consensus()
        else:
            super().keyPressEvent(event)

    def present_on(self, screen: QScreen | None = None) -> None:
        """Show full screen on ``screen`` (default: the second screen when there is one)."""
        screen = screen or presenter_screen()
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.setFocus()


def vote_view(question, stats) -> QWidget:
    """Distribution bars with centre, spread and the votes far from the group."""
    view = QWidget()
    grid = QGridLayout(view)
    grid.setSpacing(8)
    widest = max([*stats.distribution.values(), 1])
    texts = dict(choices(question))
    for row, (value, n) in enumerate(stats.distribution.items()):
        name = _label(f"{value}  {texts.get(value, '').split(':')[0][:24]}".rstrip(), "dim")
        bar = QLabel()
        bar.setFixedSize(max(4, int(560 * n / widest)), 40)
        far = value in stats.outliers
        bar.setStyleSheet(f"background: {'#ff6b6b' if far else '#ffd400'};")
        count = _label(str(n))
        count.setToolTip(f"{n} of {stats.count} people chose {value}")
        line = QHBoxLayout()
        line.addWidget(bar)
        line.addWidget(count)
        line.addStretch(1)
        grid.addWidget(name, row, 0)
        grid.addLayout(line, row, 1)
    grid.setColumnStretch(1, 1)
    figures = []
    if stats.mean is not None:
        figures += [("Average", f"{stats.mean:.2f}", "The sum of the votes divided by their number"),
                    ("Middle vote", f"{stats.median:g}", "Half the votes are at or below this"),
                    ("Spread", f"±{stats.spread:.2f}",
                     "How far a typical vote lies from the average (standard deviation)"),
                    ("Range", f"{stats.low:g}–{stats.high:g}", "Lowest and highest vote")]
    else:
        figures.append(("Agreement", f"{stats.agreement:.0%}",
                        "Share of people who chose the most common answer"))
    outliers = ", ".join(map(str, stats.outliers)) or "none"
    figures.append(("Far from the group", outliers,
                    "Votes two or more points from the middle vote: ask what they see"))
    line = QHBoxLayout()
    for caption, value, tip in figures:
        figure = _label(f"{caption}: {value}", "accent")
        figure.setToolTip(tip)
        figure.setObjectName(caption)
        line.addWidget(figure)
    grid.addLayout(line, len(stats.distribution), 0, 1, 2)
    return view


def prediction_view(score, names: dict[str, str] | None) -> QWidget:
    """The team's picks beside the network's answer, shared entries marked."""
    view = QWidget()
    grid = QGridLayout(view)
    grid.setSpacing(8)
    show = (lambda key: names.get(key, key)) if names else pair_label
    grid.addWidget(_label("The team's picture", "accent"), 0, 0)
    grid.addWidget(_label("What the network shows", "accent"), 0, 1)
    hits = set(score.hits)
    for row, (key, n) in enumerate(score.team, start=1):
        grid.addWidget(_label(f"{'✓ ' if key in hits else ''}{show(key)} — {n} picks"), row, 0)
    for row, (key, figure) in enumerate(score.measured, start=1):
        value = f"{figure:g} people name them" if names else f"{figure:.0%} of pairs linked"
        grid.addWidget(_label(f"{'✓ ' if key in hits else ''}{show(key)} — {value}", "dim"),
                       row, 1)
    rho = score.rank_correlation
    summary = _label(f"{len(score.hits)} of {len(score.measured)} in both lists"
                     + ("" if rho is None else f"   ·   rank agreement {rho:+.2f}"), "big")
    summary.setObjectName("score")
    summary.setToolTip("Rank agreement runs from -1 (opposite order) through 0 (unrelated) "
                       "to +1 (the same order as the network).")
    grid.addWidget(summary, 7, 0, 1, 2)
    grid.setRowStretch(6, 1)
    return view
