"""The customer-learning lab's storage: services, undo/redo, schema 7 upgrade, demo, pseudonyms."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter

import pytest

from workbench.core.demo import load_recipe
from workbench.core.errors import WorkbenchError
from workbench.core.learning.model import (
    EXPERIMENT_STAGES,
    MEASURE_KINDS,
    InsightDraft,
    MeasureDraft,
    ScalingChange,
)
from workbench.core.model import Person
from workbench.core.project import Project, schema_version
from workbench.core.services.plans import Action

D = dt.date


def _insight(**changes) -> dict:
    fields = {"source": "complaint", "segment": "Households", "summary": "Bill arrived twice",
              "received_on": D(2026, 3, 2), "received_by": "E1", "can_act": "Head of Billing"}
    return {**fields, **changes}


def test_insights_get_refs_in_order_and_each_write_is_one_named_undo_step(project):
    lab = project.learning
    first = lab.add_insight(**_insight())
    second = lab.add_insight(**_insight(source="survey", received_on=D(2026, 3, 1)))
    assert (first.ref, second.ref) == ("I-0001", "I-0002")
    assert project.history.undo_label == "Add insight I-0002"
    # data() sorts by date received, then ref
    assert [i.ref for i in lab.data().insights] == ["I-0002", "I-0001"]

    edited = lab.update_insight(first.id, acted_on=D(2026, 3, 9), action_taken="Merged bills",
                                loop_closed=True)
    assert project.history.undo_label == "Edit insight I-0001"
    assert (edited.days_to_action, edited.acted, edited.loop_closed) == (7, True, True)
    assert edited.ref == "I-0001" and edited.summary == "Bill arrived twice"

    lab.delete_insights([first.id, second.id])
    assert project.history.undo_label == "Delete 2 insights"
    assert lab.data().insights == []
    project.undo()
    assert [i.ref for i in lab.data().insights] == ["I-0002", "I-0001"]
    # a deleted ref is not given again while a higher one exists
    lab.delete_insights([first.id])
    assert lab.add_insight(**_insight()).ref == "I-0003"


@pytest.mark.parametrize(("changes", "message"), [
    ({"source": "rumour"}, "source 'rumour' is not one of"),
    ({"acted_on": D(2026, 3, 1)}, "acted on 2026-03-01, before it was received on 2026-03-02"),
    ({"summary": "   "}, "what the customer told us"),
    ({"colour": "red"}, "fields that cannot be set: colour"),
])
def test_bad_insights_are_refused_and_nothing_is_written(project, changes, message):
    with pytest.raises(WorkbenchError, match=message):
        project.learning.add_insight(**_insight(**changes))
    assert project.learning.data().insights == []
    assert project.history.undo_label is None


def test_import_adds_new_insights_skips_those_already_held_and_can_replace(project):
    lab = project.learning
    lab.add_insight(**_insight())
    drafts = [InsightDraft(**_insight()),  # already in the log
              InsightDraft(**_insight(summary="Meter reader never came")),
              InsightDraft(**_insight(summary="Meter reader never came"))]  # twice in the file
    summary = lab.import_insights(drafts)
    assert (summary.added, summary.skipped, summary.removed) == (1, 2, 0)
    assert summary.describe() == "1 insight added; 2 already there, skipped"
    assert project.history.undo_label == "Import 3 insights"
    assert [i.ref for i in lab.data().insights] == ["I-0001", "I-0002"]

    replaced = lab.import_insights([InsightDraft(**_insight(source="data"))], replace=True)
    assert (replaced.added, replaced.removed) == (1, 2)
    assert [(i.ref, i.source) for i in lab.data().insights] == [("I-0001", "data")]
    project.undo()
    assert [i.ref for i in lab.data().insights] == ["I-0001", "I-0002"]


def test_undo_and_redo_restore_every_kind_of_write_exactly(project):
    lab = project.learning
    snapshots = [lab.data()]

    def step(write) -> None:
        write()
        snapshots.append(lab.data())

    step(lambda: lab.import_insights([InsightDraft(**_insight()),
                                      InsightDraft(**_insight(summary="Late refund"))]))
    step(lambda: lab.update_insight(1, via_gatekeeper=True, acted_on=D(2026, 4, 1)))
    step(lambda: lab.add_experiment(title="Renewal calls with an agent", connects=["customers"],
                                    value_kind="functional",
                                    changes=[{"area": "skills", "change": "Train agents"}]))
    step(lambda: lab.update_experiment(1, stage="create"))
    step(lambda: lab.replace_measures([MeasureDraft("Households", "churn", 14.0, "%",
                                                    target=11.0)]))
    step(lambda: lab.update_measure(lab.data().measures[0].id, value=12.5))
    for name in ("Quote", "Sign-up", "First bill"):
        step(lambda name=name: lab.add_stage("Small business", name))
    step(lambda: lab.add_stage("Small business", "Switch-over", position=2, handoff_from="Sales",
                               handoff_to="Operations", handoff_break="Switch date lost"))
    step(lambda: lab.update_stage(lab.data().journeys["Small business"][0].id, need="A price"))
    step(lambda: lab.move_stage(lab.data().journeys["Small business"][3].id, 1))
    step(lambda: lab.delete_stage(lab.data().journeys["Small business"][1].id))
    step(lambda: lab.delete_measures([m.id for m in lab.data().measures]))
    step(lambda: lab.delete_experiment(1))

    for before in reversed(snapshots[:-1]):
        project.undo()
        assert lab.data() == before
    for after in snapshots[1:]:
        project.redo()
        assert lab.data() == after


def test_experiments_move_between_stages_with_plain_labels(project):
    lab = project.learning
    experiment = lab.add_experiment(title="Energy clinic with the chamber",
                                    connects=("non-customers", "partners"),
                                    value_kind="functional")
    assert (experiment.ref, experiment.stage, experiment.decision) == ("E-01", "search", "")
    moved = lab.update_experiment(experiment.id, stage="scale")
    assert moved.stage == "scale"
    assert project.history.undo_label == "Move experiment E-01 to scale"
    lab.update_experiment(experiment.id, decision="scale", decided_on=D(2026, 11, 2),
                          changes=[ScalingChange("structures", "One queue", "E7")])
    assert project.history.undo_label == "Edit experiment E-01"
    stored = lab.data().experiments[0]
    assert stored.changes == (ScalingChange("structures", "One queue", "E7"),)
    assert stored.connects == ("non-customers", "partners")
    for changes, message in (({"stage": "someday"}, "stage 'someday'"),
                             ({"connects": ["aliens"]}, "'aliens'"),
                             ({"changes": [ScalingChange("budgets", "More money")]},
                              "scaling area 'budgets'")):
        with pytest.raises(WorkbenchError, match=message):
            lab.update_experiment(experiment.id, **changes)
    assert lab.add_experiment(title="Second").ref == "E-02"


def test_an_experiment_becomes_one_plan_action_once(project):
    lab = project.learning
    experiment = lab.add_experiment(title="Move-home concierge", stage="scale",
                                    owner="E1046", pilot_measures="Movers kept: 41 % to 52 %",
                                    business_case="Pays back in five months")
    with pytest.raises(WorkbenchError, match="there is no plan yet"):
        lab.experiment_to_action(experiment.id)
    plan_id = project.plans.create_plan("100-day plan", 2, D(2026, 10, 5),
                                        [Action("A-0001", "Name the champions", 1)])
    uid = lab.experiment_to_action(experiment.id)
    assert uid == "A-0002"
    assert project.history.undo_label == "Make experiment E-01 plan action A-0002"
    action = project.plans.actions(plan_id)[-1]
    assert (action.uid, action.owner, action.measure, action.step, action.kind) == (
        "A-0002", "E1046", "Movers kept: 41 % to 52 %", 2, "practice")
    assert "Move-home concierge" in action.title and "E-01" in action.notes
    assert lab.data().experiments[0].action_id == "A-0002"
    with pytest.raises(WorkbenchError, match="already plan action A-0002"):
        lab.experiment_to_action(experiment.id)
    project.undo()  # one step takes back both the action and the link
    assert [a.uid for a in project.plans.actions(plan_id)] == ["A-0001"]
    assert lab.data().experiments[0].action_id == ""


def test_journey_stages_keep_places_one_to_n(project):
    lab = project.learning
    ids = [lab.add_stage("Households", name).id for name in ("Quote", "Sign-up", "Bill")]
    lab.add_stage("Households", "Switch", position=2)
    lab.add_stage("Public sector", "Tender")

    def names() -> list[tuple[str, int]]:
        return [(s.name, s.position) for s in lab.data().journeys["Households"]]

    assert names() == [("Quote", 1), ("Switch", 2), ("Sign-up", 3), ("Bill", 4)]
    lab.move_stage(ids[2], 1)
    assert project.history.undo_label == "Move journey stage 'Bill' to place 1"
    assert names() == [("Bill", 1), ("Quote", 2), ("Switch", 3), ("Sign-up", 4)]
    lab.move_stage(ids[2], 99)
    assert names()[-1] == ("Bill", 4)
    lab.delete_stage(ids[0])
    assert names() == [("Switch", 1), ("Sign-up", 2), ("Bill", 3)]
    lab.update_stage(ids[1], name="Sign-up and credit check", feeling="Impatient")
    assert project.history.undo_label == "Edit journey stage 'Sign-up'"
    assert [s.name for s in lab.data().journeys["Public sector"]] == ["Tender"]
    with pytest.raises(WorkbenchError, match="cannot be empty"):
        lab.update_stage(ids[1], name=" ")


def test_measures_check_kind_and_number(project):
    with pytest.raises(WorkbenchError, match="kind 'happiness'"):
        project.learning.replace_measures([MeasureDraft("Households", "happiness", 3.0, "")])
    with pytest.raises(WorkbenchError, match="not a number"):
        project.learning.replace_measures([MeasureDraft("Households", "churn", "high", "%")])
    assert project.learning.data().measures == []


def test_segments_come_from_roster_insights_and_journeys(project):
    project.people.add_many([Person("E1", "Ann", segment="Households"),
                             Person("E2", "Bo", segment=" ")])
    project.learning.add_insight(**_insight(segment="Public sector"))
    project.learning.add_stage("Large business", "Tender")
    project.learning.replace_measures([MeasureDraft("Farmers", "churn", 3.0, "%")])
    assert project.learning.segments() == ["Households", "Large business", "Public sector"]


def _columns(path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return [row[1:] for row in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def test_a_schema_6_file_is_upgraded_after_a_backup(tmp_path):
    old = tmp_path / "old.owb"
    with Project.create(old, _schema_target="0006") as project:
        project.people.add_many([Person("E1", "Ann", department="Service")])
    assert "insight" not in {r[0] for r in sqlite3.connect(old).execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    with Project.open(old) as project:
        assert project.migrated_from == 6
        assert project.backup_path is not None and project.backup_path.exists()
        assert [p.name for p in project.people.list()] == ["Ann"]
        assert project.learning.data().insights == []
        project.learning.add_insight(**_insight(received_by="E1"))
        project.learning.add_stage("Households", "Quote")
    fresh = tmp_path / "new.owb"
    Project.create(fresh).close()
    for table in ("insight", "experiment", "customer_measure", "journey_stage"):
        assert _columns(old, table) == _columns(fresh, table)
    conn = sqlite3.connect(old)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version() == 7
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # refs stay unique
            conn.execute("INSERT INTO insight (ref, received_on) VALUES ('I-0001', '2026-01-01')")
    finally:
        conn.close()


def test_the_demo_lab_has_its_planted_patterns(demo):
    data = demo.learning.data()
    people = {p.id: p for p in demo.people.list()}
    assert 110 <= len(data.insights) <= 130
    assert {e.stage for e in data.experiments} == set(EXPERIMENT_STAGES)
    assert len(data.experiments) == 6
    segments = load_recipe()["segments"]
    assert {(m.segment, m.kind) for m in data.measures} == {
        (s, k) for s in segments for k in MEASURE_KINDS}
    assert all(m.target is not None for m in data.measures)
    [(segment, stages)] = data.journeys.items()
    assert segment in segments and 5 <= len(stages) <= 7
    assert [s.position for s in stages] == list(range(1, len(stages) + 1))
    breaks = [s for s in stages if s.handoff_break]
    assert len(breaks) == 2 and all(s.handoff_from and s.handoff_to for s in breaks)
    # every receiver and every actor is a person on the roster, with a department
    assert all(i.received_by in people and i.can_act in people for i in data.insights)
    receiving = Counter(people[i.received_by].department for i in data.insights)
    [(busiest, heard)] = receiving.most_common(1)
    assert heard > len(data.insights) / 2
    theirs = [i for i in data.insights if people[i.received_by].department == busiest]
    assert not any(people[i.can_act].department == busiest for i in theirs)
    assert sum(i.acted for i in theirs) < len(theirs) / 4
    partner = [i for i in data.insights if i.source == "partner"]
    assert partner and not any(i.acted for i in partner)
    others = [i for i in data.insights if i.source != "partner"]
    assert all(any(i.acted for i in others if i.source == s) for s in {i.source for i in others})
    months = {i.received_on.month for i in data.insights}
    assert len(months) == 6  # spread over about six months


def test_pseudonym_conversion_reaches_the_lab(pseudonymised_demo):
    from workbench.core.pseudonymise import convert_to_pseudonyms

    path, before = pseudonymised_demo
    names = {p.name for p in before}
    with Project.open(path) as project:
        original = {i.ref: (i.received_by, i.can_act) for i in project.learning.data().insights}
        owners = {e.ref: e.owner for e in project.learning.data().experiments}
        convert_to_pseudonyms(project)
        after = project.learning.data()
        roster = {p.id for p in project.people.list()}
    old_ids = {p.id for p in before}
    for insight in after.insights:
        assert insight.received_by in roster and insight.can_act in roster
        assert insight.received_by not in old_ids
        assert original[insight.ref] != (insight.received_by, insight.can_act)
    for experiment in after.experiments:
        assert experiment.owner in roster and experiment.owner != owners[experiment.ref]
        assert all(c.owner in roster for c in experiment.changes if c.owner)
    for stage in next(iter(after.journeys.values())):
        assert stage.owner in roster and stage.owner not in names
