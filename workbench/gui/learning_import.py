"""Importing an insight log or customer evidence: file → how it reads → which column holds
what → every problem located by row and column → import the valid part if the user agrees.

The steps are the import wizard's (:class:`~workbench.gui.import_wizard.ImportWizard`): reading,
checking and saving run as background tasks with Cancel (a cancelled or refused import changes
nothing); the readers and the single undoable write are
:mod:`workbench.core.learning.insights_import` and :mod:`~workbench.core.learning.evidence_import`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QWidget,
)

from workbench.core import importing
from workbench.core.network.mapping import FIELDS, REQUIRED, ColumnMapping, guess_mapping
from workbench.core.network.tabular import ReadOptions
from workbench.core.wording import count
from workbench.gui.import_wizard import NOT_IN_FILE, ImportWizard, ProblemsView
from workbench.gui.style import SPACING
from workbench.gui.widgets import label

if TYPE_CHECKING:
    from workbench.gui.context import AppContext

TITLES = {"insights": "Import insights", "evidence": "Import customer evidence"}
FILE_FILTER = "Tables (*.csv *.txt *.xlsx *.xlsm);;All files (*)"
INTRO = {
    "insights": "A CSV or Excel file with one row per insight: source, segment, summary, date "
                "received and who received it; any of who can act, action taken, date acted "
                "on, result, whether the customer was told and whether it passed a gatekeeper. "
                "A filled entry workbook reads the same way.",
    "evidence": "A CSV or Excel file with one row per segment and measure: segment, measure "
                "(satisfaction, effort, complaints unresolved, churn, silent customers) and "
                "value; unit, period, source and target when known. The import replaces the "
                "customer measures of the project.",
}
FIELD_NAMES = {"received_on": "Date received", "acted_on": "Date acted on",
               "can_act": "Who can act", "received_by": "Received by",
               "via_gatekeeper": "Via a gatekeeper", "kind": "Measure"}


def field_name(name: str) -> str:
    return FIELD_NAMES.get(name, name.replace("_", " ").capitalize())


class LearningImportDialog(ImportWizard):
    """The import wizard's reading steps (file, preview with encoding, separator and sheet,
    background tasks with Cancel) for an insight log (``kind`` "insights") or customer
    evidence ("evidence"), with the lab's columns, checks and single undoable write."""

    def __init__(self, context: AppContext, kind: str, path: str | Path | None = None,
                 parent: QWidget | None = None) -> None:
        self.lab_kind = kind  # the pages built during the wizard's set-up read it
        self.result: Any = None  # the checked file (InsightsImport / EvidenceImport)
        # the wizard is set up as for a people table (a tabular file, no relation page), then
        # takes the lab's kind, which only the methods below read
        super().__init__(context, "people", path, parent)
        self.kind = kind
        self.setWindowTitle(TITLES[kind])
        self.resize(900, 620)

    # -- pages -------------------------------------------------------------------------------

    def _file_intro(self) -> str:
        return INTRO[self.lab_kind]

    def _build_columns_page(self) -> QWidget:
        page, layout = self._page("Match the columns",
                                  "Say which column holds each field (* required). Guesses and "
                                  "the choices of your last import are filled in.")
        self.field_form = QFormLayout()
        self.field_form.setSpacing(SPACING)
        self.field_boxes: dict[str, QComboBox] = {}
        for name in FIELDS[self.lab_kind]:
            box = QComboBox()
            box.setAccessibleName(field_name(name))
            box.currentIndexChanged.connect(lambda _i: self.status.setText(""))
            required = " *" if name in REQUIRED[self.lab_kind] else ""
            self.field_form.addRow(f"{field_name(name)}{required}", box)
            self.field_boxes[name] = box
        layout.addLayout(self.field_form)
        layout.addStretch(1)
        return page

    def _build_check_page(self) -> QWidget:
        page, layout = self._page("Review before importing", "")
        self.summary = label("", "subtitle", wrap=True)
        layout.addWidget(self.summary)
        layout.addWidget(label("Problems", "section"))
        self.problems = ProblemsView()
        self.problems.setAccessibleName("Problems")
        layout.addWidget(self.problems, 1)
        self.replace_box = QCheckBox("&Replace the whole log with this file")
        self.replace_box.setToolTip("Off: the file's insights are added to the log; the same "
                                    "insight read twice is skipped.")
        self.replace_box.setVisible(self.lab_kind == "insights")
        layout.addWidget(self.replace_box)
        return page

    # -- navigation --------------------------------------------------------------------------

    def _has_relation_page(self) -> bool:
        return False

    def _file_filter(self) -> str:
        return FILE_FILTER

    # -- columns -----------------------------------------------------------------------------

    def _fill_columns(self) -> None:
        columns = self.preview.columns if self.preview else []
        saved = importing.saved_mapping(self._project(), self.kind)
        mapping = saved if importing.mapping_fits(saved, columns) else \
            guess_mapping(columns, self.kind)
        for name, box in self.field_boxes.items():
            box.clear()
            box.addItems([NOT_IN_FILE, *columns])
            box.setCurrentText(mapping.columns.get(name, NOT_IN_FILE))

    def mapping(self) -> ColumnMapping:
        return ColumnMapping(self.kind, {
            name: box.currentText() for name, box in self.field_boxes.items()
            if box.currentText() not in ("", NOT_IN_FILE)})

    # -- check and import --------------------------------------------------------------------

    def check(self) -> None:
        """Read the whole file and show what it gives: with the columns matched on the columns
        page, or from the file page (a filled entry workbook) with the sheet and columns the
        reader finds itself."""
        mapping: ColumnMapping | None = None
        options: ReadOptions | None = None
        if self.pages.currentWidget() is self.columns_page:
            mapping = self.mapping()
            missing = [field_name(n) for n in mapping.missing_required()]
            if missing:
                self.status.setText(f"Choose the column that holds: {', '.join(missing)}.")
                return
            options = self.read_options()
        else:
            text = self.file_edit.text().strip()
            if not text or not Path(text).is_file():
                self.status.setText("Choose an existing file first.")
                return
            self.path = Path(text)
        project, path = self._project(), self.path
        if self.kind == "insights":
            from workbench.core.learning.insights_import import read_insights_file

            def work(progress):
                return read_insights_file(project, path, mapping, options, progress)
        else:
            from workbench.core.learning.evidence_import import read_evidence_file

            def work(_progress):
                return read_evidence_file(project, path, mapping, options)
        self._run(f"Checking {path.name}…", work, self._show_result)

    def _show_result(self, result: Any) -> None:
        self.result = result
        errors, records = len(result.errors), len(result.records)
        notes = len(result.problems) - errors
        noun = "insight" if self.kind == "insights" else "measure"
        parts = [f"{count(records, noun)} can be imported."]
        if errors:
            parts.append(f"{count(errors, 'problem leaves', 'problems leave')} rows out: "
                         "importing brings in only the rows without errors.")
        if notes:
            parts.append(f"{count(notes, 'note')} on rows that are imported as they are.")
        if not result.problems:
            parts.append("No problems found.")
        if self.kind == "evidence":
            parts.append("The measures replace the ones the project holds now.")
        self.summary.setText(" ".join(parts))
        self.problems.set_problems(result.problems)
        self.import_button.setText("&Import valid part" if errors else "&Import")
        self.import_button.setToolTip(
            "Leave the rows with errors out and import the others; Ctrl+Z undoes it."
            if errors else "Import everything read; Ctrl+Z undoes it.")
        self._show(self.check_page)

    def start_import(self) -> None:
        if self.result is None or self.busy or not self.result.records:
            return
        project, result, path = self._project(), self.result, self.path
        if self.kind == "insights":
            from workbench.core.learning.insights_import import apply_insights

            replace = self.replace_box.isChecked()

            def work(_progress):
                return apply_insights(project, result, accept_valid=True, replace=replace,
                                      file=path)
        else:
            from workbench.core.learning.evidence_import import apply_evidence

            def work(_progress):
                return apply_evidence(project, result, accept_valid=True, file=path)
        self._run(f"Importing {path.name}…", work, self._imported, writes=True)

    def _imported(self, summary: Any) -> None:
        self.context.show_status(
            f"Imported {self.path.name}: {summary.describe()}. Ctrl+Z undoes it.", 10000)
        self.accept()
