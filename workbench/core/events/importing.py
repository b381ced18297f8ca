"""Import collaboration event logs: read and aggregate (:func:`read_events`), then store the
dated networks as one undoable edit (:func:`apply_events`).

Only ties between people on the roster reach the project, under their stored ids (pseudonyms
in a project that stores them); participants not on the roster are counted, never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.events.pipeline import Aggregate, PeriodTies
from workbench.core.events.rules import SETTINGS_KEY, AggregationRules
from workbench.core.importing import ImportSummary, refuse_unless_accepted, unique_name
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.project import Project

ENGINES = ("duckdb", "spark")
NETWORK_TYPES = {"emails": "email", "meetings": "meeting", "chats": "chat"}
NETWORK_NAMES = {"emails": "E-mail", "meetings": "Meetings", "chats": "Chat"}
EVENT_WORDS = {"emails": "e-mail", "meetings": "meeting", "chats": "chat message"}


@dataclass
class EventNetwork:
    """One dated network about to be stored: a period's ties."""

    name: str
    type: str
    date: dt.date
    directed: bool
    ties: PeriodTies

    @property
    def tie_count(self) -> int:
        return self.ties.tie_count


@dataclass
class EventsPlan:
    """What an event import will store; build with :func:`read_events`."""

    kind: str
    rules: AggregationRules
    aggregate: Aggregate
    source: str  # the file or folder, as people call it
    networks: list[EventNetwork] = field(default_factory=list)
    # a few participants not on the roster, as the log names them; empty in a project that
    # stores pseudonyms (raw addresses are not shown there)
    unknown_examples: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.aggregate.problems

    @property
    def errors(self) -> list[Problem]:
        """The problems whose rows were left out (severity "error")."""
        return [p for p in self.problems if p.severity == "error"]

    def describe_lines(self) -> list[str]:
        """The import summary: events read, excluded by rule, unknown people, networks."""
        agg, word = self.aggregate, EVENT_WORDS[self.kind]
        lines = [f"{self.source}: {count(agg.events_read, word)} read."]
        lines += [f"Excluded ({label}): {count(n, word if label != 'malformed' else 'row')}"
                  for label, n in agg.excluded.items() if n]
        if agg.more_problems:
            lines.append(f"Problems: {len(agg.problems)} listed, "
                         f"{count(agg.more_problems, 'more')} not listed.")
        if agg.unknown_people:
            examples = (f"; e.g. {', '.join(self.unknown_examples)}"
                        if self.unknown_examples else "")
            lines.append(f"Not on the people list: {count(agg.unknown_people, 'person', 'people')}"
                         f" ({count(agg.unknown_links, 'link')} left out{examples}).")
        if not self.networks:
            lines.append("No ties: no network will be written.")
        lines += [f"Network {n.name!r}: {count(n.tie_count, 'tie')}" for n in self.networks]
        return lines


def network_name(kind: str, start: dt.date, period: str) -> str:
    """ "E-mail 2026-03", "Meetings 2026-Q1", "Chat 2026-W05"."""
    if period == "week":
        year, week, _ = start.isocalendar()
        label = f"{year}-W{week:02d}"
    elif period == "quarter":
        label = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    else:
        label = f"{start.year}-{start.month:02d}"
    return f"{NETWORK_NAMES[kind]} {label}"


def read_events(project: Project, kind: str, path: str | Path, rules: AggregationRules, *,
                engine: str = "duckdb", master: str | None = None,
                mapping: dict[str, str] | None = None,
                progress: Progress | None = None) -> EventsPlan:
    """Read the event log at ``path`` (file or folder) and aggregate it by ``rules`` into one
    network per period; writes nothing. ``mapping`` is role -> column when the header names
    are not recognised."""
    from workbench.core.events.people import PeopleLookup
    from workbench.core.events.source import open_source

    if engine not in ENGINES:
        raise WorkbenchError(f"unknown engine {engine!r}; use duckdb or spark.")
    rules.check(kind)
    progress = ensure_progress(progress)
    if not project.people.count():
        raise WorkbenchError("import the people list first; events are matched to the people "
                             "on it.")
    source = open_source(kind, path, mapping)
    people = PeopleLookup.for_project(project)
    progress.update(0.0, f"Reading {source.display_name}")
    if engine == "spark":
        from workbench.core.events import engine_spark

        result = engine_spark.aggregate(source, rules, people, progress, master=master)
    else:
        from workbench.core.events import engine_duckdb

        result = engine_duckdb.aggregate(source, rules, people, progress)
    networks = [EventNetwork(network_name(kind, p.start, rules.period), NETWORK_TYPES[kind],
                             p.start, result.directed, p) for p in result.periods if p.tie_count]
    examples = [] if people.incoming is not None else people.unknown_examples
    return EventsPlan(kind, rules, result, source.display_name, networks, examples)


def apply_events(project: Project, plan: EventsPlan, *, accept_valid: bool = False,
                 progress: Progress | None = None,
                 label: str = "Import collaboration data") -> ImportSummary:
    """Store ``plan``'s networks and rules as one undoable edit.

    Refuses (:class:`~workbench.core.importing.ImportRefused`) when rows were malformed unless
    ``accept_valid``; a failure or Cancel leaves the project unchanged.
    """
    from workbench.core.failures import check_integrity

    refuse_unless_accepted(plan.problems, accept_valid)
    progress = ensure_progress(progress)
    progress.update(0.0, "Checking the project file")
    check_integrity(project)
    total = sum(n.tie_count for n in plan.networks) or 1
    stored: dict[str, int] = {}
    done = 0
    with project.edit(label) as w:
        project.settings.set(SETTINGS_KEY.format(kind=plan.kind), plan.rules.to_dict(), label)
        taken = {n.name for n in project.networks.list()}
        for network in plan.networks:
            progress.update(done / total, f"Saving {network.name}")
            name = unique_name(network.name, taken)
            taken.add(name)
            network_id = w.insert("network", {"name": name, "type": network.type,
                                              "date": network.date,
                                              "directed": network.directed,
                                              "source_file": plan.source})
            ties = network.ties
            w.insert_rows("tie", ("network_id", "source", "target", "weight"),
                          list(zip([network_id] * ties.tie_count, ties.sources, ties.targets,
                                   ties.weights, strict=True)))
            stored[name] = ties.tie_count
            done += ties.tie_count
        progress.update(1.0, "Saved")
    return ImportSummary(0, 0, 0, stored)
