"""The data check before a workshop, on the demo, an empty project and a roster-only one."""

from __future__ import annotations

import pytest

from workbench.core import importing
from workbench.core.errors import WorkbenchError
from workbench.core.readiness import (
    CUSTOMER_CHAMPIONS,
    DESIGN_QUESTIONS,
    MATURITY_VOTE,
    NETWORK_MAP,
    PLAN_PROPOSAL,
    PREDICT_THEN_REVEAL,
    SAY_VS_SHOW,
    workshop_readiness,
)
from workbench.core.workshop.agenda import PREDICT_PAIRS, PREDICT_PEOPLE
from workbench.core.workshop.reveal import measured_answer

EXERCISES = [MATURITY_VOTE, DESIGN_QUESTIONS, PREDICT_THEN_REVEAL, SAY_VS_SHOW,
             CUSTOMER_CHAMPIONS, NETWORK_MAP, PLAN_PROPOSAL]
ROSTER = "".join(f"p{i},Person {i},{('Sales', 'Service', 'Finance')[i % 3]},"
                 f"{'' if i == 0 else 'p0'}\n" for i in range(18))


def checks(project):
    return {c.exercise: c for c in workshop_readiness(project)}


def missing(check) -> str:
    return " ".join(check.missing)


@pytest.fixture
def roster_only(project, tmp_path):
    """A roster with departments and managers, and the reporting lines built from it."""
    path = tmp_path / "people.csv"
    path.write_text("id,name,department,manager_id\n" + ROSTER, encoding="utf-8")
    plan = importing.read_people_file(project, path)
    plan.networks.append(importing.formal_network(importing.roster_after(project, plan)))
    importing.apply_import(project, plan)
    return project


def test_every_exercise_of_the_demo_is_ready(demo):
    found = workshop_readiness(demo)
    assert [c.exercise for c in found] == EXERCISES
    assert all(c.ready for c in found), [c.missing for c in found if not c.ready]
    by_name = {c.exercise: c for c in found}
    assert "'customer_insight' (541 ties)" in " ".join(by_name[PREDICT_THEN_REVEAL].present)
    assert "Leaders' ratings from round" in by_name[SAY_VS_SHOW].present[0]
    assert by_name[PLAN_PROPOSAL].present[0].endswith("to turn into actions.")


def test_an_empty_project_names_what_each_exercise_lacks(project):
    found = checks(project)
    assert list(found) == EXERCISES and not any(c.ready for c in found.values())
    assert "maturity-ladder round" in missing(found[MATURITY_VOTE])
    assert "organisation-design round" in missing(found[DESIGN_QUESTIONS])
    predictions = missing(found[PREDICT_THEN_REVEAL])
    assert "import the people list first" in predictions
    assert ("'Who do people go to for customer insight?' needs a customer-insight network: "
            "import a ties file with the relation 'customer insight'.") in predictions
    assert "relation 'collaboration'" in predictions
    assert "leaders' ratings" in missing(found[SAY_VS_SHOW])
    assert "The network map needs a network" in missing(found[NETWORK_MAP])
    assert "collect their answers" in missing(found[PLAN_PROPOSAL])


def test_a_roster_only_project_is_told_the_reporting_lines_are_not_the_informal_network(
        roster_only):
    found = checks(roster_only)
    assert not any(c.ready for c in found.values())
    network = found[NETWORK_MAP]
    assert network.present == ("Reporting lines for the formal structure: 'Reporting lines' "
                               "(17 ties).",)
    assert "Only the reporting lines are there" in missing(network)
    assert "(the reporting lines do not count)" in missing(found[SAY_VS_SHOW])
    predictions = missing(found[PREDICT_THEN_REVEAL])
    assert "people list" not in predictions and "fewer than two" not in predictions
    assert found[CUSTOMER_CHAMPIONS].missing == (
        "Customer champions are the people others name for customer insight: import a ties "
        "file with the relation 'customer insight'.",)


def test_importing_ties_with_the_chosen_relation_makes_its_exercises_ready(roster_only, tmp_path):
    ties = tmp_path / "nominations.csv"
    ties.write_text("source,target\n" + "".join(f"p{i},p{(i * 5 + 1) % 18}\n" for i in range(1, 18)),
                    encoding="utf-8")
    importing.apply_import(roster_only, importing.read_ties_file(
        roster_only, ties, relation="Customer insight"))
    found = checks(roster_only)
    assert found[CUSTOMER_CHAMPIONS].ready and found[NETWORK_MAP].ready
    predictions = found[PREDICT_THEN_REVEAL]
    assert not predictions.ready and len(predictions.missing) == 1
    assert "relation 'collaboration'" in predictions.missing[0]
    assert "Step 1 is measured on 'customer_insight' (17 ties)." in found[SAY_VS_SHOW].present


@pytest.mark.parametrize("kind", [PREDICT_PEOPLE, PREDICT_PAIRS])
def test_predictions_are_ready_exactly_when_the_reveal_can_be_measured(demo, roster_only, kind):
    """The check asks for what the reveal reads: where it says missing, the reveal fails."""
    question = "customer insight" if kind == PREDICT_PEOPLE else "work together"
    for project in (demo, roster_only):
        said_missing = question in missing(checks(project)[PREDICT_THEN_REVEAL])
        try:
            measured = bool(measured_answer(project, kind))
        except WorkbenchError:
            measured = False
        assert said_missing is not measured, project.path.name
