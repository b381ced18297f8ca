"""The Spark engine: the rule steps of :mod:`workbench.core.events.pipeline` run by Apache Spark.

For event logs that need a cluster (``--engine spark --master spark://host:7077``; the files
must then be readable by the cluster's workers at the same path); without a master it runs
Spark in local mode on this machine. PySpark is imported only here, when the Spark engine is
chosen, and needs a Java 17 runtime. The JVM's own output (banner, start-up warnings) goes to
a temporary log, shown only when Spark cannot start. CSV cells are read as text (one line per
row) and checked by the pipeline, so a row with a blank or unreadable cell counts as malformed
exactly as with DuckDB; the engine then locates those rows by file and line.
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.events.pipeline import (
    COUNTS_VIEW,
    KEYS_VIEW,
    MAX_PROBLEMS,
    NUMERIC_ROLES,
    PEOPLE_TABLE,
    RAW_VIEW,
    ROLES,
    SPARK,
    TIES_VIEW,
    TIME_ROLES,
    Aggregate,
    aggregate_from_rows,
    steps,
)
from workbench.core.events.source import EventSource, utf8_files
from workbench.core.tasks import Cancelled, Progress

if TYPE_CHECKING:
    from workbench.core.events.people import PeopleLookup
    from workbench.core.events.rules import AggregationRules

LOCAL_MASTER = "local[2]"
POLL_SECONDS = 0.5
INSTALL_HELP = ("The Spark engine needs PySpark and a Java 17 runtime: install them with "
                "pip install 'workbench[spark]' and a Java package (on Debian or Ubuntu: "
                "sudo apt-get install openjdk-17-jre-headless).")
_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
_LOCAL_SETTINGS = {"spark.sql.shuffle.partitions": "4", "spark.driver.memory": "2g"}
# steps read more than once are computed once and kept (ev_events also fixes the event ids)
_KEPT = {"ev_events", KEYS_VIEW, "ev_ruled", "ev_pairs", "ev_members", "ev_links", TIES_VIEW}
# the share of the work each step takes, for the progress bar (the first scan dominates)
_HEAVY = {"ev_events": 0.6, "ev_links": 0.15, TIES_VIEW: 0.1}
_jvm_log: IO[bytes] | None = None  # the JVM's stdout and stderr, kept for error messages


def aggregate(source: EventSource, rules: AggregationRules, people: PeopleLookup,
              progress: Progress, master: str | None = None) -> Aggregate:
    """Apply ``rules`` to ``source`` on Spark (``master`` URL, else local mode); the same
    result as :func:`workbench.core.events.engine_duckdb.aggregate`."""
    rules.check(source.kind)
    progress.update(0.0, "Starting Spark")
    with spark_session(master, rules.timezone) as session, utf8_files(source) as paths, \
            _Watch(session, progress) as watch:
        kept: list[Any] = []
        try:
            return _run(session, source, rules, people, watch, paths, kept)
        except Cancelled:
            raise
        except Exception as error:  # py4j and Spark raise many kinds; the user gets the reason
            if progress.cancelled:
                raise Cancelled() from None
            raise WorkbenchError(f"{source.display_name}: Spark cannot aggregate the events "
                                 f"({_first_line(error)}).") from None
        finally:
            for frame in kept:
                frame.unpersist()
            for name in (RAW_VIEW, PEOPLE_TABLE, *(name for name, _ in steps(source, rules,
                                                                                SPARK))):
                session.catalog.dropTempView(name)


def _run(session: Any, source: EventSource, rules: AggregationRules, people: PeopleLookup,
         watch: _Watch, paths: list[Path], kept: list[Any]) -> Aggregate:
    """Run the steps as temporary views (those read more than once computed once and added to
    ``kept``) and collect the result."""
    _raw_frame(session, source, paths).createOrReplaceTempView(RAW_VIEW)
    done = 0.0
    for name, sql in steps(source, rules, SPARK):
        frame = session.sql(sql)
        share = _HEAVY.get(name, 0.01)
        if name in _KEPT:
            watch.step(done, share, "Reading the events" if name == "ev_events"
                       else "Aggregating ties")
            kept.append(frame.persist())
            frame.count()
        frame.createOrReplaceTempView(name)
        done += share
        if name == KEYS_VIEW:
            keys = [row[0] for row in frame.collect()]
            mapped = session.createDataFrame(people.mapping(keys), "key STRING, person STRING")
            mapped.createOrReplaceTempView(PEOPLE_TABLE)
    watch.step(done, 0.95 - done, "Collecting the ties")
    counts = tuple(session.sql(f"SELECT * FROM {COUNTS_VIEW}").first())
    ties = [tuple(row) for row in session.sql(
        f"SELECT period, source, target, weight, interactions FROM {TIES_VIEW} "
        "ORDER BY period, source, target").collect()]
    result = aggregate_from_rows(source.kind, counts, ties)
    if result.excluded["malformed"]:
        watch.step(0.97, 0.03, "Locating the malformed rows")
        result.problems = _problems(session, source, paths)
        result.more_problems = max(result.excluded["malformed"] - len(result.problems), 0)
    watch.step(1.0, 0.0, "Ties aggregated")
    return result


def _raw_frame(session: Any, source: EventSource, paths: list[Path]) -> Any:
    """The files as a frame whose columns are the source's roles (CSV cells as text; every
    cell of a row with another number of cells than the header is NULL, so it is malformed)."""
    files = [str(p) for p in paths]
    if source.format == "parquet":
        return session.read.parquet(*files).selectExpr(
            *(f"{_quote(column)} AS {role}" for role, column in source.columns.items()))
    schema, index = _csv_schema(source, paths[0])
    frame = session.read.csv(files, schema=schema, header=source.header, sep=source.delimiter,
                             quote='"', escape='"', mode="PERMISSIVE",
                             columnNameOfCorruptRecord="ev_ragged")
    return frame.selectExpr(*(f"CASE WHEN ev_ragged IS NULL THEN c{index[column]} END AS {role}"
                              for role, column in source.columns.items()))


def _csv_schema(source: EventSource, first: Path) -> tuple[str, dict[str, int]]:
    """The schema reading every cell as text (columns c0, c1...) plus the column ``ev_ragged``,
    and the index of each column name of the header."""
    with open(first, encoding="utf-8-sig", newline="") as handle:
        header = [name.strip() for name in next(csv.reader(handle, delimiter=source.delimiter))]
    schema = ", ".join(f"c{i} STRING" for i in range(len(header))) + ", ev_ragged STRING"
    return schema, {name: i for i, name in enumerate(header)}


def _problems(session: Any, source: EventSource, paths: list[Path]) -> list[Problem]:
    """The first malformed rows, located by file and line (CSV) or record (Parquet)."""
    from pyspark.sql import functions

    names = {path.name: file.name for path, file in zip(paths, source.files, strict=True)}
    files = [str(p) for p in paths]
    if source.format == "parquet":
        rows = session.read.parquet(*files).selectExpr(
            "_metadata.file_name AS ev_file", "_metadata.row_index + 1 AS ev_row",
            "CAST(NULL AS STRING) AS ev_ragged",
            *(f"{_quote(column)} AS {role}" for role, column in source.columns.items()))
    else:
        # a CSV row is a line (as Spark reads them): number the lines of each file in order
        schema, index = _csv_schema(source, paths[0])
        lines = session.read.text(files).selectExpr(
            "value", "_metadata.file_name AS ev_file", "row_number() OVER (PARTITION BY "
            "_metadata.file_name ORDER BY _metadata.file_block_start, "
            "monotonically_increasing_id()) AS ev_row")
        parsed = lines.where(f"ev_row > {int(source.header)} AND trim(value) <> ''").select(
            "ev_file", "ev_row", functions.from_csv("value", schema, {
                "sep": source.delimiter, "quote": '"', "escape": '"',
                "columnNameOfCorruptRecord": "ev_ragged"}).alias("r"))
        rows = parsed.selectExpr("ev_file", "ev_row", "r.ev_ragged AS ev_ragged", *(
            f"r.c{index[column]} AS {role}" for role, column in source.columns.items()))
    checks = [("", "ev_ragged IS NOT NULL", "the row has another number of cells than the "
               "header"), *_checks(source.kind)]
    found = rows.selectExpr("ev_file", "ev_row", "CASE " + " ".join(
        f"WHEN {bad} THEN '{role}|{why}'" for role, bad, why in checks) + " END AS fault")
    problems = []
    for file, row, fault in found.where("fault IS NOT NULL").orderBy(
            "ev_file", "ev_row").limit(MAX_PROBLEMS).collect():
        role, why = fault.split("|")
        problems.append(Problem(names.get(file, file), "malformed", f"{why}; the row was left "
                                "out", row=int(row), column=source.columns.get(role)))
    return problems


def _checks(kind: str) -> list[tuple[str, str, str]]:
    """(role, SQL true when the cell is unusable, why) for the required roles of ``kind``."""
    checks = []
    for role in ROLES[kind][0]:
        blank = f"coalesce(trim(CAST({role} AS STRING)), '') = ''"
        checks.append((role, blank, "the cell is blank"))
        words = role.replace("_", " ")
        if role in TIME_ROLES:
            checks.append((role, f"{SPARK.to_timestamp.format(role)} IS NULL",
                           f"the {words} is not a date and time (use 2026-03-31 14:05 or "
                           "ISO 8601)"))
        elif role in NUMERIC_ROLES:
            number = SPARK.to_number.format(role)
            checks.append((role, f"{number} IS NULL", f"the {words} is not a number"))
            checks.append((role, f"{number} < 0", f"the {words} is negative"))
    return checks


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def java_found() -> bool:
    """Whether a Java runtime is on the PATH or under JAVA_HOME."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    return bool(java and os.path.exists(java))


