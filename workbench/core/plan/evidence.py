"""Say vs show: what leaders rate for a ladder step against what the network shows.

Both sides use the same 0..4 scale. *Say* is the leaders' mean rating of the step. *Show* is a
level read from the network with stated anchors; every step also carries a method sentence
(what the network can show for the step, the measure, its value, the anchor it maps to and
what it cannot show). The sides agree when they differ by at most :data:`ALIGNED_WITHIN` points,
both taken to one decimal as shown.

* One cross-department scale serves steps 1 and 2 (:func:`mixing_level`): the share of ties
  that join people of different departments, divided by the share random mixing of the same
  people with the same numbers of ties would give
  (:func:`~workbench.core.network.baseline.random_mixing`, the yardstick the silo finding
  uses too); 0 = no tie crosses, 2 = half the random share, 4 = the random share or more.
  People without a department are left out of both shares.
* Step 1, internal social networks: the scale on customer-related ties (customer insight or
  extra mile). With no customer champion (someone named by colleagues from other departments)
  the level is 0: step 1 is about backing people who already do this.
* Step 2, cross-functional teams: the same scale on the main network's ties, capped by the
  working groups that could be formalised (the candidate cross-functional teams of
  :mod:`~workbench.core.network.findings`, with their size and department rule): none caps
  at 1, one at 2, two at 3.
* Step 3, coordinator, in two separate statements. *Appointed coordinator*, from the plan and
  the answers (:class:`FormalFacts`): confirmed when someone holds the owner role
  :data:`COORDINATOR_ROLE`; said when most leaders rate the step-3 roles cell 2 or more (its
  anchor: a coordinator is appointed) or most answer that a chief customer officer carries the
  customer functions. *People who already link departments*, from the network: people whose
  open two-paths link colleagues of :data:`ABLE_MIN_DEPARTMENTS` or more other departments
  (:func:`brokerage_reach`; not the network findings' "Able to coordinate a team", which
  concerns one candidate team). The level needs the appointment: nobody appointed -> 0 however
  many link departments; appointed but not confirmed by name, or not known -> no level; confirmed ->
  4 x the other departments the coordinator links / half of them (at least 3).
* Steps 4 and 5 (matrix, segment managers) are formal structures: no network level. The method
  sentence reports what the roster (second managers, segment tags, segment manager roles) and
  the answers to the step's roles cell can say, else "not measured".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.network.explain import percent
from workbench.core.plan.library import COORDINATOR_ROLE
from workbench.core.wording import count

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.method.rounds import Round
    from workbench.core.network.findings import Thresholds
    from workbench.core.project import Project

ALIGNED = "aligned"
OVERRATE = "leaders overrate"
UNDERRATE = "leaders underrate"
INSUFFICIENT = "insufficient data"
NOT_APPLICABLE = "no network evidence applies"
VERDICTS = (ALIGNED, OVERRATE, UNDERRATE, INSUFFICIENT, NOT_APPLICABLE)
ALIGNED_WITHIN = 1.0
MIN_RESPONDENTS = 1

TEAM_CAPS = (1.0, 2.0, 3.0)  # step-2 cap with 0, 1, 2 groups; 3 or more: no cap
ABLE_MIN_DEPARTMENTS = 3
LINKERS = f"People who already link {ABLE_MIN_DEPARTMENTS} or more other departments"
CCO_QUESTION = ("org_design", "cco_owner", "cco")  # template, question, answer = a CCO
ROLES_FOUNDATION = "roles_responsibilities"
IN_PLACE = {3: 2, 4: 1, 5: 1}  # roles-cell rating from which the step's formal role exists
FORMAL = "Formal structure: the network cannot show it; the answers and the roster can."

APPOINTED = "confirmed"
SAID = "said, not named"
NONE = "none"
UNKNOWN = "not known"


@dataclass(frozen=True)
class LeaderRating:
    """Leaders' mean rating of one step on the 0..4 scale and how many rated it."""

    mean: float | None
    n: int


@dataclass(frozen=True)
class Crossing:
    """Ties between people with a known department, how many cross departments, and the
    share that would under random mixing."""

    relation: str  # what the ties are, e.g. "customer insight"
    ties: int
    crossing: int
    expected_share: float | None  # share crossing under random mixing; None below 2 departments

    @property
    def share(self) -> float | None:
        return self.crossing / self.ties if self.ties else None

    @property
    def level(self) -> float | None:
        """These ties on the one cross-department scale (see :func:`mixing_level`)."""
        if self.share is None or not self.expected_share:
            return None
        return mixing_level(self.share, self.expected_share)


