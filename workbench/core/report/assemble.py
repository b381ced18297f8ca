"""Build the :class:`ReportData` of an open project: what the plan workbook and PDF show.

Sources, and the choices made when there are several:

* maturity grid: the latest round that rates ladder cells
  (:func:`workbench.core.method.rounds.ladder_round`, the round the stage comes from); its
  respondents are the leaders whose step ratings are the *say* side of the evidence;
* target step, stage reached and the leaders' choice: only
  :func:`workbench.core.method.target.target_step` (the engagement's target, the one every
  screen shows; nothing here works out a target or a stage on its own);
* gaps: :func:`workbench.core.method.gaps.assessment_gaps` over the latest round of every
  questionnaire (ladder cells of every step from the first one not reached to the target, the
  design questions, essentials, chief-customer-officer functions, customer-learning and
  insight-to-action items), weighted by importance where it was asked, with the gaps the
  customer-learning log shows (:func:`workbench.core.learning.gaps.learning_gaps`);
* questionnaire statistics: the latest ``org_design`` round, disagreements by the project's
  rule (:func:`workbench.core.method.settings.disagreement_rule`);
* network metrics and roles: the main network (:func:`main_network`), its measures from the
  project's saved analysis (:func:`saved_analysis`, computed and saved when missing); customer
  champions and the share of customer ties across departments come from the latest
  ``customer_insight`` network. Without a network every network figure is missing and the
  evidence says so;
* what the network shows (the Summary's headline, the Network findings sheet): the network the
  Network page opens on (:func:`story_network`), analysed by :func:`saved_analysis` and told by
  :func:`workbench.core.report.network_story.network_story`;
* the plan: the first plan of the project (the app keeps one plan per engagement);
* the Method sheet: :func:`workbench.core.report.method_notes.method_notes` (steering answers,
  rules in force, rounds, networks and gates used).

Every person in the data (Network and Roster sheets, plan owners, workshop participants and
picks, names inside plan texts) is shown as :class:`workbench.core.privacy.ShownPeople` decides:
keyed pseudonyms when privacy is on (the project setting (:mod:`workbench.core.privacy`), or
the ``pseudonymise`` argument), never an id or e-mail address then.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.learning.evidence import evidence_beside_ratings, with_customer
from workbench.core.learning.gaps import learning_gaps

# Gap, Round, latest_round, project_gaps and _with_agreed moved to workbench.core.method; they
# stay importable from here for existing callers.
from workbench.core.method.gaps import Gap, assessment_gaps, project_gaps  # noqa: F401
from workbench.core.method.gaps import item_label as gap_label
from workbench.core.method.rounds import (
    MATURITY_TEMPLATE,  # noqa: F401
    Round,
    ladder_round,
    latest_round,
    latest_rounds,
)
from workbench.core.method.rounds import with_agreed as _with_agreed  # noqa: F401
from workbench.core.method.settings import DisagreementRule, disagreement_rule
from workbench.core.method.target import target_step
from workbench.core.model import NetworkInfo, Person
from workbench.core.plan.builder import PlanAction
from workbench.core.plan.evidence import (
    LeaderRating,
    NetworkFigures,
    StepEvidence,
    formal_facts,
    network_figures,
    say_vs_show,
)
from workbench.core.questionnaire.schema import Question, Template
from workbench.core.report.data import (
    EngagementSummary,
    GroupTies,
    NetworkStory,
    NetworkUsed,
    PersonMetrics,
    QuestionStat,
    ReportData,
    RosterEntry,
    WrittenAnswer,
    department_labels,
)
from workbench.core.report.method_notes import DESIGN_TEMPLATE, method_notes, networks_used
from workbench.core.report.method_notes import relation as _relation
from workbench.core.tasks import Progress, ensure_progress

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.analysis import NetworkAnalysis as SavedAnalysis
    from workbench.core.learning.report import LearningReport
    from workbench.core.network.pseudonyms import PseudonymKey
    from workbench.core.privacy import Privacy, ShownPeople
    from workbench.core.project import Project
    from workbench.core.services.plans import Action

CUSTOMER_TIE_TYPES = ("customer_insight", "extra_mile")
MAIN_TIE_TYPES = ("collaboration", "advice", "information")  # preference order
METRICS_SHOWN = ("in_degree", "out_degree", "betweenness", "closeness_harmonic", "eigenvector",
                 "pagerank", "burt_constraint")
TOP_GAPS = 10


def leader_ratings(ladder: Round | None) -> dict[int, LeaderRating]:
    """Each step's mean rating over its cells, and how many leaders rated any cell of it."""
    if ladder is None:
        return {}
    from workbench.core.questionnaire.scoring import stage_reached

    result = stage_reached(ladder.template, ladder.answers)
    questions = {q.id: q.group.step for q in ladder.template.questions() if q.group is not None}
    raters: dict[int, set[str]] = {}
    for code, given in ladder.answers.items():
        for qid, value in given.items():
            if qid in questions and value is not None:
                raters.setdefault(questions[qid], set()).add(code)
    return {s.step: LeaderRating(s.mean, len(raters.get(s.step, ()))) for s in result.steps}


