"""Maturity: the stage reached on the customer-centricity ladder, the engagement's target step
(with the leaders' choice beside it when it differs), the gaps of every step up to the target,
where leaders disagree, and how a later round compares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.method.settings import DisagreementRule
from workbench.core.questionnaire import rounds as R
from workbench.core.questionnaire import scoring
from workbench.core.questionnaire.charts import (
    COLOUR_NAMES,
    MEETS_BAR,
    TARGET_OUTLINE,
    WIDE_SPREAD,
)
from workbench.core.questionnaire.schema import FOUNDATION_LABELS, STEPS, Template
from workbench.core.tasks import Progress
from workbench.core.wording import count
from workbench.gui.figure_view import FigureView
from workbench.gui.formatting import short_date
from workbench.gui.models import Column, attr
from workbench.gui.panels.base import Panel
from workbench.gui.panels.tables import RecordTable
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState, label, page_layout
from workbench.gui.workers import Task

PICK_A_QUESTION = "Select a question above to see who gave which rating."
STAGE_RULE = ("A step counts as reached when its ratings meet the bar and every step below it "
              "does too: steps may be stopped at, not skipped.")
# Captions name the colours the charts use, taken from the same constants.
LADDER_CAPTION = (f"Mean rating per step. {COLOUR_NAMES[MEETS_BAR].capitalize()} steps meet the "
                  f"bar; the target step has an {COLOUR_NAMES[TARGET_OUTLINE]} outline.")
SPREAD_CAPTION = ("For each micro-foundation of the target step: the lowest and highest rating "
                  f"given, and the mean (◆). {COLOUR_NAMES[WIDE_SPREAD].capitalize()} = leaders "
                  "2 or more levels apart.")

CHARTS = ("ladder", "heatmap", "radar", "spread", "comparison")


@dataclass(frozen=True)
class MaturityView:
    """Everything the panel shows for one round, computed off the GUI thread."""

    findings: R.RoundFindings
    figures: dict[str, Any]
    headline: str
    group_rows: list[dict[str, Any]]
    group_note: str
    comparison_note: str


def question_label(template: Template, question_id: str) -> str:
    """Short label: step and micro-foundation for ladder cells, else the question text."""
    question = template.question(question_id)
    if question.group is not None:
        return f"Step {question.group.step} · {FOUNDATION_LABELS[question.group.foundation]}"
    return question.text if len(question.text) <= 60 else question.text[:57] + "…"


def headline(findings: R.RoundFindings) -> str:
    """The stage reached, any step above it that meets the bar on its own, the engagement's
    target with the gaps to close, and the leaders' choice when it differs, in plain words."""
    stage, target = findings.stage.stage, findings.target_step
    parts = [f"The leaders' ratings place the organisation at step {stage} ({STEPS[stage]})."
             if stage else "No step of the ladder meets the bar yet, not even step 1."]
    above = findings.stage.met_above
    if above:
        steps = (f"Step {above[0]} meets" if len(above) == 1 else
                 f"Steps {_and(above)} meet")
        them = "it" if len(above) == 1 else "them"
        where = f"stands at step {stage}" if stage else "has reached no step yet"
        parts.append(f"{steps} the bar on {'its' if len(above) == 1 else 'their'} own, but "
                     f"step {stage + 1} below {them} does not, so the organisation {where}.")
    aim = f"The engagement aims at step {target} ({STEPS[target]})"
    if target <= stage:
        parts.append(f"{aim}, which is already reached.")
    else:
        first = stage + 1
        span = f"step {target}" if first == target else f"steps {first} to {target}"
        gaps = len(findings.gaps)
        parts.append(f"{aim}: {count(gaps, 'micro-foundation')} below the bar in {span}."
                     if gaps else f"{aim}: every micro-foundation of {span} meets the bar.")
    if findings.choice_note:
        parts.append(findings.choice_note)
    return " ".join(parts)


def disagreement_hint(rule: DisagreementRule) -> str:
    """The disagreements tab's explanation, stating the project's rule."""
    return (f"Questions on which leaders are split: {rule.describe()}. One outlier is not a "
            "split. Select a question to see the answers behind it; splits are worth "
            "discussing in a workshop.")


