"""`workbench report PROJECT --out FILE`: write a deliverable chosen by FILE's extension
(.xlsx plan workbook, .docx narrative report, .pptx slide deck, .pdf summary)."""

from __future__ import annotations

import argparse

from workbench.core.project import Project
from workbench.core.report.deliverables import export_deliverable, written_line


def run(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        data, notices = export_deliverable(project, args.out)
    for notice in notices:
        print(f"note: {notice}")
    print(written_line(args.out, data))
    return 0
