"""A workshop session being run live: the phase of the current agenda item and its moves.

Each agenda item goes through the same phases, for a question as for a predict-then-reveal
item (where a ballot is a participant's picks)::

    question ──vote──▶ ballot ──cast──▶ passing ──vote──▶ ballot ...
        │                 └──cancel──▶ question        │
        └──────reveal──────────────────────────────────┴──reveal──▶ revealed
    revealed ──record──▶ recorded ──record──▶ recorded (a revision)
    any phase but ballot ──next / previous──▶ question of the next / previous item

In a named session "vote" on the question first asks the name ("passing"); the ballot opens
once a name that has not voted on the item is given. "back" returns from passing, revealed or
recorded to the question; voting on an item closes for good once its votes are revealed, so
nobody votes having seen the others' votes. An action the phase does not allow raises
:class:`~workbench.core.workshop.rules.IllegalTransition`; the presenter asks :meth:`allowed`
to show and enable only what can happen. The ballot rules themselves (one per participant, a
value the question accepts, a consensus with an agreed value) live in the service.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from workbench.core.services.workshop import ItemInfo
from workbench.core.workshop.rules import IllegalTransition, InvalidVote

if TYPE_CHECKING:
    from workbench.core.project import Project


class Phase(StrEnum):
    QUESTION = "question"  # the item is on screen; no ballot open
    PASSING = "passing"  # voting is open: the laptop goes to the next participant
    BALLOT = "ballot"  # one participant is choosing in private
    REVEALED = "revealed"  # the votes (or the network's answer) are shown
    RECORDED = "recorded"  # the group's consensus is stored


class Action(StrEnum):
    NEXT = "next"  # the next agenda item
    PREVIOUS = "previous"  # the previous agenda item
    BACK = "back"  # back to the item's question (voting pauses)
    VOTE = "vote"  # open voting, or the next participant's ballot
    CAST = "cast"  # store the open ballot
    CANCEL = "cancel"  # close the open ballot without storing it
    REVEAL = "reveal"  # show the votes (voting on the item closes)
    RECORD = "record"  # store the agreed value and note
    NOTE = "note"  # a free note on the item
    LEAVE = "leave"  # end the presentation


_MOVES = {Action.NEXT: Phase.QUESTION, Action.PREVIOUS: Phase.QUESTION,
          Action.NOTE: None, Action.LEAVE: None}  # None: the phase stays
TRANSITIONS: Mapping[Phase, Mapping[Action, Phase | None]] = {
    Phase.QUESTION: {Action.VOTE: Phase.BALLOT, Action.REVEAL: Phase.REVEALED, **_MOVES},
    Phase.PASSING: {Action.VOTE: Phase.BALLOT, Action.REVEAL: Phase.REVEALED,
                    Action.BACK: Phase.QUESTION, **_MOVES},
    Phase.BALLOT: {Action.CAST: Phase.PASSING, Action.CANCEL: Phase.QUESTION,
                   Action.LEAVE: None},
    Phase.REVEALED: {Action.RECORD: Phase.RECORDED, Action.BACK: Phase.QUESTION, **_MOVES},
    Phase.RECORDED: {Action.RECORD: Phase.RECORDED, Action.BACK: Phase.QUESTION, **_MOVES},
}
# a named session asks the participant's name before the first ballot opens
NAMED_TRANSITIONS: Mapping[tuple[Phase, Action], Phase] = {
    (Phase.QUESTION, Action.VOTE): Phase.PASSING,
}

_DOING = {Action.NEXT: "Moving to the next item", Action.PREVIOUS: "Going back an item",
          Action.BACK: "Going back to the question", Action.VOTE: "Voting",
          Action.CAST: "Casting a vote", Action.CANCEL: "Cancelling a vote",
          Action.REVEAL: "Revealing", Action.RECORD: "Recording the consensus",
          Action.NOTE: "Taking a note", Action.LEAVE: "Leaving"}
_WHILE = {Phase.QUESTION: "while the question is on screen",
          Phase.PASSING: "between two participants' votes",
          Phase.BALLOT: "while a participant is voting",
          Phase.REVEALED: "once the votes are revealed",
          Phase.RECORDED: "once the consensus is recorded"}


class WorkshopRun:
    """The live state of one session being presented; every move goes through it."""

    def __init__(self, project: Project, session_id: int) -> None:
        self.workshop = project.workshop
        self.session_id = session_id
        self.items: list[ItemInfo] = self.workshop.items(session_id)
        if not self.items:
            raise IllegalTransition("This workshop session has no agenda items.")
        self.named = not self.workshop.session(session_id).anonymous
        self.index = 0
        self.phase = Phase.QUESTION
        self.participant: str | None = None  # who the open ballot belongs to (as stored)
        self.voter = ""  # how the open ballot's participant is addressed on screen
        self._revealed: set[int] = set()  # items whose votes were shown: voting has closed

    @property
    def item(self) -> ItemInfo:
        return self.items[self.index]

    @property
    def is_question(self) -> bool:
        return self.item.kind == "question"

    def ballots(self) -> int:
        """Votes or predictions cast on the current item."""
        return self.workshop.ballot_count(self.item.id)

    def voting_closed(self) -> bool:
        return self.item.id in self._revealed

    # -- what may happen -----------------------------------------------------------------

    def refusal(self, action: Action) -> str | None:
        """Why ``action`` cannot happen now (None: it can)."""
        if action not in TRANSITIONS[self.phase]:
            return f"{_DOING[action]} is not possible {_WHILE[self.phase]}."
        if action == Action.NEXT and self.index >= len(self.items) - 1:
            return "This is the last agenda item."
        if action == Action.PREVIOUS and self.index == 0:
            return "This is the first agenda item."
        if action == Action.VOTE and self.voting_closed():
            return "Voting on this item closed when its votes were revealed."
        if action == Action.REVEAL and self.ballots() == 0:
            return "Nobody has voted on this item yet."
        return None

    def can(self, action: Action) -> bool:
        return self.refusal(action) is None

    def allowed(self) -> frozenset[Action]:
        """Every action possible in the current phase, on the current item."""
        return frozenset(a for a in TRANSITIONS[self.phase] if self.can(a))

    def target(self, action: Action) -> Phase:
        """The phase ``action`` leads to (the current one for notes and leaving)."""
        if self.named:
            named = NAMED_TRANSITIONS.get((self.phase, action))
            if named is not None:
                return named
        return TRANSITIONS[self.phase].get(action) or self.phase

    def _require(self, action: Action) -> None:
        reason = self.refusal(action)
        if reason is not None:
            raise IllegalTransition(reason)

    def _move(self, action: Action) -> Phase:
        self._require(action)
        self.phase = self.target(action)
        return self.phase

    # -- moves -----------------------------------------------------------------------------

    def go(self, index: int) -> None:
        """Show agenda item ``index`` (0-based) from its question, whatever the phase."""
        if not 0 <= index < len(self.items):
            raise IllegalTransition(f"There is no agenda item {index + 1}.")
        if self.phase == Phase.BALLOT:
            raise IllegalTransition(f"Changing items is not possible {_WHILE[self.phase]}.")
        self.index = index
        self._close_ballot()
        self.phase = Phase.QUESTION

    def next(self) -> None:
        self._require(Action.NEXT)
        self.go(self.index + 1)

    def previous(self) -> None:
        self._require(Action.PREVIOUS)
        self.go(self.index - 1)

    def back(self) -> None:
        self._move(Action.BACK)

    def vote(self, name: str | None = None) -> Phase:
        """Open the next ballot: for ``name`` in a named session, else the next anonymous label.

        In a named session without a name this only opens voting (the name is asked next).
        """
        self._require(Action.VOTE)
        if self.named:
            if name is None:
                if self.phase == Phase.QUESTION:
                    return self._move(Action.VOTE)
                raise InvalidVote("Type your name first, then press Enter.")
            participant = self.workshop.check_participant(self.item.id, name)
            voter = participant
        else:
            participant = self.workshop.anonymous_participant(self.item.id)
            voter = f"Participant {participant.removeprefix('P')}"
        self.phase = Phase.BALLOT
        self.participant, self.voter = participant, voter
        return self.phase

    def cast(self, value: Any) -> int:
        """Store the open ballot's vote (a question) or picks (a prediction item)."""
        self._require(Action.CAST)
        participant = self.participant or ""  # a ballot is only open with its participant
        if self.is_question:
            ballot = self.workshop.cast_vote(self.item.id, participant, value)
        else:
            ballot = self.workshop.cast_prediction(self.item.id, participant, value)
        self._close_ballot()
        self._move(Action.CAST)
        return ballot

    def cancel(self) -> None:
        self._move(Action.CANCEL)
        self._close_ballot()

    def reveal(self) -> None:
        self._move(Action.REVEAL)
        self._revealed.add(self.item.id)

    def record(self, value: Any, note: str = "") -> None:
        """Store the group's consensus (the service refuses an empty or foreign value)."""
        self._require(Action.RECORD)
        self.workshop.record_consensus(self.item.id, value, note)
        self._move(Action.RECORD)

    def add_note(self, text: str) -> bool:
        """Store a free note on the current item; blank text is ignored (False)."""
        self._require(Action.NOTE)
        if not text.strip():
            return False
        self.workshop.add_note(self.session_id, text.strip(), self.item.id)
        return True

    def leave(self) -> None:
        self._move(Action.LEAVE)
        self._close_ballot()

    def _close_ballot(self) -> None:
        self.participant, self.voter = None, ""