def _and(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def build_view(project, round_id: int, progress: Progress) -> MaturityView:
    """Findings, charts, the headline and the group table for one round (no Qt)."""
    from workbench.core.questionnaire import charts

    progress.update(0.1, "Scoring the answers")
    findings = R.round_findings(project, round_id)
    progress.update(0.4, "Drawing the charts")
    template = findings.template
    labels = {q.id: question_label(template, q.id) for q in template.questions()}
    target_ids = [q.id for q in template.questions()
                  if q.group is not None and q.group.step == findings.target_step]
    figures: dict[str, Any] = {
        "ladder": charts.ladder_figure(findings.stage, findings.target_step),
        "heatmap": charts.heatmap_figure(findings.grid),
        "radar": charts.radar_figure(findings.grid, findings.target_step),
        "spread": charts.spread_figure([findings.stats[q] for q in target_ids], labels),
    }
    key = project.assessments.round(round_id).template.key
    same = [r.id for r in project.assessments.rounds() if r.template.key == key]
    comparison_note = "Start a second round of this questionnaire (e.g. after 100 days) to " \
        "see what changed."
    if len(same) > 1:  # the previous round, or for the first round the next one
        index = same.index(round_id)
        pair = (same[index - 1], round_id) if index else (round_id, same[1])
        changes = R.compare_rounds(project, *pair)
        figures["comparison"] = charts.round_comparison_figure(changes, labels)
        names = [project.assessments.round(i).name for i in pair]
        comparison_note = f"From “{names[0]}” (●) to “{names[1]}” (arrow head)."
    progress.update(0.9, "Figures per department")
    rows, note = _group_rows(project, round_id, findings, target_ids)
    return MaturityView(findings, figures, headline(findings), rows, note, comparison_note)


def _group_rows(project, round_id: int, findings: R.RoundFindings,
                target_ids: list[str]) -> tuple[list[dict[str, Any]], str]:
    size = project.engagement.get().min_group_size
    departments = {r.code: r.department for r in project.assessments.respondents(round_id)}
    figures = scoring.group_figures(findings.template, findings.answers, departments, size)
    rows = []
    for group, stats in figures.stats.items():
        means = [s.mean for q in target_ids if (s := stats.get(q)) is not None and s.mean
                 is not None]
        rows.append({"group": group, "size": figures.sizes[group],
                     "mean": sum(means) / len(means) if means else None})
    note = (f"Figures per department are shown only for groups of at least "
            f"{count(size, 'respondent')} "
            "(set on the Engagement page), so no one's answers can be singled out.")
    if figures.hidden:
        note += f" Hidden: {', '.join(figures.hidden)}."
    return rows, note


class ChartTab(QWidget):
    """A chart with an Export button (PNG, SVG or PDF)."""

    def __init__(self, name: str, hint: str, scroll: bool = False) -> None:
        super().__init__()
        self.name = name
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        top = QHBoxLayout()
        self.hint = label(hint, "hint", wrap=True)
        top.addWidget(self.hint, 1)
        self.export_button = QPushButton("E&xport chart…")
        self.export_button.setToolTip("Save this chart as PNG, SVG or PDF.")
        self.export_button.clicked.connect(lambda: self.view.export_dialog(f"{name}.png"))
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.view = FigureView()
        self.scroll = scroll
        if scroll:
            area = QScrollArea()
            area.setWidgetResizable(True)
            area.setWidget(self.view)
            layout.addWidget(area, 1)
        else:
            layout.addWidget(self.view, 1)

    def set_figure(self, figure) -> None:
        self.view.set_figure(figure)
        if self.scroll:  # tall charts keep a readable row height and scroll
            self.view.setMinimumHeight(int(figure.get_figheight() * 64))


class MaturityPanel(Panel):
    title = "Maturity"
    watches = frozenset({"answer", "assessment_round", "respondent", "engagement"})

    def __init__(self, parent: QWidget | None = None) -> None:
        self.view_data: MaturityView | None = None
        self._debounce = QTimer(singleShot=True, interval=150)  # bursts of edits: score once
        self._debounce.timeout.connect(self.compute)
        super().__init__(parent)

    def build_empty_state(self) -> EmptyState:
        state = EmptyState("Maturity ladder",
                           "Once leaders have rated the five steps of customer-centricity in a "
                           "maturity-ladder round, the stage reached and the gaps to the target "
                           "step appear here. Start such a round on the Questionnaires page.",
                           "Go to Questionnaires")
        state.activated.connect(lambda: self.context.go_to("Questionnaires"))
        return state

    def build_content(self) -> QWidget:
        page = QWidget()
        layout = page_layout(page)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(label("Maturity", "title"))
        top.addStretch(1)
        round_label = label("&Round", None)
        self.chooser = QComboBox()
        self.chooser.setMinimumWidth(320)
        self.chooser.setToolTip("Rounds of a maturity-ladder questionnaire.")
        round_label.setBuddy(self.chooser)
        self.chooser.currentIndexChanged.connect(lambda _i: self._debounce.start())
        top.addWidget(round_label)
        top.addWidget(self.chooser)
        layout.addLayout(top)
        self.headline = label("Working out the stage reached…", "subtitle", wrap=True)
        self.headline.setStyleSheet("font-size: 13pt;")
        self.headline.setToolTip(
            "A step meets the bar when the mean of its seven micro-foundation ratings is at "
            "least the bar and no single one falls below the lowest-cell limit (see the ladder "
            "chart's legend). Ratings run from 0 (absent) to 4 (embedded).")
        layout.addWidget(self.headline)
        self.rule = label(STAGE_RULE, "hint", wrap=True)
        self.rule.setToolTip("Each step builds the capability the next one needs; the "
                             "organisation may stop at any step, but cannot skip one.")
        layout.addWidget(self.rule)
        self.tabs = QTabWidget()
        self.charts = {
            "ladder": ChartTab("ladder", LADDER_CAPTION),
            "heatmap": ChartTab("heatmap", "Every step × micro-foundation cell: the mean of the "
                                "leaders' ratings (0 absent … 4 embedded)."),
            "radar": ChartTab("radar", "The seven micro-foundations of the target step; the "
                              "further out, the more mature."),
            "spread": ChartTab("spread", SPREAD_CAPTION, scroll=True),
            "comparison": ChartTab("comparison", ""),
        }
        self.tabs.addTab(self.charts["ladder"], "&Ladder")
        self.tabs.addTab(self.charts["heatmap"], "&Heat map")
        self.tabs.addTab(self.charts["radar"], "Ta&rget step")
        self.tabs.addTab(self._build_gaps(), "&Gaps")
        self.tabs.addTab(self._build_disagreements(), "&Disagreements")
        self.tabs.addTab(self.charts["spread"], "&Spread")
        self.tabs.addTab(self._build_groups(), "&By department")
        self.tabs.addTab(self.charts["comparison"], "&Change")
        layout.addWidget(self.tabs, 1)
        return page

    def _build_gaps(self) -> RecordTable:
        self.gaps_table = RecordTable(
            "Gaps up to the target step",
            "Micro-foundations below the bar in every step from the first one not reached up "
            "to the target, step by step, largest shortfall first.", [
                Column("Rank", attr("rank"), "1 = the first to close."),
                Column("Step", attr("step"), "The ladder step the micro-foundation belongs to."),
                Column("Micro-foundation", lambda g: FOUNDATION_LABELS[g["foundation"]]),
                Column("Mean", attr("mean"), "Average rating of the leaders, 0–4.", "{:.1f}"),
                Column("Short by", attr("shortfall"),
                       "How many levels the mean falls below the bar.", "{:.1f}"),
                Column("What it means", attr("explanation"),
                       "A plain reading of the figures."),
            ])
        self.gaps_table.heading.setProperty("role", "section")
        return self.gaps_table

    def _build_disagreements(self) -> QWidget:
        splitter = QSplitter(Qt.Vertical)
        self.disagreements_table = RecordTable(
            "Where leaders disagree", disagreement_hint(DisagreementRule()), [
                Column("Question", attr("label")),
                Column("Low side", attr("low"),
                       "The low group: this many leaders or more rated this or lower.", "{:g}"),
                Column("High side", attr("high"),
                       "The high group: this many leaders or more rated this or higher.",
                       "{:g}"),
                Column("Apart", attr("apart"), "Levels between the low and the high group.",
                       "{:g}"),
                Column("Answers", attr("n"), "How many leaders answered."),
            ])
        self.disagreements_table.heading.setProperty("role", "section")
        header = self.disagreements_table.view.horizontalHeader()
        header.setStretchLastSection(False)  # the question gets the width, not the count
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        self.disagreements_table.view.selectionModel().currentRowChanged.connect(
            lambda *_: self._show_answers_behind())
        self.behind_table = RecordTable(
            "The answers behind it", "", [
                Column("Respondent", attr("who")),
                Column("Department", attr("department")),
                Column("Rating", attr("value"), "The level this person chose."),
                Column("Meaning", attr("meaning"), "The description of that level."),
            ])
        self.behind_table.heading.setProperty("role", "section")
        self.behind_table.filter.hide()
        self.behind_table.hint.setText(PICK_A_QUESTION)
        splitter.addWidget(self.disagreements_table)
        splitter.addWidget(self.behind_table)
        return splitter

    def _build_groups(self) -> RecordTable:
        self.groups_table = RecordTable("By department", "", [
            Column("Department", attr("group")),
            Column("Respondents", attr("size"), "How many leaders of this group answered."),
            Column("Target-step mean", attr("mean"),
                   "Average rating of the target step's micro-foundations in this group.",
                   "{:.1f}"),
        ])
        self.groups_table.heading.setProperty("role", "section")
        layout = self.groups_table.layout()
        layout.setStretchFactor(self.groups_table.view, 1)
        layout.addStretch(0)  # holds the note at the top while the table is hidden
        return self.groups_table

    # -- data --------------------------------------------------------------------------------

    def maturity_rounds(self) -> list:
        project = self.session.project
        return [info for info in project.assessments.rounds()
                if R.is_maturity_template(R.round_template(project, info.id))]

    def has_content(self) -> bool:
        return self.session is not None and bool(self.maturity_rounds())

    def set_session(self, session) -> None:
        if session is not self.session:  # nothing of the previous project stays on screen
            self.clear()  # (a result still on its way is dropped: see Panel.set_session)
        super().set_session(session)

    def clear(self) -> None:
        """Empty the round chooser, the headline, every chart and table."""
        self.view_data = None
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.blockSignals(False)
        self.headline.clear()
        for tab in self.charts.values():
            tab.view.clear()
        self.charts["comparison"].hint.clear()
        for table in (self.gaps_table, self.disagreements_table, self.groups_table):
            table.set_records([])
        self.groups_table.hint.clear()
        self._show_answers_behind()

    def refresh(self) -> None:
        keep = self.chooser.currentData()
        rounds = self.maturity_rounds()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for info in rounds:
            self.chooser.addItem(f"{info.name} ({short_date(info.date, 'no date')})", info.id)
        ids = [info.id for info in rounds]
        self.chooser.setCurrentIndex(ids.index(keep) if keep in ids else len(ids) - 1)
        self.chooser.blockSignals(False)
        self.headline.setText("Working out the stage reached…")
        self._debounce.start()

    def compute(self) -> Task | None:
        """Work out findings and charts in a background task (superseding one still running);
        show them when done."""
        round_id = self.chooser.currentData()
        if self.session is None or round_id is None:
            return None
        project = self.session.project
        self.headline.setText("Working out the stage reached…")
        return self.run_task("score", "Scoring the maturity round…",
                             lambda p: build_view(project, round_id, p), self._show,
                             report=False, on_failed=self.headline.setText)

    def _show(self, view: MaturityView) -> None:
        self.view_data = view
        self.headline.setText(view.headline)
        from workbench.core.report.method_notes import stage_rule

        self.rule.setText(stage_rule(view.findings.stage.bar))
        for name, tab in self.charts.items():
            if name in view.figures:
                tab.set_figure(view.figures[name])
            else:  # e.g. no second round to compare with: not the previous round's chart
                tab.view.clear()
        comparison = self.tabs.indexOf(self.charts["comparison"])
        self.tabs.setTabEnabled(comparison, "comparison" in view.figures)
        self.tabs.setTabToolTip(comparison, view.comparison_note)
        self.charts["comparison"].hint.setText(view.comparison_note)
        template = view.findings.template
        self.gaps_table.set_records([
            {"rank": g.rank, "step": g.step, "foundation": g.foundation, "mean": g.mean,
             "shortfall": g.shortfall, "explanation": self._explain(g, view.findings)}
            for g in view.findings.gaps])
        self.disagreements_table.hint.setText(disagreement_hint(view.findings.rule))
        self.disagreements_table.set_records([
            {"question_id": d.question_id, "label": question_label(template, d.question_id),
             "low": d.low, "high": d.high, "apart": d.levels_apart, "n": d.n}
            for d in view.findings.disagreements])
        self.groups_table.hint.setText(view.group_note)
        self.groups_table.set_records(view.group_rows)
        for widget in (self.groups_table.filter, self.groups_table.view):
            widget.setVisible(bool(view.group_rows))  # no empty grid when every group is hidden
        self._show_answers_behind()

    @staticmethod
    def _explain(gap: scoring.Gap, findings: R.RoundFindings) -> str:
        bar = findings.stage.bar
        if gap.mean is None:
            return "Nobody rated this yet, so the step cannot be judged."
        text = f"Rated {gap.mean:.1f} on average; the step needs {bar.mean:g}"
        if gap.below_min_cell:  # short enough for one table line at 1280 pixels
            return text + f" and no cell below {bar.min_cell:g}."
        return text + "."

    def _show_answers_behind(self) -> None:
        table = self.disagreements_table
        index = table.view.currentIndex()
        if self.view_data is None or not index.isValid():
            self.behind_table.hint.setText(PICK_A_QUESTION)
            self.behind_table.set_records([])
            return
        record = table.model.records[table.proxy.mapToSource(index).row()]
        question = self.view_data.findings.template.question(record["question_id"])
        people = self.session.project.assessments.respondents(self.chooser.currentData())
        answers = self.view_data.findings.answers
        rows = []
        for person in people:
            value = answers.get(person.code, {}).get(question.id)
            if value is None:
                continue
            meaning = question.anchors[int(value)] if question.anchors else ""
            rows.append({"who": person.name or person.code, "department": person.department,
                         "value": value, "meaning": meaning})
        self.behind_table.hint.setText(question.text)
        self.behind_table.set_records(sorted(rows, key=lambda r: r["value"]))