@contextlib.contextmanager
def spark_session(master: str | None = None, timezone: str = "UTC") -> Iterator[Any]:
    """A quiet Spark session reading times in ``timezone``.

    A session already active in this thread (a test's, a notebook's) on the same master is
    reused and left running; one started here is stopped at the end, with the JVM this module
    launched for it (its memory goes back to the system; the next session starts a new one).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise WorkbenchError(INSTALL_HELP) from None
    active = SparkSession.getActiveSession()
    if active is not None and master in (None, active.sparkContext.master):
        before = str(active.conf.get("spark.sql.session.timeZone"))
        active.conf.set("spark.sql.session.timeZone", timezone)
        try:
            yield active
        finally:
            active.conf.set("spark.sql.session.timeZone", before)
        return
    session = _start(master or LOCAL_MASTER, timezone)
    try:
        yield session
    finally:
        session.stop()
        _stop_jvm()


def _start(master: str, timezone: str) -> Any:
    """Start a Spark session; the first one of this process launches the JVM quietly."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    global _jvm_log
    conf = SparkConf().setMaster(master).setAppName("Organisation Design Workbench events")
    settings = {**_SETTINGS, "spark.sql.session.timeZone": timezone}
    if master.startswith("local"):
        settings.update(_LOCAL_SETTINGS)
    conf.setAll(list(settings.items()))
    try:
        gateway = None
        if SparkContext._gateway is None:
            if not java_found():
                raise WorkbenchError(INSTALL_HELP)
            _jvm_log = tempfile.TemporaryFile()  # noqa: SIM115 - open while the JVM runs
            gateway = launch_gateway(conf, popen_kwargs={"stdout": _jvm_log,
                                                         "stderr": _jvm_log})
        context = SparkContext(conf=conf, gateway=gateway)
    except WorkbenchError:
        raise
    except Exception as error:  # py4j and Spark raise many kinds; the user gets the reason
        advice = INSTALL_HELP if master.startswith("local") else (
            f"Check that {master} is reachable and runs Spark {_spark_version()}.")
        raise WorkbenchError(f"Spark could not start on {master}: {_startup_reason(error)}\n"
                             f"{advice}") from None
    context.setLogLevel("ERROR")
    return SparkSession(context)


