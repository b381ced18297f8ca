"""Network analysis of a project: one call from a network's name to metrics, findings and map.

:func:`analyse_network` builds the graph of a stored network, computes the measures,
communities, group figures, findings and a map layout, and caches the result in the project
(JSON, never pickle: a project file may come from someone else; the measures' columns as
base64 float64 bytes inside it). Two cache entries per network:

* ``analysis.metrics`` (measures, communities, layout) — valid while the ties, the people and
  the community settings are unchanged;
* ``analysis.findings`` (findings, group figures, communities vs departments) — valid while
  all of that and the thresholds are unchanged.

Both are written only after the whole analysis has finished, so a cancelled run leaves the
project as it was. Seeded igraph work runs under :data:`~workbench.core.network.layout.
IGRAPH_RNG_LOCK`, so two analyses never draw from igraph's process-wide generator at once.
On a large network the findings' random baseline is started in a second process before the
measures (:func:`~workbench.core.network.baseline.start_baseline`): the same numbers, sooner.

:func:`analyse_roles` is what ``workbench analyse`` needs for its table: the measures and the
roles only (no layout, group figures, silos or teams; no roles at all where the privacy
settings keep individual labels out of outputs), from the cache when it holds them.

Default network (``workbench analyse`` without ``--network``): the first network of type
``advice`` in import order, else the first of type ``collaboration``, else the first network.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.model import NetworkInfo, Person
from workbench.core.network.baseline import PendingBaseline, start_baseline
from workbench.core.network.communities import (
    DepartmentOverlap,
    Partition,
    compare_with_departments,
)
from workbench.core.network.compare import (
    FormalComparison,
    NetworkChange,
    compare_networks,
    informal_vs_formal,
)
from workbench.core.network.findings import (
    FORMAL_RELATIONS,
    Entry,
    Finding,
    Findings,
    Thresholds,
    find_patterns,
    without_roles,
)
from workbench.core.network.graph import GraphArrays, formal_graph, graph_from_columns
from workbench.core.network.groups import GroupFigures, GroupReport, group_report
from workbench.core.network.igraph_rng import IGRAPH_RNG_LOCK
from workbench.core.network.layout import GroupLayout, Positions, force_layout, group_layout
from workbench.core.network.metrics import (
    CSV_COLUMNS,
    METRIC_KEYS,
    MetricsResult,
    compute_metrics,
)
from workbench.core.network.second_process import SecondProcess
from workbench.core.privacy import Privacy, ShownPeople, load_privacy
from workbench.core.services.networks import TieColumns
from workbench.core.tasks import Progress, ensure_progress, others_may_wait

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.project import Project

DEFAULT_TYPES = ("advice", "collaboration")
INSIGHT_TYPES = ("customer_insight", "extra_mile")
INFORMAL_TYPES = ("advice", "customer_insight")
AGGREGATE_ABOVE = 3000  # people; above this the map shows departments, not people
CACHE_VERSION = 4  # bump whenever a measure's or a finding's definition changes
METRICS_KEY = "analysis.metrics"
FINDINGS_KEY = "analysis.findings"
APART_ABOVE = 100_000  # people + ties: the app measures a network this large in a second process
TABLE_MEASURES = tuple(key for key in CSV_COLUMNS if key in METRIC_KEYS)  # workbench analyse


@dataclass(frozen=True)
class AnalysisParams:
    """What the user can set: community method, resolution, seed, finding thresholds, and
    ``exact`` betweenness and harmonic closeness above the sampling limit (slower)."""

    method: str = "leiden"
    resolution: float = 1.0
    seed: int = 42
    thresholds: Thresholds = field(default_factory=Thresholds)
    exact: bool = False

    def metrics_part(self) -> dict:
        part = {"method": self.method, "resolution": self.resolution, "seed": self.seed}
        return {**part, "exact": True} if self.exact else part  # earlier caches stay valid

    def full(self) -> dict:
        return {**self.metrics_part(), "thresholds": dataclasses.asdict(self.thresholds)}


@dataclass(frozen=True)
class NetworkAnalysis:
    """Everything the app shows about one network. ``graph`` nodes carry display names."""

    network: NetworkInfo
    params: AnalysisParams
    graph: nx.DiGraph | nx.Graph
    metrics: MetricsResult
    findings: Findings
    groups: GroupReport
    overlap: DepartmentOverlap
    positions: Positions
    group_positions: GroupLayout | None  # set when the network is too big to draw per person
    from_cache: str  # "all", "metrics" or "" (computed now)


# -- finding networks and building graphs ------------------------------------------------------

def resolve_network(project: Project, name: str | None = None) -> NetworkInfo:
    """The network called ``name``, or the default one (see the module docstring).

    Raises :class:`WorkbenchError` for an unknown name, no networks or no people.
    """
    networks = project.networks.list()
    if project.people.count() == 0:
        raise WorkbenchError(f"{project.path.name} has no people yet; import the roster first.")
    if not networks:
        raise WorkbenchError(f"{project.path.name} has no networks yet; import ties first.")
    if name is None:
        for kind in DEFAULT_TYPES:
            match = next((n for n in networks if n.type == kind), None)
            if match is not None:
                return match
        return networks[0]
    match = next((n for n in networks if n.name == name), None)
    if match is None:
        names = ", ".join(repr(n.name) for n in networks)
        raise WorkbenchError(f"No network named {name!r} in {project.path.name} "
                             f"(networks: {names}).")
    return match


def shown_people(project: Project) -> list[Person]:
    """The roster with display names (pseudonyms when the project asks for them)."""
    return _roster(project)[2]


def _roster(project: Project) -> tuple[Privacy, list[Person], list[Person]]:
    """The privacy settings, the roster, and the roster with display names (read once)."""
    people = project.people.list()
    privacy = load_privacy(project)
    if not privacy.pseudonymised:
        return privacy, people, people
    shown = ShownPeople(privacy, people)
    return privacy, people, [dataclasses.replace(p, name=shown.label(p.id)) for p in people]


def metrics_csv_rows(result: MeasuresAndRoles) -> list[tuple]:
    """The ``workbench analyse`` CSV rows (values in ``CSV_COLUMNS`` order) as an output may
    show them.

    Ids are pseudonyms when the project is pseudonymised (an id may be an e-mail address);
    individual roles ("peripheral", "overloaded"...) stay blank beside real ids unless the
    privacy setting ``name_individual_labels`` is on. The columns never change.
    """
    from workbench.core.network.metrics import metrics_columns

    shown = ShownPeople(result.privacy, result.roster)
    columns = metrics_columns(result.metrics, roles=result.findings.roles)
    if shown.pseudonymised:
        columns[0] = list(map(shown.id, columns[0]))
    if not shown.individual_labels:
        columns[-1] = [""] * len(columns[-1])
    return list(zip(*columns, strict=True))


def network_graph(project: Project, info: NetworkInfo,
                  people: list[Person] | None = None) -> nx.DiGraph | nx.Graph:
    """Graph of one stored network over the whole roster (isolated people included)."""
    people = people if people is not None else shown_people(project)
    return _graph(project.networks.tie_columns(info.id), people, info.directed)


def typed_graph(project: Project, types: tuple[str, ...],
                people: list[Person] | None = None) -> nx.DiGraph | None:
    """All ties of the networks whose type is in ``types`` as one directed graph (None if none)."""
    people = people if people is not None else shown_people(project)
    chosen = [project.networks.tie_columns(n.id) for n in project.networks.list()
              if n.type in types]
    if not chosen:
        return None
    return graph_from_columns(people, [s for c in chosen for s in c.sources],
                              [t for c in chosen for t in c.targets],
                              [w for c in chosen for w in c.weights], directed=True)


def _graph(ties: TieColumns, people: list[Person], directed: bool) -> nx.DiGraph | nx.Graph:
    return graph_from_columns(people, ties.sources, ties.targets, ties.weights, directed)


def insight_graph(project: Project, people: list[Person] | None = None) -> nx.DiGraph | None:
    """Customer-insight and extra-mile nominations (nominator -> nominee), for champions."""
    return typed_graph(project, INSIGHT_TYPES, people)


# -- the analysis --------------------------------------------------------------------------------

def analyse_network(
    project: Project, network: str | NetworkInfo | None = None,
    params: AnalysisParams | None = None, progress: Progress | None = None,
    use_cache: bool = True,
) -> NetworkAnalysis:
    """Analyse a network (by name, info or the default), reusing the project's cache."""
    params = params or AnalysisParams()
    progress = ensure_progress(progress)
    start = _start(project, network, params, progress, use_cache)
    info, G = start.info, start.graph
    new_payloads: list[tuple[str, str, bytes]] = []
    baseline = start.baseline(params)
    try:
        if start.stored_metrics is not None:
            metrics, positions, groups_at = _metrics_from_json(json.loads(start.stored_metrics))
            from_cache = "metrics"
        else:
            with IGRAPH_RNG_LOCK:
                metrics = _measures(start, params, progress)
                positions, groups_at = _layout(G, params.seed, progress.sub(0.7, 0.85), metrics)
            new_payloads.append((METRICS_KEY, start.metrics_print,
                                 _encode(_metrics_to_json(metrics, positions, groups_at))))
            from_cache = ""
        if start.stored_findings is not None:
            findings, groups, overlap = _findings_from_json(json.loads(start.stored_findings))
            from_cache = "all"
        else:
            findings = _patterns(project, start, params, metrics, baseline, progress)
            groups = group_report(G, "department", params.thresholds.min_group_size,
                                  metrics.arrays)
            overlap = compare_with_departments(G, metrics.partition)
            new_payloads.append((FINDINGS_KEY, start.findings_print,
                                 _encode(_findings_to_json(findings, groups, overlap))))
    finally:
        if baseline is not None:
            baseline.close()
    progress.update(1.0, f"{info.name} analysed")
    for key, fingerprint, payload in new_payloads:  # only once everything has been computed
        project.networks.store_cache(info.id, key, fingerprint, payload)
    return NetworkAnalysis(info, params, G, metrics, findings, groups, overlap, positions,
                           groups_at, from_cache)


