"""Every edit kind can be undone and redone, in memory and on disk."""

from __future__ import annotations

import datetime as dt

from workbench.core.model import Person, Tie
from workbench.core.services.plans import Action


def _undo_redo(project, read):
    after = read()
    project.undo()
    before = read()
    project.redo()
    assert read() == after
    return before, after


def test_engagement_edit(project):
    project.engagement.update(client="Acme")
    before, after = _undo_redo(project, lambda: project.engagement.get().client)
    assert (before, after) == ("Test Client", "Acme")


def test_people_import_and_person_edit(project):
    project.people.add_many([Person("p1", "Ada"), Person("p2", "Bo")])
    before, after = _undo_redo(project, lambda: [p.id for p in project.people.list()])
    assert before == [] and after == ["p1", "p2"]
    project.people.update(Person("p1", "Ada Lovelace", department="R&D"))
    before, after = _undo_redo(project, lambda: project.people.get("p1").name)
    assert (before, after) == ("Ada", "Ada Lovelace")


def test_roster_merge_is_one_step(project):
    project.people.add_many([Person("p1", "Ada"), Person("p2", "Bo")])
    project.people.merge(added=[Person("p3", "Cy")], changed=[Person("p1", "Ada L")],
                         removed=["p2"])
    before, after = _undo_redo(project, lambda: sorted((p.id, p.name)
                                                       for p in project.people.list()))
    assert before == [("p1", "Ada"), ("p2", "Bo")]
    assert after == [("p1", "Ada L"), ("p3", "Cy")]


def test_network_import_and_delete(project):
    ties = [Tie(f"p{i}", f"p{i + 1}", 1.0) for i in range(2000)]
    network_id = project.networks.add("advice", ties, type="advice")
    count = lambda: [(n.name, n.tie_count) for n in project.networks.list()]  # noqa: E731
    before, after = _undo_redo(project, count)
    assert before == [] and after == [("advice", 2000)]
    project.networks.remove(network_id)
    before, after = _undo_redo(project, count)
    assert before == [("advice", 2000)] and after == []
    project.undo()
    assert len(project.networks.ties(network_id)) == 2000


def test_assessment_answers(project):
    template_id = project.assessments.store_template("t", 1, "T", "id: t")
    round_id = project.assessments.add_round(template_id, "Baseline")
    rid = project.assessments.add_respondent(round_id, "L1", name="Leader")
    project.assessments.set_answers(rid, {"q1": 3, "q2": "text"})
    project.assessments.set_answers(rid, {"q1": 4})
    before, after = _undo_redo(project, lambda: project.assessments.answers(round_id))
    assert before == {"L1": {"q1": 3, "q2": "text"}}
    assert after == {"L1": {"q1": 4, "q2": "text"}}


def test_plan_actions(project):
    plan_id = project.plans.add_plan("Step 2", 2, dt.date(2026, 1, 5))
    project.plans.add_actions(plan_id, [Action("A-0001", "Map champions", step=1)])
    project.plans.update_action("A-0001", status="Done")
    before, after = _undo_redo(project, lambda: project.plans.actions(plan_id)[0].status)
    assert (before, after) == ("Not started", "Done")
    project.plans.delete_action("A-0001")
    before, after = _undo_redo(project, lambda: len(project.plans.actions(plan_id)))
    assert (before, after) == (1, 0)


def test_notes_and_settings(project):
    note_id = project.notes.add("Workshop", "Sales and Ops rarely meet")
    project.notes.update(note_id, text="Sales and Ops never meet")
    before, after = _undo_redo(project, lambda: project.notes.list()[0].text)
    assert (before, after) == ("Sales and Ops rarely meet", "Sales and Ops never meet")
    project.settings.set("privacy.pseudonymise", True)
    before, after = _undo_redo(project, lambda: project.settings.get("privacy.pseudonymise"))
    assert (before, after) == (None, True)


def test_undo_survives_reopen_on_disk(project, project_path):
    from workbench.core.project import Project

    project.engagement.update(client="Acme")
    project.undo()
    project.close()
    reopened = Project.open(project_path)
    try:
        assert reopened.engagement.get().client == "Test Client"
    finally:
        reopened.close()


def test_new_edit_clears_redo(project):
    project.engagement.update(client="A")
    project.undo()
    assert project.history.redo_label == "Edit engagement"
    project.engagement.update(client="B")
    assert project.history.redo_label is None
    assert project.redo() is None


def test_listeners_hear_each_change(project):
    heard = []
    project.add_listener(lambda cs: heard.append(cs.label if cs else None))
    project.engagement.update(client="A")
    project.undo()
    assert heard == ["Edit engagement", "Edit engagement"]


def test_nested_edits_are_one_step_and_roll_back_together(project):
    import pytest

    from workbench.core.tasks import Cancelled

    with project.edit("Import roster and network"):
        project.people.add_many([Person("p1", "Ada"), Person("p2", "Bo")])
        project.networks.add("advice", [Tie("p1", "p2")])
        assert project.people.count() == 2  # reads inside the edit see its writes
    assert project.history.undo_label == "Import roster and network"
    project.undo()
    assert project.people.count() == 0 and project.networks.list() == []

    with pytest.raises(Cancelled), project.edit("Cancelled import"):
        project.people.add_many([Person("p3", "Cy")])
        raise Cancelled()
    assert project.people.count() == 0
    assert project.history.undo_label is None and project.history.redo_label == (
        "Import roster and network")


def test_an_edit_that_changes_nothing_adds_no_step_and_tells_no_listener(project):
    project.engagement.update(client="A")
    project.undo()  # leaves a redo step, which a no-op must not clear
    heard = []
    project.add_listener(heard.append)
    project.engagement.update(client="Test Client")  # the value it already has
    with project.edit("Nothing at all"):
        pass
    assert heard == []
    assert project.history.undo_label is None
    assert project.history.redo_label == "Edit engagement"


def test_save_as_tells_listeners_the_scope_is_unknown(project, tmp_path):
    heard = []
    project.add_listener(heard.append)
    project.save_as(tmp_path / "copy.owb")
    assert heard == [None]  # None, not an empty change set: refresh everything


def test_bulk_insert_redo_stores_the_same_values(project):
    people = [Person("p1", "Zoë", department="R&D", customer_facing=True,
                     attributes={"grade": "7", "site": "Oslo"}),
              Person("p2", "Bo", manager_id="p1")]
    project.people.add_many(people)
    project.networks.add("advice", [Tie("p1", "p2", 2.5), Tie("p2", "p1", 1.0)], type="advice")
    (network,) = project.networks.list()
    read = lambda: (project.people.list(), project.networks.ties(network.id))  # noqa: E731
    stored = read()
    assert stored == (people, [Tie("p1", "p2", 2.5, "advice"), Tie("p2", "p1", 1.0, "advice")])
    project.undo()
    project.undo()
    assert project.people.list() == [] and project.networks.list() == []
    project.redo()
    project.redo()
    assert read() == stored
