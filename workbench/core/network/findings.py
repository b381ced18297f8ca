"""Patterns worth a conversation: one finding per kind, its people ranked, each with its rule.

Every cut-off is relative to the network itself, and every finding states its rule in
``Finding.rule`` with the numbers it used:

* overloaded: sought out by more people than the upper quartile plus ``far_spreads`` middle
  spreads (interquartile ranges, at least 1), and by at least ``overloaded_min_incoming``;
* go-to people (central connectors): more than the upper quartile plus ``outlier_spreads``
  middle spreads, not overloaded; at most ``top_share`` of the people;
* brokers: a bridge score above the upper quartile plus ``outlier_spreads`` middle spreads of
  bridge scores, and ``baseline_z`` standard deviations above what degree-preserving random
  networks give the same person (:mod:`~workbench.core.network.baseline`); at most
  ``top_share`` of the people;
* key-person risk: leaving would cut at least ``key_person_min_loss`` of the connected pairs
  apart, ``baseline_z`` standard deviations (at least 1 point) above the random networks;
* customer champions: nominated by at least ``champion_min_nominations`` people of other
  departments, and by more than the upper quartile plus ``outlier_spreads`` middle spreads;
* silos: a department whose share of ties with other departments is at most
  ``silo_max_ratio`` of the share random mixing of the same people gives it
  (:func:`~workbench.core.network.baseline.random_mixing`), and at most ``silo_max_ratio`` of
  the typical department's ratio;
* candidate cross-functional teams: communities, split further while larger than
  ``team_max_size``, of ``team_min_size``..``team_max_size`` people from at least
  ``team_min_departments`` departments, one of them customer-facing; in each, the member who
  most links its departments is able to coordinate it;
* on the edge (peripheral): at most ``peripheral_max_ties`` ties in or out.

``Entry.unusual`` says how far an entry lies from what is typical, in spreads: for counts
(people sought out, nominations) above this network's median, scaled by 1.4826 x the median
absolute deviation (at least 1); for bridge scores and pairs lost above the random networks'
mean in their standard deviations; for silos below the typical department on the log of the
ratio to random mixing. Entries are ranked by it (key-person risks by the share of pairs
lost, teams by departments mixed); the headline (:mod:`~workbench.core.network.headline`)
ranks by it too.

Sentences name people through placeholders ``{0}``, ``{1}`` ... (``person_ids[0]`` ...) so the
caller decides how a person is shown (:meth:`Entry.text`); ``Finding.sentence`` is the summary
with the names the graph carries. Reporting lines are formal structure: no informal finding is
reported on them, only a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from workbench.core.network.baseline import (
    Baseline,
    PendingBaseline,
    pairs_lost,
    random_mixing,
)
from workbench.core.network.communities import (
    Partition,
    partition_projection,
    undirected_igraph,
)
from workbench.core.network.explain import crossing_text, percent
from workbench.core.network.graph import GraphArrays
from workbench.core.network.groups import (
    BROKERAGE_ROLES,
    GroupReport,
    brokerage_counts,
    group_of,
    group_report,
)
from workbench.core.network.hierarchy import REPORTING
from workbench.core.network.metrics import MetricsResult
from workbench.core.tasks import Progress
from workbench.core.wording import count

if TYPE_CHECKING:
    import networkx as nx

KINDS = {  # kind -> name, in the order a conversation takes them
    "key_person_risk": "Key-person risk",
    "overloaded": "Possibly overloaded",
    "customer_champion": "Customer champions",
    "silo": "Possible silo",
    "cross_functional_team": "Candidate cross-functional teams",
    "coordinator_candidate": "Able to coordinate a team",
    "broker": "Brokers",
    "central_connector": "Go-to people",
    "peripheral": "On the edge",
}
ROLE_LABELS = {  # priority order: a person gets the first role that applies
    "key_person_risk": "key person risk",
    "customer_champion": "customer champion",
    "broker": "broker",
    "central_connector": "central connector",
    "overloaded": "overloaded",
    "peripheral": "peripheral",
}
CROSS_GROUP_ROLES = tuple(r for r in BROKERAGE_ROLES if r != "go_between")
FORMAL_RELATIONS = frozenset({REPORTING, "reports_to"})
FORMAL_NOTE = ("These ties are reporting lines, the formal structure: who is sought out, who "
               "links whom and who sits on the edge are read from informal ties (advice, "
               "collaboration, customer insight), so no such findings are given here.")
ROBUST_SD = 1.4826  # median absolute deviation x this = standard deviation of a normal curve
MIN_LOSS_SD = 0.01  # pairs lost: spread of at least 1 point of the share
MIN_LOG_SPREAD = 0.25  # silos: spread of at least a quarter of a log unit between departments
PLACEHOLDER = re.compile(r"\{(\d+)\}")

Names = Mapping[str, str] | Callable[[str], str]


def fill(template: str, person_ids: Sequence[str], names: Names) -> str:
    """``template`` with ``{i}`` replaced by how ``names`` shows ``person_ids[i]``."""
    show = names if callable(names) else (lambda p: names.get(p, p))
    return PLACEHOLDER.sub(lambda m: show(person_ids[int(m.group(1))]), template)


@dataclass(frozen=True)
class Thresholds:
    """Adjustable rules; spreads are middle spreads (interquartile ranges) of this network."""

    top_share: float = 0.10  # go-to people and brokers: at most this share of the people
    outlier_spreads: float = 1.5  # "well above the rest": upper quartile + this many spreads
    far_spreads: float = 3.0  # "far above the rest" (overloaded)
    overloaded_min_incoming: int = 5  # and never fewer people than this
    baseline_z: float = 3.0  # "more than chance": standard deviations above the random networks
    baseline_samples: int = 30
    peripheral_max_ties: int = 1  # ties in and out together
    key_person_candidates: int = 20  # people checked for removal (highest bridge scores)
    key_person_min_loss: float = 0.05  # share of connected pairs lost
    champion_min_nominations: int = 2  # nominations from people in other departments
    silo_max_ratio: float = 0.5
    team_min_size: int = 5
    team_max_size: int = 12
    team_min_departments: int = 3
    min_group_size: int = 5


@dataclass(frozen=True)
class Entry:
    """One person, department or team inside a finding, with its own figures and words."""

    template: str  # {0}, {1} ... stand for person_ids[0], person_ids[1] ...
    person_ids: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)
    unusual: float | None = None  # spreads from what is typical or random; None = not ranked

    def text(self, names: Names) -> str:
        return fill(self.template, self.person_ids, names)


@dataclass(frozen=True)
class Finding:
    """All entries of one kind, ranked (most unusual or most useful first), with the rule."""

    kind: str
    title: str
    sentence: str  # the summary, people named as the graph names them
    person_ids: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)
    rule: str = ""
    entries: list[Entry] = field(default_factory=list)
    template: str = ""  # the summary with placeholders for person_ids

    @property
    def unusual(self) -> float | None:
        scores = [e.unusual for e in self.entries if e.unusual is not None]
        return max(scores) if scores else None

    def text(self, names: Names) -> str:
        return fill(self.template, self.person_ids, names)


@dataclass(frozen=True)
class Findings:
    findings: list[Finding]  # at most one per kind, in the order of KINDS
    roles: dict[str, str]  # person -> one role label ("" when none applies)
    key_person_risk: dict[str, float]  # candidates checked -> share of connected pairs lost
    figures: dict[str, float] = field(default_factory=dict)  # crossing shares of the network
    notes: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def count(self, kind: str) -> int:
        """How many people, departments or teams a kind names."""
        return sum(len(f.entries) for f in self.of_kind(kind))


def find_patterns(
    G: nx.Graph,
    metrics: MetricsResult,
    partition: Partition | None = None,
    thresholds: Thresholds | None = None,
    insight_graph: nx.Graph | None = None,
    relation: str | None = None,
    seed: int = 42,
    baseline: PendingBaseline | None = None,
    progress: Progress | None = None,
    roles_only: bool = False,
) -> Findings:
    """Roles and findings for ``G`` from its metrics and communities (see the module notes).

    ``insight_graph`` holds customer-insight / extra-mile nominations (ties nominator ->
    nominee); without it no customer champions are named. ``relation`` is the network's type:
    on reporting lines only a note is returned. ``seed`` fixes the random baseline;
    ``baseline``, when given, is that baseline already started (same samples and seed), and
    ``progress`` is kept moving while it is awaited. ``roles_only`` leaves out the findings
    that give no person a role (silos, candidate teams and who could coordinate them).
    """
    t = thresholds or Thresholds()
    ids = metrics.ids
    if relation in FORMAL_RELATIONS:
        return without_roles(ids, relation, insight_graph is not None)
    partition = partition or metrics.partition
    arrays = metrics.arrays or GraphArrays.from_graph(G)
    names = {p: _name(G, p) for p in ids}
    report = group_report(G, "department", t.min_group_size, arrays)  # checks the size first
    found: dict[str, Finding | None] = {}
    if not ids:
        return Findings([], {}, {})

    risk = _key_person_risk(arrays, metrics.columns["betweenness"], t.key_person_candidates)
    index = metrics.index
    at_risk = [index[p] for p in sorted(risk, key=lambda p: -risk[p])
               if risk[p] >= t.key_person_min_loss]
    load, connectors = _sought_out(ids, metrics.columns, arrays.directed, t)
    found["overloaded"], found["central_connector"] = load, connectors
    if insight_graph is not None:
        found["customer_champion"] = _champion_finding(G, insight_graph, t)
    crossing: dict[str, float] = {}
    if not roles_only:
        found["silo"], crossing = _silos(G, arrays, report, t)
        teams = candidate_teams(G, arrays, partition, t, seed)
        found["cross_functional_team"] = _team_finding(teams, t)
        found["coordinator_candidate"] = _coordinator_finding(
            team_coordinators(G, arrays, teams), teams, t)
    # last: a baseline started in a second process has had all the work above to finish in
    pending = baseline or PendingBaseline(arrays, t.baseline_samples, seed)
    chance = pending.result(at_risk, progress)
    found["key_person_risk"] = _key_people(ids, risk, at_risk, chance, t)
    found["broker"] = _brokers(ids, metrics.columns["betweenness"], chance, t)
    found["peripheral"] = _peripheral(ids, metrics.columns, t)

    findings = [_named(f, names) for kind in KINDS if (f := found.get(kind)) is not None]
    flagged = {f.kind: set(f.person_ids) for f in findings}
    roles = {p: next((ROLE_LABELS[k] for k in ROLE_LABELS if p in flagged.get(k, ())), "")
             for p in ids}
    return Findings(findings, roles, risk, crossing, _notes(relation, insight_graph is not None))


def without_roles(ids: list[str], relation: str | None, insight: bool) -> Findings:
    """No findings and no roles for ``ids``, with the notes :func:`find_patterns` would give
    (``insight``: whether there is a customer-insight network): for an output where
    individual roles may not be shown."""
    notes = _notes(relation, insight) if ids or relation in FORMAL_RELATIONS else []
    return Findings([], dict.fromkeys(ids, ""), {}, notes=notes)


def _notes(relation: str | None, insight: bool) -> list[str]:
    if relation in FORMAL_RELATIONS:
        return [FORMAL_NOTE]
    return [] if insight else ["No customer-insight network: customer champions cannot be named."]


# -- shared helpers --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Spread:
    """Quartiles and the middle spread of one measure over everyone in the network."""

    lower: float
    median: float
    upper: float
    spread: float  # interquartile range, floored
    scale: float  # robust standard deviation, floored

    @classmethod
    def of(cls, values: np.ndarray, floor: float = 0.0) -> _Spread:
        values = np.nan_to_num(np.asarray(values, dtype=float))
        lower, median, upper = np.percentile(values, [25, 50, 75])
        mad = float(np.median(np.abs(values - median)))
        return cls(float(lower), float(median), float(upper),
                   max(float(upper - lower), floor), max(ROBUST_SD * mad, floor))

    def fence(self, spreads: float) -> float:
        return self.upper + spreads * self.spread

    def z(self, value: float) -> float:
        return (value - self.median) / self.scale if self.scale else 0.0


def _finding(kind: str, entries: list[Entry], rule: str, title: str = "",
             figures: dict[str, float] | None = None) -> Finding | None:
    """The finding of one kind from its ranked entries (None when there are none)."""
    if not entries:
        return None
    people = list(dict.fromkeys(p for e in entries for p in e.person_ids))
    groups = list(dict.fromkeys(g for e in entries for g in e.groups))
    more = len(entries) - 1
    template = entries[0].template + (f" {more_in_list(kind, more)}" if more else "")
    return Finding(kind, title or f"{KINDS[kind]}: {count(len(people), 'person', 'people')}",
                   "", people, groups,
                   {**entries[0].figures, **(figures or {}), "entries": len(entries)},
                   rule, entries, template)


def more_in_list(kind: str, more: int) -> str:
    """"3 more people in the list." for the entries after the first of a kind."""
    noun = {"silo": ("department", "departments"),
            "cross_functional_team": ("team", "teams")}.get(kind, ("person", "people"))
    return f"{count(more, 'more ' + noun[0], 'more ' + noun[1])} in the list."


def _named(finding: Finding, names: Mapping[str, str]) -> Finding:
    return replace(finding, sentence=finding.text(names))


def _name(G: nx.Graph, person: str) -> str:
    return str((G.nodes[person].get("name") if person in G else None) or person)


def _ranked(values: np.ndarray, chosen: np.ndarray) -> list[int]:
    """Indices where ``chosen`` holds, highest value first (ties in network order)."""
    order = np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable")
    return [int(i) for i in order if chosen[i]]


def _cap(n: int, share: float) -> int:
    return max(1, int(round(share * n)))


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _about(share: float, none: str = "almost none") -> str:
    return none if share < 0.0005 else f"about {percent(share)}"


def _half_of_people(verb: str, median: float) -> str:
    """How many the typical person is named by (``verb`` e.g. "are named by")."""
    if median == 0:
        return f"most people {verb} nobody"
    return f"half the people {verb} {_num(median)} or fewer"


# -- sought out: overloaded and go-to people --------------------------------------------------

def _sought_out(ids: list[str], columns: dict[str, np.ndarray], directed: bool, t: Thresholds
                ) -> tuple[Finding | None, Finding | None]:
    k, out = columns["in_degree"], columns["out_degree"]
    s = _Spread.of(k, floor=1.0)
    far, well = s.fence(t.far_spreads), s.fence(t.outlier_spreads)
    heavy = _ranked(k, (k > far) & (k >= t.overloaded_min_incoming))
    ordered = np.sort(k)[::-1]

    def ahead(i: int) -> str:  # who comes next, or how many come before
        above = int((k > k[i]).sum())
        if above:
            return f"{count(above, 'person is', 'people are')} sought out by more"
        return (f"the next most {'sought-after' if directed else 'connected'} person has "
                f"{int(ordered[1]) if len(ordered) > 1 else 0:,}")

    def named(i: int) -> str:  # "{0} is named by 9 people as someone to go to"
        if not directed:
            return f"{{0}} has ties with {count(int(k[i]), 'person', 'people')}"
        return f"{{0}} is named by {count(int(k[i]), 'person', 'people')} as someone to go to"

    typical = _half_of_people("have ties with" if not directed else "are named by", s.median)
    overloaded = [Entry(
        f"{named(i)}{'' if not directed else f' and names {int(out[i]):,}'}; {ahead(i)}, "
        f"and {typical}. Requests may pile up here.",
        [ids[i]], [], {"in_degree": float(k[i]), "out_degree": float(out[i]),
                       "next_highest": _highest_other(ordered, k[i]), "median": s.median},
        s.z(float(k[i])),
    ) for i in heavy]
    heavy_set = set(heavy)
    go_to = [i for i in _ranked(k, k > well) if i not in heavy_set][:_cap(len(ids), t.top_share)]
    connectors = [Entry(f"{named(i)}; {typical}.", [ids[i]], [],
                        {"in_degree": float(k[i]), "median": s.median}, s.z(float(k[i])))
                  for i in go_to]
    middle = (f"the middle half of people are sought out by {_num(s.lower)} to "
              f"{_num(s.upper)}")
    load_rule = (f"Possibly overloaded: sought out by more than {_num(far)} people, far above "
                 f"the rest ({middle}; the cut-off is the upper quartile plus "
                 f"{_num(t.far_spreads)} times that spread), and by at least "
                 f"{t.overloaded_min_incoming}.")
    go_to_rule = (f"Go-to person: sought out by more than {_num(well)} people ({middle}; the "
                  f"cut-off is the upper quartile plus {_num(t.outlier_spreads)} times that "
                  f"spread), without counting as overloaded; at most {t.top_share:.0%} of "
                  "people are listed.")
    return (_finding("overloaded", overloaded, load_rule),
            _finding("central_connector", connectors, go_to_rule))


def _highest_other(ordered: np.ndarray, value: float) -> float:
    """The highest value of anyone else, from all values in descending order."""
    if len(ordered) < 2:
        return 0.0
    return float(ordered[1] if value == ordered[0] else ordered[0])


# -- bridges: brokers and key-person risk -------------------------------------------------------

def _brokers(ids: list[str], betweenness: np.ndarray, baseline: Baseline, t: Thresholds
             ) -> Finding | None:
    b = np.nan_to_num(betweenness)
    s = _Spread.of(b)
    expected, sd = baseline.betweenness_mean, _floored(baseline.betweenness_sd)
    z = (b - expected) / sd
    well = s.fence(t.outlier_spreads)
    chosen = (b > well) & (z >= t.baseline_z) & (b > 0) if baseline.samples else b > well
    order = sorted(_ranked(b, chosen), key=lambda i: -z[i])[:_cap(len(ids), t.top_share)]
    entries = [Entry(
        f"{{0}} lies on {percent(float(b[i]))} of the shortest routes between two other people; "
        f"random networks with the same numbers of ties put {{0}} on "
        f"{_about(float(expected[i]), 'hardly any')}.",
        [ids[i]], [], {"betweenness": float(b[i]), "expected_betweenness": float(expected[i])},
        float(z[i]),
    ) for i in order]
    rule = (f"Broker: on more than {percent(well)} of the shortest routes between others (the "
            f"upper quartile plus {_num(t.outlier_spreads)} middle spreads of everyone's share), "
            f"and at least {_num(t.baseline_z)} standard deviations above what "
            f"{baseline.samples} random networks with the same numbers of ties per person give "
            f"the same person; at most {t.top_share:.0%} of people are listed.")
    return _finding("broker", entries, rule)


def _floored(sd: np.ndarray) -> np.ndarray:
    """Standard deviations floored at half the typical one, so a near-constant baseline does
    not turn a small difference into a huge score."""
    positive = sd[sd > 0]
    floor = 0.5 * float(np.median(positive)) if len(positive) else 1e-12
    return np.maximum(sd, floor)


def _key_person_risk(arrays: GraphArrays, betweenness: np.ndarray, candidates: int
                     ) -> dict[str, float]:
    """Share of connected (unordered) pairs of other people lost when one person is removed.

    Only cut vertices (people whose removal splits their component) can lose pairs, so the
    check runs on the ``candidates`` cut vertices with the highest bridge scores.
    """
    if arrays.n < 3:
        return {}
    g = undirected_igraph(arrays)
    cut = np.asarray(g.articulation_points(), dtype=np.int64)
    order = cut[np.argsort(-betweenness[cut], kind="stable")][:candidates]
    return {arrays.ids[v]: pairs_lost(g, v) for v in order.tolist()}


def _key_people(ids: list[str], risk: dict[str, float], at_risk: list[int],
                baseline: Baseline, t: Thresholds) -> Finding | None:
    entries = []
    for i in at_risk:
        loss = risk[ids[i]]
        mean, sd = baseline.pairs_lost.get(i, (0.0, 0.0))
        z = (loss - mean) / max(sd, MIN_LOSS_SD)
        if baseline.samples and z < t.baseline_z:
            continue
        entries.append(Entry(
            f"If {{0}} left, {percent(loss)} of the pairs of people who can reach each other "
            "today would lose every path between them; random networks with the same numbers "
            f"of ties would lose {_about(mean)}.",
            [ids[i]], [], {"pairs_lost_share": loss, "expected_pairs_lost_share": mean}, z))
    entries.sort(key=lambda e: (-e.figures["pairs_lost_share"], -(e.unusual or 0.0)))
    rule = (f"Key-person risk: leaving would cut at least {t.key_person_min_loss:.0%} of the "
            "pairs of people who can reach each other apart, and at least "
            f"{_num(t.baseline_z)} standard deviations (of at least 1 point) more than in "
            f"{baseline.samples} random networks with the same numbers of ties per person.")
    return _finding("key_person_risk", entries, rule)


# -- customer champions -------------------------------------------------------------------------

def customer_champions(G: nx.Graph, insight: nx.Graph, t: Thresholds
                       ) -> dict[str, tuple[int, set[str]]]:
    """Customer champions by the rule (most nominations first) -> (nominations from other
    departments, those departments)."""
    return _champions(G, insight, t)[0]


def _champions(G: nx.Graph, insight: nx.Graph, t: Thresholds
               ) -> tuple[dict[str, tuple[int, set[str]]], _Spread]:
    """Champions and the spread of everyone's nominations from other departments."""
    nominated = _nominations(G, insight)
    s = _Spread.of(np.asarray([nominated.get(p, (0, set()))[0] for p in G], dtype=float),
                   floor=1.0)
    fence = s.fence(t.outlier_spreads)
    return {p: v for p, v in nominated.items()
            if v[0] >= t.champion_min_nominations and v[0] > fence}, s


