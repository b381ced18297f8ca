"""The default engine: DuckDB embedded, streaming files larger than memory.

The files are scanned by DuckDB itself (``read_csv``/``read_parquet`` over the file list: no
events in Python), with a memory limit and a temporary folder to spill to. Each step of
:mod:`workbench.core.events.pipeline` runs in a worker thread while the calling thread reports
DuckDB's progress and turns Cancel into :meth:`duckdb.DuckDBPyConnection.interrupt`.
Malformed rows are located by file, line and column: bad time stamps, non-numbers and ragged
lines from DuckDB's reject table, blank required cells (CSV) by reading just those files
again, and anything in Parquet files by the record number.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.events.pipeline import (
    COUNTS_VIEW,
    DUCKDB,
    KEYS_VIEW,
    MAX_PROBLEMS,
    NUMERIC_ROLES,
    PEOPLE_TABLE,
    RAW_VIEW,
    ROLES,
    TIES_VIEW,
    TIME_ROLES,
    Aggregate,
    aggregate_from_rows,
    person_codes,
    steps,
)
from workbench.core.events.source import EventSource, utf8_files
from workbench.core.tasks import Cancelled, Progress

if TYPE_CHECKING:
    import duckdb

    from workbench.core.events.people import PeopleLookup
    from workbench.core.events.rules import AggregationRules

MEMORY_LIMIT = "1GB"
THREADS = 2
POLL_SECONDS = 0.1
# the share of the work each step takes, for the progress bar (the first scan dominates)
_HEAVY = {"ev_events": 0.45, "ev_mapped": 0.25, "ev_counted": 0.15, COUNTS_VIEW: 0.05}
# steps kept as tables (read more than once); the others are views
_TABLES = {"ev_events", KEYS_VIEW, "ev_mapped", "ev_counted", TIES_VIEW, COUNTS_VIEW}


def aggregate(source: EventSource, rules: AggregationRules, people: PeopleLookup,
              progress: Progress) -> Aggregate:
    """Apply ``rules`` to the event log ``source``; see :mod:`workbench.core.events.pipeline`."""
    import duckdb

    rules.check(source.kind)
    spill = Path(tempfile.mkdtemp(prefix="workbench-duckdb-"))
    try:
        with utf8_files(source) as paths:
            con = duckdb.connect(config={
                "threads": THREADS, "memory_limit": MEMORY_LIMIT,
                "temp_directory": str(spill), "preserve_insertion_order": False})
            try:
                return _run(con, source, rules, people, progress, paths)
            finally:
                con.close()
    except duckdb.Error as exc:
        raise WorkbenchError(f"{source.display_name}: cannot read the events ({exc}).") from exc
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _run(con: duckdb.DuckDBPyConnection, source: EventSource, rules: AggregationRules,
         people: PeopleLookup, progress: Progress, paths: list[Path]) -> Aggregate:
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    con.execute(f"SET TimeZone = {_literal(rules.timezone)}")
    con.execute(f"CREATE TEMP VIEW {RAW_VIEW} AS {_raw_sql(con, source, paths)}")
    done, names = 0.0, list[str]()
    for name, sql in steps(source, rules, DUCKDB):
        share = _HEAVY.get(name, 0.01)
        message = "Reading the events" if name == "ev_events" else "Aggregating ties"
        what = "TABLE" if name in _TABLES else "VIEW"
        _execute(con, f"CREATE TEMP {what} {name} AS {sql}", progress, done, share, message)
        done += share
        if name == KEYS_VIEW:
            keys = [row[0] for row in con.execute(f"SELECT k FROM {KEYS_VIEW}").fetchall()]
            coded, names = person_codes(people.mapping(keys))
            con.execute(f"CREATE TEMP TABLE {PEOPLE_TABLE} AS SELECT CAST(unnest(?) AS VARCHAR) "
                        "AS key, CAST(unnest(?) AS INTEGER) AS person",
                        [[k for k, _ in coded], [c for _, c in coded]])
    progress.update(0.95, "Collecting the ties")
    counts = con.execute(f"SELECT * FROM {COUNTS_VIEW}").fetchone()
    assert counts is not None
    ties = con.execute(f"SELECT period, source, target, weight, interactions FROM {TIES_VIEW} "
                       "ORDER BY period, source, target").fetchall()
    result = aggregate_from_rows(source.kind, tuple(counts), ties, names)
    problems, rejected = _problems(con, source, paths, result.excluded["malformed"])
    result.excluded["malformed"] += rejected
    problems.sort(key=lambda p: (p.file, p.row or 0))
    result.problems = problems[:MAX_PROBLEMS]
    result.more_problems = result.excluded["malformed"] - len(result.problems)
    progress.update(1.0, "Ties aggregated")
    return result


def _execute(con: duckdb.DuckDBPyConnection, sql: str, progress: Progress, start: float,
             share: float, message: str) -> None:
    """Run ``sql`` in a worker thread; report progress and interrupt it on Cancel."""
    failure: list[BaseException] = []

    def work() -> None:
        try:
            con.execute(sql)
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="duckdb-events", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            fraction = max(con.query_progress(), 0.0) / 100 if worker.is_alive() else 1.0
            progress.update(start + share * fraction, message)
    except Cancelled:
        con.interrupt()
        worker.join()
        raise
    if failure:
        raise failure[0]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _raw_sql(con: duckdb.DuckDBPyConnection, source: EventSource, paths: list[Path]) -> str:
    """The select of :data:`RAW_VIEW`: the mapped columns renamed to their roles (a Parquet
    list of recipients joined into one text like a CSV cell)."""
    files = "[" + ", ".join(_literal(str(p)) for p in paths) + "]"
    roles = ", ".join(f"{_quote(column)} AS {role}" for role, column in source.columns.items())
    if source.format == "parquet":
        scan = f"read_parquet({files}, filename = true, file_row_number = true)"
        types = dict(row[:2] for row in con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall())
        roles = ", ".join(
            f"array_to_string({_quote(column)}, ';') AS {role}"
            if str(types.get(column, "")).endswith("[]") else f"{_quote(column)} AS {role}"
            for role, column in source.columns.items())
        return f"SELECT {roles}, filename AS ev_file, file_row_number AS ev_row FROM {scan}"
    typed = {column: "TIMESTAMPTZ" if role in TIME_ROLES else "DOUBLE"
             for role, column in source.columns.items() if role in (*TIME_ROLES, *NUMERIC_ROLES)}
    cast_to = "{" + ", ".join(f"{_literal(c)}: {_literal(t)}" for c, t in typed.items()) + "}"
    return (f"SELECT {roles} FROM read_csv({files}, delim = {_literal(source.delimiter)}, "
            f"header = {str(source.header).lower()}, quote = '\"', escape = '\"', "
            f"all_varchar = true, types = {cast_to}, store_rejects = true, "
            "rejects_table = 'ev_rejects', rejects_scan = 'ev_reject_scans', "
            "null_padding = false, strict_mode = true)")


def _problems(con: duckdb.DuckDBPyConnection, source: EventSource, paths: list[Path],
              blank_rows: int) -> tuple[list[Problem], int]:
    """The located malformed rows (the first MAX_PROBLEMS) and the number DuckDB rejected
    while reading (the rows with blank or unreadable cells are counted by the pipeline)."""
    if source.format == "parquet":
        return _parquet_problems(con, source), 0
    names = {str(p): f.name for p, f in zip(paths, source.files, strict=True)}
    role_of = {column: role for role, column in source.columns.items()}
    rejected = con.execute("SELECT count(DISTINCT (file_id, line)) FROM ev_rejects").fetchone()
    rows = con.execute(
        "SELECT DISTINCT s.file_path, e.line, e.column_name, e.error_type "
        "FROM ev_rejects AS e JOIN ev_reject_scans AS s "
        "ON e.scan_id = s.scan_id AND e.file_id = s.file_id "
        f"ORDER BY s.file_path, e.line LIMIT {MAX_PROBLEMS}").fetchall()
    problems = [_reject_problem(names.get(path, Path(path).name), line, column, error,
                                role_of.get(column or "", "")) for path, line, column, error in rows]
    if blank_rows and len(problems) < MAX_PROBLEMS:
        problems += _blank_cells(source, MAX_PROBLEMS - len(problems))
    return problems, int(rejected[0]) if rejected else 0


def _reject_problem(file: str, line: int, column: str | None, error: str,
                    role: str) -> Problem:
    if error == "CAST" and role in TIME_ROLES:
        why = "is not a date and time (use 2026-03-31 14:05 or ISO 8601)"
    elif error == "CAST":
        why = "is not a number"
    else:
        return Problem(file, "malformed", "the row has another number of cells than the "
                       "header; it was left out", row=int(line))
    return Problem(file, "malformed", f"the {role.replace('_', ' ')} {why}; the row was left "
                   "out", row=int(line), column=column)


def _blank_cells(source: EventSource, most: int) -> list[Problem]:
    """Rows whose required cells are blank, found by reading the CSV files row by row."""
    from workbench.core.network.tabular import read_table

    required = [source.columns[r] for r in ROLES[source.kind][0]]
    problems: list[Problem] = []
    for file, encoding in zip(source.files, source.encodings, strict=True):
        with read_table(file, encoding=encoding, delimiter=source.delimiter,
                        max_rows=2**62) as table:
            index = {c: i for i, c in enumerate(table.columns)}
            for row, cells in table.rows:
                blank = next((c for c in required if c in index and not cells[index[c]].strip()),
                             None)
                if blank is not None:
                    problems.append(Problem(file.name, "malformed", "the cell is blank; the row "
                                            "was left out", row=row, column=blank))
                    if len(problems) >= most:
                        return problems
    return problems


def _parquet_problems(con: duckdb.DuckDBPyConnection, source: EventSource) -> list[Problem]:
    checks: list[tuple[str, str, Any]] = []
    for role in ROLES[source.kind][0]:
        if role in TIME_ROLES:
            bad = f"{DUCKDB.to_timestamp.format(role)} IS NULL"
            why = "is blank or not a date and time"
        elif role in NUMERIC_ROLES:
            bad = f"{DUCKDB.to_number.format(role)} IS NULL"
            why = "is blank or not a number"
        else:
            bad = f"coalesce(trim(CAST({role} AS VARCHAR)), '') = ''"
            why = "is blank"
        checks.append((role, bad, why))
    case = " ".join(f"WHEN {bad} THEN {_literal(role)}" for role, bad, _ in checks)
    rows = con.execute(
        f"SELECT ev_file, ev_row, CASE {case} END AS role FROM {RAW_VIEW} "
        f"WHERE ({' OR '.join(bad for _, bad, _ in checks)}) "
        f"ORDER BY ev_file, ev_row LIMIT {MAX_PROBLEMS}").fetchall()
    whys = {role: why for role, _, why in checks}
    return [Problem(Path(file).name, "malformed", f"the {role.replace('_', ' ')} "
                    f"{whys[role]}; the row was left out", row=int(record) + 1,
                    column=source.columns[role]) for file, record, role in rows]