@dataclass(frozen=True)
class MeasuresAndRoles:
    """What the ``workbench analyse`` table needs: the measures and each person's role
    (``findings`` holds only the findings that give roles, see :func:`analyse_roles`)."""

    network: NetworkInfo
    metrics: MetricsResult
    findings: Findings
    privacy: Privacy
    roster: list[Person]  # as stored (real names and ids)


def analyse_roles(project: Project, network: str | NetworkInfo | None = None,
                  params: AnalysisParams | None = None, progress: Progress | None = None
                  ) -> MeasuresAndRoles:
    """The measures and roles of :func:`analyse_network`, without what only the app shows
    (map layout, group figures, silos, candidate teams), and without roles at all where the
    privacy settings keep individual labels out of outputs (only the notes are kept). Taken
    from the cache when the app has analysed the network already; computed otherwise, and
    then not cached (the cache holds whole analyses)."""
    params = params or AnalysisParams()
    progress = ensure_progress(progress)
    start = _start(project, network, params, progress, use_cache=True)
    labels = start.privacy.individual_labels
    baseline = start.baseline(params) if labels else None  # None when the findings are cached
    try:
        if start.stored_metrics is not None:
            metrics = _metrics_from_json(json.loads(start.stored_metrics))[0]
        else:
            with IGRAPH_RNG_LOCK:  # without roles, only the measures of the table
                metrics = _measures(start, params, progress,
                                    METRIC_KEYS if labels else TABLE_MEASURES)
        if not labels:
            insight = any(n.type in INSIGHT_TYPES for n in project.networks.list())
            findings = without_roles(metrics.ids, start.info.type, insight)
        elif start.stored_findings is not None:
            findings = _findings_from_json(json.loads(start.stored_findings))[0]
        else:
            findings = _patterns(project, start, params, metrics, baseline, progress,
                                 roles_only=True)
    finally:
        if baseline is not None:
            baseline.close()
    progress.update(1.0, f"{start.info.name} analysed")
    return MeasuresAndRoles(start.info, metrics, findings, start.privacy, start.roster)


