"""Plan: from gaps to the 100-day plan, its timeline, say vs show, and the plan workbook."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.plan.builder import Windows, plan_windows
from workbench.core.plan.evidence import FORMAL_STEPS, StepEvidence
from workbench.core.plan.gates import STATUSES, STOP, GateDecision, due_gate
from workbench.core.plan.library import item_label
from workbench.core.questionnaire.schema import STEPS
from workbench.core.services.plans import Action, PlanInfo
from workbench.core.wording import count
from workbench.gui.after_paint import AfterPaint
from workbench.gui.column_widths import fit_columns, sampled_rows
from workbench.gui.figure_view import FigureView
from workbench.gui.formatting import date_range, short_date, use_short_dates
from workbench.gui.models import header_value
from workbench.gui.panels.base import Panel
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState, label, page_layout
from workbench.gui.workers import Task

OPEN_OWNER = "(open)"
XLSX_FILTER = "Excel workbook (*.xlsx)"
# (field, header, tooltip)
COLUMNS = (
    ("uid", "Id", "The action's id; the plan workbook matches edits by it."),
    ("title", "Action", "What will be done."),
    ("step", "Step", "The ladder step this action serves (1-5)."),
    ("source", "Serves", "The assessed item (ladder cell or question) this action closes."),
    ("owner_role", "Owner role", "The role accountable for the action."),
    ("owner", "Owner", "Who is accountable: a person from the roster or any name; (open) while "
     "nobody is confirmed for the action's role (Owners…)."),
    ("start", "Start", "First day; kept inside the step's 100-day window."),
    ("due", "Due", "Last day (inclusive); kept inside the step's 100-day window."),
    ("status", "Status", "Not started, In progress, Done, Blocked or Dropped."),
    ("depends_on", "Depends on", "Ids of actions that must be done first, separated by commas."),
    ("measure", "Measure", "How progress is measured."),
    ("evidence", "Evidence", "What shows the action worked."),
    ("notes", "Notes", "Anything else worth knowing."),
    ("flag", "Flag", "Set when the action does not fit its step's 100-day window, with the "
     "choice to make."),
)
FIELDS = tuple(f for f, _h, _t in COLUMNS)
GATE_COLUMNS = ("Step", "Decision", "Decided on", "Decided by", "Value created")
READ_ONLY = ("uid", "source", "flag")
OUTSIDE = QColor("#fde2d2")
OUTSIDE_TEXT = QColor("#1f2328")  # dark text on the pale warning colour, in either theme
TIMELINE_MIN_DPI = 80  # the timeline never gets fewer pixels per figure inch than this
VERDICT_COLOURS = {"aligned": "#5B9B5B", "leaders overrate": "#C0504D",
                   "leaders underrate": "#E69F00"}
WHO_NAMED = 3  # people a say-vs-show "Who:" line names before "(+N more)"
METHOD_FONT = 0.9  # the method line's font size, relative to the tab's


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


SIZE_ROWS = 100  # rows (from the first in view) that column widths are measured on
WIDEST = 320  # pixels: a column's width when fitted to its texts, at most
_ROLES = frozenset({Qt.DisplayRole, Qt.EditRole, Qt.ForegroundRole, Qt.BackgroundRole,
                    Qt.ToolTipRole})  # the roles ActionsModel.data answers


class ActionsModel(QAbstractTableModel):
    """The plan's actions; every edit goes through the plan service (one undoable edit)."""

    def __init__(self, panel: PlanPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.actions: list[Action] = []
        self.windows: dict[int, tuple[dt.date, dt.date]] = {}
        self.open_roles: frozenset[str] = frozenset()  # roles nobody is confirmed for

    def set_actions(self, actions: list[Action], windows: dict[int, tuple[dt.date, dt.date]],
                    open_roles: frozenset[str] = frozenset()) -> None:
        self.beginResetModel()
        self.actions, self.windows, self.open_roles = actions, windows, open_roles
        self.endResetModel()

    def shows_open(self, action: Action) -> bool:
        """Whether the owner cell says (open): no owner, and nobody confirmed for the role."""
        return not action.owner.strip() and action.owner_role in self.open_roles

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.actions)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        return header_value(orientation, role, COLUMNS[section][1], COLUMNS[section][2])

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        return base if FIELDS[index.column()] in READ_ONLY else base | Qt.ItemIsEditable

    def window_of(self, action: Action) -> tuple[dt.date, dt.date] | None:
        return self.windows.get(action.step or 0)

    def outside_window(self, action: Action, field: str) -> bool:
        window = self.window_of(action)
        value = getattr(action, field)
        return window is not None and value is not None and not window[0] <= value <= window[1]

    def text(self, action: Action, field: str) -> str:
        """What the cell of ``action`` in column ``field`` shows."""
        value = getattr(action, field)
        if field == "owner" and self.shows_open(action):
            return OPEN_OWNER
        if field == "source":
            return item_label(value) if value else ""
        if isinstance(value, dt.date):
            return short_date(value)
        return "" if value is None else str(value)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if role not in _ROLES or not index.isValid():  # a view asks ~10 roles per cell
            return None
        action = self.actions[index.row()]
        field = FIELDS[index.column()]
        value = getattr(action, field)
        if role == Qt.DisplayRole:
            return self.text(action, field)
        if field == "owner" and self.shows_open(action):
            if role == Qt.ForegroundRole:
                return self.panel.palette().brush(QPalette.PlaceholderText)
            if role == Qt.ToolTipRole:
                return (f"Nobody is confirmed yet for {action.owner_role}: name someone here, "
                        "or confirm who carries the role with Owners….")
        if role == Qt.EditRole:
            if isinstance(value, dt.date):
                return _qdate(value)
            return "" if value is None else value
        if field in ("start", "due") and self.outside_window(action, field):
            window = self.window_of(action)
            if role == Qt.BackgroundRole:
                return QBrush(OUTSIDE)
            if role == Qt.ForegroundRole:
                return QBrush(OUTSIDE_TEXT)
            if role == Qt.ToolTipRole and window:
                return f"Outside the step {action.step} window ({date_range(*window)})."
        if role == Qt.ToolTipRole and field in ("title", "measure", "evidence", "notes"):
            return value or None
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:
        if role != Qt.EditRole or not index.isValid():
            return False
        action = self.actions[index.row()]
        field = FIELDS[index.column()]
        if isinstance(value, QDate):
            value = dt.date(value.year(), value.month(), value.day())
        if field == "title" and not str(value).strip():
            return False
        if getattr(action, field) == value:
            return False
        return self.panel.update_action(action.uid, field, value)


