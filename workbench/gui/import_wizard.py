"""The import wizard: file → preview → columns → (relation) → check → import, plus the
network export.

Ties and network files go through a relation page: the relation is chosen from
:data:`~workbench.core.network.relations.CHOICES`, with what it enables shown under the list,
preselected from the file's relation column or name and never blank, so no tie comes in
without one.

Reading and saving run as background tasks (``AppContext.tasks.run_task``), so the window
stays responsive and Cancel works; a cancelled or failed import leaves the project unchanged (see
:func:`workbench.core.importing.apply_import`). The wizard is a non-modal dialog. The main window
puts the actions that open it in its File menu.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core import importing
from workbench.core.errors import Problem
from workbench.core.network.formats_base import sniff_network_file
from workbench.core.network.mapping import FIELDS, REQUIRED, ColumnMapping, guess_mapping
from workbench.core.network.relations import (
    CHOICES,
    describe,
    guess_relation,
    relation_key,
    relation_label,
)
from workbench.core.network.tabular import Preview, ReadOptions, preview
from workbench.core.wording import count
from workbench.gui.context import dialog_parent
from workbench.gui.formatting import use_short_dates
from workbench.gui.style import SPACING
from workbench.gui.widgets import label
from workbench.gui.workers import Task

if TYPE_CHECKING:
    from workbench.gui.context import AppContext

KINDS = {"people": "Import people", "ties": "Import ties", "network": "Import network file"}
NETWORK_FORMATS = {"dl": "UCINET DL", "pajek": "Pajek", "xml": "GraphML or GEXF"}
FILTERS = {
    "people": "Tables (*.csv *.txt *.xlsx *.xlsm);;All files (*)",
    "ties": "Ties (*.csv *.txt *.xlsx *.xlsm *.graphml *.gexf *.net *.paj *.dl *.dat);;"
            "All files (*)",
    "network": "Network files (*.graphml *.gexf *.net *.paj *.dl *.dat *.txt);;All files (*)",
}
ENCODINGS = ["Detect", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "cp1250", "mac-roman"]
DELIMITERS = {"Detect": None, "Comma ,": ",", "Semicolon ;": ";", "Tab": "\t", "Bar |": "|"}
NOT_IN_FILE = "— not in the file —"
FIELD_HELP = {
    "id": "A unique code per person (employee number); ties and managers refer to it.",
    "manager_id": "The id of each person's line manager; builds the reporting lines.",
    "customer_facing": "yes/no: does the person deal with customers directly?",
    "source": "Who gives the tie (the person answering, the sender).",
    "target": "Who receives the tie (the person named, the recipient).",
    "weight": "How strong or frequent the tie is; blank counts as 1.",
    "type": "The relation of each tie (advice, customer insight…); one network is made per "
            "relation. Blank cells take the relation chosen on the next page.",
}
SHOWN_PER_KIND = 200


class ProblemsView(QTreeWidget):
    """Problems grouped by kind with a count per kind; each names file, row and column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Problem", "Where"])
        self.setAlternatingRowColors(True)
        self.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.clear()
        groups: dict[tuple[str, str], list[Problem]] = {}
        for problem in problems:
            groups.setdefault((problem.severity, problem.kind), []).append(problem)
        for (severity, kind), items in sorted(groups.items()):
            effect = "rows left out" if severity == "error" else "imported with a note"
            top = QTreeWidgetItem([f"{kind.replace('_', ' ')} — {len(items)} ({effect})", ""])
            top.setToolTip(0, f"{count(len(items), 'problem')} of this kind; {effect}.")
            for problem in items[:SHOWN_PER_KIND]:
                child = QTreeWidgetItem([problem.message, problem.where()])
                child.setToolTip(0, str(problem))
                top.addChild(child)
            self.addTopLevelItem(top)
        if self.topLevelItemCount() <= 3:
            self.expandAll()


