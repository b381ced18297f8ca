"""A project's privacy choices: pseudonyms instead of names, attribute columns left out.

The choices are stored with the project's settings (key ``privacy``); the minimum group size is
an engagement field. The pseudonym key never goes into the project file: it is kept per
engagement (by its uuid) in the user's data folder, see :mod:`workbench.core.network.pseudonyms`.

Every output (plan workbook, PDF summary, CSV and network exports, ``workbench analyse``)
shows people through :class:`ShownPeople`, whose :meth:`ShownPeople.label` is the one rule
(:func:`how_shown`) deciding whether a person appears by name, by role or by pseudonym::

    shown = shown_people(project)
    shown.label(person_id)            # "Ann Lee", or "P-7K2M9Q" when pseudonymised
    shown.label(person_id, owner=True)  # a plan owner: "Head of Sales" when that role is unique
    shown.id(person_id)               # the id an output may carry (the pseudonym when on)
    shown.people()                    # people as they may be exported (ids, e-mails replaced)

Once a project is converted (:func:`workbench.core.pseudonymise.convert_to_pseudonyms`) the
file itself holds pseudonyms only (setting :data:`STORED_KEY`); pseudonyms cannot be switched
off again for it, and imports are pseudonymised on the way in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person
from workbench.core.network.pseudonyms import (
    BLANKABLE_FIELDS,
    EMAIL_DOMAIN,
    PseudonymKey,
    default_key_dir,
    pseudonymise_people,
    pseudonyms_for,
)
from workbench.core.services.engagement import MIN_GROUP_FLOOR

if TYPE_CHECKING:
    from workbench.core.project import Project

SETTING_KEY = "privacy"
STORED_KEY = "privacy.stored_pseudonyms"  # set when the file holds pseudonyms, not names
NAME: Final = "name"
ROLE: Final = "role"
PSEUDONYM: Final = "pseudonym"
Shown = Literal["name", "role", "pseudonym"]
INDIVIDUAL_LABELS = ("key person risk", "customer champion", "broker", "central connector",
                     "overloaded", "peripheral")  # the per-person role labels of the findings


def key_dir() -> Path:
    """Where pseudonym keys are kept: ``<user data folder>/keys``, never in the project."""
    return default_key_dir()


@dataclass(frozen=True)
class PrivacySettings:
    """What the user chose; ``drop_attributes`` may name extra attributes and the standard
    fields department, role, location and segment. ``name_individual_labels`` lets outputs
    put individual labels ("peripheral", "overloaded", "key person risk"...) beside real
    names; off by default (beside pseudonyms they are always shown)."""

    pseudonymise: bool = False
    drop_attributes: tuple[str, ...] = ()
    name_individual_labels: bool = False

    def to_dict(self) -> dict:
        return {"pseudonymise": self.pseudonymise, "drop_attributes": list(self.drop_attributes),
                "name_individual_labels": self.name_individual_labels}

    @classmethod
    def from_dict(cls, data: object) -> PrivacySettings:
        if not isinstance(data, dict):
            return cls()
        dropped = data.get("drop_attributes", [])
        return cls(bool(data.get("pseudonymise", False)),
                   tuple(str(d) for d in dropped) if isinstance(dropped, list) else (),
                   bool(data.get("name_individual_labels", False)))


@dataclass
class Privacy:
    """Settings plus the key (loaded only when pseudonymising); shows people accordingly.

    ``stored`` is true once the project file itself holds pseudonyms (ids and names already
    are the pseudonyms, so they are shown as stored, never hashed a second time).
    """

    settings: PrivacySettings
    key: PseudonymKey | None = None
    stored: bool = False
    _aliases: dict[str, str] = field(default_factory=dict)

    @property
    def pseudonymised(self) -> bool:
        """Whether outputs show pseudonyms instead of names, ids and e-mail addresses."""
        return self.settings.pseudonymise or self.stored

    @property
    def active(self) -> bool:
        return self.pseudonymised or bool(self.settings.drop_attributes)

    @property
    def individual_labels(self) -> bool:
        """Whether outputs may show individual labels ("peripheral", "overloaded"...) per
        person: beside pseudonyms always, beside real names only when switched on."""
        return self.pseudonymised or self.settings.name_individual_labels

    def alias(self, person_id: str) -> str:
        """The pseudonym of an id (the id itself once the file stores pseudonyms)."""
        if self.stored:
            return person_id
        if self.key is None:
            raise WorkbenchError("Pseudonyms are on but the pseudonym key was not loaded.")
        alias = self._aliases.get(person_id)
        if alias is None:
            alias = pseudonyms_for(self.key, [person_id])[person_id]
        return alias

    def display_name(self, person: Person) -> str:
        """The name to show for a person: the pseudonym when pseudonymising, else the name
        (or the id when the name is blank)."""
        if not self.pseudonymised:
            return person.name or person.id
        return self.alias(person.id)

    def people(self, people: Iterable[Person]) -> list[Person]:
        """People as they may be shown (pseudonyms, dropped columns blanked; ids kept)."""
        people = list(people)
        if not self.active:
            return people
        if self.settings.pseudonymise and self.key is not None and not self.stored:
            shown = pseudonymise_people(people, self.key, self.settings.drop_attributes)
            self._aliases.update((p.id, p.name) for p in shown)
            return shown
        drop = set(self.settings.drop_attributes)
        blank: dict[str, Any] = {name: "" for name in BLANKABLE_FIELDS if name in drop}
        return [replace(p, attributes={k: v for k, v in p.attributes.items() if k not in drop},
                        **blank) for p in people]


def privacy_settings(project: Project) -> PrivacySettings:
    """The project's stored privacy choices (defaults when never set)."""
    return PrivacySettings.from_dict(project.settings.get(SETTING_KEY))


