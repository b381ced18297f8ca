"""Questionnaires: assessment rounds, their respondents, answering, and offline workbooks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire import rounds as R
from workbench.core.wording import count
from workbench.gui.models import Column, attr
from workbench.gui.panels.base import Panel
from workbench.gui.panels.tables import RecordTable
from workbench.gui.round_dialogs import (
    CompareRoundsDialog,
    ImportPreviewDialog,
    NewRoundDialog,
    RespondentDialog,
)
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState


def _completion(info_and_progress) -> str:
    _info, progress = info_and_progress
    done = sum(p.complete for p in progress)
    return f"{done} of {len(progress)}"


class QuestionnairesPanel(Panel):
    title = "Questionnaires"
    watches = frozenset({"assessment_round", "respondent", "answer", "template"})

    def __init__(self, parent: QWidget | None = None) -> None:
        self.preview_dialog: ImportPreviewDialog | None = None
        self.wizard = None
        super().__init__(parent)

    # -- building ----------------------------------------------------------------------------

    def build_empty_state(self) -> EmptyState:
        state = EmptyState("No assessment rounds yet",
                           "Leaders answer the organisation-design questionnaire and rate the "
                           "customer-centricity ladder in assessment rounds. Start one, add the "
                           "leaders, then let them answer here or in a workbook.",
                           "New round…")
        state.activated.connect(lambda: self.new_round())
        return state

    def build_content(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, SPACING)
        layout.setSpacing(SPACING)
        self.rounds_table = RecordTable(
            "Questionnaires",
            "Assessment rounds and how far the leaders got. Select a round to see its "
            "respondents; answers are saved as they are given and can be undone (Ctrl+Z).", [
                Column("Round", lambda r: r[0].name),
                Column("Questionnaire", lambda r: r[0].template.title),
                Column("Version", lambda r: r[0].template.version,
                       "The template version this round's answers belong to."),
                Column("Date", lambda r: r[0].date),
                Column("Respondents", lambda r: r[0].respondent_count,
                       "How many leaders are asked in this round."),
                Column("Completed", _completion,
                       "Respondents who answered every question they see."),
                Column("Status", lambda r: r[0].status),
            ])
        self.rounds_table.view.selectionModel().currentRowChanged.connect(
            lambda *_: self._show_respondents())
        self.respondents_table = RecordTable(
            "Respondents", "Progress = answered / questions this person sees (branching "
            "hides some). Press Enter or double-click to answer.", [
                Column("Code", attr("code")),
                Column("Name", attr("name")),
                Column("Role", attr("role")),
                Column("Department", attr("department")),
                Column("Answered", attr("answered"), "Questions answered so far."),
                Column("Of", attr("visible"),
                       "Questions this person sees; answers can show or hide follow-ups."),
                Column("Progress", lambda p: f"{p.answered / p.visible:.0%}" if p.visible
                       else "–", "Share of the visible questions answered."),
            ])
        self.respondents_table.heading.setProperty("role", "section")
        self.respondents_table.view.doubleClicked.connect(lambda *_: self.answer())
        self.respondents_table.view.activated.connect(lambda *_: self.answer())
        self.rounds_table.layout().insertLayout(2, self._build_buttons())
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.rounds_table)
        splitter.addWidget(self.respondents_table)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        # Tab follows the layout: buttons, filter, table (set once the tables are embedded).
        *_, last_button = self.buttons.values()
        QWidget.setTabOrder(last_button, self.rounds_table.filter)
        QWidget.setTabOrder(self.rounds_table.filter, self.rounds_table.view)
        return page

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(0, SPACING, 0, SPACING)
        row.setSpacing(SPACING)
        specs = [
            ("New round…", "Ctrl+Shift+N", lambda: self.new_round(),
             "Start a round on a built-in questionnaire or your own template."),
            ("Add respondent…", "Ctrl+Shift+R", lambda: self.add_respondent(),
             "Add a leader (or an anonymous code) to the selected round."),
            ("Answer…", "Ctrl+Shift+A", lambda: self.answer(),
             "Answer the questionnaire as the selected respondent, one question at a time."),
            ("Export workbooks…", "Ctrl+Shift+E", lambda: self.export_workbooks(),
             "One Excel workbook per respondent, to fill in offline and send back."),
            ("Import answers…", "Ctrl+Shift+I", lambda: self.import_answers(),
             "Read returned workbooks; you see what will be merged before anything changes."),
            ("Export template to XLSX…", "Ctrl+Shift+T", lambda: self.export_template(),
             "The round's questionnaire as an editable spreadsheet template."),
            ("Compare rounds", "Ctrl+Shift+C", lambda: self.compare_rounds(),
             "How the answers changed between two rounds of the same questionnaire."),
        ]
        self.buttons: dict[str, QPushButton] = {}
        self.shortcuts: dict[str, QAction] = {}
        for text, keys, slot, tip in specs:
            action = QAction(text, self)
            self.shortcuts[text] = action
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            button = QPushButton(text)
            button.setToolTip(f"{tip} ({QKeySequence(keys).toString(QKeySequence.NativeText)})")
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[text] = button
        self.buttons["New round…"].setProperty("role", "primary")
        row.addStretch(1)
        return row

    EDITING = ("New round…", "Add respondent…", "Answer…", "Import answers…")

    def editing_widgets(self) -> list[QWidget]:
        return [self.buttons[text] for text in self.EDITING]

    def set_editing_enabled(self, enabled: bool) -> None:
        super().set_editing_enabled(enabled)
        self.empty.setEnabled(enabled)
        for text in self.EDITING:
            self.shortcuts[text].setEnabled(enabled)

    # -- data --------------------------------------------------------------------------------

    def has_content(self) -> bool:
        return self.session is not None and bool(self.session.project.assessments.rounds())

    def refresh(self) -> None:
        project = self.session.project
        keep = self.current_round_id()
        records = [(info, R.respondent_progress(project, info.id))
                   for info in project.assessments.rounds()]
        self.rounds_table.set_records(records)
        ids = [info.id for info, _ in records]
        self.select_round(keep if keep in ids else ids[-1])

    def select_round(self, round_id: int) -> None:
        model = self.rounds_table.model
        for row, (info, _) in enumerate(model.records):
            if info.id == round_id:
                index = self.rounds_table.proxy.mapFromSource(model.index(row, 0))
                self.rounds_table.view.setCurrentIndex(index)
                break
        self._show_respondents()

    def current_round_id(self) -> int | None:
        index = self.rounds_table.view.currentIndex()
        if not index.isValid():
            return None
        source = self.rounds_table.proxy.mapToSource(index)
        return self.rounds_table.model.records[source.row()][0].id

    def current_respondent(self) -> R.RespondentProgress | None:
        index = self.respondents_table.view.currentIndex()
        if not index.isValid():
            return None
        return self.respondents_table.model.records[
            self.respondents_table.proxy.mapToSource(index).row()]

    def _show_respondents(self) -> None:
        round_id = self.current_round_id()
        keep = self.current_respondent()
        records = []
        self.respondents_table.heading.setText("Respondents")  # no round: no old round's name
        for info, progress in self.rounds_table.model.records:
            if info.id == round_id:
                records = progress
                self.respondents_table.heading.setText(f"Respondents of {info.name}")
        self.respondents_table.set_records(records)
        if records:
            ids = [p.respondent_id for p in records]
            row = ids.index(keep.respondent_id) if keep and keep.respondent_id in ids else 0
            self.respondents_table.view.setCurrentIndex(
                self.respondents_table.proxy.mapFromSource(
                    self.respondents_table.model.index(row, 0)))
        self._update_compare_button(round_id)

    def _update_compare_button(self, round_id: int | None) -> None:
        """Compare rounds needs a second round of the same questionnaire: without one the
        button is disabled and says why, rather than answering a click with an error box."""
        infos = [info for info, _progress in self.rounds_table.model.records]
        current = next((i for i in infos if i.id == round_id), None)
        same = [i for i in infos if current is not None and i.template.key == current.template.key]
        enabled = len(same) > 1
        self.buttons["Compare rounds"].setEnabled(enabled)
        self.shortcuts["Compare rounds"].setEnabled(enabled)
        self.buttons["Compare rounds"].setToolTip(
            "How the answers changed between two rounds of the same questionnaire "
            f"({self.shortcuts['Compare rounds'].shortcut().toString(QKeySequence.NativeText)})."
            if enabled else "Only one round uses this questionnaire: start a second round of "
            "it (for example after 100 days) to compare them.")

    def _need_round(self) -> int | None:
        round_id = self.current_round_id()
        if round_id is None:
            self._error("Select an assessment round first.")
        return round_id

    # -- actions -----------------------------------------------------------------------------

    def _error(self, message: str) -> None:
        self.context.show_error(message)

    def _status(self, message: str) -> None:
        self.context.show_status(message, 6000)

    def new_round(self, dialog: NewRoundDialog | None = None) -> int | None:
        """Ask for a questionnaire and start a round; a given dialog is used as answered."""
        if self.session is None:
            return None
        if dialog is None:
            dialog = NewRoundDialog(self)
            if dialog.exec() != QDialog.Accepted:
                return None
        template, name, date = dialog.values()
        if template is None:
            return None
        try:
            round_id = R.start_round(self.session.project, template, name, date)
        except WorkbenchError as error:
            self._error(str(error))
            return None
        self.select_round(round_id)
        self._status(f"Round “{name or template.title}” started. Add respondents next.")
        return round_id

    def add_respondent(self, dialog: RespondentDialog | None = None) -> None:
        round_id = self._need_round()
        if round_id is None:
            return
        assessments = self.session.project.assessments
        if dialog is None:
            taken = {r.code for r in assessments.respondents(round_id)}
            taken |= {r.name for r in assessments.respondents(round_id) if r.name}
            dialog = RespondentDialog(self, people=self.session.project.people.list(),
                                      taken=taken)
            if dialog.exec() != QDialog.Accepted:
                return
        try:
            if dialog.picked:  # several people from the roster: one undoable edit
                assessments.add_respondents(round_id, dialog.picked)
                self._status(f"{count(len(dialog.picked), 'respondent')} added from the roster "
                             "(Ctrl+Z to undo).")
            else:
                assessments.add_respondent(round_id, **dialog.values())
        except WorkbenchError as error:
            self._error(str(error))

    def answer(self) -> None:
        """Open the answer wizard for the selected respondent."""
        from workbench.gui.answer_wizard import AnswerWizard

        respondent = self.current_respondent()
        round_id = self.current_round_id()
        if respondent is None or round_id is None:
            self._error("Select a respondent to answer for (add one with Add respondent…).")
            return
        self.wizard = AnswerWizard(self.session.project, round_id, respondent.respondent_id,
                                   self)
        self.wizard.open()

    def export_workbooks(self, folder: str | Path | None = None) -> None:
        round_id = self._need_round()
        if round_id is None:
            return
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "Folder for the workbooks")
            if not folder:
                return
        project = self.session.project
        self.run_task("export-workbooks", "Writing questionnaire workbooks…",
                      lambda p: R.export_round_workbooks(project, round_id, folder, p),
                      lambda paths: self._status(
                          f"{count(len(paths), 'workbook')} written to {folder}"))

    def import_answers(self, paths: list[str | Path] | None = None) -> None:
        round_id = self._need_round()
        if round_id is None:
            return
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, "Returned workbooks", "",
                                                    "Excel workbooks (*.xlsx);;All files (*)")
            if not paths:
                return
        project = self.session.project
        self.run_task("read-returned", "Reading returned workbooks…",
                      lambda p: R.preview_returned_files(project, round_id, paths, p),
                      self._show_preview)

    def _show_preview(self, preview: R.MergePreview) -> None:
        self.preview_dialog = ImportPreviewDialog(preview, self)
        self.preview_dialog.accepted.connect(self._merge_preview)
        self.preview_dialog.open()

    def _merge_preview(self) -> None:
        dialog = self.preview_dialog
        try:
            merged = R.apply_merge(self.session.project, dialog.preview,
                                  dialog.replace.isChecked())
        except WorkbenchError as error:
            self._error(str(error))
            return
        self._status(f"Answers of {count(merged, 'respondent')} merged (Ctrl+Z to undo).")

    def export_template(self, path: str | Path | None = None) -> None:
        from workbench.core.questionnaire.xlsform import export_xlsform

        round_id = self._need_round()
        if round_id is None:
            return
        template = R.round_template(self.session.project, round_id)
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export template",
                                                  f"{template.id}_v{template.version}.xlsx",
                                                  "Excel workbook (*.xlsx)")
            if not path:
                return
        try:
            export_xlsform(template, path)
        except (WorkbenchError, OSError) as error:
            self._error(f"{path}: {error}")
            return
        self._status(f"Template written to {path}")

    def compare_rounds(self) -> CompareRoundsDialog | None:
        round_id = self._need_round()
        if round_id is None:
            return None
        project = self.session.project
        key = project.assessments.round(round_id).template.key
        same = [info.id for info in project.assessments.rounds() if info.template.key == key]
        if len(same) < 2:
            self._error("Only one round uses this questionnaire. Start a second round of it "
                        "(for example after 100 days) to compare them.")
            return None
        dialog = CompareRoundsDialog(project, same, self)
        dialog.open()
        return dialog
