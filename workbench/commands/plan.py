"""`workbench plan PROJECT [--target N] [--start YYYY-MM-DD] --out plan.csv`.

Proposes library actions for the project's gaps, scheduled step by step, without saving
anything. With ``--start`` the proposal is a fresh plan: the stored plan's actions and gates
are ignored and the first step to plan starts on that day. Without it the proposal continues
the stored plan, as the Plan panel's Propose does. Writes one row per action with the columns
(exactly)
``action_id,step,source,title,owner_role,owner,start,due,depends_on,measure,baseline,target,unit,flag``.
``action_id`` is the library action id and ``depends_on`` lists such ids separated by ``;``.
``source`` is the assessed item the action serves (``template_id:question_id``). ``owner`` is
the person confirmed for the role, or ``(open)`` while nobody is. An unknown ``baseline`` says
by when to measure it. ``flag`` is empty unless the action does not fit its step's window; it
then names the choice needed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt

from workbench.core.wording import count

COLUMNS = ("action_id", "step", "source", "title", "owner_role", "owner", "start", "due",
           "depends_on", "measure", "baseline", "target", "unit", "flag")


def run(args: argparse.Namespace) -> int:
    from workbench.core.plan.apply import plan_rows, propose_for_project
    from workbench.core.privacy import shown_people
    from workbench.core.project import Project
    from workbench.core.xlsx_safety import atomic_output, safe_csv_value

    with Project.open(args.project) as project:
        proposal = propose_for_project(project, args.target, args.start,
                                       fresh=args.start is not None)
        rows = plan_rows(proposal, shown_people(project))
        with atomic_output(args.out, project.path) as tmp, open(
                tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: _cell(row[k], safe_csv_value) for k in COLUMNS} for row in rows)
    flagged = sum(bool(row["flag"]) for row in rows)
    print(f"Wrote {args.out}: {count(len(rows), 'action')} for {count(len(proposal.gaps), 'gap')}"
          f", target step {proposal.target_step}, from {proposal.start_date.isoformat()}"
          + (f"; {count(flagged, 'action')} flagged" if flagged else "") + ".")
    for note in proposal.notes:
        print(f"note: {note}")
    return 0


def _cell(value: object, escape) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return escape(value) if isinstance(value, str) else value
