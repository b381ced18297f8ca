"""What the customer-learning lab shows, in sentences: the point first, then the figures.

At most one finding per kind, in the order of :data:`KINDS`. Rules (figures from
:mod:`workbench.core.learning.metrics`):

* slow insight to action: the median days to action exceed
  :data:`~workbench.core.learning.metrics.SLOW_DAYS`;
* a source that never reaches action: ``MIN_INSIGHTS`` or more insights from a source and
  none acted (one finding naming every such source);
* receives but cannot act: a department receiving much whose own people act on little
  (``InsightMetrics.cannot_act``); the one receiving most is described;
* loop rarely closed: customers told of fewer than :data:`CLOSED_AT_LEAST` of the acted
  insights whose answer is recorded;
* gatekeeping: :data:`GATEKEEPER_SHARE` or more of the insights pass a gatekeeper;
* receivers far from those who act: :data:`FAR_SHARE` or more of the measured insights join
  a receiver and an actor at least ``FAR`` ties apart or not joined at all, in the main network
  (:func:`learning_graph`);
* experiments stuck in search: at least two experiments and most of those not stopped still in
  search; none scaled: experiments exist and none is in scale; scaling changes without owner:
  experiments in scale or decided to scale with changes nobody owns;
* hand-offs between barely tied departments (``HandoffCheck.barely_tied``).

People are named only as :func:`workbench.core.report.network_story.people_words` allows for
the audience; free text (hand-off notes, roles) goes through the privacy scrub.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.learning.metrics import (
    FAR,
    MIN_INSIGHTS,
    SLOW_DAYS,
    HandoffCheck,
    InsightMetrics,
    ReachFigures,
    department_of,
    handoff_ties,
    insight_metrics,
    receivers_vs_actors,
)
from workbench.core.learning.model import Experiment, Insight, LearningData
from workbench.core.network.explain import percent
from workbench.core.wording import count, count_of

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.model import Person
    from workbench.core.project import Project
    from workbench.core.report.network_story import Audience, PeopleWords

KINDS = {
    "slow_to_action": "Slow from insight to action",
    "source_never_acted": "A source that never reaches action",
    "cannot_act": "Receives insights it cannot act on",
    "loop_open": "Customers rarely hear back",
    "gatekeeping": "Insight passes gatekeepers",
    "receivers_far": "Receivers far from those who act",
    "experiments_stuck": "Experiments stuck in search",
    "none_scaled": "No experiment scaled",
    "scaling_unowned": "Scaling changes without an owner",
    "handoff_untied": "Hand-off between barely tied departments",
}
CLOSED_AT_LEAST = 0.5
GATEKEEPER_SHARE = 0.25
FAR_SHARE = 0.3


@dataclass(frozen=True)
class LearningFinding:
    """One finding: ``headline`` says the point, ``detail`` the figures behind it."""

    kind: str
    headline: str
    detail: str
    person_ids: tuple[str, ...] = ()    # the people it concerns (roster ids)
    departments: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return KINDS[self.kind]


def learning_graph(project: Project, people: Sequence[Person] | None = None) -> nx.Graph | None:
    """The main network (:func:`workbench.core.report.assemble.main_network`) as a graph whose
    nodes carry the roster's attributes; None without a network."""
    from workbench.core.analysis import network_graph
    from workbench.core.report.assemble import main_network

    info = main_network(project.networks.list())
    if info is None:
        return None
    return network_graph(project, info, list(project.people.list() if people is None
                                             else people))


def learning_findings(project: Project, audience: Audience = "room") -> list[LearningFinding]:
    """The findings of the project's lab (see the module notes), people shown for
    ``audience`` (the room by default: as exported files show them)."""
    from workbench.core.report.network_story import people_words

    people = project.people.list()
    G = learning_graph(project, people)
    return findings_of(project.learning.data(), people, G, people_words(project, audience, G))


def findings_of(data: LearningData, people: Sequence[Person], G: nx.Graph | None,
                words: PeopleWords) -> list[LearningFinding]:
    """:func:`learning_findings` on given records (see the module notes)."""
    by_id = {p.id: p for p in people}
    metrics = insight_metrics(data.insights, by_id)
    found = [
        _slow(metrics),
        _never_acted(metrics, data.insights, by_id, words),
        _cannot_act(metrics),
        _loop_open(metrics, data.insights),
        _gatekeeping(metrics),
        _far(receivers_vs_actors(data.insights, G), words),
        *_experiments(data.experiments, words),
        _handoffs(handoff_ties([s for stages in data.journeys.values() for s in stages], G),
                  words),
    ]
    return [f for f in found if f is not None]


def _days(days: float | None) -> str:
    return "no" if days is None else f"{days:.0f}" if days == int(days) else f"{days:.1f}"


def _naming(template: str, text: str, by_id: Mapping[str, Person], words: PeopleWords) -> str:
    """``template`` with ``{0}`` standing for a person field as the output may show it: a
    roster person through the people words, any other text (a role) through the privacy
    scrub."""
    if text in by_id:
        return words.text(template, [text])
    return template.replace("{0}", words.shown.mention(text))


