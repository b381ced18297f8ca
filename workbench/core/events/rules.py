"""How collaboration events (e-mails, meetings, chat messages) become dated, weighted ties.

The rules are settings of one import, stored with the project and stated in the report's
method. Both engines (DuckDB by default, Spark for a cluster) apply exactly these rules:

* **Participants.** An e-mail or chat message links its sender to each recipient (directed,
  sender -> recipient). A meeting links every pair of its attendees, the organiser included
  (undirected; stored as one tie per pair, the smaller id first). Self-links are dropped;
  repeated recipients within one event count once.
* **Period.** Each event falls in the week (Monday start), month or quarter of its time stamp
  read in ``timezone``; one network per period, dated on the period's first day.
* **Working hours.** When set, only events starting Monday-Friday with a local hour in
  ``[start, end)`` are kept.
* **Broadcasts.** An event with more than ``max_recipients`` recipients (attendees besides the
  organiser) is excluded, or with ``broadcast="down-weight"`` kept with each link weighted
  ``1/n`` (n = its recipients or attendees besides the organiser).
* **Minimum interactions.** A tie of one period is kept when the pair has at least
  ``min_interactions`` events in that period (counted whole, before any 1/n weighting).
* **Reciprocity.** With ``reciprocal``, a directed tie A -> B is kept only when B -> A is kept
  in the same period too (meetings are mutual already).
* **Weight.** ``interactions``: the number of events (each 1, or 1/n when down-weighted);
  ``minutes``: the minutes spent together (meetings only: duration, times 1/n when
  down-weighted). Weights are rounded to 6 decimals so both engines agree exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from workbench.core.errors import WorkbenchError

KINDS = ("emails", "meetings", "chats")
PERIODS = ("week", "month", "quarter")
BROADCAST_MODES = ("exclude", "down-weight")
WEIGHTS = ("interactions", "minutes")
SETTINGS_KEY = "events.rules.{kind}"  # the rules of the last import of each kind
WEIGHT_DECIMALS = 6


@dataclass(frozen=True)
class AggregationRules:
    """The settings of one event import; :meth:`check` refuses impossible combinations."""

    period: str = "month"
    max_recipients: int = 25
    broadcast: str = "exclude"
    working_hours: tuple[int, int] | None = None  # (8, 18): 08:00 to 17:59 local, Mon-Fri
    timezone: str = "UTC"
    min_interactions: int = 2
    reciprocal: bool = False
    weight: str = "interactions"

    def check(self, kind: str) -> None:
        """Raise :class:`WorkbenchError` naming the first setting that cannot work."""
        if kind not in KINDS:
            raise WorkbenchError(f"unknown kind of events {kind!r}; use one of {', '.join(KINDS)}.")
        if self.period not in PERIODS:
            raise WorkbenchError(f"period {self.period!r}: use week, month or quarter.")
        if self.max_recipients < 1:
            raise WorkbenchError("the broadcast cut-off must be at least 1 recipient.")
        if self.broadcast not in BROADCAST_MODES:
            raise WorkbenchError(f"broadcasts {self.broadcast!r}: use exclude or down-weight.")
        if self.working_hours is not None:
            start, end = self.working_hours
            if not 0 <= start < end <= 24:
                raise WorkbenchError(f"working hours {start}-{end}: give two hours from 0 to 24, "
                                     "the first before the second.")
        if self.min_interactions < 1:
            raise WorkbenchError("the minimum number of interactions must be at least 1.")
        if self.weight not in WEIGHTS:
            raise WorkbenchError(f"weight {self.weight!r}: use interactions or minutes.")
        if self.weight == "minutes" and kind != "meetings":
            raise WorkbenchError("weights in minutes need meeting durations; e-mails and chat "
                                 "messages are weighted by the number of interactions.")
        _check_timezone(self.timezone)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["working_hours"] = list(self.working_hours) if self.working_hours else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AggregationRules:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("working_hours") is not None:
            values["working_hours"] = tuple(values["working_hours"])
        return cls(**values)

    def describe(self, kind: str) -> list[str]:
        """The rules in plain sentences, for the report's method and the import summary."""
        what = {"emails": "e-mail", "meetings": "meeting", "chats": "chat message"}[kind]
        a = "An" if kind == "emails" else "A"
        links = ("Every pair of attendees of a meeting, the organiser included, is linked both "
                 "ways." if kind == "meetings" else
                 f"{a} {what} links its sender to each recipient, one way.")
        period = {"week": "week (from Monday)", "month": "calendar month",
                  "quarter": "calendar quarter"}[self.period]
        sentences = [links, f"One network per {period}, reading times in {self.timezone}."]
        if self.working_hours:
            start, end = self.working_hours
            verb = "starting" if kind == "meetings" else "sent"
            sentences.append(f"Only {what}s {verb} on weekdays between {start:02d}:00 and "
                             f"{end:02d}:00 count.")
        crowd = "attendees" if kind == "meetings" else "recipients"
        if self.broadcast == "exclude":
            sentences.append(f"{a} {what} with more than {self.max_recipients} {crowd} is a "
                             "broadcast and left out.")
        else:
            sentences.append(f"{a} {what} with more than {self.max_recipients} {crowd} counts "
                             f"1/n for each of its n {crowd}.")
        sentences.append(f"Two people are tied in a period when they interacted at least "
                         f"{self.min_interactions} times in it"
                         + (", in both directions." if self.reciprocal else "."))
        sentences.append("Tie strength is the minutes spent together." if self.weight == "minutes"
                         else "Tie strength is the number of interactions.")
        return sentences


def _check_timezone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise WorkbenchError(f"unknown time zone {name!r}; use a name like Europe/Paris or "
                             "UTC.") from None
