"""People on the customer-learning pages: a roster picker that also takes a role, and how a
stored person field (a roster id, a role or a name) is shown under the project's privacy."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from workbench.core.model import Person
from workbench.core.plan.owners import PersonChoice, person_choices
from workbench.core.privacy import ShownPeople, shown_people
from workbench.gui.method_dialogs import PersonPicker

NOBODY = "(nobody named)"


class RosterView:
    """The roster as the customer-learning pages show it (read once per refresh)."""

    def __init__(self, project) -> None:
        people = project.people.list()
        self.by_id: dict[str, Person] = {p.id: p for p in people}
        self.shown: ShownPeople = shown_people(project, people=people)
        self.choices: list[PersonChoice] = person_choices(project, people)

    def label(self, value: str) -> str:
        """A person field as shown: a roster id by the person's label (name, or pseudonym
        when privacy asks), other text as written, roster names masked when pseudonymised."""
        if not value:
            return ""
        return self.shown.label(value) if value in self.by_id else self.shown.mention(value)

    def department(self, value: str) -> str:
        person = self.by_id.get(value)
        return person.department if person is not None else ""

    def scrub(self, text: str) -> str:
        return self.shown.scrub(text)


class PersonOrRole(PersonPicker):
    """The searchable roster picker, where typed text naming nobody on the roster is kept as
    it is: a role such as "Head of Service", or someone the roster does not list."""

    def __init__(self, choices: Sequence[PersonChoice], parent: QWidget | None = None) -> None:
        super().__init__(choices, parent)
        self.setItemText(0, NOBODY)
        self.lineEdit().setPlaceholderText("Search the roster, or type a role")
        names: dict[str, list[str]] = {}
        for choice in choices:
            names.setdefault(choice.name.casefold(), []).append(choice.person_id)
        self._by_name = {name: ids[0] for name, ids in names.items() if len(ids) == 1}
        self._kept: tuple[str, str] = ("", "")  # (text shown, value stored) of a masked value
        self.setCurrentIndex(-1)  # blank until chosen or typed: the search hint shows

    def _settle(self) -> None:
        found = self.findText(self.currentText().strip(), Qt.MatchFixedString)
        if found >= 0:
            self.setCurrentIndex(found)
        self.lineEdit().setCursorPosition(0)

    def value(self) -> str:
        """The roster id of the chosen person (an entry, or a name only one person has),
        else the text typed ("" for nobody)."""
        text = self.currentText().strip()
        found = self.findText(text, Qt.MatchFixedString)
        if found >= 0:
            return self.itemData(found) or ""
        if text.casefold() in self._by_name:
            return self._by_name[text.casefold()]
        if text and text == self._kept[0]:
            return self._kept[1]  # shown masked, left as it was
        return text

    def set_value(self, value: str, roster: RosterView | None = None) -> None:
        """Show a stored value: the roster entry of an id, else the text (masked when the
        ``roster`` pseudonymises)."""
        found = self.findData(value) if value else 0
        if found > 0:
            self.setCurrentIndex(found)
        else:
            self.setCurrentIndex(-1)
            text = roster.label(value) if roster is not None and value else value
            self._kept = (text, value)
            self.setEditText(text)
        self.lineEdit().setCursorPosition(0)
