"""`workbench export PROJECT --network NAME --graphml OUT | --gexf OUT`."""

from __future__ import annotations

import argparse

from workbench.commands.console import end_progress_line, stderr_progress
from workbench.core.wording import count


def run(args: argparse.Namespace) -> int:
    from workbench.core.exporting import export_network
    from workbench.core.project import Project

    fmt, out = ("graphml", args.graphml) if args.graphml else ("gexf", args.gexf)
    with Project.open(args.project) as project:
        export_network(project, args.network, out, fmt, progress=stderr_progress())
        end_progress_line()
        info = project.networks.find(args.network)
        print(f"Wrote {out}: network {args.network!r}, "
              f"{count(project.people.count(), 'person', 'people')}, "
              f"{count(info.tie_count, 'tie')}")
    return 0
