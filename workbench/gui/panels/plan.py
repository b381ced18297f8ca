"""Plan: from gaps to the 100-day plan, its timeline, say vs show, and the plan workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.plan.builder import STATUSES, step_window
from workbench.core.plan.library import item_label
from workbench.core.questionnaire.schema import STEPS
from workbench.core.services.plans import Action
from workbench.core.wording import count
from workbench.gui.figure_view import FigureView
from workbench.gui.formatting import date_range, short_date, use_short_dates
from workbench.gui.panels.base import Panel
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState, label, page_layout
from workbench.gui.workers import Task

XLSX_FILTER = "Excel workbook (*.xlsx)"
PDF_FILTER = "PDF document (*.pdf)"
# (field, header, tooltip)
COLUMNS = (
    ("uid", "Id", "The action's id; the plan workbook matches edits by it."),
    ("title", "Action", "What will be done."),
    ("step", "Step", "The ladder step this action serves (1-5)."),
    ("source", "Serves", "The assessed item (ladder cell or question) this action closes."),
    ("owner_role", "Owner role", "The role accountable for the action."),
    ("owner", "Owner", "Who is accountable: a person from the roster or any name."),
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
READ_ONLY = ("uid", "source", "flag")
OUTSIDE = QColor("#fde2d2")
OUTSIDE_TEXT = QColor("#1f2328")  # dark text on the pale warning colour, in either theme
TIMELINE_MIN_DPI = 80  # the timeline never gets fewer pixels per figure inch than this
VERDICT_COLOURS = {"aligned": "#5B9B5B", "leaders overrate": "#C0504D",
                   "leaders underrate": "#E69F00"}


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


class ActionsModel(QAbstractTableModel):
    """The plan's actions; every edit goes through the plan service (one undoable edit)."""

    def __init__(self, panel: PlanPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.actions: list[Action] = []
        self.windows: dict[int, tuple[dt.date, dt.date]] = {}

    def set_actions(self, actions: list[Action], windows: dict[int, tuple[dt.date, dt.date]]
                    ) -> None:
        self.beginResetModel()
        self.actions, self.windows = actions, windows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.actions)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if orientation != Qt.Horizontal:
            return None
        if role == Qt.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ToolTipRole:
            return COLUMNS[section][2]
        return None

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        return base if FIELDS[index.column()] in READ_ONLY else base | Qt.ItemIsEditable

    def window_of(self, action: Action) -> tuple[dt.date, dt.date] | None:
        return self.windows.get(action.step or 0)

    def outside_window(self, action: Action, field: str) -> bool:
        window = self.window_of(action)
        value = getattr(action, field)
        return window is not None and value is not None and not window[0] <= value <= window[1]

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        action = self.actions[index.row()]
        field = FIELDS[index.column()]
        value = getattr(action, field)
        if role in (Qt.DisplayRole, Qt.EditRole):
            if role == Qt.DisplayRole and field == "source":
                return item_label(value) if value else ""
            if isinstance(value, dt.date):
                return short_date(value) if role == Qt.DisplayRole else _qdate(value)
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


def _scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that lets it grow with the tab."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
    area.setWidget(widget)
    return area


