"""Aggregation rules of collaboration event logs on hand-computed fixtures (DuckDB engine)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.events import engine_duckdb
from workbench.core.events.importing import apply_events, network_name, read_events
from workbench.core.events.people import PeopleLookup
from workbench.core.events.pipeline import Aggregate
from workbench.core.events.rules import SETTINGS_KEY, AggregationRules
from workbench.core.events.source import open_source
from workbench.core.importing import ImportRefused
from workbench.core.model import Person
from workbench.core.project import Project
from workbench.core.tasks import Cancelled, Progress

ROSTER = [Person("A", email="ann@x.com"), Person("B", email="bo@x.com"),
          Person("C", email="cy@x.com"), Person("D", email="di@x.com")]


def run(tmp_path: Path, kind: str, text: str, rules: AggregationRules,
        name: str = "events.csv") -> Aggregate:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return engine_duckdb.aggregate(open_source(kind, path), rules, PeopleLookup(ROSTER),
                                   Progress())


def ties(result: Aggregate) -> dict[tuple[str, str, str], tuple[float, int]]:
    """(period start, source, target) -> (weight, interactions)."""
    return {(p.start.isoformat(), s, t): (w, n) for p in result.periods
            for s, t, w, n in zip(p.sources, p.targets, p.weights, p.interactions, strict=True)}


BROADCAST = """sender,recipients,timestamp
ann@x.com,bo@x.com;cy@x.com,2026-01-05T10:00:00Z
ann@x.com,bo@x.com;cy@x.com;di@x.com,2026-01-06T10:00:00Z
bo@x.com,ann@x.com,2026-01-07T10:00:00Z
"""


def test_broadcasts_are_left_out_above_the_cut_off(tmp_path):
    result = run(tmp_path, "emails", BROADCAST, AggregationRules(max_recipients=2,
                                                                 min_interactions=1))
    assert ties(result) == {("2026-01-01", "A", "B"): (1.0, 1), ("2026-01-01", "A", "C"): (1.0, 1),
                            ("2026-01-01", "B", "A"): (1.0, 1)}
    assert result.events_read == 3 and result.excluded["broadcast"] == 1
    assert result.directed


def test_broadcasts_count_one_nth_when_down_weighted(tmp_path):
    result = run(tmp_path, "emails", BROADCAST, AggregationRules(
        max_recipients=2, broadcast="down-weight", min_interactions=1))
    assert ties(result) == {("2026-01-01", "A", "B"): (1.333333, 2),
                            ("2026-01-01", "A", "C"): (1.333333, 2),
                            ("2026-01-01", "A", "D"): (0.333333, 1),
                            ("2026-01-01", "B", "A"): (1.0, 1)}
    assert result.excluded["broadcast"] == 0


ACROSS_MIDNIGHT = """sender,recipients,timestamp
ann@x.com,bo@x.com,2026-01-31T23:30:00-05:00
ann@x.com,bo@x.com,2026-02-01 00:30
"""


def test_periods_follow_the_time_zone_of_the_rules(tmp_path):
    utc = run(tmp_path, "emails", ACROSS_MIDNIGHT, AggregationRules(min_interactions=1))
    # 23:30 in New York is 04:30 on 1 February in UTC; a time without offset is read in UTC
    assert ties(utc) == {("2026-02-01", "A", "B"): (2.0, 2)}
    new_york = run(tmp_path, "emails", ACROSS_MIDNIGHT,
                   AggregationRules(min_interactions=1, timezone="America/New_York"))
    assert ties(new_york) == {("2026-01-01", "A", "B"): (1.0, 1),
                              ("2026-02-01", "A", "B"): (1.0, 1)}


def test_week_and_quarter_boundaries(tmp_path):
    text = ("sender,recipients,timestamp\n"
            "ann@x.com,bo@x.com,2026-01-04T23:59:00Z\n"   # Sunday: the week of 29 December
            "ann@x.com,bo@x.com,2026-01-05T00:00:00Z\n"   # Monday: a new week
            "ann@x.com,bo@x.com,2026-03-31T23:59:59Z\n"
            "ann@x.com,bo@x.com,2026-04-01T00:00:00Z\n")
    weeks = run(tmp_path, "emails", text, AggregationRules(period="week", min_interactions=1))
    assert [p.start for p in weeks.periods] == [dt.date(2025, 12, 29), dt.date(2026, 1, 5),
                                                dt.date(2026, 3, 30)]
    assert [p.tie_count for p in weeks.periods] == [1, 1, 1]
    assert weeks.periods[2].interactions == [2]
    quarters = run(tmp_path, "emails", text,
                   AggregationRules(period="quarter", min_interactions=1))
    assert ties(quarters) == {("2026-01-01", "A", "B"): (3.0, 3),
                              ("2026-04-01", "A", "B"): (1.0, 1)}
    assert network_name("emails", dt.date(2025, 12, 29), "week") == "E-mail 2026-W01"
    assert network_name("meetings", dt.date(2026, 1, 1), "quarter") == "Meetings 2026-Q1"
    assert network_name("chats", dt.date(2026, 3, 1), "month") == "Chat 2026-03"


def test_working_hours_keep_weekday_office_hours(tmp_path):
    text = ("sender,recipients,timestamp\n"
            "ann@x.com,bo@x.com,2026-01-05 08:59\n"   # Monday, too early
            "ann@x.com,bo@x.com,2026-01-05 09:00\n"
            "ann@x.com,bo@x.com,2026-01-05 16:59\n"
            "ann@x.com,bo@x.com,2026-01-05 17:00\n"   # too late
            "ann@x.com,bo@x.com,2026-01-10 10:00\n")  # Saturday
    result = run(tmp_path, "emails", text, AggregationRules(working_hours=(9, 17)))
    assert ties(result) == {("2026-01-01", "A", "B"): (2.0, 2)}
    assert result.excluded["outside working hours"] == 3


RECIPROCAL = """sender,recipients,timestamp
ann@x.com,bo@x.com,2026-01-05T10:00:00Z
ann@x.com,bo@x.com,2026-01-06T10:00:00Z
bo@x.com,ann@x.com,2026-01-07T10:00:00Z
bo@x.com,ann@x.com,2026-01-08T10:00:00Z
ann@x.com,cy@x.com,2026-01-05T11:00:00Z
ann@x.com,cy@x.com,2026-01-06T11:00:00Z
cy@x.com,ann@x.com,2026-01-07T11:00:00Z
ann@x.com,di@x.com,2026-01-05T12:00:00Z
"""


def test_minimum_interactions_and_reciprocity(tmp_path):
    two = run(tmp_path, "emails", RECIPROCAL, AggregationRules(min_interactions=2))
    assert set(ties(two)) == {("2026-01-01", "A", "B"), ("2026-01-01", "B", "A"),
                              ("2026-01-01", "A", "C")}
    mutual = run(tmp_path, "emails", RECIPROCAL, AggregationRules(min_interactions=2,
                                                                  reciprocal=True))
    assert set(ties(mutual)) == {("2026-01-01", "A", "B"), ("2026-01-01", "B", "A")}
    once = run(tmp_path, "emails", RECIPROCAL, AggregationRules(min_interactions=1,
                                                                reciprocal=True))
    assert len(ties(once)) == 4  # A-B both ways, A-C both ways; A->D is one way only


MEETINGS = """organizer,attendees,start,duration
ann@x.com,bo@x.com;cy@x.com,2026-01-05 10:00,60
bo@x.com,ann@x.com,2026-01-06 10:00,30
"""


def test_meetings_link_every_pair_weighted_by_minutes(tmp_path):
    result = run(tmp_path, "meetings", MEETINGS, AggregationRules(min_interactions=1,
                                                                  weight="minutes"))
    assert ties(result) == {("2026-01-01", "A", "B"): (90.0, 2),
                            ("2026-01-01", "A", "C"): (60.0, 1),
                            ("2026-01-01", "B", "C"): (60.0, 1)}
    assert not result.directed
    shared = run(tmp_path, "meetings", MEETINGS, AggregationRules(
        min_interactions=1, weight="minutes", max_recipients=1, broadcast="down-weight"))
    assert ties(shared) == {("2026-01-01", "A", "B"): (60.0, 2),
                            ("2026-01-01", "A", "C"): (30.0, 1),
                            ("2026-01-01", "B", "C"): (30.0, 1)}


def test_one_row_per_recipient_makes_one_email(tmp_path):
    text = ("sender,recipient,timestamp,message id\n"
            "ann@x.com,bo@x.com,2026-01-05T10:00:00Z,m1\n"
            "ann@x.com,cy@x.com,2026-01-05T10:00:00Z,m1\n"
            "ann@x.com,bo@x.com,2026-01-06T10:00:00Z,m2\n")
    source = open_source("emails", _write(tmp_path / "rows.csv", text))
    assert source.grouped and source.columns["message_id"] == "message id"
    result = engine_duckdb.aggregate(source, AggregationRules(max_recipients=1,
                                                              min_interactions=1),
                                     PeopleLookup(ROSTER), Progress())
    assert result.events_read == 2 and result.excluded["broadcast"] == 1
    assert ties(result) == {("2026-01-01", "A", "B"): (1.0, 1)}


def test_people_match_by_id_or_address_in_any_case(tmp_path):
    text = ("From,To,Sent\n"
            '"Ann Lee <ANN@X.COM>","""Chen, Bo"" <Bo@x.com>; c ",2026-01-05T10:00:00Z\n'
            " a ,B;B;bo@x.com,2026-01-06T10:00:00Z\n")
    result = run(tmp_path, "emails", text, AggregationRules(min_interactions=1))
    # the repeated recipient, and the same person by id and by address, count once
    assert ties(result) == {("2026-01-01", "A", "B"): (2.0, 2), ("2026-01-01", "A", "C"): (1.0, 1)}
    assert result.unknown_people == 0