# -- network -------------------------------------------------------------------------------

@dataclass(frozen=True)
class NetworkAnalysis:
    """What the report takes from the networks; ``figures`` is None without a network."""

    network: NetworkInfo | None
    people: Sequence[PersonMetrics]
    groups: GroupTies | None
    figures: NetworkFigures | None
    notes: Sequence[str] = ()
    customer: NetworkInfo | None = None  # where customer champions come from
    saved: SavedAnalysis | None = None  # the analysis the measures come from


def main_network(networks: Sequence[NetworkInfo]) -> NetworkInfo | None:
    """The network the per-person figures come from: the latest collaboration network, else
    advice, else information, else any other non-customer network, else any network."""
    return _latest_of(networks, MAIN_TIE_TYPES, lambda n: n.type not in CUSTOMER_TIE_TYPES)


def story_network(networks: Sequence[NetworkInfo]) -> NetworkInfo | None:
    """The network the workbook's story reads (what this network shows, the Network
    findings sheet), chosen as the Network page chooses: the latest advice network, else
    collaboration, else the latest other informal network; the reporting lines only when
    there is nothing else."""
    from workbench.core.analysis import DEFAULT_TYPES
    from workbench.core.network.findings import FORMAL_RELATIONS

    return _latest_of(networks, DEFAULT_TYPES, lambda n: n.type not in FORMAL_RELATIONS)


def customer_network(networks: Sequence[NetworkInfo]) -> NetworkInfo | None:
    """The latest customer-insight (or extra-mile) network, if any."""
    return _latest_of(networks, (), lambda n: n.type in CUSTOMER_TIE_TYPES, fallback=False)


def _latest_of(networks: Sequence[NetworkInfo], kinds: Sequence[str],
               others: Callable[[NetworkInfo], bool], fallback: bool = True
               ) -> NetworkInfo | None:
    """Among the networks with ties, the latest of the first of ``kinds`` that has one, else
    the latest for which ``others`` holds, else (with ``fallback``) the latest of all."""
    def latest(candidates: list[NetworkInfo]) -> NetworkInfo | None:
        return max(candidates, key=lambda n: (n.date or dt.date.min, n.id), default=None)

    with_ties = [n for n in networks if n.tie_count]
    for kind in kinds:
        if found := latest([n for n in with_ties if n.type == kind]):
            return found
    return latest([n for n in with_ties if others(n)]) or (latest(with_ties) if fallback
                                                            else None)


