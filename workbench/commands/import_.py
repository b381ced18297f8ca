"""`workbench import PROJECT --people FILE [--ties FILE --network NAME --type TYPE]`.

Creates the project when it does not exist. Prints what was read and every problem (file, row,
column). Refuses (exit 1, messages on stderr, project unchanged) when rows would be left out,
unless ``--accept-valid`` is given. ``--type`` must name a relation the app knows (see
:mod:`workbench.core.network.relations`); it is the relation of a file without a type column
and of the rows whose type cell is blank.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from pathlib import Path

from workbench.commands.console import end_progress_line, stderr_progress
from workbench.core.errors import Problem, WorkbenchError
from workbench.core.wording import count


def _report(file: str, what: str, problems: list[Problem], stream) -> None:
    errors = sum(p.severity == "error" for p in problems)
    print(f"{file}: {what}; {count(len(problems), 'problem')} ({count(errors, 'error')}, "
          f"{count(len(problems) - errors, 'warning')})", file=stream)
    for problem in problems:
        print(f"  {problem.severity}: {problem}", file=stream)


def run(args: argparse.Namespace) -> int:
    if not args.people and not args.ties:
        print("workbench import: give --people FILE, --ties FILE or both", file=sys.stderr)
        return 2
    if (args.network or args.type) and not args.ties:
        print("workbench import: --network and --type describe a --ties file", file=sys.stderr)
        return 2
    if args.type:
        from workbench.core.network.relations import parse_relation

        try:
            args.type = parse_relation(args.type)
        except WorkbenchError as exc:
            print(f"workbench import: --type: {exc}", file=sys.stderr)
            return 2
    from workbench.core.project import Project

    path = Path(args.project)
    created = not path.exists()
    project = Project.create(path, client=path.stem) if created else Project.open(path)
    ok = False
    try:
        code = _import(project, args)
        ok = code == 0
        return code
    finally:
        project.close()
        if created and not ok:
            with contextlib.suppress(OSError):
                path.unlink()


def _import(project, args: argparse.Namespace) -> int:
    from workbench.core import importing

    progress = stderr_progress()
    plans = []
    roster = None
    if args.people:
        people_plan = importing.read_people_file(project, args.people,
                                                 progress=progress.sub(0.0, 0.4))
        diff = people_plan.diff
        what = (f"{len(diff.added)} to add, {len(diff.changed)} to change, "
                f"{len(diff.removed)} to remove")
        if people_plan.kept:
            what += f", {len(people_plan.kept)} kept because they appear in networks"
        plans.append((Path(args.people).name, what, people_plan))
        roster = importing.roster_after(project, people_plan)
    if args.ties:
        ties_plan = importing.read_ties_file(
            project, args.ties, name=args.network, relation=args.type, roster=roster,
            progress=progress.sub(0.4, 0.9))
        what = ", ".join(f"{n.name} ({count(len(n.ties), 'tie')})" for n in ties_plan.networks)
        plans.append((Path(args.ties).name, f"networks: {what or 'none'}", ties_plan))
    end_progress_line()
    plan = importing.combine(*(p for _, _, p in plans))
    refused = bool(plan.errors) and not args.accept_valid
    for file, what, part in plans:
        _report(file, what, part.problems, sys.stderr if refused else sys.stdout)
    if refused:
        print(f"workbench import: {count(len(plan.errors), 'error')}; nothing was imported. "
              "Fix the input, or use --accept-valid to import only the valid rows.",
              file=sys.stderr)
        return 1
    summary = importing.apply_import(project, plan, accept_valid=True, date=dt.date.today(),
                                     label="Import from the command line",
                                     progress=progress.sub(0.9, 1.0))
    end_progress_line()
    print(f"Imported into {project.path.name}: {summary.describe()}")
    return 0
