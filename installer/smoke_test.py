"""Smoke test of the frozen app (what ``make dist-test`` runs after ``make dist``).

Runs the built executable headless: ``--version`` must print the package version, the
``demo`` subcommand must write a project (subcommands are imported by name, so this catches a
missing hidden import), and ``--self-test`` must exit 0. Prints the startup time of each run
and adds them to ``dist/build-info.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_dist import DIST, executable  # noqa: E402

from workbench import __version__  # noqa: E402

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def timed_run(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    began = time.perf_counter()
    done = subprocess.run([str(executable()), *args], env=ENV, capture_output=True, text=True,
                          timeout=300)
    return time.perf_counter() - began, done


def check(done: subprocess.CompletedProcess, what: str) -> None:
    if done.returncode != 0:
        sys.exit(f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")


def main() -> int:
    if not executable().exists():
        sys.exit(f"{executable()} is missing: run `make dist` first.")
    figures: dict[str, float] = {}
    figures["version_seconds"], done = timed_run("--version")
    check(done, "--version")
    if __version__ not in done.stdout + done.stderr:
        sys.exit(f"--version printed {done.stdout!r}, expected version {__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        figures["demo_seconds"], done = timed_run("demo", str(Path(tmp) / "demo.owb"))
        check(done, "the demo subcommand")
    figures["self_test_seconds"], done = timed_run("--self-test")
    print(done.stdout, end="")
    check(done, "--self-test")
    figures = {key: round(value, 2) for key, value in figures.items()}
    info_file = DIST / "build-info.json"
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.exists() else {}
    info_file.write_text(json.dumps({**info, **figures}, indent=2) + "\n", encoding="utf-8")
    for key, value in figures.items():
        print(f"{key:>18}: {value} s")
    print("Frozen app smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
