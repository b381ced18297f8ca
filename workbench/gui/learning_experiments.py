"""Relationship experiments on the customer-learning page: a board with one column per stage
(search → create → scale, or stopped), moved with buttons or Ctrl+← / Ctrl+→, and the form
that edits every field, the changes scaling needs included."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.learning.model import (
    CONNECTS,
    DECISIONS,
    EXPERIMENT_STAGES,
    SCALING_AREAS,
    VALUE_KINDS,
    Experiment,
    ScalingChange,
)
from workbench.core.wording import count
from workbench.gui.findings_list import GROUP, Row, RowDelegate
from workbench.gui.formatting import date_edit, short_date
from workbench.gui.learning_insights import text_box
from workbench.gui.learning_people import PersonOrRole, RosterView
from workbench.gui.method_dialogs import SavingDialog
from workbench.gui.plan_dialogs import dialog_layout
from workbench.gui.style import SPACING
from workbench.gui.widgets import label

STAGE_TITLES = {
    "search": ("Search", "Looking for a relationship worth testing."),
    "create": ("Create", "Piloting it with early adopters."),
    "scale": ("Scale", "Changing the organisation so it can grow."),
    "stopped": ("Stopped", "Tried and let go; what was learnt stays."),
}
DECISION_TEXT = {"": "not decided", "scale": "scale", "stop": "stop",
                 "extend pilot": "extend the pilot"}


def card_text(experiment: Experiment, roster: RosterView | None) -> str:
    """The line under a card's title: whom it connects, its value, the decision, the action."""
    parts = []
    if experiment.connects:
        parts.append("connects " + ", ".join(experiment.connects))
    if experiment.value_kind:
        parts.append(f"{experiment.value_kind} value")
    if experiment.decision:
        when = f" ({short_date(experiment.decided_on)})" if experiment.decided_on else ""
        parts.append(f"decision: {DECISION_TEXT.get(experiment.decision, experiment.decision)}"
                     f"{when}")
    if experiment.owner:
        parts.append(f"owner: {roster.label(experiment.owner) if roster else experiment.owner}")
    if experiment.action_id:
        parts.append(f"plan action {experiment.action_id}")
    return " · ".join(parts) or "nothing filled in yet"