def stores_pseudonyms(project: Project) -> bool:
    """Whether the project file was converted and holds pseudonyms instead of names."""
    return bool(project.settings.get(STORED_KEY))


def load_privacy(project: Project, directory: str | Path | None = None) -> Privacy:
    """The project's privacy, with its pseudonym key when pseudonymising (created on first
    use in ``directory``, default :func:`key_dir`)."""
    settings = privacy_settings(project)
    stored = stores_pseudonyms(project)
    key = None
    if settings.pseudonymise or stored:
        key = PseudonymKey.load_or_create(project.engagement.uuid(),
                                          directory if directory is not None else key_dir())
    return Privacy(settings, key, stored)


def save_privacy(project: Project, settings: PrivacySettings,
                 min_group_size: int | None = None) -> None:
    """Store the choices and the minimum group size as one undoable edit.

    Raises :class:`WorkbenchError` for a minimum group size below the privacy floor.
    """
    if min_group_size is not None and min_group_size < MIN_GROUP_FLOOR:
        raise WorkbenchError(f"The minimum group size cannot be below {MIN_GROUP_FLOOR}.")
    if not settings.pseudonymise and stores_pseudonyms(project):
        raise WorkbenchError("This project file holds pseudonyms only; they cannot be "
                             "switched off.")
    label = "Change privacy settings"
    with project.edit(label):
        if settings != privacy_settings(project):
            project.settings.set(SETTING_KEY, settings.to_dict(), label)
        current = project.engagement.get().min_group_size
        if min_group_size is not None and min_group_size != current:
            project.engagement.update(label, min_group_size=min_group_size)


def attribute_names(people: Sequence[Person]) -> list[str]:
    """Columns that may be dropped: the blankable standard fields and every extra attribute."""
    extras = sorted({k for p in people for k in p.attributes})
    return [*BLANKABLE_FIELDS, *extras]


# -- how people appear in outputs -----------------------------------------------------------

UNNAMED = "[person]"  # stands for a name shared by several people of the roster
_MIN_NAME_IN_TEXT = 5  # shorter full names are not looked for inside free text


def how_shown(privacy: Privacy, *, owner: bool = False, unique_role: bool = False) -> Shown:
    """How a person appears in any output: the one rule every writer follows.

    * privacy off: by name (:data:`NAME`);
    * pseudonyms on: by pseudonym (:data:`PSEUDONYM`); a plan owner (``owner``) whose role
      nobody else holds is shown by that role (:data:`ROLE`), so the plan stays readable
      without naming anyone, unless the role column is left out.
    """
    if not privacy.pseudonymised:
        return NAME
    if owner and unique_role and "role" not in privacy.settings.drop_attributes:
        return ROLE
    return PSEUDONYM


