"""Workshop core: agenda, reveal statistics, predict-then-reveal scoring, session record."""

from __future__ import annotations

import networkx as nx
import pytest

from workbench.core.model import Person, Tie
from workbench.core.project import Project
from workbench.core.questionnaire.schema import Template
from workbench.core.workshop.agenda import PREDICT_PAIRS, agenda_from_template, votable
from workbench.core.workshop.predictions import (
    department_pair_density,
    insight_nominations,
    pair_key,
    score_prediction,
)
from workbench.core.workshop.record import workshop_rows
from workbench.core.workshop.votes import vote_stats


def test_vote_stats_hand_computed():
    # votes 0,2,2,2,4: mean 2, median 2, population sd sqrt((4+0+0+0+4)/5)=sqrt(1.6);
    # quartiles 2 and 2 -> IQR 0, gap = max(0, 4/4) = 1 -> 0 and 4 are far from the group
    stats = vote_stats([0, 2, 2, 2, 4], scale=range(5))
    assert stats.distribution == {0: 1, 1: 0, 2: 3, 3: 0, 4: 1}
    assert stats.mean == 2 and stats.median == 2
    assert stats.spread == pytest.approx(1.6 ** 0.5)
    assert (stats.low, stats.high) == (0, 4)
    assert stats.outliers == [0, 4]
    assert stats.agreement == pytest.approx(3 / 5)
    # neighbours on the scale are not outliers
    assert vote_stats([2, 3, 3, 3], scale=range(5)).outliers == []


def test_choice_stats_have_no_mean():
    stats = vote_stats(["a", "b", "a"], scale=["a", "b", "c"], numeric=False)
    assert stats.distribution == {"a": 2, "b": 1, "c": 0}
    assert stats.mean is None and stats.mode == ["a"]
    assert stats.agreement == pytest.approx(2 / 3)


def test_agenda_follows_sections(tmp_path):
    from workbench.core.questionnaire.loader import load_template
    from workbench.paths import templates_dir

    template = load_template(templates_dir() / "org_design.yaml")
    items = agenda_from_template(template, sections={"measures"}, predictions=True)
    section = next(s for s in template.sections if s.id == "measures")
    expected = [q.id for q in section.questions if votable(q)]
    assert [i.ref for i in items if i.kind == "question"] == expected
    assert {i.kind for i in items} - {"question"} == {"predict_insight_people", PREDICT_PAIRS}


def test_measured_answers_match_networkx():
    people = [Person(f"p{i}", department=d) for i, d in enumerate("AAAAABBBBBCCCCC")]
    ties = [Tie("p0", "p5"), Tie("p5", "p0"), Tie("p1", "p6"), Tie("p0", "p10"),
            Tie("p2", "p3"), Tie("p6", "p5"), Tie("p7", "p5"), Tie("p5", "p5")]
    G = nx.DiGraph([(t.source, t.target) for t in ties if t.source != t.target])
    assert insight_nominations(ties) == {n: d for n, d in G.in_degree() if d}
    density = department_pair_density(people, ties, min_group_size=5)
    U = G.to_undirected()
    dept = {p.id: p.department for p in people}
    cross = lambda a, b: sum(1 for x, y in U.edges if {dept[x], dept[y]} == {a, b})  # noqa: E731
    assert density == {pair_key("A", "B"): cross("A", "B") / 25,
                       pair_key("A", "C"): cross("A", "C") / 25,
                       pair_key("B", "C"): 0.0}
    # a department below the privacy threshold is left out
    assert department_pair_density(people[:14], ties, 5).keys() == {pair_key("A", "B")}


def test_prediction_score():
    measured = {"a": 9, "b": 7, "c": 5, "d": 1, "e": 0}
    picks = [["a", "d"], ["a", "b"], ["d"]]
    score = score_prediction(picks, measured, k=2)
    assert score.team == [("a", 2), ("d", 2)]
    assert score.measured == [("a", 9), ("b", 7)]
    assert score.hits == ["a"] and score.overlap == 0.5
    # union a,b,d: team votes 2,1,2 vs figures 9,7,1 -> ranks (2.5,1,2.5) vs (3,2,1)
    from scipy.stats import spearmanr

    assert score.rank_correlation == pytest.approx(spearmanr([2, 1, 2], [9, 7, 1]).statistic)
    lowest = score_prediction([["e"]], measured, k=1, lowest=True)
    assert lowest.hits == ["e"]


def test_consensus_feeds_round_and_record(tmp_path):
    from workbench.core.questionnaire.loader import load_template
    from workbench.paths import templates_dir

    template: Template = load_template(templates_dir() / "maturity_ladder.yaml")
    with Project.create(tmp_path / "w.owb") as project:
        tid = project.assessments.store_template(template.id, template.version, template.title,
                                                 template.model_dump_json(by_alias=True))
        round_id = project.assessments.add_round(tid, "Baseline")
        agenda = agenda_from_template(template, sections={"step_1"})
        session = project.workshop.create_session("Board", agenda, round_id=round_id)
        first, second = project.workshop.items(session)[:2]
        for number, value in enumerate((1, 3, 3), start=1):
            project.workshop.cast_vote(first.id, f"P{number}", value)
        project.workshop.record_consensus(first.id, 3, "agreed after debate")
        project.workshop.record_consensus(first.id, 2, "revised")
        assert project.assessments.consensus(round_id) == {first.ref: 2}
        rows = workshop_rows(project)
        assert [r["Votes"] for r in rows] == [3] + [0] * (len(agenda) - 1)
        assert rows[0]["Consensus"] == "2" and rows[0]["Note"] == "revised"
        assert rows[0]["Individual votes"] == "1 ×1; 3 ×2"
        assert rows[1]["Question"] == second.title
        project.undo()  # the revision is one undoable edit
        assert project.assessments.consensus(round_id) == {first.ref: 3}


