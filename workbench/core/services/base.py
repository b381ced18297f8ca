"""Shared base of the project services."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.project import Project


class Service:
    def __init__(self, project: Project) -> None:
        self.project = project
