"""`workbench analyse PROJECT [--network NAME] [--exact] --out metrics.csv`: one row per person.

Columns (exactly): id, in_degree, out_degree, betweenness, pagerank, eigenvector,
closeness_harmonic, burt_constraint, community, role. Without ``--network`` the default network
is used: the first of type advice, else the first of type collaboration, else the first one.
Text a spreadsheet could run as a formula gets a leading apostrophe
(:func:`~workbench.core.xlsx_safety.safe_csv_value`); numbers are written as they are.
Privacy: ids are pseudonyms when the project is pseudonymised; roles are blank beside real ids
unless individual labels are switched on (File > Privacy). The notes of the measures and the
findings are printed before the summary line: on the reporting lines, that they are the formal
structure, so no role is read into them; whether betweenness and closeness were sampled (above
5,000 people, unless ``--exact``) or exact.
"""

from __future__ import annotations

import argparse
import csv

from workbench.commands.console import end_progress_line, stderr_progress
from workbench.core.wording import count


def run(args: argparse.Namespace) -> int:
    from workbench.core.analysis import (
        AnalysisParams,
        analyse_roles,
        metrics_csv_rows,
        resolve_network,
    )
    from workbench.core.network.metrics import CSV_COLUMNS
    from workbench.core.project import Project
    from workbench.core.xlsx_safety import atomic_output, safe_csv_value

    with Project.open(args.project) as project:
        info = resolve_network(project, args.network)
        result = analyse_roles(project, info, AnalysisParams(exact=args.exact),
                               progress=stderr_progress())
        end_progress_line()
        rows = metrics_csv_rows(result)
        with atomic_output(args.out, project.path) as tmp, open(
                tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            writer.writerows((safe_csv_value(row[0]), *row[1:-1], safe_csv_value(row[-1]))
                             for row in rows)  # None is written as a blank cell
        for note in [*result.metrics.notes, *result.findings.notes]:
            print(note)
        print(f"Wrote {args.out}: network {info.name!r}, {count(len(rows), 'person', 'people')}")
    return 0
