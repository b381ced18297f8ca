"""`workbench report PROJECT --out plan.xlsx`: write the plan workbook of a project."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.core.project import Project
from workbench.core.report.assemble import export_workbook
from workbench.core.wording import count


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    with Project.open(args.project) as project:
        data, notices = export_workbook(project, out)
    for notice in notices:
        print(f"note: {notice}")
    done = sum(a.status == "Done" for a in data.plan)
    print(f"Wrote {out}: stage reached {data.engagement.stage_reached}, target step "
          f"{data.engagement.target_step}, {count(len(data.top_gaps), 'gap')}, "
          f"{count(len(data.plan), 'action')} ({done} done), "
          f"{count(len(data.network), 'person', 'people')} in the network.")
    return 0