def mixing_level(share: float, expected_share: float) -> float:
    """0..4: 4 x the observed crossing share / the random-mixing share, at most 4."""
    return 4.0 * min(share / expected_share, 1.0)


@dataclass(frozen=True)
class NetworkFigures:
    """Network figures used as evidence; ``None`` means not measured (network missing)."""

    customer: Crossing | None = None  # step 1: customer-related ties
    champions: int | None = None
    main: Crossing | None = None  # step 2: the main network's ties
    teams: int | None = None  # candidate cross-functional teams (network findings)
    team_rule: tuple[int, int, int] = (0, 0, 0)  # their size from, to and fewest departments
    reach: Mapping[str, int] | None = None  # person -> departments they link (main network)
    departments: int = 0  # known departments in the main network

    def able(self) -> tuple[str, ...]:
        """People who already link ABLE_MIN_DEPARTMENTS or more other departments, most
        departments first."""
        reach = self.reach or {}
        return tuple(sorted((p for p, k in reach.items() if k >= ABLE_MIN_DEPARTMENTS),
                            key=lambda p: (-reach[p], p)))


@dataclass(frozen=True)
class Said:
    """How many leaders answered an item and how many of them said the thing exists."""

    yes: int
    n: int

    @property
    def most(self) -> bool:
        return 2 * self.yes > self.n


@dataclass(frozen=True)
class FormalFacts:
    """What the plan, the answers and the roster say about formal structures (steps 3-5)."""

    coordinator: str | None = None  # person confirmed for COORDINATOR_ROLE in the plan's owners
    roles: Mapping[int, Said] = field(default_factory=dict)  # step -> its roles cell (IN_PLACE)
    cco: Said | None = None  # leaders answering that a chief customer officer carries them
    people: int = 0  # people on the roster
    two_managers: int = 0  # people with two or more managers on record
    segment_tagged: int = 0  # people tagged with a customer segment
    segment_managers: tuple[str, ...] = ()  # roster roles or titles naming a segment manager

    @property
    def appointment(self) -> str:
        """APPOINTED, SAID, NONE or UNKNOWN (see the module notes)."""
        if self.coordinator:
            return APPOINTED
        said = [s for s in (self.roles.get(3), self.cco) if s is not None and s.n]
        if not said:
            return UNKNOWN
        return SAID if any(s.most for s in said) else NONE


@dataclass(frozen=True)
class StepEvidence:
    """Say vs show for one step, with a one-sentence finding and the method behind it."""

    step: int
    say_text: str
    say_value: float | None
    show_text: str  # short: the figures behind the level
    show_value: float | None  # the network level on the 0..4 scale
    verdict: str
    finding: str
    method: str = ""  # what the network can show, measure, value, anchor, what it cannot show
    appointed: str = ""  # step 3: does an appointed coordinator exist (answers and plan)
    able: str = ""  # step 3: LINKERS, people who already link departments (brokerage)
    people: tuple[str, ...] = ()  # ids the evidence names (coordinator, people able), by rank
    customer: tuple[str, ...] = ()  # customer evidence on the step (learning.evidence), a line each


@dataclass(frozen=True)
class _Shown:
    level: float | None
    short: str
    method: str
    missing: str = ""  # why there is no level
    note: str = ""  # added to the finding
    appointed: str = ""
    able: str = ""
    people: tuple[str, ...] = ()


# -- figures ---------------------------------------------------------------------------------

def _departments(G: nx.Graph) -> dict[str, str]:
    from workbench.core.network.groups import UNSET, group_of

    return {p: d for p in G if (d := group_of(G, p, "department")) != UNSET}


def department_crossing(G: nx.Graph, relation: str) -> Crossing:
    """Ties of ``G`` between people with a known department, those crossing departments, and
    the crossing share under random mixing of the same people with the same numbers of ties
    (None with fewer than two departments)."""
    from workbench.core.network.baseline import random_mixing
    from workbench.core.network.graph import GraphArrays

    department = _departments(G)
    arrays = GraphArrays.from_graph(G).subgraph(department)
    ties = int((arrays.src != arrays.dst).sum())
    if len(set(department.values())) < 2 or not ties:
        return Crossing(relation, ties, 0, None)
    mixing = random_mixing(arrays, [department[p] for p in arrays.ids])
    return Crossing(relation, ties, round((mixing.crossing_share or 0.0) * ties),
                    mixing.expected_crossing_share)


