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
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from workbench.core.network import glossary
from workbench.core.network.explain import agreement_text, crossing_text, figure_text
from workbench.core.network.findings import FORMAL_RELATIONS, PLACEHOLDER, Findings, fill
from workbench.core.network.headline import headline
from workbench.core.network.relations import relation_label
from workbench.core.report.data import POOLED_LABEL, NetworkStory, StoryFinding, StoryLine

if TYPE_CHECKING:
    from workbench.core.analysis import NetworkAnalysis
    from workbench.core.privacy import ShownPeople

FIGURES = ("people", "ties", "density", "reciprocity", "components", "modularity")
HIDDEN_SILO = ("{0}: not described, because the Groups sheet hides this department's tie "
               "counts so that no small department's figures can be worked out.")
_SENTENCE_START = re.compile(r"(^|[.?!]\s+)([a-z])")


def network_story(analysis: NetworkAnalysis, shown: ShownPeople,
                  departments: Mapping[str, str],
                  withheld: frozenset[str] = frozenset()) -> NetworkStory:
    """The story of ``analysis`` (see the module notes); ``departments``: person id -> the
    department as the workbook shows it beside them; ``withheld``: departments whose tie
    counts the workbook hides in this network."""
    info = analysis.network
    found = analysis.findings
    words = _Words(shown, departments)
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


class _Words:
    """People and departments in the story's sentences, as the output may show them."""

    def __init__(self, shown: ShownPeople, departments: Mapping[str, str]) -> None:
        self.shown = shown
        self.named = shown.individual_labels
        self.shown_department = departments

    def text(self, template: str, person_ids: Sequence[str]) -> str:
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