def _ladder_project(path, ratings):
    """A project with a maturity round on step 1: ``ratings`` = one {question: value} per leader."""
    from workbench.core.questionnaire.loader import load_template
    from workbench.paths import templates_dir

    template: Template = load_template(templates_dir() / "maturity_ladder.yaml")
    project = Project.create(path)
    tid = project.assessments.store_template(template.id, template.version, template.title,
                                             template.model_dump_json(by_alias=True))
    round_id = project.assessments.add_round(tid, "Baseline")
    for number, given in enumerate(ratings, start=1):
        respondent = project.assessments.add_respondent(round_id, f"L{number}")
        project.assessments.set_answers(respondent, given)
    project.engagement.update(target_step=1)
    return project, template, round_id


def test_consensus_replaces_the_mean_in_the_proposed_gaps(tmp_path):
    import statistics

    from workbench.core.method.gaps import project_gaps
    from workbench.core.plan.apply import propose_for_project

    cells = ["s1_communication_systems", "s1_information_sharing",
             "s1_collaborative_work_processes"]
    ratings = [dict(zip(cells, row, strict=True)) for row in ([1, 2, 4], [2, 3, 1], [3, 2, 2])]
    project, template, round_id = _ladder_project(tmp_path / "g.owb", ratings)
    with project:
        bar = template.scoring.bar.mean
        foundation = {q.id: q.group.foundation for q in template.questions() if q.group}
        means = {foundation[c]: statistics.fmean(r[c] for r in ratings) for c in cells}

        def expected(values):  # foundation -> (mean, shortfall, agreed) of cells below the bar
            return {f: (round(m, 9), round(bar - m, 9), agreed)
                    for f, (m, agreed) in values.items() if m < bar}

        def shown(gaps):
            return {foundation[g.item_id]: (round(g.mean, 9), round(g.shortfall, 9), g.agreed)
                    for g in gaps if g.step == 1}

        before = project_gaps(project)
        assert shown(before) == expected({f: (m, False) for f, m in means.items()})
        agenda = agenda_from_template(template, sections={"step_1"})
        session = project.workshop.create_session("Board", agenda, round_id=round_id)
        item = {i.ref: i for i in project.workshop.items(session)}
        project.workshop.record_consensus(item[cells[0]].id, 0, "nobody can reach sales")
        project.workshop.record_consensus(item[cells[1]].id, 4, "shared every week")
        agreed = {**means, foundation[cells[0]]: 0, foundation[cells[1]]: 4}
        flags = {f: f in (foundation[cells[0]], foundation[cells[1]]) for f in agreed}
        after = project_gaps(project)
        assert shown(after) == expected({f: (m, flags[f]) for f, m in agreed.items()})
        assert after[0].item_id == cells[0] and after[0].agreed  # now the largest
        proposal = propose_for_project(project)
        assert shown(proposal.gaps) == shown(after)
        assert {a.source for a in proposal.actions} >= {f"maturity_ladder:{cells[0]}"}
        # the individual ratings are untouched, and undo brings the old gaps back
        assert project.assessments.answers(round_id) == {
            f"L{n}": r for n, r in enumerate(ratings, start=1)}
        project.undo()
        project.undo()
        assert shown(project_gaps(project)) == shown(before)


def test_named_session_record_keeps_who_voted(tmp_path):
    from workbench.core.questionnaire.loader import load_template
    from workbench.paths import templates_dir

    template = load_template(templates_dir() / "maturity_ladder.yaml")
    agenda = agenda_from_template(template, sections={"step_1"})[:1]
    with Project.create(tmp_path / "n.owb") as project:
        named = project.workshop.create_session("Named", agenda, anonymous=False)
        hidden = project.workshop.create_session("Hidden", agenda)
        assert not project.workshop.session(named).anonymous
        assert project.workshop.session(hidden).anonymous
        for session in (named, hidden):
            item = project.workshop.items(session)[0]
            for who, value in (("Ana", 3), ("Ben", 1), ("Cy", 3)):
                project.workshop.cast_vote(item.id, who, value)
            project.workshop.add_note(session, "Ben sees a gap in the field", item.id)
        rows = {r["Session"]: r for r in workshop_rows(project)}
        assert rows["Named"]["Individual votes"] == "Ana: 3; Ben: 1; Cy: 3"
        assert rows["Hidden"]["Individual votes"] == "1 ×1; 3 ×2"
        assert "Ana" not in str(rows["Hidden"])
        assert rows["Named"]["Note"] == "Ben sees a gap in the field"