def _nominations(G: nx.Graph, insight: nx.Graph) -> dict[str, tuple[int, set[str]]]:
    """Every nominee -> (nominators from other departments, their departments), most first."""
    def dept(person: str) -> str:
        graph = G if person in G else insight
        return group_of(graph, person, "department")

    result = {}
    for person in insight:
        nominators = insight.predecessors(person) if insight.is_directed() else insight[person]
        others = [p for p in nominators if p != person and dept(p) != dept(person)]
        if others:
            result[person] = (len(others), {dept(p) for p in others})
    return dict(sorted(result.items(), key=lambda item: -item[1][0]))


def _champion_finding(G: nx.Graph, insight: nx.Graph, t: Thresholds) -> Finding | None:
    champions, s = _champions(G, insight, t)
    entries = [Entry(
        f"{{0}} is named for customer insight or going the extra mile by "
        f"{count(n, 'person', 'people')} from {count(len(depts), 'other department')}; "
        f"{_half_of_people('are named by', s.median)}.",
        [p], sorted(depts), {"nominations_from_other_departments": n,
                             "departments": len(depts)}, s.z(n),
    ) for p, (n, depts) in champions.items()]
    rule = (f"Customer champion: named for customer insight or going the extra mile by at least "
            f"{t.champion_min_nominations} people from other departments, and by more than "
            f"{_num(s.fence(t.outlier_spreads))} (the upper quartile plus "
            f"{_num(t.outlier_spreads)} middle spreads of everyone's nominations).")
    return _finding("customer_champion", entries, rule)


