"""`workbench demo OUT`: write the demo engagement."""

from __future__ import annotations

import argparse

from workbench.commands.console import end_progress_line, stderr_progress
from workbench.core.wording import count


def run(args: argparse.Namespace) -> int:
    from workbench.core.demo import build_demo

    summary = build_demo(args.out, overwrite=args.force, progress=stderr_progress())
    end_progress_line()
    ties = ", ".join(f"{name} {number:,}" for name, number in summary.networks.items())
    print(f"Wrote {args.out}: {count(summary.people, 'person', 'people')}; ties: {ties}")
    return 0