class ActionDelegate(QStyledItemDelegate):
    """Editors per column: status and area drop-downs, step spin box, bounded dates, owners."""

    def __init__(self, panel: PlanPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        field = FIELDS[index.column()]
        model: ActionsModel = self.panel.model
        action = model.actions[self.panel.proxy.mapToSource(index).row()]
        if field == "status":
            box = QComboBox(parent)
            box.addItems(list(STATUSES))
            return box
        if field == "step":
            return QSpinBox(parent, minimum=1, maximum=5)
        if field in ("start", "due"):
            editor = use_short_dates(QDateEdit(parent))
            window = model.window_of(action)
            if window is not None:
                editor.setDateRange(_qdate(window[0]), _qdate(window[1]))
                editor.setToolTip(f"Step {action.step} runs from {date_range(*window)}.")
            return editor
        editor = QLineEdit(parent)
        if field == "owner":
            completer = QCompleter(self.panel.owner_names, editor)
            completer.setCaseSensitivity(Qt.CaseInsensitive)
            completer.setFilterMode(Qt.MatchContains)
            editor.setCompleter(completer)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        field = FIELDS[index.column()]
        value = index.data(Qt.EditRole)
        if field == "status":
            editor.setCurrentIndex(max(editor.findText(value), 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        field = FIELDS[index.column()]
        if field == "status":
            model.setData(index, editor.currentText())
        else:
            super().setModelData(editor, model, index)


def _say_vs_show(project, progress) -> tuple[list[StepEvidence], dict[str, str]]:
    """Say vs show for ``project`` and how the people it names are shown (names, or
    pseudonyms when the project is pseudonymised); run off the GUI thread."""
    from workbench.core.privacy import shown_people
    from workbench.core.report.assemble import project_evidence

    evidence = project_evidence(project, progress)
    shown = shown_people(project)
    return evidence, {p: shown.label(p) for e in evidence for p in e.people[:WHO_NAMED]}


def _show_lines(e: StepEvidence, names: dict[str, str]) -> list[tuple[str, str]]:
    """The network's show for one step as (bold lead-in, text) lines."""
    if e.step in FORMAL_STEPS:
        lines = [("No network level", ""),
                 ("Formal structure:", e.show_text.removeprefix("formal structure: "))]
    else:
        lines = [("No level yet" if e.show_value is None else f"Level {e.show_value:.1f} of 4",
                  "")]
        if e.appointed:  # step 3: the appointment and the people linking departments, apart
            lines += [(f"{head}:", rest) for head, _, rest in
                      (e.appointed.partition(": "), e.able.partition(": "))]
        else:
            lines.append(("", e.show_text))
    if e.people:
        more = len(e.people) - WHO_NAMED
        lines.append(("Who:", ", ".join(names[p] for p in e.people[:WHO_NAMED])
                      + (f" (+{more} more)" if more > 0 else "")))
    return lines


def _method_rest(e: StepEvidence) -> str:
    """The step's method sentence without the step-3 statements the show cell already gives."""
    text = e.method
    for statement in (e.appointed, e.able):
        if statement:
            text = text.replace(statement, "")
    return " ".join(text.split())


def _rich_label(lines: list[tuple[str, str]]) -> QLabel:
    """A wrapping label with one line per (bold lead-in, text)."""
    def line(lead: str, text: str) -> str:
        bold = f"<b>{html.escape(lead)}</b>" if lead else ""
        return " ".join(part for part in (bold, html.escape(text)) if part)

    widget = label("<br>".join(line(lead, text) for lead, text in lines), wrap=True)
    widget.setTextFormat(Qt.RichText)
    return widget


def _scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that lets it grow with the tab."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
    area.setWidget(widget)
    return area


def _method_status(windows: Windows | None, actions: list[Action],
                   gates: dict[int, GateDecision], open_roles: list[str]) -> str:
    """The line beside the method buttons: the gate that is due and the roles still open."""
    parts = []
    steps = [a.step for a in actions if a.step]
    due = due_gate(steps, gates)
    gate = gates.get(due) if due is not None else None
    if gate is not None and gate.decision == STOP:
        parts.append(f"The step {due} gate decided on {short_date(gate.decided_on)} to stop "
                     "there.")
    elif due is not None:
        window = windows.current(due) if windows else None
        when = f" on {short_date(window.gate)}" if window else ""
        parts.append(f"The step {due} gate is due{when}" +
                     (", after the repeat." if gate is not None else "."))
    elif steps:
        parts.append("Every planned step has passed its gate.")
    if open_roles:
        parts.append(f"Nobody is confirmed yet for {', '.join(open_roles)}.")
    return " ".join(parts)


class PlanPanel(Panel):
    title = "Plan"
    watches = frozenset({"plan", "plan_action", "step_gate", "setting", "engagement", "person",
                         "network", "tie", "answer", "respondent", "assessment_round",
                         "customer_measure"})
    # say vs show's inputs; settings hold the plan's owners (the confirmed coordinator) and the
    # privacy choices, the engagement the minimum group size
    evidence_tables = frozenset({"network", "tie", "answer", "respondent", "assessment_round",
                                 "person", "setting", "engagement", "customer_measure"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._owner_names: list[str] | None = None  # read when an owner is first edited
        self.proposal_dialog = None
        self.import_dialog = None
        self.method_dialog = None  # the owners, gate or schedule dialog last opened
        self.plan: PlanInfo | None = None  # the plan shown
        # Say vs show is recomputed only when its inputs changed: each such change bumps
        # ``_evidence_wanted``; a shown result records the generation it was computed for.
        self._evidence_wanted = 1
        self._evidence_shown = 0
        self._background_start = AfterPaint(self.table.viewport())
        self.empty.activated.connect(self.propose)

    # -- building ---------------------------------------------------------------------------

    def build_empty_state(self) -> EmptyState:
        state = EmptyState("No plan yet",
                           "The gaps between where leaders rate the organisation and the "
                           "target step become a 100-day plan with owners, measures and "
                           "evidence. Start from the action library, or write your own "
                           "first action, then edit freely.",
                           "Propose actions from gaps")
        self.empty_add_button = state.add_button("Add your own action…", self.add_action)
        return state

    def build_content(self) -> QWidget:
        page = QWidget()
        layout = page_layout(page)
        layout.addWidget(label("100-day plan", "title"))
        self.hint = label("", "subtitle", wrap=True)
        layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        self.propose_button = self._button("&Propose actions from gaps", self.propose,
                                           "Rank the gaps of the target step and suggest "
                                           "library actions for them.")
        # clicked(bool) must not reach add_action's optional title: call it with no arguments
        self.add_button = self._button("&Add action", lambda: self.add_action(),
                                       "Write an action of your own.")
        self.delete_button = self._button("&Delete action", self.delete_action,
                                          "Remove the selected action (Ctrl+Z brings it back).")
        self.export_button = self._button("E&xport workbook…", lambda: self.export_workbook(),
                                          "Write the plan workbook for the client (Ctrl+E).")
        self.import_button = self._button("&Import edits…", lambda: self.import_edits(),
                                          "Read status, owner and date edits back from a "
                                          "plan workbook the client edited.")
        for button in (self.propose_button, self.add_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        method = QHBoxLayout()
        method.setSpacing(SPACING)
        self.owners_button = self._button("&Owners…", lambda: self.edit_owners(),
                                          "Say who on the roster carries each owner role.")
        self.gate_button = self._button("Step &gate…", self.record_gate,
                                        "Record the decision at the end of a step's 100-day "
                                        "window: continue, repeat the step or stop.")
        self.schedule_button = self._button("Schedule &rules…", self.edit_schedule,
                                            "How many new actions an owner may start per "
                                            "period.")
        for button in (self.owners_button, self.gate_button, self.schedule_button):
            method.addWidget(button)
        self.method_status = label("", "hint", wrap=True)
        method.addWidget(self.method_status, 1)
        layout.addLayout(method)

        self.tabs = QTabWidget()
        self.model = ActionsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseInsensitive)
        self.filter = QLineEdit(placeholderText="Filter actions…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        buttons.insertWidget(3, self.filter)
        QWidget.setTabOrder(self.delete_button, self.filter)  # Tab follows the row's layout
        QWidget.setTabOrder(self.filter, self.export_button)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(ActionDelegate(self))
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectItems)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableView.DoubleClicked | QTableView.EditKeyPressed
                                   | QTableView.AnyKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZE_ROWS)
        # Delete works on the selected action: without one it is disabled, not an error box
        self._editing_enabled = True
        self.table.selectionModel().currentChanged.connect(
            lambda *_: self._update_delete_button())
        self.model.modelReset.connect(self._update_delete_button)
        self._update_delete_button()
        self.tabs.addTab(self.table, "&Actions")
        self.timeline = FigureView()
        self.tabs.addTab(_scrolling(self.timeline), "&Timeline")
        self.evidence_page = QWidget()
        self.evidence_grid = QGridLayout(self.evidence_page)
        self.evidence_grid.setContentsMargins(SPACING * 2, SPACING, SPACING * 2, SPACING)
        self.evidence_grid.setHorizontalSpacing(SPACING * 2)
        self.evidence_grid.setVerticalSpacing(SPACING * 2)
        self.evidence_status = label("Comparing what leaders say with what the network shows…",
                                     "hint", wrap=True)
        self.evidence_grid.addWidget(self.evidence_status, 0, 0, 1, 5)
        self.tabs.addTab(_scrolling(self.evidence_page), "&Say vs show")
        self.gates_page = QWidget()
        gates_layout = page_layout(self.gates_page)
        self.gates_empty = label("", "hint", wrap=True)
        gates_layout.addWidget(self.gates_empty)
        self.gates_table = QTableWidget(0, len(GATE_COLUMNS))
        self.gates_table.setHorizontalHeaderLabels(list(GATE_COLUMNS))
        self.gates_table.verticalHeader().hide()
        self.gates_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.gates_table.setSelectionBehavior(QTableWidget.SelectRows)
        self.gates_table.horizontalHeader().setStretchLastSection(True)
        self.gates_table.setWordWrap(True)
        gates_layout.addWidget(self.gates_table, 1)
        gates_layout.addStretch(0)  # keeps the note at the top while there is no table
        self.tabs.addTab(self.gates_page, "Gate decisio&ns")
        layout.addWidget(self.tabs, 1)
        return page

    def _button(self, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # -- showing ----------------------------------------------------------------------------

    def has_content(self) -> bool:
        return self.session is not None and bool(self.session.project.plans.plans())

    @property
    def owner_names(self) -> list[str]:
        """The roster's names, offered when an owner is typed (read on first use: 10,000
        people on every refresh held up the page)."""
        if self._owner_names is None:
            people = self.session.project.people.list() if self.session is not None else []
            self._owner_names = sorted({p.name for p in people if p.name})
        return self._owner_names

    def _on_changed(self, tables: frozenset[str] | None) -> None:
        if tables is None or tables & self.evidence_tables:
            self._evidence_wanted += 1
        super()._on_changed(tables)

    def set_session(self, session) -> None:
        self._evidence_wanted += 1
        # nothing of the previous project stays on screen (a new page has nothing yet)
        if self.session is not None and session is not self.session:
            self.clear()
        super().set_session(session)

    def clear(self) -> None:
        """Empty the hint, the table, the timeline and the say-vs-show grid."""
        self._owner_names = None
        self._background_start.cancel()
        self.hint.clear()
        self.filter.clear()
        self.model.set_actions([], {})
        self.method_status.clear()
        self.gates_table.setRowCount(0)
        self.timeline.clear()
        while self.evidence_grid.count() > 1:  # all but the status line
            item = self.evidence_grid.takeAt(1)
            if item.widget():
                item.widget().deleteLater()
        self.evidence_status.setText("Comparing what leaders say with what the network shows…")

    def editing_widgets(self) -> list[QWidget]:
        return [self.propose_button, self.add_button, self.delete_button, self.import_button,
                self.owners_button, self.gate_button, self.schedule_button]

    def set_editing_enabled(self, enabled: bool) -> None:
        super().set_editing_enabled(enabled)
        self._editing_enabled = enabled
        self._update_delete_button()
        self._update_method_buttons()
        self.table.setEditTriggers(
            QTableView.DoubleClicked | QTableView.EditKeyPressed | QTableView.AnyKeyPressed
            if enabled else QTableView.NoEditTriggers)

    def refresh(self) -> None:
        from workbench.core.plan.apply import first_step
        from workbench.core.plan.owners import open_roles

        project = self.session.project
        plan = project.plans.plans()[0]
        actions = project.plans.actions(plan.id)
        gates = project.plans.gates(plan.id)
        # the windows as the gates decided so far place them; a repeated step spans both
        planned = (plan_windows(plan.start_date, first_step(actions), max(STEPS), gates)
                   if plan.start_date else None)
        windows = ({s: (found[0].begin, found[-1].end) for s, found in planned.by_step.items()}
                   if planned else {})
        self._owner_names = None  # the roster may have changed
        roles = open_roles(project, actions)
        current = self.table.currentIndex()
        self.model.set_actions(actions, windows, frozenset(roles))
        if current.isValid() and current.row() < self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(current.row(), current.column()))
        self._fit_columns()
        done = sum(a.status == "Done" for a in actions)
        outside = sum(self.model.outside_window(a, f) for a in actions for f in ("start", "due"))
        warning = (f" {count(outside, 'date falls', 'dates fall')} outside their step's "
                   "100-day window (shaded)."
                   if outside else "")
        start = f", starting {short_date(plan.start_date)}" if plan.start_date else ""
        self.hint.setText(f"{plan.name}{start} — {count(len(actions), 'action')}, {done} done. "
                          f"Double-click or press F2 to edit a cell; Ctrl+Z undoes.{warning}")
        self.plan = plan
        self.method_status.setText(_method_status(planned, actions, gates, roles))
        self._show_gates(gates)
        self._update_method_buttons()
        # once the table is drawn: a worker running meanwhile would slow its layout and paint
        self._background_start.call(lambda: self._start_background(actions, plan.start_date))

    def _fit_columns(self) -> None:
        """Columns as wide as their header or widest text in the rows measured, at most
        :data:`WIDEST` pixels."""
        rows = sampled_rows(self.table, SIZE_ROWS)
        actions = [self.model.actions[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                   for r in rows]
        fit_columns(self.table, rows, [[self.model.text(a, f) for f in FIELDS] for a in actions],
                    WIDEST)

    def _show_gates(self, gates: dict[int, GateDecision]) -> None:
        from workbench.gui.method_dialogs import DECISION_TEXT

        # every decision, earliest first within a step; replaced ones greyed with who replaced
        rows = []
        for gate in sorted(gates.values(), key=lambda g: g.step):
            decisions = gate.decisions
            for d, later in zip(decisions, [*decisions[1:], None], strict=True):
                rows.append(((str(gate.step), DECISION_TEXT.get(d.decision, d.decision),
                              short_date(d.decided_on), d.decided_by, d.value_created),
                             later))
        self.gates_table.setRowCount(len(rows))
        replaced_brush = self.gates_table.palette().brush(QPalette.Disabled, QPalette.Text)
        for r, (row, later) in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if later is None:
                    item.setToolTip(text)
                else:
                    item.setForeground(replaced_brush)
                    item.setToolTip(f"Replaced by the decision of {short_date(later.decided_on)}.")
                self.gates_table.setItem(r, c, item)
        self.gates_table.resizeColumnsToContents()
        self.gates_table.resizeRowsToContents()
        self.gates_table.setVisible(bool(rows))
        self.gates_empty.setText(
            "At the end of each step's 100-day window the client decides whether to continue, "
            "repeat the step or stop; the decisions recorded with Step gate… are listed here."
            if rows else
            "No gate decided yet. At the end of each step's 100-day window, record with Step "
            "gate… what the step created, the figures before and after, and whether to "
            "continue, repeat the step or stop.")

    def _start_background(self, actions: list[Action], plan_start: dt.date | None) -> None:
        """Timeline (and say vs show when its inputs changed) are built off the GUI thread."""
        from workbench.core.report.assemble import plan_action
        from workbench.core.report.timeline import timeline_figure

        project = self.session.project
        planned = [plan_action(a, plan_start) for a in actions]
        # a superseded run never shows its evidence, so this run redoes it until one is shown
        generation = (self._evidence_wanted if self._evidence_shown < self._evidence_wanted
                      else None)

        def work(progress):
            figure = timeline_figure(planned, plan_start, dt.date.today(),
                                     format_date=short_date)
            evidence = _say_vs_show(project, progress) if generation is not None else None
            return figure, evidence, generation

        self.run_task("background", "Drawing the plan timeline and the say-vs-show evidence",
                      work, self._show_background, report=False,
                      on_failed=lambda msg: self.evidence_status.setText(
                          f"The evidence could not be computed: {msg}"))

    def _show_background(self, result) -> None:
        if self.session is None:
            return
        figure, evidence, generation = result
        self.timeline.set_figure(figure)
        # Long plans scroll rather than squeezing their rows together.
        self.timeline.setMinimumHeight(round(figure.get_figheight() * TIMELINE_MIN_DPI))
        if evidence is not None:
            self._evidence_shown = max(self._evidence_shown, generation)
            self._show_evidence(evidence)

    def _show_evidence(self, shown: tuple[list[StepEvidence], dict[str, str]]) -> None:
        """One block per step: the step, the leaders' say, the network's show (step 3 as its
        two statements, then who), the coloured verdict, what customer measures show on the
        step, and under them how the show is read."""
        evidence, names = shown
        while self.evidence_grid.count() > 1:
            item = self.evidence_grid.takeAt(1)
            if item.widget():
                item.widget().deleteLater()
        missing = all(e.show_value is None for e in evidence)
        self.evidence_status.setText(
            "Insufficient data: import a network (People & Network) to compare what leaders "
            "say with what the network shows." if missing else
            "Each step: the leaders' mean rating beside the level the network suggests, on the "
            "same 0–4 scale; under them, how the network figure is read.")
        headers = ("Step", "Leaders say", "Network shows", "Verdict", "Customers show")
        for c, text in enumerate(headers):
            self.evidence_grid.addWidget(label(text, "section"), 1, c)
        for i, e in enumerate(evidence):
            r = 2 + 2 * i
            step = label(f"{e.step} – {STEPS.get(e.step, '')}", wrap=True)
            say = label(e.say_text, wrap=True)
            say.setToolTip("The mean of the leaders' ratings over this step's seven "
                           "micro-foundations (0 absent … 4 embedded).")
            show = _rich_label(_show_lines(e, names))
            show.setToolTip("A network figure turned into a 0–4 level with fixed anchors; "
                            "steps 4 and 5 are formal structures the informal network cannot "
                            "show.")
            customers = label("\n".join(e.customer) or "No customer measure tests this step.",
                              None if e.customer else "hint", wrap=True)
            customers.setToolTip("Each segment's latest customer figure on this step, with "
                                 "its own verdict against the leaders' ratings of the related "
                                 "items (Customer learning page).")
            verdict = label(f"<b>{e.verdict}</b><br>{html.escape(e.finding)}", wrap=True)
            verdict.setTextFormat(Qt.RichText)
            colour = VERDICT_COLOURS.get(e.verdict, "#BBBBBB")
            # the other sides set too, or Qt draws no border at all
            verdict.setStyleSheet(f"border: none; border-left: 4px solid {colour}; "
                                  "padding-left: 8px;")
            verdict.setToolTip("They agree when the two levels are at most one point apart.")
            for c, widget in enumerate((step, say, show, verdict, customers)):
                self.evidence_grid.addWidget(widget, r, c, Qt.AlignTop)
            method = label(f"How it is read: {_method_rest(e)}", "hint", wrap=True)
            font = method.font()
            font.setPointSizeF(font.pointSizeF() * METHOD_FONT)
            method.setFont(font)
            self.evidence_grid.addWidget(method, r + 1, 1, 1, 4, Qt.AlignTop)
        for column, stretch in enumerate((2, 2, 4, 3, 3)):
            self.evidence_grid.setColumnStretch(column, stretch)
        self.evidence_grid.setRowStretch(2 + 2 * len(evidence), 1)

    # -- editing ----------------------------------------------------------------------------

    def _error(self, message: str) -> None:
        self.context.show_error(message)

    def update_action(self, uid: str, field: str, value: Any) -> bool:
        try:
            self.session.project.plans.update_action(uid, f"Edit {field} of {uid}",
                                                     **{field: value})
        except WorkbenchError as exc:
            self._error(str(exc))
            return False
        return True

    def selected_action(self) -> Action | None:
        index = self.table.currentIndex() if self.has_content() else QModelIndex()
        return self.model.actions[self.proxy.mapToSource(index).row()] if index.isValid() \
            else None

    def propose(self) -> None:
        if self.session is None:
            return
        from workbench.core.plan.apply import propose_for_project

        project = self.session.project
        self.run_task("propose", "Proposing actions from the gaps",
                      lambda _p: propose_for_project(project), self._show_proposal)

    def _show_proposal(self, proposal) -> None:
        from workbench.gui.plan_dialogs import ProposalDialog

        self.proposal_dialog = ProposalDialog(proposal, self, edit_owners=self.edit_owners)
        self.proposal_dialog.accepted.connect(self._accept_proposal)
        self.proposal_dialog.open()

    def _accept_proposal(self) -> None:
        from workbench.core.plan.apply import accept_proposal

        dialog = self.proposal_dialog
        try:
            accept_proposal(self.session.project, dialog.proposal, dialog.accepted_actions())
        except WorkbenchError as exc:
            self._error(str(exc))

    def add_action(self, title: str | None = None, step: int | None = None) -> None:
        """Ask for a title and step (or take them, e.g. in tests) and add the action."""
        if self.session is None:
            return
        from workbench.core.plan.apply import add_custom_action

        project = self.session.project
        if title is None:
            from workbench.gui.plan_dialogs import NewActionDialog

            current = self.selected_action()
            dialog = NewActionDialog((current.step if current else None)
                                     or project.engagement.get().target_step, self)
            if not dialog.exec():
                return
            title, step = dialog.title.text(), dialog.step.value()
        try:
            add_custom_action(project, title, step or 1)
        except WorkbenchError as exc:
            self._error(str(exc))

    def _update_delete_button(self) -> None:
        selected = self.selected_action() is not None
        self.delete_button.setEnabled(self._editing_enabled and selected)
        self.delete_button.setToolTip("Remove the selected action (Ctrl+Z brings it back)."
                                      if selected else "Select an action in the table to "
                                      "delete it.")

    def _update_method_buttons(self) -> None:
        actions = self.model.actions
        for button, available, tip, why_not in (
            (self.owners_button, any(a.owner_role for a in actions),
             "Say who on the roster carries each owner role of the plan.",
             "No action of the plan names an owner role yet."),
            (self.gate_button, any(a.step for a in actions),
             "Record the decision at the end of a step's 100-day window: continue, repeat the "
             "step or stop.",
             "The plan has no actions yet: a gate closes a step that has actions."),
            (self.schedule_button, True,
             "How many new actions an owner role may start per period, for the next "
             "proposal.", ""),
        ):
            button.setEnabled(self._editing_enabled and available)
            button.setToolTip(tip if available else why_not)

    def edit_owners(self, proposal_dialog=None) -> None:
        """Ask who carries each owner role of the plan (and of ``proposal_dialog``'s actions,
        whose owners are updated once saved)."""
        if self.session is None:
            return
        from workbench.core.plan.owners import (
            assigned_names,
            person_choices,
            role_needs,
            save_owners,
        )
        from workbench.gui.method_dialogs import OwnersDialog

        project = self.session.project
        actions = [*(self.model.actions if self.has_content() else []),
                   *(proposal_dialog.proposal.actions if proposal_dialog else [])]

        def save(dialog: OwnersDialog) -> None:
            saved, filled = save_owners(project, dialog.mapping(),
                                        name_on_actions=dialog.name_on_actions.isChecked())
            named = (f"; {count(filled, 'action')} now name their owner" if filled else "")
            self._status(f"{count(len(saved), 'owner role')} confirmed{named}. "
                         "Ctrl+Z undoes it.")
            if proposal_dialog is not None:
                proposal_dialog.set_owners(assigned_names(project))

        self.method_dialog = OwnersDialog(role_needs(project, actions), person_choices(project),
                                          save, proposal_dialog or self)
        self.method_dialog.open()

    def record_gate(self) -> None:
        """Open the step gate dialog on the step whose gate is due, measuring it meanwhile."""
        if not self.has_content():
            return
        from workbench.core.plan.gates import gate_snapshot
        from workbench.core.plan.owners import person_choices
        from workbench.gui.method_dialogs import GateDialog

        project, plan = self.session.project, self.plan
        steps = sorted({a.step for a in self.model.actions if a.step})
        if not steps:
            return
        gates = project.plans.gates(plan.id)
        names = sorted({c.name for c in person_choices(project)}, key=str.casefold)

        def measure(step: int) -> None:
            self.run_task("gate-snapshot", f"Measuring step {step} before and after",
                          lambda _p: gate_snapshot(project, step),
                          lambda snapshot: dialog.set_snapshot(step, snapshot),
                          on_failed=lambda msg: dialog.measuring.setText(
                              f"The figures could not be measured: {msg}"))

        def save(dialog: GateDialog) -> None:
            step, decision = dialog.chosen_step(), dialog.chosen_decision()
            project.plans.record_gate(plan.id, step, decision or "", dialog.chosen_date(),
                                      dialog.value.toPlainText(), dialog.decided_by.text(),
                                      snapshot=dialog.snapshot())
            self._status(f"Step {step} gate recorded ({decision}). Ctrl+Z undoes it.")

        dialog = GateDialog(plan, steps, gates, due_gate(steps, gates) or steps[-1], names,
                            save, measure, self)
        self.method_dialog = dialog
        dialog.open()

    def edit_schedule(self) -> None:
        """Ask for the schedule rules of the next proposal."""
        if self.session is None:
            return
        from workbench.core.plan.apply import save_schedule_rules, schedule_rules
        from workbench.gui.method_dialogs import ScheduleDialog

        project = self.session.project

        def save(dialog: ScheduleDialog) -> None:
            rules = dialog.rules()
            if rules != schedule_rules(project):
                save_schedule_rules(project, rules)
                self._status(f"Schedule rules changed: at most {rules.max_starts} new actions "
                             f"per owner every {rules.period_days} days. Ctrl+Z undoes it.")

        self.method_dialog = ScheduleDialog(schedule_rules(project), save, self)
        self.method_dialog.open()

    def delete_action(self) -> None:
        action = self.selected_action()
        if action is None:
            self._error("Select the action to delete first.")
            return
        self.session.project.plans.delete_action(action.uid)

    # -- workbook and PDF -----------------------------------------------------------------

    def _ask_path(self, title: str, suggested: str, file_filter: str, save: bool) -> str:
        ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        folder = self.session.path.parent
        path, _ = ask(self, title, str(folder / suggested if suggested else folder), file_filter)
        return path

    def export(self, suffix: str, path: str | Path | None = None) -> Task | None:
        """Write the deliverable of ``suffix`` (.xlsx, .docx, .pptx or .pdf, see
        :data:`~workbench.core.report.deliverables.FORMATS`) in a background task; asks for
        the file if not given."""
        if self.session is None:
            return None
        from workbench.core.report.deliverables import FORMATS, export_deliverable

        form = FORMATS[suffix]
        path = path or self._ask_path(f"Export {form.name.lower()}",
                                      f"{self.session.path.stem} {form.suggested}",
                                      form.file_filter, True)
        if not path:
            return None
        project = self.session.project
        return self.run_task(
            f"export{suffix}", f"Writing {Path(path).name}",
            lambda p: export_deliverable(project, path, p),
            lambda result: self._status(
                f"{form.name} written to {path}"
                + (f" ({count(len(result[1]), 'cell')} shortened or escaped)"
                   if result[1] else "")))

    def export_workbook(self, path: str | Path | None = None) -> Task | None:
        """Write the plan workbook in a background task (asks for the file if not given)."""
        return self.export(".xlsx", path)

    def import_edits(self, path: str | Path | None = None) -> Task | None:
        """Read an edited workbook in the background, then preview its changes."""
        if self.session is None:
            return None
        from workbench.core.plan.apply import read_plan_edits

        path = path or self._ask_path("Import plan edits", "", XLSX_FILTER, False)
        if not path:
            return None
        project = self.session.project
        return self.run_task("import-edits", f"Reading {Path(path).name}",
                             lambda _p: read_plan_edits(project, path),
                             lambda edits: self._preview_import(Path(path).name, edits))

    def _preview_import(self, name: str, edits) -> None:
        from workbench.gui.plan_dialogs import ImportPreviewDialog

        plan = self.session.project.plans.plans()
        titles = {a.uid: a.title for p in plan for a in self.session.project.plans.actions(p.id)}
        self.import_dialog = ImportPreviewDialog(name, edits, titles, self)
        self.import_dialog.accepted.connect(lambda: self._apply_import(edits))
        self.import_dialog.open()

    def _apply_import(self, edits) -> None:
        from workbench.core.plan.apply import apply_plan_import

        try:
            changes = apply_plan_import(self.session.project, edits)
        except WorkbenchError as exc:
            self._error(str(exc))
            return
        self._status(f"{count(changes, 'plan change')} imported; Ctrl+Z undoes the import.")

    def _status(self, message: str) -> None:
        self.context.show_status(message, 8000)
