"""Implementations of the headless `workbench` subcommands (imported only when run)."""

from __future__ import annotations

import argparse
import sys

from workbench.core.errors import WorkbenchError
from workbench.core.tasks import Progress


def _stderr_progress() -> Progress:
    last = [-1]

    def report(fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        if sys.stderr.isatty() and pct != last[0]:
            last[0] = pct
            print(f"\r{pct:3d}% {message[:60]:<60}", end="", file=sys.stderr, flush=True)

    return Progress(report)


def demo(args: argparse.Namespace) -> int:
    from workbench.core.demo import build_demo

    summary = build_demo(args.out, overwrite=args.force, progress=_stderr_progress())
    if sys.stderr.isatty():
        print(file=sys.stderr)
    ties = ", ".join(f"{name} {count}" for name, count in summary.networks.items())
    print(f"Wrote {args.out}: {summary.people} people; ties: {ties}")
    return 0


def _not_yet(name: str) -> int:
    raise WorkbenchError(f"'{name}' is not available in this version yet.")


def import_(args: argparse.Namespace) -> int:
    return _not_yet("import")


def analyse(args: argparse.Namespace) -> int:
    return _not_yet("analyse")


def export(args: argparse.Namespace) -> int:
    return _not_yet("export")


def report(args: argparse.Namespace) -> int:
    return _not_yet("report")


def check_template(args: argparse.Namespace) -> int:
    """Print ``FILE:LINE: field: message`` per problem; exit 1 when there are any."""
    from pathlib import Path

    from workbench.core.questionnaire import check_template as check
    from workbench.core.questionnaire import format_problems

    path = Path(args.file)
    if path.suffix.lower() == ".xlsx":
        from workbench.core.questionnaire.xlsform import import_xlsform

        template = import_xlsform(path)
        print(f"{path}: ok — {template.title} v{template.version}, "
              f"{len(template.questions())} questions")
        return 0
    problems = check(path)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    print(f"{path}: ok")
    return 0
