"""Say vs show: one cross-department scale for steps 1 and 2, step 3 split into "appointed
coordinator" and "people who already link departments", a method sentence for every step;
missing data is never guessed."""

from __future__ import annotations

import networkx as nx
import pytest

from workbench.core.method.rounds import ladder_round, latest_round
from workbench.core.model import Person, Tie
from workbench.core.network.findings import KINDS
from workbench.core.plan.evidence import (
    ALIGNED,
    APPOINTED,
    COORDINATOR_ROLE,
    FORMAL,
    INSUFFICIENT,
    LINKERS,
    NONE,
    NOT_APPLICABLE,
    OVERRATE,
    SAID,
    UNDERRATE,
    UNKNOWN,
    Crossing,
    FormalFacts,
    LeaderRating,
    NetworkFigures,
    Said,
    brokerage_reach,
    department_crossing,
    formal_facts,
    mixing_level,
    say_vs_show,
)
from workbench.core.plan.owners import confirm_owners
from workbench.core.project import Project
from workbench.core.report.assemble import project_evidence

NOBODY = FormalFacts(roles={3: Said(1, 5)}, cco=Said(0, 5))  # leaders: nobody is appointed
ABLE = {"p1": 5, "p2": 3, "p3": 4, "p4": 2}  # departments each person links


def _figures(share=0.3, expected=0.8, champions=4, teams=3, reach=None, departments=9):
    ties = 1000
    return NetworkFigures(
        customer=Crossing("customer insight", ties, round(share * ties), expected),
        champions=champions,
        main=Crossing("collaboration", ties, round(share * ties), expected),
        teams=teams, team_rule=(5, 12, 3), reach=ABLE if reach is None else reach, departments=departments)


def _one(step, rating, figures=None, facts=NOBODY):
    (result,) = say_vs_show({step: rating}, figures or _figures(), facts, steps=(step,))
    return result


# -- one scale for steps 1 and 2 ---------------------------------------------------------------

def test_scale_anchors():
    assert mixing_level(0.0, 0.8) == 0
    assert mixing_level(0.4, 0.8) == pytest.approx(2.0)  # half the random share
    assert mixing_level(0.8, 0.8) == pytest.approx(4.0)  # the random share
    assert mixing_level(0.95, 0.8) == 4.0  # more mixing than random still tops out at 4


@pytest.mark.parametrize("share", [0.1, 0.35, 0.6, 0.9])
def test_same_cross_department_share_gives_the_same_level_on_steps_one_and_two(share):
    figures = _figures(share=share)
    first, second = say_vs_show({}, figures, NOBODY, steps=(1, 2))
    assert first.show_value == pytest.approx(second.show_value)
    assert first.show_value == pytest.approx(mixing_level(share, 0.8))
    for step in (first, second):  # the same scale, stated with the same anchors
        assert "0 = no tie crosses, 2 = half the random share, 4 = the random share or more" \
            in step.method
        assert f"{share:.0%} join people of different departments, against 80%" in step.method


def test_step_two_differs_only_where_its_groups_say_why():
    capped = _one(2, LeaderRating(2.0, 3), _figures(share=0.6, teams=0))
    step1 = _one(1, LeaderRating(2.0, 3), _figures(share=0.6, teams=0))
    assert capped.show_value == 1.0 and step1.show_value == pytest.approx(3.0)
    assert "0 groups of 5–12 people from 3 or more departments, which caps the level at 1" \
        in capped.method
    assert _one(2, LeaderRating(2.0, 3), _figures(share=0.6, teams=1)).show_value == 2.0
    # a cap above the scale's own value changes nothing
    assert _one(2, LeaderRating(2.0, 3), _figures(share=0.1, teams=1)).show_value == \
        pytest.approx(mixing_level(0.1, 0.8))


def test_no_champions_means_no_step_one_practice():
    result = _one(1, LeaderRating(3.5, 6), _figures(share=0.9, champions=0))
    assert result.show_value == 0 and result.verdict == OVERRATE
    assert "Nobody is named for customer insight" in result.method
    assert "3.5" in result.finding


