"""Workshop sessions: agenda, votes and predictions (each committed as cast), consensus, notes.

Every vote is its own committed edit, so a crash or power cut keeps every vote cast before it.
Recording a consensus also writes it as the answer of the respondent coded ``CONSENSUS`` in
the round the session runs on, so scoring and the maturity ladder see the agreed values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from workbench.core.errors import WorkbenchError
from workbench.core.questionnaire.schema import Template
from workbench.core.services.assessments import CONSENSUS_CODE
from workbench.core.services.base import Service
from workbench.core.store.schema import (
    AnswerRow,
    RespondentRow,
    WorkshopConsensusRow,
    WorkshopItemRow,
    WorkshopNoteRow,
    WorkshopPredictionRow,
    WorkshopSessionRow,
    WorkshopTimingRow,
    WorkshopVoteRow,
)
from workbench.core.workshop.agenda import AgendaItem

_SES = WorkshopSessionRow.__table__
_ITEM = WorkshopItemRow.__table__
_VOTE = WorkshopVoteRow.__table__
_PRED = WorkshopPredictionRow.__table__
_CONS = WorkshopConsensusRow.__table__
_NOTE = WorkshopNoteRow.__table__
_TIME = WorkshopTimingRow.__table__
_RSP = RespondentRow.__table__
_ANS = AnswerRow.__table__


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
        round_id = self.session(session_id).round_id
        if round_id is None:
            return None
        info = next(r for r in self.project.assessments.rounds() if r.id == round_id)
        return Template.model_validate_json(
            self.project.assessments.template_source(info.template.id))

    # -- votes and predictions: one committed edit each -------------------------------------

    def cast_vote(self, item_id: int, participant: str, value: Any) -> int:
        return self._cast("workshop_vote", "Vote", item_id, participant, value)

    def cast_prediction(self, item_id: int, participant: str, picks: Sequence[str]) -> int:
        return self._cast("workshop_prediction", "Prediction", item_id, participant, list(picks))

    def _cast(self, table: str, label: str, item_id: int, participant: str, value: Any) -> int:
        with self.project.edit(label) as w:
            return w.insert(table, {"item_id": item_id, "participant": participant,
                                    "value": value, "cast": dt.datetime.now()})

    def votes(self, item_id: int) -> list[Ballot]:
        return self._ballots(_VOTE, item_id)

    def predictions(self, item_id: int) -> list[Ballot]:
        return self._ballots(_PRED, item_id)

    def ballot_count(self, item_id: int) -> int:
        """Votes plus predictions cast on an item (the only figure shown while voting)."""
        with self.project.read() as conn:
            return sum(conn.execute(select(func.count()).where(t.c.item_id == item_id)).scalar()
                       for t in (_VOTE, _PRED))

    def _ballots(self, table, item_id: int) -> list[Ballot]:
        with self.project.read() as conn:
            rows = conn.execute(select(table).where(table.c.item_id == item_id)
                                .order_by(table.c.id)).mappings().all()
        return [Ballot(r["id"], r["item_id"], r["participant"], r["value"], r["cast"])
                for r in rows]

    # -- consensus, notes, timings -----------------------------------------------------------

    def record_consensus(self, item_id: int, value: Any, note: str = "") -> None:
        """Keep the agreed value and note; a question's value also answers the round."""
        item = self._item(item_id)
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

    def _item(self, item_id: int) -> ItemInfo:
        with self.project.read() as conn:
            session_id = conn.execute(select(_ITEM.c.session_id).where(
                _ITEM.c.id == item_id)).scalar()
        if session_id is None:
            raise WorkbenchError(f"Workshop agenda item {item_id} does not exist.")
        return next(i for i in self.items(session_id) if i.id == item_id)
