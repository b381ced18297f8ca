"""Dialogs of the plan method: who carries each owner role, the step gate, schedule rules.

Each dialog collects the user's choice and hands it to a ``save`` function given by the
panel (one undoable edit through the core). A refusal from the core is shown inside the
dialog, which stays open so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.plan.builder import ScheduleRules, plan_windows
from workbench.core.plan.gates import (
    CONTINUE,
    REPEAT,
    STOP,
    GateDecision,
    gate_refusal,
    superseding,
)
from workbench.core.plan.owners import PersonChoice, RoleNeed
from workbench.core.questionnaire.schema import STEPS
from workbench.core.services.plans import PlanInfo
from workbench.core.wording import count
from workbench.gui.formatting import date_edit, date_range, short_date
from workbench.gui.plan_dialogs import dialog_layout, read_only_table
from workbench.gui.style import SPACING
from workbench.gui.widgets import label

OPEN = "(open)"
NOT_MEASURED = "not measured yet"
DECISION_TEXT = {CONTINUE: "Continue", REPEAT: "Repeat this step", STOP: "Stop here"}


class SavingDialog(QDialog):
    """OK calls ``save(self)``; a :class:`WorkbenchError` it raises is shown in the dialog."""

    def __init__(self, save: Callable[[Any], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.error = label("", "error", wrap=True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self, layout) -> None:
        """Add the error line and the buttons at the bottom of ``layout``."""
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        try:
            self._save(self)
        except WorkbenchError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


# -- owners -------------------------------------------------------------------------------------

class PersonPicker(QComboBox):
    """A roster person or "(open)"; type any part of a name, role or department to search."""

    def __init__(self, choices: Sequence[PersonChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        self.addItem(OPEN, None)
        for choice in choices:
            text = f"{choice.name} — {choice.detail}" if choice.detail else choice.name
            self.addItem(text, choice.person_id)
        completer = self.completer()
        completer.setCompletionMode(QCompleter.PopupCompletion)
        completer.setFilterMode(Qt.MatchContains)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.lineEdit().setPlaceholderText("Type to search the roster")
        self.lineEdit().editingFinished.connect(self._settle)
        self.currentIndexChanged.connect(lambda _i: self.lineEdit().setCursorPosition(0))

    def text_width(self) -> int:
        """The width the longest entry needs, with the drop-down arrow."""
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())) \
            + self.iconSize().width() + SPACING * 5

    def _settle(self) -> None:
        """Typed text that names nobody goes back to the chosen entry."""
        found = self.findText(self.currentText(), Qt.MatchFixedString)
        if found >= 0:
            self.setCurrentIndex(found)
        self.setEditText(self.itemText(self.currentIndex()))
        self.lineEdit().setCursorPosition(0)

    def person_id(self) -> str | None:
        found = self.findText(self.currentText(), Qt.MatchFixedString)
        return self.itemData(found if found >= 0 else self.currentIndex())

    def set_person(self, person_id: str | None) -> None:
        self.setCurrentIndex(max(self.findData(person_id), 0))
        self.lineEdit().setCursorPosition(0)


class OwnersDialog(SavingDialog):
    """Every owner role the plan uses, the person carrying it and the roster's suggestion.

    Roles not confirmed yet start with the suggested person (or open); ``mapping`` is what
    the user chose for every role, ``name_on_actions`` the check box's state.
    """

    COLUMNS = ("Owner role", "Actions", "Carried by", "Why")

    def __init__(self, needs: Sequence[RoleNeed], choices: Sequence[PersonChoice],
                 save: Callable[[OwnersDialog], Any], parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self.needs = list(needs)
        self._names = {c.person_id: c.name for c in choices}
        self.setWindowTitle("Action owners")
        layout = dialog_layout(self)
        layout.addWidget(label(
            "Each action names the role that carries it. Say who on the roster carries each "
            "role: the plan then names that person as the owner. Roles nobody is confirmed for "
            "yet start with the roster's suggestion; check them before saving. Leave a role "
            f"{OPEN} when nobody carries it yet.", wrap=True))
        self.table = QTableWidget(len(self.needs), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)  # Tab goes from one picker to the next
        self.table.setWordWrap(True)
        self.pickers: list[PersonPicker] = []
        for r, need in enumerate(self.needs):
            self.table.setItem(r, 0, QTableWidgetItem(need.role))
            actions = QTableWidgetItem(str(need.actions))
            actions.setTextAlignment(Qt.AlignCenter)
            actions.setToolTip(f"{count(need.actions, 'action')} of the plan name this role.")
            self.table.setItem(r, 1, actions)
            picker = PersonPicker(choices)
            picker.setAccessibleName(f"Person carrying {need.role}")
            picker.set_person(need.confirmed if need.confirmed else
                              need.suggestion.person_id if need.suggestion else None)
            picker.currentIndexChanged.connect(lambda _i, row=r: self._explain(row))
            self.table.setCellWidget(r, 2, picker)
            self.pickers.append(picker)
            self.table.setItem(r, 3, QTableWidgetItem())
            self._explain(r)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, max(self.table.columnWidth(0), 200))
        picker_width = min(max((p.text_width() for p in self.pickers), default=320), 440)
        self.table.setColumnWidth(2, picker_width)
        row_height = max((p.sizeHint().height() for p in self.pickers), default=28) + SPACING
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        layout.addWidget(self.table, 1)
        rows_shown = min(max(len(self.needs), 3), 12)
        self.resize(max(1000, self.table.columnWidth(0) + picker_width + 520),
                    240 + rows_shown * row_height)
        if not self.needs:
            self.table.hide()
            layout.addWidget(label("No action of the plan names an owner role yet.", "hint",
                                   wrap=True))
            layout.addStretch(1)
        self.name_on_actions = QCheckBox("Also &name them as owners of existing actions")
        self.name_on_actions.setChecked(True)
        self.name_on_actions.setToolTip(
            "Actions of these roles whose owner is still blank get the person confirmed for "
            "their role. Owners already named on an action stay as they are.")
        layout.addWidget(self.name_on_actions)
        self.ok.setText("Save owners")
        self.ok.setEnabled(bool(self.needs))
        self.finish_layout(layout)

    def _explain(self, row: int) -> None:
        need, chosen = self.needs[row], self.pickers[row].person_id()
        suggestion = need.suggestion
        suggested = (f"{self._names.get(suggestion.person_id, suggestion.name)}: "
                     f"{suggestion.reason}" if suggestion else "")
        if chosen is not None and chosen == need.confirmed:
            text = "Confirmed earlier."
        elif chosen is not None and suggestion and chosen == suggestion.person_id:
            text = f"Suggested, not saved yet — {suggestion.reason}."
        elif chosen is None:
            text = (f"Open — the roster suggests {suggested}." if suggestion else
                    "Open — nobody on the roster clearly matches this role.")
        else:
            text = "Your choice" + (f" (the roster suggests {suggested})." if suggestion
                                    else ".")
        item = self.table.item(row, 3)
        item.setText(text)
        item.setToolTip(text)

    def mapping(self) -> dict[str, str | None]:
        """Role -> the chosen person id (None: open) for every role in the table."""
        return {need.role: picker.person_id() for need, picker in zip(self.needs, self.pickers,
                                                                      strict=True)}


# -- step gate ----------------------------------------------------------------------------------

def _number(value: Any, form: str) -> str:
    return NOT_MEASURED if value is None else format(value, form)


def _named(name: Any, date: Any) -> str:
    if not name:
        return NOT_MEASURED
    return f"{name} ({short_date(dt.date.fromisoformat(date))})" if date else str(name)


def snapshot_rows(snapshot: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(measure, before, after) rows of a gate snapshot, "not measured yet" where empty."""
    step = snapshot.get("step")
    ratings = snapshot.get("ratings") or {}
    network = snapshot.get("network") or {}
    measures: list[tuple[str, Callable[[Mapping[str, Any]], str], str]] = [
        ("Maturity round", lambda r: _named(r.get("round"), r.get("date")), "ratings"),
        (f"Mean rating of step {step} (0–4)", lambda r: _number(r.get("mean"), ".2f"),
         "ratings"),
        ("Leaders who answered", lambda r: _number(r.get("leaders"), "d"), "ratings"),
        ("Network", lambda n: _named(n.get("network"), n.get("network_date")), "network"),
        ("E-I index (−1 all ties inside departments, +1 all across)",
         lambda n: _number(n.get("overall_ei"), "+.2f"), "network"),
        ("Ties", lambda n: _number(n.get("ties"), ",d"), "network"),
        ("Coordinator candidates", lambda n: _number(n.get("coordinator_candidates"), "d"),
         "network"),
        ("Customer-insight network",
         lambda n: _named(n.get("customer_network"), n.get("customer_network_date")),
         "network"),
        ("Customer ties crossing departments",
         lambda n: _number(n.get("customer_tie_share"), ".0%"), "network"),
        ("Customer champions", lambda n: _number(n.get("customer_champions"), "d"), "network"),
        ("Insights logged", lambda i: _number(i.get("insights"), ",d"), "insights"),
        ("Median days from insight to action", lambda i: _number(i.get("median_days"), "g"),
         "insights"),
        ("Insights acted on", lambda i: _number(i.get("share_acted"), ".0%"), "insights"),
        ("Customers told what changed (of those acted on)",
         lambda i: _number(i.get("share_loop_closed"), ".0%"), "insights"),
    ]
    parts = {"ratings": ratings, "network": network, "insights": snapshot.get("insights") or {}}
    rows = []
    for caption, shown, part in measures:
        sides = parts[part]
        rows.append((caption, *(shown(sides[side]) if sides.get(side) else NOT_MEASURED
                                for side in ("before", "after"))))
    return rows


