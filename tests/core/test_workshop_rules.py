"""Workshop rules in the core: the live session's phases, ballot rules, the schema's guard."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.core.model import Person, Tie
from workbench.core.project import Project
from workbench.core.questionnaire.loader import load_template
from workbench.core.workshop.agenda import PREDICT_PEOPLE, AgendaItem, agenda_from_template
from workbench.core.workshop.rules import (
    DuplicateVote,
    IllegalTransition,
    InvalidConsensus,
    InvalidVote,
    WorkshopError,
)
from workbench.core.workshop.session import TRANSITIONS, Action, Phase, WorkshopRun
from workbench.paths import templates_dir


def _project(path, template_file="maturity_ladder.yaml", sections=("step_1",), named=False,
             predictions=False, limit=2):
    """A project with a round on ``template_file`` and a session on some of its sections."""
    template = load_template(templates_dir() / template_file)
    project = Project.create(path)
    tid = project.assessments.store_template(template.id, template.version, template.title,
                                             template.model_dump_json(by_alias=True))
    round_id = project.assessments.add_round(tid, "Baseline")
    agenda = agenda_from_template(template, sections=set(sections))[:limit]
    if predictions:
        agenda.append(AgendaItem(PREDICT_PEOPLE, "", "Who?", "Predict"))
        people = [Person(f"p{i}", f"Person {i}", department="Sales") for i in range(6)]
        project.people.add_many(people)
        project.networks.add("insight", [Tie("p0", "p1"), Tie("p2", "p1"), Tie("p3", "p4")],
                             type="customer_insight")
    session = project.workshop.create_session("Board", agenda, round_id=round_id,
                                              anonymous=not named)
    return project, session, round_id


def test_errors_are_workbench_errors():
    from workbench.core.errors import WorkbenchError

    for error in (IllegalTransition, InvalidVote, DuplicateVote, InvalidConsensus):
        assert issubclass(error, WorkshopError) and issubclass(error, WorkbenchError)


def test_every_phase_can_be_left_and_ballots_only_cast_or_cancel():
    assert set(TRANSITIONS) == set(Phase)
    assert set(TRANSITIONS[Phase.BALLOT]) == {Action.CAST, Action.CANCEL, Action.LEAVE}
    for phase, moves in TRANSITIONS.items():
        assert Action.LEAVE in moves
        assert (Action.NEXT in moves) == (phase != Phase.BALLOT)
        assert (Action.RECORD in moves) == (phase in (Phase.REVEALED, Phase.RECORDED))


def test_anonymous_run_through_an_item(tmp_path):
    project, session, round_id = _project(tmp_path / "a.owb")
    with project:
        run = WorkshopRun(project, session)
        item = run.item
        assert run.phase == Phase.QUESTION
        # nothing to reveal yet, nothing to go back to, no consensus before a reveal
        assert run.allowed() == {Action.VOTE, Action.NEXT, Action.NOTE, Action.LEAVE}
        for illegal in (run.reveal, run.previous, lambda: run.cast(2),
                        lambda: run.record(2), run.back, run.cancel):
            with pytest.raises(IllegalTransition):
                illegal()
        assert run.phase == Phase.QUESTION
        for number, value in enumerate((3, 1, 3), start=1):
            run.vote()
            assert run.phase == Phase.BALLOT and run.voter == f"Participant {number}"
            assert run.allowed() == {Action.CAST, Action.CANCEL, Action.LEAVE}
            with pytest.raises(IllegalTransition, match="while a participant is voting"):
                run.next()
            for wrong in (None, "", 5, -1, 2.5, "3", True, [3]):
                with pytest.raises(InvalidVote):
                    run.cast(wrong)
                assert run.phase == Phase.BALLOT  # the ballot stays open for a valid choice
            run.cast(value)
            assert run.phase == Phase.PASSING
            assert Action.REVEAL in run.allowed() and Action.VOTE in run.allowed()
        assert [(b.participant, b.value) for b in project.workshop.votes(item.id)] == [
            ("P1", 3), ("P2", 1), ("P3", 3)]
        run.vote()
        run.cancel()  # a participant who changes their mind leaves no ballot
        assert run.phase == Phase.QUESTION and run.ballots() == 3
        run.reveal()
        assert run.phase == Phase.REVEALED
        assert Action.VOTE not in run.allowed()  # nobody votes having seen the votes
        with pytest.raises(IllegalTransition, match="once the votes are revealed"):
            run.vote()
        for blank in (None, "", "   "):
            with pytest.raises(InvalidConsensus, match="Choose the agreed value first"):
                run.record(blank, "a note")
        with pytest.raises(InvalidConsensus, match="not on this question's scale"):
            run.record(7)
        assert project.workshop.consensus(session) == {}
        assert run.phase == Phase.REVEALED
        run.record(3, "  agreed  ")
        assert run.phase == Phase.RECORDED
        agreed = project.workshop.consensus(session)[item.id]
        assert (agreed.value, agreed.note) == (3, "agreed")
        assert project.assessments.consensus(round_id) == {item.ref: 3}
        run.record(2)  # a revision
        assert project.workshop.consensus(session)[item.id].value == 2
        run.back()
        assert run.phase == Phase.QUESTION and Action.VOTE not in run.allowed()
        with pytest.raises(IllegalTransition, match="closed when its votes were revealed"):
            run.vote()
        run.next()
        assert (run.index, run.phase) == (1, Phase.QUESTION)
        assert Action.VOTE in run.allowed()  # the next item's voting is open
        assert Action.NEXT not in run.allowed()  # the last item of this agenda
        with pytest.raises(IllegalTransition, match="last agenda item"):
            run.next()
        run.previous()
        assert run.index == 0 and Action.VOTE not in run.allowed()


def test_named_run_asks_the_name_and_refuses_a_second_vote(tmp_path):
    project, session, _ = _project(tmp_path / "n.owb", named=True)
    with project:
        run = WorkshopRun(project, session)
        assert run.vote() == Phase.PASSING  # the name comes first
        with pytest.raises(InvalidVote, match="name"):
            run.vote()
        with pytest.raises(InvalidVote, match="name"):
            run.vote("   ")
        assert run.vote("  Ana   Lima ") == Phase.BALLOT
        assert run.voter == "Ana Lima"
        run.cast(4)
        with pytest.raises(DuplicateVote) as refused:
            run.vote("ana lima")
        assert "Ana" not in str(refused.value)  # the room does not learn who voted
        assert run.phase == Phase.PASSING
        # the service refuses it whoever asks, not only the live run
        with pytest.raises(DuplicateVote):
            project.workshop.cast_vote(run.item.id, "ANA LIMA", 1)
        assert [(b.participant, b.value) for b in project.workshop.votes(run.item.id)] == [
            ("Ana Lima", 4)]
        # another item takes Ana's vote
        project.workshop.cast_vote(run.items[1].id, "Ana Lima", 1)


def test_single_choice_and_scale_values(tmp_path):
    project, session, _ = _project(tmp_path / "c.owb", "org_design.yaml",
                                   sections=("cco_functions", "measures"), limit=None)
    with project:
        workshop = project.workshop
        template = workshop.template(session)
        kinds = {template.question(i.ref).kind for i in workshop.items(session)}
        assert kinds == {"rating_0_4", "scale_1_5", "single_choice"}
        for item in workshop.items(session):
            question = template.question(item.ref)
            if question.kind == "single_choice":
                first = question.options[0].value
                assert workshop.cast_vote(item.id, "P1", first)
                with pytest.raises(InvalidVote):
                    workshop.cast_vote(item.id, "P2", "not an option")
                with pytest.raises(InvalidVote):
                    workshop.cast_vote(item.id, "P2", 1)  # the position is not the value
            elif question.kind == "scale_1_5":
                with pytest.raises(InvalidVote):
                    workshop.cast_vote(item.id, "P1", 0)
                workshop.cast_vote(item.id, "P1", 5.0)  # kept as the level 5
                assert workshop.votes(item.id)[0].value == 5
                assert isinstance(workshop.votes(item.id)[0].value, int)


def test_predictions_follow_the_same_rules(tmp_path):
    project, session, _ = _project(tmp_path / "p.owb", predictions=True)
    with project:
        run = WorkshopRun(project, session)
        run.go(len(run.items) - 1)
        assert run.item.kind == PREDICT_PEOPLE
        run.vote()
        for wrong in ([], ["p0", "p1", "p2", "p3"], ["nobody"], "p1"):
            with pytest.raises(InvalidVote):
                run.cast(wrong)
        run.cast(["p1", "p1", "p4"])  # a repeated pick counts once
        with pytest.raises(InvalidVote, match="predictions, not votes"):
            project.workshop.cast_vote(run.item.id, "P9", 3)
        with pytest.raises(DuplicateVote):
            project.workshop.cast_prediction(run.item.id, "p1", ["p2"])
        assert [b.value for b in project.workshop.predictions(run.item.id)] == [["p1", "p4"]]
        run.reveal()
        with pytest.raises(InvalidConsensus, match="note"):
            run.record(None, " ")
        with pytest.raises(InvalidConsensus, match="not a value"):
            run.record(3, "a note")
        run.record(None, "The team saw p1 coming")
        assert project.workshop.consensus(session)[run.item.id].note == "The team saw p1 coming"


def test_session_without_round_keeps_any_plain_value(tmp_path):
    template = load_template(templates_dir() / "maturity_ladder.yaml")
    with Project.create(tmp_path / "r.owb") as project:
        session = project.workshop.create_session(
            "Free", agenda_from_template(template, sections={"step_1"})[:1])
        item = project.workshop.items(session)[0]
        project.workshop.cast_vote(item.id, "P1", 4)
        with pytest.raises(InvalidVote):
            project.workshop.cast_vote(item.id, "P2", " ")
        with pytest.raises(DuplicateVote):
            project.workshop.cast_vote(item.id, "P1", 3)
        with pytest.raises(InvalidConsensus):
            project.workshop.record_consensus(item.id, None)


def _raw(path, sql, *params):
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def test_migration_keeps_each_participants_latest_ballot(tmp_path):
    path = tmp_path / "old.owb"
    with Project.create(path, _schema_target="0003"):
        pass
    early, late = "2024-05-01 10:00:00.000000", "2024-05-01 11:00:00.000000"
    _raw(path, "INSERT INTO workshop_session (id, name, anonymous, created) "
               "VALUES (1, 'Old', 1, ?)", early)
    for item in (1, 2):
        _raw(path, "INSERT INTO workshop_item (id, session_id, position, kind, ref) "
                   "VALUES (?, 1, ?, 'question', 'q')", item, item - 1)
    votes = [  # (id, item, participant, value, cast)
        (1, 1, "Ana", 1, late),  # Ana's latest on item 1 (cast later than id 2)
        (2, 1, "Ana", 3, early),
        (3, 1, "Ben", 2, early),
        (4, 1, "Ben", 4, early),  # same time as id 3: the higher id is the later one
        (5, 1, "Cy", 0, early),
        (6, 2, "Ana", 2, early),  # another item: not a duplicate
        (7, 1, "ana", 1, early),  # another spelling was another participant in old files
    ]
    for row in votes:
        _raw(path, 'INSERT INTO workshop_vote (id, item_id, participant, value, "cast") '
                   "VALUES (?, ?, ?, ?, ?)", *row)
    for pid, picks in ((1, '["p1"]'), (2, '["p2"]')):
        _raw(path, 'INSERT INTO workshop_prediction (id, item_id, participant, value, "cast") '
                   "VALUES (?, 2, 'Ana', ?, ?)", pid, picks, early)

    with Project.open(path) as project:
        assert project.migrated_from == 3
        assert project.backup_path.exists()
        kept = [(b.id, b.participant, b.value) for b in project.workshop.votes(1)]
        assert kept == [(1, "Ana", 1), (4, "Ben", 4), (5, "Cy", 0), (7, "ana", 1)]
        assert [b.id for b in project.workshop.votes(2)] == [6]
        assert [b.value for b in project.workshop.predictions(2)] == [["p2"]]
        with pytest.raises(DuplicateVote):
            project.workshop.cast_vote(2, "Ana", 1)
    # the schema itself refuses a second ballot, whatever writes it
    for table in ("workshop_vote", "workshop_prediction"):
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            _raw(path, f'INSERT INTO {table} (item_id, participant, value, "cast") '
                       "VALUES (2, 'Ana', '1', ?)", late)
    backup = sqlite3.connect(project.backup_path)
    try:  # the backup keeps the file as it was
        assert backup.execute("SELECT count(*) FROM workshop_vote").fetchone()[0] == len(votes)
    finally:
        backup.close()


def test_new_files_have_the_guard(tmp_path):
    path = tmp_path / "new.owb"
    project, session, _ = _project(path)
    with project:
        item = project.workshop.items(session)[0].id
        project.workshop.cast_vote(item, "P1", 2)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        _raw(path, 'INSERT INTO workshop_vote (item_id, participant, value, "cast") '
                   "VALUES (?, 'P1', '3', '2024-01-01 00:00:00.000000')", item)