@dataclass(frozen=True)
class _Start:
    """A network read for analysis, with its cache fingerprints and what the cache holds.
    ``arrays`` are what the measures need; ``graph`` (networkx, with display names) is built
    on first use, for the findings and the map."""

    info: NetworkInfo
    privacy: Privacy
    roster: list[Person]  # as stored
    people: list[Person]  # with display names
    ties: TieColumns
    arrays: GraphArrays
    metrics_print: str
    findings_print: str
    stored_metrics: bytes | None
    stored_findings: bytes | None  # only when the metrics are stored too

    @cached_property
    def graph(self) -> nx.DiGraph | nx.Graph:
        return _graph(self.ties, self.people, self.info.directed)

    def baseline(self, params: AnalysisParams) -> PendingBaseline | None:
        """The findings' random baseline, started now (in a second process on a large
        network, while the measures are made) when the findings are to be computed."""
        if self.stored_findings is not None or self.info.type in FORMAL_RELATIONS:
            return None
        return start_baseline(self.arrays, params.thresholds.baseline_samples, params.seed)


def _start(project: Project, network: str | NetworkInfo | None, params: AnalysisParams,
           progress: Progress, use_cache: bool) -> _Start:
    info = network if isinstance(network, NetworkInfo) else resolve_network(project, network)
    progress.update(0.0, f"Reading {info.name}")
    privacy, roster, people = _roster(project)
    ties = project.networks.tie_columns(info.id)
    arrays = GraphArrays.from_columns([p.id for p in people], ties.sources, ties.targets,
                                      ties.weights, info.directed)
    data_print = _data_fingerprint(project, info, ties.fingerprint, people)
    metrics_print = _digest(data_print, params.metrics_part())
    findings_print = _digest(data_print, params.full())
    networks = project.networks
    stored_metrics = networks.cached(info.id, METRICS_KEY, metrics_print) if use_cache else None
    stored_findings = (networks.cached(info.id, FINDINGS_KEY, findings_print)
                       if use_cache and stored_metrics is not None else None)
    return _Start(info, privacy, roster, people, ties, arrays, metrics_print, findings_print,
                  stored_metrics, stored_findings)


