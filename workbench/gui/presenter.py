"""Presenter mode: one agenda item at a time on a projector, pass-the-laptop voting, reveal.

The window never shows a vote to the next participant: after each vote a "pass the laptop"
page shows only the number of votes so far (and, in a named session, asks the next person's
name). The window only renders the live session of the core
(:class:`~workbench.core.workshop.session.WorkshopRun`): it asks which actions the current
phase allows, enables those buttons and lists those keys in its footer (:data:`KEYS`: → next
item, ← previous item or back to the question, Space vote / next participant, R reveal,
digits the agreed value and Enter record it, N note, Esc leave; PgDn / PgUp of a presentation
clicker work as → / ←, V as Space). On the voting page digits choose, Enter casts, Esc
cancels. Every target is at least 48 px high for touch; every vote is committed as it is
cast. When the presenter is on a projector, the voting pages move to a :class:`PrivatePane`
on the laptop and the projector shows a cover. P (or the Phones button) shows the QR code
and 6-digit code that let participants vote from their phones (:mod:`workbench.gui.phones_view`).
"""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.network import glossary
from workbench.core.questionnaire.keys import option_keys
from workbench.core.workshop.agenda import PICKS_PER_PARTICIPANT, PREDICT_PEOPLE, choices
from workbench.core.workshop.predictions import pair_label
from workbench.core.workshop.reveal import (
    prediction_candidates,
    prediction_score,
    question_stats,
)
from workbench.core.workshop.rules import WorkshopError
from workbench.core.workshop.session import Action, Phase, WorkshopRun
from workbench.gui.phones_view import PhonesPanel
from workbench.gui.session import ProjectSession
from workbench.gui.widgets import show_full_screen

# the presenter's palette: white and yellow on black, readable from the back of a room
BACKGROUND = "#000000"
FOREGROUND = "#ffffff"
ACCENT = "#ffd400"
MUTED = "#8a8a8a"  # disabled buttons
TICK_SIZE = 48  # the tick boxes of a prediction, as large as any touch target

THEME = """
QWidget#presenter { background: #000000; }
QWidget#presenter QLabel { color: #ffffff; font-size: 22pt; }
QWidget#presenter QLabel[role="big"] { font-size: 30pt; font-weight: 700; }
QWidget#presenter QLabel[role="dim"] { color: #d0d0d0; font-size: 18pt; }
QWidget#presenter QLabel[role="accent"] { color: #ffd400; font-size: 24pt; font-weight: 700; }
QWidget#presenter QPushButton { background: #1a1a1a; color: #ffffff; font-size: 24pt;
    border: 3px solid #ffffff; border-radius: 12px; padding: 8px 24px; min-height: 48px; }
QWidget#presenter QPushButton:checked { background: #ffd400; color: #000000; }
QWidget#presenter QPushButton:focus { border-color: #ffd400; }
QWidget#presenter QLineEdit, QWidget#presenter QListWidget,
QWidget#presenter QPlainTextEdit { background: #000000;
    color: #ffffff; font-size: 22pt; border: 3px solid #ffffff; padding: 8px; }
QWidget#presenter QLineEdit { min-height: 48px; }
QWidget#presenter QScrollBar:vertical { background: #1a1a1a; width: 20px; border: none; }
QWidget#presenter QScrollBar::handle:vertical { background: #ffffff; min-height: 48px;
    border-radius: 8px; }
QWidget#presenter QScrollBar::add-line, QWidget#presenter QScrollBar::sub-line { height: 0; }
QWidget#presenter QListWidget::item { min-height: 56px; }
""" + f"""
QWidget#presenter QPushButton:disabled {{ color: {MUTED}; border-color: {MUTED}; }}
QWidget#presenter QListWidget::item {{ padding: 4px; }}
QWidget#presenter QListWidget::indicator {{ width: {TICK_SIZE - 6}px;
    height: {TICK_SIZE - 6}px; border: 3px solid {FOREGROUND}; border-radius: 6px;
    background: {BACKGROUND}; margin-right: 16px; }}
QWidget#presenter QListWidget::indicator:checked {{ background: {ACCENT};
    border-color: {ACCENT}; }}
"""
TOUCH_HEIGHT = 48  # the smallest height of anything a finger has to hit