class PlanPanel(Panel):
    title = "Plan"
    watches = frozenset({"plan", "plan_action", "engagement", "person", "network", "tie",
                         "answer", "respondent", "assessment_round"})
    evidence_tables = frozenset({"network", "tie", "answer", "respondent", "assessment_round",
                                 "person"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owner_names: list[str] = []
        self.proposal_dialog = None
        self.import_dialog = None
        # Say vs show is recomputed only when its inputs changed: each such change bumps
        # ``_evidence_wanted``; a shown result records the generation it was computed for.
        self._evidence_wanted = 1
        self._evidence_shown = 0
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
        self.evidence_grid.addWidget(self.evidence_status, 0, 0, 1, 4)
        self.tabs.addTab(_scrolling(self.evidence_page), "&Say vs show")
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

    def _on_changed(self, tables: frozenset[str] | None) -> None:
        if tables is None or tables & self.evidence_tables:
            self._evidence_wanted += 1
        super()._on_changed(tables)

    def set_session(self, session) -> None:
        self._evidence_wanted += 1
        if session is not self.session:  # nothing of the previous project stays on screen
            self.clear()
        super().set_session(session)

    def clear(self) -> None:
        """Empty the hint, the table, the timeline and the say-vs-show grid."""
        self.hint.clear()
        self.filter.clear()
        self.model.set_actions([], {})
        self.timeline.clear()
        while self.evidence_grid.count() > 1:  # all but the status line
            item = self.evidence_grid.takeAt(1)
            if item.widget():
                item.widget().deleteLater()
        self.evidence_status.setText("Comparing what leaders say with what the network shows…")

    def editing_widgets(self) -> list[QWidget]:
        return [self.propose_button, self.add_button, self.delete_button, self.import_button]

    def set_editing_enabled(self, enabled: bool) -> None:
        super().set_editing_enabled(enabled)
        self._editing_enabled = enabled
        self._update_delete_button()
        self.table.setEditTriggers(
            QTableView.DoubleClicked | QTableView.EditKeyPressed | QTableView.AnyKeyPressed
            if enabled else QTableView.NoEditTriggers)

    def refresh(self) -> None:
        project = self.session.project
        plan = project.plans.plans()[0]
        actions = project.plans.actions(plan.id)
        first = min((a.step for a in actions if a.step), default=1)
        windows = ({s: step_window(plan.start_date, s, first) for s in STEPS if s >= first}
                   if plan.start_date else {})
        self.owner_names = sorted({p.name for p in project.people.list() if p.name})
        current = self.table.currentIndex()
        self.model.set_actions(actions, windows)
        if current.isValid() and current.row() < self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(current.row(), current.column()))
        self.table.resizeColumnsToContents()
        for column in range(len(COLUMNS)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 320))
        done = sum(a.status == "Done" for a in actions)
        outside = sum(self.model.outside_window(a, f) for a in actions for f in ("start", "due"))
        warning = (f" {count(outside, 'date falls', 'dates fall')} outside their step's "
                   "100-day window (shaded)."
                   if outside else "")
        start = f", starting {short_date(plan.start_date)}" if plan.start_date else ""
        self.hint.setText(f"{plan.name}{start} — {count(len(actions), 'action')}, {done} done. "
                          f"Double-click or press F2 to edit a cell; Ctrl+Z undoes.{warning}")
        self._start_background(actions, plan.start_date)

    def _start_background(self, actions: list[Action], plan_start: dt.date | None) -> None:
        """Timeline (and say vs show when its inputs changed) are built off the GUI thread."""
        from workbench.core.report.assemble import plan_action, project_evidence
        from workbench.core.report.timeline import timeline_figure

        project = self.session.project
        planned = [plan_action(a, plan_start) for a in actions]
        # a superseded run never shows its evidence, so this run redoes it until one is shown
        generation = (self._evidence_wanted if self._evidence_shown < self._evidence_wanted
                      else None)

        def work(progress):
            figure = timeline_figure(planned, plan_start, dt.date.today(),
                                     format_date=short_date)
            evidence = project_evidence(project, progress) if generation is not None else None
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

    def _show_evidence(self, evidence) -> None:
        while self.evidence_grid.count() > 1:
            item = self.evidence_grid.takeAt(1)
            if item.widget():
                item.widget().deleteLater()
        missing = all(e.show_value is None for e in evidence)
        self.evidence_status.setText(
            "Insufficient data: import a network (People & Network) to compare what leaders "
            "say with what the network shows." if missing else
            "Each step: the leaders' mean rating beside the level the network suggests, on the "
            "same 0–4 scale. Hover a figure for how it is read.")
        headers = ("Step", "Leaders say", "Network shows", "Verdict")
        for c, text in enumerate(headers):
            self.evidence_grid.addWidget(label(text, "section"), 1, c)
        for r, e in enumerate(evidence, start=2):
            step = label(f"{e.step} – {STEPS.get(e.step, '')}", wrap=True)
            say = label(e.say_text, wrap=True)
            say.setToolTip("The mean of the leaders' ratings over this step's seven "
                           "micro-foundations (0 absent … 4 embedded).")
            show = label(e.show_text if e.show_value is None else
                         f"level {e.show_value:.1f} of 4: {e.show_text}", wrap=True)
            show.setToolTip("A network figure turned into a 0–4 level with fixed anchors; "
                            "steps 4 and 5 are formal structures the informal network cannot "
                            "show.")
            verdict = label(f"<b>{e.verdict}</b><br>{e.finding}", wrap=True)
            colour = VERDICT_COLOURS.get(e.verdict, "#BBBBBB")
            verdict.setStyleSheet(f"border-left: 4px solid {colour}; padding-left: 8px;")
            verdict.setToolTip("They agree when the two levels are at most one point apart.")
            for c, widget in enumerate((step, say, show, verdict)):
                self.evidence_grid.addWidget(widget, r, c, Qt.AlignTop)
        for column, stretch in enumerate((2, 2, 3, 4)):
            self.evidence_grid.setColumnStretch(column, stretch)
        self.evidence_grid.setRowStretch(len(evidence) + 2, 1)

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

        self.proposal_dialog = ProposalDialog(proposal, self)
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

    def export_workbook(self, path: str | Path | None = None) -> Task | None:
        """Write the plan workbook in a background task (asks for the file if not given)."""
        if self.session is None:
            return None
        from workbench.core.report.assemble import export_workbook

        path = path or self._ask_path("Export plan workbook",
                                      f"{self.session.path.stem} plan.xlsx", XLSX_FILTER, True)
        if not path:
            return None
        project = self.session.project
        return self.run_task(
            "export-workbook", f"Writing {Path(path).name}",
            lambda p: export_workbook(project, path, p),
            lambda result: self._status(
                f"Plan workbook written to {path}"
                + (f" ({count(len(result[1]), 'cell')} shortened or escaped)"
                   if result[1] else "")))

    def export_pdf(self, path: str | Path | None = None) -> Task | None:
        """Write the one-page PDF summary in a background task."""
        if self.session is None:
            return None
        from workbench.core.report.assemble import export_summary_pdf

        path = path or self._ask_path("Export summary PDF",
                                      f"{self.session.path.stem} summary.pdf", PDF_FILTER, True)
        if not path:
            return None
        project = self.session.project
        return self.run_task("export-pdf", f"Writing {Path(path).name}",
                             lambda p: export_summary_pdf(project, path, p),
                             lambda _r: self._status(f"Summary written to {path}"))

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
