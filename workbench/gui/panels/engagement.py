"""Engagement: who the client is, the dates, the target step, the privacy threshold and the
rule for when leaders disagree."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.method.settings import (
    DisagreementRule,
    disagreement_rule,
    save_disagreement_rule,
)
from workbench.core.model import default_end_date
from workbench.gui.formatting import use_short_dates
from workbench.gui.panels.base import Panel
from workbench.gui.style import SPACING
from workbench.gui.widgets import EmptyState, FigureCard, label

STEP_NAMES = ("Internal social networks", "Cross-functional teams",
              "Customer-centricity coordinator", "Matrix reporting organisation",
              "Customer segment managers")


def _qdate(value: dt.date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate.currentDate()


class EngagementPanel(Panel):
    title = "Engagement"
    watches = frozenset({"engagement", "person", "network", "tie", "assessment_round",
                         "respondent", "plan_action", "setting"})

    def build_empty_state(self) -> EmptyState:
        return EmptyState("No engagement open", "Open or create an engagement to begin.")

    def build_content(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(SPACING * 3, SPACING * 3, SPACING * 3, SPACING * 3)
        outer.setSpacing(SPACING * 2)
        self.heading = label("", "title")
        outer.addWidget(self.heading)
        outer.addWidget(label("What the engagement is about, and the step the client aims for. "
                              "Every change is saved at once and can be undone (Ctrl+Z).",
                              "subtitle", wrap=True))
        cards = QGridLayout()
        cards.setSpacing(SPACING * 2)
        self.cards = {
            "people": FigureCard("people in the roster", "How many people the HR data lists."),
            "networks": FigureCard("networks mapped",
                                   "Advice, collaboration, customer-insight and other networks "
                                   "imported from surveys or collaboration data."),
            "respondents": FigureCard("questionnaire respondents",
                                      "Leaders asked to answer, across all assessment rounds."),
            "actions": FigureCard("plan actions", "Actions in the 100-day plans."),
        }
        for i, card in enumerate(self.cards.values()):
            cards.addWidget(card, 0, i)
        outer.addLayout(cards)

        form = QFormLayout()
        form.setSpacing(SPACING)
        # text fields take the width; dates and numbers keep their natural size
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        self.client = QLineEdit()
        self.consultant = QLineEdit()
        self.start = use_short_dates(QDateEdit())
        self.end = use_short_dates(QDateEdit())
        self.target = QSpinBox(minimum=1, maximum=5)
        self.target_name = label("", "hint")
        self.min_group = QSpinBox(minimum=3, maximum=50)
        self.min_group.setToolTip("Group figures are shown only for groups with at least this "
                                  "many people, so nobody can be singled out. Never below 3.")
        self.split_levels = QSpinBox(minimum=1, maximum=4, suffix=" levels apart")
        self.split_side = QSpinBox(minimum=1, maximum=20, suffix=" on each side")
        for box in (self.split_levels, self.split_side):
            box.setToolTip("A question is flagged \u201cleaders disagree\u201d only when at least "
                           "this many leaders sit on each side of a gap this wide: a real split, "
                           "not one outlier. Default: 2 levels apart, 2 leaders on each side.")
        self.split_levels.setAccessibleName("Disagreement: levels apart")
        self.split_side.setAccessibleName("Disagreement: leaders on each side")
        split_row = QHBoxLayout()
        split_row.addWidget(self.split_levels)
        split_row.addWidget(label("with at least", "hint"))
        split_row.addWidget(self.split_side)
        split_row.addStretch(1)
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(96)
        self.description.setTabChangesFocus(True)  # Tab leaves the field, as in the rest
        target_row = QHBoxLayout()
        target_row.addWidget(self.target)
        target_row.addWidget(self.target_name, 1)
        form.addRow("Client", self.client)
        form.addRow("Consultant", self.consultant)
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("Target step", target_row)
        form.addRow("Minimum group size", self.min_group)
        form.addRow("Leaders disagree when", split_row)
        form.addRow("Description", self.description)
        form_holder = QWidget()
        form_holder.setLayout(form)
        form_holder.setMaximumWidth(720)
        outer.addWidget(form_holder)
        outer.addStretch(1)

        self.client.editingFinished.connect(lambda: self._save("client", self.client.text()))
        self.consultant.editingFinished.connect(
            lambda: self._save("consultant", self.consultant.text()))
        self.start.editingFinished.connect(
            lambda: self._save("start_date", self.start.date().toPython()))
        self.end.editingFinished.connect(
            lambda: self._save("end_date", self.end.date().toPython()))
        self.target.valueChanged.connect(lambda v: self._save("target_step", v))
        self.min_group.valueChanged.connect(lambda v: self._save("min_group_size", v))
        self.split_levels.valueChanged.connect(lambda _v: self._save_disagreement())
        self.split_side.valueChanged.connect(lambda _v: self._save_disagreement())
        self.description.installEventFilter(self)
        self._loading = False
        return page

    def editing_widgets(self) -> list[QWidget]:
        # Disabled when a background task starts writing, before it takes the write lock: a
        # field losing focus this way still saves what was typed.
        return [self.client, self.consultant, self.start, self.end, self.target,
                self.min_group, self.split_levels, self.split_side, self.description]

    def eventFilter(self, obj, event) -> bool:  # save the description when focus leaves
        if obj is self.description and event.type() == event.Type.FocusOut:
            self._save("description", self.description.toPlainText())
        return super().eventFilter(obj, event)

    def _save(self, field: str, value) -> None:
        if self._loading or self.session is None:
            return
        current = getattr(self.session.project.engagement.get(), field)
        if current == value:
            return
        try:
            self.session.project.engagement.update(**{field: value})
        except WorkbenchError as exc:
            self.context.show_status(str(exc), 8000)
            self.reload()

    def _save_disagreement(self) -> None:
        if self._loading or self.session is None:
            return
        project = self.session.project
        rule = DisagreementRule(self.split_levels.value(), self.split_side.value())
        if rule != disagreement_rule(project):
            save_disagreement_rule(project, rule)

    def refresh(self) -> None:
        project = self.session.project
        engagement = project.engagement.get()
        self._loading = True
        try:
            self.heading.setText(engagement.client or "Untitled engagement")
            for widget, value in ((self.client, engagement.client),
                                  (self.consultant, engagement.consultant)):
                if widget.text() != value:
                    widget.setText(value)
            self.start.setDate(_qdate(engagement.start_date))
            self.end.setDate(_qdate(engagement.end_date or default_end_date(
                engagement.start_date or dt.date.today())))
            self.target.setValue(engagement.target_step)
            self.target_name.setText(STEP_NAMES[engagement.target_step - 1])
            self.min_group.setValue(engagement.min_group_size)
            rule = disagreement_rule(project)
            self.split_levels.setValue(round(rule.min_levels))
            self.split_side.setValue(rule.min_each_side)
            if self.description.toPlainText() != engagement.description:
                self.description.setPlainText(engagement.description)
        finally:
            self._loading = False
        rounds = project.assessments.rounds()
        self.cards["people"].set_count(project.people.count(), "person in the roster",
                                       "people in the roster")
        self.cards["networks"].set_count(len(project.networks.list()), "network mapped",
                                         "networks mapped")
        self.cards["respondents"].set_count(sum(r.respondent_count for r in rounds),
                                            "questionnaire respondent")
        self.cards["actions"].set_count(
            sum(len(project.plans.actions(p.id)) for p in project.plans.plans()), "plan action")
