"""The journey canvas of the customer-learning page: a segment's stages as columns, what each
needs as rows, edited in place (one undoable step per cell), hand-off breaks checked against the
network, and a presenter that shows one stage at a time in a workshop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.learning.model import JourneyStage
from workbench.core.wording import count
from workbench.gui.learning_people import RosterView
from workbench.gui.panels.plan import OUTSIDE, OUTSIDE_TEXT
from workbench.gui.presenter import _label, _themed
from workbench.gui.style import SPACING
from workbench.gui.widgets import label, show_full_screen

# (field of JourneyStage, row title, what belongs there)
ROWS = (
    ("name", "Stage", "The stage's name, as the customer would put it."),
    ("need", "Customer need", "What the customer needs at this stage."),
    ("feeling", "Feeling", "How the customer feels here today."),
    ("interaction", "Designed interaction", "The interaction the organisation designs."),
    ("channel", "Channel", "Where it happens: branch, phone, app, visit…"),
    ("enablers", "Skills, systems, information", "What staff need to deliver it."),
    ("quality_measure", "Quality measure", "How well it is done, for the customer."),
    ("productivity_measure", "Productivity measure", "What it costs the organisation."),
    ("owner", "Owner", "Who answers for this stage."),
    ("handoff_from", "Hand-off from", "The department handing the customer over."),
    ("handoff_to", "Hand-off to", "The department taking over."),
    ("handoff_break", "Where it breaks", "Where and how the hand-off fails the customer; "
                                         "blank when it holds."),
)
CHECK_ROW = "Network check"
HANDOFF_FIELDS = ("handoff_from", "handoff_to", "handoff_break")
STAGE_WIDTH = 220


def handoff_text(check: Any) -> str:
    """The network's answer to "are the two departments tied?" for one hand-off."""
    stage = check.stage
    pair = f"{stage.handoff_from} and {stage.handoff_to}"
    if check.expected is None:
        return f"Not measured: no network holds both {pair}."
    ties = "tie joins" if check.joining == 1 else "ties join"
    if check.barely_tied:
        return (f"Barely tied: {check.joining} {ties} {pair}, where random mixing would give "
                f"about {check.expected:.0f}.")
    return (f"Tied: {check.joining} {ties} {pair} (random mixing would give about "
            f"{check.expected:.0f}).")


