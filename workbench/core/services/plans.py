"""Plans and their actions (owner, dates, status, measure, evidence)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from workbench.core.errors import WorkbenchError
from workbench.core.services.base import Service
from workbench.core.store.schema import ActionRow, PlanRow

_P = PlanRow.__table__
_A = ActionRow.__table__
STATUSES = ("Not started", "In progress", "Done", "Blocked", "Dropped")


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    target_step: int
    start_date: dt.date | None


@dataclass(frozen=True)
class Action:
    uid: str
    title: str
    step: int | None = None
    foundation: str = ""
    owner: str = ""
    start: dt.date | None = None
    due: dt.date | None = None
    status: str = "Not started"
    measure: str = ""
    evidence: str = ""
    depends_on: str = ""
    notes: str = ""
    source: str = "custom"


_ACTION_FIELDS = tuple(f.name for f in dataclasses.fields(Action))


def _to_action(row) -> Action:
    return Action(**{k: (row[k] if row[k] is not None or k in ("step", "start", "due") else "")
                     for k in _ACTION_FIELDS})


class PlanService(Service):
    def plans(self) -> list[PlanInfo]:
        with self.project.read() as conn:
            rows = conn.execute(select(_P).order_by(_P.c.id)).mappings().all()
        return [PlanInfo(r["id"], r["name"], r["target_step"] or 1, r["start_date"]) for r in rows]

    def add_plan(self, name: str, target_step: int, start_date: dt.date | None) -> int:
        with self.project.edit(f"Create plan {name}") as w:
            return w.insert("plan", {"name": name, "target_step": target_step,
                                     "start_date": start_date})

    def actions(self, plan_id: int) -> list[Action]:
        with self.project.read() as conn:
            rows = conn.execute(select(_A).where(_A.c.plan_id == plan_id)
                                .order_by(_A.c.position, _A.c.id)).mappings().all()
        return [_to_action(r) for r in rows]

    def next_uid(self) -> str:
        with self.project.read() as conn:
            n = conn.execute(select(func.count()).select_from(_A)).scalar_one()
            taken = set(conn.execute(select(_A.c.uid)).scalars())
        while f"A-{n + 1:04d}" in taken:
            n += 1
        return f"A-{n + 1:04d}"

    def add_actions(self, plan_id: int, actions: list[Action], label: str = "Add actions") -> None:
        with self.project.edit(label) as w:
            position = w.conn.execute(select(func.count()).select_from(_A)
                                      .where(_A.c.plan_id == plan_id)).scalar_one()
            for offset, action in enumerate(actions):
                self._validate(action)
                w.insert("plan_action", {**dataclasses.asdict(action), "plan_id": plan_id,
                                         "position": position + offset})

    def update_action(self, uid: str, label: str | None = None, **values) -> None:
        unknown = set(values) - set(_ACTION_FIELDS)
        if unknown:
            raise WorkbenchError(f"Unknown action fields: {', '.join(sorted(unknown))}")
        if "status" in values and values["status"] not in STATUSES:
            raise WorkbenchError(f"Unknown status {values['status']!r}; use one of "
                                 + ", ".join(STATUSES))
        with self.project.edit(label or f"Edit action {uid}") as w:
            w.update("plan_action", self._pk(w.conn, uid), values)

    def delete_action(self, uid: str) -> None:
        with self.project.edit(f"Delete action {uid}") as w:
            w.delete("plan_action", self._pk(w.conn, uid))

    @staticmethod
    def _pk(conn, uid: str) -> int:
        pk = conn.execute(select(_A.c.id).where(_A.c.uid == uid)).scalar()
        if pk is None:
            raise WorkbenchError(f"No action with id {uid!r}.")
        return pk

    @staticmethod
    def _validate(action: Action) -> None:
        if action.status not in STATUSES:
            raise WorkbenchError(f"Action {action.uid}: unknown status {action.status!r}.")
        if action.start and action.due and action.due < action.start:
            raise WorkbenchError(f"Action {action.uid}: the due date is before the start date.")
