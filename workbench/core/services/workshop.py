"""Workshop sessions: agenda, votes and predictions (each committed as cast), consensus, notes.

Every vote is its own committed edit, so a crash or power cut keeps every vote cast before it.
The ballot rules (:mod:`workbench.core.workshop.rules`) are applied here, before anything is
stored: one ballot per participant and item, a vote's value among the question's levels or
choices, a prediction's picks among the candidates, a consensus with an agreed value.
Recording a consensus also writes it as the answer of the respondent coded ``CONSENSUS`` in
the round the session runs on, so scoring and the maturity ladder see the agreed values.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.schema import Question, Template
from workbench.core.services.assessments import CONSENSUS_CODE
from workbench.core.services.base import Service
from workbench.core.store.schema import (
    AnswerRow,
    RespondentRow,
    RoundRow,
    TemplateRow,
    WorkshopConsensusRow,
    WorkshopItemRow,
    WorkshopNoteRow,
    WorkshopPredictionRow,
    WorkshopSessionRow,
    WorkshopTimingRow,
    WorkshopVoteRow,
)
from workbench.core.workshop.agenda import PREDICTION_KINDS, AgendaItem
from workbench.core.workshop.rules import (
    DuplicateVote,
    InvalidVote,
    anonymous_label,
    check_new_participant,
    consensus_value,
    prediction_picks,
    vote_value,
)

_SES = WorkshopSessionRow.__table__
_ITEM = WorkshopItemRow.__table__
_VOTE = WorkshopVoteRow.__table__
_PRED = WorkshopPredictionRow.__table__
_CONS = WorkshopConsensusRow.__table__
_NOTE = WorkshopNoteRow.__table__
_TIME = WorkshopTimingRow.__table__
_RSP = RespondentRow.__table__
_ANS = AnswerRow.__table__
_RND = RoundRow.__table__
_TPL = TemplateRow.__table__


@functools.lru_cache(maxsize=8)
def _parse_template(source: str) -> Template:
    return Template.model_validate_json(source)


@dataclass(frozen=True)
class SessionInfo:
    id: int
    name: str
    round_id: int | None
    anonymous: bool
    created: dt.datetime
    items: int


@dataclass(frozen=True)
class ItemInfo:
    id: int
    session_id: int
    position: int
    kind: str
    ref: str
    section: str
    title: str
    minutes: float


@dataclass(frozen=True)
class Ballot:
    """A vote or a prediction: ``participant`` is a sequence label unless names were given."""

    id: int
    item_id: int
    participant: str
    value: Any
    cast: dt.datetime


@dataclass(frozen=True)
class Consensus:
    item_id: int
    value: Any
    note: str
    recorded: dt.datetime


@dataclass(frozen=True)
class SessionNote:
    id: int
    item_id: int | None
    text: str
    created: dt.datetime


class WorkshopService(Service):
    # -- sessions and agenda ---------------------------------------------------------------

    def create_session(self, name: str, agenda: Sequence[AgendaItem], round_id: int | None = None,
                       anonymous: bool = True) -> int:
        """A new session with its agenda, as one undoable edit."""
        if not agenda:
            raise WorkbenchError("A workshop needs at least one agenda item.")
        with self.project.edit(f"Create workshop {name}") as w:
            session_id = w.insert("workshop_session", {
                "name": name, "round_id": round_id, "anonymous": anonymous,
                "created": dt.datetime.now()})
            for position, item in enumerate(agenda):
                w.insert("workshop_item", {
                    "session_id": session_id, "position": position, "kind": item.kind,
                    "ref": item.ref, "section": item.section, "title": item.title,
                    "minutes": item.minutes})
        return session_id

    def sessions(self) -> list[SessionInfo]:
        counts = (select(_ITEM.c.session_id, func.count().label("n"))
                  .group_by(_ITEM.c.session_id).subquery())
        query = (select(_SES, func.coalesce(counts.c.n, 0).label("n"))
                 .outerjoin(counts, counts.c.session_id == _SES.c.id).order_by(_SES.c.id))
        with self.project.read() as conn:
            rows = conn.execute(query).mappings().all()
        return [SessionInfo(r["id"], r["name"], r["round_id"], bool(r["anonymous"]),
                            r["created"], r["n"]) for r in rows]

    def session(self, session_id: int) -> SessionInfo:
        for info in self.sessions():
            if info.id == session_id:
                return info
        raise WorkbenchError(f"Workshop session {session_id} does not exist.")

    def items(self, session_id: int) -> list[ItemInfo]:
        with self.project.read() as conn:
            rows = conn.execute(select(_ITEM).where(_ITEM.c.session_id == session_id)
                                .order_by(_ITEM.c.position)).mappings().all()
        return [ItemInfo(r["id"], r["session_id"], r["position"], r["kind"], r["ref"] or "",
                         r["section"] or "", r["title"] or "", r["minutes"]) for r in rows]

    def template(self, session_id: int) -> Template | None:
        """The questionnaire of the round the session runs on (None without a round)."""
        query = (select(_SES.c.id, _TPL.c.source).select_from(_SES)
                 .outerjoin(_RND, _RND.c.id == _SES.c.round_id)
                 .outerjoin(_TPL, _TPL.c.id == _RND.c.template_id)
                 .where(_SES.c.id == session_id))
        with self.project.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise WorkbenchError(f"Workshop session {session_id} does not exist.")
        return None if row.source is None else _parse_template(row.source)

    def question(self, item_id: int) -> Question | None:
        """The questionnaire question an item votes on (None: a prediction, or no round)."""
        item = self.item(item_id)
        template = self.template(item.session_id) if item.kind == "question" else None
        if template is None:
            return None
        try:
            return template.question(item.ref)
        except KeyError:
            return None

    # -- votes and predictions: one committed edit each -------------------------------------

    def cast_vote(self, item_id: int, participant: str, value: Any) -> int:
        """Store one participant's vote on a question item.

        Refused (:class:`~workbench.core.workshop.rules.InvalidVote`) for a value outside the
        question's levels or choices, and (:class:`~workbench.core.workshop.rules.DuplicateVote`)
        when this participant already voted on the item.
        """
        item = self.item(item_id)
        if item.kind != "question":
            raise InvalidVote("This item takes predictions, not votes.")
        value = vote_value(self.question(item_id), value)
        return self._cast(_VOTE, "Vote", item_id, participant, value)

    def cast_prediction(self, item_id: int, participant: str, picks: Sequence[str]) -> int:
        """Store one participant's picks (1 to PICKS_PER_PARTICIPANT candidates) on an item."""
        item = self.item(item_id)
        if item.kind not in PREDICTION_KINDS:
            raise InvalidVote("This item takes votes, not predictions.")
        from workbench.core.workshop.reveal import prediction_candidates  # loads scipy

        candidates = {key for key, _ in prediction_candidates(self.project, item.kind)}
        return self._cast(_PRED, "Prediction", item_id, participant,
                          prediction_picks(picks, candidates))

    def _cast(self, table: Table, label: str, item_id: int, participant: str, value: Any) -> int:
        try:
            with self.project.edit(label) as w:
                taken = w.conn.execute(select(table.c.participant).where(
                    table.c.item_id == item_id)).scalars().all()
                name = check_new_participant(participant, taken)
                return w.insert(table.name, {"item_id": item_id, "participant": name,
                                             "value": value, "cast": dt.datetime.now()})
        except IntegrityError as exc:  # the schema's own guard against a second ballot
            if "UNIQUE" not in str(exc.orig).upper():
                raise
            raise DuplicateVote("That name has already voted on this item: type yours.") from None

    def participants(self, item_id: int) -> list[str]:
        """Who has cast a ballot (vote or prediction) on an item, in order."""
        with self.project.read() as conn:
            return [name for table in (_VOTE, _PRED) for name in conn.execute(
                select(table.c.participant).where(table.c.item_id == item_id)
                .order_by(table.c.id)).scalars()]

    def check_participant(self, item_id: int, participant: str) -> str:
        """``participant`` as it will be stored, if they may still vote on the item.

        Raises :class:`~workbench.core.workshop.rules.DuplicateVote` when the name (case and
        spacing ignored) already voted, :class:`~workbench.core.workshop.rules.InvalidVote`
        when it is blank.
        """
        return check_new_participant(participant, self.participants(item_id))

    def anonymous_participant(self, item_id: int) -> str:
        """The next free sequence label ("P1", "P2"...) for an anonymous ballot on an item."""
        return anonymous_label(self.participants(item_id))

    def votes(self, item_id: int) -> list[Ballot]:
        return self._ballots(_VOTE, item_id)

    def predictions(self, item_id: int) -> list[Ballot]:
        return self._ballots(_PRED, item_id)

    def ballot_count(self, item_id: int) -> int:
        """Votes plus predictions cast on an item (the only figure shown while voting)."""
        with self.project.read() as conn:
            return sum(conn.execute(select(func.count()).where(t.c.item_id == item_id)).scalar()
                       or 0 for t in (_VOTE, _PRED))

    def _ballots(self, table, item_id: int) -> list[Ballot]:
        with self.project.read() as conn:
            rows = conn.execute(select(table).where(table.c.item_id == item_id)
                                .order_by(table.c.id)).mappings().all()
        return [Ballot(r["id"], r["item_id"], r["participant"], r["value"], r["cast"])
                for r in rows]

    # -- consensus, notes, timings -----------------------------------------------------------

    def record_consensus(self, item_id: int, value: Any, note: str = "") -> None:
        """Keep the agreed value and note; a question's value also answers the round.

        A question needs an agreed value it would accept as a vote; a prediction item needs a
        note (and no value). Otherwise :class:`~workbench.core.workshop.rules.InvalidConsensus`.
        """
        item = self.item(item_id)
        note = (note or "").strip()
        value = consensus_value(item.kind == "question", self.question(item_id), value, note)
        round_id = self.session(item.session_id).round_id
        with self.project.edit("Record consensus") as w:
            existing = w.conn.execute(select(_CONS.c.id).where(
                _CONS.c.item_id == item_id)).scalar()
            values = {"value": value, "note": note, "recorded": dt.datetime.now()}
            if existing is None:
                w.insert("workshop_consensus", {"item_id": item_id, **values})
            else:
                w.update("workshop_consensus", existing, values)
            if item.kind == "question" and round_id is not None and value is not None:
                self._answer_round(w, round_id, item.ref, value)

    @staticmethod
    def _answer_round(w, round_id: int, question_id: str, value: Any) -> None:
        respondent = w.conn.execute(select(_RSP.c.id).where(
            _RSP.c.round_id == round_id, _RSP.c.code == CONSENSUS_CODE)).scalar()
        if respondent is None:
            respondent = w.insert("respondent", {
                "round_id": round_id, "code": CONSENSUS_CODE, "name": "Workshop consensus",
                "role": "", "department": "", "anonymous": False, "position": ""})
        answer = w.conn.execute(select(_ANS.c.id).where(
            _ANS.c.respondent_id == respondent, _ANS.c.question_id == question_id)).scalar()
        if answer is None:
            w.insert("answer", {"respondent_id": respondent, "question_id": question_id,
                                "value": value})
        else:
            w.update("answer", answer, {"value": value})

    def consensus(self, session_id: int) -> dict[int, Consensus]:
        """Item id -> the recorded consensus, for the items that have one."""
        query = (select(_CONS).join(_ITEM, _ITEM.c.id == _CONS.c.item_id)
                 .where(_ITEM.c.session_id == session_id))
        with self.project.read() as conn:
            rows = conn.execute(query).mappings().all()
        return {r["item_id"]: Consensus(r["item_id"], r["value"], r["note"] or "",
                                        r["recorded"]) for r in rows}

    def add_note(self, session_id: int, text: str, item_id: int | None = None) -> int:
        with self.project.edit("Workshop note") as w:
            return w.insert("workshop_note", {"session_id": session_id, "item_id": item_id,
                                              "text": text, "created": dt.datetime.now()})

    def notes(self, session_id: int) -> list[SessionNote]:
        with self.project.read() as conn:
            rows = conn.execute(select(_NOTE).where(_NOTE.c.session_id == session_id)
                                .order_by(_NOTE.c.id)).mappings().all()
        return [SessionNote(r["id"], r["item_id"], r["text"] or "", r["created"]) for r in rows]

    def log_time(self, item_id: int, started: dt.datetime, seconds: float) -> int:
        """Record one visit of an agenda item (when it started and how long it lasted)."""
        with self.project.edit("Workshop timing") as w:
            return w.insert("workshop_timing", {"item_id": item_id, "started": started,
                                                "seconds": float(seconds)})

    def time_spent(self, session_id: int) -> dict[int, float]:
        """Item id -> seconds spent on it over all visits."""
        query = (select(_TIME.c.item_id, func.sum(_TIME.c.seconds))
                 .join(_ITEM, _ITEM.c.id == _TIME.c.item_id)
                 .where(_ITEM.c.session_id == session_id).group_by(_TIME.c.item_id))
        with self.project.read() as conn:
            return {item: float(total) for item, total in conn.execute(query)}

    def item(self, item_id: int) -> ItemInfo:
        """One agenda item; :class:`WorkbenchError` when there is none with this id."""
        with self.project.read() as conn:
            session_id = conn.execute(select(_ITEM.c.session_id).where(
                _ITEM.c.id == item_id)).scalar()
        if session_id is None:
            raise WorkbenchError(f"Workshop agenda item {item_id} does not exist.")
        return next(i for i in self.items(session_id) if i.id == item_id)
