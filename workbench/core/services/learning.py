"""The customer-learning lab of a project: insights, experiments, customer evidence, journeys.

Every write is one ``Project.edit`` (one undo step, named in plain words); the change sets touch
the tables ``insight``, ``experiment``, ``customer_measure`` and ``journey_stage``. Records go
in and out as the plain dataclasses of :mod:`workbench.core.learning.model`; bad values raise
:class:`~workbench.core.errors.WorkbenchError` before anything is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, FromClause, RowMapping, select

from workbench.core.errors import WorkbenchError
from workbench.core.learning.model import (
    CONNECTS,
    DECISIONS,
    EXPERIMENT_STAGES,
    INSIGHT_SOURCES,
    MEASURE_KINDS,
    SCALING_AREAS,
    VALUE_KINDS,
    CustomerMeasure,
    Experiment,
    ImportSummary,
    Insight,
    InsightDraft,
    JourneyStage,
    LearningData,
    MeasureDraft,
    ScalingChange,
)
from workbench.core.services.base import Service
from workbench.core.store.history import Writer
from workbench.core.store.schema import (
    CustomerMeasureRow,
    ExperimentRow,
    InsightRow,
    JourneyStageRow,
    PersonRow,
)
from workbench.core.wording import count

_I = InsightRow.__table__
_E = ExperimentRow.__table__
_M = CustomerMeasureRow.__table__
_J = JourneyStageRow.__table__
_PEOPLE = PersonRow.__table__

_INSIGHT_FIELDS = tuple(f.name for f in dataclasses.fields(InsightDraft))
_EXPERIMENT_FIELDS = tuple(f.name for f in dataclasses.fields(Experiment) if f.name not in
                           ("id", "ref"))
_MEASURE_FIELDS = tuple(f.name for f in dataclasses.fields(MeasureDraft))
_STAGE_FIELDS = tuple(f.name for f in dataclasses.fields(JourneyStage) if f.name not in
                      ("id", "segment", "position", "name"))
_INSIGHT_REF = re.compile(r"I-(\d+)")
_EXPERIMENT_REF = re.compile(r"E-(\d+)")


# -- rows <-> records ---------------------------------------------------------------------------

def _text(value: object) -> str:
    return "" if value is None else str(value)


def _to_insight(row: RowMapping) -> Insight:
    return Insight(row["id"], row["ref"], _text(row["source"]), _text(row["segment"]),
                   _text(row["summary"]), row["received_on"], _text(row["received_by"]),
                   _text(row["can_act"]), _text(row["action_taken"]), row["acted_on"],
                   _text(row["result"]), row["loop_closed"], row["via_gatekeeper"])


def _to_experiment(row: RowMapping) -> Experiment:
    changes = tuple(ScalingChange(_text(c.get("area")), _text(c.get("change")),
                                  _text(c.get("owner")))
                    for c in row["changes"] or () if isinstance(c, dict))
    return Experiment(row["id"], row["ref"], _text(row["title"]), _text(row["stage"]),
                      tuple(str(c) for c in row["connects"] or ()), _text(row["value_kind"]),
                      _text(row["early_adopters"]), _text(row["pilot_measures"]),
                      _text(row["business_case"]), _text(row["decision"]), row["decided_on"],
                      changes, _text(row["action_id"]), _text(row["owner"]))


def _to_measure(row: RowMapping) -> CustomerMeasure:
    return CustomerMeasure(row["id"], _text(row["segment"]), _text(row["kind"]), row["value"],
                           _text(row["unit"]), _text(row["period"]), _text(row["source"]),
                           row["target"])


def _to_stage(row: RowMapping) -> JourneyStage:
    return JourneyStage(row["id"], _text(row["segment"]), row["position"], _text(row["name"]),
                        **{name: _text(row[name]) for name in _STAGE_FIELDS})


def _experiment_values(experiment: Experiment) -> dict[str, Any]:
    """The stored form of an experiment's fields (JSON lists for connects and changes)."""
    values = {name: getattr(experiment, name) for name in _EXPERIMENT_FIELDS}
    values["connects"] = list(experiment.connects)
    values["changes"] = [dataclasses.asdict(c) for c in experiment.changes]
    return values


# -- checks ---------------------------------------------------------------------------------------

def _unknown_fields(what: str, given: Iterable[str], allowed: Sequence[str]) -> None:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise WorkbenchError(f"{what}: fields that cannot be set: {', '.join(unknown)}.")


