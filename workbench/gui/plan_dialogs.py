"""Dialogs of the Plan panel: the proposal preview, a new action, and the import preview."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.plan.library import item_label
from workbench.core.questionnaire.schema import STEPS
from workbench.core.wording import count
from workbench.gui.formatting import short_date
from workbench.gui.style import SPACING
from workbench.gui.widgets import label

if TYPE_CHECKING:  # annotations only: loading the workbook reader held up the Plan page
    from workbench.core.plan.apply import Proposal
    from workbench.core.plan.builder import PlanAction
    from workbench.core.report.plan_reader import PlanImport


def read_only_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectRows)
    table.setAlternatingRowColors(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setToolTip(item.text())
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    return table


def dialog_layout(parent: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
    layout.setSpacing(SPACING)
    return layout


class ProposalDialog(QDialog):
    """Ranked gaps and the library actions proposed for them; the user ticks what to keep.

    With ``edit_owners`` and open roles, an Owners… button calls ``edit_owners(self)``; the
    caller brings the confirmed owners back with :meth:`set_owners`.
    """

    OWNER_COLUMN = 5

    def __init__(self, proposal: Proposal, parent: QWidget | None = None,
                 edit_owners: Callable[[ProposalDialog], None] | None = None) -> None:
        super().__init__(parent)
        self.proposal = proposal
        self.setWindowTitle("Propose actions from gaps")
        self.resize(1000, 600)
        layout = dialog_layout(self)
        layout.addWidget(label(
            f"Target step {proposal.target_step} – {STEPS.get(proposal.target_step, '')}. "
            f"The plan starts on {short_date(proposal.start_date)}; each step gets a 100-day "
            "window." + (" Untick the actions you do not want." if proposal.actions else ""),
            wrap=True))
        gaps = [f"{g.rank}. {g.label}"
                + f": {g.mean:.1f} of 4, {g.shortfall:.1f} below the bar"
                + (" (agreed in workshop)" if g.agreed else "")
                for g in proposal.gaps[:6]]
        gap_text = ("Largest gaps — " + "; ".join(gaps)) if gaps else \
            "No gaps below the bar: the leaders' ratings meet it for this step."
        if not proposal.rated:
            gap_text = ("No leader has rated the maturity ladder yet, so there are no gaps to "
                        "close. Start a maturity-ladder round on the Questionnaires page and "
                        "let the leaders answer, or write your own first action with "
                        "Add your own action.")
        gap_label = label(gap_text, "hint", wrap=True)
        gap_label.setToolTip("Gaps are assessed items whose level is below the bar (3 of 4 by "
                             "default): the ladder cells of every step up to the target, and the "
                             "other rated questions. The largest, weighted by importance, come "
                             "first. A value agreed in a workshop replaces the mean of the "
                             "ratings.")
        layout.addWidget(gap_label)
        headers = ("Add", "Id", "Step", "Area", "Action", "Owner", "Start", "Due", "Notes")
        rows = [("", a.uid, a.step, item_label(a.source) if a.source else "", a.title,
                 _owner(a), short_date(a.start), short_date(a.due),
                 " ".join(filter(None, [a.flag, a.notes]))) for a in proposal.actions]
        self.table = read_only_table(headers, rows)
        for r in range(len(rows)):
            item = self.table.item(r, 0)
            item.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            item.setCheckState(Qt.Checked)
            item.setToolTip("Ticked actions are added to the plan.")
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.itemChanged.connect(lambda _item: self._update_button())
        layout.addWidget(self.table, 1)
        self.table.setVisible(bool(rows))  # no empty grid when there is nothing to add
        if not rows and proposal.gaps:
            layout.addWidget(label("Nothing new to propose: the plan already holds the library "
                                   "actions for these gaps.", "hint", wrap=True))
        if not rows:  # just the explanation: a small dialog, not an empty 1000-px one
            layout.addStretch(1)
            self.resize(640, 220)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.owners_button: QPushButton | None = None
        if edit_owners is not None and proposal.open_roles:
            self.owners_button = self.buttons.addButton("&Owners…", QDialogButtonBox.ActionRole)
            self.owners_button.clicked.connect(lambda: edit_owners(self))
        self._tip_owners()
        layout.addWidget(self.buttons)
        self._update_button()

    def set_owners(self, owners: Mapping[str, str]) -> None:
        """Name the people now confirmed for the roles (role -> name) on the actions."""
        actions = [replace(a, owner=owners[a.owner_role]) if not a.owner
                   and a.owner_role in owners else a for a in self.proposal.actions]
        still_open = tuple(r for r in self.proposal.open_roles if r not in owners)
        self.proposal = replace(self.proposal, actions=actions, open_roles=still_open)
        for r, action in enumerate(actions):
            item = self.table.item(r, self.OWNER_COLUMN)
            item.setText(_owner(action))
            item.setToolTip(item.text())
        self._tip_owners()

    def _tip_owners(self) -> None:
        if self.owners_button is not None:
            roles = self.proposal.open_roles
            self.owners_button.setToolTip(
                f"Nobody is confirmed yet for {', '.join(roles)}: say who carries these roles."
                if roles else "Every owner role of these actions has a person.")

    def _update_button(self) -> None:
        accepted = len(self.accepted_actions())
        ok = self.buttons.button(QDialogButtonBox.Ok)
        ok.setText(f"Add {count(accepted, 'action')}" if accepted else "Add actions")
        ok.setEnabled(accepted > 0)

    def accepted_actions(self) -> list[PlanAction]:
        return [a for r, a in enumerate(self.proposal.actions)
                if self.table.item(r, 0).checkState() == Qt.Checked]


def _owner(action: PlanAction) -> str:
    if action.owner or not action.owner_role:
        return action.owner
    return f"(open: {action.owner_role})"


class NewActionDialog(QDialog):
    """Title and step of an action the user writes; the rest is edited in the table."""

    def __init__(self, default_step: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add action")
        layout = dialog_layout(self)
        form = QFormLayout()
        form.setSpacing(SPACING)
        self.title = QLineEdit(placeholderText="What will be done, in a few words")
        self.step = QSpinBox(minimum=1, maximum=5, value=default_step)
        self.step.setToolTip("The ladder step this action serves; its dates start inside that "
                             "step's 100-day window.")
        form.addRow("&Action", self.title)
        form.addRow("&Step", self.step)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.Ok)
        self.ok.setEnabled(False)
        self.title.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout.addWidget(buttons)


def _display(value: object) -> str:
    return "(empty)" if value in (None, "") else str(value)


class ImportPreviewDialog(QDialog):
    """What an edited workbook would change, what did not match and what is wrong with it."""

    def __init__(self, file_name: str, edits: PlanImport, titles: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import plan edits – {file_name}")
        self.resize(900, 560)
        layout = dialog_layout(self)
        n = len(edits.changes)
        layout.addWidget(label(
            f"{count(n, 'change')} found in {file_name}. Nothing is changed until you press Apply; "
            "the whole import can then be undone with Ctrl+Z." if n else
            f"{file_name} holds no changes to the plan.", wrap=True))
        layout.addWidget(label("Changes", "section"))
        self.changes = read_only_table(("Action", "Title", "Field", "Old", "New"), [
            (c.action_id, titles.get(c.action_id, ""), c.field, _display(c.old), _display(c.new))
            for c in edits.changes])
        layout.addWidget(self.changes, 2)
        if edits.problems:
            layout.addWidget(label(f"Problems ({len(edits.problems)}) – these cells are not "
                                   "imported", "section"))
            self.problems = read_only_table(("Row", "Column", "Problem"), [
                (p.row, p.column, p.message) for p in edits.problems])
            layout.addWidget(self.problems, 1)
        if edits.unmatched_rows:
            layout.addWidget(label(f"Rows without a known action id ({len(edits.unmatched_rows)})"
                                   " – not imported; add them in the app", "section"))
            self.unmatched = read_only_table(("Row", "Title", "Owner", "Status"), [
                (u.row, u.values.get("title"), u.values.get("owner"), u.values.get("status"))
                for u in edits.unmatched_rows])
            layout.addWidget(self.unmatched, 1)
        for notice in edits.notices:
            layout.addWidget(label(notice, "hint", wrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.Apply | QDialogButtonBox.Cancel)
        self.apply = buttons.button(QDialogButtonBox.Apply)
        self.apply.setText(f"Apply {count(n, 'change')}")
        self.apply.setEnabled(n > 0)
        self.apply.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
