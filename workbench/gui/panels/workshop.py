"""Workshop: presenter view and live voting (not in this version yet)."""

from __future__ import annotations

from workbench.gui.panels.base import Panel
from workbench.gui.widgets import EmptyState


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
