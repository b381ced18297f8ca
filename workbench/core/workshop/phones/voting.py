"""The ballot rules for phones: devices, one ballot per device and item, what a phone may see.

A phone becomes a *device* when it joins with the session code: a random token (kept in a
cookie) that identifies it within this server run only. In an anonymous session a device's
ballot on an item is stored under the next free label "Phone 1", "Phone 2"... of that item, so
labels never collide with the laptop's "P1", "P2"... and two items' labels cannot be linked.
In a named session the name given once when joining is the participant, exactly as typed on
the laptop (the laptop then refuses that name on items the phone voted on, and the reverse).

A device may change its ballot until the item's votes are revealed: the old row is removed
and the new one cast in the same edit, through :meth:`WorkshopService.cast_vote` or
:meth:`WorkshopService.cast_prediction`, so phones obey the laptop's rules. Every write is one
:meth:`Project.edit` (its lock keeps the GUI thread and the server's threads from writing at
the same time) and is committed before the method returns.

Phones see the item on the projector, how many have voted and their own ballot; never another
person's value. Roster names reach a phone only on a "who do people go to" prediction item,
through the project's privacy (pseudonyms when they are on), one search at a time.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from workbench.core.errors import WorkbenchError
from workbench.core.services.workshop import ItemInfo
from workbench.core.store.schema import WorkshopPredictionRow, WorkshopVoteRow
from workbench.core.workshop.agenda import PICKS_PER_PARTICIPANT, PREDICT_PEOPLE, choices
from workbench.core.workshop.rules import (
    DuplicateVote,
    InvalidVote,
    clean_participant,
    participant_key,
)

if TYPE_CHECKING:
    from workbench.core.project import Project

_VOTE = WorkshopVoteRow.__table__
_PRED = WorkshopPredictionRow.__table__
QUESTION_TYPES = {"rating_0_4": "ladder", "scale_1_5": "rating", "single_choice": "choice"}
NOTE_LIMIT = 1000  # characters of one note from a phone
NAME_LIMIT = 80
SEARCH_RESULTS = 12  # names one roster search sends to a phone

JOINED, VOTED, NOTED, SHOWN = "joined", "voted", "noted", "shown"


class Refused(WorkbenchError):
    """A phone's request refused; ``status`` is the HTTP status the server answers with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PhoneEvent:
    """Something the presenter may show: a phone joined, voted or wrote a note.

    ``ballots`` counts votes and predictions on ``item_id`` (laptop and phones) after the
    event; ``devices`` the phones joined so far. Never a value.
    """

    kind: str
    item_id: int | None
    ballots: int
    devices: int


@dataclass
class Device:
    token: str
    name: str  # "" in an anonymous session
    ballots: dict[int, str] = field(default_factory=dict)  # item id -> participant as stored
    mine: dict[int, Any] = field(default_factory=dict)  # item id -> what the phone chose


