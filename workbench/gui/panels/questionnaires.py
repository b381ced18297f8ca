"""Questionnaires: assessment rounds, respondents and their answers."""

from __future__ import annotations

from workbench.gui.models import Column, attr
from workbench.gui.panels.base import Panel
from workbench.gui.panels.tables import RecordTable
from workbench.gui.widgets import EmptyState


class QuestionnairesPanel(Panel):
    title = "Questionnaires"
    watches = frozenset({"assessment_round", "respondent", "answer", "template"})

    def build_empty_state(self) -> EmptyState:
        return EmptyState("No assessment rounds yet",
                          "Leaders answer the organisation-design questionnaire and rate the "
                          "customer-centricity ladder in assessment rounds.")

    def build_content(self) -> RecordTable:
        return RecordTable("Questionnaires", "Assessment rounds and how many leaders answered.", [
            Column("Round", attr("name")),
            Column("Questionnaire", lambda r: r.template.title),
            Column("Version", lambda r: r.template.version),
            Column("Date", attr("date")),
            Column("Respondents", attr("respondent_count")),
            Column("Status", attr("status")),
        ])

    def has_content(self) -> bool:
        return self.session is not None and bool(self.session.project.assessments.rounds())

    def refresh(self) -> None:
        self.content.set_records(self.session.project.assessments.rounds())
