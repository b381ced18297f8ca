"""Tables of one engagement's project file (`.owb`).

Every table has an integer primary key ``id`` so the undo history can restore any row exactly.
Writes go through :mod:`workbench.core.store.history` (SQLAlchemy Core), never one ORM object per
tie.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class EngagementRow(Base):
    """The single engagement a project file holds (one row, id = 1)."""

    __tablename__ = "engagement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), nullable=False)
    client: Mapped[str] = mapped_column(Text, default="")
    consultant: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    target_step: Mapped[int] = mapped_column(Integer, default=1)
    min_group_size: Mapped[int] = mapped_column(Integer, default=5)
    description: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class SettingRow(Base):
    """Project-level settings and saved choices (column mappings, privacy switches...)."""

    __tablename__ = "setting"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    value: Mapped[object] = mapped_column(JSON, nullable=True)


class PersonRow(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(Text, default="")
    manager_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    location: Mapped[str] = mapped_column(Text, default="")
    customer_facing: Mapped[bool] = mapped_column(Boolean, default=False)
    segment: Mapped[str] = mapped_column(Text, default="")
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)


class NetworkRow(Base):
    __tablename__ = "network"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    type: Mapped[str] = mapped_column(String(100), default="")
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    directed: Mapped[bool] = mapped_column(Boolean, default=True)
    source_file: Mapped[str] = mapped_column(Text, default="")


class TieRow(Base):
    __tablename__ = "tie"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("network.id"), nullable=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False)
    target: Mapped[str] = mapped_column(String(200), nullable=False)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    __table_args__ = (Index("ix_tie_network", "network_id"),)


class AnalysisCacheRow(Base):
    """Computed results kept so analysis re-runs only when a network changes."""

    __tablename__ = "analysis_cache"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(Integer, nullable=False)  # no FK: survives undo
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    __table_args__ = (UniqueConstraint("network_id", "key"),)


class TemplateRow(Base):
    """A snapshot of a questionnaire template version used by a round."""

    __tablename__ = "template"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_key: Mapped[str] = mapped_column(String(200), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, nullable=False)
    __table_args__ = (UniqueConstraint("template_key", "version"),)


class RoundRow(Base):
    __tablename__ = "assessment_round"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("template.id"), nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(40), default="open")


class RespondentRow(Base):
    __tablename__ = "respondent"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(200), nullable=False)
    name: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[str] = mapped_column(String(200), default="")
    __table_args__ = (UniqueConstraint("round_id", "code"),)


class AnswerRow(Base):
    __tablename__ = "answer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id"), nullable=False)
    question_id: Mapped[str] = mapped_column(String(200), nullable=False)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    __table_args__ = (UniqueConstraint("respondent_id", "question_id"),)


class PlanRow(Base):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    target_step: Mapped[int] = mapped_column(Integer, default=1)
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class ActionRow(Base):
    __tablename__ = "plan_action"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), nullable=False)
    uid: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    owner: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(40), default="Not started")
    measure: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    depends_on: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # the assessed item served, "template_id:question_id" ("" when none; schema 5)
    source: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # schema 5: library action, kind, owner role, outcome measure figures, overrun flag
    library_id: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20), default="")
    owner_role: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(Text, default="")
    baseline: Mapped[float | None] = mapped_column(Float, nullable=True)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    data_source: Mapped[str] = mapped_column(Text, default="")
    flag: Mapped[str] = mapped_column(Text, default="")


class StepGateRow(Base):
    """The gate decision at the end of a step's window (schema 5): one per plan and step.

    ``history`` (schema 6) lists the decisions it replaced, oldest first, each as
    ``{"decision", "decided_on" (ISO date), "decided_by", "value_created"}``.
    """

    __tablename__ = "step_gate"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), nullable=False)
    step: Mapped[int] = mapped_column(Integer, nullable=False)
    decided_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    decision: Mapped[str] = mapped_column(String(20), nullable=False)  # continue|repeat|stop
    value_created: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[object] = mapped_column(JSON, nullable=True)
    history: Mapped[object] = mapped_column(JSON, default=list)
    __table_args__ = (UniqueConstraint("plan_id", "step"),)


class NoteRow(Base):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class WorkshopSessionRow(Base):
    """A live workshop run on an assessment round (its consensus feeds that round)."""

    __tablename__ = "workshop_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_round.id"), nullable=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class WorkshopItemRow(Base):
    """One agenda item: a question to vote on or a network finding to predict."""

    __tablename__ = "workshop_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    ref: Mapped[str] = mapped_column(String(200), default="")
    section: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[float] = mapped_column(Float, default=3.0)
    __table_args__ = (Index("ix_workshop_item_session", "session_id"),)


class WorkshopVoteRow(Base):
    __tablename__ = "workshop_vote"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("workshop_item.id"), nullable=False)
    participant: Mapped[str] = mapped_column(String(200), nullable=False)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    cast: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    __table_args__ = (Index("ix_workshop_vote_item", "item_id"),
                      Index("ux_workshop_vote_participant", "item_id", "participant",
                            unique=True))  # one vote per participant and item (schema 4)


class WorkshopPredictionRow(Base):
    __tablename__ = "workshop_prediction"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("workshop_item.id"), nullable=False)
    participant: Mapped[str] = mapped_column(String(200), nullable=False)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    cast: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    __table_args__ = (Index("ix_workshop_prediction_item", "item_id"),
                      Index("ux_workshop_prediction_participant", "item_id", "participant",
                            unique=True))  # one prediction per participant and item (schema 4)


class WorkshopConsensusRow(Base):
    __tablename__ = "workshop_consensus"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("workshop_item.id"), unique=True,
                                         nullable=False)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class WorkshopNoteRow(Base):
    __tablename__ = "workshop_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"), nullable=False)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_item.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class WorkshopTimingRow(Base):
    """Time spent on an agenda item, one row per visit."""

    __tablename__ = "workshop_timing"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("workshop_item.id"), nullable=False)
    started: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class InsightRow(Base):
    """One customer insight of the insight-to-action log (schema 7)."""

    __tablename__ = "insight"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    source: Mapped[str] = mapped_column(String(40), default="")
    segment: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    received_by: Mapped[str] = mapped_column(Text, default="")
    can_act: Mapped[str] = mapped_column(Text, default="")
    action_taken: Mapped[str] = mapped_column(Text, default="")
    acted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    result: Mapped[str] = mapped_column(Text, default="")
    loop_closed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    via_gatekeeper: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class ExperimentRow(Base):
    """A relationship experiment (schema 7); ``connects`` is a JSON list of names and
    ``changes`` a JSON list of ``{"area", "change", "owner"}``."""

    __tablename__ = "experiment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    stage: Mapped[str] = mapped_column(String(20), default="search")
    connects: Mapped[object] = mapped_column(JSON, default=list)
    value_kind: Mapped[str] = mapped_column(String(40), default="")
    early_adopters: Mapped[str] = mapped_column(Text, default="")
    pilot_measures: Mapped[str] = mapped_column(Text, default="")
    business_case: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(40), default="")
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    changes: Mapped[object] = mapped_column(JSON, default=list)
    action_id: Mapped[str] = mapped_column(String(40), default="")
    owner: Mapped[str] = mapped_column(Text, default="")


class CustomerMeasureRow(Base):
    """One customer measure for one segment and period (schema 7)."""

    __tablename__ = "customer_measure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    segment: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    unit: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[float | None] = mapped_column(Float, nullable=True)


class JourneyStageRow(Base):
    """One stage of a segment's customer journey (schema 7); ``position`` is 1-based."""

    __tablename__ = "journey_stage"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    segment: Mapped[str] = mapped_column(Text, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    need: Mapped[str] = mapped_column(Text, default="")
    feeling: Mapped[str] = mapped_column(Text, default="")
    interaction: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(Text, default="")
    enablers: Mapped[str] = mapped_column(Text, default="")
    quality_measure: Mapped[str] = mapped_column(Text, default="")
    productivity_measure: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    handoff_from: Mapped[str] = mapped_column(Text, default="")
    handoff_to: Mapped[str] = mapped_column(Text, default="")
    handoff_break: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_journey_stage_segment", "segment"),)


TABLES = Base.metadata.tables
