"""`workbench events PROJECT --emails|--meetings|--chats PATH [rules] [--engine duckdb|spark]`.

Turns a collaboration log (CSV or Parquet, a file or a folder) into one dated network per
period of an existing project with people (see :mod:`workbench.core.events.rules` for the
rules). Prints events read, events excluded by each rule, unknown people and the networks
with their tie counts. Rows with errors are printed (file, row, column) and nothing is written
(exit 1) unless ``--accept-valid`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands.console import (
    end_progress_line,
    print_problems,
    refuse,
    stderr_progress,
)
from workbench.core.errors import WorkbenchError
from workbench.core.events.rules import KINDS, AggregationRules


def rules_from_args(args: argparse.Namespace) -> AggregationRules:
    """The aggregation rules the options ask for."""
    return AggregationRules(
        period=args.period, max_recipients=args.max_recipients,
        broadcast="down-weight" if args.down_weight else "exclude",
        working_hours=args.working_hours, timezone=args.timezone,
        min_interactions=args.min_interactions, reciprocal=args.reciprocal,
        weight=args.weight)


def run(args: argparse.Namespace) -> int:
    kind = next(k for k in KINDS if getattr(args, k))
    if args.master and args.engine != "spark":
        print("workbench events: --master is the address of a Spark cluster; give it with "
              "--engine spark", file=sys.stderr)
        return 2
    rules = rules_from_args(args)
    try:
        rules.check(kind)
    except WorkbenchError as exc:
        print(f"workbench events: {exc}", file=sys.stderr)
        return 2
    path = Path(args.project)
    if not path.is_file():
        raise WorkbenchError(f"{path} does not exist. Create the project and import its people "
                             "first (workbench import PROJECT --people FILE).")
    from workbench.core.project import Project

    with Project.open(path) as project:  # read_events refuses a project without people
        return _import(project, kind, Path(getattr(args, kind)), rules, args)


def _import(project, kind: str, source: Path, rules: AggregationRules,
            args: argparse.Namespace) -> int:
    from workbench.core.events.importing import apply_events, read_events

    progress = stderr_progress()
    plan = read_events(project, kind, source, rules, engine=args.engine, master=args.master,
                       progress=progress.sub(0.0, 0.9))
    end_progress_line()
    errors = len(plan.errors) + plan.aggregate.more_problems  # those beyond the listed ones
    refused = bool(errors) and not args.accept_valid
    out = sys.stderr if refused else sys.stdout
    for line in plan.describe_lines():
        print(line, file=out)
    if plan.problems:
        print_problems(plan.source, "rows left out or read with a note", plan.problems, out)
    if refused:
        return refuse("events", errors)
    summary = apply_events(project, plan, accept_valid=True, progress=progress.sub(0.9, 1.0),
                           label="Import collaboration data from the command line")
    end_progress_line()
    print(f"Imported into {project.path.name}: {summary.describe()}")
    return 0