# -- silos --------------------------------------------------------------------------------------

def _silos(G: nx.Graph, arrays: GraphArrays, report: GroupReport, t: Thresholds
           ) -> tuple[Finding | None, dict[str, float]]:
    """Departments with far fewer outside ties than random mixing and the typical department;
    also the network's crossing share beside random mixing (when the network is shown)."""
    mixing = random_mixing(arrays, [group_of(G, p, "department") for p in arrays.ids])
    crossing: dict[str, float] = {}
    if arrays.n >= t.min_group_size and mixing.crossing_share is not None:
        crossing = {"crossing_share": mixing.crossing_share,
                    "expected_crossing_share": mixing.expected_crossing_share or 0.0}
    at = {name: i for i, name in enumerate(mixing.names)}
    shown = [g for g in report.groups.values()
             if g.ei_index is not None and mixing.expected_outside[at[g.name]] > 0]
    if len(shown) < 2:
        return None, crossing
    observed = {g.name: _outside_share(mixing.inside[at[g.name]], mixing.outside[at[g.name]])
                for g in shown}
    expected = {g.name: _outside_share(mixing.expected_inside[at[g.name]],
                                       mixing.expected_outside[at[g.name]]) for g in shown}
    ratio = {g.name: observed[g.name] / expected[g.name] for g in shown}
    logs = np.log(np.asarray(list(ratio.values())))
    typical_log = float(np.median(logs))
    typical = float(np.exp(typical_log))
    spread = max(ROBUST_SD * float(np.median(np.abs(logs - typical_log))), MIN_LOG_SPREAD)
    entries = []
    for g in sorted(shown, key=lambda g: ratio[g.name]):
        r = ratio[g.name]
        if r > t.silo_max_ratio or r > t.silo_max_ratio * typical:
            continue
        i = at[g.name]
        inside, outside = int(mixing.inside[i]), int(mixing.outside[i])
        expected_ei = 2 * expected[g.name] - 1  # E-I = outside share - inside share
        entries.append(Entry(
            f"{g.name} ({count(g.size, 'person', 'people')}): {outside:,} of its "
            f"{count(inside + outside, 'tie')} ({percent(outside / (inside + outside))}) "
            f"{'links' if outside == 1 else 'link'} to other departments, where random mixing "
            f"of the same people would make about {percent(expected[g.name])} of its ties "
            "outside ones.",
            [], [g.name],
            {"size": g.size, "internal_ties": inside, "external_ties": outside,
             "outside_share": outside / (inside + outside),
             "expected_outside_share": expected[g.name],
             "ei_index": (outside - inside) / (inside + outside),
             "expected_ei_index": expected_ei, "ratio": r, "typical_ratio": typical},
            (typical_log - float(np.log(r))) / spread))
    rule = (f"Possible silo: the share of a department's ties that link to other departments "
            f"is at most {t.silo_max_ratio:.0%} of the share random mixing of the same people "
            f"(each with their own number of ties) gives it, and at most "
            f"{t.silo_max_ratio:.0%} of what the typical department reaches; here the typical "
            f"department reaches {percent(typical)} of its random share.")
    if crossing:
        rule += " " + crossing_text(crossing["crossing_share"],
                                    crossing["expected_crossing_share"]) + "."
    plural = "s" if len(entries) > 1 else ""
    title = f"Possible silo{plural}: {_and([e.groups[0] for e in entries])}"
    return _finding("silo", entries, rule, title), crossing