def brokerage_reach(G: nx.Graph) -> dict[str, int]:
    """Person -> how many departments other than their own their open two-paths link (a -> b
    -> c with a and c in different departments and no tie a -> c); people linking none are
    left out."""
    department = _departments(G)
    directed = G.is_directed()
    out = {p: set(G.successors(p) if directed else G[p]) - {p} for p in G}
    into = {p: set(G.predecessors(p)) - {p} for p in G} if directed else out
    reach = {}
    for person in G:
        sources = _by_department(into[person], department)
        targets = _by_department(out[person], department)
        linked: set[str] = set()
        for x, senders in sources.items():
            for y, receivers in targets.items():
                if x == y or (x in linked and y in linked):
                    continue
                if any(c not in out[a] for a in senders for c in receivers):
                    linked.update((x, y))
        linked.discard(department.get(person, ""))
        if linked:
            reach[person] = len(linked)
    return reach


def _by_department(people: Iterable[str], department: Mapping[str, str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for p in people:
        if p in department:
            grouped.setdefault(department[p], []).append(p)
    return grouped


def network_figures(G: nx.Graph, relation: str, insight: nx.Graph | None, insight_relation: str,
                    champions: int, teams: int, thresholds: Thresholds) -> NetworkFigures:
    """The evidence figures of the main network ``G`` and the customer network ``insight``:
    ``champions`` and ``teams`` are what the network findings counted under ``thresholds``."""
    return NetworkFigures(
        customer=None if insight is None else department_crossing(insight, insight_relation),
        champions=None if insight is None else champions,
        main=department_crossing(G, relation),
        teams=teams,
        team_rule=(thresholds.team_min_size, thresholds.team_max_size,
                   thresholds.team_min_departments),
        reach=brokerage_reach(G),
        departments=len(set(_departments(G).values())),
    )


def formal_facts(project: Project) -> FormalFacts:
    """The coordinator confirmed in the plan's owners, the leaders' answers on formal roles
    and what the roster records (see :class:`FormalFacts`)."""
    from workbench.core.method.rounds import ladder_round, latest_round
    from workbench.core.network.hierarchy import REPORTING
    from workbench.core.plan.owners import load_owners, person_title

    people = project.people.list()
    on_roster = {p.id for p in people}
    coordinator = load_owners(project).get(COORDINATOR_ROLE)
    ladder = ladder_round(project)
    template, question, value = CCO_QUESTION
    managers: dict[str, set[str]] = {p.id: {p.manager_id} for p in people if p.manager_id}
    for info in project.networks.list():
        if info.type == REPORTING:
            for tie in project.networks.ties(info.id):
                managers.setdefault(tie.target, set()).add(tie.source)
    return FormalFacts(
        coordinator=coordinator if coordinator in on_roster else None,
        roles=_roles_cells(ladder),
        cco=_said(latest_round(project, template), question, lambda v: v == value),
        people=len(people),
        two_managers=sum(len(m) >= 2 for m in managers.values()),
        segment_tagged=sum(bool(p.segment.strip()) for p in people),
        segment_managers=tuple(p.id for p in people
                               if _names_segment_manager(p.role, person_title(p))),
    )


def _roles_cells(ladder: Round | None) -> dict[int, Said]:
    if ladder is None:
        return {}
    found = {}
    for q in ladder.template.questions():
        if q.group is not None and q.group.foundation == ROLES_FOUNDATION \
                and q.group.step in IN_PLACE:
            bar = IN_PLACE[q.group.step]
            said = _said(ladder, q.id, lambda v, bar=bar: isinstance(v, int | float) and v >= bar)
            if said is not None:
                found[q.group.step] = said
    return found


def _said(round_: Round | None, question: str, yes: Any) -> Said | None:
    if round_ is None:
        return None
    given = [a[question] for a in round_.answers.values() if a.get(question) is not None]
    return Said(sum(bool(yes(v)) for v in given), len(given)) if given else None


def _names_segment_manager(*texts: str) -> bool:
    words = set(" ".join(texts).casefold().replace("-", " ").split())
    return bool({"segment", "segments"} & words) and bool(
        {"manager", "lead", "head", "owner", "director"} & words)


# -- per step ------------------------------------------------------------------------------

def _scale(m: Crossing) -> str:
    """The one cross-department scale, stated with its value (steps 1 and 2)."""
    assert m.share is not None and m.expected_share is not None and m.level is not None
    return (f"Of {count(m.ties, f'{m.relation} tie')}, {percent(m.share)} join people of "
            f"different departments, against {percent(m.expected_share)} if the same people, "
            "each keeping their number of ties, were tied at random: level "
            f"{m.level:.1f} on the cross-department scale (0 = no tie crosses, 2 = half the "
            "random share, 4 = the random share or more).")


def _crossing_short(m: Crossing) -> str:
    assert m.share is not None and m.expected_share is not None
    return (f"{percent(m.share)} of {m.relation} ties cross departments (random mixing: "
            f"{percent(m.expected_share)})")


def _unmeasured_mixing(m: Crossing | None, absent: str) -> str | None:
    """Why ``m`` gives no level (``absent`` when there is no network), else None."""
    if m is None:
        return absent
    if not m.ties:
        return f"no {m.relation} tie joins two people with a department"
    if not m.expected_share:
        return "departments are not recorded for enough people"
    return None


def _step1(f: NetworkFigures, _facts: FormalFacts) -> _Shown:
    opening = ("The network can show whether people who help each other with customers do so "
               "across departments.")
    cannot = "It cannot show why people go to each other or whether their managers back them."
    m = f.customer
    missing = _unmeasured_mixing(m, "the project has no customer-insight network")
    if missing or m is None or m.level is None:
        return _Shown(None, "not measured", f"{opening} Not measured: {missing}. {cannot}",
                      missing=f"not measured ({missing})")
    champions = f.champions or 0
    if champions:
        level = m.level
        who = (f"{count(champions, 'person is', 'people are')} named for customer insight by "
               "two or more colleagues from other departments: customer champions to build "
               "on.")
    else:
        level = 0.0
        who = ("Nobody is named for customer insight by two or more colleagues from other "
               "departments, so the level is 0: there are no customer champions to back yet.")
    short = f"{_crossing_short(m)}; {count(champions, 'customer champion')}"
    return _Shown(level, short, f"{opening} {_scale(m)} {who} {cannot}")


def _step2(f: NetworkFigures, _facts: FormalFacts) -> _Shown:
    low, high, departments = f.team_rule
    opening = ("The network can show working groups that already mix departments and could be "
               "made into formal teams.")
    cannot = "It cannot show whether a team has a charter, a budget or time set aside."
    m = f.main
    missing = _unmeasured_mixing(m, "the project has no network of working ties")
    if missing or m is None or m.level is None or f.teams is None:
        return _Shown(None, "not measured", f"{opening} Not measured: {missing}. {cannot}",
                      missing=f"not measured ({missing})")
    groups = (f"{count(f.teams, 'group')} of {low}–{high} people from {departments} or more "
              "departments")
    caps = "no group: 1, one: 2, two: 3, three or more: none"
    if f.teams < len(TEAM_CAPS) and TEAM_CAPS[f.teams] < m.level:
        level = TEAM_CAPS[f.teams]
        capped = (f"The community search finds {groups}, which caps the level at {level:.0f} "
                  f"({caps}): " + ("there is no working group to formalise yet." if not f.teams
                                   else "a group or two is a start, not yet how the "
                                   "organisation works."))
    else:
        level = m.level
        capped = (f"The community search finds {groups}; the cap this sets ({caps}) is not "
                  "below the cross-department level, so that level stands.")
    short = f"{_crossing_short(m)}; {groups}"
    return _Shown(level, short, f"{opening} {_scale(m)} {capped} {cannot}")


def _step3(f: NetworkFigures, facts: FormalFacts) -> _Shown:
    opening = ("Step 3 is a formal appointment, which only the plan and the answers can confirm; "
               "the network shows who already links departments and, once the coordinator "
               "is named, whether collaboration runs through them.")
    cannot = "It cannot show the coordinator's mandate or whether teams follow their lead."
    status = facts.appointment
    appointed = _appointed_text(facts)
    if f.reach is None or f.main is None:
        able_text = f"{LINKERS}: not measured (no network)."
        missing = "network data missing"
        return _Shown(None, f"appointed coordinator: {status}; links between departments: "
                      "not measured",
                      f"{opening} {appointed} {able_text} {cannot}", missing=missing,
                      appointed=appointed, able=able_text)
    able = f.able()
    able_text = (f"{LINKERS}: {count(len(able), 'person', 'people')}, "
                 f"{'each ' if len(able) > 1 else ''}a go-between for colleagues of those "
                 "departments who have no direct tie with each other." if able else
                 f"{LINKERS}: nobody; no one is yet a go-between for colleagues of "
                 f"{ABLE_MIN_DEPARTMENTS} or more other departments who have no direct tie "
                 "with each other.")
    level: float | None = None
    missing = note = ""
    people = able
    if status == NONE:
        level = 0.0
        rule = ("With nobody appointed the level is 0: people who link departments do not "
                "raise it until one of them holds the role.")
        note = (f"Nobody is appointed; {count(len(able), 'person', 'people')} already link "
                "three or more other departments and could take the role." if able else
                "Nobody is appointed, and nobody yet links three or more other departments.")
    elif status == UNKNOWN:
        rule = ("Whether anyone is appointed is not known, so there is no level; people who "
                "link departments do not stand in for an appointment.")
        missing = ("not known whether a coordinator is appointed (answer 'Who carries these "
                   "functions today?' or confirm the coordinator in the plan's owners)")
    elif status == SAID:
        rule = ("The network cannot place a coordinator nobody has named, so there is no level "
                "yet; people who link departments do not stand in for them.")
        missing = ("the coordinator leaders speak of is not confirmed in the plan's owners, so "
                   "the network cannot place them")
    else:
        coordinator = facts.coordinator or ""
        linked = f.reach.get(coordinator, 0)
        others = max(f.departments - 1, 0)
        target = min(others, max(ABLE_MIN_DEPARTMENTS, math.ceil(others / 2)))
        people = (coordinator, *(p for p in able if p != coordinator))
        if target:
            level = 4.0 * min(linked / target, 1.0)
            rule = (f"The confirmed coordinator links colleagues of {linked} of the "
                    f"{count(others, 'other department')} who have no direct tie with each "
                    f"other: level {level:.1f} (0 = links none, 4 = links {target} or more, "
                    "about half of them).")
        else:
            rule = "Departments are not recorded, so the coordinator's reach is not measured."
            missing = "departments are not recorded"
    short = (f"appointed coordinator: {status}; "
             f"{count(len(able), 'person links', 'people link')} {ABLE_MIN_DEPARTMENTS} or more "
             "other departments")
    return _Shown(level, short, f"{opening} {appointed} {able_text} {rule} {cannot}",
                  missing=missing, note=note, appointed=appointed, able=able_text,
                  people=people)


def _appointed_text(facts: FormalFacts) -> str:
    sources = []
    roles, cco = facts.roles.get(3), facts.cco
    if roles is not None and roles.n:
        sources.append(f"{roles.yes} of {roles.n} leaders rate the step-3 roles cell at 2 or "
                       "more, the anchor for an appointed coordinator")
    if cco is not None and cco.n:
        sources.append(f"{cco.yes} of {cco.n} say a chief customer officer carries the "
                       "customer functions")
    answers = f"Answers: {'; '.join(sources)}." if sources else ""
    status = facts.appointment
    if status == APPOINTED:
        head = (f"Appointed coordinator: yes, confirmed for the role '{COORDINATOR_ROLE}' in "
                "the plan's owners.")
    elif status == SAID:
        head = ("Appointed coordinator: leaders say so, but nobody is confirmed for the role in "
                "the plan's owners.")
    elif status == NONE:
        head = ("Appointed coordinator: none; nobody is confirmed for the role in the plan's "
                "owners either.")
    else:
        head = ("Appointed coordinator: not known; no leader has answered on it and nobody is "
                "confirmed for the role in the plan's owners.")
    return f"{head} {answers}".strip()


def _roles_said(facts: FormalFacts, step: int, meaning: str) -> str:
    said = facts.roles.get(step)
    if said is None or not said.n:
        return f"Answers: nobody has rated the step-{step} roles cell."
    return (f"Answers: {said.yes} of {said.n} leaders rate the step-{step} roles cell above 0, "
            f"that is, {meaning}.")


def _step4(_f: NetworkFigures, facts: FormalFacts) -> _Shown:
    if not facts.people:
        roster = "Roster: not measured (no roster)."
        short = "formal structure: not measured"
    else:
        second = (f"{count(facts.two_managers, 'person has', 'people have')} two or more "
                  "managers on record" if facts.two_managers else
                  "a second, customer-side reporting line is not measured: the roster records "
                  "one manager per person")
        tagged = (f"{count(facts.segment_tagged, 'person is', 'people are')} tagged with a "
                  "customer segment, the raw material of segment teams" if facts.segment_tagged
                  else "nobody is tagged with a customer segment")
        roster = f"Roster: {second}; {tagged}."
        second_short = (f"{count(facts.two_managers, 'person', 'people')} with two managers"
                        if facts.two_managers else "second reporting line not recorded")
        short = (f"formal structure: {second_short}; "
                 f"{count(facts.segment_tagged, 'person', 'people')} tagged with a segment")
    answers = _roles_said(facts, 4, "some people already have a customer-side manager as well "
                          "as a product-side one")
    return _Shown(None, short, f"{FORMAL} {roster} {answers}")


def _step5(_f: NetworkFigures, facts: FormalFacts) -> _Shown:
    managers = len(facts.segment_managers)
    if not facts.people:
        roster = "Roster: not measured (no roster)."
        short = "formal structure: not measured"
        note = ""
    else:
        roster = ("Roster: " + (f"{count(managers, 'person holds', 'people hold')} a role or "
                                "title naming a customer segment manager."
                                if managers else "nobody holds a role or title naming a "
                                "customer segment manager."))
        short = (f"formal structure: {count(managers, 'segment manager')} on the roster"
                 if managers else "formal structure: no segment manager on the roster")
        note = "" if managers else "Nobody on the roster holds a segment manager role."
    answers = _roles_said(facts, 5, "someone already owns a customer segment's whole "
                          "experience")
    return _Shown(None, short, f"{FORMAL} {roster} {answers}", note=note,
                  people=facts.segment_managers)


RULES = {1: _step1, 2: _step2, 3: _step3, 4: _step4, 5: _step5}
FORMAL_STEPS = (4, 5)


def say_vs_show(ratings: Mapping[int, LeaderRating], figures: NetworkFigures | None,
                facts: FormalFacts | None = None,
                steps: tuple[int, ...] = (1, 2, 3, 4, 5)) -> list[StepEvidence]:
    """Compare leaders' ratings with network evidence for each step (see module notes)."""
    return [_step_evidence(step, ratings.get(step), figures or NetworkFigures(),
                           facts or FormalFacts()) for step in steps]


def _step_evidence(step: int, rating: LeaderRating | None, figures: NetworkFigures,
                   facts: FormalFacts) -> StepEvidence:
    said = rating is not None and rating.mean is not None and rating.n >= MIN_RESPONDENTS
    say_value = rating.mean if said and rating is not None else None
    say_text = (f"leaders rate it {say_value:.1f} of 4 (n={rating.n})"
                if said and rating is not None else "no leader ratings")
    shown = RULES[step](figures, facts)
    show_value = shown.level
    note = f" {shown.note}" if shown.note else ""
    if step in FORMAL_STEPS:
        verdict = NOT_APPLICABLE
        finding = (f"Step {step} is a formal structure, so the leaders' view is checked against "
                   f"the roster and the answers, not the network.{note}")
    elif say_value is None or show_value is None:
        verdict = INSUFFICIENT
        missing = [m for m, absent in (("no leader ratings", say_value is None),
                                       (shown.missing or "network data missing",
                                        show_value is None)) if absent]
        finding = f"Step {step} cannot be compared yet: {'; '.join(missing)}.{note}"
    else:
        # compared as shown (one decimal), so the verdict never contradicts the figures
        difference = round(say_value, 1) - round(show_value, 1)
        if difference > ALIGNED_WITHIN:
            verdict = OVERRATE
            finding = (f"Leaders rate step {step} higher ({say_value:.1f}) than the network "
                       f"shows ({show_value:.1f}); ask for recent examples before building on "
                       f"it.{note}")
        elif difference < -ALIGNED_WITHIN:
            verdict = UNDERRATE
            finding = (f"The network shows more step {step} practice ({show_value:.1f}) than "
                       f"leaders credit ({say_value:.1f}); build on what already works.{note}")
        else:
            verdict = ALIGNED
            finding = (f"Leaders' rating of step {step} ({say_value:.1f}) and the network "
                       f"({show_value:.1f}) agree within one point.{note}")
    return StepEvidence(step, say_text, say_value, shown.short, show_value, verdict, finding,
                        shown.method, shown.appointed, shown.able, shown.people)
