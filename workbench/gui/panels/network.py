"""People & Network: the roster and the networks mapped from it."""

from __future__ import annotations

from workbench.gui.models import Column, attr
from workbench.gui.panels.base import Panel
from workbench.gui.panels.tables import RecordTable
from workbench.gui.widgets import EmptyState


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
