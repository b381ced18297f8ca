"""The four deliverables (plan workbook, narrative report, slide deck, summary PDF) for the demo
and for a generated 10,000-person engagement.

Usage: python benchmarks/bench_deliverables.py [--people 10000]

Demo: the assembling alone (the first time analyses the network and saves the result, later
ones reuse it), then ``export_deliverable`` per format, end to end as ``workbench report`` runs
it (assembling the report data from the project, then the writer). Generated: the
report data of :func:`bench_report.build` (``people`` people with metrics and roster rows, every
assessed item a gap, a full proposed plan) handed to each format's writer, so the seconds are
the writer's own. Seconds are one run each. Prints a table and writes
benchmarks/results/deliverables.json.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from common import report, timed  # noqa: E402

from workbench.core.report.deliverables import FORMATS  # noqa: E402
from workbench.core.tasks import Progress  # noqa: E402


def _row(case: str, work: str, seconds: float, path: Path | None = None) -> dict:
    size = round(path.stat().st_size / 1024) if path is not None else None
    return {"case": case, "work": work, "seconds": seconds, "file KB": size}


def demo_rows(folder: Path) -> list[dict]:
    from workbench.core.demo import build_demo
    from workbench.core.project import Project
    from workbench.core.report.assemble import build_report_data
    from workbench.core.report.deliverables import export_deliverable

    project_path = folder / "demo.owb"
    build_demo(project_path)
    rows = []
    with Project.open(project_path) as project:
        seconds, _data = timed(lambda: build_report_data(project))
        rows.append(_row("demo", "assemble report data, first (analyses)", seconds))
        seconds, _data = timed(lambda: build_report_data(project))
        rows.append(_row("demo", "assemble report data, analysis saved", seconds))
        for suffix, form in FORMATS.items():
            path = folder / f"demo{suffix}"
            seconds, _result = timed(lambda p=path: export_deliverable(project, p))
            rows.append(_row("demo", f"{form.label}, end to end", seconds, path))
    return rows


def generated_rows(folder: Path, people: int) -> list[dict]:
    from bench_report import build

    data = build(people)
    case = f"generated, {people:,} people, {len(data.plan)} actions"
    rows = []
    for suffix, form in FORMATS.items():
        path = folder / f"generated{suffix}"
        seconds, _notices = timed(lambda f=form, p=path: f.write(data, p, None, Progress()))
        rows.append(_row(case, f"{form.label}, writer only", seconds, path))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = demo_rows(Path(folder)) + generated_rows(Path(folder), args.people)
    report("deliverables", rows)


if __name__ == "__main__":
    main()