def test_unknown_people_are_counted_and_reported(tmp_path):
    text = ("sender,recipients,timestamp\n"
            "ann@x.com,bo@x.com;zed@y.com,2026-01-05T10:00:00Z\n"
            "zed@y.com,ann@x.com,2026-01-06T10:00:00Z\n"
            "eve@y.com,zed@y.com,2026-01-07T10:00:00Z\n")
    result = run(tmp_path, "emails", text, AggregationRules(min_interactions=1))
    assert ties(result) == {("2026-01-01", "A", "B"): (1.0, 1)}
    assert result.unknown_people == 2
    assert result.unknown_links == 3
    assert result.excluded["no known participant"] == 2


def test_malformed_rows_are_located_by_file_row_and_column(tmp_path):
    text = ("sender,recipients,timestamp\n"
            "ann@x.com,bo@x.com,2026-01-05T10:00:00Z\n"
            "ann@x.com,bo@x.com,yesterday\n"
            ",bo@x.com,2026-01-05T10:00:00Z\n"
            "ann@x.com,bo@x.com,2026-01-05T11:00:00Z,extra\n"
            "bo@x.com,ann@x.com,2026-01-05T12:00:00Z\n")
    result = run(tmp_path, "emails", text, AggregationRules(min_interactions=1), "log.csv")
    located = [(p.file, p.row, p.column) for p in result.problems]
    assert located == [("log.csv", 3, "timestamp"), ("log.csv", 4, "sender"),
                       ("log.csv", 5, None)]
    assert "not a date and time" in result.problems[0].message
    assert result.excluded["malformed"] == 3 and result.events_read == 2
    meetings = ("organiser,attendees,start,duration\n"
                "ann@x.com,bo@x.com,2026-01-05 10:00,an hour\n"
                "ann@x.com,bo@x.com,2026-01-06 10:00,30\n")
    bad = run(tmp_path, "meetings", meetings, AggregationRules(min_interactions=1))
    assert [(p.row, p.column, "not a number" in p.message) for p in bad.problems] == [
        (2, "duration", True)]


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.owb") as project:
        project.people.add_many(ROSTER)
        yield project


