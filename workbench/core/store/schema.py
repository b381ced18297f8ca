"""Tables of one engagement's project file (`.owb`).

Every table has an integer primary key ``id`` so the undo history can restore any row exactly.
Writes go through :mod:`workbench.core.store.history` (SQLAlchemy Core), never one ORM object per
tie.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)


class Base:
    """One table, declared like a SQLAlchemy declarative class (``__tablename__``, a Column
    per attribute, ``__table_args__``) but built as a Core :class:`~sqlalchemy.Table`,
    ``XRow.__table__``: nothing maps rows to objects, and the ORM with its class mapping cost
    a few hundred milliseconds at every start of the program."""

    metadata: ClassVar[MetaData] = MetaData()
    __tablename__: ClassVar[str]
    __table__: ClassVar[Table]
    __table_args__: ClassVar[tuple] = ()

    def __init_subclass__(cls) -> None:
        columns = []
        for name, value in vars(cls).items():
            if isinstance(value, Column):
                value.name = value.key = name
                columns.append(value)
        cls.__table__ = Table(cls.__tablename__, Base.metadata, *columns, *cls.__table_args__)


class EngagementRow(Base):
    """The single engagement a project file holds (one row, id = 1)."""

    __tablename__ = "engagement"
    id = Column(Integer, primary_key=True)
    uuid = Column(String(36), nullable=False)
    client = Column(Text, default="", nullable=False)
    consultant = Column(Text, default="", nullable=False)
    start_date = Column(Date, nullable=True)
    end_date = Column(Date, nullable=True)
    target_step = Column(Integer, default=1, nullable=False)
    min_group_size = Column(Integer, default=5, nullable=False)
    description = Column(Text, default="", nullable=False)
    created = Column(DateTime, nullable=False)


class SettingRow(Base):
    """Project-level settings and saved choices (column mappings, privacy switches...)."""

    __tablename__ = "setting"
    id = Column(Integer, primary_key=True)
    key = Column(String(200), unique=True, nullable=False)
    value = Column(JSON, nullable=True)


class PersonRow(Base):
    __tablename__ = "person"
    id = Column(Integer, primary_key=True)
    person_id = Column(String(200), unique=True, nullable=False)
    name = Column(Text, default="", nullable=False)
    email = Column(Text, default="", nullable=False)
    department = Column(Text, default="", nullable=False)
    role = Column(Text, default="", nullable=False)
    manager_id = Column(String(200), nullable=True)
    location = Column(Text, default="", nullable=False)
    customer_facing = Column(Boolean, default=False, nullable=False)
    segment = Column(Text, default="", nullable=False)
    attributes = Column(JSON, default=dict, nullable=False)


class NetworkRow(Base):
    __tablename__ = "network"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), unique=True, nullable=False)
    type = Column(String(100), default="", nullable=False)
    date = Column(Date, nullable=True)
    directed = Column(Boolean, default=True, nullable=False)
    source_file = Column(Text, default="", nullable=False)


class TieRow(Base):
    __tablename__ = "tie"
    id = Column(Integer, primary_key=True)
    network_id = Column(Integer, ForeignKey("network.id"), nullable=False)
    source = Column(String(200), nullable=False)
    target = Column(String(200), nullable=False)
    weight = Column(Float, default=1.0, nullable=False)
    __table_args__ = (Index("ix_tie_network", "network_id"),)


class AnalysisCacheRow(Base):
    """Computed results kept so analysis re-runs only when a network changes."""

    __tablename__ = "analysis_cache"
    id = Column(Integer, primary_key=True)
    network_id = Column(Integer, nullable=False)  # no FK: survives undo
    key = Column(String(200), nullable=False)
    fingerprint = Column(String(64), nullable=False)
    payload = Column(LargeBinary, nullable=False)
    __table_args__ = (UniqueConstraint("network_id", "key"),)


class TemplateRow(Base):
    """A snapshot of a questionnaire template version used by a round."""

    __tablename__ = "template"
    id = Column(Integer, primary_key=True)
    template_key = Column(String(200), nullable=False)
    version = Column(Integer, nullable=False)
    title = Column(Text, default="", nullable=False)
    source = Column(Text, nullable=False)
    __table_args__ = (UniqueConstraint("template_key", "version"),)


class RoundRow(Base):
    __tablename__ = "assessment_round"
    id = Column(Integer, primary_key=True)
    template_id = Column(Integer, ForeignKey("template.id"), nullable=False)
    name = Column(Text, nullable=False)
    date = Column(Date, nullable=True)
    status = Column(String(40), default="open", nullable=False)


class RespondentRow(Base):
    __tablename__ = "respondent"
    id = Column(Integer, primary_key=True)
    round_id = Column(Integer, ForeignKey("assessment_round.id"), nullable=False)
    code = Column(String(200), nullable=False)
    name = Column(Text, default="", nullable=False)
    role = Column(Text, default="", nullable=False)
    department = Column(Text, default="", nullable=False)
    anonymous = Column(Boolean, default=False, nullable=False)
    position = Column(String(200), default="", nullable=False)
    __table_args__ = (UniqueConstraint("round_id", "code"),)


class AnswerRow(Base):
    __tablename__ = "answer"
    id = Column(Integer, primary_key=True)
    respondent_id = Column(Integer, ForeignKey("respondent.id"), nullable=False)
    question_id = Column(String(200), nullable=False)
    value = Column(JSON, nullable=True)
    __table_args__ = (UniqueConstraint("respondent_id", "question_id"),)


class PlanRow(Base):
    __tablename__ = "plan"
    id = Column(Integer, primary_key=True)
    name = Column(Text, nullable=False)
    target_step = Column(Integer, default=1, nullable=False)
    start_date = Column(Date, nullable=True)


class ActionRow(Base):
    __tablename__ = "plan_action"
    id = Column(Integer, primary_key=True)
    plan_id = Column(Integer, ForeignKey("plan.id"), nullable=False)
    uid = Column(String(40), unique=True, nullable=False)
    title = Column(Text, nullable=False)
    step = Column(Integer, nullable=True)
    owner = Column(Text, default="", nullable=False)
    start = Column(Date, nullable=True)
    due = Column(Date, nullable=True)
    status = Column(String(40), default="Not started", nullable=False)
    measure = Column(Text, default="", nullable=False)
    evidence = Column(Text, default="", nullable=False)
    depends_on = Column(Text, default="", nullable=False)
    notes = Column(Text, default="", nullable=False)
    # the assessed item served, "template_id:question_id" ("" when none; schema 5)
    source = Column(String(100), default="", nullable=False)
    position = Column(Integer, default=0, nullable=False)
    # schema 5: library action, kind, owner role, outcome measure figures, overrun flag
    library_id = Column(String(100), default="", nullable=False)
    kind = Column(String(20), default="", nullable=False)
    owner_role = Column(Text, default="", nullable=False)
    unit = Column(Text, default="", nullable=False)
    baseline = Column(Float, nullable=True)
    target = Column(Float, nullable=True)
    data_source = Column(Text, default="", nullable=False)
    flag = Column(Text, default="", nullable=False)


class StepGateRow(Base):
    """The gate decision at the end of a step's window (schema 5): one per plan and step.

    ``history`` (schema 6) lists the decisions it replaced, oldest first, each as
    ``{"decision", "decided_on" (ISO date), "decided_by", "value_created"}``.
    """

    __tablename__ = "step_gate"
    id = Column(Integer, primary_key=True)
    plan_id = Column(Integer, ForeignKey("plan.id"), nullable=False)
    step = Column(Integer, nullable=False)
    decided_on = Column(Date, nullable=False)
    decision = Column(String(20), nullable=False)  # continue|repeat|stop
    value_created = Column(Text, default="", nullable=False)
    decided_by = Column(Text, default="", nullable=False)
    snapshot = Column(JSON, nullable=True)
    history = Column(JSON, default=list, nullable=False)
    __table_args__ = (UniqueConstraint("plan_id", "step"),)


class NoteRow(Base):
    __tablename__ = "note"
    id = Column(Integer, primary_key=True)
    topic = Column(String(200), default="", nullable=False)
    text = Column(Text, default="", nullable=False)
    created = Column(DateTime, nullable=False)


class WorkshopSessionRow(Base):
    """A live workshop run on an assessment round (its consensus feeds that round)."""

    __tablename__ = "workshop_session"
    id = Column(Integer, primary_key=True)
    round_id = Column(Integer, ForeignKey("assessment_round.id"), nullable=True)
    name = Column(Text, nullable=False)
    anonymous = Column(Boolean, default=True, nullable=False)
    created = Column(DateTime, nullable=False)


class WorkshopItemRow(Base):
    """One agenda item: a question to vote on or a network finding to predict."""

    __tablename__ = "workshop_item"
    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("workshop_session.id"), nullable=False)
    position = Column(Integer, nullable=False)
    kind = Column(String(40), nullable=False)
    ref = Column(String(200), default="", nullable=False)
    section = Column(Text, default="", nullable=False)
    title = Column(Text, default="", nullable=False)
    minutes = Column(Float, default=3.0, nullable=False)
    __table_args__ = (Index("ix_workshop_item_session", "session_id"),)


class WorkshopVoteRow(Base):
    __tablename__ = "workshop_vote"
    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("workshop_item.id"), nullable=False)
    participant = Column(String(200), nullable=False)
    value = Column(JSON, nullable=True)
    cast = Column(DateTime, nullable=False)
    __table_args__ = (Index("ix_workshop_vote_item", "item_id"),
                      Index("ux_workshop_vote_participant", "item_id", "participant",
                            unique=True))  # one vote per participant and item (schema 4)


class WorkshopPredictionRow(Base):
    __tablename__ = "workshop_prediction"
    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("workshop_item.id"), nullable=False)
    participant = Column(String(200), nullable=False)
    value = Column(JSON, nullable=True)
    cast = Column(DateTime, nullable=False)
    __table_args__ = (Index("ix_workshop_prediction_item", "item_id"),
                      Index("ux_workshop_prediction_participant", "item_id", "participant",
                            unique=True))  # one prediction per participant and item (schema 4)


class WorkshopConsensusRow(Base):
    __tablename__ = "workshop_consensus"
    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("workshop_item.id"), unique=True, nullable=False)
    value = Column(JSON, nullable=True)
    note = Column(Text, default="", nullable=False)
    recorded = Column(DateTime, nullable=False)


class WorkshopNoteRow(Base):
    __tablename__ = "workshop_note"
    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("workshop_session.id"), nullable=False)
    item_id = Column(Integer, ForeignKey("workshop_item.id"), nullable=True)
    text = Column(Text, default="", nullable=False)
    created = Column(DateTime, nullable=False)


class WorkshopTimingRow(Base):
    """Time spent on an agenda item, one row per visit."""

    __tablename__ = "workshop_timing"
    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("workshop_item.id"), nullable=False)
    started = Column(DateTime, nullable=False)
    seconds = Column(Float, default=0.0, nullable=False)


class InsightRow(Base):
    """One customer insight of the insight-to-action log (schema 7)."""

    __tablename__ = "insight"
    id = Column(Integer, primary_key=True)
    ref = Column(String(20), unique=True, nullable=False)
    source = Column(String(40), default="", nullable=False)
    segment = Column(Text, default="", nullable=False)
    summary = Column(Text, default="", nullable=False)
    received_on = Column(Date, nullable=False)
    received_by = Column(Text, default="", nullable=False)
    can_act = Column(Text, default="", nullable=False)
    action_taken = Column(Text, default="", nullable=False)
    acted_on = Column(Date, nullable=True)
    result = Column(Text, default="", nullable=False)
    loop_closed = Column(Boolean, nullable=True)
    via_gatekeeper = Column(Boolean, nullable=True)


class ExperimentRow(Base):
    """A relationship experiment (schema 7); ``connects`` is a JSON list of names and
    ``changes`` a JSON list of ``{"area", "change", "owner"}``."""

    __tablename__ = "experiment"
    id = Column(Integer, primary_key=True)
    ref = Column(String(20), unique=True, nullable=False)
    title = Column(Text, nullable=False)
    stage = Column(String(20), default="search", nullable=False)
    connects = Column(JSON, default=list, nullable=False)
    value_kind = Column(String(40), default="", nullable=False)
    early_adopters = Column(Text, default="", nullable=False)
    pilot_measures = Column(Text, default="", nullable=False)
    business_case = Column(Text, default="", nullable=False)
    decision = Column(String(40), default="", nullable=False)
    decided_on = Column(Date, nullable=True)
    changes = Column(JSON, default=list, nullable=False)
    action_id = Column(String(40), default="", nullable=False)
    owner = Column(Text, default="", nullable=False)


class CustomerMeasureRow(Base):
    """One customer measure for one segment and period (schema 7)."""

    __tablename__ = "customer_measure"
    id = Column(Integer, primary_key=True)
    segment = Column(Text, nullable=False)
    kind = Column(String(40), nullable=False)
    value = Column(Float, nullable=False)
    unit = Column(Text, default="", nullable=False)
    period = Column(Text, default="", nullable=False)
    source = Column(Text, default="", nullable=False)
    target = Column(Float, nullable=True)


class JourneyStageRow(Base):
    """One stage of a segment's customer journey (schema 7); ``position`` is 1-based."""

    __tablename__ = "journey_stage"
    id = Column(Integer, primary_key=True)
    segment = Column(Text, nullable=False)
    position = Column(Integer, nullable=False)
    name = Column(Text, nullable=False)
    need = Column(Text, default="", nullable=False)
    feeling = Column(Text, default="", nullable=False)
    interaction = Column(Text, default="", nullable=False)
    channel = Column(Text, default="", nullable=False)
    enablers = Column(Text, default="", nullable=False)
    quality_measure = Column(Text, default="", nullable=False)
    productivity_measure = Column(Text, default="", nullable=False)
    owner = Column(Text, default="", nullable=False)
    handoff_from = Column(Text, default="", nullable=False)
    handoff_to = Column(Text, default="", nullable=False)
    handoff_break = Column(Text, default="", nullable=False)
    __table_args__ = (Index("ix_journey_stage_segment", "segment"),)


TABLES = Base.metadata.tables