class ImportWizard(QDialog):
    """Bring a people list, a ties file or a network file into the open project."""

    def __init__(self, context: AppContext, kind: str = "people",
                 path: str | Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(dialog_parent(context, parent))
        self.context = context
        self.kind = kind
        self.setWindowTitle(KINDS[kind])
        self.setModal(False)
        self.resize(880, 600)
        self.path: Path | None = None
        self.network_format: str | None = None  # "dl", "pajek", "xml"; None for a table
        self.preview: Preview | None = None
        self.plan: importing.ImportPlan | None = None
        self.task: Task | None = None

        self.pages = QStackedWidget()
        self.file_page = self._build_file_page()
        self.preview_page = self._build_preview_page()
        self.columns_page = self._build_columns_page()
        self.relation_page = self._build_relation_page()
        self.check_page = self._build_check_page()
        for page in (self.file_page, self.preview_page, self.columns_page, self.relation_page,
                     self.check_page):
            self.pages.addWidget(page)
        self._relation_guessed_for: tuple | None = None  # the file and column last guessed from

        self.status = label("", "hint", wrap=True)
        self.back_button = QPushButton("< &Back")
        self.next_button = QPushButton("&Next >")
        self.import_button = QPushButton("&Import")
        self.import_button.setProperty("role", "primary")
        self.cancel_button = QPushButton("Cancel")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addWidget(self.status, 1)
        for button in (self.back_button, self.next_button, self.import_button,
                       self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._show(self.file_page)
        if path is not None:
            self.file_edit.setText(str(path))
        # a closed wizard may linger in a reference cycle: let its (large) import go at once
        self.finished.connect(self._forget)

    def _forget(self) -> None:
        self.preview = self.plan = None

    # -- pages -------------------------------------------------------------------------------

    def _page(self, title: str, text: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(label(title, "title"))
        if text:
            layout.addWidget(label(text, "subtitle", wrap=True))
        return page, layout

    def _file_intro(self) -> str:
        """What the file page says the file should hold."""
        return {
            "people": "A CSV or Excel file with one row per person: an id, and any of name, "
                      "email, department, role, manager, location, customer-facing, segment. "
                      "Importing again updates the roster by id.",
            "ties": "A list of ties (who → whom, optional weight and relation), a matrix with "
                    "people as rows and columns, or a network file.",
            "network": "A GraphML, GEXF, Pajek (.net/.paj) or UCINET DL file (also when saved "
                       "as .dat or .txt). Without a roster its nodes become the people.",
        }[self.kind]

    def _build_file_page(self) -> QWidget:
        page, layout = self._page("Choose the file", self._file_intro())
        row = QHBoxLayout()
        self.file_edit = QLineEdit(placeholderText="File to import")
        self.file_edit.returnPressed.connect(self.next)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _build_preview_page(self) -> QWidget:
        page, layout = self._page("Check how the file reads",
                                  "The first rows as they will be read. If names look garbled or "
                                  "everything is in one column, change the choices below.")
        form = QHBoxLayout()
        form.setSpacing(SPACING)
        self.encoding_box = QComboBox(editable=True)
        self.encoding_box.addItems(ENCODINGS)
        self.delimiter_box = QComboBox()
        self.delimiter_box.addItems(list(DELIMITERS))
        self.sheet_box = QComboBox()
        self.header_spin = QSpinBox(minimum=0, maximum=1000, specialValueText="Detect")
        self.header_spin.setToolTip("The row holding the column names (Detect = first "
                                    "non-empty row).")
        for text, widget in (("&Encoding", self.encoding_box), ("&Separator", self.delimiter_box),
                             ("S&heet", self.sheet_box), ("Header &row", self.header_spin)):
            caption = label(text)
            caption.setBuddy(widget)
            form.addWidget(caption)
            form.addWidget(widget)
        form.addStretch(1)
        layout.addLayout(form)
        self.encoding_box.currentTextChanged.connect(self._reload_preview)
        self.delimiter_box.currentIndexChanged.connect(self._reload_preview)
        self.sheet_box.currentIndexChanged.connect(self._reload_preview)
        self.header_spin.valueChanged.connect(self._reload_preview)
        self.preview_table = QTableWidget()
        self.preview_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.preview_table.setAlternatingRowColors(True)
        layout.addWidget(self.preview_table, 1)
        self.detected = label("", "hint", wrap=True)
        layout.addWidget(self.detected)
        return page

    def _build_columns_page(self) -> QWidget:
        page, layout = self._page("Match the columns",
                                  "Say which column holds each piece of information. Guesses and "
                                  "the choices of your last import are filled in; columns not "
                                  "matched to a field are kept as extra attributes.")
        self.field_form = QFormLayout()
        self.field_form.setSpacing(SPACING)
        self.field_boxes: dict[str, QComboBox] = {}
        kind = "people" if self.kind == "people" else "ties"
        for name in FIELDS[kind]:
            box = QComboBox()
            box.setToolTip(FIELD_HELP.get(name, f"The column holding each {name}."))
            box.currentIndexChanged.connect(lambda _i: self.status.setText(""))
            required = " *" if name in REQUIRED[kind] else ""
            self.field_form.addRow(f"{name.replace('_', ' ').capitalize()}{required}", box)
            self.field_boxes[name] = box
        layout.addLayout(self.field_form)
        self.formal_box = QCheckBox("Also build the &reporting-lines network from the managers")
        self.formal_box.setVisible(self.kind == "people")
        layout.addWidget(self.formal_box)
        layout.addStretch(1)
        return page

    def _build_relation_page(self) -> QWidget:
        page, layout = self._page("Say what the ties are",
                                  "The relation decides which exercises use the new network: "
                                  "say vs show, customer champions and predict-then-reveal each "
                                  "read particular relations.")
        self.relation_box = QComboBox()
        self.relation_box.setAccessibleName("Relation")
        for relation in CHOICES:
            self.relation_box.addItem(relation.label, relation.key)
            self.relation_box.setItemData(self.relation_box.count() - 1, relation.enables,
                                          Qt.ToolTipRole)
        self.relation_help = label("", wrap=True)
        self.relation_source = label("", "hint", wrap=True)
        self.relation_box.currentIndexChanged.connect(self._relation_chosen)
        self.name_edit = QLineEdit(placeholderText="One network per relation")
        self.name_edit.setToolTip("Give a name to put all ties into one network.")
        self.date_edit = use_short_dates(QDateEdit(QDate.currentDate()))
        self.date_edit.setToolTip("When the ties were observed (survey date, data period).")
        caption = label("Re&lation", "section")
        caption.setBuddy(self.relation_box)
        self.relation_box.setMinimumWidth(320)
        choose = QHBoxLayout()
        choose.addWidget(self.relation_box)
        choose.addStretch(1)
        layout.addWidget(caption)
        layout.addLayout(choose)
        layout.addWidget(self.relation_help)
        layout.addWidget(self.relation_source)
        form = QFormLayout()
        form.setSpacing(SPACING)
        form.setContentsMargins(0, SPACING * 2, 0, 0)
        form.addRow("Network &name", self.name_edit)
        form.addRow("&Date", self.date_edit)
        layout.addLayout(form)
        layout.addStretch(1)
        self._relation_chosen()
        return page

    def _relation_chosen(self, *_args: Any) -> None:
        self.relation_help.setText(f"Enables: {describe(self.relation()).enables}")

    def relation(self) -> str:
        """The key of the relation chosen on the relation page."""
        return self.relation_box.currentData()

    def _build_check_page(self) -> QWidget:
        page, layout = self._page("Review before importing", "")
        self.summary = label("", "subtitle", wrap=True)
        layout.addWidget(self.summary)
        self.changes = QTreeWidget()
        self.changes.setHeaderLabels(["What changes", "Details"])
        self.changes.header().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        layout.addWidget(self.changes, 1)
        layout.addWidget(label("Problems", "section"))
        self.problems = ProblemsView()
        layout.addWidget(self.problems, 1)
        return page

    # -- navigation --------------------------------------------------------------------------

    def _show(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        first = page is self.file_page
        self.back_button.setEnabled(not first)
        self.next_button.setVisible(page is not self.check_page)
        self.import_button.setVisible(page is self.check_page)
        self.status.setText("")

    def back(self) -> None:
        current = self.pages.currentWidget()
        if current is self.check_page and self._has_relation_page():
            self._show(self.relation_page)
        elif current in (self.check_page, self.relation_page) and self._tabular():
            self._show(self.columns_page)
        elif current is self.columns_page:
            self._show(self.preview_page)
        else:
            self._show(self.file_page)

    def next(self) -> None:
        if self.busy:
            return
        current = self.pages.currentWidget()
        if current is self.file_page:
            self._choose_file()
        elif current is self.preview_page:
            self._fill_columns()
            self._show(self.columns_page)
        elif current is self.columns_page and self._has_relation_page():
            self._show_relation()
        elif current in (self.columns_page, self.relation_page):
            self.check()

    def _tabular(self) -> bool:
        return self.path is not None and self.network_format is None

    def _has_relation_page(self) -> bool:
        """Ties need their relation; a people table goes from its columns to the check."""
        return self.kind != "people"

    def _file_filter(self) -> str:
        return FILTERS[self.kind]

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.windowTitle(), "", self._file_filter())
        if path:
            self.file_edit.setText(path)

    def _choose_file(self) -> None:
        text = self.file_edit.text().strip()
        if not text or not Path(text).is_file():
            self.status.setText("Choose an existing file first.")
            return
        self.path = Path(text)
        self.network_format = sniff_network_file(self.path)  # by content: a .dat may be DL
        self.preview = None
        if not self._tabular():
            self._show_relation()
            return
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        self.sheet_box.blockSignals(False)
        self._reload_preview()

    # -- preview -----------------------------------------------------------------------------

    def read_options(self) -> ReadOptions:
        encoding = self.encoding_box.currentText().strip()
        sheet = self.sheet_box.currentText() or None
        return ReadOptions(
            encoding=None if encoding in ("", "Detect") else encoding,
            delimiter=DELIMITERS.get(self.delimiter_box.currentText()),
            sheet=sheet, header_row=self.header_spin.value() or None)

    def _reload_preview(self, *_args: Any) -> None:
        if self.path is None or not self._tabular():
            return
        path, options = self.path, self.read_options()
        self._run("Reading the first rows…", lambda _p: preview(path, 20, **dataclasses.asdict(options)),
                  self._show_preview)

    def _show_preview(self, result: Preview) -> None:
        self.preview = result
        table = self.preview_table
        table.clear()
        table.setColumnCount(len(result.columns))
        table.setRowCount(len(result.rows))
        table.setHorizontalHeaderLabels(result.columns)
        table.setVerticalHeaderLabels([str(number) for number, _ in result.rows])
        for r, (_number, cells) in enumerate(result.rows):
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        if result.sheet_names and self.sheet_box.count() == 0:
            self.sheet_box.blockSignals(True)
            self.sheet_box.addItems(result.sheet_names)
            self.sheet_box.setCurrentText(result.sheet or "")
            self.sheet_box.blockSignals(False)
        self.sheet_box.setEnabled(bool(result.sheet_names))
        self.encoding_box.setEnabled(not result.sheet_names)
        self.delimiter_box.setEnabled(not result.sheet_names)
        found = [count(len(result.columns), "column")]
        if result.encoding:
            found.append(f"encoding {result.encoding}")
        if result.delimiter:
            shown = {"\t": "tab"}.get(result.delimiter, result.delimiter)
            found.append(f"separator {shown!r}")
        if result.sheet:
            found.append(f"sheet {result.sheet!r}")
        self.detected.setText("Read with " + ", ".join(found) + ".")
        self._show(self.preview_page)

    # -- columns -----------------------------------------------------------------------------

    def _fill_columns(self) -> None:
        columns = self.preview.columns if self.preview else []
        kind = "people" if self.kind == "people" else "ties"
        saved = importing.saved_mapping(self._project(), kind)
        mapping = saved if importing.mapping_fits(saved, columns) else guess_mapping(columns,
                                                                                     kind)
        for name, box in self.field_boxes.items():
            box.clear()
            box.addItems([NOT_IN_FILE, *columns])
            box.setCurrentText(mapping.columns.get(name, NOT_IN_FILE))

    def mapping(self) -> ColumnMapping:
        kind = "people" if self.kind == "people" else "ties"
        chosen = {name: box.currentText() for name, box in self.field_boxes.items()
                  if box.currentText() not in ("", NOT_IN_FILE)}
        return ColumnMapping(kind, chosen)

    # -- relation ----------------------------------------------------------------------------

    def _show_relation(self) -> None:
        """The relation page, preselected from the relation column or the file name the first
        time this file (and column) reaches it; a choice made here is kept otherwise."""
        column = self.mapping().columns.get("type") if self._tabular() else None
        values: list[str] = []
        if column is not None and self.preview is not None and column in self.preview.columns:
            at = self.preview.columns.index(column)
            values = [cells[at] for _row, cells in self.preview.rows if at < len(cells)]
        if self._relation_guessed_for != (self.path, column):
            self._relation_guessed_for = (self.path, column)
            key = guess_relation(values, self.path.name if self.path else "")
            self.relation_box.setCurrentIndex(self.relation_box.findData(key))
        found = ", ".join(dict.fromkeys(relation_label(relation_key(v)).lower()
                                        for v in values if v.strip()))
        if column is not None:
            self.relation_source.setText(
                f"The column '{column}' gives each tie its relation"
                + (f" (the first rows: {found})" if found else "")
                + "; the relation chosen here is used where that column is blank.")
        elif self._tabular():
            self.relation_source.setText("The file has no relation column: every tie takes the "
                                         "relation chosen here.")
        else:
            kind = NETWORK_FORMATS.get(self.network_format or "", "network")
            self.relation_source.setText(f"Read as a {kind} file. Ties the file gives no "
                                         "relation take the one chosen here; relations named "
                                         "in the file are kept.")
        self._show(self.relation_page)
        self.relation_box.setFocus()

    # -- check and import --------------------------------------------------------------------

    def check(self) -> None:
        project = self._project()
        path = self.path
        if self.kind == "people":
            mapping = self.mapping()
            if mapping.missing_required():
                self.status.setText("Choose the column that holds each person's id.")
                return
            options, formal = self.read_options(), self.formal_box.isChecked()

            def work(progress):
                plan = importing.read_people_file(project, path, mapping, options, progress)
                if formal:
                    plan.networks.append(importing.formal_network(
                        importing.roster_after(project, plan)))
                return plan
        else:
            mapping = self.mapping() if self._tabular() else None
            if mapping is not None and mapping.missing_required():
                mapping = None  # no source/target chosen: read as a matrix
            name = self.name_edit.text().strip() or None
            relation = self.relation()
            options = self.read_options()

            def work(progress):
                return importing.read_ties_file(
                    project, path, name=name, relation=relation,
                    mapping=mapping, options=options, progress=progress)
        self._run(f"Checking {path.name}…", work, self._show_plan)

    def _show_plan(self, plan: importing.ImportPlan) -> None:
        self.plan = plan
        fill_plan_views(plan, self.summary, self.changes, self.problems)
        errors = len(plan.errors)
        self.import_button.setText("&Import valid part" if errors else "&Import")
        self.import_button.setToolTip(
            f"{count(errors, 'problem leaves', 'problems leave')} rows out; the other rows are "
            "imported." if errors
            else "Everything read will be imported.")
        self._show(self.check_page)

    def start_import(self) -> None:
        if self.plan is None or self.busy:
            return
        plan, project = self.plan, self._project()
        date = self.date_edit.date().toPython() if self.kind != "people" else None
        label_text = f"Import {self.path.name}"
        self._run(f"Importing {self.path.name}…",
                  lambda p: importing.apply_import(project, plan, accept_valid=True, date=date,
                                                   label=label_text, progress=p),
                  self._imported, writes=True)

    def _imported(self, summary: importing.ImportSummary) -> None:
        self.context.show_status(
            f"Imported {self.path.name}: {summary.describe()}. Ctrl+Z undoes it.", 10000)
        self.accept()

    # -- tasks -------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.task is not None

    def _project(self):
        session = self.context.session
        if session is None:
            raise RuntimeError("the import wizard needs an open project")
        return session.project

    def _run(self, title: str, func: Callable, on_done: Callable, *,
             writes: bool = False) -> None:
        """Run one step; a step started while another runs supersedes it."""
        self.status.setText(title)
        self.next_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.task = self.context.tasks.run_task(
            ("import-wizard", id(self)), title, func, on_done, writes=writes, owner=self,
            on_failed=lambda _message: self.status.setText(""),
            on_cancelled=lambda: self.status.setText("Cancelled; nothing was changed."),
            on_finished=self._step_finished)

    def _step_finished(self) -> None:
        self.task = None
        self.next_button.setEnabled(True)
        self.import_button.setEnabled(True)

    def cancel(self) -> None:
        """Cancel the running step, or close the wizard when nothing runs."""
        if self.task is not None:
            self.task.cancel()
        else:
            self.reject()


def fill_plan_views(plan: importing.ImportPlan, summary, changes: QTreeWidget,
                    problems: ProblemsView) -> None:
    """Show what an import plan will change (roster diff, networks) and its problems."""
    diff = plan.diff
    parts = []
    if plan.changes_people:
        parts.append(f"People: {len(diff.added)} to add, {len(diff.changed)} to change, "
                     f"{len(diff.removed)} to remove.")
    if plan.networks:
        parts.append("Networks: " + ", ".join(f"{n.name} ({count(len(n.ties), 'tie')})"
                                              for n in plan.networks) + ".")
    errors = len(plan.errors)
    warnings = len(plan.problems) - errors
    parts.append(f"{count(errors, 'problem leaves', 'problems leave')} rows out; "
                 f"{count(warnings, 'note')}." if plan.problems
                 else "No problems found.")
    summary.setText(" ".join(parts))
    changes.clear()
    groups = [("Added", [(p.id, p.name, "") for p in diff.added]),
              ("Changed", [(c.id, importing.describe_change(c), "") for c in diff.changed]),
              ("Removed", [(p.id, p.name, "") for p in diff.removed]),
              ("Kept (still in a network)", [(p.id, p.name, "") for p in plan.kept]),
              ("Networks", [(n.name, f"{count(len(n.ties), 'tie')}, relation "
                                     f"{relation_label(n.type).lower()}",
                             describe(n.type).enables) for n in plan.networks])]
    for title, rows in groups:
        if not rows:
            continue
        top = QTreeWidgetItem([f"{title} — {len(rows):,}", ""])
        for first, second, tip in rows[:SHOWN_PER_KIND]:
            child = QTreeWidgetItem([first, second])
            child.setToolTip(1, tip)
            top.addChild(child)
        changes.addTopLevelItem(top)
    if changes.topLevelItemCount() <= 2:
        changes.expandAll()
    problems.set_problems(plan.problems)


# --------------------------------------------------------------------------- network export


def export_network_dialog(context: AppContext, name: str | None = None,
                          path: str | Path | None = None,
                          parent: QWidget | None = None) -> Task | None:
    """Ask for a network and a GraphML/GEXF file name, then export in a task."""
    from workbench.core.exporting import export_network

    if context.session is None:
        return None
    parent = dialog_parent(context, parent)
    project = context.session.project
    names = [n.name for n in project.networks.list()]
    if not names:
        context.show_error("This engagement has no network yet; import ties first.")
        return None
    if name is None:
        name, ok = QInputDialog.getItem(parent, "Export network", "Network:", names, 0, False)
        if not ok:
            return None
    if path is None:
        path, _ = QFileDialog.getSaveFileName(parent, "Export network", f"{name}.graphml",
                                              "GraphML (*.graphml);;GEXF (*.gexf)")
        if not path:
            return None
    return context.tasks.run_task(
        ("export-network", str(path)), f"Exporting {name}…",
        lambda p: export_network(project, name, path, progress=p),
        lambda out: context.show_status(f"Wrote {out}", 8000))
