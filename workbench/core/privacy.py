"""A project's privacy choices: pseudonyms instead of names, attribute columns left out.

The choices are stored with the project's settings (key ``privacy``); the minimum group size is
an engagement field. The pseudonym key never goes into the project file: it is kept per
engagement (by its uuid) in the user's data folder, see :mod:`workbench.core.network.pseudonyms`.

Other code shows people through :class:`Privacy`::

    privacy = load_privacy(project)
    privacy.display_name(person)      # "Ann Lee", or "P-7K2M9Q" when pseudonymised
    privacy.people(project.people.list())  # people as they may be shown or exported
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import WorkbenchError
from workbench.core.model import Person
from workbench.core.network.pseudonyms import (
    BLANKABLE_FIELDS,
    PseudonymKey,
    default_key_dir,
    pseudonymise_people,
    pseudonyms_for,
)
from workbench.core.services.engagement import MIN_GROUP_FLOOR

if TYPE_CHECKING:
    from workbench.core.project import Project

SETTING_KEY = "privacy"


def key_dir() -> Path:
    """Where pseudonym keys are kept: ``<user data folder>/keys``, never in the project."""
    return default_key_dir()


@dataclass(frozen=True)
class PrivacySettings:
    """What the user chose; ``drop_attributes`` may name extra attributes and the standard
    fields department, role, location and segment."""

    pseudonymise: bool = False
    drop_attributes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"pseudonymise": self.pseudonymise, "drop_attributes": list(self.drop_attributes)}

    @classmethod
    def from_dict(cls, data: object) -> PrivacySettings:
        if not isinstance(data, dict):
            return cls()
        dropped = data.get("drop_attributes", [])
        return cls(bool(data.get("pseudonymise", False)),
                   tuple(str(d) for d in dropped) if isinstance(dropped, list) else ())


@dataclass
class Privacy:
    """Settings plus the key (loaded only when pseudonymising); shows people accordingly."""

    settings: PrivacySettings
    key: PseudonymKey | None = None
    _aliases: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.settings.pseudonymise or bool(self.settings.drop_attributes)

    def display_name(self, person: Person) -> str:
        """The name to show for a person: the pseudonym when pseudonymising, else the name
        (or the id when the name is blank)."""
        if not self.settings.pseudonymise or self.key is None:
            return person.name or person.id
        alias = self._aliases.get(person.id)
        if alias is None:
            alias = pseudonyms_for(self.key, [person.id])[person.id]
        return alias

    def people(self, people: Iterable[Person]) -> list[Person]:
        """People as they may be shown or exported (pseudonyms, dropped columns blanked)."""
        people = list(people)
        if not self.active:
            return people
        if self.settings.pseudonymise and self.key is not None:
            shown = pseudonymise_people(people, self.key, self.settings.drop_attributes)
            self._aliases.update((p.id, p.name) for p in shown)
            return shown
        drop = set(self.settings.drop_attributes)
        blank = {name: "" for name in BLANKABLE_FIELDS if name in drop}
        return [replace(p, attributes={k: v for k, v in p.attributes.items() if k not in drop},
                        **blank) for p in people]


def privacy_settings(project: Project) -> PrivacySettings:
    """The project's stored privacy choices (defaults when never set)."""
    return PrivacySettings.from_dict(project.settings.get(SETTING_KEY))


def load_privacy(project: Project, directory: str | Path | None = None) -> Privacy:
    """The project's privacy, with its pseudonym key when pseudonymising (created on first
    use in ``directory``, default :func:`key_dir`)."""
    settings = privacy_settings(project)
    key = None
    if settings.pseudonymise:
        key = PseudonymKey.load_or_create(project.engagement.uuid(),
                                          directory if directory is not None else key_dir())
    return Privacy(settings, key)


def save_privacy(project: Project, settings: PrivacySettings,
                 min_group_size: int | None = None) -> None:
    """Store the choices and the minimum group size as one undoable edit.

    Raises :class:`WorkbenchError` for a minimum group size below the privacy floor.
    """
    if min_group_size is not None and min_group_size < MIN_GROUP_FLOOR:
        raise WorkbenchError(f"The minimum group size cannot be below {MIN_GROUP_FLOOR}.")
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
