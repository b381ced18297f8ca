"""Run every benchmark script in this folder (bench_*.py), one process each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# script -> (what its headline ratio compares, key in results/SCRIPT.json), printed at the end
RATIOS = {"bench_report": ("plan workbook / bare XlsxWriter", "ratio_to_bare_xlsxwriter")}
# script -> its results/NAME.json holding "ratio_lines" (one per size), repeated at the end
RATIO_LINES = {"bench_end_to_end": "end_to_end"}


def main() -> int:
    failed, passed = 0, set()
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n== {script.stem} ==", flush=True)
        ok = subprocess.run([sys.executable, str(script)]).returncode == 0
        failed += not ok
        if ok:
            passed.add(script.stem)
    print_ratios(passed)
    return 1 if failed else 0


def print_ratios(passed: set[str]) -> None:
    """The headline ratios of the scripts that ran to the end, read from their results."""
    for stem, (label, key) in RATIOS.items():
        if stem in passed:
            results = json.loads((HERE / "results" / f"{stem}.json").read_text())
            print(f"{label}: {results[key]:.2f}x")
    for stem, name in RATIO_LINES.items():
        if stem in passed:
            results = json.loads((HERE / "results" / f"{name}.json").read_text())
            print("\n".join(results["ratio_lines"]))


if __name__ == "__main__":
    sys.exit(main())
