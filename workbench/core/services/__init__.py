"""Services a :class:`~workbench.core.project.Project` offers; each returns plain data."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.project import Project


def attach_services(project: Project) -> None:
    from workbench.core.services.assessments import AssessmentService
    from workbench.core.services.engagement import EngagementService
    from workbench.core.services.networks import NetworkService
    from workbench.core.services.notes import NoteService
    from workbench.core.services.people import PeopleService
    from workbench.core.services.plans import PlanService
    from workbench.core.services.settings import SettingsService
    from workbench.core.services.workshop import WorkshopService

    project.engagement = EngagementService(project)
    project.settings = SettingsService(project)
    project.people = PeopleService(project)
    project.networks = NetworkService(project)
    project.assessments = AssessmentService(project)
    project.plans = PlanService(project)
    project.notes = NoteService(project)
    project.workshop = WorkshopService(project)
