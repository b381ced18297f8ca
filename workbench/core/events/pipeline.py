"""The aggregation rules as SQL steps, written once for DuckDB and Spark SQL.

An engine reads the source into the view :data:`RAW_VIEW` whose columns are named by role
(:data:`ROLES`: ``sender``, ``recipients``, ``timestamp``... ; absent optional roles are simply
missing), sets the session time zone to ``rules.timezone`` (so time stamps without an offset
and all local-time functions read that zone), then runs :func:`steps` in order, each as
``CREATE TEMP TABLE name AS sql`` (or a view). After the step :data:`KEYS_VIEW` (the distinct
normalised participant keys: people, not events) it maps the keys with
:class:`~workbench.core.events.people.PeopleLookup` and registers :data:`PEOPLE_TABLE`
``(key, person)`` before running the next step; ``person`` is the stored id or, faster, its
code from :func:`person_codes` (codes sort like the ids, so ties sort the same).
:data:`TIES_VIEW` holds the ties ``(period, source, target, weight, interactions)`` and
:data:`COUNTS_VIEW` one row of counts.

An event is one row, or, when the source is ``grouped`` (one row per recipient or attendee),
the rows sharing who, when and the event's reference. A participant is keyed by the address
inside "Name <addr>" or the cell itself, trimmed and in lower case; each event names a key
once. Rows with a blank or unreadable required cell are malformed: counted, never linked.

Only a few functions differ between the engines; :class:`Dialect` names them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.errors import Problem
from workbench.core.events.rules import WEIGHT_DECIMALS, AggregationRules

if TYPE_CHECKING:
    from workbench.core.events.source import EventSource

RAW_VIEW = "ev_raw"
KEYS_VIEW = "ev_keys"
PEOPLE_TABLE = "ev_people"
TIES_VIEW = "ev_ties"
COUNTS_VIEW = "ev_counts"

# role -> (required roles, optional roles) of each kind of event log
ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "emails": (("sender", "recipients", "timestamp"), ("message_id", "size")),
    "meetings": (("organiser", "attendees", "start", "duration"), ("meeting_id",)),
    "chats": (("sender", "recipients", "timestamp"), ("channel", "message_id")),
}
# the roles playing "who", "others", "when" and "which event" in every kind
_WHO = {"emails": "sender", "meetings": "organiser", "chats": "sender"}
_OTHERS = {"emails": "recipients", "meetings": "attendees", "chats": "recipients"}
_WHEN = {"emails": "timestamp", "meetings": "start", "chats": "timestamp"}
GROUP_KEYS = {kind: (_WHO[kind], _WHEN[kind]) for kind in ROLES}
REF_ROLES = {"emails": ("message_id",), "meetings": ("meeting_id",),
             "chats": ("channel", "message_id")}
NUMERIC_ROLES = ("duration", "size")
TIME_ROLES = ("timestamp", "start")


@dataclass(frozen=True)
class Dialect:
    """The functions in which DuckDB and Spark SQL differ (``{}`` marks the arguments)."""

    name: str
    split: str  # a text split on ';' or ',' into a list
    unnest: str  # one row per list element, in a select list
    transform: str  # list, lambda variable, lambda body
    keep: str  # list, lambda variable, lambda condition
    distinct: str
    flatten: str
    collect: str  # aggregate: the list of a group's values
    size: str
    to_timestamp: str  # text (or a time stamp) -> time stamp, NULL when not one
    to_number: str  # text (or a number) -> double, NULL when not one
    weekday: str  # true Monday to Friday, local time
    event_id: str  # a unique id for each row of a select
    strip_quoted: str  # the text without its "quoted" parts (display names with commas)
    split_plain: str  # a text split on ';' (no spaces or other separators in it)
    contains: str  # list, value: whether the list holds the value
    concat: str  # list, value: the list with the value appended
    single: str  # a list of one value


DUCKDB = Dialect(
    name="duckdb",
    split="string_split_regex({}, '[;,]')",
    unnest="unnest({})",
    transform="list_transform({0}, lambda {1}: {2})",
    keep="list_filter({0}, lambda {1}: {2})",
    distinct="list_distinct({})",
    flatten="flatten({})",
    collect="list({})",
    size="len({})",
    to_timestamp="try_cast({} AS TIMESTAMPTZ)",
    to_number="try_cast({} AS DOUBLE)",
    weekday="isodow({}) <= 5",
    event_id="row_number() OVER ()",
    strip_quoted="regexp_replace({}, '\"[^\"]*\"', '', 'g')",
    split_plain="string_split({}, ';')",
    contains="list_contains({}, {})",
    concat="list_append({}, {})",
    single="list_value({})",
)

SPARK = Dialect(
    name="spark",
    split="split({}, '[;,]')",
    unnest="explode({})",
    transform="transform({0}, {1} -> {2})",
    keep="filter({0}, {1} -> {2})",
    distinct="array_distinct({})",
    flatten="flatten({})",
    collect="collect_list({})",
    size="size({})",
    to_timestamp="try_to_timestamp({})",
    to_number="try_cast({} AS DOUBLE)",
    weekday="weekday({}) < 5",
    event_id="monotonically_increasing_id()",
    strip_quoted="regexp_replace({}, '\"[^\"]*\"', '')",
    split_plain="split({}, ';')",
    contains="array_contains({}, {})",
    concat="concat({}, array({}))",
    single="array({})",
)


def present_roles(source: EventSource) -> set[str]:
    """The roles the source has a column for."""
    return set(source.columns)


def key_sql(text: str) -> str:
    """A participant cell as a key: the address inside "Name <addr>", trimmed, lower case."""
    return (f"lower(trim(CASE WHEN instr({text}, '<') > 0 "
            f"THEN regexp_extract({text}, '<([^>]*)>', 1) ELSE {text} END))")


def _keys_list_sql(cell: str, d: Dialect) -> str:
    """A list cell as the distinct non-blank keys it names. Plain cells ("a@x;b@x") are split
    directly; cells with spaces, commas, quotes or brackets key each part (quoted display
    names dropped, the address inside "<...>" taken)."""
    unquoted = (f"CASE WHEN instr({cell}, '\"') > 0 THEN "
                f"{d.strip_quoted.format(cell)} ELSE {cell} END")
    keys = d.transform.format(d.split.format(unquoted), "x", key_sql("x"))
    careful = d.keep.format(keys, "x", "x <> ''")
    plain = " AND ".join(f"instr({cell}, '{c}') = 0" for c in ("<", '"', " ", ",", ";;"))
    plain += f" AND left({cell}, 1) <> ';' AND right({cell}, 1) <> ';'"
    single = d.single.format(f"lower({cell})")
    several = d.distinct.format(d.split_plain.format(f"lower({cell})"))
    return (f"CASE WHEN {plain} AND instr({cell}, ';') = 0 THEN {single} "
            f"WHEN {plain} THEN {several} ELSE {d.distinct.format(careful)} END")


def steps(source: EventSource, rules: AggregationRules, dialect: Dialect) -> list[tuple[str, str]]:
    """(view name, SQL) of every step, in order; see the module docstring."""
    kind, d = source.kind, dialect
    roles = present_roles(source)
    who, others, when = _WHO[kind], _OTHERS[kind], _WHEN[kind]
    refs = [r for r in REF_ROLES[kind] if r in roles]
    meetings = kind == "meetings"
    minutes = d.to_number.format("duration") if meetings else "CAST(NULL AS DOUBLE)"
    ref = " || '|' || ".join(f"coalesce(CAST({r} AS STRING), '')" for r in refs) or "''"
    rows = (f"SELECT {key_sql(who)} AS who, {_keys_list_sql(others, d)} AS others, "
            f"{d.to_timestamp.format(when)} AS ts, {minutes} AS minutes, {ref} AS ref "
            f"FROM {RAW_VIEW}")
    ok = ("who IS NOT NULL AND who <> '' AND ts IS NOT NULL AND "
          f"coalesce({d.size.format('others')}, 0) > 0"
          + (" AND minutes IS NOT NULL AND minutes >= 0" if meetings else ""))
    checked = f"SELECT *, coalesce({ok}, FALSE) AS ok FROM ev_rows"
    if source.grouped:  # one event = the rows sharing who, when and reference
        # malformed rows are grouped apart (ok false) so the file is scanned only once
        merged = d.distinct.format(d.flatten.format(d.collect.format("others")))
        events = (f"SELECT {d.event_id} AS eid, who, ts, max(minutes) AS minutes, "
                  f"{merged} AS others, ok, count(*) AS row_count FROM ({checked}) AS checked "
                  "GROUP BY who, ts, ref, ok")
    else:  # one row, one event
        events = (f"SELECT {d.event_id} AS eid, who, ts, minutes, others, ok, 1 AS row_count "
                  f"FROM ({checked}) AS checked")
    keys = (f"SELECT DISTINCT k FROM (SELECT who AS k FROM ev_events WHERE ok UNION ALL "
            f"SELECT {d.unnest.format('others')} AS k FROM ev_events WHERE ok) AS all_keys")
    period = f"CAST(date_trunc('{rules.period}', ts) AS DATE)"
    # recipients (attendees) besides the sender (organiser); the list is distinct already
    n = (f"({d.size.format('others')} - "
         f"CASE WHEN {d.contains.format('others', 'who')} THEN 1 ELSE 0 END)")
    hours = "TRUE"
    if rules.working_hours:
        start, end = rules.working_hours
        hours = f"({d.weekday.format('ts')} AND hour(ts) >= {start} AND hour(ts) < {end})"
    broadcast = f"{n} > {rules.max_recipients}"
    share = (f"CASE WHEN {broadcast} THEN 1.0 / CAST({n} AS DOUBLE) ELSE 1.0 END"
             if rules.broadcast == "down-weight" else "1.0")
    weight = f"minutes * {share}" if rules.weight == "minutes" else share
    ruled = (f"SELECT eid, who, others, {period} AS period, "
             f"CASE WHEN NOT {hours} THEN 'outside working hours' "
             + (f"WHEN {broadcast} THEN 'broadcast' " if rules.broadcast == "exclude" else "")
             + f"ELSE NULL END AS excluded_by, CAST({weight} AS DOUBLE) AS w "
             "FROM ev_events WHERE ok")
    kept_events = "FROM ev_ruled WHERE excluded_by IS NULL"
    if meetings:
        # attendances (the organiser's too) of people on the roster, and of the others
        mapped = (f"SELECT eid, period, w, p.person FROM (SELECT eid, period, w, "
                  f"{d.unnest.format(d.concat.format('others', 'who'))} AS k {kept_events}) "
                  f"AS m LEFT JOIN {PEOPLE_TABLE} AS p ON m.k = p.key")
        links = ("SELECT a.eid, a.period, a.w, a.person AS source, b.person AS target "
                 "FROM (SELECT DISTINCT eid, period, w, person FROM ev_mapped "
                 "WHERE person IS NOT NULL) AS a JOIN (SELECT DISTINCT eid, person "
                 "FROM ev_mapped WHERE person IS NOT NULL) AS b "
                 "ON a.eid = b.eid AND a.person < b.person")
        unknown = "SELECT count(*) AS n FROM ev_mapped WHERE person IS NULL"
    else:
        mapped = (f"SELECT eid, period, w, s.person AS source, t.person AS target "
                  f"FROM (SELECT eid, period, w, who, {d.unnest.format('others')} AS other "
                  f"{kept_events}) AS e LEFT JOIN {PEOPLE_TABLE} AS s ON e.who = s.key "
                  f"LEFT JOIN {PEOPLE_TABLE} AS t ON e.other = t.key WHERE e.who <> e.other")
        # two keys (id and e-mail) of one person in one event count once: the costly
        # DISTINCT only runs when some person is named by two keys in the events
        known = "FROM ev_mapped WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target"
        aliased = f"(SELECT count(*) > count(DISTINCT person) FROM {PEOPLE_TABLE})"
        links = (f"SELECT eid, period, w, source, target {known} AND NOT {aliased} UNION ALL "
                 f"SELECT DISTINCT eid, period, w, source, target {known} AND {aliased}")
        unknown = ("SELECT count(*) AS n FROM ev_mapped "
                   "WHERE source IS NULL OR target IS NULL")
    counted = (f"SELECT period, source, target, count(*) AS interactions, "
               f"round(sum(w), {WEIGHT_DECIMALS}) AS weight FROM ev_links "
               f"GROUP BY period, source, target")
    kept = f"SELECT * FROM ev_counted WHERE interactions >= {rules.min_interactions}"
    if rules.reciprocal and not meetings:
        ties = ("SELECT a.period, a.source, a.target, a.weight, a.interactions FROM ev_kept AS a "
                "JOIN ev_kept AS b ON a.period = b.period AND a.source = b.target "
                "AND a.target = b.source")
    else:
        ties = "SELECT period, source, target, weight, interactions FROM ev_kept"
    counts = (
        "SELECT "
        "(SELECT count(*) FROM ev_events WHERE ok) AS events_read, "
        "(SELECT coalesce(sum(row_count), 0) FROM ev_events WHERE NOT ok) AS malformed, "
        "outside_hours, broadcasts, kept - (SELECT count(DISTINCT eid) FROM ev_links) "
        "AS no_known, "
        f"(SELECT count(*) FROM {KEYS_VIEW} AS u WHERE NOT EXISTS "
        f"(SELECT 1 FROM {PEOPLE_TABLE} AS p WHERE p.key = u.k)) AS unknown_people, "
        f"({unknown}) AS unknown_links "
        "FROM (SELECT "
        "coalesce(sum(CASE WHEN excluded_by = 'outside working hours' THEN 1 ELSE 0 END), 0) "
        "AS outside_hours, "
        "coalesce(sum(CASE WHEN excluded_by = 'broadcast' THEN 1 ELSE 0 END), 0) AS broadcasts, "
        "coalesce(sum(CASE WHEN excluded_by IS NULL THEN 1 ELSE 0 END), 0) AS kept "
        "FROM ev_ruled) AS ruled")
    return [("ev_rows", rows), ("ev_events", events), (KEYS_VIEW, keys), ("ev_ruled", ruled),
            ("ev_mapped", mapped), ("ev_links", links), ("ev_counted", counted),
            ("ev_kept", kept), (TIES_VIEW, ties), (COUNTS_VIEW, counts)]


# --------------------------------------------------------------------------- results

EXCLUSION_LABELS = ("broadcast", "outside working hours", "no known participant", "malformed")
MAX_PROBLEMS = 100


@dataclass
class PeriodTies:
    """The ties of one period as columns, sorted by (source, target)."""

    start: dt.date
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    interactions: list[int] = field(default_factory=list)

    @property
    def tie_count(self) -> int:
        return len(self.sources)


@dataclass
class Aggregate:
    """What an engine made of an event log: counts, located problems and dated ties."""

    events_read: int = 0
    excluded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EXCLUSION_LABELS, 0))
    unknown_people: int = 0  # distinct participants not on the roster
    unknown_links: int = 0  # links (meeting attendances) naming someone not on the roster
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS
    more_problems: int = 0  # problems beyond those kept
    periods: list[PeriodTies] = field(default_factory=list)
    directed: bool = True


def person_codes(mapped: list[tuple[str, str]]) -> tuple[list[tuple[str, int]], list[str]]:
    """``(key, code)`` rows for :data:`PEOPLE_TABLE` and the stored id of each code; codes
    follow the sorted ids, so comparing codes compares ids."""
    names = sorted({person for _, person in mapped})
    code = {name: i for i, name in enumerate(names)}
    return [(key, code[person]) for key, person in mapped], names


def aggregate_from_rows(kind: str, counts: tuple[int, ...],
                        ties: list[tuple[dt.date, Any, Any, float, int]],
                        names: list[str] | None = None) -> Aggregate:
    """An :class:`Aggregate` from the row of :data:`COUNTS_VIEW` and the rows of
    :data:`TIES_VIEW` sorted by (period, source, target) (problems are added by the engine);
    ``names`` decodes people given as :func:`person_codes`."""
    read, malformed, hours, broadcasts, no_known, unknown_people, unknown_links = counts
    result = Aggregate(events_read=int(read), unknown_people=int(unknown_people),
                       unknown_links=int(unknown_links), directed=kind != "meetings")
    result.excluded.update({"broadcast": int(broadcasts), "outside working hours": int(hours),
                            "no known participant": int(no_known),
                            "malformed": int(malformed)})
    current: PeriodTies | None = None
    for period, source, target, weight, interactions in ties:
        if current is None or current.start != period:
            current = PeriodTies(period)
            result.periods.append(current)
        current.sources.append(names[source] if names is not None else source)
        current.targets.append(names[target] if names is not None else target)
        current.weights.append(float(weight))
        current.interactions.append(int(interactions))
    return result