def _slow(m: InsightMetrics) -> LearningFinding | None:
    if m.median_days is None or m.median_days <= SLOW_DAYS:
        return None
    timed = [f for f in m.by_source if f.median_days is not None]
    detail = (f"Half of the {count(m.acted, 'insight')} acted on waited "
              f"{_days(m.median_days)} days or more, where 'within days' would mean a median "
              f"of {SLOW_DAYS} or fewer.")
    if len(timed) > 1:
        slow = max(timed, key=lambda f: (f.median_days or 0.0, f.name))
        fast = min(timed, key=lambda f: (f.median_days or 0.0, f.name))
        detail += (f" {slow.name.capitalize()} insights are the slowest (median "
                   f"{_days(slow.median_days)} days); {fast.name} insights move fastest "
                   f"({_days(fast.median_days)}).")
    return LearningFinding("slow_to_action", f"Insights wait a median of "
                           f"{_days(m.median_days)} days before anyone acts on them", detail)


def _never_acted(m: InsightMetrics, insights: Sequence[Insight],
                 by_id: Mapping[str, Person], words: PeopleWords) -> LearningFinding | None:
    sources = [f for f in m.by_source if f.name in m.never_acted and f.received >= MIN_INSIGHTS]
    if not sources:
        return None
    first = sources[0]
    if len(sources) == 1:
        headline = (f"None of the {count(first.received, f'{first.name} insight')} has led "
                    "to an action")
    else:
        names = ", ".join(f.name for f in sources[:-1]) + f" and {sources[-1].name}"
        headline = f"Nothing from {names} has led to an action"
    mine = [i for i in insights if i.source == first.name]
    departments = Counter(department_of(i.received_by, by_id) for i in mine)
    actor, named = Counter(i.can_act for i in mine if i.can_act.strip()).most_common(1)[0] \
        if any(i.can_act.strip() for i in mine) else ("", 0)
    where = ", ".join(f"{d} ({n})" for d, n in departments.most_common(3))
    detail = f"The {first.name} insights were received in {where}."
    if actor:
        which = (f"{named} of them {'names' if named == 1 else 'name'}" if named < len(mine)
                 else "Every one names")
        detail += " " + _naming(f"{which} {{0}} as able to act, and still nothing was done.",
                                actor, by_id, words)
    if len(sources) > 1:
        detail += " " + "; ".join(f"{f.name}: {count(f.received, 'insight')}"
                                  for f in sources[1:]) + ", none acted on either."
    return LearningFinding("source_never_acted", headline, detail)


def _cannot_act(m: InsightMetrics) -> LearningFinding | None:
    if not m.cannot_act:
        return None
    d = m.department(m.cannot_act[0])
    if d is None or not m.insights:
        return None
    headline = (f"{d.department} receives {percent(d.received / m.insights)} of all insights "
                f"but its own people act on only {d.acted_by_own} of them"
                if d.acted_by_own else
                f"{d.department} receives {percent(d.received / m.insights)} of all insights "
                "and none of its people can act on them")
    detail = (f"Of its {d.received}, other departments or roles acted on {d.acted_elsewhere} "
              f"and {d.not_acted} were never acted on. ")
    if d.median_days is not None and m.median_days is not None:
        detail += (f"Its insights waited a median of {_days(d.median_days)} days, against "
                   f"{_days(m.median_days)} for the whole log. ")
    detail += (f"Its people are named as able to act on {count(d.can_act, 'insight')} in "
               "the whole log." if d.can_act else
               f"Nobody in {d.department} is named as able to act on any insight, so what "
               "it hears from customers has to be handed on before anything changes.")
    return LearningFinding("cannot_act", headline, detail.strip(), departments=(d.department,))


def _loop_open(m: InsightMetrics, insights: Sequence[Insight]) -> LearningFinding | None:
    share = m.share_closed
    if share is None or share >= CLOSED_AT_LEAST:
        return None
    told = Counter(i.source for i in insights if i.acted and i.loop_closed)
    known = Counter(i.source for i in insights if i.acted and i.loop_closed is not None)
    best = max(known, key=lambda s: (told[s] / known[s], s))
    headline = (f"Customers heard back on {count_of(m.closed, m.closed_known, 'insight')} "
                "acted on")
    detail = (f"{count(m.closed_known - m.closed, 'acted insight')} ended without the "
              "customer hearing what changed because they spoke up. "
              f"{best.capitalize()} insights close the loop most often ({told[best]} of "
              f"{known[best]}).")
    return LearningFinding("loop_open", headline, detail)


def _gatekeeping(m: InsightMetrics) -> LearningFinding | None:
    share = m.share_gatekeeper
    if share is None or share < GATEKEEPER_SHARE:
        return None
    headline = (f"{percent(share)} of insights pass a gatekeeper before reaching someone who "
                "can act")
    through, direct = m.median_days_gatekeeper, m.median_days_direct
    if through is not None and direct is not None:
        detail = (f"Those that pass one wait a median of {_days(through)} days for action; "
                  f"those that go straight to someone who can act, {_days(direct)} days.")
    else:
        detail = (f"{count_of(m.gatekeeper, m.gatekeeper_known, 'insight')} with the route "
                  "recorded went through a gatekeeper, who filters and delays what frontline "
                  "staff could use.")
    return LearningFinding("gatekeeping", headline, detail)


