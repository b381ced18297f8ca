"""Project settings of the method (stored in the project file, undoable like any edit)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.core.project import Project

DISAGREEMENT_SETTING = "method.disagreement"


@dataclass(frozen=True)
class DisagreementRule:
    """Leaders disagree on a question when at least ``min_each_side`` of them sit on each side
    of a gap of ``min_levels`` or more (see :func:`scoring.disagreements`)."""

    min_levels: float = 2
    min_each_side: int = 2

    def __post_init__(self) -> None:
        if not 1 <= self.min_levels <= 4:
            raise WorkbenchError("The disagreement spread must be from 1 to 4 levels.")
        if self.min_each_side < 1:
            raise WorkbenchError("A disagreement needs at least one leader on each side.")

    @classmethod
    def from_setting(cls, value: Any) -> DisagreementRule:
        """The rule from a stored setting; missing or unusable parts take the defaults."""
        default = cls()
        if not isinstance(value, dict):
            return default
        levels, side = value.get("min_levels"), value.get("min_each_side")
        try:
            levels = float(levels) if levels is not None and not isinstance(levels, bool) \
                else default.min_levels
            side = int(side) if isinstance(side, int | float) and not isinstance(side, bool) \
                and float(side).is_integer() else default.min_each_side
            return cls(levels, side)
        except (TypeError, ValueError, WorkbenchError):
            return default

    def describe(self) -> str:
        """The rule in plain words, for captions and tooltips."""
        each = "one leader" if self.min_each_side == 1 else f"{self.min_each_side} leaders"
        return (f"at least {each} on each side, {self.min_levels:g} or more levels apart")


def disagreement_rule(project: Project) -> DisagreementRule:
    """The project's disagreement rule (defaults: 2 levels apart, 2 leaders on each side)."""
    return DisagreementRule.from_setting(project.settings.get(DISAGREEMENT_SETTING))


def save_disagreement_rule(project: Project, rule: DisagreementRule) -> None:
    """Store the rule as one undoable edit."""
    project.settings.set(DISAGREEMENT_SETTING, asdict(rule), "Change the disagreement rule")
