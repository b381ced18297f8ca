"""Plans, their actions (owner, dates, status, outcome measure) and their step gates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from workbench.core.errors import WorkbenchError
from workbench.core.plan.gates import (
    STARTED_STATUSES,
    STATUSES,
    DecisionRecord,
    GateDecision,
    gate_blocker,
    gate_refusal,
    superseding,
)
from workbench.core.services.base import Service
from workbench.core.store.history import Writer
from workbench.core.store.schema import ActionRow, PlanRow, StepGateRow

_P = PlanRow.__table__
_A = ActionRow.__table__
_G = StepGateRow.__table__


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    target_step: int
    start_date: dt.date | None


@dataclass(frozen=True)
class Action:
    """A stored plan action; ``depends_on`` holds the uids it waits for, joined by ", ".

    ``library_id`` is the library action it came from ("" for one the user wrote); ``source``
    the assessed item it serves ("template_id:question_id", "" when none); ``kind`` design,
    practice or structure ("" when not known); ``owner_role`` the role the library names and
    ``owner`` the person carrying it. ``baseline``/``target`` are numbers in ``unit`` (None:
    not known yet). ``flag`` says when the action ends after its step's window.
    """

    uid: str
    title: str
    step: int | None = None
    kind: str = ""
    library_id: str = ""
    source: str = ""
    owner_role: str = ""
    owner: str = ""
    start: dt.date | None = None
    due: dt.date | None = None
    status: str = "Not started"
    measure: str = ""
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    data_source: str = ""
    evidence: str = ""
    depends_on: str = ""
    notes: str = ""
    flag: str = ""


_ACTION_FIELDS = tuple(f.name for f in dataclasses.fields(Action))
_NULLABLE = ("step", "start", "due", "baseline", "target")


def _to_action(row) -> Action:
    values: dict[str, Any] = {k: (row[k] if row[k] is not None or k in _NULLABLE else "")
                              for k in _ACTION_FIELDS}
    return Action(**values)


def _to_gate(row) -> GateDecision:
    snapshot = row["snapshot"]
    return GateDecision(row["step"], row["decision"], row["decided_on"],
                        row["value_created"] or "", row["decided_by"] or "",
                        snapshot if isinstance(snapshot, dict) else {},
                        tuple(DecisionRecord.from_json(e) for e in row["history"] or ()))


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
            changed: dict[int, tuple[Action, Action]] = {}  # pk -> (before, after)
            plans: dict[int, int] = {}  # pk -> plan id
            for uid, values in updates.items():
                pk = self._pk(w.conn, uid)
                row = w.conn.execute(select(_A).where(_A.c.id == pk)).mappings().one()
                current = _to_action(row)
                after = dataclasses.replace(current, **values)
                self._validate(after)
                changed[pk], plans[pk] = (current, after), row["plan_id"]
            self._check_gates(w.conn, changed, plans)
            for uid, values in updates.items():
                w.update("plan_action", self._pk(w.conn, uid), dict(values))

    def _check_gates(self, conn, changed: Mapping[int, tuple[Action, Action]],
                     plans: Mapping[int, int]) -> None:
        """Refuse starting or finishing an action whose step still waits for a lower gate."""
        for plan_id in sorted(set(plans.values())):
            rows = conn.execute(select(_A.c.id, _A.c.step).where(_A.c.plan_id == plan_id))
            steps = {pk: step for pk, step in rows}
            steps.update({pk: after.step for pk, (_b, after) in changed.items()
                          if plans[pk] == plan_id})
            gates = self._gates(conn, plan_id)
            for pk, (before, after) in changed.items():
                if plans[pk] != plan_id or after.status not in STARTED_STATUSES \
                        or after.status == before.status and after.step == before.step:
                    continue
                reason = gate_blocker(after.step, steps.values(), gates)
                if reason is not None:
                    raise WorkbenchError(f"Action {after.uid}: {reason}")

    # -- gates -----------------------------------------------------------------------------

    def gates(self, plan_id: int) -> dict[int, GateDecision]:
        """The gate decisions of a plan, by step."""
        with self.project.read() as conn:
            return self._gates(conn, plan_id)

    @staticmethod
    def _gates(conn, plan_id: int) -> dict[int, GateDecision]:
        rows = conn.execute(select(_G).where(_G.c.plan_id == plan_id)
                            .order_by(_G.c.step)).mappings().all()
        return {r["step"]: _to_gate(r) for r in rows}

    def record_gate(self, plan_id: int, step: int, decision: str, decided_on: dt.date,
                    value_created: str = "", decided_by: str = "",
                    snapshot: Mapping[str, Any] | None = None,
                    label: str | None = None) -> GateDecision:
        """Record the gate decision of ``step`` as one undoable edit.

        A decision the step's gate already had moves into its history (see
        :func:`~workbench.core.plan.gates.superseding`). Refused: an unknown decision, nobody
        named as deciding, a step outside 1..5, and a step while a lower step of the plan that
        has actions has no ``continue`` decision yet.
        ``snapshot`` defaults to :func:`~workbench.core.plan.gates.gate_snapshot` now.
        """
        decided_by = (decided_by or "").strip()
        if not isinstance(decided_on, dt.date):
            raise WorkbenchError("The gate needs the date of the decision.")
        with self.project.read() as conn:
            if conn.execute(select(_P.c.id).where(_P.c.id == plan_id)).scalar() is None:
                raise WorkbenchError(f"There is no plan with id {plan_id}.")
            steps = list(conn.execute(select(_A.c.step).where(_A.c.plan_id == plan_id))
                         .scalars())
            reason = gate_refusal(step, decision, decided_by, steps, self._gates(conn, plan_id))
        if reason is not None:
            raise WorkbenchError(reason)
        if snapshot is None:
            from workbench.core.plan.gates import gate_snapshot

            snapshot = gate_snapshot(self.project, step)
        try:
            json.dumps(dict(snapshot), allow_nan=False)
        except (TypeError, ValueError):
            raise WorkbenchError("The gate snapshot must be plain data (text, numbers, "
                                 "lists and mappings).") from None
        gate = GateDecision(step, decision, decided_on, (value_created or "").strip(),
                            decided_by, dict(snapshot))
        with self.project.edit(label or f"Record the step {step} gate ({decision})") as w:
            row = w.conn.execute(select(_G).where(_G.c.plan_id == plan_id,
                                                  _G.c.step == step)).mappings().first()
            gate = superseding(_to_gate(row) if row else None, gate)
            values = {"plan_id": plan_id, "step": step, "decision": decision,
                      "decided_on": decided_on, "value_created": gate.value_created,
                      "decided_by": decided_by, "snapshot": dict(gate.snapshot),
                      "history": [e.to_json() for e in gate.earlier]}
            if row is None:
                w.insert("step_gate", values)
            else:
                w.update("step_gate", row["id"], values)
        return gate

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
