"""Plan workbook export: 10k people + a full plan. Prints a table, writes JSON to results/.

The baseline is bare XlsxWriter writing the same workbook: every XlsxWriter call the export
makes is recorded once and then replayed with nothing computed on the way (no privacy
suppression, safety checks, fingerprints or row heights). The two files are checked to hold
the same parts byte for byte: all sheets, cells, formats, charts and data validation.

Run: .venv/bin/python benchmarks/bench_report.py [people]
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from workbench.core.method.gaps import Gap
from workbench.core.plan.builder import propose_plan
from workbench.core.plan.evidence import Crossing, LeaderRating, NetworkFigures, say_vs_show
from workbench.core.plan.library import gap_items, load_library
from workbench.core.questionnaire.schema import FOUNDATIONS, STEPS
from workbench.core.report.data import (
    EngagementSummary,
    GroupTies,
    PersonMetrics,
    QuestionStat,
    ReportData,
    RosterEntry,
)
from workbench.core.report.plan_reader import read_plan_workbook
from workbench.core.report.summary_pdf import write_summary_pdf
from workbench.core.report.workbook_writer import write_plan_workbook

METRICS = ("degree", "in_degree", "out_degree", "betweenness", "harmonic_closeness",
           "eigenvector", "pagerank", "constraint", "key_person_risk", "community")
RESULTS = Path(__file__).resolve().parent / "results"
ROUNDS = 5  # workbook and bare replay, alternately


def build(people: int, seed: int = 1) -> ReportData:
    rng = random.Random(seed)
    departments = tuple(f"Dept {i:02d}" for i in range(20))
    network = [PersonMetrics(f"E{i:06d}", f"Person {i}", departments[i % 20],
                             rng.choice(("member", "bridge", "go-to person", "influencer")),
                             {m: rng.random() for m in METRICS}) for i in range(people)]
    ties = {(a, b): rng.randint(0, 400) for a in departments for b in departments}
    sizes = {d: rng.choice((2, 4, 30, 600)) for d in departments}
    items = gap_items()  # every ladder cell and every other assessed item has a gap
    shortfalls = [rng.uniform(0.5, 3.0) if i.step else 1.5 for i in items]
    gaps = [Gap(i.ref, i.label, i.step, 3.0 - short, short, rank=rank) for rank, (short, i)
            in enumerate(sorted(zip(shortfalls, items, strict=True),
                                key=lambda pair: -pair[0]), start=1)]
    design = [i for i in items if i.ref.startswith("org_design:") and i.ref.endswith("_current")]
    start = dt.date(2025, 1, 6)
    plan = propose_plan(gaps, load_library(), 5, start)
    return ReportData(
        engagement=EngagementSummary("bench-uuid", "Benchmark Ltd", 5, 1, "Bench", start),
        maturity={(s, k): rng.uniform(0, 4) for s in STEPS for k in FOUNDATIONS},
        top_gaps=gaps[:10],
        questionnaire=[QuestionStat(i.ref.split(":")[1], i.label, 12, 2.0, 2.0, 1.0, False)
                       for i in design],
        metric_names=METRICS, network=network,
        groups=GroupTies(departments, sizes, ties, {d: rng.uniform(-1, 1) for d in departments}),
        evidence=say_vs_show({s: LeaderRating(2.5, 6) for s in STEPS},
                             NetworkFigures(Crossing("customer insight", 4_000, 1_200, 0.9),
                                            40, Crossing("collaboration", 40_000, 12_000, 0.9),
                                            3, (4, 12, 3), None, len(departments))),
        plan=plan, plan_start=start,
        roster=[RosterEntry(p.id, p.name, p.department, "Staff", f"{p.id}@x.test")
                for p in network],
    )


class _Recording:
    """Stands in for an XlsxWriter workbook, sheet or chart: forwards every call and records
    it in ``calls`` as (object number, method, arguments, positions of object numbers among
    them, keyword arguments, whether it makes a new object)."""

    def __init__(self, real: Any, number: int, calls: list, numbers: dict[int, int]) -> None:
        self._real, self._number, self._calls, self._numbers = real, number, calls, numbers

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._real, name)
        if not callable(method):
            return method

        def call(*args: Any, **kwargs: Any) -> Any:
            real = [a._real if isinstance(a, _Recording) else a for a in args]
            result = method(*real, **kwargs)
            refs = tuple(i for i, a in enumerate(real) if self._made(a))
            recorded = [self._numbers[id(a)] if i in refs else copy.deepcopy(a)
                        for i, a in enumerate(real)]
            assert not any(self._made(v) for v in kwargs.values()), (name, kwargs)
            makes = isinstance(result, Format | Worksheet | Chart)
            self._calls.append((self._number, name, tuple(recorded), refs,
                                copy.deepcopy(kwargs), makes))
            if not makes:
                return result
            self._numbers[id(result)] = number = len(self._numbers)
            return result if isinstance(result, Format) else _Recording(
                result, number, self._calls, self._numbers)
        return call

    def _made(self, value: Any) -> bool:
        return isinstance(value, Format | Worksheet | Chart) and id(value) in self._numbers


def record_calls(data: ReportData, path: Path) -> tuple[dict, list]:
    """The workbook options and every XlsxWriter call write_plan_workbook makes for ``data``
    (sheets, formats and charts named by the order they were made in)."""
    import xlsxwriter

    calls: list = []
    made: dict = {}

    def workbook(filename: str, options: dict) -> _Recording:
        made["options"] = options
        book = real_workbook(filename, options)
        return _Recording(book, 0, calls, {id(book): 0})

    real_workbook = xlsxwriter.Workbook
    with mock.patch.object(xlsxwriter, "Workbook", workbook):
        write_plan_workbook(data, path)
    return made["options"], calls


def compile_calls(calls: list) -> list:
    """The recorded calls as runs, each (object, method, format, argument tuples): a run is
    consecutive calls of one method on one object whose only made-object argument is the same
    last one (a cell format) or none, replayed as a tight loop like a hand-written script.
    Any other call (making an object, keyword arguments) is a run of its own, format None."""
    runs: list = []
    for target, name, args, refs, kwargs, makes in calls:
        last = len(args) - 1
        if kwargs or makes or refs not in ((), (last,)):
            runs.append((target, name, None, [(args, refs, kwargs, makes)]))
            continue
        fmt = args[last] if refs else None
        if runs and runs[-1][:3] == (target, name, fmt) and runs[-1][2] is not None:
            runs[-1][3].append(args[:last])
        elif fmt is not None:
            runs.append((target, name, fmt, [args[:last]]))
        else:
            runs.append((target, name, None, [(args, refs, kwargs, makes)]))
    return runs


def raw_baseline(options: dict, runs: list, path: Path) -> None:
    """Bare XlsxWriter making the recorded calls (:func:`compile_calls`): the same cells,
    formats, merged ranges, charts, data validation and print setup, nothing computed."""
    import xlsxwriter

    made: list[Any] = [xlsxwriter.Workbook(str(path), options)]
    for target, name, fmt, arguments in runs:
        method = getattr(made[target], name)
        if fmt is not None:
            cell_format = made[fmt]
            for args in arguments:
                method(*args, cell_format)
            continue
        for args, refs, kwargs, makes in arguments:
            if refs:
                args = tuple(made[a] if i in refs else a for i, a in enumerate(args))
            result = method(*args, **kwargs)
            if makes:
                made.append(result)


def clocks(work: Any) -> tuple[float, float]:
    """Wall and CPU seconds of ``work()`` (CPU time barely moves when other jobs share the
    machine, wall time does)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def same_parts(ours: Path, bare: Path) -> bool:
    """Whether two .xlsx files hold the same parts byte for byte (but the creation time)."""
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(bare) as b:
        names = sorted((set(a.namelist()) | set(b.namelist())) - {"docProps/core.xml"})
        return all(n in a.namelist() and n in b.namelist() and a.read(n) == b.read(n)
                   for n in names)


