"""ONA survey: export roster-based answer workbooks; import the filled ones as networks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core import importing
from workbench.core.network.survey import export_survey_workbook
from workbench.core.wording import count
from workbench.gui.context import dialog_parent
from workbench.gui.formatting import use_short_dates
from workbench.gui.import_wizard import ProblemsView, fill_plan_views
from workbench.gui.style import SPACING
from workbench.gui.widgets import label
from workbench.gui.workers import Task

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.gui.context import AppContext

SURVEY_ID_KEY = "survey.last_id"


class _TaskDialog(QDialog):
    """A non-modal dialog whose main button runs one task at a time."""

    def __init__(self, context: AppContext, title: str, text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(dialog_parent(context, parent))
        self.context = context
        self.task: Task | None = None
        self.setWindowTitle(title)
        self.setModal(False)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        self.layout_.setSpacing(SPACING)
        self.layout_.addWidget(label(title, "title"))
        self.layout_.addWidget(label(text, "subtitle", wrap=True))
        self.status = label("", "hint", wrap=True)
        self.run_button = QPushButton()
        self.run_button.setProperty("role", "primary")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)

    def finish_layout(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        self.layout_.addLayout(row)

    @property
    def project(self) -> Project:
        if self.context.session is None:
            raise RuntimeError(f"{type(self).__name__} needs an open project")
        return self.context.session.project

    def run(self, title: str, func, on_done, *, writes: bool = False) -> None:
        self.status.setText(title)
        self.run_button.setEnabled(False)
        self.task = self.context.tasks.run_task(
            (type(self).__name__, id(self)), title, func, on_done, writes=writes, owner=self,
            on_cancelled=lambda: self.status.setText("Cancelled; nothing was changed."),
            on_finished=self._finished)

    def can_run(self) -> bool:
        return True

    def _finished(self) -> None:
        self.task = None
        self.run_button.setEnabled(self.can_run())
        if self.status.text().endswith("…"):
            self.status.setText("")

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
        else:
            self.reject()


def _path_row(edit: QLineEdit, browse) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    button = QPushButton("Browse…")
    button.clicked.connect(browse)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return box


class SurveyExportDialog(_TaskDialog):
    """Write one survey workbook per person into a folder, or one shared workbook."""

    def __init__(self, context: AppContext, target: str | Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, "Export survey workbooks",
                         "Each workbook lists the roster in drop-downs; people name the "
                         "colleagues they turn to and send the file back. Import the returned "
                         "files with “Import filled surveys”.", parent)
        self.per_person = QRadioButton("One workbook &per person (into a folder)")
        self.shared = QRadioButton("One &shared workbook (people pick their own name)")
        self.per_person.setChecked(True)
        self.target = QLineEdit(str(target) if target else "",
                                placeholderText="Folder, or file name for a shared workbook")
        self.max_names = QSpinBox(minimum=1, maximum=100, value=10)
        self.max_names.setToolTip("How many colleagues each person may name per question.")
        form = QFormLayout()
        form.addRow(self.per_person)
        form.addRow(self.shared)
        form.addRow("&Save to", _path_row(self.target, self._browse))
        form.addRow("&Names per question", self.max_names)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)
        self.run_button.setText("&Export")
        self.run_button.clicked.connect(self.export)
        self.finish_layout()
        self.resize(620, 320)

    def _browse(self) -> None:
        if self.shared.isChecked():
            path, _ = QFileDialog.getSaveFileName(self, "Shared survey workbook", "survey.xlsx",
                                                  "Excel workbook (*.xlsx)")
        else:
            path = QFileDialog.getExistingDirectory(self, "Folder for the survey workbooks")
        if path:
            self.target.setText(path)

    def export(self) -> None:
        target = self.target.text().strip()
        if not target:
            self.status.setText("Choose where to save the workbooks.")
            return
        project = self.project
        people, shared, cap = project.people.list(), self.shared.isChecked(), self.max_names.value()
        key = project.settings.signing_key()  # here, not in the worker thread
        self.run("Writing survey workbooks…", lambda p: export_survey_workbook(
            people, target, max_nominations=cap, shared=shared, protected=project.path,
            progress=p, key=key), self._exported)

    def _exported(self, export) -> None:
        self.project.settings.set(SURVEY_ID_KEY, export.survey_id, "Export survey workbooks")
        self.context.show_status(
            f"Wrote {count(len(export.paths), 'survey workbook')} to "
            f"{Path(export.paths[0]).parent}",
            10000)
        self.accept()


class SurveyImportDialog(_TaskDialog):
    """Read filled survey workbooks, show unknown names and duplicates, import as networks."""

    def __init__(self, context: AppContext, paths: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, "Import filled surveys",
                         "Choose the workbooks people sent back. Each question becomes a "
                         "network; names not on the roster and repeated answers are listed "
                         "below before anything is imported.", parent)
        self.paths: list[str] = list(paths or [])
        self.plan: importing.ImportPlan | None = None
        self.files = QLineEdit("; ".join(self.paths), readOnly=True,
                               placeholderText="No files chosen")
        self.date = use_short_dates(QDateEdit(QDate.currentDate()))
        self.date.setToolTip("When the survey ran; it is kept with each network.")
        form = QFormLayout()
        form.addRow("&Files", _path_row(self.files, self._browse))
        form.addRow("Survey &date", self.date)
        self.layout_.addLayout(form)
        self.summary = label("", "subtitle", wrap=True)
        self.changes = QTreeWidget()
        self.changes.setHeaderLabels(["What changes", "Details"])
        self.changes.header().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.problems = ProblemsView()
        for widget in (self.summary, self.changes, label("Problems", "section"), self.problems):
            self.layout_.addWidget(widget)
        self.run_button.setText("&Read files")
        self.run_button.clicked.connect(self.step)
        self.finish_layout()
        self.resize(820, 600)

    def _browse(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Filled survey workbooks", "",
                                                "Excel workbooks (*.xlsx)")
        if paths:
            self.set_paths(paths)

    def set_paths(self, paths: list[str]) -> None:
        self.paths = list(paths)
        self.files.setText("; ".join(Path(p).name for p in paths))
        self.plan = None
        self.run_button.setText("&Read files")

    def step(self) -> None:
        """Read the files first; once the report is shown, import the valid part."""
        if not self.paths:
            self.status.setText("Choose the returned workbooks first.")
            return
        project = self.project
        date = self.date.date().toPython()
        if self.plan is None:
            paths, survey_id = self.paths, project.settings.get(SURVEY_ID_KEY)
            self.run("Reading survey answers…", lambda p: importing.read_survey_files(
                project, paths, date, survey_id, p), self._show_plan)
            return
        plan = self.plan
        self.run("Importing survey networks…", lambda p: importing.apply_import(
            project, plan, accept_valid=True, date=date, label="Import survey answers",
            progress=p), self._imported, writes=True)

    def _show_plan(self, plan: importing.ImportPlan) -> None:
        self.plan = plan
        fill_plan_views(plan, self.summary, self.changes, self.problems)
        self.run_button.setText("&Import valid part" if plan.errors else "&Import")

    def can_run(self) -> bool:
        return self.plan is None or bool(self.plan.networks)

    def _imported(self, summary: importing.ImportSummary) -> None:
        self.context.show_status(
            f"Imported survey answers: {summary.describe()}. Ctrl+Z undoes it.", 10000)
        self.accept()