class JourneyCanvas(QTableWidget):
    """Stages as columns, :data:`ROWS` (and the network check) as rows; ``edited`` carries
    (stage id, field, text) for every cell the user changes."""

    edited = Signal(int, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(len(ROWS) + 1, 0, parent)
        self.stages: list[JourneyStage] = []
        self.setAccessibleName("Journey canvas")
        self.setVerticalHeaderLabels([title for _f, title, _t in ROWS] + [CHECK_ROW])
        for r, (_field, _title, tip) in enumerate(ROWS):
            self.verticalHeaderItem(r).setToolTip(tip)
        self.verticalHeaderItem(len(ROWS)).setToolTip(
            "Are the two departments of a broken hand-off tied in the network? Few ties "
            "between them make the break likely to stay.")
        self.setWordWrap(True)
        self.setSelectionMode(QTableWidget.SingleSelection)
        self.setEditTriggers(QTableWidget.DoubleClicked | QTableWidget.EditKeyPressed
                             | QTableWidget.AnyKeyPressed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setDefaultSectionSize(STAGE_WIDTH)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.verticalHeader().setMinimumSectionSize(self.fontMetrics().height() + SPACING)
        self.itemChanged.connect(self._changed)

    def set_stages(self, stages: Sequence[JourneyStage], roster: RosterView | None,
                   checks: dict[int, str]) -> None:
        current = (self.currentRow(), self.currentColumn())
        self.blockSignals(True)
        self.stages = list(stages)
        self.setColumnCount(len(stages))
        self.setHorizontalHeaderLabels([f"{s.position}" for s in stages])
        for c, stage in enumerate(stages):
            broken = bool(stage.handoff_break.strip())
            for r, (field, _title, _tip) in enumerate(ROWS):
                value = getattr(stage, field)
                shown = roster.label(value) if field == "owner" and roster else value
                item = QTableWidgetItem(shown)
                item.setData(Qt.UserRole, value)
                item.setToolTip(shown)
                if field == "name":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if broken and field in HANDOFF_FIELDS:
                    item.setBackground(QBrush(OUTSIDE))
                    item.setForeground(QBrush(OUTSIDE_TEXT))
                self.setItem(r, c, item)
            check = QTableWidgetItem(checks.get(stage.id, "No hand-off breaks here."
                                                if not broken else "Checking the network…"))
            check.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            check.setToolTip(check.text())
            self.setItem(len(ROWS), c, check)
        self.blockSignals(False)
        self.resizeRowsToContents()
        if 0 <= current[1] < self.columnCount():
            self.setCurrentCell(*current)

    def current_stage(self) -> JourneyStage | None:
        column = self.currentColumn()
        return self.stages[column] if 0 <= column < len(self.stages) else None

    def select_stage(self, stage_id: int) -> None:
        for c, stage in enumerate(self.stages):
            if stage.id == stage_id:
                self.setCurrentCell(max(self.currentRow(), 0), c)

    def _changed(self, item: QTableWidgetItem) -> None:
        if item.row() >= len(ROWS):
            return
        field = ROWS[item.row()][0]
        stage = self.stages[item.column()]
        text = item.text().strip() if field == "name" else item.text()
        if text != item.data(Qt.UserRole):  # stored once the editor has closed: the write
            # refreshes the canvas, which must not happen inside the editor's commit
            QTimer.singleShot(0, lambda: self.edited.emit(stage.id, field, text))


class JourneyTab(QWidget):
    """The segment chooser, the stage buttons and the canvas."""

    segment_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        caption = label("Se&gment")
        self.segment = QComboBox(editable=True)
        self.segment.setInsertPolicy(QComboBox.NoInsert)
        self.segment.setMinimumContentsLength(18)
        self.segment.setMinimumWidth(240)
        self.segment.setToolTip("The customer segment whose journey is drawn; type a new one "
                                "to start its journey.")
        self.segment.lineEdit().setPlaceholderText("Choose or type a segment")
        caption.setBuddy(self.segment)
        self.segment.currentTextChanged.connect(lambda _t: self.segment_changed.emit())
        top.addWidget(caption)
        top.addWidget(self.segment)
        self.add_button = QPushButton("&Add stage…")
        self.left_button = QPushButton("◀ Move &left")
        self.right_button = QPushButton("Move &right ▶")
        self.delete_button = QPushButton("&Delete stage")
        self.present_button = QPushButton("&Present…")
        for button, tip in (
            (self.add_button, "Add a stage after the selected one (at the end when none is)."),
            (self.left_button, "Move the selected stage one place earlier."),
            (self.right_button, "Move the selected stage one place later."),
            (self.delete_button, "Remove the selected stage (Ctrl+Z brings it back)."),
            (self.present_button, "Show the journey full screen, one stage at a time, for a "
                                  "workshop: → or Space next, ← back, Esc leaves."),
        ):
            button.setToolTip(tip)
            top.addWidget(button)
        top.addStretch(1)
        layout.addLayout(top)
        self.hint = label("", "hint", wrap=True)
        layout.addWidget(self.hint)
        self.canvas = JourneyCanvas()
        self.canvas.currentCellChanged.connect(lambda *_: self.update_buttons())
        layout.addWidget(self.canvas, 1)
        self.update_buttons()

    def set_segments(self, segments: Sequence[str], preferred: str = "") -> None:
        current = self.segment.currentText() or preferred
        self.segment.blockSignals(True)
        self.segment.clear()
        self.segment.addItems(list(segments))
        self.segment.setCurrentIndex(-1)
        self.segment.setEditText(current or (segments[0] if segments else ""))
        self.segment.blockSignals(False)

    def chosen_segment(self) -> str:
        return self.segment.currentText().strip()

    def set_stages(self, stages: Sequence[JourneyStage], roster: RosterView | None,
                   checks: dict[int, str]) -> None:
        self.canvas.set_stages(stages, roster, checks)
        segment = self.chosen_segment()
        breaks = sum(bool(s.handoff_break.strip()) for s in stages)
        self.hint.setText(
            "Choose or type a segment to draw its journey." if not segment else
            f"No journey for {segment} yet. Add its first stage; each cell is edited in "
            "place (double-click or start typing) and Ctrl+Z undoes each edit." if not stages
            else f"{count(len(stages), 'stage')} for {segment}"
            + (f"; {breaks} hand-off{'s' if breaks != 1 else ''} break (shaded)." if breaks
               else "; no hand-off breaks noted.")
            + " Double-click a cell or start typing to edit it.")
        self.update_buttons()

    def set_editing(self, enabled: bool) -> None:
        self.editing = enabled
        self.canvas.setEditTriggers(
            QTableWidget.DoubleClicked | QTableWidget.EditKeyPressed | QTableWidget.AnyKeyPressed
            if enabled else QTableWidget.NoEditTriggers)
        self.update_buttons()

    def update_buttons(self) -> None:
        stage = self.canvas.current_stage()
        stages = len(self.canvas.stages)
        self.add_button.setEnabled(self.editing and bool(self.chosen_segment()))
        self.left_button.setEnabled(self.editing and stage is not None and stage.position > 1)
        self.right_button.setEnabled(self.editing and stage is not None
                                     and stage.position < stages)
        self.delete_button.setEnabled(self.editing and stage is not None)
        self.present_button.setEnabled(stages > 0)


class JourneyPresenter(QWidget):
    """One stage at a time in the presenter's large, high-contrast look: → / Space / PgDn
    next, ← / PgUp previous, Home / End first and last, Esc leaves."""

    FIELDS = [(f, t) for f, t, _tip in ROWS if f not in ("name", *HANDOFF_FIELDS)]
    KEYS = "→ / Space  next      ←  back      Esc  leave"

    def __init__(self, segment: str, stages: Sequence[JourneyStage], roster: RosterView | None,
                 checks: dict[int, str]) -> None:
        super().__init__(None, Qt.Window)
        _themed(self)
        self.setWindowTitle(f"Journey — {segment}")
        self.segment, self.stages, self.roster, self.checks = segment, list(stages), roster, \
            checks
        self.index = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 24)
        outer.setSpacing(24)
        self.position = _label("", "dim")
        self.title = _label("", "big")
        outer.addWidget(self.position)
        outer.addWidget(self.title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(12)
        self.values: dict[str, Any] = {}
        for r, (field, title) in enumerate([*self.FIELDS, ("handoff", "Hand-off")]):
            grid.addWidget(_label(title, "dim"), r, 0, Qt.AlignTop)
            self.values[field] = _label("")
            grid.addWidget(self.values[field], r, 1, Qt.AlignTop)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid)
        outer.addStretch(1)
        self.footer = _label(self.KEYS, "dim")
        outer.addWidget(self.footer)
        self.setFocusPolicy(Qt.StrongFocus)
        self.show_stage(0)

    def show_stage(self, index: int) -> None:
        self.index = max(0, min(index, len(self.stages) - 1))
        stage = self.stages[self.index]
        self.position.setText(f"{self.segment} — stage {self.index + 1} of {len(self.stages)}")
        shown = self.roster.scrub if self.roster is not None else str
        self.title.setText(shown(stage.name))
        for field, _title in self.FIELDS:
            value = getattr(stage, field)
            if field == "owner" and self.roster is not None:
                value = self.roster.label(value)
            self.values[field].setText(shown(value) or "—")
        handoff = ""
        if stage.handoff_from or stage.handoff_to:
            handoff = f"{stage.handoff_from or '?'} → {stage.handoff_to or '?'}"
        if stage.handoff_break:
            handoff += f"\nBreaks: {shown(stage.handoff_break)}"
            if stage.id in self.checks:
                handoff += f"\n{self.checks[stage.id]}"
        self.values["handoff"].setText(handoff.strip() or "—")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key_Right, Qt.Key_Space, Qt.Key_PageDown):
            self.show_stage(self.index + 1)
        elif key in (Qt.Key_Left, Qt.Key_PageUp, Qt.Key_Backspace):
            self.show_stage(self.index - 1)
        elif key == Qt.Key_Home:
            self.show_stage(0)
        elif key == Qt.Key_End:
            self.show_stage(len(self.stages) - 1)
        elif key == Qt.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def present(self) -> None:
        """Full screen on the second screen when there is one, else this one."""
        show_full_screen(self)