def main(people: int = 10_000) -> dict:
    data = build(people)
    rows: list[tuple[str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as folder:
        path, bare_path = Path(folder) / "plan.xlsx", Path(folder) / "bare.xlsx"
        options, calls = record_calls(data, Path(folder) / "recorded.xlsx")
        calls = compile_calls(calls)
        ours, bare = [], []
        for _ in range(ROUNDS):  # back to back, best of each: the ratio survives a busy machine
            ours.append(clocks(lambda: write_plan_workbook(data, path)))
            bare.append(clocks(lambda: raw_baseline(options, calls, bare_path)))
        ours_s, ours_cpu = (min(times) for times in zip(*ours, strict=True))
        bare_s, bare_cpu = (min(times) for times in zip(*bare, strict=True))
        assert same_parts(path, bare_path), "the baseline must write the same workbook"
        tracemalloc.start()
        write_plan_workbook(data, path)
        export_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append(("export workbook", ours_s, export_peak))
        rows.append(("bare XlsxWriter, the same calls replayed", bare_s, None))
        size_mb = path.stat().st_size / 2**20
        began = time.perf_counter()
        result = read_plan_workbook(path, "bench-uuid", data.plan)
        rows.append(("re-import plan (all sheets fingerprinted)", time.perf_counter() - began,
                     None))
        assert not result.changes and not result.problems, result
        began = time.perf_counter()
        write_summary_pdf(data, Path(folder) / "summary.pdf")
        rows.append(("summary PDF", time.perf_counter() - began, None))
    print(f"plan workbook: {people:,} people, {len(data.plan)} actions, "
          f"{len(METRICS)} metrics, file {size_mb:.1f} MB")
    print(f"{'work':<44}{'seconds':>9}{'peak MB':>10}")
    for name, seconds, peak in rows:
        print(f"{name:<44}{seconds:>9.2f}{'' if peak is None else f'{peak:.0f}':>10}")
    print(f"export / bare XlsxWriter = {ours_s / bare_s:.2f}x wall time, "
          f"{ours_cpu / bare_cpu:.2f}x CPU time (best of {ROUNDS} rounds each)")
    report = {"people": people, "ratio_to_bare_xlsxwriter": round(ours_s / bare_s, 2),
              "cpu_ratio_to_bare_xlsxwriter": round(ours_cpu / bare_cpu, 2),
              "actions": len(data.plan), "file_mb": round(size_mb, 2),
              "results": [{"work": n, "seconds": round(s, 3),
                           "peak_mb": None if p is None else round(p, 1)} for n, s, p in rows],
              "python_heap_note": "peak MB = tracemalloc peak of Python allocations"}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