def _one_of(what: str, value: str, allowed: Iterable[str], field_name: str) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise WorkbenchError(f"{what}: {field_name} {value!r} is not one of "
                             f"{', '.join(repr(a) for a in allowed)}.")


def _day(value: object) -> dt.date:
    """A date as stored: a datetime loses its time of day."""
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def _check_insight(what: str, draft: InsightDraft) -> InsightDraft:
    """``draft`` with its dates as plain dates, or a WorkbenchError naming what is wrong."""
    _one_of(what, draft.source, INSIGHT_SOURCES, "source")
    if not isinstance(draft.received_on, dt.date):
        raise WorkbenchError(f"{what}: the date it was received is missing.")
    if not draft.summary.strip():
        raise WorkbenchError(f"{what}: say in a few words what the customer told us.")
    if draft.acted_on is not None and not isinstance(draft.acted_on, dt.date):
        raise WorkbenchError(f"{what}: the date acted on is not a date.")
    received, acted = _day(draft.received_on), draft.acted_on and _day(draft.acted_on)
    if acted is not None and acted < received:
        raise WorkbenchError(f"{what}: acted on {acted.isoformat()}, before it was received "
                             f"on {received.isoformat()}.")
    return dataclasses.replace(draft, received_on=received, acted_on=acted)


def _check_experiment(experiment: Experiment) -> None:
    what = f"Experiment {experiment.ref}".strip()
    if not experiment.title.strip():
        raise WorkbenchError(f"{what}: give the experiment a title.")
    _one_of(what, experiment.stage, EXPERIMENT_STAGES, "stage")
    for name in experiment.connects:
        _one_of(what, name, CONNECTS, "'connects' entry")
    _one_of(what, experiment.value_kind, ("", *VALUE_KINDS), "value kind")
    _one_of(what, experiment.decision, DECISIONS, "decision")
    for change in experiment.changes:
        _one_of(what, change.area, SCALING_AREAS, "scaling area")
        if not change.change.strip():
            raise WorkbenchError(f"{what}: a scaling change in {change.area} says nothing.")


def _check_measure(what: str, measure: MeasureDraft) -> None:
    if not measure.segment.strip():
        raise WorkbenchError(f"{what}: the segment is missing.")
    _one_of(what, measure.kind, MEASURE_KINDS, "kind")
    for name in ("value", "target"):
        value = getattr(measure, name)
        if value is None and name == "target":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise WorkbenchError(f"{what}: the {name} {value!r} is not a number.")


def _next_ref(conn: Connection, table: FromClause, pattern: re.Pattern[str], template: str) -> str:
    """The next free ref after the highest stored one ("I-0042" -> "I-0043")."""
    refs = conn.execute(select(table.c.ref)).scalars()
    number = max((int(m.group(1)) for ref in refs if (m := pattern.fullmatch(ref))), default=0)
    return template.format(number + 1)


