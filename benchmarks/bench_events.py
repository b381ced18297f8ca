"""Time collaboration event logs into monthly networks: 10 million e-mails, 10,000 people.

Usage: python benchmarks/bench_events.py [--events N] [--people N] [--engine duckdb|spark]
                                         [--master URL] [--keep DIR]

A seeded event log is generated with DuckDB itself (fast, no Python loop): one row per e-mail
with a recipients list, over the 12 months of 2025. Most e-mails go to 1-3 people, mostly in
the sender's team of ten; about 1 % are broadcasts to 30-60 people. It is written as CSV and
converted to Parquet. Each run (read_events + apply_events into a fresh project with the
10,000 people, default rules: monthly, broadcasts over 25 recipients left out, at least 2
interactions) happens in a fresh subprocess so its peak resident memory (``ru_maxrss``)
belongs to it alone. Prints a table and writes ``benchmarks/results/events.json``, with the
100-million extrapolation from Parquet: the work is one scan and hash aggregations whose cost
grows linearly with the rows, while the state kept (people, ties per month) is bounded by the
people, not the events.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import report  # noqa: E402

EVENTS = 10_000_000
PEOPLE = 10_000
TEAM = 10


def generate(folder: Path, events: int, people: int) -> tuple[Path, Path]:
    """Write emails.csv and emails.parquet (the same events) into ``folder``; seeded."""
    import duckdb

    csv_path, parquet_path = folder / "emails.csv", folder / "emails.parquet"
    con = duckdb.connect(config={"threads": 2, "memory_limit": "1GB",
                                 "temp_directory": str(folder / "spill")})
    con.execute("SET enable_progress_bar = false")
    # hash(i, salt) is a deterministic stand-in for a seeded random number in any thread
    r = "(hash(i, {salt}) % 1000000) / 1000000.0"
    recipients = (
        f"CASE WHEN {r.format(salt=1)} < 0.01 THEN 30 + hash(i, 2) % 31 "
        f"WHEN {r.format(salt=1)} < 0.05 THEN 4 + hash(i, 3) % 7 "
        f"WHEN {r.format(salt=1)} < 0.15 THEN 3 WHEN {r.format(salt=1)} < 0.40 THEN 2 ELSE 1 END")
    pick = (f"CASE WHEN n < 30 AND hash(i, j, 5) % 100 < 80 "
            f"THEN (sender // {TEAM}) * {TEAM} + (sender + 1 + hash(i, j, 6) % {TEAM - 1}) % {TEAM} "
            f"ELSE hash(i, j, 7) % {people} END")
    con.execute(f"""
        COPY (
          SELECT 'p' || lpad(CAST(sender AS VARCHAR), 5, '0') || '@example.com' AS sender,
                 array_to_string(list_transform(range(CAST(n AS BIGINT)), lambda j:
                     'p' || lpad(CAST({pick} AS VARCHAR), 5, '0') || '@example.com'), ';')
                     AS recipients,
                 strftime(TIMESTAMP '2025-01-01' + to_seconds(CAST(hash(i, 8) % 31536000 AS BIGINT)),
                          '%Y-%m-%dT%H:%M:%S') AS timestamp,
                 'm' || CAST(i AS VARCHAR) AS message_id
          FROM (SELECT i, CAST(hash(i, 4) % {people} AS BIGINT) AS sender, {recipients} AS n
                FROM range({events}) AS t(i))
        ) TO '{csv_path}' (HEADER, DELIMITER ',')""")
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) "
                f"TO '{parquet_path}' (FORMAT parquet)")
    con.close()
    shutil.rmtree(folder / "spill", ignore_errors=True)
    return csv_path, parquet_path


def make_project(path: Path, people: int) -> None:
    from workbench.core.model import Person
    from workbench.core.project import Project

    with Project.create(path) as project:
        project.people.add_many([Person(f"e{i:05d}", name=f"Person {i}",
                                        email=f"P{i:05d}@example.com",
                                        department=f"Team {i // TEAM}")
                                 for i in range(people)])


def measure(project_path: str, events_path: str, engine: str, master: str | None) -> dict:
    """Run in the child process: read and apply the events, return timings and memory."""
    from workbench.core.events.importing import apply_events, read_events
    from workbench.core.events.rules import AggregationRules
    from workbench.core.project import Project

    load = os.getloadavg()[0]  # the machine may be shared: cpu_s says what the work took
    with Project.open(project_path) as project:
        start = time.perf_counter()
        plan = read_events(project, "emails", events_path, AggregationRules(), engine=engine,
                           master=master)
        read = time.perf_counter() - start
        read_cpu = time.process_time()
        summary = apply_events(project, plan)
        total = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"events": plan.aggregate.events_read, "read_s": read, "seconds": total,
            "read_cpu_s": read_cpu, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024,
            "networks": len(summary.networks), "ties": sum(summary.networks.values()),
            "broadcasts": plan.aggregate.excluded["broadcast"], "load_avg": load,
            **(_jvm_usage() if engine == "spark" else {})}


def _jvm_usage() -> dict:
    """CPU and peak memory of Spark's JVM: a child process, ended (and waited for) with the
    session, so the children's usage is the JVM's."""
    jvm = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"jvm_cpu_s": jvm.ru_utime + jvm.ru_stime, "jvm_peak_rss_mb": jvm.ru_maxrss / 1024}


def run_child(folder: Path, people: int, events_path: Path, engine: str,
              master: str | None) -> dict:
    project = folder / f"bench-{engine}-{events_path.suffix[1:]}.owb"
    project.unlink(missing_ok=True)
    make_project(project, people)
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
            "from benchmarks.bench_events import measure; "
            "print(json.dumps(measure(*sys.argv[2:6])))")
    root = str(Path(__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", code, root, str(project), str(events_path),
                          engine, master or ""], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--engine", choices=("duckdb", "spark"), action="append",
                        help="engines to time (default duckdb; repeat for both)")
    parser.add_argument("--master", default=None, help="Spark master URL (default local)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="generate into (or reuse) this folder instead of a temp one")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-events-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        csv_path, parquet_path = folder / "emails.csv", folder / "emails.parquet"
        start = time.perf_counter()
        if not (csv_path.exists() and parquet_path.exists()):
            generate(folder, args.events, args.people)
        generated = time.perf_counter() - start
        rows = []
        for engine in args.engine or ["duckdb"]:
            for path in (csv_path, parquet_path):
                row = run_child(folder, args.people, path, engine, args.master)
                rows.append({"engine": engine, "format": path.suffix[1:], **row})
        parquet = next((r for r in rows if r["engine"] == "duckdb" and r["format"] == "parquet"),
                       None)
        if parquet is not None:
            per_10m = parquet["seconds"] * 10_000_000 / max(parquet["events"], 1)
            rows.append({"engine": "duckdb", "format": "parquet (100M, extrapolated)",
                         "events": 100_000_000, "seconds": round(per_10m * 10, 1),
                         "cpu_s": round(parquet["cpu_s"] * 100_000_000 / parquet["events"], 1)})
        print(f"generated {args.events:,} e-mails for {args.people:,} people in "
              f"{generated:.1f} s ({csv_path.stat().st_size / 1e6:.0f} MB CSV, "
              f"{parquet_path.stat().st_size / 1e6:.0f} MB Parquet)")
        engines = args.engine or ["duckdb"]  # Spark rows go to their own results file
        report("events" if engines == ["duckdb"] else "events_" + "_".join(engines), rows)
        print("100M from Parquet = 10 x the 10M time: one scan and hash aggregations, linear in "
              "the events; the people and the ties per period do not grow with the events, and "
              "DuckDB spills to disk past its memory limit instead of growing.")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