def test_read_and_apply_store_one_network_per_period_as_one_undo_step(project, tmp_path):
    path = _write(tmp_path / "mail.csv", RECIPROCAL + "ann@x.com,bo@x.com,2026-02-02T10:00Z\n"
                  "ann@x.com,bo@x.com,2026-02-03T10:00Z\n")
    rules = AggregationRules(min_interactions=2)
    plan = read_events(project, "emails", path, rules)
    assert [n.name for n in plan.networks] == ["E-mail 2026-01", "E-mail 2026-02"]
    lines = plan.describe_lines()
    assert lines[0] == "mail.csv: 10 e-mails read."
    assert "Network 'E-mail 2026-01': 3 ties" in lines
    summary = apply_events(project, plan)
    assert summary.networks == {"E-mail 2026-01": 3, "E-mail 2026-02": 1}
    stored = {n.name: n for n in project.networks.list()}
    assert stored["E-mail 2026-02"].date == dt.date(2026, 2, 1)
    assert stored["E-mail 2026-02"].type == "email" and stored["E-mail 2026-02"].directed
    network = stored["E-mail 2026-01"]
    assert {(t.source, t.target, t.weight) for t in project.networks.ties(network.id)} == {
        ("A", "B", 2.0), ("B", "A", 2.0), ("A", "C", 2.0)}
    assert project.settings.get(SETTINGS_KEY.format(kind="emails")) == rules.to_dict()
    project.undo()
    assert project.networks.list() == []
    assert project.settings.get(SETTINGS_KEY.format(kind="emails")) is None


