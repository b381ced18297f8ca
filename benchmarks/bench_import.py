"""Time the people and ties importers on generated CSV files and measure their peak memory.

Usage: python benchmarks/bench_import.py [--quick]

Two seeded sizes (10k people / 150k ties and 50k people / 750k ties) are written to a temp
folder. Each size is imported in a fresh subprocess so its peak resident memory
(``ru_maxrss``) belongs to that import alone; CPU time is reported next to wall time (the
machine may be shared) together with the ratio to a bare ``csv.reader`` pass over the same
ties file. Prints a table and writes
``benchmarks/results/bench_import.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = ((10_000, 150_000), (50_000, 750_000))
QUICK_SIZES = ((2_000, 30_000),)
RELATIONS = ("advice", "collaboration", "customer_insight")
DEPARTMENTS = ("Sales", "Service", "Product", "Finance", "Operations", "Marketing")
RESULTS = Path(__file__).resolve().parent / "results" / "bench_import.json"


def write_people(path: Path, count: int, rng: random.Random) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "email", "department", "role", "manager_id", "location",
                      "customer_facing", "segment", "grade"])
        for i in range(count):
            manager = f"e{rng.randrange(i)}" if i else ""
            out.writerow([f"e{i}", f"Person {i}", f"p{i}@example.com", rng.choice(DEPARTMENTS),
                          "Staff", manager, rng.choice(("Oslo", "Lyon", "Leeds")),
                          rng.choice(("yes", "no")), rng.choice(("SMB", "Enterprise", "")),
                          str(rng.randint(1, 9))])


def write_ties(path: Path, people: int, count: int, rng: random.Random) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "target", "weight", "type"])
        for _ in range(count):
            source, target = rng.randrange(people), rng.randrange(people)
            out.writerow([f"e{source}", f"e{target}", rng.randint(1, 5), rng.choice(RELATIONS)])


def measure(people_path: str, ties_path: str) -> dict[str, float | int]:
    """Run in the child process: import both files, return timings and memory."""
    from workbench.core.network.people_import import import_people
    from workbench.core.network.ties_import import import_ties

    start = time.process_time()
    with open(ties_path, encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle):
            pass
    csv_pass_s = time.process_time() - start
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    people = import_people(people_path)
    people_s, people_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    ties = import_ties(ties_path, {p.id for p in people.people})
    ties_s, ties_cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "people": len(people.people), "ties": len(ties.ties),
        "people_problems": len(people.problems), "ties_problems": len(ties.problems),
        "import_people_s": round(people_s, 3), "import_ties_s": round(ties_s, 3),
        "import_people_cpu_s": round(people_cpu, 3), "import_ties_cpu_s": round(ties_cpu, 3),
        "total_s": round(people_s + ties_s, 3),
        "csv_reader_pass_cpu_s": round(csv_pass_s, 3),
        "ties_vs_csv_reader": round(ties_cpu / max(csv_pass_s, 1e-9), 1),
        "baseline_rss_mb": round(baseline_kb / 1024, 1), "peak_rss_mb": round(peak_kb / 1024, 1),
        "bytes_per_tie": round((peak_kb - baseline_kb) * 1024 / max(len(ties.ties), 1)),
    }


def run(sizes: tuple[tuple[int, int], ...]) -> list[dict[str, float | int]]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for people, ties in sizes:
            rng = random.Random(people)
            people_path = Path(folder) / f"people_{people}.csv"
            ties_path = Path(folder) / f"ties_{ties}.csv"
            write_people(people_path, people, rng)
            write_ties(ties_path, people, ties, rng)
            child = subprocess.run(
                [sys.executable, __file__, "--child", str(people_path), str(ties_path)],
                check=True, capture_output=True, text=True,
            )
            row = json.loads(child.stdout)
            row.update(people_rows=people, tie_rows=ties,
                       ties_file_mb=round(ties_path.stat().st_size / 2**20, 1))
            results.append(row)
    return results


def print_table(results: list[dict[str, float | int]]) -> None:
    header = (f"{'people':>8} {'tie rows':>9} {'file MB':>8} {'people s':>9} {'ties s':>7} "
              f"{'ties cpu s':>10} {'x csv pass':>10} {'total s':>8} {'peak RSS MB':>12} "
              f"{'B/tie':>6}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['people_rows']:>8,} {r['tie_rows']:>9,} {r['ties_file_mb']:>8} "
              f"{r['import_people_s']:>9} {r['import_ties_s']:>7} "
              f"{r['import_ties_cpu_s']:>10} {r['ties_vs_csv_reader']:>10} {r['total_s']:>8} "
              f"{r['peak_rss_mb']:>12} {r['bytes_per_tie']:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small size only")
    parser.add_argument("--child", nargs=2, metavar=("PEOPLE", "TIES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    results = run(QUICK_SIZES if args.quick else SIZES)
    print_table(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "import", "python": platform.python_version(),
        "machine": platform.machine(), "results": results,
    }, indent=2) + "\n")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
