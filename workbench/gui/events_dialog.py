"""File → Import collaboration data…: e-mail, meeting or chat logs → one dated network per period.

The consultant picks the kind of log, a file or a folder of files, the aggregation rules
(:class:`~workbench.core.events.rules.AggregationRules`, preset from the last import of that
kind) and the engine. Reading and aggregating, then storing, run as one background task with
progress and Cancel (:func:`workbench.core.events.importing.read_events` writes nothing;
:func:`~workbench.core.events.importing.apply_events` stores every network as one undoable
edit). Rows with errors are listed with file, row and column and nothing is stored until the
consultant chooses "Import valid part".
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.events.rules import SETTINGS_KEY, AggregationRules
from workbench.core.wording import count
from workbench.gui.context import dialog_parent
from workbench.gui.import_wizard import ProblemsView
from workbench.gui.style import SPACING
from workbench.gui.widgets import label
from workbench.gui.workers import Task

if TYPE_CHECKING:
    from workbench.core.events.importing import EventsPlan
    from workbench.core.importing import ImportSummary
    from workbench.gui.context import AppContext

KIND_NAMES = {"emails": "E-mails", "meetings": "Meetings", "chats": "Chat messages"}
PERIOD_NAMES = {"week": "Week", "month": "Month", "quarter": "Quarter"}
BROADCAST_NAMES = {"exclude": "Leave them out", "down-weight": "Count them 1/n"}
WEIGHT_NAMES = {"interactions": "Number of interactions", "minutes": "Minutes together"}
ENGINE_NAMES = {"duckdb": "DuckDB (this computer)", "spark": "Spark (a cluster)"}
FILE_FILTER = "Event logs (*.csv *.parquet);;All files (*)"
INTRO = ("Who e-mailed, met or messaged whom, and when — never what was said. One row per "
         "message, meeting or chat message (or one row per recipient), as CSV or Parquet; a "
         "folder takes all the files in it. People are matched to the people list by id or "
         "e-mail address; everyone else is only counted.")


def _combo(names: dict[str, str], tip: str) -> QComboBox:
    box = QComboBox(toolTip=tip)
    for key, text in names.items():
        box.addItem(text, key)
    return box


def _spin(low: int, high: int, tip: str) -> QSpinBox:
    box = QSpinBox(toolTip=tip)
    box.setRange(low, high)
    return box


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose Alt+letter moves to ``widget`` (for rows holding several widgets)."""
    caption = QLabel(text)
    caption.setBuddy(widget)
    return caption


def spark_available() -> bool:
    """Whether PySpark is installed, so the Spark engine can be offered."""
    return importlib.util.find_spec("pyspark") is not None