def _measures(start: _Start, params: AnalysisParams, progress: Progress,
              keys: Collection[str] = METRIC_KEYS) -> MetricsResult:
    """The measures; on a large network in the app, made in a second process, so the long
    igraph calls (which hold the interpreter) never freeze the window."""
    arrays = start.arrays
    work = partial(compute_metrics, arrays, seed=params.seed, community_method=params.method,
                   resolution=params.resolution, exact=params.exact, keys=keys)
    apart = others_may_wait() and arrays.n + len(arrays.src) >= APART_ABOVE
    return SecondProcess(work, progress.sub(0.05, 0.7), fork=False, spawn=apart).result()


def _patterns(project: Project, start: _Start, params: AnalysisParams, metrics: MetricsResult,
              baseline: PendingBaseline | None, progress: Progress, roles_only: bool = False
              ) -> Findings:
    progress.update(0.85, "Looking for patterns")
    return find_patterns(start.graph, metrics, thresholds=params.thresholds,
                         insight_graph=insight_graph(project, start.people),
                         relation=start.info.type, seed=params.seed, baseline=baseline,
                         progress=progress.sub(0.85, 0.95), roles_only=roles_only)


def _layout(G: nx.Graph, seed: int, progress: Progress, metrics: MetricsResult
            ) -> tuple[Positions, GroupLayout | None]:
    if G.number_of_nodes() > AGGREGATE_ABOVE:
        return {}, group_layout(G, "department", seed, progress, metrics.arrays)
    return force_layout(G, seed, progress=progress, arrays=metrics.arrays), None


def _data_fingerprint(project: Project, info: NetworkInfo, ties_print: str,
                      people: list[Person]) -> str:
    """Digest of the ties of this network (``ties_print``, already read) and of the insight
    networks, and of the people (one JSON text for the whole roster)."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    insight = [n for n in project.networks.list() if n.type in INSIGHT_TYPES]
    for n in [info, *insight]:
        tie_print = ties_print if n.id == info.id else project.networks.fingerprint(n.id)
        digest.update(f"{n.id}:{n.directed}:{tie_print}\x1e".encode())
    digest.update(json.dumps([[p.id, p.name, p.department, p.manager_id, p.customer_facing,
                               p.role] for p in people]).encode())
    return digest.hexdigest()


def _digest(data_print: str, params: dict) -> str:
    return hashlib.sha256((data_print + json.dumps(params, sort_keys=True)).encode()).hexdigest()


# -- cache payloads (plain JSON) -------------------------------------------------------------------

def _encode(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()


def _packed(values: np.ndarray) -> str:
    """A column of numbers as text: its float64 bytes (NaN kept), in base64. Decoding a few
    short strings, unlike a JSON list of 100,000 numbers, never holds the interpreter long
    enough to freeze the app's window."""
    return base64.b64encode(np.asarray(values, dtype="<f8").tobytes()).decode("ascii")


