"""Workshop: plan a session on an assessment round, present it, and follow it from the laptop.

"Check data…" (also on the empty page) lists, for each exercise, what the project holds and
what is missing with how to get it (:func:`workbench.core.readiness.workshop_readiness`).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.readiness import ExerciseCheck, workshop_readiness
from workbench.core.workshop.agenda import agenda_from_template
from workbench.core.workshop.record import workshop_rows
from workbench.gui.models import Column
from workbench.gui.panels.base import Panel
from workbench.gui.panels.tables import RecordTable
from workbench.gui.presenter import PresenterWindow
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState, label, page_layout, presenter_screen
from workbench.gui.workshop_control import ControlView

AGENDA_COLUMNS = [
    Column("#", lambda r: r["Item"]),
    Column("Votes", lambda r: r["Votes"], "Votes or predictions cast on this item so far"),
    Column("Consensus", lambda r: r["Consensus"], "The value the group agreed on"),
    Column("Minutes", lambda r: r["Minutes spent"], "Minutes spent on the item so far"),
    Column("Agenda item", lambda r: r["Question"]),
    Column("Notes", lambda r: r["Note"].replace("\n", " · "),
           "The consensus note and the notes taken during the presentation"),
]
CHECK_TEXT = "Chec&k data…"
CHECK_TIP = "What each exercise needs, what the project holds and what is missing"
# (symbol, background, text colour, spoken name): fixed colours that keep their contrast on
# the light and the dark theme alike
MARKS = {True: ("✓", "#1a7f37", "#ffffff", "Ready"),
         False: ("!", "#b7791f", "#000000", "Data missing")}
MARK_SIZE = 28


class WorkshopPanel(Panel):
    title = "Workshop"
    watches = frozenset({"assessment_round", "workshop_session", "workshop_item",
                         "workshop_vote", "workshop_prediction", "workshop_consensus",
                         "workshop_timing", "workshop_note"})

    def __init__(self, parent: QWidget | None = None) -> None:
        self.presenter: PresenterWindow | None = None
        self.readiness: ReadinessDialog | None = None
        super().__init__(parent)

    def build_empty_state(self) -> EmptyState:
        state = EmptyState("No assessment round to run a workshop on",
                           "A workshop takes a round's questions one at a time: the leaders "
                           "vote privately on the laptop, then see the spread and agree. "
                           "Start a round in Questionnaires first.", "Go to Questionnaires")
        state.activated.connect(lambda: self.context.go_to("Questionnaires"))
        self.empty_check_button = state.add_button(CHECK_TEXT, self.check_data)
        self.empty_check_button.setToolTip(CHECK_TIP)
        return state

    def build_content(self) -> QWidget:
        content = QWidget()
        layout = page_layout(content)
        layout.addWidget(label("Workshop", "title"))
        layout.addWidget(label("Pick a round, create a session from its questions, then press "
                               "Present (F5). Votes are saved as they are cast and anonymous "
                               "unless you ask for named votes.", "subtitle", wrap=True))
        new = QHBoxLayout()
        new.setSpacing(SPACING)
        self.round_box = QComboBox(toolTip="The assessment round whose questions are voted on; "
                                           "the agreed values are stored in it as CONSENSUS")
        self.minutes = QDoubleSpinBox(minimum=0.5, maximum=60, value=3, suffix=" min",
                                      toolTip="Time planned per agenda item")
        self.with_predictions = QCheckBox("Add predict-then-reveal items", checked=True)
        self.named_votes = QCheckBox("Named votes", toolTip=(
            "Each participant types their name before voting; the names appear in the "
            "exported Workshop sheet, never on screen. Leave unticked for anonymous votes."))
        self.new_button = QPushButton("New workshop session")
        self.new_button.clicked.connect(lambda: self.new_session())
        for widget in (self.round_box, self.minutes, self.with_predictions, self.named_votes,
                       self.new_button):
            new.addWidget(widget)
        new.addStretch(1)
        self.setup = QWidget()  # creating sessions; hidden while presenting
        self.setup.setLayout(new)
        new.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.setup)

        body = QHBoxLayout()
        body.setSpacing(SPACING)
        self.session_list = QListWidget()
        self.session_list.setAccessibleName("Workshop sessions")
        self.session_list.currentRowChanged.connect(lambda _row: self._show_agenda())
        self.no_sessions = label("No sessions yet: pick a round and press New workshop "
                                 "session.", "hint", wrap=True)
        self.no_sessions.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.no_sessions.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        self.sessions = QStackedWidget()
        self.sessions.setMaximumWidth(280)
        self.sessions.addWidget(self.no_sessions)
        self.sessions.addWidget(self.session_list)
        body.addWidget(self.sessions)
        self.agenda = RecordTable("Agenda", "One item at a time on the projector.",
                                  AGENDA_COLUMNS)
        self.agenda.layout().setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.agenda, 1)
        self.body = QWidget()  # sessions and agenda; hidden while presenting
        self.body.setLayout(body)
        body.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 1)

        control = QHBoxLayout()
        control.setSpacing(SPACING)
        self.screen_box = QComboBox(toolTip="Where the presenter view goes full screen")
        self.present_button = QPushButton("Present  (F5)")
        self.present_button.setProperty("role", "primary")
        self.present_button.clicked.connect(lambda: self.present())
        QShortcut(QKeySequence("F5"), content, self.present)
        self.check_button = QPushButton(CHECK_TEXT, toolTip=CHECK_TIP)
        self.check_button.clicked.connect(lambda: self.check_data())
        control.addWidget(self.check_button)
        control.addWidget(self.screen_box)
        control.addWidget(self.present_button)
        control.addStretch(1)
        layout.addLayout(control)
        self.control = ControlView()
        self.control_buttons = self.control.buttons  # Back, Reveal, Next, Leave
        layout.addWidget(self.control)
        return content

    def has_content(self) -> bool:
        return self.session is not None and bool(self.session.project.assessments.rounds())

    def editing_widgets(self) -> list[QWidget]:
        return [self.new_button]

    def refresh(self) -> None:
        project = self.session.project
        keep = self.round_box.currentData()
        self.round_box.clear()
        for info in project.assessments.rounds():
            self.round_box.addItem(info.name, info.id)
        if keep is not None and self.round_box.findData(keep) >= 0:
            self.round_box.setCurrentIndex(self.round_box.findData(keep))
        current = self.session_list.currentItem()
        keep_session = current.data(0x100) if current else None
        self.session_list.blockSignals(True)
        self.session_list.clear()
        for info in project.workshop.sessions():
            votes = "anonymous" if info.anonymous else "named votes"
            entry = QListWidgetItem(f"{info.name}\n{info.items} items · {votes} · "
                                    f"{info.created:%d %b %Y %H:%M}")
            entry.setData(0x100, info.id)
            self.session_list.addItem(entry)
            if info.id == keep_session:
                self.session_list.setCurrentItem(entry)
        if self.session_list.currentRow() < 0 and self.session_list.count():
            self.session_list.setCurrentRow(self.session_list.count() - 1)
        self.session_list.blockSignals(False)
        self.sessions.setCurrentWidget(self.session_list if self.session_list.count()
                                       else self.no_sessions)
        self.screen_box.clear()
        preferred = presenter_screen()
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            size = screen.size()
            name = f" ({screen.name()})" if screen.name() else ""
            self.screen_box.addItem(f"Screen {number} — {size.width()}×{size.height()}{name}",
                                    screen)
            if screen is preferred:
                self.screen_box.setCurrentIndex(self.screen_box.count() - 1)
        self._show_agenda()

    def selected_session(self) -> int | None:
        entry = self.session_list.currentItem()
        return entry.data(0x100) if entry else None

    def _show_agenda(self) -> None:
        session_id = self.selected_session()
        self.present_button.setEnabled(session_id is not None)
        if session_id is None:
            self.agenda.set_records([])
            return
        name = self.session.project.workshop.session(session_id).name
        self.agenda.set_records([r for r in workshop_rows(self.session.project)
                                 if r["Session"] == name])

    def new_session(self, round_id: int | None = None) -> int | None:
        project = self.session.project
        round_id = round_id if round_id is not None else self.round_box.currentData()
        info = next((r for r in project.assessments.rounds() if r.id == round_id), None)
        if info is None:
            return None
        from workbench.core.questionnaire.schema import Template

        template = Template.model_validate_json(project.assessments.template_source(
            info.template.id))
        agenda = agenda_from_template(template, minutes=self.minutes.value(),
                                      predictions=self.with_predictions.isChecked())
        try:
            return project.workshop.create_session(f"Workshop — {info.name}", agenda,
                                                   round_id=round_id,
                                                   anonymous=not self.named_votes.isChecked())
        except WorkbenchError as exc:
            self.context.show_error(str(exc))
            return None

    def check_data(self) -> None:
        """Check the data of every exercise in the background, then show the checklist."""
        if self.session is None:
            return
        project = self.session.project
        self.run_task("readiness", "Checking the data for each exercise",
                      lambda _p: workshop_readiness(project), self._show_readiness)

    def _show_readiness(self, checks: list[ExerciseCheck]) -> None:
        self.readiness = ReadinessDialog(checks, self)
        self.readiness.open()

    def present(self) -> PresenterWindow | None:
        session_id = self.selected_session()
        if session_id is None or self.presenter is not None:
            return self.presenter
        self.presenter = PresenterWindow(self.session, session_id,
                                         show_error=self.context.show_error)
        self.presenter.left.connect(self._presenter_left)
        screen = self.screen_box.currentData() or presenter_screen()
        # on another screen than this window (a projector) the votes are cast on the laptop
        self.control.attach(self.presenter, private=screen is not self.screen())
        for part in (self.setup, self.body):  # the laptop shows the control view in full
            part.hide()
        self.presenter.present_on(screen)
        return self.presenter

    def _presenter_left(self) -> None:
        if self.presenter is not None:
            self.presenter.deleteLater()
        self.presenter = None
        self.control.detach()
        for part in (self.setup, self.body):
            part.show()
        self.reload()


class ReadinessDialog(QDialog):
    """The data check: one row per exercise with a green (ready) or amber (missing) mark."""

    def __init__(self, checks: list[ExerciseCheck], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Data for the workshop")
        self.resize(760, 680)
        ready = sum(c.ready for c in checks)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        self.summary = label(f"{ready} of {len(checks)} exercises have the data they need",
                             "title", wrap=True)
        layout.addWidget(self.summary)
        layout.addWidget(label("Green ✓: the data is in the project. Amber !: something is "
                               "missing, and each line says how to get it.", "subtitle",
                               wrap=True))
        rows = QWidget()
        grid = QGridLayout(rows)
        grid.setContentsMargins(0, SPACING, SPACING * 2, 0)
        grid.setHorizontalSpacing(SPACING * 2)
        grid.setVerticalSpacing(SPACING * 2)
        grid.setColumnStretch(1, 1)
        self.marks: dict[str, QLabel] = {}
        self.details: dict[str, QLabel] = {}
        for row, check in enumerate(checks):
            mark = _mark(check.ready)
            name = label(check.exercise)
            font = name.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
            name.setFont(font)
            lines = [*(escape(p, quote=False) for p in check.present),
                     *(f"<b>Missing:</b> {escape(m, quote=False)}" for m in check.missing)]
            details = label("<br>".join(lines), wrap=True)
            details.setTextFormat(Qt.RichText)
            details.setTextInteractionFlags(Qt.TextSelectableByMouse)
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(name)
            box.addWidget(details)
            grid.addWidget(mark, row, 0, Qt.AlignTop)
            grid.addLayout(box, row, 1)
            self.marks[check.exercise] = mark
            self.details[check.exercise] = details
        grid.setRowStretch(len(checks), 1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.NoFrame)
        area.setWidget(rows)
        layout.addWidget(area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.Close)
        self.close_button.setDefault(True)
        layout.addWidget(buttons)
        self.close_button.setFocus()


def _mark(ready: bool) -> QLabel:
    symbol, back, text, name = MARKS[ready]
    mark = QLabel(symbol)
    mark.setAlignment(Qt.AlignCenter)
    mark.setFixedSize(MARK_SIZE, MARK_SIZE)
    mark.setStyleSheet(f"background: {back}; color: {text}; border-radius: {MARK_SIZE // 2}px; "
                       "font-weight: 700; font-size: 12pt;")
    mark.setAccessibleName(name)
    mark.setToolTip(name)
    return mark
