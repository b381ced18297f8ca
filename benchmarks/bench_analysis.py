"""The analysis path: the app's full analysis and what `workbench analyse` computes.

Usage: python benchmarks/bench_analysis.py [--sizes 10k 50k] [--labels]

For each size the organisation of bench_end_to_end is imported into a new project, then
``analyse_network(use_cache=False)`` (measures, layout, findings with their random baseline,
group figures, cache) and ``analyse_roles`` (the CSV's measures and roles; with ``--labels``
individual labels are switched on, so roles and the random baseline are worked out too) each
run in a fresh process. Wall time is printed beside the CPU time of the analysing process
and of the second process that computes the random baseline meanwhile: on a busy machine the
CPU times are the steadier figures, and on an idle one the wall time approaches the larger
of the two. Writes benchmarks/results/analysis.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from bench_end_to_end import SIZES, write_inputs  # noqa: E402
from common import report  # noqa: E402

CHILD = """
import json, resource, sys, time
from workbench.core.analysis import analyse_network, analyse_roles
from workbench.core.project import Project

def main(path, step):
    with Project.open(path) as project:
        start, cpu = time.perf_counter(), time.process_time()
        if step == "full":
            analyse_network(project, use_cache=False)
        else:
            analyse_roles(project)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall_s": wall, "cpu_s": cpu,
                      "baseline_cpu_s": worker.ru_utime + worker.ru_stime}))

if __name__ == "__main__":
    main(*sys.argv[1:])
"""


def imported(folder: Path, size: str, labels: bool) -> Path:
    """A project holding the organisation of ``size`` (individual labels on if ``labels``)."""
    from workbench.core import importing
    from workbench.core.privacy import PrivacySettings, save_privacy
    from workbench.core.project import Project

    people_path, ties_path = write_inputs(folder, *SIZES[size])
    path = folder / f"{size}.owb"
    with Project.create(path, client="bench") as project:
        people = importing.read_people_file(project, people_path)
        ties = importing.read_ties_file(project, ties_path,
                                        roster=importing.roster_after(project, people))
        importing.apply_import(project, importing.combine(people, ties), accept_valid=True)
        if labels:
            save_privacy(project, PrivacySettings(name_individual_labels=True))
    return path


def measured(path: Path, step: str) -> dict:
    script = path.parent / "child.py"
    script.write_text(CHILD)
    done = subprocess.run([sys.executable, str(script), str(path), step], check=True,
                          capture_output=True, text=True, cwd=HERE.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "50k"], choices=list(SIZES))
    parser.add_argument("--labels", action="store_true",
                        help="switch individual labels on, so the CSV needs roles")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = imported(Path(tmp), size, args.labels)
            for step in ("roles", "full"):  # roles first: the full analysis fills the cache
                result = measured(path, step)
                rows.append({"size": size, "step": step, "labels": args.labels,
                             **{k: round(v, 2) for k, v in result.items()}})
    report("analysis", rows)


if __name__ == "__main__":
    main()
