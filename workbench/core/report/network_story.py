"""What a network shows, as the workbook tells it: the headline first, then every finding.

:func:`network_story` turns an analysis (:func:`workbench.core.analysis.analyse_network`) into
a :class:`~workbench.core.report.data.NetworkStory`, with people shown as the output rules
allow (:mod:`workbench.core.privacy`):

* a finding is an individual label, so people are named beside one only when individual
  labels may be shown (pseudonyms, or real names with ``name_individual_labels`` on);
  otherwise a sentence says "a person in Operations" where it first mentions someone and
  "this person" after, and the story names nobody;
* departments appear as the Network sheet shows them: someone of a pooled department is
  "one person"; a team with a member of a pooled department lists no members; a silo whose
  department is pooled in the workbook's department table (``withheld``) is not described,
  since its tie counts would undo that table's suppression;
* on the reporting lines only the note that they are the formal structure is given.

The same rule serves every screen that speaks about people: :func:`people_words` gives the
:class:`PeopleWords` of an audience, the analyst at their own screen (:data:`ANALYST`: people
named as the project shows them) or a room (:data:`ROOM`: the projector and exported slides,
which follow the privacy setting as the workbook does).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from workbench.core.network import glossary
from workbench.core.network.explain import agreement_text, crossing_text, figure_text
from workbench.core.network.findings import FORMAL_RELATIONS, PLACEHOLDER, Findings, fill
from workbench.core.network.headline import headline
from workbench.core.network.relations import relation_label
from workbench.core.report.data import (
    POOLED_LABEL,
    NetworkStory,
    StoryFinding,
    StoryLine,
    department_labels,
)

if TYPE_CHECKING:
    import networkx as nx

    from workbench.core.analysis import NetworkAnalysis
    from workbench.core.privacy import ShownPeople
    from workbench.core.project import Project

FIGURES = ("people", "ties", "density", "reciprocity", "components", "modularity")
HIDDEN_SILO = ("{0}: not described, because the Groups sheet hides this department's tie "
               "counts so that no small department's figures can be worked out.")
_SENTENCE_START = re.compile(r"(^|[.?!]\s+)([a-z])")
ANALYST, ROOM = "analyst", "room"
Audience = Literal["analyst", "room"]


def network_story(analysis: NetworkAnalysis, shown: ShownPeople,
                  departments: Mapping[str, str],
                  withheld: frozenset[str] = frozenset()) -> NetworkStory:
    """The story of ``analysis`` (see the module notes); ``departments``: person id -> the
    department as the workbook shows it beside them; ``withheld``: departments whose tie
    counts the workbook hides in this network."""
    info = analysis.network
    found = analysis.findings
    words = PeopleWords(shown, departments)
    lines = [StoryLine(s.kind, words.text(s.template, s.person_ids), words.who(s.person_ids),
                       words.departments(s.template, s.person_ids, s.groups))
             for s in headline(_without_silos(found, withheld))]
    findings = [StoryFinding(f.kind, _title(f.kind, f.title), f.rule, [
        StoryLine(f.kind, HIDDEN_SILO.format(e.groups[0]), "", e.groups[0])
        if f.kind == "silo" and e.groups[0] in withheld else
        StoryLine(f.kind, words.text(e.template, e.person_ids), words.who(e.person_ids),
                  words.departments(e.template, e.person_ids, e.groups))
        for e in f.entries]) for f in found.findings]
    network = analysis.metrics.network
    figures = [(key, figure_text(key, network)) for key in FIGURES if _known(network.get(key))]
    if "crossing_share" in found.figures:
        figures.append(("ei_index", crossing_text(found.figures["crossing_share"],
                                                  found.figures.get("expected_crossing_share"))))
    if _known(analysis.overlap.agreement) and found.findings:
        figures.append(("agreement", agreement_text(analysis.overlap.agreement)))
    return NetworkStory(info.name, relation_label(info.type), info.date,
                        int(network.get("people", 0)), int(network.get("ties", 0)),
                        info.type in FORMAL_RELATIONS, lines, findings, figures,
                        list(found.notes), shown.individual_labels)


class PeopleWords:
    """People and departments in sentences about individuals, as an output may show them.

    ``named``: whether people are named (by name or pseudonym, as ``shown`` labels them);
    by default when individual labels may be shown. Otherwise a sentence says "a person in
    Operations" where it first mentions someone and "this person" after ("one person" for
    someone of a pooled department), and a map's label on a person is their department.
    """

    def __init__(self, shown: ShownPeople, departments: Mapping[str, str],
                 named: bool | None = None) -> None:
        self.shown = shown
        self.named = shown.individual_labels if named is None else named
        self.shown_department = departments

    def text(self, template: str, person_ids: Sequence[str]) -> str:
        """``template`` with its ``{0}``, ``{1}``... filled for ``person_ids``."""
        if self.named:
            return fill(template, person_ids, self.shown.label)
        mentioned: set[str] = set()

        def unnamed(person: str) -> str:
            if person in mentioned:
                return "this person"
            mentioned.add(person)
            department = self._department(person)
            return f"a person in {department}" if department else "one person"

        text = fill(template, person_ids, unnamed)
        return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)

    def label(self, person_id: str) -> str:
        """How a map labels one person: by name or pseudonym when named, else by their
        department ("" when it is pooled or left out)."""
        return self.shown.label(person_id) if self.named else self._department(person_id)

    def who(self, person_ids: Sequence[str]) -> str:
        """The people a line concerns, by name or pseudonym; "" when they may not be named
        or when a group of them includes someone of a pooled department."""
        if not self.named or (len(person_ids) > 1 and any(
                self.shown_department.get(p) == POOLED_LABEL for p in person_ids)):
            return ""
        return ", ".join(self.shown.label(p) for p in person_ids)

    def departments(self, template: str, person_ids: Sequence[str],
                    groups: Sequence[str]) -> str:
        """The department of the one person a sentence is about, else its departments."""
        if len(person_ids) == 1 and PLACEHOLDER.search(template):
            return self.shown_department.get(person_ids[0], "")
        return ", ".join(groups)

    def _department(self, person: str) -> str:
        department = self.shown_department.get(person, "")
        return "" if department == POOLED_LABEL else department


def _without_silos(found: Findings, withheld: frozenset[str]) -> Findings:
    """``found`` without the silo entries of withheld departments (for the headline)."""
    if not withheld:
        return found
    kept = []
    for f in found.findings:
        if f.kind == "silo":
            f = replace(f, entries=[e for e in f.entries if e.groups[0] not in withheld])
        if f.entries:
            kept.append(f)
    return replace(found, findings=kept)


def _title(kind: str, title: str) -> str:
    """"Go-to person: 4 people": the glossary's name of the kind, then what the finding's
    own title says after its name."""
    return f"{glossary.label(kind)}: {title.split(': ', 1)[-1]}"


def _known(value: object) -> bool:
    return isinstance(value, int | float) and not math.isnan(value)


def people_words(project: Project, audience: Audience, graph: nx.Graph | None = None
                 ) -> PeopleWords:
    """How sentences about the project's people read for ``audience``.

    :data:`ANALYST`: everyone named as the project shows them (their pseudonym when
    pseudonymised). :data:`ROOM`: as the workbook tells it (:func:`network_story`): named only
    when individual labels may be shown, else described by their department as it may be
    shown beside them, pooled as in the department table of ``graph`` (the network spoken
    about; without it the roster's own department sizes decide) and blank when the privacy
    setting leaves the department column out. Reads the project: run it in a task.
    """
    from workbench.core.privacy import shown_people
    from workbench.core.report.assemble import department_ties

    people = project.people.list()
    shown = shown_people(project, people=people)
    if audience == ANALYST:
        return PeopleWords(shown, {}, named=True)
    if shown.individual_labels:
        return PeopleWords(shown, {})
    label, _table = department_labels(
        department_ties(graph) if graph is not None else None,
        project.engagement.get().min_group_size, (p.department for p in people))
    departments = {p.id: label(p.department) if s.department else ""
                   for p, s in zip(people, shown.people(), strict=True)}
    return PeopleWords(shown, departments)