def test_malformed_rows_refuse_the_import_unless_accepted(project, tmp_path):
    path = _write(tmp_path / "mail.csv", "sender,recipients,timestamp\n"
                  "ann@x.com,bo@x.com,never\nann@x.com,bo@x.com,2026-01-05T10:00Z\n")
    plan = read_events(project, "emails", path, AggregationRules(min_interactions=1))
    with pytest.raises(ImportRefused, match="mail.csv, row 2, column 'timestamp'"):
        apply_events(project, plan)
    assert project.networks.list() == []
    apply_events(project, plan, accept_valid=True)
    assert [n.tie_count for n in project.networks.list()] == [1]


def test_cancel_leaves_the_project_file_unchanged(project, tmp_path):
    path = _write(tmp_path / "mail.csv", RECIPROCAL)
    before = hashlib.sha256(Path(project.path).read_bytes()).hexdigest()
    last_step = project.history.undo_label
    seen: list[str] = []

    def cancel_while(stage: str) -> Progress:
        progress = Progress(lambda fraction, message: (
            seen.append(message), progress.cancel() if stage in message else None))
        return progress

    with pytest.raises(Cancelled):
        read_events(project, "emails", path, AggregationRules(), progress=cancel_while("ties"))
    plan = read_events(project, "emails", path, AggregationRules())
    with pytest.raises(Cancelled):
        apply_events(project, plan, progress=cancel_while("Saving"))
    assert project.networks.list() == [] and project.history.undo_label == last_step
    project.close()
    assert hashlib.sha256(Path(project.path).read_bytes()).hexdigest() == before
    assert any("ties" in m for m in seen)


def test_impossible_rules_and_an_empty_roster_are_refused(tmp_path):
    with pytest.raises(WorkbenchError, match="minutes"):
        AggregationRules(weight="minutes").check("emails")
    path = _write(tmp_path / "mail.csv", BROADCAST)
    with Project.create(tmp_path / "empty.owb") as empty, \
            pytest.raises(WorkbenchError, match="people list first"):
        read_events(empty, "emails", path, AggregationRules())


def test_the_report_method_states_the_rules_of_the_import(project, tmp_path):
    from openpyxl import load_workbook

    from workbench.core.report.assemble import export_workbook
    from workbench.core.report.method_sheet import METHOD_SHEET

    rules = AggregationRules(working_hours=(8, 18), broadcast="down-weight")
    apply_events(project, read_events(project, "emails", _write(tmp_path / "m.csv", RECIPROCAL),
                                      rules))
    export_workbook(project, tmp_path / "plan.xlsx")
    rows = [[c for c in row if c not in (None, "")]
            for row in load_workbook(tmp_path / "plan.xlsx")[METHOD_SHEET].iter_rows(
                values_only=True)]
    at = rows.index(["Networks from collaboration data"])
    assert rows[at + 1] == ["E-mail", " ".join(rules.describe("emails"))]
    assert "between 08:00 and 18:00" in rows[at + 1][1] and "1/n" in rows[at + 1][1]


def test_a_log_with_only_its_header_plans_no_network(project, tmp_path):
    plan = read_events(project, "chats", _write(tmp_path / "chat.csv",
                                                "sender,members,timestamp\n"),
                       AggregationRules())
    assert plan.networks == [] and plan.aggregate.events_read == 0
    assert plan.describe_lines() == ["chat.csv: 0 chat messages read.",
                                     "No ties: no network will be written."]


def test_rules_read_as_sentences_for_each_kind_of_log():
    rules = AggregationRules(working_hours=(8, 18), broadcast="down-weight", reciprocal=True)
    mails, meetings = " ".join(rules.describe("emails")), " ".join(rules.describe("meetings"))
    assert mails.startswith("An e-mail links its sender to each recipient, one way.")
    assert "Only e-mails sent on weekdays between 08:00 and 18:00 count." in mails
    assert "An e-mail with more than 25 recipients counts 1/n" in mails
    assert "at least 2 times in it, in both directions." in mails
    assert "Only meetings starting on weekdays" in meetings
    assert "A meeting with more than 25 attendees" in meetings
