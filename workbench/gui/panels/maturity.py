"""Maturity: the stage reached on the customer-centricity ladder and the gaps."""

from __future__ import annotations

from workbench.gui.panels.base import Panel
from workbench.gui.widgets import EmptyState


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
