"""Console helpers shared by the subcommands: progress on stderr."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from workbench.core.errors import Problem
from workbench.core.tasks import Progress
from workbench.core.wording import count


def stderr_progress() -> Progress:
    """Progress printed on one terminal line (silent when stderr is not a terminal)."""
    last = [-1]

    def report(fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        if sys.stderr.isatty() and pct != last[0]:
            last[0] = pct
            print(f"\r{pct:3d}% {message[:60]:<60}", end="", file=sys.stderr, flush=True)

    return Progress(report)


def end_progress_line() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def print_problems(file: str, what: str, problems: Sequence[Problem], stream: TextIO) -> None:
    """One line for a file read (what it gives, how many problems), then each problem located
    by file, row and column."""
    errors = sum(p.severity == "error" for p in problems)
    print(f"{file}: {what}; {count(len(problems), 'problem')} ({count(errors, 'error')}, "
          f"{count(len(problems) - errors, 'warning')})", file=stream)
    for problem in problems:
        print(f"  {problem.severity}: {problem}", file=stream)


def refuse(command: str, errors: int) -> int:
    """Say that nothing was imported because of ``errors`` rows with errors; exit code 1."""
    print(f"workbench {command}: {count(errors, 'error')}; nothing was imported. "
          "Fix the input, or use --accept-valid to import only the valid rows.",
          file=sys.stderr)
    return 1
