"""Before a workshop: which exercises have the data they need, and how to get what is missing.

One check per exercise a workshop runs or shows, in the order a session usually takes them:
the maturity vote, the design questions, predict-then-reveal, say vs show, the customer
champions, the network map and the plan proposal. Each lists what the project holds for it
and, for anything missing, one sentence saying how to get it. Each check asks for what the
exercise itself reads (the same round, tie types and roster fields), so a ready exercise
has something to show. Nothing is changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.network.relations import (
    COLLABORATION,
    CUSTOMER_INSIGHT,
    REPORTS_TO,
    how_to_import,
)
from workbench.core.wording import count
from workbench.core.workshop.agenda import PREDICT_PAIRS, PREDICT_PEOPLE, PREDICTION_TITLES, votable

if TYPE_CHECKING:
    from workbench.core.method.gaps import Gap
    from workbench.core.method.rounds import Round
    from workbench.core.model import NetworkInfo, Person
    from workbench.core.project import Project

MATURITY_VOTE = "Maturity vote"
DESIGN_QUESTIONS = "Design questions"
PREDICT_THEN_REVEAL = "Predict-then-reveal"
SAY_VS_SHOW = "Say vs show"
CUSTOMER_CHAMPIONS = "Customer champions"
NETWORK_MAP = "Network map"
PLAN_PROPOSAL = "Plan proposal"
NEED_PEOPLE = "import the people list first (File → Import people)"


@dataclass(frozen=True)
class ExerciseCheck:
    """What one exercise has (``present``) and what it lacks, each with how to get it."""

    exercise: str
    present: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.missing


def workshop_readiness(project: Project) -> list[ExerciseCheck]:
    """The data check of every workshop exercise (see the module notes)."""
    from workbench.core.method.gaps import project_gaps
    from workbench.core.method.rounds import ladder_round, latest_round
    from workbench.core.method.target import engagement_step
    from workbench.core.report.assemble import DESIGN_TEMPLATE

    people = project.people.list()
    networks = [n for n in project.networks.list() if n.tie_count]
    ladder = ladder_round(project)
    answered = any(r.respondent_count for r in project.assessments.rounds())
    data = _Data(people, networks, project.engagement.get().min_group_size)
    return [
        _vote(MATURITY_VOTE, ladder, "The maturity vote needs a maturity-ladder round: start "
              "one in Questionnaires with the customer-centricity maturity ladder."),
        _vote(DESIGN_QUESTIONS, latest_round(project, DESIGN_TEMPLATE),
              "The design questions need an organisation-design round: start one in "
              "Questionnaires with the organisation design questionnaire."),
        _predictions(data),
        _say_vs_show(data, ladder),
        _champions(data),
        _network_map(data),
        _plan(project_gaps(project) if answered else None, engagement_step(project)),
    ]


@dataclass(frozen=True)
class _Data:
    people: Sequence[Person]
    networks: Sequence[NetworkInfo]  # those with ties
    min_group_size: int

    def of_types(self, *types: str) -> list[NetworkInfo]:
        return [n for n in self.networks if n.type in types]

    def departments(self, min_size: int = 1) -> int:
        sizes = Counter(p.department for p in self.people if p.department)
        return sum(n >= min_size for n in sizes.values())


def _earliest(networks: Sequence[NetworkInfo]) -> list[NetworkInfo]:
    """The network a reveal reads (the earliest dated), as a list of at most one."""
    return sorted(networks, key=lambda n: (n.date is None, n.date, n.id))[:1]


def _named(networks: Sequence[NetworkInfo]) -> str:
    return ", ".join(f"'{n.name}' ({count(n.tie_count, 'tie')})" for n in networks)


def _vote(exercise: str, round_: Round | None, missing: str) -> ExerciseCheck:
    if round_ is None:
        return ExerciseCheck(exercise, (), (missing,))
    items = sum(votable(q) for q in round_.template.questions())
    return ExerciseCheck(exercise, (f"Round '{round_.name}': {count(items, 'question')} to "
                                    "vote on.",), ())


def _predictions(data: _Data) -> ExerciseCheck:
    people_q, pairs_q = PREDICTION_TITLES[PREDICT_PEOPLE], PREDICTION_TITLES[PREDICT_PAIRS]
    present: list[str] = []
    missing: list[str] = []
    if not data.people:
        missing.append(f"Predict-then-reveal asks about people and departments: {NEED_PEOPLE}.")
    insight = data.of_types(CUSTOMER_INSIGHT)
    if insight:
        present.append(f"'{people_q}' is revealed from {_named(_earliest(insight))}.")
    else:
        missing.append(f"'{people_q}' needs a customer-insight network: "
                       f"{how_to_import(CUSTOMER_INSIGHT)}.")
    collaboration = data.of_types(COLLABORATION)
    if collaboration:
        present.append(f"'{pairs_q}' is revealed from {_named(_earliest(collaboration))}.")
    else:
        missing.append(f"'{pairs_q}' needs a collaboration network: "
                       f"{how_to_import(COLLABORATION)}.")
    if data.people and data.departments(data.min_group_size) < 2:
        missing.append(f"'{pairs_q}' compares departments of at least "
                       f"{count(data.min_group_size, 'person', 'people')}, and the roster has "
                       "fewer than two: fill in the department column and import the people "
                       "list again.")
    return ExerciseCheck(PREDICT_THEN_REVEAL, tuple(present), tuple(missing))


def _say_vs_show(data: _Data, ladder: Round | None) -> ExerciseCheck:
    from workbench.core.report.assemble import (
        MAIN_TIE_TYPES,
        customer_network,
        leader_ratings,
        main_network,
    )

    present: list[str] = []
    missing: list[str] = []
    rated = [r for r in leader_ratings(ladder).values() if r.mean is not None]
    if ladder is not None and rated:
        leaders = max(r.n for r in rated)
        present.append(f"Leaders' ratings from round '{ladder.name}' "
                       f"({count(leaders, 'leader')}).")
    else:
        missing.append("Say vs show needs the leaders' ratings of the ladder: collect their "
                       "answers to the customer-centricity maturity ladder in Questionnaires.")
    customer = customer_network(data.networks)
    if customer is not None:
        present.append(f"Step 1 is measured on {_named([customer])}.")
    else:
        missing.append("Step 1 needs a customer-insight network: "
                       f"{how_to_import(CUSTOMER_INSIGHT)}.")
    main = main_network(data.of_types(*MAIN_TIE_TYPES))
    if main is not None:
        present.append(f"Steps 2 and 3 are measured on {_named([main])}.")
    else:
        missing.append("Steps 2 and 3 need a collaboration or advice network (the reporting "
                       f"lines do not count): {how_to_import(COLLABORATION)}.")
    return ExerciseCheck(SAY_VS_SHOW, tuple(present), tuple(missing))


def _champions(data: _Data) -> ExerciseCheck:
    from workbench.core.analysis import INSIGHT_TYPES

    present: list[str] = []
    missing: list[str] = []
    insight = data.of_types(*INSIGHT_TYPES)
    if insight:
        present.append(f"Nominations from {_named(insight)}.")
    else:
        missing.append("Customer champions are the people others name for customer insight: "
                       f"{how_to_import(CUSTOMER_INSIGHT)}.")
    if not data.people:
        missing.append(f"Customer champions are people: {NEED_PEOPLE}.")
    elif data.departments() < 2:
        missing.append("A champion is named by people from other departments, and the roster "
                       "has fewer than two: fill in the department column and import the "
                       "people list again.")
    return ExerciseCheck(CUSTOMER_CHAMPIONS, tuple(present), tuple(missing))


def _network_map(data: _Data) -> ExerciseCheck:
    present: list[str] = []
    missing: list[str] = []
    if not data.people:
        missing.append(f"The network map draws people: {NEED_PEOPLE}.")
    informal = [n for n in data.networks if n.type != REPORTS_TO]
    formal = data.of_types(REPORTS_TO)
    if informal:
        present.append(f"{count(len(informal), 'informal network')}: {_named(informal)}.")
    elif formal:
        missing.append("Only the reporting lines are there, and they show the formal "
                       "structure, not who works with whom: import a ties file (advice, "
                       "collaboration or customer insight) or a network survey.")
    else:
        missing.append("The network map needs a network: import a ties file (advice, "
                       "collaboration or customer insight) or a network survey.")
    if formal:
        present.append(f"Reporting lines for the formal structure: {_named(formal)}.")
    return ExerciseCheck(NETWORK_MAP, tuple(present), tuple(missing))


def _plan(gaps: list[Gap] | None, target: int) -> ExerciseCheck:
    if gaps is None:
        return ExerciseCheck(PLAN_PROPOSAL, (), (
            "The plan proposal turns the gaps in the leaders' answers into actions: collect "
            "their answers in Questionnaires, the maturity ladder first.",))
    if not gaps:
        return ExerciseCheck(PLAN_PROPOSAL, (), (
            f"The answers show no gap up to target step {target}, so the proposal would be "
            "empty: raise the target step in Engagement or write actions of your own.",))
    return ExerciseCheck(PLAN_PROPOSAL, (f"{count(len(gaps), 'gap')} up to target step "
                                         f"{target} to turn into actions.",), ())