class PhoneVoting:
    """One workshop session open to phones: thread-safe, Qt-free, HTTP-free."""

    def __init__(self, project: Project, session_id: int, code: str | None = None) -> None:
        self.project = project
        self.workshop = project.workshop
        self.session_id = session_id
        self.named = not self.workshop.session(session_id).anonymous
        self.items: dict[int, ItemInfo] = {i.id: i for i in self.workshop.items(session_id)}
        if not self.items:
            raise WorkbenchError("This workshop session has no agenda items.")
        self.code = code or f"{secrets.randbelow(10 ** 6):06d}"
        self.csrf = secrets.token_urlsafe(24)
        self._devices: dict[str, Device] = {}
        self._lock = threading.Lock()
        self._current = next(iter(self.items))
        self._closed: set[int] = set()
        self._ballots = self.workshop.ballot_count(self._current)
        self._pages: dict[int, dict[str, Any]] = {}
        self._candidates: dict[int, list[tuple[str, str]]] = {}
        self._listeners: list[Callable[[PhoneEvent], None]] = []
        self.version = 0  # goes up whenever what the phones see changes

    # -- listeners and the presenter's side ------------------------------------------------

    def add_listener(self, listener: Callable[[PhoneEvent], None]) -> None:
        """Call ``listener`` after each event, on the thread that caused it."""
        self._listeners.append(listener)

    def _emit(self, kind: str, item_id: int | None, ballots: int) -> None:
        with self._lock:
            self.version += 1
            devices = len(self._devices)
        event = PhoneEvent(kind, item_id, ballots, devices)
        for listener in list(self._listeners):
            listener(event)

    @property
    def devices(self) -> int:
        return len(self._devices)

    def follow(self, item_id: int, closed: bool, ballots: int) -> None:
        """What the presenter shows: its item, whether voting on it closed, its ballot count.

        Phones are told only when one of these changed; a closed item stays closed.
        """
        if item_id not in self.items:
            raise Refused(404, f"Workshop agenda item {item_id} is not in this session.")
        with self._lock:
            was = (self._current, self._current in self._closed, self._ballots)
            self._current, self._ballots = item_id, ballots
            if closed:
                self._closed.add(item_id)
            changed = was != (item_id, item_id in self._closed, ballots)
        if changed:
            self._emit(SHOWN, item_id, ballots)

    def closed(self, item_id: int) -> bool:
        return item_id in self._closed

    # -- joining ---------------------------------------------------------------------------

    def join(self, code: object, name: object = None) -> str:
        """A new device's token, when ``code`` is the session's (and, if named, a name)."""
        if not isinstance(code, str) or not secrets.compare_digest(code.strip(), self.code):
            raise Refused(403, "That code does not open this workshop. Check the 6 digits on "
                          "the big screen.")
        shown_name = ""
        if self.named:
            if not isinstance(name, str) or len(name) > NAME_LIMIT:
                raise Refused(422, f"Type your name (up to {NAME_LIMIT} characters).")
            try:
                shown_name = clean_participant(name)
            except InvalidVote:
                raise Refused(422, "Type your name: this session shows who voted what.") from None
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._devices[token] = Device(token, shown_name)
        self._emit(JOINED, None, self._ballots)
        return token

    def device(self, token: str | None) -> Device:
        device = self._devices.get(token or "")
        if device is None:
            raise Refused(401, "Join the workshop first: scan the code on the big screen.")
        return device

    # -- what a phone sees -----------------------------------------------------------------

    def state(self, token: str | None) -> dict[str, Any]:
        """Everything the phone's page shows, for the device with ``token``."""
        device = self.device(token)
        with self._lock:
            current, ballots, version = self._current, self._ballots, self.version
        return {"joined": True, "named": self.named, "name": device.name, "csrf": self.csrf,
                "version": version, "item": self.page(current),
                "closed": current in self._closed, "ballots": ballots,
                "mine": device.mine.get(current)}

    def item(self, item_id: int) -> ItemInfo:
        item = self.items.get(item_id)
        if item is None:
            raise Refused(404, f"There is no agenda item {item_id} in this workshop.")
        return item

    def page(self, item_id: int) -> dict[str, Any]:
        """How a phone shows an item: its type, title and what one can choose."""
        cached = self._pages.get(item_id)
        if cached is not None:
            return cached
        item = self.item(item_id)
        page: dict[str, Any] = {"id": item.id, "number": item.position + 1,
                                "of": len(self.items), "title": item.title,
                                "section": item.section}
        if item.kind == "question":
            question = self.workshop.question(item.id)
            if question is None:  # a session on no round: the laptop takes any value
                page["type"] = "laptop"
            else:
                page["type"] = QUESTION_TYPES.get(question.kind, "laptop")
                page["choices"] = [_choice(value, text) for value, text in choices(question)]
        else:
            page["type"] = "predict"
            page["picks"] = PICKS_PER_PARTICIPANT
            page["search"] = item.kind == PREDICT_PEOPLE
            page["candidates"] = [] if page["search"] else [
                {"key": index, "text": text}
                for index, (_, text) in enumerate(self._candidate_list(item))]
        self._pages[item_id] = page
        return page

    def _candidate_list(self, item: ItemInfo) -> list[tuple[str, str]]:
        """(key as stored, text a phone may show) for a prediction item, cached.

        People are shown as the project's privacy shows them; a phone only ever gets the
        position in this list, never an id.
        """
        found = self._candidates.get(item.id)
        if found is None:
            from workbench.core.workshop.reveal import prediction_candidates  # loads scipy

            if item.kind == PREDICT_PEOPLE:
                found = _people_candidates(self.project)
            else:
                found = prediction_candidates(self.project, item.kind)
            self._candidates[item.id] = found
        return found

    def search(self, token: str | None, item_id: int, query: str) -> list[dict[str, Any]]:
        """Candidates of a prediction item whose shown text contains ``query``."""
        self.device(token)
        item = self.item(item_id)
        if item.kind == "question":
            raise Refused(404, "This item is a question: there is nobody to search for.")
        text = " ".join(query.split()).casefold()
        if not text:
            return []
        found = [{"key": index, "text": shown}
                 for index, (_, shown) in enumerate(self._candidate_list(item))
                 if text in shown.casefold()]
        return found[:SEARCH_RESULTS]

    # -- ballots ---------------------------------------------------------------------------

    def vote(self, token: str | None, item_id: int, body: object) -> dict[str, Any]:
        """Store (or change) the device's ballot on an item; committed when this returns."""
        device = self.device(token)
        item = self.item(item_id)
        if not isinstance(body, dict):
            raise Refused(422, "Send the vote as a JSON object.")
        if item.kind == "question":
            if "value" not in body:
                raise Refused(422, "Choose a value first.")
            value, shown = body["value"], body["value"]
        else:
            value, shown = self._picks(item, body.get("picks"))
        table = _VOTE if item.kind == "question" else _PRED
        try:
            with self.project.edit("Vote from a phone") as w:
                if item.id in self._closed:
                    raise Refused(409, "Voting on this item closed when its votes were "
                                  "revealed.")
                participant = device.ballots.get(item.id)
                if participant is not None:
                    earlier = w.conn.execute(select(table.c.id).where(
                        table.c.item_id == item.id,
                        table.c.participant == participant)).scalar()
                    if earlier is not None:
                        w.delete(table.name, earlier)
                else:
                    participant = device.name or self._phone_label(item.id)
                if item.kind == "question":
                    self.workshop.cast_vote(item.id, participant, value)
                else:
                    self.workshop.cast_prediction(item.id, participant, value)
                ballots = self.workshop.ballot_count(item.id)
        except DuplicateVote:
            raise Refused(409, f"{device.name} has already voted on this item (perhaps on "
                          "the laptop).") from None
        except InvalidVote as exc:
            raise Refused(422, str(exc)) from None
        changed = item.id in device.ballots
        with self._lock:
            device.ballots[item.id] = participant
            device.mine[item.id] = shown
            if item.id == self._current:
                self._ballots = ballots
        self._emit(VOTED, item.id, ballots)
        return {"ok": True, "changed": changed, "ballots": ballots}

    def _picks(self, item: ItemInfo, picks: object) -> tuple[list[str], list[dict[str, Any]]]:
        """The stored keys of the candidates a phone picked (by position), and what it saw."""
        listed = self._candidate_list(item)
        if not isinstance(picks, list) or not all(
                isinstance(p, int) and not isinstance(p, bool) for p in picks):
            raise Refused(422, "Send the picks as a list of numbers from the list shown.")
        if any(not 0 <= p < len(listed) for p in picks):
            raise Refused(422, "A pick is not on the list shown: search again.")
        chosen = list(dict.fromkeys(picks))
        if not 1 <= len(chosen) <= PICKS_PER_PARTICIPANT:
            raise Refused(422, f"Pick between 1 and {PICKS_PER_PARTICIPANT}.")
        return ([listed[p][0] for p in chosen],
                [{"key": p, "text": listed[p][1]} for p in chosen])

    def _phone_label(self, item_id: int) -> str:
        """The next free "Phone N" of an item (called inside the vote's edit)."""
        taken = {participant_key(p) for p in self.workshop.participants(item_id)}
        number = 1
        while participant_key(f"Phone {number}") in taken:
            number += 1
        return f"Phone {number}"

    def note(self, token: str | None, item_id: int, body: object) -> dict[str, Any]:
        """Store a free-text note on an item (also after the reveal: notes feed the discussion)."""
        device = self.device(token)
        item = self.item(item_id)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise Refused(422, "Write the note first.")
        text = text.strip()
        if len(text) > NOTE_LIMIT:
            raise Refused(422, f"A note holds up to {NOTE_LIMIT} characters; this one has "
                          f"{len(text)}.")
        if device.name:
            text = f"{device.name}: {text}"
        self.workshop.add_note(self.session_id, text, item.id)
        self._emit(NOTED, item.id, self._ballots)
        return {"ok": True}


def _choice(value: object, text: str) -> dict[str, Any]:
    name, _, detail = text.partition(":")
    return {"value": value, "name": name.strip() or str(value), "detail": detail.strip()}


def _people_candidates(project: Project) -> list[tuple[str, str]]:
    """Everyone on the roster as the project's privacy shows them, in shown order."""
    from workbench.core.privacy import shown_people

    people = project.people.list()
    shown = shown_people(project, people=people).people()  # same order, names as allowed
    listed = []
    for person, seen in zip(people, shown, strict=True):
        text = seen.name or seen.id
        listed.append((person.id, f"{text}  ({seen.department})" if seen.department else text))
    return sorted(listed, key=lambda entry: entry[1].casefold())