# keys of the question, "pass the laptop" and reveal pages: (action, keys, footer key);
# a key does the first action of this list that the session allows now (← goes back to the
# question from the pass and reveal pages, to the previous item from the question)
KEYS: tuple[tuple[Action, tuple[int, ...], str], ...] = (
    (Action.NEXT, (Qt.Key_Right, Qt.Key_PageDown), "→"),
    (Action.BACK, (Qt.Key_Left, Qt.Key_PageUp), "←"),
    (Action.PREVIOUS, (Qt.Key_Left, Qt.Key_PageUp), "←"),
    (Action.VOTE, (Qt.Key_Space, Qt.Key_V), "Space"),
    (Action.REVEAL, (Qt.Key_R,), "R"),
    (Action.RECORD, (Qt.Key_Return, Qt.Key_Enter), "Enter"),
    (Action.NOTE, (Qt.Key_N,), "N"),
    (Action.LEAVE, (Qt.Key_Escape,), "Esc"),
)
KEY_TEXT = {Action.NEXT: "next item", Action.BACK: "back to the question",
            Action.PREVIOUS: "previous item", Action.VOTE: "vote", Action.REVEAL: "reveal",
            Action.RECORD: "record the consensus", Action.NOTE: "note", Action.LEAVE: "leave"}
NOTE_KEYS = "Ctrl+Enter  save the note    Esc  cancel"
NAME_KEYS = "Enter  vote, once your name is typed    Esc  out of the name box"
KEYS_TIP = "PgDn / PgUp (a presentation clicker) work as → / ←, and V as Space."


def _label(text: str = "", role: str | None = None) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    if role:
        widget.setProperty("role", role)
    return widget


