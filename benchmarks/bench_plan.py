"""Plan proposals: ``propose_for_project`` on the demo for targets 1 to 5, and the scheduler
(``propose_plan``) on synthetic libraries far larger than the built-in one.

Usage: python benchmarks/bench_plan.py [--items 250 1000]

On the demo each target is proposed twice: continuing the stored plan (what *Propose actions
from gaps* does) and fresh from a start date (what ``workbench plan --start`` does); seconds
are the best of three runs and include reading the gaps, owners and library from the project.
The synthetic case has ``items`` assessed items of a made-up questionnaire, each with a gap of
3 levels and three actions of its own (one action per full point of shortfall, so every action
is proposed), spread over the five steps and 16 owner roles, each action depending on the one
before it for the same item. Prints a table and writes benchmarks/results/plan.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from common import report, timed  # noqa: E402

START = dt.date(2027, 1, 4)
ACTIONS_PER_ITEM = 3


def demo_rows(folder: Path) -> list[dict]:
    from workbench.core.demo import build_demo
    from workbench.core.plan.apply import propose_for_project
    from workbench.core.project import Project

    path = folder / "demo.owb"
    build_demo(path)
    rows = []
    with Project.open(path) as project:
        for target in range(1, 6):
            for mode, fresh in (("continue stored plan", False), ("fresh from a start", True)):
                seconds, proposal = timed(lambda t=target, f=fresh: propose_for_project(
                    project, t, START if f else None, fresh=f), repeat=3)
                rows.append({"case": f"demo, target {target}", "mode": mode,
                             "gaps": len(proposal.gaps), "actions": len(proposal.actions),
                             "flagged": sum(bool(a.flag) for a in proposal.actions),
                             "seconds": seconds})
    return rows


def synthetic(items: int):
    """Gaps and a library for ``items`` made-up items (see the module notes)."""
    from workbench.core.method.gaps import Gap
    from workbench.core.plan.library import OWNER_ROLES, ROLE_FIRST_STEP, ActionLibrary

    roles = [r for r in OWNER_ROLES if r not in ROLE_FIRST_STEP]
    kinds = ("design", "practice", "practice", "structure")
    gaps, actions = [], []
    for i in range(items):
        ref, step = f"bench:item_{i}", i % 5 + 1
        gaps.append(Gap(ref, f"Item {i}", None, 0.0, 3.0, weight=1 + i % 3 / 3))
        for n in range(ACTIONS_PER_ITEM):
            actions.append({
                "id": f"B{i}-{n}", "title": f"Action {n} for item {i}", "purpose": "Benchmark.",
                "kind": kinds[(i + n) % len(kinds)], "step": step, "applies_to": [ref],
                "owner_role": roles[(i * ACTIONS_PER_ITEM + n) % len(roles)], "effort": "M",
                "duration_days": 10 + (i * 7 + n * 13) % 30, "measure": "Share of cases",
                "unit": "%", "target": 50, "data_source": "Case log", "evidence": "Seen.",
                "depends_on": [f"B{i}-{n - 1}"] if n else []})
    return gaps, ActionLibrary.model_validate({"actions": actions})


def synthetic_rows(sizes: list[int]) -> list[dict]:
    from workbench.core.plan.builder import propose_plan

    rows = []
    for items in sizes:
        gaps, library = synthetic(items)
        seconds, planned = timed(lambda g=gaps, lib=library: propose_plan(
            g, lib, 5, START, stage=0), repeat=3)
        rows.append({"case": f"synthetic, {items:,} items, target 5",
                     "mode": "scheduler only", "gaps": len(gaps), "actions": len(planned),
                     "flagged": sum(bool(a.flag) for a in planned), "seconds": seconds})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[250, 1000],
                        help="sizes of the synthetic case (default: 250 1000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = demo_rows(Path(tmp))
    rows += synthetic_rows(args.items)
    report("plan", rows)


if __name__ == "__main__":
    main()