def analyse_networks(project: Project, people: Sequence[Person], names: Mapping[str, str],
                     min_group_size: int, network_name: str | None = None,
                     progress: Progress | None = None) -> NetworkAnalysis:
    """Metrics and roles per person, department ties and the say-vs-show network figures.
    The measures are those of the saved analysis (:func:`saved_analysis`); the roles are
    found here, with the customer-insight network the report uses and ``names`` on the graph."""
    from workbench.core.analysis import network_graph
    from workbench.core.errors import WorkbenchError
    from workbench.core.network.baseline import start_baseline
    from workbench.core.network.findings import FORMAL_RELATIONS, Thresholds, find_patterns
    from workbench.core.network.graph import GraphArrays, graph_from_columns
    from workbench.core.network.metrics import values_or_none

    progress = ensure_progress(progress)
    networks = project.networks.list()
    info = project.networks.find(network_name) if network_name else main_network(networks)
    if network_name and info is None:
        raise WorkbenchError(f"There is no network named {network_name!r} in this project.")
    if info is None:
        return NetworkAnalysis(None, (), None, None, ("No network data yet.",))
    G = network_graph(project, info, list(people))
    arrays = GraphArrays.from_graph(G)
    thresholds = Thresholds(min_group_size=max(min_group_size, 3))
    baseline = (None if info.type in FORMAL_RELATIONS else  # the same numbers, sooner
                start_baseline(arrays, thresholds.baseline_samples))
    try:
        saved = saved_analysis(project, info, min_group_size, progress.sub(0.0, 0.7))
        insight_info = customer_network(networks)
        insight = None
        if insight_info is not None:
            ties = project.networks.tie_columns(insight_info.id)
            insight = graph_from_columns(people, ties.sources, ties.targets, ties.weights)
        progress.update(0.75, "Finding roles and patterns")
        metrics = replace(saved.metrics, arrays=arrays)
        found = find_patterns(G, metrics, thresholds=thresholds, insight_graph=insight,
                              relation=info.type, baseline=baseline,
                              progress=progress.sub(0.75, 0.85))
    finally:
        if baseline is not None:
            baseline.close()
    values = {_metric_label(k): values_or_none(metrics.columns[k]) for k in METRICS_SHOWN}
    departments = dict(G.nodes(data="department"))
    rows = [PersonMetrics(p, names.get(p, p), departments[p] or "", found.roles.get(p, ""),
                          {label: column[i] for label, column in values.items()})
            for i, p in enumerate(metrics.ids)]
    groups = department_ties(G)
    figures = network_figures(G, _relation(info), insight, _relation(insight_info),
                              found.count("customer_champion"),
                              found.count("cross_functional_team"), thresholds)
    notes = [*metrics.notes]
    if insight is None:
        notes.append("No customer-insight network: customer champions cannot be named.")
    progress.update(1.0, "Network figures ready")
    return NetworkAnalysis(info, rows, groups, figures, notes, insight_info, saved)


def saved_analysis(project: Project, info: NetworkInfo, min_group_size: int,
                   progress: Progress | None = None) -> SavedAnalysis:
    """The project's analysis of ``info`` with the default settings and ``min_group_size``
    (the Network page's, when the user changed nothing there): read from the project's
    cache, or computed and saved there for the next time."""
    from workbench.core.analysis import AnalysisParams, analyse_network
    from workbench.core.network.findings import Thresholds

    params = AnalysisParams(thresholds=Thresholds(min_group_size=min_group_size))
    return analyse_network(project, info, params, progress)


def metric_names() -> list[str]:
    """Column headers of the Network sheet's measures, in order."""
    return [_metric_label(k) for k in METRICS_SHOWN]


def _metric_label(key: str) -> str:
    from workbench.core.network.explain import label

    return label(key)


def department_ties(G: nx.Graph) -> GroupTies:
    """Ties counted from department to department (self-ties ignored), people per department
    and each department's E-I index; the workbook writer applies the privacy suppression."""
    from workbench.core.network.groups import ei_index, tie_counts

    counts = tie_counts(G, "department")
    names = counts.names
    ties = {(a, b): int(counts.ties[i, j]) for i, a in enumerate(names)
            for j, b in enumerate(names) if counts.ties[i, j]}
    ei = {}
    for i, name in enumerate(names):
        internal = int(counts.ties[i, i])
        external = int(counts.ties[i].sum() + counts.ties[:, i].sum()) - 2 * internal
        ei[name] = ei_index(external, internal)
    return GroupTies(tuple(names), dict(counts.sizes), ties, ei)


STORY_USE = "What this network shows (Summary) and the Network findings sheet"


def tell_story(project: Project, info: NetworkInfo, main: NetworkAnalysis, shown: ShownPeople,
               people: Sequence[Person], min_group_size: int,
               progress: Progress | None = None) -> NetworkStory:
    """What ``info`` shows (:func:`~workbench.core.report.network_story.network_story`), from
    the project's saved analysis when it is still valid (the Network page's, with the
    default settings). People's departments read as on the Network sheet; silos are not
    described where the Groups sheet hides a department's tie counts of this network."""
    from workbench.core.report.network_story import network_story

    label, table = department_labels(main.groups, min_group_size,
                                     (p.department for p in people))
    same = main.network is not None and main.network.id == info.id
    withheld = table.pooled if table is not None and same else frozenset()
    analysis = (main.saved if same and main.saved is not None
                else saved_analysis(project, info, min_group_size, progress))
    departments = {p.id: label(p.department) for p in people}
    return network_story(analysis, shown, departments, withheld)


def with_story(used: list[NetworkUsed], story: NetworkInfo | None) -> list[NetworkUsed]:
    """The networks used, with what the story took from its network."""
    if story is None:
        return used
    if any(n.name == story.name for n in used):
        return [replace(n, use=f"{n.use}; {STORY_USE[0].lower()}{STORY_USE[1:]}")
                if n.name == story.name else n for n in used]
    return [NetworkUsed(story.name, _relation(story), story.date, story.tie_count, STORY_USE),
            *used]