class ShownPeople:
    """The roster as an output shows it, following :func:`how_shown`.

    Built once per output. Besides labels and ids it resolves free text that names a person
    (an owner, a workshop participant: their id, name or e-mail address, any case) and, when
    pseudonymised, replaces full names and e-mail addresses of the roster inside longer text.
    """

    def __init__(self, privacy: Privacy, people: Sequence[Person]) -> None:
        self.privacy = privacy
        self._people = list(people)
        self._by_id = {p.id: p for p in self._people}
        self._aliases: dict[str, str] = {}
        if privacy.pseudonymised and not privacy.stored:
            if privacy.key is None:
                raise WorkbenchError("Pseudonyms are on but the pseudonym key was not loaded.")
            self._aliases = pseudonyms_for(privacy.key, self._by_id)  # roster-wide: no clashes
            privacy._aliases.update(self._aliases)
        roles = Counter(p.role for p in self._people if p.role)
        self._unique_roles = {role for role, n in roles.items() if n == 1}
        self._pattern: re.Pattern[str] | None = None

    @cached_property
    def _holders(self) -> dict[str, set[str]]:
        """Each id, name and e-mail address (stripped, any case) -> the people it names;
        made when free text is first resolved (a table of measures never needs it)."""
        holders: dict[str, set[str]] = {}
        for p in self._people:
            for text in (p.id, p.name, p.email):
                if text.strip():
                    holders.setdefault(text.strip().casefold(), set()).add(p.id)
        return holders

    @cached_property
    def _named(self) -> dict[str, str]:
        return {text: next(iter(ids)) for text, ids in self._holders.items() if len(ids) == 1}

    @cached_property
    def _shared(self) -> set[str]:
        return {text for text, ids in self._holders.items() if len(ids) > 1}

    @property
    def pseudonymised(self) -> bool:
        return self.privacy.pseudonymised

    @property
    def individual_labels(self) -> bool:
        """Whether per-person labels ("peripheral", "overloaded"...) may be shown."""
        return self.privacy.individual_labels

    def id(self, person_id: str) -> str:
        """The id an output may carry: the pseudonym when pseudonymised, else the id."""
        if not self.pseudonymised:
            return person_id
        return self._aliases.get(person_id) or self.privacy.alias(person_id)

    def label(self, person_id: str, *, owner: bool = False) -> str:
        """How the person with ``person_id`` is shown: name, role or pseudonym
        (:func:`how_shown`); an id not on the roster is shown as :meth:`id` gives it."""
        person = self._by_id.get(person_id)
        mode = how_shown(self.privacy, owner=owner,
                         unique_role=person is not None and person.role in self._unique_roles)
        if person is None:
            return self.id(person_id)
        if mode == NAME:
            return person.name or person.id
        if mode == ROLE:
            return person.role
        return self.id(person_id)

    def individual_label(self, text: str) -> str:
        """An individual label as outputs may show it: blank unless :attr:`individual_labels`."""
        return text if self.individual_labels else ""

    def resolve(self, text: str) -> str | None:
        """The id of the one roster person ``text`` names (id, name or e-mail), else None."""
        return self._named.get(text.strip().casefold()) if text else None

    def mention(self, text: str) -> str:
        """Free text that may name a person (a participant, an attribute value) as shown:
        unchanged unless pseudonymised; then the person's label, or the text with roster
        names and e-mail addresses replaced."""
        if not self.pseudonymised or not text:
            return text
        person_id = self.resolve(text)
        if person_id is not None:
            return self.label(person_id)
        if text.strip().casefold() in self._shared:
            return UNNAMED
        return self.scrub(text)

    def owner(self, text: str) -> str:
        """A plan action's owner as shown (:func:`how_shown` with ``owner``)."""
        if not self.pseudonymised or not text:
            return text
        person_id = self.resolve(text)
        return self.label(person_id, owner=True) if person_id is not None else self.mention(text)

    def scrub(self, text: str) -> str:
        """``text`` with the roster's full names and e-mail addresses (and ids that are
        e-mail addresses or contain spaces) replaced by labels, when pseudonymised."""
        if not self.pseudonymised or not text:
            return text
        pattern = self._mentions()
        if pattern is None:
            return text

        def swap(match: re.Match[str]) -> str:
            person_id = self._named.get(match.group(0).casefold())
            return self.label(person_id) if person_id is not None else UNNAMED

        return pattern.sub(swap, text)

    def _mentions(self) -> re.Pattern[str] | None:
        if self._pattern is None:
            texts = [t for t in (*self._named, *self._shared)
                     if "@" in t or (" " in t and len(t) >= _MIN_NAME_IN_TEXT)]
            if not texts:
                return None
            texts.sort(key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w@.+-])(?:" + "|".join(map(re.escape, texts)) + r")(?![\w@-])",
                re.IGNORECASE)
        return self._pattern

    def people(self) -> list[Person]:
        """The roster as exports may write it: when pseudonymised, ids, names, manager ids
        and e-mail addresses are pseudonyms (e-mails at ``example.invalid``); dropped columns
        are blanked either way."""
        drop = set(self.privacy.settings.drop_attributes)
        blank: dict[str, Any] = {name: "" for name in BLANKABLE_FIELDS if name in drop}
        shown = []
        for p in self._people:
            attributes = {k: self.mention(v) for k, v in p.attributes.items() if k not in drop}
            if self.pseudonymised:
                alias = self.id(p.id)
                p = replace(p, id=alias, name=alias,
                            email=f"{alias.lower()}@{EMAIL_DOMAIN}" if p.email.strip() else "",
                            manager_id=self.id(p.manager_id) if p.manager_id else None)
            shown.append(replace(p, attributes=attributes, **blank))
        return shown


def shown_people(project: Project, privacy: Privacy | None = None,
                 people: Sequence[Person] | None = None) -> ShownPeople:
    """How the project's roster appears in outputs (its privacy loaded when not given)."""
    return ShownPeople(privacy if privacy is not None else load_privacy(project),
                       people if people is not None else project.people.list())
