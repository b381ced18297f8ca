"""The "Action library…" window: browse, edit and extend the actions plans are proposed from.

Every change is one undoable edit of the project (Ctrl+Z works here and in the main window);
the library itself lives in :mod:`workbench.core.plan.project_library`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.plan import project_library as lib
from workbench.core.plan.library import (
    EFFORTS,
    KINDS,
    OWNER_ROLES,
    ActionLibrary,
    ActionTemplate,
    LibraryError,
    cell_step,
    coverage_problems,
    gap_items,
    item_label,
    quality_problems,
)
from workbench.core.questionnaire.schema import STEPS
from workbench.core.wording import count
from workbench.gui.context import dialog_parent
from workbench.gui.models import Column
from workbench.gui.panels.tables import RecordTable
from workbench.gui.style import SPACING
from workbench.gui.widgets import label
from workbench.gui.workers import Task

if TYPE_CHECKING:
    from workbench.gui.context import AppContext

XLSX_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
EFFORT_NAMES = {"S": "S – small", "M": "M – medium", "L": "L – large"}
KIND_NAMES = {"design": "Design – answers a design question",
              "practice": "Practice – changes how people work",
              "structure": "Structure – reporting lines, formal roles or teams"}
MAX_COLUMN_WIDTH = 260


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value)


def target_text(action: ActionTemplate) -> str:
    """"0 → 30 %", "30 %" (baseline to measure) or "to agree" (no target yet)."""
    if action.target is None:
        return "to agree"
    target = f"{_number_text(action.target)} {action.unit}"
    return target if action.baseline is None else f"{_number_text(action.baseline)} → {target}"


COLUMNS = [
    Column("Serves", lambda a: "; ".join(item_label(r) for r in a.applies_to),
           "The assessed items (ladder cells, questions) whose gaps this action closes."),
    Column("Step", lambda a: a.step,
           "The ladder step (1–5) whose 100-day window the action belongs to."),
    Column("Kind", lambda a: a.kind,
           "design = answers a design question; practice = changes how people work; "
           "structure = reporting lines, formal roles or teams."),
    Column("Id", lambda a: a.id, "Stable id; plans refer to actions by it."),
    Column("Title", lambda a: a.title),
    Column("Owner role", lambda a: a.owner_role, "Who usually leads this action."),
    Column("Effort", lambda a: a.effort, "S = small, M = medium, L = large effort."),
    Column("Days", lambda a: a.duration_days,
           "How many days the action usually takes; it must fit a 100-day window."),
    Column("Measure", lambda a: a.measure, "The outcome that shows the action has worked."),
    Column("Target", target_text,
           "Baseline → target in the measure's unit; “to agree” when the client still has "
           "to set it."),
    Column("Data source", lambda a: a.data_source, "Where the measure is read from."),
    Column("Evidence", lambda a: a.evidence, "What shows the action has worked."),
    Column("Depends on", lambda a: ", ".join(a.depends_on),
           "Actions that should be done first."),
]


def problems_text(error: WorkbenchError, limit: int = 12) -> str:
    """A user message listing each located problem of a library error (first ``limit``)."""
    if not isinstance(error, LibraryError):
        return str(error)
    lines = [str(p) for p in error.problems[:limit]]
    if len(error.problems) > limit:
        lines.append(f"… and {len(error.problems) - limit} more.")
    return "The action library was not changed:\n" + "\n".join(lines)


def _located(func):
    """Run ``func``; a library error becomes one message that lists every problem."""
    def run(*args: Any) -> Any:
        try:
            return func(*args)
        except WorkbenchError as error:
            raise WorkbenchError(problems_text(error)) from None
    return run


def _text_box(tip: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + SPACING * 2)
    box.setToolTip(tip)
    return box


class ItemPicker(QWidget):
    """Tick the items an action serves; the items it serves are listed first.

    ``changed`` is emitted on every tick, ``checked(ref)`` when an item is ticked.
    """

    changed = Signal()
    checked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING // 2)
        self.filter = QLineEdit(placeholderText="Type to find an item…",
                                toolTip="Shows only the items whose name or reference "
                                        "contains the text.")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget(toolTip="Tick every item this action helps to close the gap "
                                        "of (Space ticks the current item).")
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 8 + SPACING * 2)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.setFocusProxy(self.filter)  # the form label's mnemonic lands in the filter
        self.filter.textChanged.connect(self._filter)
        self.list.itemChanged.connect(self._item_changed)
        self._filling = False

    def set_refs(self, refs: tuple[str, ...] | list[str]) -> None:
        """Show every known item, ``refs`` ticked and first (unknown refs too)."""
        self._filling = True
        self.list.clear()
        known = [item.ref for item in gap_items()]
        for ref in [*refs, *(r for r in known if r not in refs)]:
            entry = QListWidgetItem(item_label(ref))
            entry.setData(Qt.UserRole, ref)
            entry.setToolTip(ref)
            entry.setFlags(entry.flags() | Qt.ItemIsUserCheckable)
            entry.setCheckState(Qt.Checked if ref in refs else Qt.Unchecked)
            self.list.addItem(entry)
        self._filling = False
        self._filter(self.filter.text())

    def refs(self) -> list[str]:
        """The ticked item references, in list order."""
        return [entry.data(Qt.UserRole) for entry in self._entries()
                if entry.checkState() == Qt.Checked]

    def entry(self, ref: str) -> QListWidgetItem | None:
        return next((e for e in self._entries() if e.data(Qt.UserRole) == ref), None)

    def _entries(self) -> list[QListWidgetItem]:
        return [self.list.item(row) for row in range(self.list.count())]

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for entry in self._entries():
            shown = (not needle or needle in entry.text().casefold()
                     or needle in entry.data(Qt.UserRole).casefold())
            entry.setHidden(not shown)

    def _item_changed(self, entry: QListWidgetItem) -> None:
        if self._filling:
            return
        if entry.checkState() == Qt.Checked:
            self.checked.emit(entry.data(Qt.UserRole))
        self.changed.emit()


class ActionForm(QWidget):
    """The fields of one action; ``fields()`` returns them in the library's plain shape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(SPACING, 0, SPACING, 0)
        form.setSpacing(SPACING)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.id = QLineEdit(toolTip="Letters, digits, '.', '_' or '-'; at most 40 characters. "
                                    "Renaming also updates the actions that depend on it.")
        self.title = QLineEdit(toolTip="What will be done, in a few words.")
        self.purpose = _text_box("Why the action matters for customers.")
        self.kind = QComboBox(toolTip="Within a step, design actions are planned before "
                                      "structure actions.")
        for key in KINDS:
            self.kind.addItem(KIND_NAMES[key], key)
        self.step = QComboBox(toolTip="The ladder step whose 100-day window the action belongs "
                                      "to; an action serving a ladder cell has that cell's "
                                      "step.")
        for number, name in STEPS.items():
            self.step.addItem(f"{number} – {name}", number)
        self.items = ItemPicker()
        self.owner_role = QLineEdit(toolTip="The role that usually leads the action; the plan "
                                            "puts a name there when one person holds it.")
        roles = QCompleter(list(OWNER_ROLES), self.owner_role)
        roles.setCaseSensitivity(Qt.CaseInsensitive)
        roles.setFilterMode(Qt.MatchContains)
        self.owner_role.setCompleter(roles)
        self.effort = QComboBox(toolTip="How much work the action takes.")
        for key in EFFORTS:
            self.effort.addItem(EFFORT_NAMES[key], key)
        self.duration = QSpinBox(minimum=1, maximum=100, suffix=" days",
                                 toolTip="Usual length; at most 100 days, one ladder step.")
        self.measure = _text_box("The customer outcome that shows the action has worked "
                                 "(not an activity such as meetings held).")
        self.unit = QLineEdit(placeholderText="e.g. %, days, people, cases per month",
                              toolTip="The unit of the measure, baseline and target.")
        self.baseline = QLineEdit(placeholderText="empty = measure it in the first two weeks",
                                  toolTip="Where the measure starts, when known (e.g. 0 for "
                                          "something that does not exist yet).")
        self.target = QLineEdit(placeholderText="empty = to agree with the client",
                                toolTip="The value to reach by the due date.")
        self.data_source = QLineEdit(toolTip="Where the measure is read from, e.g. the case "
                                             "log of the service desk.")
        self.evidence = _text_box("What someone could see once the action has worked.")
        self.depends_on = QLineEdit(placeholderText="e.g. S1-COM-1, S1-INF-1",
                                    toolTip="Ids of actions to finish first, separated by "
                                            "commas; none of them may be of a later step.")
        # mnemonics are unique across the form and the window's buttons
        rows = [("&Id", self.id), ("&Title", self.title), ("&Purpose", self.purpose),
                ("&Kind", self.kind), ("St&ep", self.step), ("Applies t&o", self.items),
                ("O&wner role", self.owner_role), ("E&ffort", self.effort),
                ("Du&ration", self.duration), ("&Measure", self.measure),
                ("Unit", self.unit), ("Baseline", self.baseline), ("Tar&get", self.target),
                ("Dat&a source", self.data_source), ("E&vidence", self.evidence),
                ("Depends o&n", self.depends_on)]
        for text, widget in rows:
            form.addRow(text, widget)
        self._form = form
        self.items.checked.connect(self._follow_cell_step)

    def editors(self) -> list[QWidget]:
        return [self.id, self.title, self.purpose, self.kind, self.step, self.items,
                self.owner_role, self.effort, self.duration, self.measure, self.unit,
                self.baseline, self.target, self.data_source, self.evidence, self.depends_on]

    def _follow_cell_step(self, ref: str) -> None:
        """Ticking a ladder cell moves the action to that cell's step."""
        step = cell_step(ref)
        if step is not None:
            self.step.setCurrentIndex(self.step.findData(step))

    def set_action(self, action: ActionTemplate) -> None:
        self.id.setText(action.id)
        self.title.setText(action.title)
        self.purpose.setPlainText(action.purpose)
        self.kind.setCurrentIndex(self.kind.findData(action.kind))
        self.step.setCurrentIndex(self.step.findData(action.step))
        self.items.set_refs(action.applies_to)
        self.owner_role.setText(action.owner_role)
        self.effort.setCurrentIndex(self.effort.findData(action.effort))
        self.duration.setValue(action.duration_days)
        self.measure.setPlainText(action.measure)
        self.unit.setText(action.unit)
        self.baseline.setText(_number_text(action.baseline))
        self.target.setText(_number_text(action.target))
        self.data_source.setText(action.data_source)
        self.evidence.setPlainText(action.evidence)
        self.depends_on.setText(", ".join(action.depends_on))
        for line in (self.title, self.owner_role, self.data_source):
            line.setCursorPosition(0)  # long texts show their beginning

    def fields(self) -> dict[str, Any]:
        """The form as the library's plain shape (numbers as typed; validation reads them)."""
        return {
            "id": self.id.text(), "title": self.title.text(),
            "purpose": self.purpose.toPlainText(), "kind": self.kind.currentData(),
            "step": self.step.currentData(), "applies_to": self.items.refs(),
            "owner_role": self.owner_role.text(), "effort": self.effort.currentData(),
            "duration_days": self.duration.value(), "measure": self.measure.toPlainText(),
            "unit": self.unit.text(), "baseline": self.baseline.text().strip() or None,
            "target": self.target.text().strip() or None,
            "data_source": self.data_source.text(), "evidence": self.evidence.toPlainText(),
            "depends_on": [d.strip() for d in self.depends_on.text().split(",") if d.strip()],
        }

    def connect_changed(self, slot) -> None:
        for widget in self.editors():
            signal = (widget.changed if isinstance(widget, ItemPicker)
                      else widget.currentIndexChanged if isinstance(widget, QComboBox)
                      else widget.valueChanged if isinstance(widget, QSpinBox)
                      else widget.textChanged)
            signal.connect(slot)