class ExperimentBoard(QWidget):
    """Four columns of cards; one experiment is current across them."""

    current_changed = Signal()
    activated = Signal()  # double-click or Enter on a card: edit it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.experiments: dict[int, Experiment] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        self.columns: dict[str, QListWidget] = {}
        self.headings: dict[str, Any] = {}
        for stage in EXPERIMENT_STAGES:
            title, tip = STAGE_TITLES[stage]
            column = QVBoxLayout()
            column.setSpacing(SPACING // 2)
            heading = label(title, "section")
            heading.setToolTip(tip)
            cards = QListWidget()
            cards.setAccessibleName(f"{title} experiments")
            cards.setItemDelegate(RowDelegate(cards))
            cards.setWordWrap(True)
            cards.setResizeMode(QListWidget.Adjust)
            cards.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
            cards.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            cards.setToolTip(tip)
            cards.currentItemChanged.connect(lambda item, _p, s=stage: self._chosen(s, item))
            cards.itemActivated.connect(lambda _i: self.activated.emit())
            column.addWidget(heading)
            column.addWidget(cards, 1)
            layout.addLayout(column, 1)
            self.columns[stage] = cards
            self.headings[stage] = heading

    def set_experiments(self, experiments: Sequence[Experiment],
                        roster: RosterView | None) -> None:
        keep = self.current()
        self.experiments = {e.id: e for e in experiments}
        for stage, cards in self.columns.items():
            cards.blockSignals(True)
            cards.clear()
            mine = [e for e in experiments if e.stage == stage]
            for experiment in mine:
                title = roster.scrub(experiment.title) if roster else experiment.title
                row = Row(GROUP, f"{experiment.ref}  {title}", card_text(experiment, roster))
                item = QListWidgetItem(f"{row.title}\n{row.text}")
                item.setData(Qt.UserRole, row)
                item.setData(Qt.UserRole + 1, experiment.id)
                tip = experiment.business_case or experiment.title
                item.setToolTip(roster.scrub(tip) if roster else tip)
                cards.addItem(item)
            cards.blockSignals(False)
            title = STAGE_TITLES[stage][0]
            self.headings[stage].setText(f"{title} ({len(mine)})")
        if keep is not None and keep.id in self.experiments:
            self.select(keep.id)
        else:
            self.current_changed.emit()

    def current(self) -> Experiment | None:
        for cards in self.columns.values():
            item = cards.currentItem()
            if item is not None and item.isSelected():
                return self.experiments.get(item.data(Qt.UserRole + 1))
        return None

    def stage_of_card(self, experiment_id: int) -> str | None:
        for stage, cards in self.columns.items():
            for i in range(cards.count()):
                if cards.item(i).data(Qt.UserRole + 1) == experiment_id:
                    return stage
        return None

    def select(self, experiment_id: int) -> None:
        for cards in self.columns.values():
            for i in range(cards.count()):
                if cards.item(i).data(Qt.UserRole + 1) == experiment_id:
                    cards.setCurrentRow(i)
                    cards.item(i).setSelected(True)
                    cards.setFocus()
                    return

    def _chosen(self, stage: str, item: QListWidgetItem | None) -> None:
        if item is not None:  # one current card on the whole board
            for other, cards in self.columns.items():
                if other != stage:
                    cards.blockSignals(True)
                    cards.setCurrentItem(None)
                    cards.clearSelection()
                    cards.blockSignals(False)
        self.current_changed.emit()


class ExperimentsTab(QWidget):
    """The board with its buttons; the panel connects them to the learning service."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing = True
        self.has_plan = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        self.hint = label("", "hint", wrap=True)
        layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        self.add_button = QPushButton("&Add experiment…")
        self.edit_button = QPushButton("Edi&t…")
        self.delete_button = QPushButton("&Delete")
        self.earlier_button = QPushButton("◀ Ea&rlier stage")
        self.later_button = QPushButton("&Later stage ▶")
        self.action_button = QPushButton("Make &plan action")
        for button, tip in (
            (self.add_button, "Start a new experiment in the search column."),
            (self.edit_button, "Change every field of the selected experiment (or "
                               "double-click its card)."),
            (self.delete_button, "Remove the selected experiment (Ctrl+Z brings it back)."),
            (self.earlier_button, "Move the selected experiment one stage back (Ctrl+Left)."),
            (self.later_button, "Move the selected experiment one stage on (Ctrl+Right)."),
        ):
            button.setToolTip(tip)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.earlier_button, self.later_button, self.action_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.board = ExperimentBoard()
        layout.addWidget(self.board, 1)
        self.later_key = QShortcut(QKeySequence("Ctrl+Right"), self.board)
        self.earlier_key = QShortcut(QKeySequence("Ctrl+Left"), self.board)
        for shortcut, what in ((self.later_key, "Move the selected experiment one stage on"),
                               (self.earlier_key, "Move the selected experiment one stage "
                                                  "back")):
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(what)
        self.board.current_changed.connect(self.update_buttons)
        self.update_buttons()

    def set_experiments(self, experiments: Sequence[Experiment], roster: RosterView,
                        has_plan: bool) -> None:
        self.has_plan = has_plan
        self.board.set_experiments(experiments, roster)
        stages = {s: sum(e.stage == s for e in experiments) for s in EXPERIMENT_STAGES}
        self.hint.setText(
            "No experiments yet. Add one to search for a new relationship with customers, "
            "non-customers or partners; move it to create when a pilot starts and to scale "
            "when the organisation decides to grow it." if not experiments else
            f"{count(len(experiments), 'experiment')}: {stages['search']} searching, "
            f"{stages['create']} piloting, {stages['scale']} scaling, {stages['stopped']} "
            "stopped. Select a card, then move it with the buttons or Ctrl+Left / Ctrl+Right.")
        self.update_buttons()

    def set_editing(self, enabled: bool) -> None:
        self.editing = enabled
        self.add_button.setEnabled(enabled)
        self.update_buttons()

    def update_buttons(self) -> None:
        current = self.board.current()
        chosen = self.editing and current is not None
        at = EXPERIMENT_STAGES.index(current.stage) if current is not None else -1
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(chosen)
        self.earlier_button.setEnabled(chosen and at > 0)
        self.later_button.setEnabled(chosen and at < len(EXPERIMENT_STAGES) - 1)
        self.earlier_key.setEnabled(self.earlier_button.isEnabled())
        self.later_key.setEnabled(self.later_button.isEnabled())
        can_act = chosen and self.has_plan and not current.action_id
        self.action_button.setEnabled(can_act)
        self.action_button.setToolTip(
            "Add the selected experiment to the 100-day plan as an action." if can_act else
            "Select an experiment to make it a plan action." if current is None else
            f"{current.ref} is already plan action {current.action_id}." if current.action_id
            else "There is no plan yet: propose one on the Plan page first.")

    def next_stage(self, step: int) -> str | None:
        """The stage ``step`` places after (1) or before (-1) the selected experiment's."""
        current = self.board.current()
        if current is None:
            return None
        at = EXPERIMENT_STAGES.index(current.stage) + step
        return EXPERIMENT_STAGES[at] if 0 <= at < len(EXPERIMENT_STAGES) else None


class ExperimentDialog(SavingDialog):
    """Add or edit an experiment, the scaling changes with their owners included."""

    CHANGE_COLUMNS = ("Area", "Change scaling needs", "Owner")

    def __init__(self, roster: RosterView, save: Callable[[Any], Any],
                 experiment: Experiment | None = None, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self.experiment = experiment
        self.setWindowTitle(f"Edit experiment {experiment.ref}" if experiment else
                            "Add an experiment")
        e = experiment
        layout = dialog_layout(self)
        layout.addWidget(label(
            "A new relationship to search for, create with early adopters and scale: with "
            "customers, non-customers or partners, for functional or life-changing value.",
            "hint", wrap=True))
        form = QFormLayout()
        form.setSpacing(SPACING)
        self.title = QLineEdit(e.title if e else "")
        self.title.setAccessibleName("Title")
        self.owner = PersonOrRole(roster.choices)
        self.owner.setAccessibleName("Owner")
        self.owner.set_value(e.owner if e else "", roster)
        self.stage = QComboBox()
        for stage in EXPERIMENT_STAGES:
            self.stage.addItem(STAGE_TITLES[stage][0], stage)
        self.stage.setCurrentIndex(EXPERIMENT_STAGES.index(e.stage) if e else 0)
        connects = QHBoxLayout()
        self.connects = {name: QCheckBox(name) for name in CONNECTS}
        for name, box in self.connects.items():
            box.setChecked(bool(e and name in e.connects))
            connects.addWidget(box)
        connects.addStretch(1)
        self.value_kind = QComboBox()
        self.value_kind.addItem("not said", "")
        for kind in VALUE_KINDS:
            self.value_kind.addItem(kind, kind)
        self.value_kind.setCurrentIndex(max(self.value_kind.findData(e.value_kind if e else ""),
                                            0))
        self.early_adopters = text_box(e.early_adopters if e else "", 2)
        self.pilot_measures = text_box(e.pilot_measures if e else "", 2)
        self.business_case = text_box(e.business_case if e else "", 2)
        self.decision = QComboBox()
        for decision in DECISIONS:
            self.decision.addItem(DECISION_TEXT[decision], decision)
        self.decision.setCurrentIndex(max(self.decision.findData(e.decision if e else ""), 0))
        self.decided = QCheckBox("Decided &on")
        self.decided_on = date_edit(e.decided_on if e and e.decided_on else None)
        self.decided.setChecked(bool(e and e.decided_on))
        self.decided_on.setEnabled(self.decided.isChecked())
        self.decided.toggled.connect(self.decided_on.setEnabled)
        decision_row = QHBoxLayout()
        decision_row.addWidget(self.decision)
        decision_row.addWidget(self.decided)
        decision_row.addWidget(self.decided_on)
        decision_row.addStretch(1)
        for text, widget, tip in (
            ("&Title", self.title, "The relationship being tried, in a few words."),
            ("O&wner", self.owner, "Who runs the experiment."),
            ("&Stage", self.stage, "Search, create, scale, or stopped."),
            ("&Connects", connects, ""),
            ("&Value", self.value_kind, "Functional (a job done better) or life-changing "
                                        "(the customer becomes better at something)."),
            ("&Early adopters", self.early_adopters, "Who tries it first."),
            ("&Pilot measures", self.pilot_measures, "What the pilot measures."),
            ("&Business case", self.business_case, "Why it is worth scaling."),
            ("&Decision", decision_row, ""),
        ):
            if isinstance(widget, QWidget):
                widget.setToolTip(tip)
                form.addRow(text, widget)
            else:  # a row of several widgets: the caption's key goes to the first
                caption = label(text)
                caption.setBuddy(widget.itemAt(0).widget())
                form.addRow(caption, widget)
        layout.addLayout(form)
        layout.addWidget(label("Changes scaling needs", "section"))
        layout.addWidget(label("Mindsets, structures, incentives, skills and strategies that "
                               "must change for the relationship to grow, each with an owner.",
                               "hint", wrap=True))
        self.changes = QTableWidget(0, len(self.CHANGE_COLUMNS))
        self.changes.setAccessibleName("Scaling changes")
        self.changes.setHorizontalHeaderLabels(list(self.CHANGE_COLUMNS))
        self.changes.verticalHeader().hide()
        header = self.changes.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for change in e.changes if e else ():
            self.add_change(change)
        layout.addWidget(self.changes, 1)
        rows = QHBoxLayout()
        self.add_change_button = QPushButton("Add c&hange")
        self.add_change_button.clicked.connect(lambda: self.add_change())
        self.remove_change_button = QPushButton("Remove cha&nge")
        self.remove_change_button.clicked.connect(self.remove_change)
        rows.addWidget(self.add_change_button)
        rows.addWidget(self.remove_change_button)
        rows.addStretch(1)
        layout.addLayout(rows)
        self.ok.setText("Save experiment" if e else "Add experiment")
        self.finish_layout(layout)
        self.resize(760, 760)

    def add_change(self, change: ScalingChange | None = None) -> None:
        row = self.changes.rowCount()
        self.changes.insertRow(row)
        area = QComboBox()
        area.addItems(list(SCALING_AREAS))
        area.setAccessibleName("Area")
        if change is not None:
            area.setCurrentText(change.area)
        self.changes.setCellWidget(row, 0, area)
        self.changes.setItem(row, 1, QTableWidgetItem(change.change if change else ""))
        self.changes.setItem(row, 2, QTableWidgetItem(change.owner if change else ""))
        self.changes.setCurrentCell(row, 1)

    def remove_change(self) -> None:
        row = self.changes.currentRow()
        if row >= 0:
            self.changes.removeRow(row)

    def scaling_changes(self) -> tuple[ScalingChange, ...]:
        found = []
        for row in range(self.changes.rowCount()):
            text = (self.changes.item(row, 1).text() if self.changes.item(row, 1) else "").strip()
            owner = (self.changes.item(row, 2).text() if self.changes.item(row, 2) else "").strip()
            if text or owner:
                found.append(ScalingChange(self.changes.cellWidget(row, 0).currentText(), text,
                                           owner))
        return tuple(found)

    def fields(self) -> dict[str, Any]:
        title = self.title.text().strip()
        if not title:
            raise WorkbenchError("Give the experiment a title.")
        return {
            "title": title, "owner": self.owner.value(), "stage": self.stage.currentData(),
            "connects": tuple(n for n, box in self.connects.items() if box.isChecked()),
            "value_kind": self.value_kind.currentData(),
            "early_adopters": self.early_adopters.toPlainText().strip(),
            "pilot_measures": self.pilot_measures.toPlainText().strip(),
            "business_case": self.business_case.toPlainText().strip(),
            "decision": self.decision.currentData(),
            "decided_on": self.decided_on.date().toPython() if self.decided.isChecked() else None,
            "changes": self.scaling_changes(),
        }