# -- people, plan and the whole report ----------------------------------------------------

def report_privacy(project: Project, pseudonymise: bool | None = None,
                   key: PseudonymKey | None = None) -> Privacy:
    """The project's privacy for a report; ``pseudonymise`` overrides the setting (a project
    that stores pseudonyms stays pseudonymised) and ``key`` the stored key."""
    from workbench.core.network.pseudonyms import PseudonymKey
    from workbench.core.privacy import Privacy, key_dir, privacy_settings, stores_pseudonyms

    settings = privacy_settings(project)
    stored = stores_pseudonyms(project)
    if pseudonymise is not None:
        settings = replace(settings, pseudonymise=pseudonymise or stored)
    if key is None and (settings.pseudonymise or stored):
        key = PseudonymKey.load_or_create(project.engagement.uuid(), key_dir())
    return Privacy(settings, key, stored)


def display_names(project: Project, people: Sequence[Person], pseudonymise: bool,
                  key: PseudonymKey | None = None) -> dict[str, str]:
    """Person id -> the name to show: the real name, or a keyed pseudonym when asked."""
    from workbench.core.privacy import ShownPeople

    shown = ShownPeople(report_privacy(project, pseudonymise, key), people)
    return {p.id: shown.label(p.id) for p in people}


def shown_action(action: PlanAction, shown: ShownPeople) -> PlanAction:
    """A plan action as outputs show it: the owner by name, role or pseudonym
    (:func:`~workbench.core.privacy.how_shown`), roster names in its texts replaced."""
    if not shown.pseudonymised:
        return action
    return replace(action, owner=shown.owner(action.owner), title=shown.scrub(action.title),
                   measure=shown.scrub(action.measure), evidence=shown.scrub(action.evidence),
                   notes=shown.scrub(action.notes))


def plan_action(action: Action, fallback_start: dt.date | None = None) -> PlanAction:
    """A stored action as the report's :class:`PlanAction` (missing dates: the plan start);
    see :func:`workbench.core.plan.apply.planned_action`."""
    from workbench.core.plan.apply import planned_action

    return planned_action(action, fallback_start)


def question_stats(design: Round | None,
                   rule: DisagreementRule | None = None) -> list[QuestionStat]:
    """n, mean, median, spread (SD) of the design round's numeric questions, in order; split
    = leaders disagree under ``rule`` (default: 2 levels apart, 2 leaders on each side). An
    importance rating reads as the item it weighs, so no two rows share one text."""
    if design is None:
        return []
    from workbench.core.questionnaire.scoring import all_question_stats, disagreements

    rule = rule or DisagreementRule()
    split = {d.question_id for d in disagreements(design.template, design.answers,
                                                  rule.min_levels, rule.min_each_side)}
    stats = all_question_stats(design.template, design.answers)
    return [QuestionStat(qid, _stat_text(design.template, qid), s.n, s.mean, s.median, s.std,
                         qid in split) for qid, s in stats.items()]


def _stat_text(template: Template, question_id: str) -> str:
    question = template.question(question_id)
    if not question.weighs:
        return question.text
    return (f"{gap_label(template.question(question.weighs))}: how important closing the gap "
            "is in the next year (1 hardly matters, 5 critical)")


def answered_item(template: Template, question: Question) -> Question:
    """The question a written answer belongs to: a question whose text others share ("Our
    answer today, in a few sentences.") belongs to the nearest earlier question with a text
    of its own that shares a tag with it; any other question to itself."""
    questions = template.questions()
    texts = Counter(q.text for q in questions)
    if texts[question.text] == 1:
        return question
    earlier = questions[:questions.index(question)]
    return next((q for q in reversed(earlier) if texts[q.text] == 1
                 and set(q.tags) & set(question.tags)), question)


