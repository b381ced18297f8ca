"""Free notes of the engagement (workshop remarks, decisions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from workbench.core.services.base import Service
from workbench.core.store.schema import NoteRow

_T = NoteRow.__table__


@dataclass(frozen=True)
class Note:
    id: int
    topic: str
    text: str
    created: dt.datetime


class NoteService(Service):
    def list(self) -> list[Note]:
        with self.project.read() as conn:
            rows = conn.execute(select(_T).order_by(_T.c.created, _T.c.id)).mappings().all()
        return [Note(r["id"], r["topic"] or "", r["text"] or "", r["created"]) for r in rows]

    def add(self, topic: str, text: str) -> int:
        with self.project.edit("Add note") as w:
            return w.insert("note", {"topic": topic, "text": text, "created": dt.datetime.now()})

    def update(self, note_id: int, *, topic: str | None = None, text: str | None = None) -> None:
        values = {k: v for k, v in (("topic", topic), ("text", text)) if v is not None}
        with self.project.edit("Edit note") as w:
            w.update("note", note_id, values)

    def delete(self, note_id: int) -> None:
        with self.project.edit("Delete note") as w:
            w.delete("note", note_id)