class LibraryDialog(QDialog):
    """Non-modal window over the open project's action library."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(dialog_parent(context, parent))
        if context.session is None:
            raise RuntimeError("the action library needs an open project")
        self.context = context
        self.session = context.session
        self.library: ActionLibrary | None = None
        self.selected_id: str | None = None
        self._filling = False
        self.setWindowTitle("Action library")
        self.resize(1280, 760)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        self.source = label("", "subtitle", wrap=True)
        self.coverage = label("", "hint", wrap=True)
        layout.addWidget(self.source)
        layout.addWidget(self.coverage)

        self.table = RecordTable(
            "Actions", "Proposals for this engagement's gaps come from these actions. Select "
            "one to edit it on the right; type in the filter to find actions.", COLUMNS)
        self.table.layout().setContentsMargins(0, 0, SPACING, 0)
        self.table.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.form = ActionForm()
        self.form.connect_changed(self._form_changed)
        self.save_button = QPushButton("&Save action", default=True,
                                       toolTip="Store the changes to this action (undoable).")
        self.revert_button = QPushButton("Revert", toolTip="Discard unsaved changes.")
        self.save_button.clicked.connect(self.save_action)
        self.revert_button.clicked.connect(self._fill_form)
        form_buttons = QHBoxLayout()
        form_buttons.setContentsMargins(SPACING, 0, SPACING, 0)
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.revert_button)
        form_buttons.addWidget(self.save_button)
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.setSpacing(SPACING)
        form_layout.addWidget(label("Selected action", "title"))
        form_layout.addWidget(self.form)
        form_layout.addLayout(form_buttons)
        form_layout.addStretch(1)
        scroll = QScrollArea(widgetResizable=True, frameShape=QScrollArea.NoFrame)
        scroll.setWidget(form_page)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 480])
        layout.addWidget(splitter, 1)

        self.add_button = self._button("Add a&ction", self.add_action,
                                       "A new action serving the same items as the selected one.")
        self.duplicate_button = self._button("D&uplicate", self.duplicate_action,
                                             "Copy the selected action under a new id.")
        self.delete_button = self._button("&Delete", self.delete_action,
                                          "Remove the selected action (Ctrl+Z brings it back).")
        self.export_button = self._button("E&xport to XLSX…", self.export_xlsx,
                                          "Write the library to a workbook to edit in Excel.")
        self.import_button = self._button("Import from X&LSX…", self.import_xlsx,
                                          "Replace the library with an edited workbook; "
                                          "nothing changes if it has errors.")
        self.reset_button = self._button("Reset to &built-in", self.reset,
                                         "Use the library shipped with the app again.")
        close_button = self._button("Close", self.close, "")
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        for widget in (self.add_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        for widget in (self.export_button, self.import_button, self.reset_button,
                       close_button):
            buttons.addWidget(widget)
        layout.addLayout(buttons)
        self.status = label("", "hint", wrap=True)
        layout.addWidget(self.status)

        for text, keys, slot in (("Undo", QKeySequence.Undo, self.undo),
                                 ("Redo", [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")],
                                  self.redo)):
            action = QAction(text, self)
            action.setShortcuts(keys) if isinstance(keys, list) else action.setShortcut(keys)
            action.triggered.connect(slot)
            self.addAction(action)
        find = QAction("Find", self, shortcut=QKeySequence.Find)
        find.triggered.connect(lambda: self.table.filter.setFocus())
        self.addAction(find)
        self.session.project_changed.connect(self._project_changed)
        # a bound method, so the connection ends with the dialog (a lambda outlived it)
        context.tasks.writing_changed.connect(self._update_buttons)
        self.reload()

    def _button(self, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text, toolTip=tip, autoDefault=False)
        button.clicked.connect(slot)
        return button

    @property
    def project(self):
        return self.session.project

    # -- showing the library --------------------------------------------------------------

    def _project_changed(self, tables: frozenset[str] | None) -> None:
        if tables is None or "setting" in tables:
            self.reload()

    def reload(self) -> None:
        """Read the project's library again and keep the selected action selected."""
        try:
            self.library = lib.project_library(self.project)
        except WorkbenchError as error:
            self.library = None
            self.source.setText(problems_text(error) + "\nUse “Reset to built-in” or import a "
                                "corrected workbook.")
            self.table.set_records([])
            self._update_buttons()
            return
        own = lib.has_own_library(self.project)
        self.source.setText(
            f"This engagement uses its own edited library of "
            f"{count(len(self.library.actions), 'action')}; it is saved in the project file."
            if own else
            f"This engagement uses the built-in library "
            f"({count(len(self.library.actions), 'action')}). "
            "Your first change makes an own copy for this engagement.")
        self._show_coverage()
        self.table.set_records(self.library.actions)
        for column in range(len(COLUMNS)):
            width = self.table.view.columnWidth(column)
            self.table.view.setColumnWidth(column, min(width, MAX_COLUMN_WIDTH))
        ids = [a.id for a in self.library.actions]
        self.select(self.selected_id if self.selected_id in ids else (ids[0] if ids else None))
        self._update_buttons()

    def _show_coverage(self) -> None:
        """What still needs attention: items without enough actions, targets to agree."""
        coverage = coverage_problems(self.library)
        quality = quality_problems(self.library)
        if not coverage and not quality:
            self.coverage.setText("Every assessed item has enough actions, and every action "
                                  "has a target and a data source.")
            self.coverage.setToolTip("")
            return
        parts = []
        if coverage:
            shown = "; ".join(p.message for p in coverage[:2])
            more = f"; and {len(coverage) - 2} more" if len(coverage) > 2 else ""
            parts.append(f"{count(len(coverage), 'item needs', 'items need')} attention: "
                         f"{shown}{more}")
        if quality:
            actions = len({p.row for p in quality})
            parts.append(f"{count(actions, 'action has', 'actions have')} a target, data "
                         "source or questionnaire to check")
        self.coverage.setText("⚠ " + ". ".join(parts) + " (hover to see all).")
        self.coverage.setToolTip(
            "Proposals work best with 2 to 4 actions per ladder cell and 1 to 3 per other "
            "item, each with a target and a data source agreed with the client:\n"
            + "\n".join(p.message for p in [*coverage, *quality][:60])
            + (f"\n… and {len(coverage) + len(quality) - 60} more."
               if len(coverage) + len(quality) > 60 else ""))

    def select(self, action_id: str | None) -> None:
        """Select the action ``action_id`` in the table and show it in the form."""
        self.selected_id = action_id
        view, model, proxy = self.table.view, self.table.model, self.table.proxy
        for row, action in enumerate(model.records):
            if action.id == action_id:
                index = proxy.mapFromSource(model.index(row, 0))
                if index.isValid():
                    view.selectionModel().setCurrentIndex(
                        index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
                    view.scrollTo(index)
                break
        self._fill_form()

    def _row_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        action = self.table.model.records[self.table.proxy.mapToSource(current).row()]
        if action.id != self.selected_id:
            self.selected_id = action.id
            self._fill_form()

    def selected(self) -> ActionTemplate | None:
        if self.library is None or self.selected_id is None:
            return None
        try:
            return self.library.by_id(self.selected_id)
        except KeyError:
            return None

    def _fill_form(self) -> None:
        action = self.selected()
        self._filling = True
        if action is not None:
            self.form.set_action(action)
        self._filling = False
        self.form.setEnabled(action is not None)
        self._set_dirty(False)

    def _form_changed(self, *_args) -> None:
        if not self._filling:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty and not self.context.busy_writing)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.status.setText("Unsaved changes to this action: Save action stores them.")

    def _update_buttons(self) -> None:
        """Enable what applies to the selection; edits wait while a background task writes."""
        editable = not self.context.busy_writing
        has = self.selected() is not None
        for button in (self.duplicate_button, self.delete_button):
            button.setEnabled(has and editable)
        self.add_button.setEnabled(self.library is not None and editable)
        self.export_button.setEnabled(self.library is not None)
        self.import_button.setEnabled(editable)
        self.reset_button.setEnabled(lib.has_own_library(self.project) and editable)
        self.save_button.setEnabled(getattr(self, "_dirty", False) and editable)

    # -- changing it ------------------------------------------------------------------------

    def _change(self, func, *args, select: str | None = None) -> bool:
        """Run a library change, then select ``select``; errors are shown, never raised."""
        before = self.selected_id
        if select is not None:
            self.selected_id = select  # the change reloads the table and keeps this selected
        try:
            _located(func)(*args)
        except WorkbenchError as error:
            self.selected_id = before
            self.context.show_error(str(error))
            return False
        return True

    def save_action(self) -> None:
        if self.selected_id is None:
            return
        try:
            action = _located(lib.make_action)(self.form.fields())
        except WorkbenchError as error:
            self.context.show_error(str(error))
            return
        if self._change(lib.update_action, self.project, self.selected_id, action,
                        select=action.id):
            self.status.setText(f"Saved {action.id}. Ctrl+Z undoes the change.")

    def add_action(self) -> None:
        if self.library is None:
            return
        action = lib.blank_action(self.library, self.selected())
        if self._change(lib.add_action, self.project, action, select=action.id):
            self.status.setText(f"Added {action.id}: give it a title and details, then save.")
            self.form.title.setFocus()
            self.form.title.selectAll()

    def duplicate_action(self) -> None:
        if self.library is None or self.selected_id is None:
            return
        new_id = lib.unused_id(self.library, self.selected_id)
        if self._change(lib.duplicate_action, self.project, self.selected_id, select=new_id):
            self.status.setText(f"Copied {self.library.by_id(new_id).title!r} to {new_id}.")

    def delete_action(self) -> None:
        action = self.selected()
        if action is None or self.library is None:
            return
        needed_by = lib.dependents(self.library, action.id)
        ids = [a.id for a in self.library.actions]
        at = ids.index(action.id)
        neighbour = (ids[at + 1:] or ids[:at][-1:] or [None])[0]
        if self._change(lib.remove_action, self.project, action.id, select=neighbour):
            verb = "depends" if len(needed_by) == 1 else "depend"
            after = f" {', '.join(needed_by)} no longer {verb} on it." if needed_by else ""
            self.status.setText(f"Deleted {action.id}.{after} Ctrl+Z brings it back.")

    def reset(self) -> None:
        if self._change(lib.reset_project_library, self.project):
            self.status.setText("Back to the built-in library. Ctrl+Z restores your edits.")

    def undo(self) -> None:
        if label_ := self.session.undo():
            self.status.setText(f"Undone: {label_}")

    def redo(self) -> None:
        if label_ := self.session.redo():
            self.status.setText(f"Redone: {label_}")

    # -- workbooks ------------------------------------------------------------------------

    def export_xlsx(self, path: str | Path | None = None) -> Task | None:
        """Write the library to ``path`` (asks for it when not given) in a background task."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export action library",
                                                  "action library.xlsx", XLSX_FILTER)
            if not path:
                return None
        path = Path(path) if str(path).lower().endswith(".xlsx") else Path(f"{path}.xlsx")
        return self._run(f"Exporting the action library to {path.name}…",
                         lambda _p: lib.export_project_library_xlsx(self.project, path),
                         f"Exported the library to {path}.", key="export")

    def import_xlsx(self, path: str | Path | None = None) -> Task | None:
        """Replace the library with an edited workbook, read and checked in a background task."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import action library", "",
                                                  XLSX_FILTER)
            if not path:
                return None
        path = Path(path)
        return self._run(f"Importing the action library from {path.name}…",
                         lambda _p: _located(lib.import_project_library_xlsx)(self.project, path),
                         f"Imported the library from {path.name}. Ctrl+Z undoes the import.",
                         key="import", writes=True)

    def _run(self, title: str, work, done_message: str, *, key: str,
             writes: bool = False) -> Task:
        self.status.setText(title)
        return self.context.tasks.run_task(
            ("library", id(self), key), title, work,
            lambda _result: self.status.setText(done_message), writes=writes, owner=self)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.WindowActivate and self.context.session is not self.session:
            self.close()
        return super().event(event)


def show_library_dialog(context: AppContext,
                        parent: QWidget | None = None) -> LibraryDialog | None:
    """Open (or bring forward) the library window for the context's open project."""
    if context.session is None:
        return None
    parent = dialog_parent(context, parent)
    for dialog in parent.findChildren(LibraryDialog) if parent is not None else []:
        if dialog.session is context.session and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog.deleteLater()
    dialog = LibraryDialog(context, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    dialog.activateWindow()
    return dialog
