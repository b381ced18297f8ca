"""What this network shows: at most five sentences, key-person risk and then the most
unusual findings first.

Ranking uses ``Entry.unusual`` (spreads from what is typical in this network, or from what
random networks with the same numbers of ties give; see
:mod:`~workbench.core.network.findings`); entries under ``min_unusual`` are left out. Rules:

* key-person risks come first (what a leader most needs to hear), then the rest, each group
  most unusual first;
* every kind gives at most one sentence, about its most unusual entry whose people are not
  named yet, with how many more the list holds; kinds are taken most unusual first;
* nobody is named twice: a person's other findings join the first sentence naming them as a
  second clause (key-person risk and overload first), and the sentence is titled key-person
  risk when that is among them; it ranks by the person's most unusual finding.

Sentences name people through ``{0}`` placeholders for ``person_ids[0]``; the caller decides
how a person is shown (:meth:`HeadlineSentence.text`), for example through
:class:`workbench.core.privacy.ShownPeople`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from workbench.core.network.findings import (
    KINDS,
    Entry,
    Finding,
    Findings,
    Names,
    fill,
    more_in_list,
)

SIZE = 5
MIN_UNUSUAL = 2.0
PERSON_KINDS = ("key_person_risk", "overloaded", "customer_champion", "broker",
                "central_connector")  # a person's findings join in this order
CLAUSES = 2  # sentences joined for one person at most


@dataclass(frozen=True)
class HeadlineSentence:
    """One line of the headline; ``kinds`` are the findings it stands for, ``rules`` theirs."""

    kind: str
    title: str
    template: str  # {0}, {1} ... stand for person_ids[0], person_ids[1] ...
    person_ids: list[str]
    groups: list[str]
    figures: dict[str, float]
    unusual: float
    kinds: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def text(self, names: Names) -> str:
        return fill(self.template, self.person_ids, names)


def headline(findings: Findings, size: int = SIZE, min_unusual: float = MIN_UNUSUAL
             ) -> list[HeadlineSentence]:
    """The ``size`` most unusual findings of a network as sentences (see the module notes)."""
    ranked = {f.kind: (f, [e for e in f.entries
                           if e.unusual is not None and e.unusual >= min_unusual])
              for f in findings.findings}
    ranked = {kind: value for kind, value in ranked.items() if value[1]}
    named: set[str] = set()
    sentences = []
    for kind in sorted(ranked, key=lambda k: -(ranked[k][1][0].unusual or 0.0)):
        finding, entries = ranked[kind]
        entry = next((e for e in entries if not named & set(e.person_ids)), None)
        if entry is None:
            continue
        named.update(entry.person_ids)
        more = len(finding.entries) - 1
        sentence = (_with_person(kind, entry, finding.rule, ranked)
                    if kind in PERSON_KINDS and len(entry.person_ids) == 1 else
                    HeadlineSentence(kind, KINDS[kind], entry.template, entry.person_ids,
                                     entry.groups, entry.figures, entry.unusual or 0.0, [kind],
                                     [finding.rule]))
        if more and sentence.kind == kind:  # "3 more" of the kind the title names
            sentence = replace(sentence,
                               template=f"{sentence.template} {more_in_list(kind, more)}")
        sentences.append(sentence)
    sentences.sort(key=lambda s: (s.kind != "key_person_risk", -s.unusual))
    return sentences[:size]


def _with_person(kind: str, entry: Entry, rule: str,
                 ranked: dict[str, tuple[Finding, list[Entry]]]) -> HeadlineSentence:
    """The sentence about one person: this entry and their most telling other finding, a
    key-person risk first unless the sentence starts from overload."""
    person = entry.person_ids
    others = [(k, e) for k in PERSON_KINDS if k != kind and k in ranked
              for e in ranked[k][1] if e.person_ids == person]
    kinds = [kind, *(k for k, _ in others)]
    clauses = [(kind, entry), *others]
    if kind != "overloaded":  # the numbers of an overload read best before what they risk
        clauses.sort(key=lambda clause: clause[0] != "key_person_risk")
    clauses = clauses[:CLAUSES]
    lead = "key_person_risk" if "key_person_risk" in kinds else kind
    return HeadlineSentence(
        lead, KINDS[lead], " ".join(e.template for _, e in clauses), person, entry.groups,
        {k: v for _, e in reversed(others) for k, v in e.figures.items()} | entry.figures,
        max([entry.unusual or 0.0, *(e.unusual or 0.0 for _, e in others)]), kinds,
        [rule, *(ranked[k][0].rule for k, _ in others)])