def _far(reach: ReachFigures, words: PeopleWords) -> LearningFinding | None:
    share = reach.share_far
    if share is None or share < FAR_SHARE:
        return None
    receivers = [p for p, _n in reach.far_receivers()[:2]]
    headline = (f"{count_of(reach.far, reach.measured, 'insight')} land {FAR} or more ties "
                "away from whoever can act on them")
    apart = reach.far - reach.not_tied
    parts = ([f"{apart} pass through at least two go-betweens"] if apart else []) + \
        ([f"{reach.not_tied} have no path at all between the receiver and whoever can act"]
         if reach.not_tied else [])
    detail = (f"Counted over the insights whose receiver and actor are both on the network of "
              f"working ties: {' and '.join(parts)}.")
    if receivers and words.named:
        placeholders = " and ".join(f"{{{n}}}" for n in range(len(receivers)))
        detail += " " + words.text(f"{placeholders} receive the most of these.", receivers)
    elif receivers:
        where = list(dict.fromkeys(d for p in receivers if (d := words.label(p))))
        detail += f" Most of them are received in {' and '.join(where)}." if where else ""
    return LearningFinding("receivers_far", headline, detail, tuple(receivers))


def _experiments(experiments: Sequence[Experiment], words: PeopleWords
                 ) -> list[LearningFinding | None]:
    if not experiments:
        return [None]
    stages = Counter(e.stage for e in experiments)
    live = len(experiments) - stages["stopped"]
    found: list[LearningFinding | None] = []
    if stages["search"] >= 2 and 2 * stages["search"] > live:
        found.append(LearningFinding(
            "experiments_stuck", f"{count_of(stages['search'], live, 'live experiment')} "
            "are still searching for a relationship to test",
            (f"{count(stages['create'], 'is', 'are')} piloting" if stages["create"] else
             "None is piloting") + f" and {count(stages['scale'], 'is', 'are')} being scaled; "
            "an experiment leaves search once it names its early adopters and what the pilot "
            "will measure."))
    if not stages["scale"]:
        piloting = [e for e in experiments if e.stage == "create"]
        found.append(LearningFinding(
            "none_scaled", "No relationship experiment has reached scale yet",
            (f"{count(len(piloting), 'pilot is', 'pilots are')} running ("
             + ", ".join(f"{e.ref} {e.title}" for e in piloting[:3])
             + "); each needs a decision to scale, stop or extend." if piloting else
             "None is even piloting: the pipeline ends at ideas.")))
    unowned = [(e, [c for c in e.changes if not c.owner.strip()]) for e in experiments
               if e.stage == "scale" or e.decision == "scale"]
    unowned = [(e, cs) for e, cs in unowned if cs]
    if unowned:
        e, changes = unowned[0]
        areas = sorted({c.area for c in changes})
        detail = (f"{e.ref} '{words.shown.scrub(e.title)}' needs "
                  f"{count(len(e.changes), 'change')} to scale, and nobody owns "
                  f"{len(changes)} of them "
                  f"({', '.join(areas)}): " + "; ".join(words.shown.scrub(c.change).rstrip(".")
                                                       for c in changes[:3]) + ".")
        if len(unowned) > 1:
            detail += (" " + ", ".join(x.ref for x, _ in unowned[1:])
                       + " have changes without owner too.")
        n = sum(len(cs) for _, cs in unowned)
        needs = count(n, "change that scaling needs has", "changes that scaling needs have")
        found.append(LearningFinding("scaling_unowned", f"{needs} no owner", detail))
    return found


def _handoffs(checks: Sequence[HandoffCheck], words: PeopleWords) -> LearningFinding | None:
    weak = [c for c in checks if c.barely_tied]
    if not weak:
        return None
    c = weak[0]
    s = c.stage
    headline = (f"{s.handoff_from} and {s.handoff_to} hand customers over at '{s.name}', and "
                f"only {count_of(c.joining, c.touching, 'tie')} join the two departments"
                if c.joining else
                f"{s.handoff_from} and {s.handoff_to} hand customers over at '{s.name}', and "
                f"none of the {count(c.touching, 'tie')} of the two departments joins them")
    expected = round(c.expected or 0.0)
    detail = (f"Random mixing of the same people would give about "
              f"{count(expected, 'tie') if expected else 'one tie'} between them. Where it "
              f"breaks: {words.shown.scrub(s.handoff_break).rstrip('.')}.")
    if len(weak) > 1:
        detail += " Also barely tied: " + "; ".join(
            f"{x.stage.handoff_from} to {x.stage.handoff_to} at '{x.stage.name}'"
            for x in weak[1:]) + "."
    return LearningFinding("handoff_untied", headline, detail.rstrip(),
                           departments=(s.handoff_from, s.handoff_to))