def _stop_jvm() -> None:
    """End the JVM launched by :func:`_start` (none when PySpark launched it otherwise)."""
    from pyspark import SparkContext

    global _jvm_log
    gateway = SparkContext._gateway
    process = getattr(gateway, "proc", None)
    if gateway is None or process is None or _jvm_log is None:
        return
    gateway.shutdown()
    SparkContext._gateway = SparkContext._jvm = None
    process.stdin.close()  # the JVM ends when its input closes
    process.wait()
    _jvm_log.close()
    _jvm_log = None


def _spark_version() -> str:
    """The version of the installed PySpark (a cluster must run the same)."""
    import pyspark

    return str(pyspark.__version__)


def _startup_reason(error: Exception) -> str:
    """Why Spark did not start: the JVM's last error line when it wrote one."""
    if _jvm_log is not None:
        _jvm_log.seek(0, os.SEEK_END)
        _jvm_log.seek(max(_jvm_log.tell() - 65536, 0))
        lines = [line for line in _jvm_log.read().decode("utf-8", "replace").splitlines()
                 if "Exception" in line or "Error" in line]
        if lines:
            return lines[-1].strip()
    return _first_line(error)


def _first_line(error: Exception) -> str:
    """The line of an error that says what went wrong (not py4j's "while calling o12.count")."""
    lines = [line.strip(" :") for line in str(error).splitlines()
             if line.strip(" :") and not line.startswith("An error occurred while calling")]
    return lines[0] if lines else type(error).__name__


class _Watch:
    """Reports the progress of the running Spark jobs within the current step (from Spark's
    status tracker) and cancels them as soon as ``progress`` is cancelled, from a thread."""

    def __init__(self, session: Any, progress: Progress) -> None:
        self.context = session.sparkContext
        self.progress = progress
        self.current = (0.0, 0.0, "")
        self.reached = 0.0  # progress only moves forward, across the stages of a step
        self.lock = threading.Lock()  # one report at a time, in order
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="spark-watch", daemon=True)

    def __enter__(self) -> _Watch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()

    def step(self, start: float, share: float, message: str) -> None:
        """A new step taking ``share`` of the work from ``start``; raises Cancelled."""
        with self.lock:
            self.current, self.reached = (start, share, message), start
            self.progress.update(start, message)

    def _watch(self) -> None:
        tracker = self.context.statusTracker()
        while not self.done.wait(POLL_SECONDS):
            stages = [tracker.getStageInfo(i) for i in tracker.getActiveStageIds()]
            tasks = sum(s.numTasks for s in stages if s is not None)
            finished = sum(s.numCompletedTasks for s in stages if s is not None)
            try:
                with self.lock:
                    start, share, message = self.current
                    reached = start + share * finished / tasks if tasks else 0.0
                    if reached > self.reached:
                        self.reached = reached
                        self.progress.update(reached, message)
                    else:
                        self.progress.check()
            except Cancelled:
                self.context.cancelAllJobs()
                return