def written_answers(project: Project, rounds: Mapping[str, Round],
                    shown: ShownPeople) -> list[WrittenAnswer]:
    """The written answers of each questionnaire's latest round, question by question.

    Respondents appear as privacy shows people: by name (privacy off) or by their roster
    pseudonym (privacy on); as "Leader n" when they answered anonymously, or when
    pseudonymised and not on the roster, or nameless. The same person keeps the same number
    on the whole sheet; a respondent's name inside an answer is replaced the same way."""
    numbers: dict[str, int] = {}
    hidden: dict[str, str] = {}  # respondents' names that may not appear -> as shown
    who: dict[int, dict[str, str]] = {}
    for round_ in rounds.values():
        who[round_.id] = {}
        for r in project.assessments.respondents(round_.id):
            name = r.name.strip()
            number = numbers.setdefault((name or r.code).casefold(), len(numbers) + 1)
            person = shown.resolve(name) or shown.resolve(r.code)
            label = (f"Leader {number}" if r.anonymous or not name
                     or (shown.pseudonymised and person is None)
                     else shown.label(person) if person is not None else name)
            who[round_.id][r.code] = label
            if name and label != name:
                hidden[name.casefold()] = label
    mentions = (re.compile("|".join(re.escape(n) for n in sorted(hidden, key=len, reverse=True)),
                           re.IGNORECASE) if hidden else None)

    def as_shown(text: str) -> str:
        text = shown.scrub(text.strip())
        return mentions.sub(lambda m: hidden[m.group(0).casefold()], text) if mentions else text

    found: list[WrittenAnswer] = []
    for round_ in rounds.values():
        template = round_.template
        for question in template.questions():
            if question.kind != "text":
                continue
            item = gap_label(answered_item(template, question))
            found += [WrittenAnswer(template.title, item, who[round_.id].get(code, code),
                                    as_shown(text))
                      for code, given in round_.answers.items()
                      if isinstance(text := given.get(question.id), str) and text.strip()]
    return found


def gap_remedies(project: Project, gaps: Sequence[Gap],
                 actions: Sequence[PlanAction]) -> dict[str, tuple[str, str]]:
    """For each gap no plan action serves: (library id, title) of the project's library
    action that serves it first (a broken own library names none)."""
    from workbench.core.plan.library import LibraryError
    from workbench.core.plan.project_library import project_library

    served = {a.source for a in actions}
    try:
        library = project_library(project)
    except LibraryError:
        return {}
    return {g.source: (found[0].id, found[0].title) for g in gaps
            if g.source not in served and (found := library.serving(g.source))}


def build_report_data(project: Project, *, network_name: str | None = None,
                      pseudonymise: bool | None = None, key: PseudonymKey | None = None,
                      progress: Progress | None = None) -> ReportData:
    """Everything the plan workbook shows, read from ``project`` (see the module notes)."""
    from workbench.core.privacy import ShownPeople
    from workbench.core.questionnaire.schema import Bar
    from workbench.core.questionnaire.scoring import maturity_grid
    from workbench.core.workshop.record import workshop_rows

    progress = ensure_progress(progress)
    progress.update(0.0, "Reading the engagement")
    engagement = project.engagement.get()
    privacy = report_privacy(project, pseudonymise, key)
    pseudonymise = privacy.pseudonymised
    ladder = ladder_round(project)  # the round target_step takes the stage from
    design = latest_round(project, DESIGN_TEMPLATE)
    target = target_step(project)  # the one truth for the target step and the stage
    maturity = ({cell: s.mean for cell, s in maturity_grid(ladder.template, ladder.answers)
                 .items()} if ladder else {})
    rounds = latest_rounds(project)
    gaps = assessment_gaps(rounds, target.step, target.stage, learning_gaps(project))
    progress.update(0.1, "Reading people")
    people = project.people.list()
    shown = ShownPeople(privacy, people)
    names = {p.id: shown.label(p.id) for p in people}
    # the graph carries shown names, so any finding sentence it produces names nobody
    network = analyse_networks(project, [replace(p, name=names[p.id]) for p in people], names,
                               engagement.min_group_size, network_name, progress.sub(0.1, 0.7))
    network_rows = tuple(replace(row, id=shown.id(row.id)) for row in network.people)
    learning = _learning(project, people, shown, network, engagement.min_group_size, rounds)
    evidence: list[StepEvidence] = [  # the ids it names, as the report shows people
        replace(e, people=tuple(shown.id(p) for p in e.people))
        for e in with_customer(say_vs_show(leader_ratings(ladder), network.figures,
                                           formal_facts(project)), learning.evidence)]
    progress.update(0.9, "Reading the plan")
    plans = project.plans.plans()
    plan_start = plans[0].start_date if plans else None
    actions = [shown_action(plan_action(a, plan_start), shown)
               for a in project.plans.actions(plans[0].id)] if plans else []
    roster = [RosterEntry(shown.id(p.id), names[p.id], p.department, p.role,
                          "" if pseudonymise else p.email) for p in people]
    story_info = network.network if network_name else story_network(project.networks.list())
    story = (None if story_info is None else
             tell_story(project, story_info, network, shown, people, engagement.min_group_size,
                        progress.sub(0.7, 0.9)))
    used = networks_used(network.network, network.customer)
    method = method_notes(project, ladder.template.scoring.bar if ladder else Bar(), rounds,
                          gaps, actions, with_story(used, story_info), shown)
    progress.update(1.0, "Report data ready")
    return ReportData(
        engagement=EngagementSummary(project.engagement.uuid(), engagement.client,
                                     target.step, target.stage, engagement.consultant,
                                     engagement.start_date, target.leaders_choice,
                                     shown.scrub(target.stop_reason), votes=target.votes),
        maturity=maturity, top_gaps=gaps[:TOP_GAPS],
        questionnaire=question_stats(design, disagreement_rule(project)),
        written=written_answers(project, rounds, shown),
        metric_names=metric_names(), network=network_rows, groups=network.groups,
        evidence=evidence, plan=actions, plan_start=plan_start, roster=roster,
        workshop=workshop_rows(project, shown), pseudonymised=pseudonymise,
        min_group_size=engagement.min_group_size,
        name_individual_labels=privacy.settings.name_individual_labels, method=method,
        story=story, remedies=gap_remedies(project, gaps[:TOP_GAPS], actions),
        learning=learning)