def _outside_share(inside: float, outside: float) -> float:
    """Share of a group's ties that are with other groups, nudged off 0 (half a tie) so that
    ratios between groups stay finite."""
    return (outside + 0.5) / (inside + outside + 1.0)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] \
        if items else ""


# -- candidate teams and who could coordinate them ------------------------------------------------

@dataclass(frozen=True)
class Team:
    """A candidate cross-functional team: its members, departments and customer-facing people."""

    members: list[str]
    departments: list[str]
    customer_facing: int


def candidate_teams(G: nx.Graph, arrays: GraphArrays, partition: Partition, t: Thresholds,
                    seed: int = 42) -> list[Team]:
    """Communities of ``t.team_min_size``..``t.team_max_size`` people (larger ones split again
    with Leiden, as long as they split) mixing at least ``t.team_min_departments`` departments
    with someone customer-facing; most departments, then most customer-facing people first."""
    position = {p: i for i, p in enumerate(arrays.ids)}
    u = undirected_igraph(arrays)
    pending = partition.members()
    teams = []
    while pending:
        members = pending.pop(0)
        if len(members) > t.team_max_size:
            order = sorted(position[p] for p in members)  # induced_subgraph keeps this order
            parts = partition_projection(u.induced_subgraph(order),
                                         [arrays.ids[i] for i in order], "leiden",
                                         partition.resolution, seed).members()
            if len(parts) > 1:
                pending.extend(parts)
            continue
        if len(members) < t.team_min_size:
            continue
        departments = sorted({group_of(G, p, "department") for p in members})
        facing = sum(bool(G.nodes[p].get("customer_facing")) for p in members)
        if len(departments) >= t.team_min_departments and facing:
            teams.append(Team(members, departments, facing))
    return sorted(teams, key=lambda team: (-len(team.departments), -team.customer_facing,
                                           -len(team.members)))


