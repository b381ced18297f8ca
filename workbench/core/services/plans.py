"""Plans and their actions (owner, dates, status, measure, evidence)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from workbench.core.errors import WorkbenchError
from workbench.core.plan.builder import STATUSES
from workbench.core.services.base import Service
from workbench.core.store.history import Writer
from workbench.core.store.schema import ActionRow, PlanRow

_P = PlanRow.__table__
_A = ActionRow.__table__


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    target_step: int
    start_date: dt.date | None


@dataclass(frozen=True)
class Action:
    """A stored plan action; ``depends_on`` holds the uids it waits for, joined by ", "."""

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
    values: dict[str, Any] = {k: (row[k] if row[k] is not None or k in ("step", "start", "due")
                                  else "") for k in _ACTION_FIELDS}
    return Action(**values)


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
        """Append ``actions`` to a plan as one undoable edit."""
        with self.project.edit(label) as w:
            self._insert_actions(w, plan_id, actions)

    def create_plan(self, name: str, target_step: int, start_date: dt.date | None,
                    actions: list[Action], label: str | None = None) -> int:
        """A new plan with its first actions, as one undoable edit; returns the plan id."""
        with self.project.edit(label or f"Create plan {name}") as w:
            plan_id = w.insert("plan", {"name": name, "target_step": target_step,
                                        "start_date": start_date})
            self._insert_actions(w, plan_id, actions)
        return plan_id

    def _insert_actions(self, w: Writer, plan_id: int, actions: list[Action]) -> None:
        position = w.conn.execute(select(func.count()).select_from(_A)
                                  .where(_A.c.plan_id == plan_id)).scalar_one()
        taken = set(w.conn.execute(select(_A.c.uid)).scalars())
        for offset, action in enumerate(actions):
            self._validate(action)
            if action.uid in taken:
                raise WorkbenchError(f"Action {action.uid} is already in a plan.")
            taken.add(action.uid)
            w.insert("plan_action", {**dataclasses.asdict(action), "plan_id": plan_id,
                                     "position": position + offset})

    def update_action(self, uid: str, label: str | None = None, **values: Any) -> None:
        """Change fields of one action as one undoable edit."""
        self.update_actions({uid: values}, label or f"Edit action {uid}")

    def update_actions(self, updates: Mapping[str, Mapping[str, Any]], label: str) -> None:
        """Change several actions (uid -> field -> value) as one undoable edit.

        Everything is checked first: an unknown field, status or action, or a due date before
        the start date, raises :class:`WorkbenchError` and nothing changes.
        """
        for uid, values in updates.items():
            unknown = set(values) - set(_ACTION_FIELDS) | ({"uid"} & set(values))
            if unknown:
                raise WorkbenchError(f"Action {uid}: fields that cannot be changed: "
                                     + ", ".join(sorted(unknown)))
        with self.project.edit(label) as w:
            for uid, values in updates.items():
                pk = self._pk(w.conn, uid)
                current = _to_action(w.conn.execute(select(_A).where(_A.c.id == pk))
                                     .mappings().one())
                self._validate(dataclasses.replace(current, **values))
                w.update("plan_action", pk, dict(values))

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
