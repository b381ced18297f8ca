"""The Spark engine makes exactly the ties DuckDB makes, from the same event-log files.

One Spark session (local mode) serves the whole module: its start-up is the slow part. The
logs are generated with a fixed seed and cover broadcasts, down-weighting, meeting minutes,
chat channels, weeks, months and quarters, time zones (with and without offsets in the file),
reciprocity, working hours, unknown people, malformed rows, a cp1252 file and Parquet folders.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.events import engine_duckdb, engine_spark
from workbench.core.events.people import PeopleLookup
from workbench.core.events.pipeline import Aggregate
from workbench.core.events.rules import AggregationRules
from workbench.core.events.source import open_source
from workbench.core.model import Person
from workbench.core.project import Project
from workbench.core.tasks import Cancelled, Progress

pytest.importorskip("pyspark", reason="the Spark engine needs PySpark: pip install "
                    "'workbench[spark]'")
if not engine_spark.java_found():
    pytest.skip("the Spark engine needs a Java 17 runtime (sudo apt-get install "
                "openjdk-17-jre-headless, or make check-system as root)", allow_module_level=True)

PEOPLE = [Person(f"p{i:02d}", name=f"Person {i}", email=f"person{i}@client.com")
          for i in range(24)]
TIMES = ("{:%Y-%m-%d %H:%M}", "{:%Y-%m-%dT%H:%M:%S}Z", "{:%Y-%m-%dT%H:%M:%S}+02:00",
         "{:%Y-%m-%d %H:%M:%S}", "{:%Y-%m-%dT%H:%M:%S}-05:00")


def who(rng: random.Random) -> str:
    """A participant as exports name them: id, address (any case), "Name <address>" or a
    stranger not on the people list."""
    i = rng.randrange(len(PEOPLE))
    style = rng.random()
    if style < 0.05:
        return f"stranger{rng.randrange(6)}@elsewhere.com"
    if style < 0.3:
        return PEOPLE[i].id.upper()
    if style < 0.5:
        return f"Person {i} <{PEOPLE[i].email}>"
    return f" {PEOPLE[i].email.upper() if style < 0.6 else PEOPLE[i].email} "


def when(rng: random.Random) -> str:
    """A time near month, quarter and week ends, in one of the formats exports use."""
    import datetime as dt

    day = rng.choice([dt.date(2026, 1, 30), dt.date(2026, 3, 31), dt.date(2026, 4, 1),
                      dt.date(2026, 6, 30), dt.date(2026, 7, 5), dt.date(2026, 2, 14)])
    moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=rng.randrange(0, 1440))
    return rng.choice(TIMES).format(moment)


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',;"') else text


def write_log(path: Path, header: list[str], rows: list[list[str]],
              encoding: str = "utf-8") -> Path:
    lines = [",".join(header)] + [",".join(csv_cell(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def emails(rng: random.Random, n: int) -> list[list[str]]:
    rows = []
    for _ in range(n):
        many = rng.choice([1, 1, 1, 2, 3, 7])  # 7 recipients: a broadcast at a cut-off of 5
        recipients = [who(rng).strip() for _ in range(many)]
        rows.append([who(rng), rng.choice([";", ","]).join(recipients), when(rng)])
    rows[5][2] = "the day after"  # malformed: not a time
    rows[9][0] = ""  # malformed: no sender
    rows[13].append("extra")  # malformed: a cell more than the header
    return rows


@pytest.fixture(scope="module")
def spark():
    with engine_spark.spark_session() as session:
        yield session


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("logs")
    rng = random.Random(20)
    found = {"emails": write_log(folder / "emails.csv", ["From", "To", "Sent"],
                                 emails(rng, 900))}
    per_recipient = []
    for number in range(300):
        sender, sent = who(rng), when(rng)
        per_recipient += [[f"m{number}", sender, who(rng), sent]
                          for _ in range(rng.choice([1, 2, 3, 6]))]
    per_recipient[0][1] = "Renée Côté <person3@client.com>"
    found["per_recipient"] = write_log(folder / "per_recipient.csv",
                                       ["message_id", "sender", "recipient", "timestamp"],
                                       per_recipient, encoding="cp1252")
    meetings = [[f"mt{i}", who(rng), ";".join(who(rng) for _ in range(rng.choice([1, 2, 4, 8]))),
                 when(rng), str(rng.choice([15, 30, 45, 60, 90]))] for i in range(300)]
    meetings[3][4] = "an hour"  # malformed: not a number
    found["meetings"] = write_log(folder / "meetings.csv",
                                  ["meeting_id", "organizer", "attendees", "start", "duration"],
                                  meetings)
    chats = [[who(rng), ";".join(who(rng) for _ in range(rng.choice([1, 1, 3]))), when(rng),
              rng.choice(["", "general", "project-x"])] for _ in range(600)]
    found["chats"] = write_log(folder / "chats.csv",
                               ["sender", "recipients", "timestamp", "channel"], chats)
    parquet = folder / "parquet"
    parquet.mkdir()
    for part in range(2):
        csv_file = write_log(folder / f"part{part}.csv", ["sender", "recipients", "timestamp"],
                             emails(rng, 300))
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_file}', all_varchar = true, "
                   "ignore_errors = true)) "
                   f"TO '{parquet / f'part{part}.parquet'}' (FORMAT parquet)")
    found["parquet"] = parquet
    return found


@pytest.fixture(scope="module")
def people(tmp_path_factory) -> PeopleLookup:
    with Project.create(tmp_path_factory.mktemp("project") / "client.owb") as project:
        project.people.add_many(PEOPLE)
        return PeopleLookup.for_project(project)


def ties(result: Aggregate) -> list[tuple]:
    return [(period.start, list(zip(period.sources, period.targets, period.weights,
                                    period.interactions, strict=True)))
            for period in result.periods]


def located(result: Aggregate) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in result.problems]


def counts(result: Aggregate) -> tuple:
    return (result.events_read, result.excluded, result.unknown_people, result.unknown_links,
            result.directed)


# (file, line, column) of the malformed rows written by emails() and meetings: line 1 is the header
HAND_LOCATED = {"emails": [("emails.csv", 7, "Sent"), ("emails.csv", 11, "From"),
                           ("emails.csv", 15, None)],
                "meetings": [("meetings.csv", 5, "duration")]}
CASES = {
    "emails by month, broadcasts excluded": (
        "emails", "emails", AggregationRules(period="month", max_recipients=5,
                                             min_interactions=1)),
    "emails by week, down-weighted, working hours in Paris": (
        "emails", "emails", AggregationRules(period="week", max_recipients=2,
                                             broadcast="down-weight", working_hours=(8, 18),
                                             timezone="Europe/Paris", min_interactions=1)),
    "emails by quarter, reciprocal, in New York": (
        "emails", "emails", AggregationRules(period="quarter", min_interactions=2,
                                             reciprocal=True, timezone="America/New_York")),
    "one row per recipient in cp1252, by week": (
        "emails", "per_recipient", AggregationRules(period="week", max_recipients=4,
                                                    min_interactions=1)),
    "meetings in minutes, down-weighted, in Kolkata": (
        "meetings", "meetings", AggregationRules(period="month", max_recipients=3,
                                                 broadcast="down-weight", weight="minutes",
                                                 timezone="Asia/Kolkata", min_interactions=1)),
    "chats by quarter, reciprocal, working hours": (
        "chats", "chats", AggregationRules(period="quarter", reciprocal=True,
                                           working_hours=(9, 17), min_interactions=1)),
    "a folder of Parquet files": ("emails", "parquet", AggregationRules(min_interactions=1)),
}


@pytest.mark.parametrize("case", CASES)
def test_spark_makes_the_ties_duckdb_makes(case, spark, logs, people):
    kind, log, rules = CASES[case]
    source = open_source(kind, logs[log])
    expected = engine_duckdb.aggregate(source, rules, people, Progress())
    reported: list[float] = []
    got = engine_spark.aggregate(source, rules, people,
                                 Progress(lambda fraction, _: reported.append(fraction)))
    assert reported == sorted(reported) and reported[-1] == 1.0
    assert ties(got) == ties(expected)
    assert counts(got) == counts(expected)
    assert located(got) == located(expected) == HAND_LOCATED.get(log, located(got))
    # the case really exercises the rules: ties, and people or events left out
    assert sum(p.tie_count for p in got.periods) > 0
    assert got.unknown_people > 0
    assert sum(got.excluded.values()) > 0


def test_cancel_stops_spark_and_raises_cancelled(spark, logs, people):
    source = open_source("emails", logs["emails"])
    seen = []

    def cancel_once_reading(fraction: float, message: str) -> None:
        seen.append(message)
        if message == "Aggregating ties":
            progress.cancel()

    progress = Progress(cancel_once_reading)
    with pytest.raises(Cancelled):
        engine_spark.aggregate(source, AggregationRules(), people, progress)
    assert "Reading the events" in seen and "Collecting the ties" not in seen
    # the session is left clean and usable
    assert not [t.name for t in spark.catalog.listTables() if t.name.startswith("ev_")]
    assert spark.sql("SELECT 1 AS one").first().one == 1


@pytest.mark.parametrize(("missing", "advice"), [
    ("java", "sudo apt-get install openjdk-17-jre-headless"),
    ("pyspark", "pip install 'workbench[spark]'"),
])
def test_without_java_or_pyspark_the_user_is_told_how_to_install(missing, advice, tmp_path):
    hide = "import sys; sys.modules['pyspark'] = None\n" if missing == "pyspark" else ""
    code = (f"{hide}from workbench.core.errors import WorkbenchError\n"
            "from workbench.core.events.engine_spark import spark_session\n"
            "try:\n    with spark_session():\n        pass\n"
            "except WorkbenchError as error:\n    print(error)\n")
    env = {**os.environ, "PATH": str(tmp_path), "JAVA_HOME": ""}  # no java to be found
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120)
    assert advice in out.stdout
    assert "Traceback" not in out.stderr


def test_a_file_gone_before_spark_reads_it_is_a_plain_message(spark, logs, people, tmp_path):
    folder = tmp_path / "parquet"
    shutil.copytree(logs["parquet"], folder)
    source = open_source("emails", folder)
    (folder / "part1.parquet").unlink()
    with pytest.raises(WorkbenchError, match=r"parquet \(2 files\): Spark cannot aggregate the "
                       r"events \(.*part1\.parquet"):
        engine_spark.aggregate(source, AggregationRules(), people, Progress())
