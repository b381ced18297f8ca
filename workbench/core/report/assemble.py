"""Build the :class:`ReportData` of an open project: what the plan workbook and PDF show.

Sources, and the choices made when there are several:

* maturity grid, stage reached and gaps: the latest round of the ``maturity_ladder`` template
  (latest = highest round id); its respondents are the leaders whose step ratings are the
  *say* side of the evidence;
* questionnaire statistics and design-question gaps: the latest ``org_design`` round;
* network metrics and roles: the main network (:func:`main_network`); customer champions and
  the share of customer ties across departments come from the latest ``customer_insight``
  network. Without a network every network figure is missing and the evidence says so;
* the plan: the first plan of the project (the app keeps one plan per engagement).

Every person in the data (Network and Roster sheets, plan owners, workshop participants and
picks, names inside plan texts) is shown as :class:`workbench.core.privacy.ShownPeople` decides:
keyed pseudonyms when privacy is on (the project setting (:mod:`workbench.core.privacy`), or
the ``pseudonymise`` argument), never an id or e-mail address then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.model import NetworkInfo, Person
from workbench.core.plan.builder import Gap, PlanAction
from workbench.core.plan.evidence import LeaderRating, NetworkFigures, StepEvidence, say_vs_show
from workbench.core.report.data import (
    EngagementSummary,
    GroupTies,
    PersonMetrics,
    QuestionStat,
    ReportData,
    RosterEntry,
)
from workbench.core.tasks import Progress, ensure_progress

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.network.pseudonyms import PseudonymKey
    from workbench.core.privacy import Privacy, ShownPeople
    from workbench.core.project import Project
    from workbench.core.questionnaire.schema import Template
    from workbench.core.services.plans import Action

MATURITY_TEMPLATE = "maturity_ladder"
DESIGN_TEMPLATE = "org_design"
DESIGN_TAG = "design_question"
CUSTOMER_TIE_TYPES = ("customer_insight", "extra_mile")
MAIN_TIE_TYPES = ("collaboration", "advice", "information")  # preference order
METRICS_SHOWN = ("in_degree", "out_degree", "betweenness", "closeness_harmonic", "eigenvector",
                 "pagerank", "burt_constraint")
TOP_GAPS = 10
DISAGREEMENT_LEVELS = 2


@dataclass(frozen=True)
class Round:
    """One assessment round's template and answers (respondent code -> question -> value).

    ``agreed`` holds the values a workshop agreed on (question id -> value), kept apart from
    the individual ``answers``.
    """

    id: int
    name: str
    template: Template
    answers: Mapping[str, Mapping[str, Any]]
    agreed: Mapping[str, Any] = field(default_factory=dict)


def latest_round(project: Project, template_key: str) -> Round | None:
    """The newest round of a template, with its parsed template snapshot and answers."""
    from workbench.core.questionnaire.schema import Template

    rounds = [r for r in project.assessments.rounds() if r.template.key == template_key]
    if not rounds:
        return None
    info = max(rounds, key=lambda r: r.id)
    template = Template.model_validate_json(project.assessments.template_source(info.template.id))
    return Round(info.id, info.name, template, project.assessments.answers(info.id),
                 project.assessments.consensus(info.id))


def _with_agreed(round_: Round, question_ids: set[str]) -> tuple[dict[str, dict], set[str]]:
    """The round's answers with each agreed question answered only by the workshop consensus.

    So the agreed value, not the mean of individual ratings, sizes that question's gap.
    Returns the answers and the ids of the questions whose value was agreed.
    """
    from workbench.core.services.assessments import CONSENSUS_CODE

    agreed = {q: v for q, v in round_.agreed.items() if q in question_ids and v is not None}
    answers = {code: {q: v for q, v in given.items() if q not in agreed}
               for code, given in round_.answers.items()}
    if agreed:
        answers[CONSENSUS_CODE] = agreed
    return answers, set(agreed)


def ladder_gaps(ladder: Round | None, design: Round | None, target_step: int) -> list[Gap]:
    """Gaps to plan for: the target step's ladder cells and the design questions below the bar.

    Ranked together by shortfall (largest first); cells nobody rated have no size and are left
    out (the Maturity sheet shows them empty). A cell or question a workshop agreed on is
    sized by the agreed value instead of the mean rating, and its gap says so (``agreed``).
    """
    from workbench.core.questionnaire.scoring import all_question_stats, gaps

    found: list[tuple[str, int | None, float, float, bool]] = []  # key, step, mean, short, agreed
    if ladder is not None:
        cells = {q.id for q in ladder.template.questions() if q.group is not None}
        answers, agreed = _with_agreed(ladder, cells)
        found += [(g.foundation, g.step, g.mean, g.shortfall, g.question_id in agreed)
                  for g in gaps(ladder.template, answers, target_step)
                  if g.mean is not None and g.shortfall is not None]
    if design is not None:
        bar = design.template.scoring.bar.mean
        keyed = {q.id: key for q in design.template.questions()
                 if (key := _design_key(q.tags)) is not None}
        answers, agreed = _with_agreed(design, set(keyed))
        stats = all_question_stats(design.template, answers)
        for qid, key in keyed.items():
            mean = stats[qid].mean if qid in stats else None
            if mean is not None and mean < bar:
                found.append((key, None, mean, bar - mean, qid in agreed))
    found.sort(key=lambda g: -g[3])
    return [Gap(key, mean, shortfall, rank, step, agreed)
            for rank, (key, step, mean, shortfall, agreed) in enumerate(found, start=1)]


def _design_key(tags: Sequence[str]) -> str | None:
    """The design-question key of a question tagged ``design_question`` (None otherwise)."""
    from workbench.core.plan.library import DESIGN_QUESTIONS

    if DESIGN_TAG not in tags:
        return None
    return next((t for t in tags if t in DESIGN_QUESTIONS), None)


def project_gaps(project: Project, target_step: int | None = None) -> list[Gap]:
    """:func:`ladder_gaps` of the project's latest rounds (target: the engagement's step)."""
    step = target_step or project.engagement.get().target_step
    return ladder_gaps(latest_round(project, MATURITY_TEMPLATE),
                       latest_round(project, DESIGN_TEMPLATE), step)


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


def main_network(networks: Sequence[NetworkInfo]) -> NetworkInfo | None:
    """The network the per-person figures come from: the latest collaboration network, else
    advice, else information, else any other non-customer network, else any network."""
    def latest(candidates: list[NetworkInfo]) -> NetworkInfo | None:
        return max(candidates, key=lambda n: (n.date or dt.date.min, n.id), default=None)

    for kind in MAIN_TIE_TYPES:
        if found := latest([n for n in networks if n.type == kind and n.tie_count]):
            return found
    return (latest([n for n in networks if n.type not in CUSTOMER_TIE_TYPES and n.tie_count])
            or latest([n for n in networks if n.tie_count]))


def customer_network(networks: Sequence[NetworkInfo]) -> NetworkInfo | None:
    """The latest customer-insight (or extra-mile) network, if any."""
    found = [n for n in networks if n.type in CUSTOMER_TIE_TYPES and n.tie_count]
    return max(found, key=lambda n: (n.date or dt.date.min, n.id), default=None)


def analyse_networks(project: Project, people: Sequence[Person], names: Mapping[str, str],
                     min_group_size: int, network_name: str | None = None,
                     progress: Progress | None = None) -> NetworkAnalysis:
    """Metrics and roles per person, department ties and the say-vs-show network figures."""
    from workbench.core.errors import WorkbenchError
    from workbench.core.network.findings import Thresholds, find_patterns
    from workbench.core.network.graph import build_graph
    from workbench.core.network.metrics import compute_metrics

    progress = ensure_progress(progress)
    networks = project.networks.list()
    info = project.networks.find(network_name) if network_name else main_network(networks)
    if network_name and info is None:
        raise WorkbenchError(f"There is no network named {network_name!r} in this project.")
    if info is None:
        return NetworkAnalysis(None, (), None, None, ("No network data yet.",))
    G = build_graph(people, project.networks.ties(info.id), directed=info.directed)
    progress.update(0.1, f"Measuring the {info.name} network")
    metrics = compute_metrics(G, progress.sub(0.1, 0.8))
    insight_info = customer_network(networks)
    insight = (build_graph(people, project.networks.ties(insight_info.id), directed=True)
               if insight_info is not None else None)
    progress.update(0.85, "Finding roles and patterns")
    thresholds = Thresholds(min_group_size=max(min_group_size, 3), listed_per_kind=len(G))
    found = find_patterns(G, metrics, thresholds=thresholds, insight_graph=insight)
    rows = [PersonMetrics(p, names.get(p, p), G.nodes[p].get("department") or "",
                          found.roles.get(p, ""),
                          {_metric_label(k): metrics.value(p, k) for k in METRICS_SHOWN})
            for p in metrics.ids]
    groups = department_ties(G)
    figures = NetworkFigures(
        cross_dept_customer_tie_share=None if insight is None else _crossing_share(insight),
        champions_count=None if insight is None else len(found.of_kind("customer_champion")),
        overall_ei=_overall_ei(groups),
        cross_dept_communities=len(found.of_kind("cross_functional_team")),
        coordinator_candidates=len(found.of_kind("coordinator_candidate")),
    )
    notes = [*metrics.notes]
    if insight is None:
        notes.append("No customer-insight network: customer champions cannot be named.")
    progress.update(1.0, "Network figures ready")
    return NetworkAnalysis(info, rows, groups, figures, notes)


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


def _overall_ei(groups: GroupTies) -> float | None:
    total = sum(groups.ties.values())
    internal = sum(n for (a, b), n in groups.ties.items() if a == b)
    return (total - 2 * internal) / total if total else None


def _crossing_share(G: nx.Graph) -> float | None:
    ties = [(a, b) for a, b in G.edges() if a != b]
    if not ties:
        return None
    dept = G.nodes
    return sum(dept[a].get("department") != dept[b].get("department") for a, b in ties) / len(ties)


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
    """A stored action as the report's :class:`PlanAction` (missing dates: the plan start)."""
    start = action.start or fallback_start or dt.date.today()
    return PlanAction(
        uid=action.uid, title=action.title, step=action.step or 1,
        foundation=action.foundation, owner=action.owner, start=start,
        due=action.due or start, status=action.status, measure=action.measure,
        evidence=action.evidence,
        depends_on=tuple(d.strip() for d in action.depends_on.split(",") if d.strip()),
        notes=action.notes, source=action.source)