def _unpacked(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f8").astype(float)


def _metrics_to_json(m: MetricsResult, positions: Positions, groups_at: GroupLayout | None
                     ) -> dict:
    p = m.partition
    return {
        "ids": m.ids,
        "columns": {k: _packed(v) for k, v in m.columns.items()},
        "standard_error": {k: _packed(v) for k, v in m.standard_error.items()},
        "network": {k: None if isinstance(v, float) and np.isnan(v) else v
                    for k, v in m.network.items()},
        "notes": m.notes,
        "partition": {"membership": [p.membership[i] for i in m.ids], "modularity": p.modularity,
                      "method": p.method, "resolution": p.resolution, "seed": p.seed},
        "positions": {k: list(v) for k, v in positions.items()},
        "groups_at": None if groups_at is None else {
            "attribute": groups_at.attribute,
            "positions": {k: list(v) for k, v in groups_at.positions.items()},
            "sizes": groups_at.sizes,
            "ties": [[a, b, w] for (a, b), w in groups_at.ties.items()],
            "internal": groups_at.internal,
        },
    }


def _metrics_from_json(d: dict) -> tuple[MetricsResult, Positions, GroupLayout | None]:
    part = d["partition"]
    partition = Partition(dict(zip(d["ids"], part["membership"], strict=True)),
                          part["modularity"], part["method"], part["resolution"], part["seed"])
    network = {k: np.nan if v is None else v for k, v in d["network"].items()}
    metrics = MetricsResult(
        d["ids"], {k: _unpacked(v) for k, v in d["columns"].items()}, network, partition,
        d["notes"], {k: _unpacked(v) for k, v in d["standard_error"].items()},
    )
    positions = {k: (v[0], v[1]) for k, v in d["positions"].items()}
    g = d["groups_at"]
    groups_at = None if g is None else GroupLayout(
        g["attribute"], {k: (v[0], v[1]) for k, v in g["positions"].items()}, g["sizes"],
        {(a, b): w for a, b, w in g["ties"]}, g["internal"],
    )
    return metrics, positions, groups_at


def _findings_to_json(f: Findings, groups: GroupReport, overlap: DepartmentOverlap) -> dict:
    return {
        "findings": [dataclasses.asdict(x) for x in f.findings],
        "roles": f.roles,
        "key_person_risk": f.key_person_risk,
        "figures": f.figures,
        "notes": f.notes,
        "groups": {**dataclasses.asdict(groups),
                   "groups": [dataclasses.asdict(g) for g in groups.groups.values()]},
        "overlap": {
            "community_departments": [[c, d] for c, d in overlap.community_departments.items()],
            "crossing": overlap.crossing,
            "dominant_share": [[c, s] for c, s in overlap.dominant_share.items()],
            "agreement": overlap.agreement,
        },
    }


def _findings_from_json(d: dict) -> tuple[Findings, GroupReport, DepartmentOverlap]:
    findings = Findings(
        [Finding(**{**x, "entries": [Entry(**e) for e in x["entries"]]}) for x in d["findings"]],
        d["roles"], d["key_person_risk"], d["figures"], d["notes"])
    g = d["groups"]
    groups = GroupReport(g["attribute"], g["min_group_size"],
                         {x["name"]: GroupFigures(**x) for x in g["groups"]},
                         g["overall_ei"], g["matrix"], g["notes"])
    o = d["overlap"]
    overlap = DepartmentOverlap({c: dict(x) for c, x in o["community_departments"]},
                                o["crossing"], {c: s for c, s in o["dominant_share"]},
                                o["agreement"])
    return findings, groups, overlap


# -- comparisons ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DatedComparison:
    before: NetworkAnalysis
    after: NetworkAnalysis
    change: NetworkChange


def compare_dated(project: Project, before: str, after: str, measure: str = "betweenness",
                  params: AnalysisParams | None = None, progress: Progress | None = None,
                  top: int = 10) -> DatedComparison:
    """Two networks side by side (earlier first): ties gained and lost, risers and fallers."""
    progress = ensure_progress(progress)
    first = analyse_network(project, before, params, progress.sub(0.0, 0.45))
    second = analyse_network(project, after, params, progress.sub(0.45, 0.9))
    progress.update(0.9, "Comparing")
    change = compare_networks(first.graph, second.graph, first.metrics, second.metrics,
                              measure, top)
    progress.update(1.0, "Comparison ready")
    return DatedComparison(first, second, change)


@dataclass(frozen=True)
class FormalView:
    """Informal ties against reporting lines, with manager names for display."""

    types: tuple[str, ...]
    comparison: FormalComparison
    names: dict[str, str]  # person id -> display name


def compare_formal(project: Project, types: tuple[str, ...] = INFORMAL_TYPES,
                   progress: Progress | None = None) -> FormalView:
    """Share of ``types`` ties (default advice + customer insight) outside reporting lines,
    and managers whose team has no informal tie outside it."""
    progress = ensure_progress(progress)
    progress.update(0.0, "Reading reporting lines")
    people = shown_people(project)
    informal = typed_graph(project, types, people)
    if informal is None:
        raise WorkbenchError(
            f"{project.path.name} has no {' or '.join(types)} network to compare with the "
            "reporting lines.")
    progress.update(0.5, "Comparing with reporting lines")
    comparison = informal_vs_formal(informal, formal_graph(people))
    progress.update(1.0, "Comparison ready")
    return FormalView(types, comparison, {p.id: p.name or p.id for p in people})
