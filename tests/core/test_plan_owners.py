"""Owner roles -> people: suggestions from the roster, confirmation, privacy, open roles."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person
from workbench.core.plan.builder import PlanAction
from workbench.core.plan.owners import (
    SETTING_KEY,
    assigned_names,
    confirm_owners,
    fill_open_owners,
    load_owners,
    open_roles,
    owner_names,
    save_owners,
    suggest_owners,
)
from workbench.core.project import Project

ROSTER = [
    Person("e1", "Ana Lima", role="Head of Service"),
    Person("e2", "Bo Berg", role="Sales Director"),
    Person("e3", "Cy Diaz", role="Analyst", attributes={"Title": "Customer Insight Analyst"}),
    Person("e4", "Di Eze", role="Operations Manager"),
    Person("e5", "Ed Fox", role="Operations Manager"),
    Person("e6", "Flo Gil", role="Finance Business Partner"),
    Person("e7", "Gus Ho", role="Team lead"),
    Person("e8", "Hal Ito", role="Marketing Lead"),
    Person("e9", "Ida Jun", role="Marketing Lead"),
]


def test_suggestions_come_from_roster_roles_then_titles_and_skip_ties():
    roles = ["Head of service", "Head of sales", "Customer insight lead", "Operations manager",
             "Finance partner", "Cross-functional team lead", "Head of marketing",
             "Segment manager", "Head of service"]
    found = suggest_owners(roles, ROSTER)
    assert found["Head of service"].person_id == "e1"  # exact role, case aside
    assert "roster role" in found["Head of service"].reason
    assert found["Head of sales"].person_id == "e2"
    assert "Sales Director" in found["Head of sales"].reason
    assert found["Customer insight lead"].person_id == "e3"
    assert "job title" in found["Customer insight lead"].reason
    assert found["Finance partner"].person_id == "e6"
    assert found["Finance partner"].name == "Flo Gil"
    # two people hold the role, two match equally, or only a generic word matches: no guess
    for role in ("Operations manager", "Head of marketing", "Cross-functional team lead",
                 "Segment manager"):
        assert role not in found


def _actions(*roles: str) -> list[PlanAction]:
    day = dt.date(2025, 3, 3)
    return [PlanAction(f"A-{n}", "Act", 1, day, day, owner_role=r) for n, r in enumerate(roles)]


def test_role_mapping_round_trip_survives_reopening(tmp_path):
    path = tmp_path / "owners.owb"
    with Project.create(path) as project:
        project.people.add_many(ROSTER)
        suggested = suggest_owners(["Head of service", "Head of sales"], ROSTER)
        saved = confirm_owners(project, {role: s.person_id for role, s in suggested.items()},
                               "Confirm owners")
        assert saved == {"Head of service": "e1", "Head of sales": "e2"}
        assert project.history.undo_label == "Confirm owners"
        confirm_owners(project, {"Finance partner": "e6", "Head of sales": None})
        assert load_owners(project) == {"Head of service": "e1", "Finance partner": "e6"}
        project.undo()
        assert load_owners(project) == {"Head of service": "e1", "Head of sales": "e2"}
        with pytest.raises(WorkbenchError, match="not on the roster"):
            confirm_owners(project, {"Head of service": "nobody"})
        with pytest.raises(WorkbenchError, match="needs a name"):
            confirm_owners(project, {" ": "e1"})
        assert load_owners(project) == {"Head of service": "e1", "Head of sales": "e2"}
    with Project.open(path) as project:
        assert project.settings.get(SETTING_KEY) == {"Head of service": "e1",
                                                     "Head of sales": "e2"}
        assert assigned_names(project) == {"Head of service": "Ana Lima",
                                           "Head of sales": "Bo Berg"}
        assert owner_names(project) == {"Head of service": "Ana Lima",
                                        "Head of sales": "Bo Berg"}
        actions = _actions("Head of sales", "Product lead", "Head of service", "Product lead",
                           "Finance partner", "")
        assert open_roles(project, actions) == ["Product lead", "Finance partner"]
        project.people.remove("e2")  # someone who left the roster leaves the role open
        assert "Head of sales" not in owner_names(project)
        assert open_roles(project, actions) == ["Head of sales", "Product lead",
                                                "Finance partner"]


def test_owner_names_follow_the_privacy_setting(tmp_path, monkeypatch):
    from workbench.core.privacy import PrivacySettings, save_privacy

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    with Project.create(tmp_path / "private.owb") as project:
        project.people.add_many(ROSTER)
        confirm_owners(project, {"Head of service": "e1", "Operations manager": "e4"})
        save_privacy(project, PrivacySettings(pseudonymise=True))
        shown = owner_names(project)
        assert shown["Head of service"] == "Head of Service"  # a unique role shows as the role
        assert shown["Operations manager"] not in ("Di Eze", "e4", "Operations Manager")
        assert assigned_names(project)["Head of service"] == "Ana Lima"  # plans keep names


def test_confirmed_roles_name_the_owners_of_existing_actions_in_one_edit(tmp_path):
    from workbench.core.services.plans import Action

    day = dt.date(2025, 3, 3)
    with Project.create(tmp_path / "fill.owb") as project:
        project.people.add_many(ROSTER)
        project.plans.create_plan("Plan", 2, day, [
            Action("A-0001", "Blank, role confirmed below", 1, owner_role="Head of service"),
            Action("A-0002", "Someone chosen already", 1, owner_role="Head of service",
                   owner="Gus Ho"),
            Action("A-0003", "Blank, role stays open", 1, owner_role="Product lead"),
            Action("A-0004", "Blank, no role", 1),
        ])
        assert fill_open_owners(project) == 0  # nothing confirmed yet: no edit at all
        assert project.history.undo_label == "Create plan Plan"

        saved, filled = save_owners(project, {"Head of service": "e1"}, label="Owners")
        assert saved == {"Head of service": "e1"} and filled == 1
        owners = {a.uid: a.owner for a in project.plans.actions(1)}
        assert owners == {"A-0001": "Ana Lima", "A-0002": "Gus Ho", "A-0003": "",
                          "A-0004": ""}
        assert project.history.undo_label == "Owners"
        project.undo()  # one step takes back the mapping and the named owner
        assert load_owners(project) == {}
        assert {a.owner for a in project.plans.actions(1) if a.uid != "A-0002"} == {""}

        save_owners(project, {"Head of service": "e1"}, name_on_actions=False)
        assert load_owners(project) == {"Head of service": "e1"}
        assert next(a for a in project.plans.actions(1) if a.uid == "A-0001").owner == ""
        assert fill_open_owners(project, "Fill") == 1
        assert project.history.undo_label == "Fill"


def test_role_needs_and_person_choices_follow_the_roster_and_privacy(tmp_path, monkeypatch):
    from workbench.core.plan.owners import person_choices, role_needs
    from workbench.core.privacy import PrivacySettings, save_privacy

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    with Project.create(tmp_path / "needs.owb") as project:
        project.people.add_many(ROSTER)
        confirm_owners(project, {"Head of sales": "e2"})
        needs = role_needs(project, _actions("Head of service", "Head of sales",
                                             "Head of service", "Segment manager", ""))
        assert [(n.role, n.actions, n.confirmed) for n in needs] == [
            ("Head of service", 2, None), ("Head of sales", 1, "e2"),
            ("Segment manager", 1, None)]
        assert needs[0].suggestion.person_id == "e1" and needs[2].suggestion is None

        choices = person_choices(project)
        assert [c.name for c in choices][:2] == ["Ana Lima", "Bo Berg"]
        assert choices[0].detail == "Head of Service"
        save_privacy(project, PrivacySettings(pseudonymise=True, drop_attributes=("role",)))
        hidden = person_choices(project)
        assert {c.person_id for c in hidden} == {p.id for p in ROSTER}
        assert not {c.name for c in hidden} & {p.name for p in ROSTER}
        assert all(c.name.startswith("P-") and c.detail == "" for c in hidden)