def test_department_crossing_against_random_mixing_of_the_same_people():
    G = nx.DiGraph()
    for person, dept in {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": ""}.items():
        G.add_node(person, department=dept)
    G.add_edges_from([("a", "b"), ("a", "c"), ("c", "d"), ("e", "a")])  # e: no department
    crossing = department_crossing(G, "collaboration")
    assert (crossing.ties, crossing.crossing) == (3, 1)
    # ties in proportion to out-degree x in-degree over pairs of different people: out a 2,
    # c 1; in b, c, d 1 each; 8 such pairs, 3 of them inside a department (a-b twice, c-d)
    assert crossing.expected_share == pytest.approx(5 / 8)
    assert crossing.level == pytest.approx(4 * (1 / 3) / (5 / 8))
    one_department = nx.DiGraph([("a", "b")])
    nx.set_node_attributes(one_department, "X", "department")
    assert department_crossing(one_department, "advice").level is None


# -- step 3: appointed coordinator vs people who already link departments ----------------------

def test_brokerage_reach_counts_other_departments_linked_by_open_two_paths():
    G = nx.DiGraph()
    for person, dept in {"h": "H", "a": "A", "b": "B", "c": "C", "d": "D",
                         "x": "X", "y": "Y", "z": "Z"}.items():
        G.add_node(person, department=dept)
    G.add_edges_from([("a", "h"), ("b", "h"), ("h", "c"), ("h", "d"), ("a", "c")])
    # x only passes on between two people who are tied directly: no brokerage
    G.add_edges_from([("y", "x"), ("x", "z"), ("y", "z")])
    reach = brokerage_reach(G)
    assert reach["h"] == 4  # a -> d, b -> c and b -> d stay open; a -> c is closed
    assert "x" not in reach
    assert NetworkFigures(reach=reach).able() == ("h",)


def test_candidates_without_an_appointment_do_not_raise_step_three():
    rating = LeaderRating(2.5, 5)
    many = _one(3, rating)
    nobody_able = _one(3, rating, _figures(reach={}))
    assert NOBODY.appointment == NONE
    assert many.show_value == nobody_able.show_value == 0.0
    assert many.appointed.startswith("Appointed coordinator: none")
    assert "1 of 5 leaders rate the step-3 roles cell at 2 or more" in many.appointed
    assert many.able.startswith("People who already link 3 or more other departments: 3 "
                                "people, each a go-between")
    assert many.people == ("p1", "p3", "p2")  # ids, most departments first
    assert "people who link departments do not raise it" in many.method
    assert many.appointed in many.method and many.able in many.method
    assert many.show_text == ("appointed coordinator: none; 3 people link 3 or more other "
                              "departments")
    assert many.verdict == OVERRATE and "3 people already link" in many.finding
    assert nobody_able.able.startswith(f"{LINKERS}: nobody")
    # not the wording of the network findings' candidate-team coordinator
    title = KINDS["coordinator_candidate"].casefold()
    assert all(title not in text.casefold() and "able to coordinate" not in text.casefold()
               for text in (many.able, many.method, many.show_text, many.finding))


def test_a_confirmed_coordinator_is_read_from_their_place_in_the_network():
    rating = LeaderRating(2.5, 5)
    facts = FormalFacts(coordinator="p3", roles={3: Said(1, 5)})
    result = _one(3, rating, facts=facts)
    assert facts.appointment == APPOINTED
    assert "confirmed for the role 'Customer-centricity coordinator'" in result.appointed
    # 8 other departments: 4 linked (half of them) is the top anchor
    assert result.show_value == 4.0 and result.people[0] == "p3"
    weak = _one(3, rating, _figures(reach={"p3": 1}), facts)
    assert weak.show_value == pytest.approx(1.0) and "links colleagues of 1 of the 8" in weak.method


def test_an_appointment_leaders_speak_of_needs_a_name_before_the_network_can_check_it():
    said = FormalFacts(roles={3: Said(4, 5)})
    assert said.appointment == SAID and FormalFacts().appointment == UNKNOWN
    assert FormalFacts(cco=Said(3, 4)).appointment == SAID
    result = _one(3, LeaderRating(2.5, 5), facts=said)
    assert result.verdict == INSUFFICIENT and result.show_value is None
    assert "not confirmed in the plan's owners" in result.finding
    unknown = _one(3, LeaderRating(2.5, 5), facts=FormalFacts())
    assert unknown.verdict == INSUFFICIENT and unknown.appointed.startswith(
        "Appointed coordinator: not known")


# -- verdicts, missing data and formal steps ---------------------------------------------------

@pytest.mark.parametrize(("step", "level"), [(1, 1.5), (2, 1.5), (3, 0.0)])
def test_show_levels_and_verdicts(step, level):
    figures = _figures(share=0.3)  # 0.3 of 0.8 -> 1.5 on the scale
    assert _one(step, LeaderRating(level, 5), figures).show_value == pytest.approx(level)
    assert _one(step, LeaderRating(level + 1.0, 5), figures).verdict == ALIGNED
    assert _one(step, LeaderRating(level + 1.5, 5), figures).verdict == OVERRATE
    if level >= 1.5:
        assert _one(step, LeaderRating(level - 1.5, 5), figures).verdict == UNDERRATE


def test_missing_network_or_ratings_is_insufficient():
    no_network = say_vs_show({2: LeaderRating(3.0, 4)}, None, NOBODY, steps=(1, 2, 3))
    assert all(e.verdict == INSUFFICIENT and e.show_value is None for e in no_network)
    assert "no customer-insight network" in no_network[0].finding
    assert "Not measured" in no_network[1].method
    no_rating = _one(2, LeaderRating(None, 0))
    assert no_rating.verdict == INSUFFICIENT and no_rating.say_value is None
    assert "no leader ratings" in no_rating.finding


def test_formal_steps_say_what_the_roster_and_answers_can():
    facts = FormalFacts(roles={4: Said(2, 6), 5: Said(0, 6)}, people=40, segment_tagged=12)
    step4, step5 = say_vs_show({4: LeaderRating(3.0, 4), 5: LeaderRating(2.0, 4)}, _figures(),
                               facts, steps=(4, 5))
    assert [step4.verdict, step5.verdict] == [NOT_APPLICABLE, NOT_APPLICABLE]
    assert step4.say_value == 3.0 and step4.show_value is None
    assert step4.method.startswith(FORMAL) and step5.method.startswith(FORMAL)
    assert "second, customer-side reporting line is not measured" in step4.method
    assert "12 people are tagged with a customer segment" in step4.method
    assert "2 of 6 leaders rate the step-4 roles cell above 0" in step4.method
    assert "nobody holds a role or title naming a customer segment manager" in step5.method
    assert "Nobody on the roster holds a segment manager role" in step5.finding
    nothing = say_vs_show({}, None, None, steps=(4,))[0]
    assert "not measured" in nothing.method and "nobody has rated" in nothing.method


def test_every_step_has_its_own_method_sentence():
    for figures, facts in ((_figures(), NOBODY), (None, None),
                           (_figures(), FormalFacts(coordinator="p1"))):
        methods = [e.method for e in say_vs_show({}, figures, facts)]
        assert all(m.strip() for m in methods) and len(set(methods)) == 5


# -- on projects ------------------------------------------------------------------------------

def test_demo_evidence_names_its_method_and_splits_step_three(demo):
    evidence = project_evidence(demo)
    assert [e.step for e in evidence] == [1, 2, 3, 4, 5]
    assert all(e.method for e in evidence) and len({e.method for e in evidence}) == 5
    first, second, third = evidence[:3]
    assert first.show_value is not None and second.show_value is not None
    assert "customer insight tie" in first.method and "collaboration tie" in second.method
    assert third.appointed and third.able and third.people
    people = {p.id for p in demo.people.list()}
    assert set(third.people) <= people
    assert not any(p in e.method for e in evidence for p in people)  # no ids in sentences


def test_demo_leaders_saying_nobody_is_appointed_keeps_step_three_at_zero(demo):
    ladder, design = ladder_round(demo), latest_round(demo, "org_design")
    answers = {r.id: {"s3_roles_responsibilities": 0}
               for r in demo.assessments.respondents(ladder.id)}
    answers.update({r.id: {"cco_owner": "nobody"}
                    for r in demo.assessments.respondents(design.id)})
    demo.assessments.set_many_answers(answers, "Nobody appointed")
    assert formal_facts(demo).appointment == NONE
    third = project_evidence(demo)[2]
    assert third.show_value == 0.0 and third.appointed.startswith("Appointed coordinator: none")
    assert third.able.startswith(f"{LINKERS}: ") and third.people


def test_a_coordinator_confirmed_in_the_plan_owners_is_stated(demo):
    person = demo.people.list()[5].id
    confirm_owners(demo, {COORDINATOR_ROLE: person})
    facts = formal_facts(demo)
    assert facts.coordinator == person and facts.appointment == APPOINTED
    third = project_evidence(demo)[2]
    assert third.appointed.startswith("Appointed coordinator: yes, confirmed")
    assert third.show_value is not None and third.people[0] == person


def test_roster_facts_for_the_formal_steps(project):
    project.people.add_many([
        Person("m1", department="Product", role="Product manager"),
        Person("m2", department="Sales", role="Segment manager", segment="Households"),
        Person("s1", department="Sales", manager_id="m1", segment="Households"),
        Person("s2", department="Sales", manager_id="m1")])
    assert formal_facts(project).two_managers == 0
    project.networks.add("Second line", [Tie("m2", "s1", 1.0, "reporting")], type="reporting")
    facts = formal_facts(project)
    assert (facts.two_managers, facts.segment_tagged, facts.segment_managers) == (1, 2, ("m2",))
    step4, step5 = say_vs_show({}, None, facts, steps=(4, 5))
    assert "1 person has two or more managers on record" in step4.method
    assert "1 person holds a role or title naming a customer segment manager" in step5.method
    assert step5.people == ("m2",)


def test_empty_project_is_insufficient_and_says_why(tmp_path):
    with Project.create(tmp_path / "empty.owb", client="Empty") as project:
        evidence = project_evidence(project)
    assert [e.verdict for e in evidence] == [INSUFFICIENT] * 3 + [NOT_APPLICABLE] * 2
    assert all(e.method for e in evidence)
