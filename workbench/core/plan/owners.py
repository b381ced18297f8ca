"""Who carries each owner role of the plan: the role -> person step.

Library actions name owner *roles* ("Head of service"). The consultant confirms which person
of the roster carries each role; the mapping is saved in the project (setting ``plan.owners``,
``{role: person_id}``) and proposals name that person as the owner. A role nobody carries is
*open* and shown as such, never left silently blank.

Suggestions come from the roster: the one person whose roster role is exactly the role (case
and spacing aside); else the one person whose role or job title shares the most words with it
(each suggestion gives its reason). When two people match equally well there is no suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.core.model import Person
    from workbench.core.plan.builder import PlanAction
    from workbench.core.project import Project
    from workbench.core.services.plans import Action

SETTING_KEY = "plan.owners"
TITLE_ATTRIBUTES = ("title", "job_title", "job title", "position")  # roster columns read as titles
_IGNORED = frozenset({"and", "of", "the", "for", "a", "an", "to", "in", "on", "with", "&"})
_GENERIC = frozenset({"lead", "leader", "head", "manager", "partner", "officer", "director",
                      "team", "chief", "senior", "business", "coordinator", "owner"})
_GENERIC_SCORE = 0.25


@dataclass(frozen=True)
class Suggestion:
    """A person suggested for a role, and why."""

    person_id: str
    name: str
    reason: str


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _words(text: str) -> dict[str, str]:
    """Stem -> the word as written (lower case), ignoring small linking words."""
    words: dict[str, str] = {}
    for word in re.findall(r"[\w&]+", text.casefold()):
        if word not in _IGNORED:
            words.setdefault(_stem(word), word)
    return words


def person_title(person: Person) -> str:
    """The person's job title from the roster's extra columns ("" when there is none)."""
    for key, value in person.attributes.items():
        if key.strip().casefold() in TITLE_ATTRIBUTES and str(value).strip():
            return str(value).strip()
    return ""


def suggest_owners(roles: Iterable[str], people: Sequence[Person]) -> dict[str, Suggestion]:
    """A suggested person for each role that has one (see the module notes)."""
    suggestions: dict[str, Suggestion] = {}
    for role in dict.fromkeys(r for r in roles if r and r.strip()):
        exact = [p for p in people if p.role and _normal(p.role) == _normal(role)]
        if len(exact) == 1:
            person = exact[0]
            suggestions[role] = Suggestion(person.id, person.name or person.id,
                                           f"roster role is {person.role!r}")
            continue
        if exact:
            continue  # several people hold exactly this role: the consultant chooses
        found = _best_match(role, people)
        if found is not None:
            suggestions[role] = found
    return suggestions


def _best_match(role: str, people: Sequence[Person]) -> Suggestion | None:
    wanted = _words(role)
    scored: list[tuple[float, Person, list[str], str]] = []
    for person in people:
        for label, text in (("role", person.role), ("job title", person_title(person))):
            shared = sorted(wanted.keys() & _words(text).keys())
            if not any(w not in _GENERIC for w in shared):
                continue  # "lead" or "manager" alone says nothing about the role
            score = sum(_GENERIC_SCORE if w in _GENERIC else 1.0 for w in shared)
            scored.append((score, person, shared, f"{label} {text!r}"))
    if not scored:
        return None
    best = max(s[0] for s in scored)
    top = {s[1].id: s for s in scored if s[0] == best}
    if len(top) != 1:
        return None
    _score, person, shared, where = next(iter(top.values()))
    words = " and ".join(repr(wanted[w]) for w in shared)
    return Suggestion(person.id, person.name or person.id,
                      f"{where} shares {words} with {role!r}")


def load_owners(project: Project) -> dict[str, str]:
    """The confirmed mapping, role -> person id (malformed entries are left out)."""
    stored = project.settings.get(SETTING_KEY)
    if not isinstance(stored, Mapping):
        return {}
    return {str(role): person for role, person in stored.items()
            if isinstance(person, str) and person.strip() and str(role).strip()}


def confirm_owners(project: Project, mapping: Mapping[str, str | None],
                   label: str = "Confirm action owners") -> dict[str, str]:
    """Save who carries each role, as one undoable edit; returns the whole saved mapping.

    ``mapping`` is merged into what was confirmed before; a role mapped to None or "" is
    removed (open again). Every person must be on the roster.
    """
    roster = project.people.present(str(p) for p in mapping.values() if p)
    merged: dict[str, Any] = dict(load_owners(project))
    for role, person in mapping.items():
        role = role.strip() if isinstance(role, str) else ""
        if not role:
            raise WorkbenchError("An owner role needs a name.")
        if person is None or not str(person).strip():
            merged.pop(role, None)
            continue
        if person not in roster:
            raise WorkbenchError(f"{role}: {person!r} is not on the roster.")
        merged[role] = person
    project.settings.set(SETTING_KEY, merged, label)
    return merged


def assigned_names(project: Project, people: Sequence[Person] | None = None) -> dict[str, str]:
    """Role -> the confirmed person's name as stored in plans (the real name, or the id).

    Plans store real names; outputs show them as the project's privacy decides.
    """
    people = project.people.list() if people is None else people
    by_id = {p.id: p for p in people}
    return {role: by_id[pid].name or pid
            for role, pid in load_owners(project).items() if pid in by_id}


def owner_names(project: Project) -> dict[str, str]:
    """Role -> the confirmed person as screens and outputs show them (pseudonyms when the
    project's privacy asks for them). People no longer on the roster are left out."""
    from workbench.core.privacy import shown_people

    people = project.people.list()
    shown = shown_people(project, people=people)
    known = {p.id for p in people}
    return {role: shown.label(pid, owner=True)
            for role, pid in load_owners(project).items() if pid in known}


def open_roles(project: Project, actions: Iterable[PlanAction | Action]) -> list[str]:
    """Owner roles of ``actions`` that no one on the roster is confirmed for, in first-seen
    order."""
    owners = load_owners(project)
    known = project.people.present(pid for pid in owners.values() if pid)
    mapped = {role for role, pid in owners.items() if pid in known}
    roles = dict.fromkeys(a.owner_role for a in actions if a.owner_role)
    return [role for role in roles if role not in mapped]


def fill_open_owners(project: Project, label: str = "Name the owners of actions") -> int:
    """Name the confirmed person as the owner of every stored action whose owner is blank and
    whose role is now confirmed, as one undoable edit; returns how many actions changed.

    Actions that already name an owner keep it: this never overrides a person someone chose.
    """
    names = assigned_names(project)
    updates = {a.uid: {"owner": names[a.owner_role]}
               for plan in project.plans.plans() for a in project.plans.actions(plan.id)
               if not a.owner.strip() and a.owner_role in names}
    if updates:
        project.plans.update_actions(updates, label)
    return len(updates)


def save_owners(project: Project, mapping: Mapping[str, str | None], *,
                name_on_actions: bool = True,
                label: str = "Confirm action owners") -> tuple[dict[str, str], int]:
    """:func:`confirm_owners`, and with ``name_on_actions`` :func:`fill_open_owners`, as one
    undoable edit. Returns the saved mapping and how many actions were given an owner."""
    with project.edit(label):
        saved = confirm_owners(project, mapping, label)
        filled = fill_open_owners(project, label) if name_on_actions else 0
    return saved, filled


@dataclass(frozen=True)
class RoleNeed:
    """An owner role the plan uses: how many actions name it, who is confirmed for it (a
    person id on the roster, None while open) and who the roster suggests."""

    role: str
    actions: int
    confirmed: str | None
    suggestion: Suggestion | None


def role_needs(project: Project, actions: Iterable[PlanAction | Action],
               people: Sequence[Person] | None = None) -> list[RoleNeed]:
    """Every owner role of ``actions`` in first-seen order, with its confirmed person and the
    roster's suggestion (see :func:`suggest_owners`)."""
    people = project.people.list() if people is None else people
    known = {p.id for p in people}
    confirmed = {role: pid for role, pid in load_owners(project).items() if pid in known}
    counts: dict[str, int] = {}
    for action in actions:
        if action.owner_role.strip():
            counts[action.owner_role] = counts.get(action.owner_role, 0) + 1
    suggestions = suggest_owners(counts, people)
    return [RoleNeed(role, n, confirmed.get(role), suggestions.get(role))
            for role, n in counts.items()]


@dataclass(frozen=True)
class PersonChoice:
    """A roster person as pickers list them: ``name`` and ``detail`` (role, department) as
    the project's privacy shows them."""

    person_id: str
    name: str
    detail: str


def person_choices(project: Project, people: Sequence[Person] | None = None
                   ) -> list[PersonChoice]:
    """The roster as a person picker offers it, by shown name (pseudonyms when the project's
    privacy asks for them; role and department blank when left out)."""
    from workbench.core.privacy import shown_people

    people = project.people.list() if people is None else people
    shown = shown_people(project, people=people)
    choices = [PersonChoice(p.id, shown.label(p.id),
                            ", ".join(filter(None, (q.role, q.department))))
               for p, q in zip(people, shown.people(), strict=True)]
    return sorted(choices, key=lambda c: (c.name.casefold(), c.person_id))