def _learning(project: Project, people: Sequence[Person], shown: ShownPeople,
              network: NetworkAnalysis, min_group_size: int, rounds: Mapping[str, Round]
              ) -> LearningReport:
    """The lab as the report shows it: people named as the workbook's story names them,
    departments as the Network sheet shows them."""
    from workbench.core.learning.findings import learning_graph
    from workbench.core.learning.report import learning_report
    from workbench.core.report.network_story import PeopleWords

    label, _table = department_labels(network.groups, min_group_size,
                                      (p.department for p in people))
    words = PeopleWords(shown, {p.id: label(p.department) for p in people})
    return learning_report(project, list(people), shown, words, dict(rounds),
                           learning_graph(project, people))


def project_evidence(project: Project, progress: Progress | None = None) -> list[StepEvidence]:
    """Say vs show per ladder step for the project (network figures missing -> insufficient)."""
    engagement = project.engagement.get()
    people = project.people.list()
    network = analyse_networks(project, people, {p.id: p.id for p in people},
                               engagement.min_group_size, progress=progress)
    return with_customer(say_vs_show(leader_ratings(ladder_round(project)), network.figures,
                                     formal_facts(project)), evidence_beside_ratings(project))


def export_workbook(project: Project, path: str | Path,
                    progress: Progress | None = None) -> tuple[ReportData, list[str]]:
    """Write the plan workbook of ``project`` atomically (never onto the project file).

    Returns the data written and the writer's notices about shortened or escaped cells.
    """
    from workbench.core.report.workbook_writer import write_plan_workbook

    progress = ensure_progress(progress)
    _check_target(project, path)
    data = build_report_data(project, progress=progress.sub(0.0, 0.6))
    try:
        notices = write_plan_workbook(data, path, protected=project.path,
                                      progress=progress.sub(0.6, 1.0))
    except OSError as exc:
        raise _write_error(path, exc) from None
    return data, notices


def export_summary_pdf(project: Project, path: str | Path,
                       progress: Progress | None = None) -> ReportData:
    """Write the one-page PDF summary of ``project`` atomically."""
    from workbench.core.report.summary_pdf import write_summary_pdf

    progress = ensure_progress(progress)
    _check_target(project, path)
    data = build_report_data(project, progress=progress.sub(0.0, 0.8))
    progress.update(0.85, "Drawing the summary")
    try:
        write_summary_pdf(data, path, protected=project.path)
    except OSError as exc:
        raise _write_error(path, exc) from None
    progress.update(1.0, "Summary written")
    return data


def _write_error(path: str | Path, exc: OSError) -> Exception:
    from workbench.core.errors import WorkbenchError

    return WorkbenchError(f"{Path(path).name}: cannot write the file in {Path(path).parent} "
                          f"({exc.strerror or exc}).")


def _check_target(project: Project, path: str | Path) -> None:
    """Refuse the open project file before any work is done (the writers check again)."""
    from workbench.core.errors import WorkbenchError

    target = Path(path)
    if target.exists() and target.resolve() == project.path.resolve():
        raise WorkbenchError(f"{target.name}: this is the open project file; choose another "
                             "file name.")