def _team_finding(teams: list[Team], t: Thresholds) -> Finding | None:
    entries = [Entry(
        f"Team {n}: {count(len(team.members), 'person', 'people')} from "
        f"{_and(team.departments)}, {team.customer_facing} of them customer-facing, already "
        "work closely together.",
        team.members, team.departments,
        {"team": n, "people": len(team.members), "departments": len(team.departments),
         "customer_facing": team.customer_facing},
    ) for n, team in enumerate(teams, start=1)]
    rule = (f"Candidate cross-functional team: a group of {t.team_min_size} to "
            f"{t.team_max_size} people more tied to each other than to the rest (communities, "
            "split again while larger), from at least "
            f"{t.team_min_departments} departments, with someone customer-facing.")
    return _finding("cross_functional_team", entries, rule,
                    f"{KINDS['cross_functional_team']}: {len(teams)}")


def team_coordinators(G: nx.Graph, arrays: GraphArrays, teams: list[Team]
                      ) -> list[tuple[int, str, int]]:
    """For each team (by position), the member brokering most between its departments and
    how often: (team index, person, open two-paths across departments inside the team).

    Brokerage is counted inside the team (open two-paths among its members) so the figure
    says how much this person links the team's own departments.
    """
    out = []
    for n, team in enumerate(teams):
        inside = arrays.subgraph(team.members)
        counts = brokerage_counts(inside, [group_of(G, p, "department") for p in inside.ids])
        across = np.sum([counts[r] for r in CROSS_GROUP_ROLES], axis=0)
        best = int(np.argmax(across))
        if across[best] > 0:
            out.append((n, inside.ids[best], int(across[best])))
    return out