class GateDialog(SavingDialog):
    """The gate at the end of a step's window: what changed, the value created, the decision.

    ``measure(step)`` starts measuring a step in the background; :meth:`set_snapshot` brings
    the result. OK stays disabled until the chosen step is measured and a decision chosen.
    """

    def __init__(self, plan: PlanInfo, planned_steps: Sequence[int],
                 gates: Mapping[int, GateDecision], step: int, names: Sequence[str],
                 save: Callable[[GateDialog], Any], measure: Callable[[int], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self.plan, self.gates, self._measure = plan, dict(gates), measure
        self.planned = sorted(set(planned_steps))
        self.snapshots: dict[int, dict[str, Any]] = {}
        self.setWindowTitle("Step gate")
        layout = dialog_layout(self)

        top = QHBoxLayout()
        top.setSpacing(SPACING)
        self.step = QComboBox()
        model = self.step.model()
        assert isinstance(model, QStandardItemModel)
        for s in self.planned:
            # only the order of the gates matters here: who decides is asked below
            refusal = gate_refusal(s, CONTINUE, "-", self.planned, self.gates)
            self.step.addItem(f"Step {s} – {STEPS.get(s, '')}", s)
            item = model.item(self.step.count() - 1)
            item.setEnabled(refusal is None)
            item.setToolTip(refusal or f"Record the gate at the end of step {s}.")
        step_label = QLabel("&Step")
        step_label.setBuddy(self.step)
        top.addWidget(step_label)
        top.addWidget(self.step)
        self.window_note = label("", "hint", wrap=True)
        top.addWidget(self.window_note, 1)
        layout.addLayout(top)
        self.recorded_note = label("", "hint", wrap=True)
        layout.addWidget(self.recorded_note)

        layout.addWidget(label("Before and after", "section"))
        self.measuring = label("", "hint", wrap=True)
        layout.addWidget(self.measuring)
        self.table = read_only_table(("Measure", "Before", "After"), [])
        self.table.setSelectionMode(QTableWidget.NoSelection)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.Stretch)
        rows = len(snapshot_rows({}))
        self.table.setFixedHeight(header.sizeHint().height() + 2 * self.table.frameWidth()
                                  + rows * self.table.verticalHeader().defaultSectionSize())
        layout.addWidget(self.table)
        self.same_note = label("", "hint", wrap=True)
        layout.addWidget(self.same_note)

        layout.addWidget(label("Decision", "section"))
        form = QFormLayout()
        form.setSpacing(SPACING)
        self.value = QPlainTextEdit()
        self.value.setPlaceholderText("What the step created for customers and for the "
                                      "organisation, in the client's words")
        self.value.setTabChangesFocus(True)
        self.value.setFixedHeight(self.value.fontMetrics().lineSpacing() * 4 + SPACING * 2)
        form.addRow("&Value created", self.value)
        self.decided_by = QLineEdit(placeholderText="Who took the decision")
        completer = QCompleter(list(names), self.decided_by)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        self.decided_by.setCompleter(completer)
        form.addRow("Decided &by", self.decided_by)
        self.decided_on = date_edit(dt.date.today())
        self.decided_on.setMaximumWidth(self.decided_on.sizeHint().width() + SPACING * 4)
        form.addRow("&Date", self.decided_on)
        layout.addLayout(form)

        grid = QGridLayout()
        grid.setHorizontalSpacing(SPACING * 2)
        self.decision = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        self.effects: dict[str, QLabel] = {}
        for row, (decision, mnemonic) in enumerate(((CONTINUE, "Co&ntinue"),
                                                    (REPEAT, "&Repeat this step"),
                                                    (STOP, "Stop &here"))):
            radio = QRadioButton(mnemonic)
            self.decision.addButton(radio)
            self.radios[decision] = radio
            self.effects[decision] = label("", "hint", wrap=True)
            grid.addWidget(radio, row, 0, Qt.AlignTop)
            grid.addWidget(self.effects[decision], row, 1)
            radio.toggled.connect(self._update_ok)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.ok.setText("Record the gate")
        self.finish_layout(layout)
        self.resize(980, self.sizeHint().height())

        self.step.currentIndexChanged.connect(self._step_changed)
        self.decided_on.dateChanged.connect(lambda _d: self._explain())
        self.step.setCurrentIndex(max(self.step.findData(step), 0))
        self._step_changed()

    # -- reading the form ----------------------------------------------------------------

    def chosen_step(self) -> int:
        return int(self.step.currentData())

    def chosen_decision(self) -> str | None:
        return next((d for d, radio in self.radios.items() if radio.isChecked()), None)

    def chosen_date(self) -> dt.date:
        date: QDate = self.decided_on.date()
        return dt.date(date.year(), date.month(), date.day())

    def snapshot(self) -> dict[str, Any] | None:
        return self.snapshots.get(self.chosen_step())

    # -- reacting --------------------------------------------------------------------------

    def set_snapshot(self, step: int, snapshot: Mapping[str, Any]) -> None:
        self.snapshots[step] = dict(snapshot)
        if step == self.chosen_step():
            self._show_snapshot()

    def _step_changed(self) -> None:
        step = self.chosen_step()
        gate = self.gates.get(step)
        if gate is not None and gate.decision == REPEAT:  # the gate after the repeat
            self.recorded_note.setText(
                f"On {short_date(gate.decided_on)} the step {step} gate decided to repeat the "
                "step. Record here the decision at the end of the repeat; the repeat stays "
                "on record, with its window.")
            self.value.setPlainText(gate.value_created)
            self.decided_by.setText(gate.decided_by)
        elif gate is not None:  # a correction: start from the decision recorded
            self.recorded_note.setText(
                f"The step {step} gate was recorded on {short_date(gate.decided_on)} "
                f"({DECISION_TEXT[gate.decision].lower()}, decided by {gate.decided_by}). "
                "Recording it again puts the new decision in force and keeps that one on "
                "record.")
            self.value.setPlainText(gate.value_created)
            self.decided_by.setText(gate.decided_by)
            self.decided_on.setDate(QDate(gate.decided_on.year, gate.decided_on.month,
                                          gate.decided_on.day))
            self.radios[gate.decision].setChecked(True)
        self.recorded_note.setVisible(gate is not None)
        self._explain()
        self._show_snapshot()
        if step not in self.snapshots:
            self._measure(step)

    def _show_snapshot(self) -> None:
        step = self.chosen_step()
        snapshot = self.snapshots.get(step)
        self.measuring.setText(
            "Before: the earliest maturity round and network; after: the latest. Nothing is "
            "stored until you record the gate." if snapshot is not None else
            f"Measuring step {step} before and after…")
        rows = snapshot_rows(snapshot) if snapshot is not None else []
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if text == NOT_MEASURED:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(r, c, item)
        self.same_note.setText(self._same_note(snapshot))
        self.same_note.setVisible(bool(self.same_note.text()))
        self._update_ok()

    @staticmethod
    def _same_note(snapshot: Mapping[str, Any] | None) -> str:
        if snapshot is None:
            return ""
        same = []
        ratings = snapshot.get("ratings") or {}
        if ratings.get("before") and ratings.get("before") == ratings.get("after"):
            same.append("one maturity round")
        network = snapshot.get("network") or {}
        before, after = network.get("before") or {}, network.get("after") or {}
        if before and before.get("network") == after.get("network"):
            same.append("one network")
        if not same:
            return ""
        return (f"There is only {' and '.join(same)} so far, so before and after are the same "
                "there: run a follow-up round or survey to see the change.")

    def _explain(self) -> None:
        """The window dates, and what each decision would do to the schedule."""
        step, on = self.chosen_step(), self.chosen_date()
        start = self.plan.start_date
        if start is None:
            self.window_note.setText("The plan has no start date, so its windows are not "
                                     "known.")
            for decision, text in ((CONTINUE, f"Step {step + 1} may start after this gate."),
                                   (REPEAT, f"Step {step} gets one more 100-day window."),
                                   (STOP, f"Nothing is planned after step {step}.")):
                self.effects[decision].setText(text)
            return
        first = self.planned[0]
        current = plan_windows(start, first, step, self.gates).current(step)
        if current is not None:
            kind = "Repeat window" if current.repeat else "Window"
            self.window_note.setText(f"{kind} {date_range(current.begin, current.end)}; the "
                                     f"gate is planned for {short_date(current.end)}.")
        after = {d: plan_windows(start, first, step + 1,
                                 {**self.gates, step: superseding(self.gates.get(step),
                                                                  GateDecision(step, d, on))})
                 for d in (CONTINUE, REPEAT)}
        nxt = after[CONTINUE].current(step + 1) if step < 5 else None
        self.effects[CONTINUE].setText(
            f"Step {step + 1} runs from {date_range(nxt.begin, nxt.end)}; its actions may "
            "start." if nxt is not None else "The ladder's last step is done.")
        again = after[REPEAT].by_step.get(step, ())
        self.effects[REPEAT].setText(
            f"Step {step} gets one more 100-day window, "
            f"{date_range(again[-1].begin, again[-1].end)}; step {step + 1} waits for the gate "
            "at its end." if len(again) > 1 else f"Step {step} gets one more 100-day window.")
        self.effects[STOP].setText(
            f"The engagement stops at step {step}: nothing new is proposed after it, and "
            "actions of later steps cannot start.")

    def _update_ok(self) -> None:
        ready = self.snapshot() is not None and self.chosen_decision() is not None
        self.ok.setEnabled(ready)
        self.ok.setToolTip("" if ready else "Choose a decision; the before-and-after "
                           "figures must be measured first.")


# -- schedule rules -----------------------------------------------------------------------------

class ScheduleDialog(SavingDialog):
    """How many new actions an owner role may start per period, in a sentence."""

    def __init__(self, rules: ScheduleRules, save: Callable[[ScheduleDialog], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self.setWindowTitle("Schedule rules")
        self.resize(620, 220)
        layout = dialog_layout(self)
        layout.addWidget(label("Starts are staggered so that nobody carries too many new "
                               "actions at once.", wrap=True))
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        self.max_starts = QSpinBox(minimum=1, maximum=50, value=rules.max_starts)
        self.period_days = QSpinBox(minimum=1, maximum=100, value=rules.period_days)
        self.max_starts.setAccessibleName("New actions per owner role")
        self.period_days.setAccessibleName("Period in days")
        for text, buddy in (("At &most", self.max_starts),
                            ("new actions per owner role, e&very", self.period_days),
                            ("days", None)):
            caption = QLabel(text)
            if buddy is not None:
                caption.setBuddy(buddy)
            row.addWidget(caption)
            if buddy is not None:
                row.addWidget(buddy)
        row.addStretch(1)
        layout.addLayout(row)
        self.sentence = label("", "hint", wrap=True)
        layout.addWidget(self.sentence)
        layout.addStretch(1)
        self.finish_layout(layout)
        self.max_starts.valueChanged.connect(self._explain)
        self.period_days.valueChanged.connect(self._explain)
        self._explain()

    def rules(self) -> ScheduleRules:
        return ScheduleRules(self.max_starts.value(), self.period_days.value())

    def _explain(self) -> None:
        rules = self.rules()
        self.sentence.setText(
            f"No owner role starts more than {count(rules.max_starts, 'new action')} in "
            f"each {rules.period_days}-day period, counted from the plan's start date; further "
            "starts move to the next period. Actions already in the plan keep their dates: "
            "the rule applies to the next proposal.")
