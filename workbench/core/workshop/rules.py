"""The rules of a workshop ballot: who may vote, which values count, what a consensus needs.

:class:`~workbench.core.services.workshop.WorkshopService` applies them before it stores
anything, so the presenter, the command line and scripts all obey the same rules.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.schema import Question
from workbench.core.workshop.agenda import PICKS_PER_PARTICIPANT, choices


class WorkshopError(WorkbenchError):
    """A workshop step refused; the message is short enough for the projector."""


class IllegalTransition(WorkshopError):
    """An action the live session does not allow in its current phase."""


class InvalidVote(WorkshopError):
    """A vote or prediction whose value the item does not accept."""


class DuplicateVote(WorkshopError):
    """A second ballot by the same participant on the same item."""


class InvalidConsensus(WorkshopError):
    """A consensus without an agreed value (or note) the item accepts."""


def participant_key(name: str) -> str:
    """What makes two participants the same person: the name, trimmed, case ignored."""
    return " ".join(name.split()).casefold()


def clean_participant(name: str) -> str:
    """The participant's name as stored (inner runs of spaces collapsed); refuses a blank."""
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise InvalidVote("Type your name first, then press Enter.")
    return cleaned


def check_new_participant(name: str, taken: Iterable[str]) -> str:
    """``name`` cleaned, or :class:`DuplicateVote` when it already voted (never repeating it)."""
    cleaned = clean_participant(name)
    if participant_key(cleaned) in {participant_key(t) for t in taken}:
        raise DuplicateVote("That name has already voted on this item: type yours.")
    return cleaned


def anonymous_label(taken: Collection[str]) -> str:
    """The next free sequence label ("P1", "P2"...) of an anonymous session."""
    keys = {participant_key(t) for t in taken}
    number = len(taken) + 1
    while participant_key(f"P{number}") in keys:
        number += 1
    return f"P{number}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def vote_value(question: Question | None, value: Any) -> Any:
    """``value`` as stored for a vote on ``question``; :class:`InvalidVote` when not allowed.

    With the question known the value must be one of its levels or choices (a number equal to
    a level is stored as that level). Without it (a session on no round) any non-blank number
    or text is kept.
    """
    if _blank(value):
        raise InvalidVote("Choose a value first.")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidVote(f"{value!r} is not a value one can vote for.")
    if question is None:
        return value.strip() if isinstance(value, str) else value
    allowed = [level for level, _ in choices(question)]
    for level in allowed:
        same_kind = isinstance(level, str) == isinstance(value, str)
        if same_kind and level == value:
            return level
    shown = ", ".join(map(str, allowed))
    raise InvalidVote(f"{value} is not on this question's scale; choose one of {shown}.")


def prediction_picks(picks: Sequence[str], candidates: Collection[str] | None) -> list[str]:
    """The picks of one prediction, in order, without repeats; refused when too few or many.

    ``candidates`` are the keys one may name (None: not checked).
    """
    if isinstance(picks, str):
        raise InvalidVote("A prediction is a list of picks.")
    chosen = list(dict.fromkeys(str(p) for p in picks if not _blank(p)))
    if not 1 <= len(chosen) <= PICKS_PER_PARTICIPANT:
        raise InvalidVote(f"Tick between 1 and {PICKS_PER_PARTICIPANT}, then press Enter.")
    if candidates is not None:
        unknown = [p for p in chosen if p not in candidates]
        if unknown:
            raise InvalidVote(f"{', '.join(unknown)}: not among the names one can pick.")
    return chosen


def consensus_value(question_item: bool, question: Question | None, value: Any,
                    note: str) -> Any:
    """The agreed value as stored; :class:`InvalidConsensus` when there is nothing to record.

    A question needs an agreed value it accepts as a vote; a prediction item records the
    discussion note only, so it needs a note and no value.
    """
    if not question_item:
        if not _blank(value):
            raise InvalidConsensus("A prediction item records a note, not a value.")
        if not note.strip():
            raise InvalidConsensus("Write a note on what the group concluded first.")
        return None
    if _blank(value):
        keys = ""
        if question is not None:
            levels = [level for level, _ in choices(question)]
            keys = (f" (press 1–{len(levels)})" if question.kind == "single_choice"
                    else f" (press {levels[0]}–{levels[-1]})")
        raise InvalidConsensus(f"Choose the agreed value first{keys}.")
    try:
        return vote_value(question, value)
    except InvalidVote as exc:
        raise InvalidConsensus(str(exc)) from None