def _coordinator_finding(chosen: list[tuple[int, str, int]], teams: list[Team],
                         t: Thresholds) -> Finding | None:
    entries = [Entry(
        f"In team {n + 1}, {{0}} links people of different departments who have no direct tie "
        f"{count(score, 'time')}, more than anyone else in it.",
        [person], teams[n].departments, {"team": n + 1, "cross_department_brokerage": score},
    ) for n, person, score in chosen]
    rule = (f"Able to coordinate: in each candidate team ({t.team_min_size} to "
            f"{t.team_max_size} people), the member who most often links two of its members "
            "from different departments who have no direct tie. A "
            "customer-centricity coordinator is an appointment; this only shows who already "
            "does some of that work.")
    return _finding("coordinator_candidate", entries, rule)


# -- on the edge --------------------------------------------------------------------------------

def _peripheral(ids: list[str], columns: dict[str, np.ndarray], t: Thresholds
                ) -> Finding | None:
    ties = columns["in_degree"] + columns["out_degree"]
    order = [int(i) for i in np.argsort(ties, kind="stable") if ties[i] <= t.peripheral_max_ties]
    entries = [Entry("{0} has no tie in this network." if ties[i] == 0 else
                     f"{{0}} has {count(int(ties[i]), 'tie')} in or out.",
                     [ids[i]], [], {"ties": float(ties[i])}) for i in order]
    share = len(entries) / len(ids)
    rule = (f"On the edge: at most {count(t.peripheral_max_ties, 'tie')} in or out; they may "
            f"miss what others know. {count(len(entries), 'person', 'people')} of "
            f"{len(ids):,} ({percent(share)}).")
    return _finding("peripheral", entries, rule, figures={"people": len(entries),
                                                          "share": share})
