"""Customer learning: the practices an organisation runs, not only rates — the insight-to-action
log, relationship experiments, customer evidence beside the leaders' ratings and journey
canvases, with what they show in sentences on top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.learning.model import LearningData
from workbench.core.tasks import Progress
from workbench.core.wording import count
from workbench.gui.findings_list import HEADLINE, NOTE, Row, RowDelegate
from workbench.gui.learning_evidence import EvidenceTab
from workbench.gui.learning_experiments import ExperimentDialog, ExperimentsTab
from workbench.gui.learning_insights import InsightDialog, InsightsTab
from workbench.gui.learning_journey import JourneyPresenter, JourneyTab, handoff_text
from workbench.gui.learning_people import RosterView
from workbench.gui.panels.base import Panel
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState, label, page_layout
from workbench.gui.workers import Task

XLSX_FILTER = "Excel workbook (*.xlsx)"
NO_FINDINGS = ("Nothing stands out: no figure of the log, no experiment and no hand-off "
               "crosses the line that would make it a finding.")
EMPTY_LAB = ("Findings appear here once the log, the experiments or a journey hold something "
             "to read.")


@dataclass
class LabView:
    """What the page works out off the GUI thread: figures, network reach, findings and the
    evidence beside ratings."""

    metrics: Any = None
    reach: Any = None
    checks: dict[int, str] = field(default_factory=dict)  # journey stage id -> network check
    findings: list[Any] = field(default_factory=list)
    evidence: list[Any] = field(default_factory=list)


def analyse(project, data: LearningData, progress: Progress) -> LabView:
    """Figures, findings and evidence for ``data`` of ``project`` (no Qt)."""
    from workbench.core.learning.evidence import evidence_beside_ratings
    from workbench.core.learning.findings import findings_of, learning_graph
    from workbench.core.learning.metrics import (
        handoff_ties,
        insight_metrics,
        receivers_vs_actors,
    )
    from workbench.core.report.network_story import ANALYST, people_words

    progress.update(0.1, "Reading the network")
    people = project.people.list()
    G = learning_graph(project, people)
    progress.update(0.4, "Working out the log's figures")
    by_id = {p.id: p for p in people}
    stages = [s for journey in data.journeys.values() for s in journey]
    view = LabView(insight_metrics(data.insights, by_id), receivers_vs_actors(data.insights, G),
                   {c.stage.id: handoff_text(c) for c in handoff_ties(stages, G)})
    progress.update(0.6, "Finding what stands out")
    view.findings = findings_of(data, people, G, people_words(project, ANALYST, G))
    progress.update(0.8, "Setting customer evidence beside the ratings")
    view.evidence = evidence_beside_ratings(project)
    return view


def reach_note(reach: Any, metrics: Any) -> str:
    """How far insights travel between who hears them and who can act, in the network."""
    parts = []
    if reach is None or not reach.measured:
        parts.append("Network distance is measured when both the receiver and whoever can act "
                     "are people of the main network; no insight in the log has both yet.")
    else:
        apart = (f"{reach.far:,} of {count(reach.measured, 'insight')} join a receiver and "
                 f"the person able to act 3 or more ties apart")
        if reach.not_tied:
            apart += f" ({reach.not_tied:,} not joined at all)"
        parts.append(apart + ".")
        if reach.unmeasured:
            parts.append(f"{count(reach.unmeasured, 'other insight')} name a role or someone "
                         "off the network on one side, so their distance is not measured.")
    if metrics is not None and metrics.cannot_act:
        names = ", ".join(metrics.cannot_act)
        parts.append(f"Receiving much but acting on little of it themselves: {names}.")
    return " ".join(parts)


class LearningPanel(Panel):
    title = "Customer learning"
    watches = frozenset({"insight", "experiment", "customer_measure", "journey_stage", "person",
                         "setting", "network", "tie", "answer", "respondent",
                         "assessment_round", "plan", "plan_action"})

    def __init__(self, parent: QWidget | None = None) -> None:
        self.data: LearningData | None = None
        self.roster: RosterView | None = None
        self.view_data = LabView()
        self.dialog: QWidget | None = None  # the dialog last opened (tests drive it)
        self.presenter: JourneyPresenter | None = None
        self._opened = False  # the user asked to see the empty lab
        self._fitted = False  # the findings got their height for this project
        self._debounce = QTimer(singleShot=True, interval=150)
        self._debounce.timeout.connect(self.compute)
        super().__init__(parent)

    # -- building ---------------------------------------------------------------------------

    def build_empty_state(self) -> EmptyState:
        state = EmptyState(
            "Customer learning",
            "No insights yet. Import a log, hand teams the entry workbook, or add the first "
            "one. Relationship experiments, customer evidence and journey canvases have tabs "
            "of their own: open the lab to start one of those.",
            "Add the first insight…")
        state.activated.connect(lambda: self.add_insight())
        state.add_button("Import insights…", lambda: self.import_file("insights"))
        state.add_button("Entry workbook for teams…", lambda: self.write_entry_workbook())
        state.add_button("Open the lab", self.open_lab)
        return state

    def build_content(self) -> QWidget:
        page = QWidget()
        layout = page_layout(page)
        layout.addWidget(label("Customer learning", "title"))
        self.splitter = splitter = QSplitter(Qt.Vertical)
        self.findings = QListWidget()
        self.findings.setAccessibleName("What the lab shows")
        self.findings.setItemDelegate(RowDelegate(self.findings))
        self.findings.setWordWrap(True)
        self.findings.setResizeMode(QListWidget.Adjust)
        self.findings.setVerticalScrollMode(QListWidget.ScrollPerPixel)
        self.findings.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.findings.setToolTip("What the log, the experiments and the journeys show, the "
                                 "point first; the figures behind each are under it.")
        splitter.addWidget(self.findings)
        self.tabs = QTabWidget()
        self.insights_tab = InsightsTab()
        self.experiments_tab = ExperimentsTab()
        self.evidence_tab = EvidenceTab()
        self.journey_tab = JourneyTab()
        self.tabs.addTab(self.insights_tab, "&Insight log")
        self.tabs.addTab(self.experiments_tab, "E&xperiments")
        self.tabs.addTab(self.evidence_tab, "C&ustomer evidence")
        self.tabs.addTab(self.journey_tab, "&Journey canvas")
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([140, 600])
        layout.addWidget(splitter, 1)

        tab = self.insights_tab
        tab.add_button.clicked.connect(lambda: self.add_insight())
        tab.edit_button.clicked.connect(lambda: self.edit_insight())
        tab.view.doubleClicked.connect(lambda _i: self.edit_insight())
        tab.delete_button.clicked.connect(self.delete_insights)
        tab.import_button.clicked.connect(lambda: self.import_file("insights"))
        tab.workbook_button.clicked.connect(lambda: self.write_entry_workbook())
        tab.read_workbook_button.clicked.connect(lambda: self.read_entry_workbook())
        board = self.experiments_tab
        board.add_button.clicked.connect(lambda: self.add_experiment())
        board.edit_button.clicked.connect(lambda: self.edit_experiment())
        board.board.activated.connect(lambda: self.edit_experiment())
        board.delete_button.clicked.connect(self.delete_experiment)
        board.later_button.clicked.connect(lambda: self.move_experiment(1))
        board.earlier_button.clicked.connect(lambda: self.move_experiment(-1))
        board.later_key.activated.connect(lambda: self.move_experiment(1))
        board.earlier_key.activated.connect(lambda: self.move_experiment(-1))
        board.action_button.clicked.connect(self.make_plan_action)
        evidence = self.evidence_tab
        evidence.import_button.clicked.connect(lambda: self.import_file("evidence"))
        evidence.delete_button.clicked.connect(self.delete_measures)
        journey = self.journey_tab
        journey.segment_changed.connect(self.show_journey)
        journey.add_button.clicked.connect(lambda: self.add_stage())
        journey.left_button.clicked.connect(lambda: self.move_stage(-1))
        journey.right_button.clicked.connect(lambda: self.move_stage(1))
        journey.delete_button.clicked.connect(self.delete_stage)
        journey.present_button.clicked.connect(self.present_journey)
        journey.canvas.edited.connect(self.edit_stage)
        return page

    # -- showing ----------------------------------------------------------------------------

    def has_content(self) -> bool:
        if self.session is None:
            return False
        self.data = self.session.project.learning.data()
        data = self.data
        return self._opened or bool(data.insights or data.experiments or data.measures
                                    or data.journeys)

    def open_lab(self) -> None:
        """Show the tabs although the lab is empty (to start an experiment or a journey)."""
        self._opened = True
        self.reload()

    def set_session(self, session) -> None:
        if session is not self.session:  # nothing of the previous project stays on screen
            self._opened = False
            self.clear()
        super().set_session(session)

    def clear(self) -> None:
        self.data, self.roster, self.view_data = None, None, LabView()
        self._fitted = False
        self.findings.clear()
        self.insights_tab.clear()
        self.experiments_tab.set_experiments([], None, False)
        self.evidence_tab.set_measures([])
        self.evidence_tab.set_evidence([])
        self.journey_tab.set_segments([])
        self.journey_tab.segment.setEditText("")
        self.journey_tab.set_stages([], None, {})
        if self.presenter is not None:
            self.presenter.close()

    def set_editing_enabled(self, enabled: bool) -> None:
        for tab in (self.insights_tab, self.experiments_tab, self.evidence_tab,
                    self.journey_tab):
            tab.set_editing(enabled)

    def refresh(self) -> None:
        project = self.session.project
        data = self.data if self.data is not None else project.learning.data()
        self.roster = roster = RosterView(project)
        self.insights_tab.set_insights(data.insights, roster)
        self.experiments_tab.set_experiments(data.experiments, roster,
                                             bool(project.plans.plans()))
        self.evidence_tab.set_measures(data.measures)
        self.journey_tab.set_segments(project.learning.segments(),
                                      next(iter(data.journeys), ""))
        self.show_journey()
        self._debounce.start()

    def show_journey(self) -> None:
        segment = self.journey_tab.chosen_segment()
        stages = self.data.journeys.get(segment, []) if self.data is not None else []
        self.journey_tab.set_stages(stages, self.roster, self.view_data.checks)

    def compute(self) -> Task | None:
        """Work out figures, findings and evidence in the background (superseding a run
        still going); shown when done."""
        if self.session is None or self.data is None:
            return None
        project, data = self.session.project, self.data
        if not self.findings.count():
            self._show_findings_note("Working out what the lab shows…")
            self.evidence_tab.set_evidence(None)
        return self.run_task("analyse", "Working out what the customer-learning lab shows",
                             lambda p: analyse(project, data, p), self._show, report=False,
                             on_failed=lambda msg: self._show_findings_note(
                                 f"The figures could not be worked out: {msg}"))

    def _show(self, view: LabView) -> None:
        if self.session is None:
            return
        self.view_data = view
        self.insights_tab.show_metrics(view.metrics)
        self.insights_tab.show_sources(view.metrics.by_source if view.metrics else [])
        self.insights_tab.show_reach(view.metrics.by_department if view.metrics else [],
                                     reach_note(view.reach, view.metrics))
        self.evidence_tab.set_evidence(view.evidence)
        self.findings.clear()
        for finding in view.findings:
            row = Row(HEADLINE, finding.headline, finding.detail, kind=finding.kind)
            item = QListWidgetItem(f"{row.title}\n{row.text}")
            item.setData(Qt.UserRole, row)
            item.setToolTip(finding.title)
            self.findings.addItem(item)
        if not view.findings:
            data = self.data
            empty = data is None or not (data.insights or data.experiments or data.journeys)
            self._show_findings_note(EMPTY_LAB if empty else NO_FINDINGS)
        if not self._fitted:  # once per project: a height the user drags to stays
            self._fitted = True
            self._fit_findings()
        self.show_journey()

    def _fit_findings(self) -> None:
        """Give the findings the height they need, up to a quarter of the page."""
        rows = sum(self.findings.sizeHintForRow(r) for r in range(self.findings.count()))
        wanted = min(rows + 2 * self.findings.frameWidth() + SPACING,
                     max(self.splitter.height() // 4, 100))
        self.splitter.setSizes([wanted, max(self.splitter.height() - wanted, 1)])

    def _show_findings_note(self, text: str) -> None:
        self.findings.clear()
        item = QListWidgetItem(text)
        item.setData(Qt.UserRole, Row(NOTE, text=text))
        item.setFlags(Qt.ItemIsEnabled)
        self.findings.addItem(item)

    # -- editing ----------------------------------------------------------------------------

    def _service(self):
        return self.session.project.learning

    def _status(self, message: str) -> None:
        self.context.show_status(message, 8000)

    def _attempt(self, work: Callable[[], Any]) -> Any:
        """Run one edit; a refusal of the core is shown, not raised."""
        try:
            return work()
        except WorkbenchError as exc:
            self.context.show_error(str(exc))
            return None

    def _open(self, dialog: QWidget) -> QWidget:
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _roster(self) -> RosterView:
        if self.roster is None:
            self.roster = RosterView(self.session.project)
        return self.roster

    def add_insight(self) -> QWidget | None:
        if self.session is None:
            return None

        def save(dialog: InsightDialog) -> None:
            insight = self._service().add_insight(**dialog.fields())
            self._status(f"Added insight {insight.ref}. Ctrl+Z undoes it.")

        return self._open(InsightDialog(self._roster(), self._service().segments(), save,
                                        parent=self))

    def edit_insight(self) -> QWidget | None:
        chosen = self.insights_tab.selected_insights()
        if len(chosen) != 1:
            return None
        insight = chosen[0]

        def save(dialog: InsightDialog) -> None:
            changes = {k: v for k, v in dialog.fields().items() if getattr(insight, k) != v}
            if changes:
                self._service().update_insight(insight.id, **changes)
                self._status(f"Insight {insight.ref} saved. Ctrl+Z undoes it.")

        return self._open(InsightDialog(self._roster(), self._service().segments(), save,
                                        insight, parent=self))

    def delete_insights(self) -> None:
        chosen = self.insights_tab.selected_insights()
        if chosen and self._attempt(lambda: self._service().delete_insights(
                [i.id for i in chosen]) or True):
            what = chosen[0].ref if len(chosen) == 1 else count(len(chosen), "insight")
            self._status(f"Deleted {what}. Ctrl+Z brings {'it' if len(chosen) == 1 else 'them'}"
                         " back.")

    def import_file(self, kind: str, path: str | Path | None = None,
                    check: bool = False) -> QWidget | None:
        """Open the import dialog for ``kind`` ("insights" or "evidence")."""
        if self.session is None:
            return None
        from workbench.gui.learning_import import LearningImportDialog

        dialog = LearningImportDialog(self.context, kind, path, parent=self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.show()
        if check and path is not None:
            dialog.check()  # the filled entry workbook needs no column matching
        return dialog

    def write_entry_workbook(self, path: str | Path | None = None) -> Task | None:
        """Write the entry workbook for frontline teams in a background task."""
        if self.session is None:
            return None
        from workbench.core.learning.entry_workbook import write_insight_workbook

        project = self.session.project
        if path is None:
            suggested = self.session.path.parent / f"{self.session.path.stem} insight entry.xlsx"
            path, _ = QFileDialog.getSaveFileName(self, "Entry workbook for teams",
                                                  str(suggested), XLSX_FILTER)
        if not path:
            return None
        return self.run_task("entry-workbook", f"Writing {Path(path).name}",
                             lambda _p: write_insight_workbook(project, path),
                             lambda _r: self._status(
                                 f"Entry workbook written to {path}. Teams fill in one row "
                                 "per insight; Read filled workbook… brings them in."))

    def read_entry_workbook(self, path: str | Path | None = None) -> QWidget | None:
        """Check a filled entry workbook in the import dialog."""
        if self.session is None:
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Read a filled entry workbook",
                                                  str(self.session.path.parent), XLSX_FILTER)
        if not path:
            return None
        return self.import_file("insights", path, check=True)

    # experiments

    def add_experiment(self) -> QWidget | None:
        if self.session is None:
            return None

        def save(dialog: ExperimentDialog) -> None:
            experiment = self._service().add_experiment(**dialog.fields())
            self._status(f"Added experiment {experiment.ref}. Ctrl+Z undoes it.")

        return self._open(ExperimentDialog(self._roster(), save, parent=self))

    def edit_experiment(self) -> QWidget | None:
        experiment = self.experiments_tab.board.current()
        if experiment is None or not self.experiments_tab.editing:
            return None

        def save(dialog: ExperimentDialog) -> None:
            changes = {k: v for k, v in dialog.fields().items()
                       if getattr(experiment, k) != v}
            if changes:
                self._service().update_experiment(experiment.id, **changes)
                self._status(f"Experiment {experiment.ref} saved. Ctrl+Z undoes it.")

        return self._open(ExperimentDialog(self._roster(), save, experiment, parent=self))

    def move_experiment(self, step: int) -> None:
        experiment = self.experiments_tab.board.current()
        stage = self.experiments_tab.next_stage(step)
        if experiment is None or stage is None or not self.experiments_tab.editing:
            return
        if self._attempt(lambda: self._service().update_experiment(experiment.id, stage=stage)):
            self.experiments_tab.board.select(experiment.id)
            self._status(f"Moved experiment {experiment.ref} to {stage}. Ctrl+Z undoes it.")

    def delete_experiment(self) -> None:
        experiment = self.experiments_tab.board.current()
        if experiment is not None and self._attempt(
                lambda: self._service().delete_experiment(experiment.id) or True):
            self._status(f"Deleted experiment {experiment.ref}. Ctrl+Z brings it back.")

    def make_plan_action(self) -> None:
        experiment = self.experiments_tab.board.current()
        if experiment is None:
            return
        uid = self._attempt(lambda: self._service().experiment_to_action(experiment.id))
        if uid:
            self._status(f"Experiment {experiment.ref} is now action {uid} of the plan "
                         "(Plan page). Ctrl+Z undoes it.")

    # evidence

    def delete_measures(self) -> None:
        chosen = self.evidence_tab.selected_measures()
        if chosen and self._attempt(lambda: self._service().delete_measures(
                [m.id for m in chosen]) or True):
            self._status(f"Deleted {count(len(chosen), 'measure')}. Ctrl+Z brings them back.")

    # journey

    def add_stage(self, name: str | None = None) -> None:
        segment = self.journey_tab.chosen_segment()
        if self.session is None or not segment:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Add a journey stage",
                                            f"Name of the new stage of the {segment} journey:")
            if not ok:
                return
        current = self.journey_tab.canvas.current_stage()
        position = current.position + 1 if current is not None else None
        stage = self._attempt(lambda: self._service().add_stage(segment, name, position))
        if stage is not None:
            self.journey_tab.canvas.select_stage(stage.id)
            self._status(f"Added the stage '{stage.name}'. Ctrl+Z undoes it.")

    def move_stage(self, step: int) -> None:
        stage = self.journey_tab.canvas.current_stage()
        if stage is None:
            return
        self._attempt(lambda: self._service().move_stage(stage.id, stage.position + step))
        self.journey_tab.canvas.select_stage(stage.id)

    def delete_stage(self) -> None:
        stage = self.journey_tab.canvas.current_stage()
        if stage is not None and self._attempt(
                lambda: self._service().delete_stage(stage.id) or True):
            self._status(f"Deleted the stage '{stage.name}'. Ctrl+Z brings it back.")

    def edit_stage(self, stage_id: int, field_name: str, text: str) -> None:
        if self._attempt(lambda: self._service().update_stage(stage_id,
                                                              **{field_name: text})) is None:
            self.show_journey()  # the refused text goes back to what is stored

    def present_journey(self) -> JourneyPresenter | None:
        stages = self.journey_tab.canvas.stages
        if not stages:
            return None
        if self.presenter is not None:
            self.presenter.close()
        self.presenter = JourneyPresenter(self.journey_tab.chosen_segment(), stages,
                                          self.roster, self.view_data.checks)
        self.presenter.setAttribute(Qt.WA_DeleteOnClose)
        self.presenter.destroyed.connect(lambda *_: setattr(self, "presenter", None))
        self.presenter.present()
        return self.presenter

