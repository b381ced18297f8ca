"""Plain domain types passed between the core services, the CLI and the GUI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

STANDARD_PERSON_FIELDS = (
    "id", "name", "email", "department", "role", "manager_id", "location",
    "customer_facing", "segment",
)

TIE_TYPES = (
    "advice", "information", "collaboration", "energy", "customer_insight",
    "extra_mile", "email", "meeting", "reporting",
)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str = ""
    email: str = ""
    department: str = ""
    role: str = ""
    manager_id: str | None = None
    location: str = ""
    customer_facing: bool = False
    segment: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


class Tie(NamedTuple):
    """One tie from ``source`` to ``target``. A named tuple: a file of 500,000 ties makes as
    many, and a tuple is made at a third of the cost of a frozen dataclass."""

    source: str
    target: str
    weight: float = 1.0
    type: str = ""


@dataclass(frozen=True)
class NetworkInfo:
    id: int
    name: str
    type: str
    date: dt.date | None
    tie_count: int
    directed: bool = True
    source_file: str = ""


ENGAGEMENT_DAYS = 100  # an engagement runs one 100-day plan unless its end date is changed


def default_end_date(start: dt.date) -> dt.date:
    """The end of an engagement starting on ``start`` when nobody chose one: 100 days on."""
    return start + dt.timedelta(days=ENGAGEMENT_DAYS)


@dataclass(frozen=True)
class Engagement:
    client: str = ""
    consultant: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    target_step: int = 1
    min_group_size: int = 5
    description: str = ""
