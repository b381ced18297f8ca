"""Assessment rounds: a template version, respondents and their answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from workbench.core.errors import WorkbenchError
from workbench.core.services.base import Service
from workbench.core.store.schema import AnswerRow, RespondentRow, RoundRow, TemplateRow
from workbench.core.wording import count

_TPL = TemplateRow.__table__
_RND = RoundRow.__table__
_RSP = RespondentRow.__table__
_ANS = AnswerRow.__table__
CONSENSUS_CODE = "CONSENSUS"  # the respondent holding a workshop's agreed values


@dataclass(frozen=True)
class TemplateRef:
    id: int
    key: str
    version: int
    title: str


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    date: dt.date | None
    status: str
    template: TemplateRef
    respondent_count: int


@dataclass(frozen=True)
class Respondent:
    id: int
    round_id: int
    code: str
    name: str = ""
    role: str = ""
    department: str = ""
    anonymous: bool = False
    position: str = ""


class AssessmentService(Service):
    # -- templates -------------------------------------------------------------------------

    def store_template(self, key: str, version: int, title: str, source: str) -> int:
        """Keep a snapshot of a template version (idempotent per key and version)."""
        with self.project.read() as conn:
            pk = conn.execute(select(_TPL.c.id).where(
                _TPL.c.template_key == key, _TPL.c.version == version)).scalar()
        if pk is not None:
            return pk
        with self.project.edit(f"Add template {title}") as w:
            return w.insert("template", {"template_key": key, "version": version,
                                         "title": title, "source": source})

    def template_source(self, template_id: int) -> str:
        with self.project.read() as conn:
            return conn.execute(select(_TPL.c.source).where(_TPL.c.id == template_id)).scalar_one()

    # -- rounds ---------------------------------------------------------------------------

    def rounds(self) -> list[RoundInfo]:
        counts = (select(_RSP.c.round_id, func.count().label("n"))
                  .group_by(_RSP.c.round_id).subquery())
        query = (select(_RND, _TPL.c.template_key, _TPL.c.version, _TPL.c.title,
                        func.coalesce(counts.c.n, 0).label("n"))
                 .join(_TPL, _TPL.c.id == _RND.c.template_id)
                 .outerjoin(counts, counts.c.round_id == _RND.c.id).order_by(_RND.c.id))
        with self.project.read() as conn:
            rows = conn.execute(query).mappings().all()
        return [RoundInfo(r["id"], r["name"], r["date"], r["status"] or "open",
                          TemplateRef(r["template_id"], r["template_key"], r["version"],
                                      r["title"] or ""), r["n"]) for r in rows]

    def add_round(self, template_id: int, name: str, date: dt.date | None = None) -> int:
        with self.project.edit(f"Start round {name}") as w:
            return w.insert("assessment_round", {"template_id": template_id, "name": name,
                                                 "date": date, "status": "open"})

    def round(self, round_id: int) -> RoundInfo:
        """One round; WorkbenchError when the project has no such round."""
        for info in self.rounds():
            if info.id == round_id:
                return info
        raise WorkbenchError(f"There is no assessment round number {round_id}.")

    def set_round_status(self, round_id: int, status: str) -> None:
        with self.project.edit(f"Mark round {status}") as w:
            w.update("assessment_round", round_id, {"status": status})

    # -- respondents and answers ---------------------------------------------------------

    def respondents(self, round_id: int) -> list[Respondent]:
        with self.project.read() as conn:
            rows = conn.execute(select(_RSP).where(_RSP.c.round_id == round_id)
                                .order_by(_RSP.c.id)).mappings().all()
        return [Respondent(r["id"], r["round_id"], r["code"], r["name"] or "", r["role"] or "",
                           r["department"] or "", bool(r["anonymous"]), r["position"] or "")
                for r in rows]

    def add_respondent(self, round_id: int, code: str, *, name: str = "", role: str = "",
                       department: str = "", anonymous: bool = False) -> int:
        if any(r.code == code for r in self.respondents(round_id)):
            raise WorkbenchError(f"Respondent {code!r} is already part of this round.")
        with self.project.edit(f"Add respondent {code}") as w:
            return w.insert("respondent", {
                "round_id": round_id, "code": code, "name": name, "role": role,
                "department": department, "anonymous": anonymous, "position": ""})

    def add_respondents(self, round_id: int, people: Sequence[Mapping[str, Any]],
                        label: str | None = None) -> list[int]:
        """Add several respondents (dicts of ``add_respondent``'s arguments) as one edit."""
        codes = [str(p["code"]) for p in people]
        taken = {r.code for r in self.respondents(round_id)}
        clash = sorted(taken.intersection(codes) | {c for c in codes if codes.count(c) > 1})
        if clash:
            raise WorkbenchError(f"Respondent {clash[0]!r} is already part of this round.")
        with self.project.edit(label or f"Add {count(len(people), 'respondent')}"):
            return [self.add_respondent(round_id, **dict(p)) for p in people]

    def respondent(self, respondent_id: int) -> Respondent:
        """One respondent; WorkbenchError when there is none with this id."""
        with self.project.read() as conn:
            round_id = conn.execute(select(_RSP.c.round_id).where(
                _RSP.c.id == respondent_id)).scalar()
        found = ([] if round_id is None else
                 [r for r in self.respondents(round_id) if r.id == respondent_id])
        if not found:
            raise WorkbenchError(f"There is no respondent number {respondent_id}.")
        return found[0]

    def set_answers(self, respondent_id: int, answers: dict[str, Any],
                    position: str | None = None, label: str = "Answer") -> None:
        """Save several answers (and where the respondent stopped) as one undoable edit."""
        self.set_many_answers({respondent_id: answers}, label,
                              None if position is None else {respondent_id: position})

    def set_many_answers(self, answers: dict[int, dict[str, Any]], label: str,
                         positions: dict[int, str] | None = None) -> None:
        """Save answers of several respondents (respondent id -> answers) as one edit.

        A value of None removes that answer. Respondents not named are not touched.
        """
        with self.project.edit(label) as w:
            for respondent_id, given in answers.items():
                existing = dict(w.conn.execute(
                    select(_ANS.c.question_id, _ANS.c.id).where(
                        _ANS.c.respondent_id == respondent_id)).all())
                for question_id, value in given.items():
                    pk = existing.get(question_id)
                    if value is None:
                        if pk is not None:
                            w.delete("answer", pk)
                    elif pk is None:
                        w.insert("answer", {"respondent_id": respondent_id,
                                            "question_id": question_id, "value": value})
                    else:
                        w.update("answer", pk, {"value": value})
            for respondent_id, position in (positions or {}).items():
                w.update("respondent", respondent_id, {"position": position})

    def respondent_answers(self, respondent_id: int) -> dict[str, Any]:
        """question id -> value of one respondent."""
        with self.project.read() as conn:
            return dict(conn.execute(select(_ANS.c.question_id, _ANS.c.value).where(
                _ANS.c.respondent_id == respondent_id)).all())

    def answers(self, round_id: int, *, include_consensus: bool = False
                ) -> dict[str, dict[str, Any]]:
        """respondent code -> question id -> value, for scoring.

        The workshop's agreed values (respondent ``CONSENSUS``) are a group view, not one more
        leader, so they are left out unless asked for; see :meth:`consensus`.
        """
        query = (select(_RSP.c.code, _ANS.c.question_id, _ANS.c.value)
                 .join(_ANS, _ANS.c.respondent_id == _RSP.c.id)
                 .where(_RSP.c.round_id == round_id))
        result: dict[str, dict[str, Any]] = {r.code: {} for r in self.respondents(round_id)}
        with self.project.read() as conn:
            for code, question_id, value in conn.execute(query):
                result.setdefault(code, {})[question_id] = value
        if not include_consensus:
            result.pop(CONSENSUS_CODE, None)
        return result

    def consensus(self, round_id: int) -> dict[str, Any]:
        """The values a workshop agreed on for this round (question id -> value)."""
        return self.answers(round_id, include_consensus=True).get(CONSENSUS_CODE, {})
