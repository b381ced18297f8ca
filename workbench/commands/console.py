"""Console helpers shared by the subcommands: progress on stderr."""

from __future__ import annotations

import sys

from workbench.core.tasks import Progress


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
