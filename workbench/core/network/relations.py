"""The relations a ties import can carry, and what each one enables in the app.

A relation is stored as the tie type of a network. Six are offered when importing ties
(:data:`CHOICES`); a file's relation column may also name the other tie types the app knows
(information, extra mile, energy, e-mail, meeting, chat) or a relation of its own, which is kept
under its own name and treated like "other". Names are matched loosely: "Reports to",
"reports-to" and "reporting lines" are all :data:`REPORTS_TO`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from workbench.core.errors import WorkbenchError
from workbench.core.network.hierarchy import REPORTING

ADVICE = "advice"
COLLABORATION = "collaboration"
CUSTOMER_INSIGHT = "customer_insight"
TRUST = "trust"
REPORTS_TO = REPORTING  # the type of the reporting lines built from the roster
OTHER = "other"
INFORMATION = "information"
EXTRA_MILE = "extra_mile"

_MAPPED_ONLY = ("Mapped and analysed on its own; say-vs-show, customer champions and "
                "predict-then-reveal do not use it.")


@dataclass(frozen=True)
class Relation:
    """A relation: ``key`` as stored, ``label`` as listed, ``enables`` in one plain line."""

    key: str
    label: str
    enables: str
    aliases: tuple[str, ...] = ()


CHOICES = (
    Relation(ADVICE, "Advice",
             "Who people turn to for advice: go-to people, overload and bridges on the network "
             "map, set against the reporting lines; say-vs-show steps 2 and 3 use it when there "
             "is no collaboration network.",
             ("advice_seeking", "advice_network", "go_to_for_advice")),
    Relation(COLLABORATION, "Collaboration",
             "Who works with whom: say-vs-show steps 2 and 3 (silos, cross-functional teams, "
             "coordinators) and the predict-then-reveal question 'Which departments rarely "
             "work together?'.",
             ("collaborate", "collaborates_with", "works_with", "work_with", "teamwork")),
    Relation(CUSTOMER_INSIGHT, "Customer insight",
             "Who people go to for customer insight: customer champions, say-vs-show step 1 "
             "and the predict-then-reveal question 'Who do people go to for customer "
             "insight?'.",
             ("customer_insights", "insight", "customer_knowledge")),
    Relation(TRUST, "Trust / friendship",
             "Who people trust or feel close to: mapped and analysed on its own; say-vs-show "
             "and predict-then-reveal do not use it.",
             ("friendship", "friends", "friend", "trust_and_friendship")),
    Relation(REPORTS_TO, "Reports to",
             "The formal structure (manager to report): drawn as reporting lines and set "
             "against the informal networks, never read as informal ties.",
             ("reports", "reporting_line", "reporting_lines", "line_manager", "manager",
              "hierarchy", "formal")),
    Relation(OTHER, "Other", _MAPPED_ONLY),
)
KNOWN = CHOICES + (
    Relation(INFORMATION, "Information",
             "Who passes information to whom: mapped; say-vs-show steps 2 and 3 use it when "
             "there is no collaboration or advice network.", ("information_sharing",)),
    Relation(EXTRA_MILE, "Extra mile",
             "Who goes the extra mile for customers together: customer champions and "
             "say-vs-show step 1, alongside customer insight.", ("extramile",)),
    Relation("energy", "Energy", _MAPPED_ONLY),
    Relation("email", "E-mail", _MAPPED_ONLY),
    Relation("meeting", "Meeting", _MAPPED_ONLY, ("meetings",)),
    Relation("chat", "Chat", _MAPPED_ONLY, ("chats", "chat_messages", "instant_messages")),
)


def _simple(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


def _names(relation: Relation) -> list[str]:
    return [_simple(n) for n in (relation.key, relation.label, *relation.aliases)]


_BY_NAME = {name: r for r in KNOWN for name in _names(r)}
_BY_KEY = {r.key: r for r in KNOWN}


def relation_name(text: str) -> str:
    """A tie type as stored: trimmed, lower case, spaces and dashes as underscores."""
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def known_relation(text: str) -> Relation | None:
    """The relation ``text`` names (its key, label or an alias, loosely), if the app knows it."""
    return _BY_NAME.get(_simple(text))


def relation_key(text: str) -> str:
    """The stored type for ``text``: a known relation's key, else :func:`relation_name`."""
    found = known_relation(text)
    return found.key if found is not None else relation_name(text)


def parse_relation(text: str) -> str:
    """The key of the relation ``text`` names; :class:`WorkbenchError` when it names none."""
    found = known_relation(text)
    if found is None:
        offered = ", ".join(r.label.lower() for r in CHOICES)
        also = ", ".join(r.label.lower() for r in KNOWN[len(CHOICES):])
        raise WorkbenchError(f"unknown relation {text!r}. Choose one of: {offered} (also "
                             f"known: {also}).")
    return found.key


def describe(key: str) -> Relation:
    """The relation stored as ``key``; a relation the app does not know is "other"."""
    return _BY_KEY.get(key) or _BY_KEY[OTHER]


def relation_label(key: str) -> str:
    """How a stored type reads: the label of a known relation, else the type itself."""
    found = _BY_KEY.get(key)
    if found is not None:
        return found.label
    return key.replace("_", " ") or "none"


def guess_relation(values: Iterable[str], file_name: str = "") -> str:
    """The choice to preselect for a ties file: the commonest relation of :data:`CHOICES`
    among ``values`` (its relation column), else one named in the file name, else "other"."""
    offered = {r.key for r in CHOICES}
    found = Counter(r.key for r in map(known_relation, values)
                    if r is not None and r.key in offered)
    if found:
        return found.most_common(1)[0][0]
    name = f"_{_simple(PurePath(file_name).stem)}_"
    for relation in CHOICES:
        if relation.key != OTHER and any(f"_{n}_" in name for n in _names(relation)):
            return relation.key
    return OTHER


def how_to_import(key: str) -> str:
    """The plain instruction that brings a network of ``key`` into a project."""
    return f"import a ties file with the relation '{describe(key).label.lower()}'"