class EventsDialog(QDialog):
    """Import a collaboration log into the open project as dated, weighted networks."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(dialog_parent(context, parent))
        self.context = context
        self.setWindowTitle("Import collaboration data")
        self.setModal(False)
        self.resize(760, 600)
        self.task: Task | None = None
        # a read with errors waiting for "Import valid part", with the choices it was read with
        self.waiting: tuple[tuple, EventsPlan] | None = None
        self.reading: tuple = ()  # the choices of the read running now

        self.kind_box = _combo(KIND_NAMES, "What the log records: e-mails, meetings or chat "
                               "messages.")
        self.path_edit = QLineEdit(placeholderText="A CSV or Parquet file, or a folder of them")
        self.path_edit.setToolTip("The log to read. A folder takes every CSV (or every Parquet) "
                                  "file in it.")
        self.file_button = QPushButton("Browse &file…")
        self.folder_button = QPushButton("Browse f&older…")
        self.file_button.clicked.connect(self._browse_file)
        self.folder_button.clicked.connect(self._browse_folder)
        self.period_box = _combo(PERIOD_NAMES, "One network per week (from Monday), calendar "
                                 "month or calendar quarter, dated on its first day.")
        self.max_recipients = _spin(1, 1_000_000, "A message or meeting with more people than "
                                    "this is a broadcast (an all-staff mail, a town hall).")
        self.broadcast_box = _combo(BROADCAST_NAMES, "Leave broadcasts out, or keep them with "
                                    "each link counting 1/n for n recipients.")
        self.hours_box = QCheckBox("Only &working hours")
        self.hours_box.setToolTip("Count only what happened Monday to Friday between these "
                                  "hours, local time.")
        self.hours_from = _spin(0, 23, "First hour counted (8 = from 08:00).")
        self.hours_to = _spin(1, 24, "Hour counting stops (18 = until 17:59).")
        self.hours_box.toggled.connect(self._hours_toggled)
        self.timezone_box = QComboBox(editable=True, toolTip="The time zone the days, hours and "
                                      "periods are read in, e.g. Europe/Paris.")
        self.timezone_box.addItems(_timezones())
        self.min_interactions = _spin(1, 100_000, "How often two people must interact in a "
                                      "period to count as tied.")
        self.reciprocal_box = QCheckBox("Both &directions required")
        self.reciprocal_box.setToolTip("Keep A → B only when B → A is there in the same period "
                                       "too (meetings are two-way already).")
        self.weight_box = _combo(WEIGHT_NAMES, "Tie strength: how many interactions, or (for "
                                 "meetings) how many minutes the two spent together.")
        engines = {k: v for k, v in ENGINE_NAMES.items() if k == "duckdb" or spark_available()}
        self.engine_box = _combo(engines, "DuckDB works on this computer with no server and "
                                 "streams logs larger than memory; Spark sends the work to a "
                                 "cluster, for logs too large for one computer.")
        self.master_edit = QLineEdit(placeholderText="local[*]")
        self.master_edit.setToolTip("The Spark master URL, e.g. spark://host:7077; empty runs "
                                    "Spark on this computer.")
        self.engine_box.currentIndexChanged.connect(self._engine_changed)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)

        self.result = QPlainTextEdit(readOnly=True)
        self.result.setAccessibleName("Result")
        self.result.setToolTip("What the import read, left out and stored.")
        self.result.hide()
        self.problems = ProblemsView()
        self.problems.setAccessibleName("Problems")
        self.problems.hide()
        self.status = label("", "hint", wrap=True)
        self.import_button = QPushButton("&Import")
        self.import_button.setProperty("role", "primary")
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self._lay_out()
        self._kind_changed()
        self._engine_changed()
        self._name_import_button()
        for signal in (self.path_edit.textChanged, self.master_edit.textChanged,
                       self.timezone_box.currentTextChanged, self.hours_box.toggled,
                       self.reciprocal_box.toggled,
                       *(box.currentIndexChanged for box in (
                           self.kind_box, self.period_box, self.broadcast_box,
                           self.weight_box, self.engine_box)),
                       *(box.valueChanged for box in (
                           self.max_recipients, self.hours_from, self.hours_to,
                           self.min_interactions))):
            signal.connect(self._choice_changed)

    def _lay_out(self) -> None:
        path_row = QHBoxLayout()
        for widget in (self.path_edit, self.file_button, self.folder_button):
            path_row.addWidget(widget)
        broadcast_row = QHBoxLayout()
        broadcast_row.addWidget(self.max_recipients)
        broadcast_row.addWidget(self.broadcast_box, 1)
        hours_row = QHBoxLayout()
        for widget in (self.hours_box, self.hours_from, label("to"), self.hours_to):
            hours_row.addWidget(widget)
        hours_row.addStretch(1)
        form = QFormLayout()
        form.setSpacing(SPACING)
        form.addRow("&Kind of log", self.kind_box)
        form.addRow(_buddy("&Log", self.path_edit), path_row)
        form.addRow("&Period", self.period_box)
        form.addRow(_buddy("&Broadcasts: more than", self.max_recipients), broadcast_row)
        form.addRow("Hours", hours_row)
        form.addRow("&Time zone", self.timezone_box)
        form.addRow("&Minimum interactions", self.min_interactions)
        form.addRow("", self.reciprocal_box)
        form.addRow("Tie &strength", self.weight_box)
        form.addRow("&Engine", self.engine_box)
        form.addRow("Spark master &URL", self.master_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addWidget(label("Import collaboration data", "title"))
        layout.addWidget(label(INTRO, "subtitle", wrap=True))
        layout.addLayout(form)
        layout.addWidget(self.result, 10)
        layout.addWidget(self.problems, 10)
        layout.addStretch(1)  # keeps the form at the top while the result boxes are hidden
        layout.addLayout(buttons)

    # -- choices -----------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.kind_box.currentData()

    def _kind_changed(self, *_args: Any) -> None:
        """Preset the rules of the last import of this kind (the defaults the first time)."""
        stored = self._project().settings.get(SETTINGS_KEY.format(kind=self.kind))
        self.set_rules(AggregationRules.from_dict(stored) if stored else AggregationRules())
        minutes = self.weight_box.model().item(self.weight_box.findData("minutes"))
        minutes.setEnabled(self.kind == "meetings")

    def set_rules(self, rules: AggregationRules) -> None:
        """Show ``rules`` in the fields."""
        self.period_box.setCurrentIndex(self.period_box.findData(rules.period))
        self.max_recipients.setValue(rules.max_recipients)
        self.broadcast_box.setCurrentIndex(self.broadcast_box.findData(rules.broadcast))
        hours = rules.working_hours
        self.hours_box.setChecked(hours is not None)
        self.hours_from.setValue(hours[0] if hours else 8)
        self.hours_to.setValue(hours[1] if hours else 18)
        self._hours_toggled(hours is not None)
        self.timezone_box.setCurrentText(rules.timezone)
        self.min_interactions.setValue(rules.min_interactions)
        self.reciprocal_box.setChecked(rules.reciprocal)
        self.weight_box.setCurrentIndex(self.weight_box.findData(rules.weight))

    def rules(self) -> AggregationRules:
        """The rules as the fields show them."""
        hours = (self.hours_from.value(), self.hours_to.value())
        return AggregationRules(
            period=self.period_box.currentData(), max_recipients=self.max_recipients.value(),
            broadcast=self.broadcast_box.currentData(),
            working_hours=hours if self.hours_box.isChecked() else None,
            timezone=self.timezone_box.currentText().strip(),
            min_interactions=self.min_interactions.value(),
            reciprocal=self.reciprocal_box.isChecked(), weight=self.weight_box.currentData())

    def _choice_changed(self, *_args: Any) -> None:
        """A changed choice needs a fresh read: forget one waiting for "valid part"."""
        if self.waiting is not None and self.task is None:
            self.waiting = None
            self._name_import_button()

    def _hours_toggled(self, on: bool) -> None:
        self.hours_from.setEnabled(on)
        self.hours_to.setEnabled(on)

    def _engine_changed(self, *_args: Any) -> None:
        self.master_edit.setEnabled(self.engine_box.currentData() == "spark")

    def _browse_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the log", self.path_edit.text(),
                                              FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the folder of log files",
                                                self.path_edit.text())
        if path:
            self.path_edit.setText(path)

    # -- import ------------------------------------------------------------------------------

    def start_import(self) -> None:
        """Read, check and aggregate the log in the background (nothing written), then store
        the networks as one undoable edit; a read with errors stops before storing and offers
        the valid part."""
        if self.task is not None:
            return
        text = self.path_edit.text().strip()
        if not text or not Path(text).exists():
            self.status.setText("Choose an existing file or folder first.")
            return
        rules = self.rules()
        try:
            rules.check(self.kind)
        except WorkbenchError as exc:
            self.status.setText(str(exc)[:1].upper() + str(exc)[1:])
            return
        project, kind, path = self._project(), self.kind, Path(text)
        engine = self.engine_box.currentData()
        master = (self.master_edit.text().strip() or None) if engine == "spark" else None
        choices = (kind, path, rules, engine, master)
        if self.waiting is not None and self.waiting[0] == choices:  # "Import valid part"
            self._store(self.waiting[1])
            return

        def read(progress):
            from workbench.core.events.importing import read_events

            return read_events(project, kind, path, rules, engine=engine, master=master,
                               progress=progress)

        self.waiting, self.reading = None, choices
        self._name_import_button()
        self._run(f"Reading {path.name}…", read, self._read)

    def _read(self, plan: EventsPlan) -> None:
        self.problems.set_problems(plan.problems)
        self.problems.setVisible(bool(plan.problems))
        if not plan.errors:
            self._show_lines(plan.describe_lines())
            self._store(plan)
            return
        self.waiting = (self.reading, plan)
        self._name_import_button()
        self._show_lines([*plan.describe_lines(), "", "Rows with errors are listed below; "
                          "nothing was imported yet."])
        self.status.setText("")

    def _store(self, plan: EventsPlan) -> None:
        project = self._project()

        def store(progress):
            from workbench.core.events.importing import apply_events

            return apply_events(project, plan, accept_valid=True, progress=progress,
                                label="Import collaboration data")

        self._run("Storing the networks…", store, lambda summary: self._stored(plan, summary),
                  writes=True)

    def _stored(self, plan: EventsPlan, summary: ImportSummary) -> None:
        self.waiting = None
        done = (f"{count(len(summary.networks), 'network')} with "
                f"{count(sum(summary.networks.values()), 'tie')}")
        self._show_lines([*plan.describe_lines(), "", f"Imported {done}.",
                          "Edit → Undo removes these networks in one step."])
        self.status.setText("Done.")
        self._name_import_button()
        self.cancel_button.setText("Close")
        self.context.show_status(f"Collaboration data imported: {done}. Ctrl+Z undoes it.",
                                 10000)

    def _show_lines(self, lines: list[str]) -> None:
        self.result.setPlainText("\n".join(lines))
        self.result.setVisible(True)

    def _run(self, title: str, func, on_done, *, writes: bool = False) -> None:
        self.status.setText(title)
        self.import_button.setEnabled(False)
        self.cancel_button.setText("Cancel")

        def finished() -> None:
            if self.task is task:  # not the store step the read started
                self.task = None
                self.import_button.setEnabled(True)

        task = self.task = self.context.tasks.run_task(
            ("events-import", id(self)), title, func, on_done, writes=writes, owner=self,
            report=False, on_failed=self._failed,
            on_cancelled=lambda: self.status.setText("Cancelled; nothing was changed."),
            on_finished=finished)

    def _failed(self, message: str) -> None:
        self.status.setText("")
        self._show_lines([message])

    def _name_import_button(self) -> None:
        """Name the Import button after what it does: after a read with errors it imports the
        valid part; otherwise it reads the log."""
        valid_part = self.waiting is not None
        self.import_button.setText("&Import valid part" if valid_part else "&Import")
        self.import_button.setToolTip(
            "Leave the rows with errors out and import the others; Ctrl+Z undoes it."
            if valid_part else "Read the log, build the networks and store them; Ctrl+Z "
            "undoes it.")

    def _project(self):
        session = self.context.session
        if session is None:
            raise RuntimeError("importing collaboration data needs an open project")
        return session.project

    def cancel(self) -> None:
        """Cancel the running import, or close the dialog when nothing runs."""
        if self.task is not None:
            self.task.cancel()
        else:
            self.reject()


def _timezones() -> list[str]:
    """UTC first, then every IANA zone name."""
    from zoneinfo import available_timezones

    return ["UTC", *sorted(z for z in available_timezones() if z != "UTC")]