def question_stats(design: Round | None) -> list[QuestionStat]:
    """n, mean, median, spread (SD) of the design round's numeric questions, in order."""
    if design is None:
        return []
    from workbench.core.questionnaire.scoring import all_question_stats, disagreements

    split = {d.question_id for d in disagreements(design.template, design.answers,
                                                  DISAGREEMENT_LEVELS)}
    stats = all_question_stats(design.template, design.answers)
    return [QuestionStat(qid, design.template.question(qid).text, s.n, s.mean, s.median, s.std,
                         qid in split) for qid, s in stats.items()]


def build_report_data(project: Project, *, network_name: str | None = None,
                      pseudonymise: bool | None = None, key: PseudonymKey | None = None,
                      progress: Progress | None = None) -> ReportData:
    """Everything the plan workbook shows, read from ``project`` (see the module notes)."""
    from workbench.core.privacy import ShownPeople
    from workbench.core.questionnaire.scoring import maturity_grid, stage_reached
    from workbench.core.workshop.record import workshop_rows

    progress = ensure_progress(progress)
    progress.update(0.0, "Reading the engagement")
    engagement = project.engagement.get()
    privacy = report_privacy(project, pseudonymise, key)
    pseudonymise = privacy.pseudonymised
    ladder = latest_round(project, MATURITY_TEMPLATE)
    design = latest_round(project, DESIGN_TEMPLATE)
    stage = stage_reached(ladder.template, ladder.answers).stage if ladder else 0
    maturity = ({cell: s.mean for cell, s in maturity_grid(ladder.template, ladder.answers)
                 .items()} if ladder else {})
    gaps = ladder_gaps(ladder, design, engagement.target_step)
    progress.update(0.1, "Reading people")
    people = project.people.list()
    shown = ShownPeople(privacy, people)
    names = {p.id: shown.label(p.id) for p in people}
    # the graph carries shown names, so any finding sentence it produces names nobody
    network = analyse_networks(project, [replace(p, name=names[p.id]) for p in people], names,
                               engagement.min_group_size, network_name, progress.sub(0.1, 0.9))
    network_rows = tuple(replace(row, id=shown.id(row.id)) for row in network.people)
    evidence: list[StepEvidence] = say_vs_show(leader_ratings(ladder), network.figures)
    progress.update(0.9, "Reading the plan")
    plans = project.plans.plans()
    plan_start = plans[0].start_date if plans else None
    actions = [shown_action(plan_action(a, plan_start), shown)
               for a in project.plans.actions(plans[0].id)] if plans else []
    roster = [RosterEntry(shown.id(p.id), names[p.id], p.department, p.role,
                          "" if pseudonymise else p.email) for p in people]
    progress.update(1.0, "Report data ready")
    return ReportData(
        engagement=EngagementSummary(project.engagement.uuid(), engagement.client,
                                     engagement.target_step, stage, engagement.consultant,
                                     engagement.start_date),
        maturity=maturity, top_gaps=gaps[:TOP_GAPS], questionnaire=question_stats(design),
        metric_names=metric_names(), network=network_rows, groups=network.groups,
        evidence=evidence, plan=actions, plan_start=plan_start, roster=roster,
        workshop=workshop_rows(project, shown), pseudonymised=pseudonymise,
        min_group_size=engagement.min_group_size,
        name_individual_labels=privacy.settings.name_individual_labels)


def project_evidence(project: Project, progress: Progress | None = None) -> list[StepEvidence]:
    """Say vs show per ladder step for the project (network figures missing -> insufficient)."""
    engagement = project.engagement.get()
    people = project.people.list()
    network = analyse_networks(project, people, {p.id: p.id for p in people},
                               engagement.min_group_size, progress=progress)
    return say_vs_show(leader_ratings(latest_round(project, MATURITY_TEMPLATE)), network.figures)


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
    ladder = latest_round(project, MATURITY_TEMPLATE)
    bar = ladder.template.scoring.bar.mean if ladder else 3.0
    try:
        write_summary_pdf(data, path, protected=project.path, bar=bar)
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