class LearningService(Service):
    """Reads and writes the customer-learning lab of one project."""

    # -- reading ---------------------------------------------------------------------------------

    def data(self) -> LearningData:
        """Everything of the lab: insights by date received (then ref), experiments by ref,
        measures by segment, kind and period, journeys by segment with stages in order."""
        with self.project.read() as conn:
            insights = [_to_insight(r) for r in conn.execute(
                select(_I).order_by(_I.c.received_on, _I.c.ref)).mappings()]
            experiments = [_to_experiment(r) for r in conn.execute(
                select(_E).order_by(_E.c.ref)).mappings()]
            measures = [_to_measure(r) for r in conn.execute(
                select(_M).order_by(_M.c.segment, _M.c.kind, _M.c.period, _M.c.id)).mappings()]
            journeys: dict[str, list[JourneyStage]] = {}
            for row in conn.execute(select(_J).order_by(_J.c.segment, _J.c.position,
                                                        _J.c.id)).mappings():
                journeys.setdefault(row["segment"], []).append(_to_stage(row))
        return LearningData(insights, experiments, measures, journeys)

    def segments(self) -> list[str]:
        """The customer segments the project knows: those of the roster's ``segment``
        column, the insight log and the journeys (sorted, each once). Customer evidence is
        checked against them."""
        found: set[str] = set()
        with self.project.read() as conn:
            for column in (_PEOPLE.c.segment, _I.c.segment, _J.c.segment):
                found.update(s.strip() for s in conn.execute(select(column).distinct())
                             .scalars() if s and s.strip())
        return sorted(found, key=str.casefold)

    def _insight(self, conn: Connection, insight_id: int) -> Insight:
        row = conn.execute(select(_I).where(_I.c.id == insight_id)).mappings().first()
        if row is None:
            raise WorkbenchError(f"There is no insight with id {insight_id}.")
        return _to_insight(row)

    def _experiment(self, conn: Connection, experiment_id: int) -> Experiment:
        row = conn.execute(select(_E).where(_E.c.id == experiment_id)).mappings().first()
        if row is None:
            raise WorkbenchError(f"There is no experiment with id {experiment_id}.")
        return _to_experiment(row)

    def _stage(self, conn: Connection, stage_id: int) -> JourneyStage:
        row = conn.execute(select(_J).where(_J.c.id == stage_id)).mappings().first()
        if row is None:
            raise WorkbenchError(f"There is no journey stage with id {stage_id}.")
        return _to_stage(row)

    # -- insights --------------------------------------------------------------------------------

    def add_insight(self, **fields: Any) -> Insight:
        """Add one insight with the next ref ("I-0001"); fields as in :class:`InsightDraft`."""
        _unknown_fields("New insight", fields, _INSIGHT_FIELDS)
        try:
            draft = InsightDraft(**fields)
        except TypeError:
            missing = [f for f in _INSIGHT_FIELDS[:6] if f not in fields]
            raise WorkbenchError("New insight: missing " + ", ".join(missing) + ".") from None
        draft = _check_insight("New insight", draft)
        with self.project.read() as conn:
            ref = _next_ref(conn, _I, _INSIGHT_REF, "I-{:04d}")
        with self.project.edit(f"Add insight {ref}") as w:
            pk = w.insert("insight", {"ref": ref, **dataclasses.asdict(draft)})
            return self._insight(w.conn, pk)

    def update_insight(self, insight_id: int, **changes: Any) -> Insight:
        """Change fields of one insight (not its id or ref)."""
        with self.project.read() as conn:
            current = self._insight(conn, insight_id)
        what = f"Insight {current.ref}"
        _unknown_fields(what, changes, _INSIGHT_FIELDS)
        fields = {name: getattr(current, name) for name in _INSIGHT_FIELDS}
        after = _check_insight(what, InsightDraft(**{**fields, **changes}))
        with self.project.edit(f"Edit insight {current.ref}") as w:
            w.update("insight", insight_id, dataclasses.asdict(after))
            return self._insight(w.conn, insight_id)

    def delete_insights(self, ids: Sequence[int]) -> None:
        """Delete the given insights as one undo step (unknown ids are ignored)."""
        with self.project.read() as conn:
            refs = list(conn.execute(select(_I.c.ref).where(_I.c.id.in_(list(ids)))
                                     .order_by(_I.c.ref)).scalars())
        if not refs:
            return
        label = f"Delete insight {refs[0]}" if len(refs) == 1 else \
            f"Delete {count(len(refs), 'insight')}"
        with self.project.edit(label) as w:
            for pk in ids:
                w.delete("insight", pk)

    def import_insights(self, insights: Sequence[InsightDraft], *,
                        replace: bool = False) -> ImportSummary:
        """Add ``insights`` to the log as one undo step, each with the next ref.

        ``replace`` first removes every insight of the log. Otherwise an insight the log
        already holds with the same fields is skipped, so importing a file twice adds nothing.
        """
        checked = [_check_insight(f"Insight {n}", d) for n, d in enumerate(insights, start=1)]
        with self.project.edit(f"Import {count(len(checked), 'insight')}") as w:
            removed = w.delete_where("insight", _I.c.id.is_not(None)) if replace else 0
            held = {tuple(getattr(i, f) for f in _INSIGHT_FIELDS)
                    for i in map(_to_insight, w.conn.execute(select(_I)).mappings())}
            number = int(_next_ref(w.conn, _I, _INSIGHT_REF, "{}"))
            rows = []
            for draft in checked:
                key = tuple(getattr(draft, f) for f in _INSIGHT_FIELDS)
                if key in held:
                    continue
                held.add(key)
                rows.append({"ref": f"I-{number:04d}", **dataclasses.asdict(draft)})
                number += 1
            w.insert_many("insight", rows)
        return ImportSummary("insight", len(rows), len(checked) - len(rows), removed)

    # -- experiments -----------------------------------------------------------------------------

    def add_experiment(self, **fields: Any) -> Experiment:
        """Add one experiment with the next ref ("E-01"); it starts in ``search`` unless a
        stage is given. ``connects`` and ``changes`` may be any sequence."""
        _unknown_fields("New experiment", fields, _EXPERIMENT_FIELDS)
        fields.setdefault("stage", "search")
        fields.setdefault("connects", ())
        fields.setdefault("value_kind", "")
        experiment = self._coerce(Experiment(0, "", **{"title": "", **fields}))
        _check_experiment(experiment)
        with self.project.read() as conn:
            ref = _next_ref(conn, _E, _EXPERIMENT_REF, "E-{:02d}")
        with self.project.edit(f"Add experiment {ref}") as w:
            pk = w.insert("experiment", {"ref": ref, **_experiment_values(experiment)})
            return self._experiment(w.conn, pk)

    @staticmethod
    def _coerce(experiment: Experiment) -> Experiment:
        """Tuples where a caller gave lists; scaling changes given as mappings made records."""
        changes = tuple(c if isinstance(c, ScalingChange) else ScalingChange(**c)
                        for c in experiment.changes)
        return dataclasses.replace(experiment, connects=tuple(experiment.connects),
                                   changes=changes)

    def update_experiment(self, experiment_id: int, **changes: Any) -> Experiment:
        """Change fields of one experiment, its stage included (a move on the board)."""
        with self.project.read() as conn:
            current = self._experiment(conn, experiment_id)
        _unknown_fields(f"Experiment {current.ref}", changes, _EXPERIMENT_FIELDS)
        after = self._coerce(dataclasses.replace(current, **changes))
        _check_experiment(after)
        if set(changes) == {"stage"}:
            label = f"Move experiment {current.ref} to {after.stage}"
        else:
            label = f"Edit experiment {current.ref}"
        with self.project.edit(label) as w:
            w.update("experiment", experiment_id, _experiment_values(after))
            return self._experiment(w.conn, experiment_id)

    def delete_experiment(self, experiment_id: int) -> None:
        with self.project.read() as conn:
            current = self._experiment(conn, experiment_id)
        with self.project.edit(f"Delete experiment {current.ref}") as w:
            w.delete("experiment", experiment_id)

    def experiment_to_action(self, experiment_id: int) -> str:
        """Make the experiment an action of the engagement's plan; returns the action's id.

        The action carries the experiment's title, owner, pilot measures and business case;
        the experiment keeps the action's id. Refused when there is no plan yet or the
        experiment already became an action that is still in the plan.
        """
        from workbench.core.plan.apply import current_plan, next_uids
        from workbench.core.services.plans import Action

        with self.project.read() as conn:
            experiment = self._experiment(conn, experiment_id)
        plan = current_plan(self.project)
        if plan is None:
            raise WorkbenchError(f"Experiment {experiment.ref} cannot become a plan action: "
                                 "there is no plan yet. Propose or create the plan first.")
        if experiment.action_id and any(a.uid == experiment.action_id
                                        for a in self.project.plans.actions(plan.id)):
            raise WorkbenchError(f"Experiment {experiment.ref} is already plan action "
                                 f"{experiment.action_id}.")
        uid = next_uids(self.project, 1)[0]
        verb = "Scale" if experiment.stage == "scale" else "Pilot"
        notes = f"From relationship experiment {experiment.ref}."
        if experiment.business_case:
            notes += f" Business case: {experiment.business_case}"
        action = Action(uid=uid, title=f"{verb} the relationship experiment "
                        f"'{experiment.title}'", step=plan.target_step, kind="practice",
                        owner=experiment.owner, measure=experiment.pilot_measures, notes=notes)
        with self.project.edit(f"Make experiment {experiment.ref} plan action {uid}") as w:
            self.project.plans.add_actions(plan.id, [action])
            w.update("experiment", experiment_id, {"action_id": uid})
        return uid

    # -- customer evidence -----------------------------------------------------------------------

    def replace_measures(self, measures: Sequence[MeasureDraft]) -> ImportSummary:
        """Replace all customer measures with ``measures``, as one undo step."""
        for n, measure in enumerate(measures, start=1):
            _check_measure(f"Measure {n}", measure)
        with self.project.edit(f"Import customer evidence ({count(len(measures), 'measure')})") \
                as w:
            removed = w.delete_where("customer_measure", _M.c.id.is_not(None))
            w.insert_many("customer_measure", [dataclasses.asdict(m) for m in measures])
        return ImportSummary("measure", len(measures), 0, removed)

    def update_measure(self, measure_id: int, **changes: Any) -> CustomerMeasure:
        _unknown_fields("Customer measure", changes, _MEASURE_FIELDS)
        with self.project.read() as conn:
            row = conn.execute(select(_M).where(_M.c.id == measure_id)).mappings().first()
        if row is None:
            raise WorkbenchError(f"There is no customer measure with id {measure_id}.")
        current = _to_measure(row)
        fields = {name: getattr(current, name) for name in _MEASURE_FIELDS}
        after = MeasureDraft(**{**fields, **changes})
        what = f"Measure '{current.kind}' of {current.segment}"
        _check_measure(what, after)
        with self.project.edit(f"Edit customer measure '{current.kind}' ({current.segment})") \
                as w:
            w.update("customer_measure", measure_id, dataclasses.asdict(after))
            return _to_measure(w.conn.execute(select(_M).where(_M.c.id == measure_id))
                               .mappings().one())

    def delete_measures(self, ids: Sequence[int]) -> None:
        with self.project.read() as conn:
            found = list(conn.execute(select(_M.c.id).where(_M.c.id.in_(list(ids)))).scalars())
        if not found:
            return
        with self.project.edit(f"Delete {count(len(found), 'customer measure')}") as w:
            for pk in found:
                w.delete("customer_measure", pk)

    # -- journey canvas --------------------------------------------------------------------------

    def add_stage(self, segment: str, name: str, position: int | None = None,
                  **fields: Any) -> JourneyStage:
        """Add a stage to a segment's journey at ``position`` (1-based; default: the end);
        the stages from there on move one place right."""
        segment, name = segment.strip(), name.strip()
        if not segment or not name:
            raise WorkbenchError("A journey stage needs a segment and a name.")
        _unknown_fields(f"Journey stage '{name}'", fields, _STAGE_FIELDS)
        with self.project.edit(f"Add journey stage '{name}'") as w:
            stages = self._journey(w.conn, segment)
            at = len(stages) + 1 if position is None else max(1, min(position, len(stages) + 1))
            for stage in reversed(stages[at - 1:]):
                w.update("journey_stage", stage.id, {"position": stage.position + 1})
            pk = w.insert("journey_stage", {"segment": segment, "position": at, "name": name,
                                            **{k: _text(v) for k, v in fields.items()}})
            return self._stage(w.conn, pk)

    @staticmethod
    def _journey(conn: Connection, segment: str) -> list[JourneyStage]:
        rows = conn.execute(select(_J).where(_J.c.segment == segment)
                            .order_by(_J.c.position, _J.c.id)).mappings()
        return [_to_stage(r) for r in rows]

    def update_stage(self, stage_id: int, **changes: Any) -> JourneyStage:
        """Change the text fields of a stage, its name included (not its segment or place:
        :meth:`move_stage` moves it)."""
        with self.project.read() as conn:
            current = self._stage(conn, stage_id)
        _unknown_fields(f"Journey stage '{current.name}'", changes, ("name", *_STAGE_FIELDS))
        if "name" in changes and not _text(changes["name"]).strip():
            raise WorkbenchError(f"Journey stage '{current.name}': the name cannot be empty.")
        values = {k: _text(v).strip() if k == "name" else _text(v) for k, v in changes.items()}
        with self.project.edit(f"Edit journey stage '{current.name}'") as w:
            w.update("journey_stage", stage_id, values)
            return self._stage(w.conn, stage_id)

    def move_stage(self, stage_id: int, position: int) -> None:
        """Move a stage to ``position`` (1-based, clamped) within its journey."""
        with self.project.read() as conn:
            current = self._stage(conn, stage_id)
        with self.project.edit(f"Move journey stage '{current.name}' to place {position}") as w:
            stages = [s for s in self._journey(w.conn, current.segment) if s.id != stage_id]
            at = max(1, min(position, len(stages) + 1))
            stages.insert(at - 1, current)
            self._renumber(w, stages)

    def delete_stage(self, stage_id: int) -> None:
        with self.project.read() as conn:
            current = self._stage(conn, stage_id)
        with self.project.edit(f"Delete journey stage '{current.name}'") as w:
            w.delete("journey_stage", stage_id)
            self._renumber(w, self._journey(w.conn, current.segment))

    @staticmethod
    def _renumber(w: Writer, stages: Sequence[JourneyStage]) -> None:
        for position, stage in enumerate(stages, start=1):
            if stage.position != position:
                w.update("journey_stage", stage.id, {"position": position})
