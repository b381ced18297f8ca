"""Plan workbook export: 10k people + a full plan. Prints a table, writes JSON to results/.

Run: .venv/bin/python benchmarks/bench_report.py [people]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

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


def raw_baseline(data: ReportData, path: Path) -> float:
    """Seconds for bare XlsxWriter writing the same Network and Roster cells (no formats)."""
    import xlsxwriter

    began = time.perf_counter()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    network, roster = book.add_worksheet("Network"), book.add_worksheet("Roster")
    for row, p in enumerate(data.network):
        for col, text in enumerate((p.id, p.name, p.department, p.role)):
            network.write_string(row, col, text)
        for col, name in enumerate(data.metric_names, start=4):
            network.write_number(row, col, p.metrics[name])
    for row, r in enumerate(data.roster):
        for col, text in enumerate((r.id, r.name, r.department, r.role, r.email)):
            roster.write_string(row, col, text)
    book.close()
    return time.perf_counter() - began


def main(people: int = 10_000) -> dict:
    data = build(people)
    rows: list[tuple[str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        began = time.perf_counter()
        write_plan_workbook(data, path)
        export_s = time.perf_counter() - began
        tracemalloc.start()
        write_plan_workbook(data, path)
        export_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append(("export workbook", export_s, export_peak))
        bare = raw_baseline(data, Path(folder) / "bare.xlsx")
        rows.append(("bare XlsxWriter, same big sheets", bare, None))
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
    print(f"export / bare XlsxWriter = {rows[0][1] / rows[1][1]:.2f}x")
    report = {"people": people, "ratio_to_bare_xlsxwriter": round(rows[0][1] / rows[1][1], 2),
              "actions": len(data.plan), "file_mb": round(size_mb, 2),
              "results": [{"work": n, "seconds": round(s, 3),
                           "peak_mb": None if p is None else round(p, 1)} for n, s, p in rows],
              "python_heap_note": "peak MB = tracemalloc peak of Python allocations"}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
