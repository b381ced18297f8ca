"""Plan: the 100-day plan and its actions."""

from __future__ import annotations

from workbench.gui.models import Column, attr
from workbench.gui.panels.base import Panel
from workbench.gui.panels.tables import RecordTable
from workbench.gui.widgets import EmptyState


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
