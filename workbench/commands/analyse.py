"""`workbench analyse PROJECT [--network NAME] --out metrics.csv`: one row per person.

Columns (exactly): id, in_degree, out_degree, betweenness, pagerank, eigenvector,
closeness_harmonic, burt_constraint, community, role. Without ``--network`` the default network
is used: the first of type advice, else the first of type collaboration, else the first one.
"""

from __future__ import annotations

import argparse
import csv

from workbench.commands.console import end_progress_line, stderr_progress


def run(args: argparse.Namespace) -> int:
    from workbench.core.analysis import analyse_network, resolve_network
    from workbench.core.network.metrics import CSV_COLUMNS, metrics_rows
    from workbench.core.project import Project
    from workbench.core.xlsx_safety import atomic_output

    with Project.open(args.project) as project:
        info = resolve_network(project, args.network)
        result = analyse_network(project, info, progress=stderr_progress())
        end_progress_line()
        rows = metrics_rows(result.metrics, roles=result.findings.roles)
        with atomic_output(args.out, project.path) as tmp, open(
                tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
        for note in result.metrics.notes:
            print(note)
        print(f"Wrote {args.out}: network {info.name!r}, {len(rows)} people")
    return 0
