"""The engagement stages that list what the project holds: questionnaires, network, plan."""

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


class NetworkPanel(Panel):
    title = "People & Network"
    watches = frozenset({"person", "network", "tie"})

    def build_empty_state(self) -> EmptyState:
        return EmptyState("No people yet",
                          "Bring in the HR roster and the network survey or collaboration data "
                          "to map who works with whom for customers.")

    def build_content(self) -> RecordTable:
        return RecordTable("People & Network", "", [
            Column("Network", attr("name")),
            Column("Relation", attr("type")),
            Column("Date", attr("date")),
            Column("Ties", attr("tie_count"), "How many nominations or contacts it holds."),
            Column("Source", attr("source_file")),
        ])

    def has_content(self) -> bool:
        return self.session is not None and self.session.project.people.count() > 0

    def refresh(self) -> None:
        project = self.session.project
        networks = project.networks.list()
        self.content.hint.setText(f"{project.people.count():,} people in the roster; "
                                  f"{len(networks)} networks mapped.")
        self.content.set_records(networks)


class PlanPanel(Panel):
    title = "Plan"
    watches = frozenset({"plan", "plan_action"})

    def build_empty_state(self) -> EmptyState:
        return EmptyState("No plan yet",
                          "The gaps between where leaders are and the target step become a "
                          "100-day plan with owners, measures and evidence.")

    def build_content(self) -> RecordTable:
        return RecordTable("100-day plan", "", [
            Column("Id", attr("uid")),
            Column("Action", attr("title")),
            Column("Step", attr("step")),
            Column("Owner", attr("owner")),
            Column("Start", attr("start")),
            Column("Due", attr("due")),
            Column("Status", attr("status")),
        ])

    def has_content(self) -> bool:
        return self.session is not None and bool(self.session.project.plans.plans())

    def refresh(self) -> None:
        project = self.session.project
        plans = project.plans.plans()
        actions = [a for p in plans for a in project.plans.actions(p.id)]
        done = sum(a.status == "Done" for a in actions)
        self.content.hint.setText(f"{plans[0].name} — {len(actions)} actions, {done} done.")
        self.content.set_records(actions)


class MaturityPanel(Panel):
    title = "Maturity"
    watches = frozenset({"answer"})

    def build_empty_state(self) -> EmptyState:
        return EmptyState("Maturity ladder",
                          "Once leaders have rated the five steps of customer-centricity, the "
                          "stage reached and the gaps to the target step appear here.")

    def build_content(self) -> EmptyState:
        return self.build_empty_state()

    def has_content(self) -> bool:
        return False


class WorkshopPanel(Panel):
    title = "Workshop"

    def build_empty_state(self) -> EmptyState:
        return EmptyState("Workshop mode",
                          "Presenter view and anonymous pass-the-laptop voting are not part of "
                          "this version yet. Use the questionnaires to collect leaders' views.")

    def build_content(self) -> EmptyState:
        return self.build_empty_state()

    def has_content(self) -> bool:
        return False
