"""`workbench import PROJECT --people FILE [--ties FILE --network NAME --type TYPE]`,
or `workbench import PROJECT [--insights FILE] [--evidence FILE]` (customer-learning lab).

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

from workbench.commands.console import (
    end_progress_line,
    print_problems,
    refuse,
    stderr_progress,
)
from workbench.core.errors import WorkbenchError
from workbench.core.wording import count


def run(args: argparse.Namespace) -> int:
    learning = bool(args.insights or args.evidence)
    if learning and (args.people or args.ties):
        print("workbench import: import --people/--ties and --insights/--evidence in two runs "
              "(people first, so insights can name them)", file=sys.stderr)
        return 2
    if not args.people and not args.ties and not learning:
        print("workbench import: give --people FILE, --ties FILE or both (or --insights, "
              "--evidence)", file=sys.stderr)
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
        code = (_import_learning if learning else _import)(project, args)
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
        what = f"networks: {what or 'none'}"
        if ties_plan.diff.changed:  # partitions and vectors of a Pajek file
            what += (f"; new attribute values for "
                     f"{count(len(ties_plan.diff.changed), 'person', 'people')}")
        plans.append((Path(args.ties).name, what, ties_plan))
    end_progress_line()
    plan = importing.combine(*(p for _, _, p in plans))
    refused = bool(plan.errors) and not args.accept_valid
    for file, what, part in plans:
        print_problems(file, what, part.problems, sys.stderr if refused else sys.stdout)
    if refused:
        return refuse("import", len(plan.errors))
    summary = importing.apply_import(project, plan, accept_valid=True, date=dt.date.today(),
                                     label="Import from the command line",
                                     progress=progress.sub(0.9, 1.0))
    end_progress_line()
    print(f"Imported into {project.path.name}: {summary.describe()}")
    return 0


def _import_learning(project, args: argparse.Namespace) -> int:
    """--insights (added to the log) and --evidence (replacing the customer measures): both
    read and checked first, then written as one undoable edit."""
    from workbench.core.learning import evidence_import, insights_import

    progress = stderr_progress()
    parts: list = []  # (file name, what it would change, the file's import)
    insights = evidence = None
    segments = set(project.learning.segments())
    if args.insights:
        insights = insights_import.read_insights_file(project, args.insights,
                                                      progress=progress.sub(0.0, 0.9))
        end_progress_line()
        parts.append((Path(args.insights).name,
                      f"{count(len(insights.records), 'insight')} to add", insights))
        segments.update(d.segment for d in insights.records)
    if args.evidence:
        evidence = evidence_import.import_evidence(args.evidence, sorted(segments))
        stored = len(project.learning.data().measures)
        parts.append((Path(args.evidence).name,
                      f"{count(len(evidence.records), 'customer measure')} to replace the "
                      f"{stored} stored", evidence))
    errors = sum(len(result.errors) for _, _, result in parts)
    refused = bool(errors) and not args.accept_valid
    for file, what, result in parts:
        print_problems(file, what, result.problems, sys.stderr if refused else sys.stdout)
    if refused:
        return refuse("import", errors)
    done = []
    with project.edit("Import from the command line"):
        if insights is not None:
            done.append(insights_import.apply_insights(project, insights, accept_valid=True,
                                                       file=args.insights))
        if evidence is not None:
            done.append(evidence_import.apply_evidence(project, evidence, accept_valid=True,
                                                       file=args.evidence))
    print(f"Imported into {project.path.name}: {'; '.join(s.describe() for s in done)}")
    return 0
