"""Which roster person a participant of an event log is: by id or e-mail address.

Keys arrive normalised by the engines (trimmed, lower case, the address inside "Name <addr>").
In a project that stores pseudonyms the roster holds pseudonyms: original ids and addresses
are matched through the identities file beside the project's key, and ids also through their
keyed pseudonym, so raw addresses never need to enter the project.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.model import Person
    from workbench.core.project import Project
    from workbench.core.pseudonymise import Incoming


UNKNOWN_EXAMPLES = 5


def person_key(text: str) -> str:
    """A participant as the engines key it: the address inside "<...>", trimmed, lower case."""
    if "<" in text:
        inner = text[text.index("<") + 1:]
        text = inner[:inner.index(">")] if ">" in inner else inner
    return text.strip().lower()


class PeopleLookup:
    """Normalised participant key -> stored person id, for the people on a roster."""

    def __init__(self, people: Iterable[Person], incoming: Incoming | None = None,
                 identities: dict[str, dict[str, str]] | None = None) -> None:
        self.known: dict[str, str] = {}
        self.incoming = incoming
        self.unknown_examples: list[str] = []  # a few keys of the last mapping not on the roster
        for person in people:
            for value in (person.email, person.id):
                if value.strip():
                    self.known[person_key(value)] = person.id
        stored = set(self.known.values())
        for alias, who in (identities or {}).items():
            if alias in stored:
                for value in (who.get("email", ""), who.get("id", "")):
                    if value and value.strip():
                        self.known.setdefault(person_key(value), alias)

    @classmethod
    def for_project(cls, project: Project,
                    key_directory: str | Path | None = None) -> PeopleLookup:
        """The lookup for ``project``'s roster (through its pseudonym key when it stores
        pseudonyms; ``key_directory`` defaults to the usual key folder)."""
        from workbench.core.network.pseudonyms import load_identities
        from workbench.core.pseudonymise import incoming_for

        people = project.people.list()
        incoming = incoming_for(project, key_directory)
        identities = load_identities(incoming.key) if incoming is not None else {}
        return cls(people, incoming, identities)

    def person(self, key: str) -> str | None:
        """The stored id of the person ``key`` names, or None when not on the roster."""
        found = self.known.get(key)
        if found is None and self.incoming is not None and key:
            alias = self.incoming.id(key)
            found = alias if alias in self.incoming.roster else None
        return found

    def mapping(self, keys: Iterable[str]) -> list[tuple[str, str]]:
        """``(key, person)`` for every key naming someone on the roster."""
        pairs, unknown = [], []
        for key in keys:
            found = self.person(key)
            if found is not None:
                pairs.append((key, found))
            elif key:
                unknown.append(key)
        self.unknown_examples = sorted(unknown)[:UNKNOWN_EXAMPLES]
        return pairs
