"""Dialogs of the Questionnaires panel: new round, add respondent, import preview, compare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person
from workbench.core.questionnaire import TemplateError, builtin_templates, format_problems
from workbench.core.questionnaire import rounds as R
from workbench.core.questionnaire.schema import Template
from workbench.core.questionnaire.xlsform import FormWarning
from workbench.core.wording import count
from workbench.gui.figure_view import FigureView
from workbench.gui.formatting import date_edit, short_date
from workbench.gui.models import Column, attr
from workbench.gui.panels.tables import RecordTable
from workbench.gui.style import SPACING
from workbench.gui.widgets import label

TEMPLATE_FILTER = "Questionnaire templates (*.yaml *.yml *.xlsx);;All files (*)"


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _form_page(dialog: QDialog, title: str, hint: str) -> QVBoxLayout:
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
    layout.setSpacing(SPACING)
    layout.addWidget(label(title, "section"))
    layout.addWidget(label(hint, "hint", wrap=True))
    return layout


class NewRoundDialog(QDialog):
    """Pick a built-in questionnaire or load a YAML/XLSX template, name the round."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New assessment round")
        self.resize(560, 460)
        layout = _form_page(self, "Which questionnaire?",
                            "Choose a built-in questionnaire, or load your own template "
                            "(YAML, or an XLSForm workbook from KoboToolbox, ODK, SurveyCTO or "
                            "‘Export template to XLSX’).")
        self.choices = QListWidget()
        for template in builtin_templates():
            self._add_choice(template)
        self.choices.setCurrentRow(0)
        self.choices.currentRowChanged.connect(self._suggest_name)
        layout.addWidget(self.choices, 1)
        self.load_button = QPushButton("&Load template file…")
        self.load_button.clicked.connect(lambda: self.load_file())
        layout.addWidget(self.load_button, 0, Qt.AlignLeft)
        self.errors = QPlainTextEdit(readOnly=True)
        self.errors.setProperty("role", "error")
        self.errors.setMaximumHeight(120)
        self.errors.hide()
        layout.addWidget(self.errors)
        self.warnings = QPlainTextEdit(readOnly=True)  # what a loaded XLSForm lost on the way
        self.warnings.setMaximumHeight(140)
        self.warnings.hide()
        layout.addWidget(self.warnings)
        form = QFormLayout()
        form.setSpacing(SPACING)
        self.name = QLineEdit()
        self.date = date_edit()
        form.addRow("Round &name", self.name)
        form.addRow("&Date", self.date)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Start round"))
        self._suggest_name()

    def _add_choice(self, template: Template) -> QListWidgetItem:
        questions = len(template.questions())
        item = QListWidgetItem(f"{template.title}  ·  version {template.version}  ·  "
                               f"{count(questions, 'question')}")
        item.setData(Qt.UserRole, template)
        item.setToolTip(template.description or template.title)
        self.choices.addItem(item)
        return item

    def _suggest_name(self) -> None:
        template = self.template()
        if template is not None:
            self.name.setText(f"{template.title} — {dt.date.today():%B %Y}")

    def template(self) -> Template | None:
        item = self.choices.currentItem()
        return item.data(Qt.UserRole) if item else None

    def load_file(self, path: str | Path | None = None) -> Template | None:
        """Add a template from a file; an invalid one is refused with its located problems."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Load template", "", TEMPLATE_FILTER)
            if not path:
                return None
        warnings: list[FormWarning] = []
        try:
            template = R.load_template_file(path, warnings)
        except TemplateError as error:
            self._refuse(f"This template cannot be used:\n\n{format_problems(error.problems)}")
            return None
        except WorkbenchError as error:
            self._refuse(str(error))
            return None
        self.errors.hide()
        self.warnings.setPlainText(
            f"{Path(path).name} loaded, with {count(len(warnings), 'warning')} about what the "
            "app skipped or changed:\n\n" + "\n".join(map(str, warnings)))
        self.warnings.setVisible(bool(warnings))
        self.choices.setCurrentItem(self._add_choice(template))
        return template

    def _refuse(self, message: str) -> None:
        self.warnings.hide()
        self.errors.setPlainText(message)
        self.errors.show()

    def values(self) -> tuple[Template | None, str, dt.date]:
        return self.template(), self.name.text().strip(), self.date.date().toPython()


def roster_code(person: Person, taken: set[str]) -> str:
    """A respondent code for a person from the roster: the name, or name and id if the name
    is already used in the round."""
    name = person.name or person.id
    return name if name not in taken else f"{name} ({person.id})"


class RosterPickerDialog(QDialog):
    """Pick respondents from the roster: filter, select several, add them in one edit."""

    def __init__(self, people: Sequence[Person], taken: set[str] | frozenset[str] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pick respondents from the roster")
        self.resize(720, 520)
        self.taken = set(taken)
        layout = _form_page(self, "Who answers?",
                            "Select the leaders who answer (Ctrl+click or Shift+click for "
                            "several, Ctrl+A for all shown). People already in the round are "
                            "not listed.")
        self.table = RecordTable("", "", [
            Column("Name", attr("name"), "The person's name in the roster."),
            Column("Role", attr("role")),
            Column("Department", attr("department")),
        ])
        self.table.heading.hide()
        self.table.hint.hide()
        self.table.layout().setContentsMargins(0, 0, 0, 0)
        self.table.filter.setPlaceholderText("Filter by name, role or department…")
        self.table.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.set_records([p for p in people if self.taken.isdisjoint(
            {p.name or p.id, roster_code(p, {p.name or p.id})})])
        layout.addWidget(self.table, 1)
        self.buttons = _buttons(self, "Add")
        self.ok = self.buttons.button(QDialogButtonBox.Ok)
        layout.addWidget(self.buttons)
        self.table.view.selectionModel().selectionChanged.connect(self._update_button)
        self.table.view.doubleClicked.connect(lambda _index: self.accept())
        self._update_button()

    def chosen(self) -> list[Person]:
        view, proxy = self.table.view, self.table.proxy
        rows = sorted({proxy.mapToSource(i).row() for i in view.selectionModel().selectedRows()})
        return [self.table.model.records[r] for r in rows]

    def _update_button(self) -> None:
        n = len(self.chosen())
        self.ok.setText(f"Add {count(n, 'respondent')}" if n else "Add")
        self.ok.setEnabled(n > 0)

    def respondents(self) -> list[dict[str, object]]:
        """The chosen people as respondents (arguments of ``add_respondent``)."""
        taken, out = set(self.taken), []
        for person in self.chosen():
            code = roster_code(person, taken)
            taken.add(code)
            out.append({"code": code, "name": person.name or person.id, "role": person.role,
                        "department": person.department, "anonymous": False})
        return out


class RespondentDialog(QDialog):
    """A respondent: a name, or an anonymous code, with role and department; or several
    people picked from the roster (``picked``)."""

    def __init__(self, parent: QWidget | None = None, people: Sequence[Person] = (),
                 taken: set[str] | frozenset[str] = frozenset()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add respondent")
        self.people, self.taken = list(people), set(taken)
        self.picked: list[dict[str, object]] = []
        self.picker: RosterPickerDialog | None = None
        layout = _form_page(self, "Who answers?",
                            "Pick leaders from the roster, or give a name, or tick ‘anonymous’ "
                            "and give a code only (e.g. L-08). Role and department allow "
                            "figures per group, shown only for groups large enough to keep "
                            "answers anonymous.")
        self.pick_button = QPushButton("&Pick from roster…")
        self.pick_button.setToolTip("Choose one or more people from the imported roster; "
                                    "their name, role and department are filled in.")
        self.pick_button.setEnabled(bool(self.people))
        if not self.people:
            self.pick_button.setToolTip("No roster yet: import people on the People & Network "
                                        "page, or type the respondent below.")
        self.pick_button.clicked.connect(lambda: self.pick_from_roster())
        layout.addWidget(self.pick_button, 0, Qt.AlignLeft)
        form = QFormLayout()
        form.setSpacing(SPACING)
        self.name = QLineEdit()
        self.anonymous = QCheckBox("&Anonymous (code only, no name)")
        self.code = QLineEdit(placeholderText="Filled in from the name if left empty")
        self.role = QLineEdit()
        self.department = QLineEdit()
        form.addRow("&Name", self.name)
        form.addRow("", self.anonymous)
        form.addRow("&Code", self.code)
        form.addRow("&Role", self.role)
        form.addRow("&Department", self.department)
        self.anonymous.toggled.connect(self.name.setDisabled)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Add"))

    def pick_from_roster(self) -> list[dict[str, object]]:
        """Open the roster picker; the people chosen there are added and this dialog closes."""
        self.picker = RosterPickerDialog(self.people, self.taken, self)
        if self.picker.exec() != QDialog.Accepted:
            return []
        self.picked = self.picker.respondents()
        if self.picked:
            self.accept()
        return self.picked

    def values(self) -> dict[str, object]:
        anonymous = self.anonymous.isChecked()
        name = "" if anonymous else self.name.text().strip()
        code = self.code.text().strip() or name
        if not code:
            raise WorkbenchError("Give a name, or a code for an anonymous respondent.")
        return {"code": code, "name": name, "role": self.role.text().strip(),
                "department": self.department.text().strip(), "anonymous": anonymous}


class ImportPreviewDialog(QDialog):
    """What each returned file would merge, and its problems; Merge or Cancel."""

    def __init__(self, preview: R.MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Import answers")
        self.resize(880, 560)
        layout = _form_page(self, "Check before merging",
                            "Only the respondents listed as ‘ready’ are changed; everyone else "
                            "keeps their answers. The merge is one step you can undo (Ctrl+Z).")
        self.table = RecordTable("", "", [
            Column("File", lambda f: f.path.name),
            Column("Respondent", attr("respondent_code")),
            Column("Status", attr("status"),
                   "ready: will be merged · already answered: merged only if you tick "
                   "‘replace’ · refused: cannot be used"),
            Column("Answers", lambda f: len(f.answers), "Answers read from the file."),
            Column("Problems", lambda f: len(f.problems),
                   "Cells that could not be used; the details are listed below."),
            Column("Reason", attr("reason")),
        ])
        self.table.heading.hide()
        self.table.hint.hide()
        self.table.filter.hide()
        self.table.layout().setContentsMargins(0, 0, 0, 0)
        self.table.set_records(preview.files)
        layout.addWidget(self.table, 2)
        layout.addWidget(label("Problems by file, row and column", "section"))
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setPlainText(self._problem_text())
        layout.addWidget(self.details, 1)
        self.replace = QCheckBox("&Replace the answers of respondents who already answered")
        self.replace.setEnabled(any(f.status == R.ALREADY_ANSWERED for f in preview.files))
        self.replace.toggled.connect(self._update_count)
        layout.addWidget(self.replace)
        self.summary = label("", "hint")
        layout.addWidget(self.summary)
        self.buttons = _buttons(self, "Merge")
        layout.addWidget(self.buttons)
        self._update_count()

    def _problem_text(self) -> str:
        lines = [str(p) for f in self.preview.files for p in f.problems]
        lines += [f.reason for f in self.preview.files if f.status == R.REFUSED]
        return "\n".join(lines) or "No problems found."

    def _update_count(self) -> None:
        merged = len(self.preview.mergeable(self.replace.isChecked()))
        files = count(len(self.preview.files), "file")
        self.summary.setText(f"{merged} of {files} will be merged.")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(merged > 0)


class CompareRoundsDialog(QDialog):
    """Two rounds of the same questionnaire side by side: mean per question, before → after."""

    def __init__(self, project, round_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Compare rounds")
        self.resize(1000, 700)
        layout = _form_page(self, "How did answers change between two rounds?",
                            "Pick two rounds of the same questionnaire. Each arrow runs from "
                            "the earlier round's mean to the later one's.")
        pickers = QHBoxLayout()
        pickers.setSpacing(SPACING)
        self.earlier, self.later = QComboBox(), QComboBox()
        for info in (project.assessments.round(i) for i in round_ids):
            for combo in (self.earlier, self.later):
                combo.addItem(f"{info.name} ({short_date(info.date, 'no date')})", info.id)
        self.later.setCurrentIndex(self.later.count() - 1)
        pickers.addWidget(label("&Earlier", None))
        pickers.addWidget(self.earlier, 1)
        pickers.addWidget(label("&Later", None))
        pickers.addWidget(self.later, 1)
        layout.addLayout(pickers)
        self.message = label("", "hint", wrap=True)
        layout.addWidget(self.message)
        self.figure = FigureView()
        layout.addWidget(self.figure, 1)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        self.export_button = close.addButton("E&xport chart…", QDialogButtonBox.ActionRole)
        self.export_button.clicked.connect(lambda: self.figure.export_dialog("comparison.png"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.earlier.currentIndexChanged.connect(self.update_figure)
        self.later.currentIndexChanged.connect(self.update_figure)
        self.update_figure()

    def update_figure(self) -> None:
        from workbench.core.questionnaire.charts import round_comparison_figure

        earlier, later = self.earlier.currentData(), self.later.currentData()
        try:
            changes = R.compare_rounds(self.project, earlier, later)
        except WorkbenchError as error:
            self.message.setText(str(error))
            return
        template = R.round_template(self.project, later)
        labels = {q.id: q.text.split(":")[0] for q in template.questions()}
        self.message.setText("Same round twice: pick two different rounds."
                             if earlier == later else "")
        self.figure.set_figure(round_comparison_figure(changes, labels))