def _button(text: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setFocusPolicy(Qt.NoFocus)  # keys go to the window; touch and mouse still work
    button.setMinimumHeight(TOUCH_HEIGHT)
    button.clicked.connect(slot)
    return button


def _focused(widget: QWidget) -> bool:
    """Whether ``widget`` has (or gets, once its window is active) the keyboard focus."""
    return widget.window().focusWidget() is widget


def _themed(widget: QWidget) -> QWidget:
    """Give ``widget`` the presenter's large, high-contrast look."""
    widget.setObjectName("presenter")
    widget.setAttribute(Qt.WA_StyledBackground, True)
    widget.setStyleSheet(THEME)
    return widget


class PresenterWindow(QWidget):
    """Full-screen workshop view of one session, driven by keyboard, mouse or touch."""

    changed = Signal()  # item, page, timer or count changed (the control view follows)
    left = Signal()

    QUESTION, VOTE, PASS, REVEAL, NOTE = range(5)
    PRIVATE_PAGES = (VOTE, PASS)  # shown on the laptop when the presenter is on a projector
    PHASE_PAGES = {Phase.QUESTION: QUESTION, Phase.BALLOT: VOTE, Phase.PASSING: PASS,
                   Phase.REVEALED: REVEAL, Phase.RECORDED: REVEAL}

    def __init__(self, session: ProjectSession, session_id: int, show_error=None) -> None:
        super().__init__(None, Qt.Window)
        _themed(self)
        self.setWindowTitle("Workshop — presenter")
        self.project = session.project
        self.session_id = session_id
        self._show_error = show_error or (lambda message: None)
        self.run = WorkshopRun(self.project, session_id)  # the session's state and rules
        self.items = self.run.items
        self.template = self.project.workshop.template(session_id)
        self.named = self.run.named
        self.pane: PrivatePane | None = None
        self.page = self.QUESTION
        self._page_before_note = self.QUESTION
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
        self.phones = PhonesPanel(self)  # hidden until "Phones…"; stopped when leaving
        outer.addWidget(self.phones, 1)
        self.changed.connect(self.phones.follow)
        QShortcut(QKeySequence(Qt.Key_P), self, self.show_phones)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.nav = QWidget()
        nav = QHBoxLayout(self.nav)
        nav.setContentsMargins(0, 0, 0, 0)
        self.back_button = _button("←  Back", self.previous_item)
        self.note_button = _button("Note  (N)", self.open_note)
        self.next_button = _button("Next  →", self.next_item)
        self.leave_button = _button("Leave  (Esc)", self.leave)
        self.phones_button = _button("Phones  (P)", self.show_phones)
        self.phones_button.setToolTip("Let participants vote from their phones over this "
                                      "room's network: shows a QR code and a 6-digit code")
        for button in (self.back_button, self.note_button, self.next_button, self.phones_button,
                       self.leave_button):
            nav.addWidget(button)
        outer.addWidget(self.nav)
        self.hint = _label("", "dim")  # the keys that work now, from the session's phase
        self.hint.setToolTip(KEYS_TIP)
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
        self.vote_button = _button("Vote  (Space)", self.start_vote)
        self.reveal_button = _button("Reveal  (R)", self.reveal)
        buttons.addWidget(self.vote_button)
        buttons.addWidget(self.reveal_button)
        q.addLayout(buttons)
        self.stack.addWidget(question)

        # vote page (choices are rebuilt per item)
        vote = QWidget()
        self.vote_layout = QVBoxLayout(vote)
        self.vote_prompt = _label("", "accent")
        self.vote_layout.addWidget(self.vote_prompt)
        self.choice_box = QWidget()
        self.choice_grid = QGridLayout(self.choice_box)
        self.choice_grid.setSpacing(8)
        self.choice_grid.setContentsMargins(0, 0, 0, 0)
        self.choice_grid.setColumnStretch(1, 1)  # column 0 the buttons, 1 their descriptions
        scroll = QScrollArea()  # long scales or small screens scroll instead of clipping
        scroll.setWidget(self.choice_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget "
                             "{ background: transparent; }")
        self.choice_scroll = scroll
        self.vote_layout.addWidget(scroll, 1)
        self.filter = QLineEdit(placeholderText="Type to filter…")
        self.filter.textChanged.connect(self._filter_candidates)
        self.candidates = QListWidget()
        self.candidates.setAccessibleName("Candidates: tick up to "
                                          f"{PICKS_PER_PARTICIPANT}")
        self.candidates.setSelectionMode(QListWidget.NoSelection)  # ticks, not a highlight
        self.candidates.itemPressed.connect(self._candidate_pressed)
        self.candidates.itemClicked.connect(self._candidate_clicked)
        self._pressed_state = None
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
        self.name_field = QLineEdit(placeholderText="Your name, then Enter")
        self.name_field.setAccessibleName("Your name")
        self.name_field.returnPressed.connect(self.next_participant)
        self.name_field.setVisible(self.named)
        p.addStretch(1)
        p.addWidget(self.pass_text)
        p.addWidget(self.name_field)
        p.addStretch(1)
        pass_buttons = QHBoxLayout()
        self.next_voter_button = _button("Next participant  (Space)", self.next_participant)
        self.pass_reveal_button = _button("Everyone has voted: reveal  (R)", self.reveal)
        pass_buttons.addWidget(self.next_voter_button)
        pass_buttons.addWidget(self.pass_reveal_button)
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
        self.record_button = _button("Record consensus", self.record_consensus)
        c.addWidget(self.record_button)
        self.reveal_layout.addWidget(self.consensus_row)
        self.consensus_message = _label("", "accent")  # why a consensus was not recorded
        self.consensus_message.setObjectName("consensus_message")
        self.reveal_layout.addWidget(self.consensus_message)
        self.stack.addWidget(reveal)

        # note page: a large box for what the room says
        note = QWidget()
        n = QVBoxLayout(note)
        self.note_prompt = _label("", "accent")
        self.note_text = QPlainTextEdit()
        self.note_text.setAccessibleName("Note")
        n.addWidget(self.note_prompt)
        n.addWidget(self.note_text, 1)
        note_buttons = QHBoxLayout()
        note_buttons.addWidget(_button("Save note  (Ctrl+Enter)", self.save_note))
        note_buttons.addWidget(_button("Cancel  (Esc)", self.close_note))
        n.addLayout(note_buttons)
        self.note_text.installEventFilter(self)  # Ctrl+Enter saves instead of a new line
        self.name_field.installEventFilter(self)  # the footer follows the name box's focus
        self.stack.addWidget(note)
        self.pages = [self.stack.widget(i) for i in range(self.stack.count())]

    # -- state ---------------------------------------------------------------------------

    @property
    def item(self):
        return self.run.item

    @property
    def index(self) -> int:
        return self.run.index

    @property
    def participant(self) -> str | None:
        """Who the open ballot belongs to (None between ballots)."""
        return self.run.participant

    @property
    def question(self):
        if self.item.kind != "question" or self.template is None:
            return None
        return self.template.question(self.item.ref)

    def vote_count(self) -> int:
        return self.run.ballots()

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
        self.nav.setVisible(page in (self.QUESTION, self.REVEAL))
        self.hint.setVisible(page != self.VOTE)  # room for the choices
        if self.pane is not None:
            self.pane.show_page(self.pages[page] if page in self.PRIVATE_PAGES else None)
        if page == self.PASS and self.named:
            self.name_field.setFocus()
        elif page in self.PRIVATE_PAGES and self.pane is not None:
            self.pane.setFocus()
        else:
            self.setFocus()
        self._show_actions()
        self.changed.emit()

    def _show_phase(self) -> None:
        """Show the page of the session's phase."""
        self._set_page(self.PHASE_PAGES[self.run.phase])

    def _show_actions(self) -> None:
        """Enable the buttons, and list the keys, of what the session allows now."""
        allowed = self.run.allowed()
        for button, action in ((self.back_button, Action.PREVIOUS),
                               (self.next_button, Action.NEXT),
                               (self.note_button, Action.NOTE),
                               (self.vote_button, Action.VOTE),
                               (self.reveal_button, Action.REVEAL),
                               (self.next_voter_button, Action.VOTE),
                               (self.pass_reveal_button, Action.REVEAL),
                               (self.record_button, Action.RECORD)):
            button.setEnabled(action in allowed)
        if self.pane is not None:
            self.pane.vote_button.setEnabled(Action.VOTE in allowed)
        self.hint.setText(self.footer())

    def footer(self) -> str:
        """The keys that work on the page shown, each with what it does there."""
        if self.page == self.NOTE:
            return NOTE_KEYS
        if self.page == self.VOTE:
            return ""  # the voting page names its own keys on its buttons
        if self.page == self.PASS and self.named and _focused(self.name_field):
            return NAME_KEYS
        allowed = self.run.allowed()
        digits = self._digit_range() if Action.RECORD in allowed else ""
        entries: list[str] = []
        claimed: set[int] = set()
        for action, keys, shown in KEYS:
            if action not in allowed or claimed & set(keys):
                continue  # not possible now, or the key does an earlier action
            claimed |= set(keys)
            if action == Action.RECORD and digits:
                entries.append(f"{digits}  agreed value")
            entries.append(f"{shown}  {self._key_text(action)}")
        return "    ".join(entries)

    def _key_text(self, action: Action) -> str:
        if action == Action.VOTE and self.run.phase == Phase.PASSING:
            return "type the next name" if self.named else "next participant"
        if action == Action.RECORD and self.question is None:
            return "record the note"
        return KEY_TEXT[action]

    def _digit_range(self) -> str:
        """The digits that choose an agreed value ("0–4"), empty without a question."""
        question = self.question
        if question is None:
            return ""
        digits = [digit for digit, _, _ in option_keys(question) if digit is not None]
        return f"{min(digits)}–{max(digits)}" if digits else ""

    def vote_on(self, pane: PrivatePane) -> None:
        """Move the voting pages to ``pane`` (on the laptop); the projector shows a cover."""
        self.pane = pane
        self.covers = {}
        for page in self.PRIVATE_PAGES:
            cover = _label("", "big")
            cover.setAlignment(Qt.AlignCenter)
            self.covers[page] = cover
            self.stack.removeWidget(self.pages[page])
            self.stack.insertWidget(page, cover)
            pane.addWidget(self.pages[page])
        self._update_count()
        self._set_page(self.page)

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
        self._show_phase()

    def _update_count(self) -> None:
        n = self.vote_count()
        self.count_label.setText(f"Votes so far: {n}")
        thanks = "Thank you — your vote is saved.\n\n" if n else ""
        then = ("type your name, then press Enter." if self.named
                else "press Space to vote.")
        self.pass_text.setText(f"{thanks}Please pass the laptop to the next person: {then}"
                               f"\n\nVotes so far: {n}")
        if self.pane is not None:
            self.covers[self.VOTE].setText(f"Someone is voting on the laptop.\n\n"
                                           f"Votes so far: {n}")
            self.covers[self.PASS].setText(f"Pass the laptop to the next person.\n\n"
                                           f"Votes so far: {n}")

    def _log_time(self) -> None:
        seconds = self.elapsed()
        if seconds >= 1:
            self.project.workshop.log_time(self.item.id, self._item_started_at, seconds)

    def _go(self, index: int) -> None:
        if not 0 <= index < len(self.items) or self.run.phase == Phase.BALLOT:
            return
        self._log_time()
        self.run.go(index)
        self._item_started = time.monotonic()
        self._item_started_at = dt.datetime.now()
        self._show_item()

    # -- actions (keys, buttons and the control view all land here) -------------------------
    # Each asks the session first: what its phase does not allow does nothing.

    def do(self, action: Action) -> None:
        """Carry out ``action`` as its key or button would."""
        {Action.NEXT: self.next_item, Action.PREVIOUS: self.previous_item,
         Action.BACK: self.back_to_question, Action.VOTE: self.start_vote,
         Action.CAST: self.confirm_vote, Action.CANCEL: self.cancel_vote,
         Action.REVEAL: self.reveal, Action.RECORD: self.record_consensus,
         Action.NOTE: self.open_note, Action.LEAVE: self.leave}[action]()

    def next_item(self) -> None:
        if self.run.can(Action.NEXT):
            self._go(self.index + 1)

    def previous_item(self) -> None:
        if self.run.can(Action.PREVIOUS):
            self._go(self.index - 1)

    def back_to_question(self) -> None:
        if self.run.can(Action.BACK):
            self.run.back()
            self._show_phase()

    def next_participant(self) -> None:
        """Start the next vote; in a named session the name typed on this page comes first."""
        if not self.named:
            self.start_vote()
            return
        if not self.run.can(Action.VOTE):
            return
        name = self.name_field.text()
        self.name_field.clear()
        try:
            self.run.vote(name)
        except WorkshopError as exc:  # a blank name, or one that has voted (never shown)
            self.pass_text.setText(str(exc))
            self._set_page(self.PASS)
            return
        self._open_ballot()

    def start_vote(self) -> None:
        if not self.run.can(Action.VOTE):
            return
        if self.named:  # the name is asked on the "next participant" page
            if self.run.phase == Phase.QUESTION:
                self.run.vote()
                self._update_count()
            self._set_page(self.PASS)
            return
        self.run.vote()
        self._open_ballot()

    def _open_ballot(self) -> None:
        """The private voting page of the ballot the session just opened."""
        self.selected = None
        self.vote_prompt.setText(f"{self.run.voter}: choose in private, then press Enter.")
        while self.choice_grid.count():
            self.choice_grid.takeAt(0).widget().deleteLater()
        question = self.question
        self.choice_scroll.setVisible(question is not None)
        self.filter.setVisible(question is None)
        self.candidates.setVisible(question is None)
        if question is not None:
            for row, (digit, text, value) in enumerate(option_keys(question)):
                key = "" if digit is None else str(digit)
                name, _, detail = text.partition(":")  # the short name on the button
                button = _button(f"{key}   {name}".rstrip(), lambda _=False, v=value:
                                 self._select(v))
                button.setCheckable(True)
                button.setProperty("value", value)
                button.setStyleSheet("text-align: left;")
                button.setToolTip(text)
                self.choice_grid.addWidget(button, row, 0)
                self.choice_grid.addWidget(_label(detail.strip(), "dim"), row, 1)
        else:
            try:
                self._fill_candidates()
            except WorkbenchError as exc:
                self.run.cancel()
                self._show_error(str(exc))
                self._show_phase()
                return
            self.filter.clear()
        self._show_phase()
        if question is None:
            self.filter.setFocus()

    def choice_buttons(self) -> list[QPushButton]:
        """The vote page's buttons, one per possible value, in scale order."""
        found = (self.choice_grid.itemAt(i).widget() for i in range(self.choice_grid.count()))
        return [w for w in found if isinstance(w, QPushButton)]

    def _select(self, value: object) -> None:
        self.selected = value
        for button in self.choice_buttons():
            button.setChecked(button.property("value") == value)

    def _fill_candidates(self) -> None:
        self.candidates.clear()
        for key, text in prediction_candidates(self.project, self.item.kind):
            entry = QListWidgetItem(text)
            entry.setData(Qt.UserRole, key)
            entry.setFlags(entry.flags() | Qt.ItemIsUserCheckable)
            entry.setCheckState(Qt.Unchecked)
            self.candidates.addItem(entry)

    def _candidate_pressed(self, entry: QListWidgetItem) -> None:
        self._pressed_state = entry.checkState()

    def _candidate_clicked(self, entry: QListWidgetItem) -> None:
        """A tap anywhere on a candidate's row ticks it (or clears it), not only its box."""
        if entry.checkState() == self._pressed_state:  # the box itself was not hit
            entry.setCheckState(Qt.Unchecked if entry.checkState() == Qt.Checked
                                else Qt.Checked)
        self._pressed_state = None

    def _filter_candidates(self, text: str) -> None:
        for row in range(self.candidates.count()):
            entry = self.candidates.item(row)
            entry.setHidden(text.lower() not in entry.text().lower())

    def picks(self) -> list[str]:
        return [self.candidates.item(r).data(Qt.UserRole) for r in range(self.candidates.count())
                if self.candidates.item(r).checkState() == Qt.Checked]

    def confirm_vote(self) -> None:
        if not self.run.can(Action.CAST):
            return
        value = self.selected if self.question is not None else self.picks()
        try:
            self.run.cast(value)
        except WorkshopError as exc:  # the service refused the value: say why, keep the ballot
            self.vote_prompt.setText(f"{self.run.voter}: {exc}")
            return
        except WorkbenchError as exc:
            self._show_error(str(exc))
            return
        self.selected = None
        self.candidates.clear()
        self._update_count()
        self._show_phase()

    def cancel_vote(self) -> None:
        if not self.run.can(Action.CANCEL):
            return
        self.run.cancel()
        self.selected = None
        self.candidates.clear()
        self._show_phase()

    # -- free notes ------------------------------------------------------------------------

    def open_note(self) -> None:
        """Show the large note box for the current item."""
        if self.page != self.NOTE:
            if not self.run.can(Action.NOTE):
                return
            self._page_before_note = self.page
        self.note_prompt.setText(f"Note on item {self.index + 1}: type freely, then press "
                                 "Ctrl+Enter to save or Esc to cancel.")
        self.note_text.clear()
        self._set_page(self.NOTE)
        self.note_text.setFocus()

    def save_note(self) -> None:
        if self.add_note(self.note_text.toPlainText()):
            self.close_note()

    def close_note(self) -> None:
        self.note_text.clear()
        self._set_page(self._page_before_note)

    def add_note(self, text: str) -> bool:
        """Store a note on the current item (blank text is ignored); True when stored."""
        try:
            return self.run.add_note(text)
        except WorkbenchError as exc:
            self._show_error(str(exc))
            return False

    def reveal(self) -> None:
        if not self.run.can(Action.REVEAL):
            return
        try:
            body = self._reveal_body()
        except WorkbenchError as exc:
            self._show_error(str(exc))
            return
        self.run.reveal()
        self.reveal_layout.replaceWidget(self.reveal_body, body)
        self.reveal_body.hide()
        self.reveal_body.deleteLater()
        self.reveal_body = body
        agreed = self.project.workshop.consensus(self.session_id).get(self.item.id)
        self.selected = agreed.value if agreed else None
        self.note.setText(agreed.note if agreed else "")
        self.consensus_label.setVisible(self.question is not None)
        self.consensus_message.setText("")
        self._show_consensus()
        self._show_phase()

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
        done = (recorded is not None and self.selected is not None
                and recorded.value == self.selected)
        self.consensus_label.setText(f"Agreed value: {shown}{'  ✓ recorded' if done else ''}")

    def _choose_agreed(self, value: object) -> None:
        self.selected = value
        self.consensus_message.setText("")
        self._show_consensus()

    def record_consensus(self) -> None:
        if not self.run.can(Action.RECORD):
            return
        try:
            self.run.record(self.selected, self.note.text())
        except WorkshopError as exc:  # nothing agreed yet: say so on the screen, store nothing
            self.consensus_message.setText(str(exc))
            self._show_consensus()
            return
        except WorkbenchError as exc:
            self._show_error(str(exc))
            return
        self.consensus_message.setText("" if self.question is not None else "✓ Note recorded")
        self._show_consensus()
        self._show_phase()

    def leave(self) -> None:
        self._log_time()
        self._timer.stop()
        self.run.leave()
        self.close()
        self.left.emit()

    def show_phones(self) -> None:
        """Show how to vote from phones (starting their server once), or hide that again."""
        self.phones.toggle()

    def closeEvent(self, event) -> None:
        self.phones.stop()  # the server is only on while presenting
        super().closeEvent(event)

    # -- keys -----------------------------------------------------------------------------

    def _digit_value(self, key: int) -> object | None:
        question = self.question
        if question is None or not Qt.Key_0 <= key <= Qt.Key_9:
            return None
        typed = key - Qt.Key_0
        return next((value for digit, _, value in option_keys(question) if digit == typed), None)

    def key_action(self, key: int) -> Action | None:
        """What ``key`` does now on the question, pass and reveal pages (see :data:`KEYS`)."""
        allowed = self.run.allowed()
        return next((action for action, keys, _ in KEYS if key in keys and action in allowed),
                    None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.page == self.NOTE:
            if key == Qt.Key_Escape:
                self.close_note()
            return
        if self.page == self.PASS and self.named and _focused(self.name_field):
            if key == Qt.Key_Escape:  # out of the name box: the page's keys work again
                self.setFocus()
                self._show_actions()
            return
        if self.page == self.VOTE:
            value = self._digit_value(key)
            if value is not None:
                self._select(value)
            elif key in (Qt.Key_Return, Qt.Key_Enter):
                self.confirm_vote()
            elif key == Qt.Key_Escape:
                self.cancel_vote()
            return
        if self.page == self.REVEAL and self._digit_value(key) is not None:
            self._choose_agreed(self._digit_value(key))
            return
        action = self.key_action(key)
        if action is None:
            super().keyPressEvent(event)
        else:
            self.do(action)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.note_text and event.type() == QEvent.KeyPress
                and event.key() in (Qt.Key_Return, Qt.Key_Enter)
                and event.modifiers() & Qt.ControlModifier):
            self.save_note()
            return True
        if (watched is self.name_field and self.page == self.PASS
                and event.type() in (QEvent.FocusIn, QEvent.FocusOut)):
            self._show_actions()  # the footer says what the keys do in or out of the box
        return super().eventFilter(watched, event)

    def present_on(self, screen: QScreen | None = None) -> None:
        """Show full screen on ``screen`` (default: the second screen when there is one)."""
        show_full_screen(self, screen)


class PrivatePane(QStackedWidget):
    """The laptop's side of the voting pages while the presenter shows on a projector.

    It shows the vote or the "next participant" page of ``presenter`` and nothing otherwise;
    keys typed here drive the presenter as if it had the focus.
    """

    def __init__(self, presenter: PresenterWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _themed(self)
        self.presenter = presenter
        self.setFocusPolicy(Qt.StrongFocus)
        self.idle = QWidget()
        idle = QVBoxLayout(self.idle)
        text = _label("Votes are cast here, in private: the big screen shows only how many "
                      "people have voted.", "dim")
        text.setAlignment(Qt.AlignCenter)
        self.vote_button = _button("Start voting  (Space)", presenter.start_vote)
        idle.addWidget(text, 1)
        idle.addWidget(self.vote_button)
        self.addWidget(self.idle)
        presenter.vote_on(self)

    def show_page(self, page: QWidget | None) -> None:
        self.setCurrentWidget(page or self.idle)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.presenter.keyPressEvent(event)


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
        bar.setFixedSize(max(4, int(440 * n / widest)), 32)
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
    column = QVBoxLayout()  # beside the bars, so a 1280x800 projector shows everything
    for caption, value, tip in figures:
        figure = _label(f"{caption}: {value}", "accent")
        figure.setWordWrap(False)
        figure.setToolTip(tip)
        figure.setObjectName(caption)
        column.addWidget(figure)
    column.addStretch(1)
    grid.addLayout(column, 0, 2, max(len(stats.distribution), 1), 1)
    return view


def same_order(rho: float) -> str:
    """Whether the team ranked in the network's order, in a word or two (Spearman's rho)."""
    return ("Largely" if rho >= 0.6 else "Partly" if rho >= 0.2 else "No" if rho > -0.2
            else "Reversed")


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
    order = "" if rho is None else \
        f"   ·   {glossary.label('rank_agreement')} {same_order(rho)} ({rho:+.2f})"
    summary = _label(f"{len(score.hits)} of {len(score.measured)} in both lists{order}", "big")
    summary.setObjectName("score")
    summary.setToolTip(glossary.definition("rank_agreement"))
    grid.addWidget(summary, 7, 0, 1, 2)
    grid.setRowStretch(6, 1)
    return view
