"""End to end, as a user runs it: `workbench import` + `workbench analyse` against a bare script.

Usage: python benchmarks/bench_end_to_end.py [--sizes 10k 50k] [--repeat N] [--profile STEP]

For each size a seeded organisation is written as a people CSV and a single-relation ties CSV
(70 % of ties inside the department, popular people attract more ties). Ours is the time of
two subprocesses, process start-up included: ``workbench import PROJECT --people P --ties T``
(a new project) then ``workbench analyse PROJECT --out metrics.csv``. Bare is the time of one
subprocess running benchmarks/bare_igraph.py on the same files (csv, sqlite3, igraph: read,
check, store, measures with betweenness and harmonic closeness sampled from 256 sources,
Louvain, one CSV row per person). Its "import" step is its start-up + reading, checking and
storing; its "analyse" step the graph, measures, communities and the CSV. Each is timed as
wall seconds (``_s``) and CPU seconds (``_cpu``, user + system: steadier on a busy machine).
Prints a table with ours, bare and the ratio ours / bare per size and step, then one "ratio"
line per size (which `make bench` repeats at the end); writes benchmarks/results/end_to_end.json.
``--repeat N`` keeps the best of N runs of each. ``--profile import|analyse`` runs that command
of ours at the first size under cProfile instead (``analyse`` imports first, unprofiled).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from common import report  # noqa: E402

SIZES = {"2k": (2_000, 20_000), "10k": (10_000, 100_000), "50k": (50_000, 500_000)}
DEPARTMENTS = 20
IMPORT_STEPS = ("modules", "read_check", "store")  # of the bare script
TARGET = 1.5
STEPS = ("import_s", "analyse_s", "total_s", "import_cpu", "analyse_cpu", "total_cpu")


# -- input files ------------------------------------------------------------------------------

def write_inputs(folder: Path, people: int, ties: int, seed: int = 1) -> tuple[Path, Path]:
    """A people CSV and a ties CSV (one relation: advice) for a seeded organisation."""
    import numpy as np

    rng = np.random.default_rng(seed)
    dept = rng.integers(0, DEPARTMENTS, people)
    popularity = 1.0 / (1 + rng.permutation(people)) ** 0.6
    members = [np.flatnonzero(dept == d) for d in range(DEPARTMENTS)]
    draw = int(ties * 1.15)
    src = rng.integers(0, people, draw)
    inside = rng.random(draw) < 0.7
    dst = rng.choice(people, size=draw, p=popularity / popularity.sum())
    for d in range(DEPARTMENTS):
        pick = inside & (dept[src] == d)
        p = popularity[members[d]]
        dst[pick] = rng.choice(members[d], size=int(pick.sum()), p=p / p.sum())
    pairs = np.unique(np.column_stack((src, dst))[src != dst], axis=0)
    pairs = pairs[rng.permutation(len(pairs))[:ties]]
    weights = rng.integers(1, 4, len(pairs))
    customer = rng.random(people) < 0.2
    people_path, ties_path = folder / f"people_{people}.csv", folder / f"ties_{ties}.csv"
    with open(people_path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "email", "department", "role", "manager_id", "location",
                      "customer_facing", "segment"])
        for i in range(people):
            manager = f"e{i // 8}" if i else ""
            out.writerow([f"e{i}", f"Person {i}", f"e{i}@example.com", f"D{dept[i]:02d}",
                          "Staff", manager, "Oslo", "yes" if customer[i] else "no", ""])
    with open(ties_path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "target", "weight", "type"])
        out.writerows((f"e{a}", f"e{b}", int(w), "advice")
                      for (a, b), w in zip(pairs.tolist(), weights.tolist(), strict=True))
    return people_path, ties_path


# -- runs -------------------------------------------------------------------------------------

def _workbench(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "workbench.cli", *map(str, args)]


def _timed(command: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one subprocess (start-up included) and its standard output.
    CPU time (user + system) barely changes with the load other programs put on a shared
    machine, so its ratio is the steadier one."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stdout


def run_ours(people_path: Path, ties_path: Path, folder: Path) -> dict:
    project = folder / "ours.owb"
    project.unlink(missing_ok=True)
    import_s, import_cpu, _ = _timed(_workbench("import", project, "--people", people_path,
                                                "--ties", ties_path))
    analyse_s, analyse_cpu, _ = _timed(_workbench("analyse", project, "--out",
                                                  folder / "ours.csv"))
    return {"import_s": import_s, "analyse_s": analyse_s, "total_s": import_s + analyse_s,
            "import_cpu": import_cpu, "analyse_cpu": analyse_cpu,
            "total_cpu": import_cpu + analyse_cpu}


def run_bare(people_path: Path, ties_path: Path, folder: Path) -> dict:
    store = folder / "bare.sqlite"
    store.unlink(missing_ok=True)
    total_s, total_cpu, out = _timed([sys.executable, str(HERE / "bare_igraph.py"),
                                      str(people_path), str(ties_path), str(store),
                                      str(folder / "bare.csv")])
    steps = json.loads(out.strip().splitlines()[-1])
    analysed = [k[:-2] for k in steps if k.endswith("_s") and k[:-2] not in IMPORT_STEPS]
    analyse_s = sum(steps[f"{k}_s"] for k in analysed)
    analyse_cpu = sum(steps[f"{k}_cpu"] for k in analysed)
    return {"import_s": total_s - analyse_s, "analyse_s": analyse_s, "total_s": total_s,
            "import_cpu": total_cpu - analyse_cpu, "analyse_cpu": analyse_cpu,
            "total_cpu": total_cpu, **{k: v for k, v in steps.items() if k.endswith("_s")}}


def best_runs(repeat: int, *args) -> tuple[dict, dict]:
    """The best of ``repeat`` runs of ours and of bare, taken in turns so both see the same
    load of a shared machine."""
    runs = [(run_ours(*args), run_bare(*args)) for _ in range(repeat)]
    return (min((o for o, _ in runs), key=lambda r: r["total_s"]),
            min((b for _, b in runs), key=lambda r: r["total_s"]))


def profile(step: str, people_path: Path, ties_path: Path, folder: Path) -> None:
    """cProfile of one command of ours, run in this process through the CLI's main()."""
    import cProfile
    import pstats

    project = folder / "profiled.owb"
    import_args = ["import", str(project), "--people", str(people_path), "--ties",
                   str(ties_path)]
    if step == "analyse":
        _timed(_workbench(*import_args))
    profiler = cProfile.Profile()
    profiler.enable()
    from workbench.cli import main as cli

    code = cli(import_args if step == "import" else
               ["analyse", str(project), "--out", str(folder / "profiled.csv")])
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    print(f"exit code {code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "50k"], choices=list(SIZES))
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of each")
    parser.add_argument("--profile", choices=("import", "analyse"))
    args = parser.parse_args()
    rows, ratios = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            people_path, ties_path = write_inputs(folder, *SIZES[size])
            if args.profile:
                profile(args.profile, people_path, ties_path, folder)
                return
            ours, bare = best_runs(args.repeat, people_path, ties_path, folder)
            people, ties = SIZES[size]
            for kind, result in (("ours", ours), ("bare", bare)):
                rows.append({"size": size, "people": people, "ties": ties, "run": kind,
                             **{k: round(v, 3) for k, v in result.items()}})
            ratio = {key: round(ours[key] / bare[key], 2) for key in STEPS}
            rows.append({"size": size, "people": people, "ties": ties, "run": "ratio", **ratio})
            ratios.append(f"ratio end to end {size} ({people:,} people, {ties:,} ties): "
                          f"{ratio['total_s']:.2f}x wall (ours {ours['total_s']:.2f} s = import "
                          f"{ours['import_s']:.2f} + analyse {ours['analyse_s']:.2f}; bare "
                          f"{bare['total_s']:.2f} s), {ratio['total_cpu']:.2f}x CPU (import "
                          f"{ratio['import_cpu']:.2f}x, analyse {ratio['analyse_cpu']:.2f}x); "
                          f"target <= {TARGET}x")
    report("end_to_end", rows, {"ratio_lines": ratios})
    print("\n".join(ratios))


if __name__ == "__main__":
    main()
