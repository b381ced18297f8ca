"""Phone voting on loopback: server start time, then crowds of phones voting at once.

Usage: python benchmarks/bench_phones.py [--phones 60] [--items 20]

Start: seconds from ``PhoneServer.start()`` to a server taking connections (best of five).
Crowds: every phone joins, then votes on each item one after another, all phones at the same
time, each vote committed to the project file before its answer; "p95 ack" is the 95th
percentile of the time from sending a vote to its answer. The realistic case is one item (the
whole room votes on the question on screen); the stress case is every phone on every item.
All traffic stays on 127.0.0.1. Prints a table and writes benchmarks/results/phones.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
from common import report  # noqa: E402
from phones_client import phones_project, vote_storm_apart  # noqa: E402

from workbench.core.workshop.phones import PhoneServer  # noqa: E402


def start_row(folder: Path) -> dict:
    project, session = phones_project(folder / "start.owb")
    times = []
    try:
        for _ in range(5):
            server = PhoneServer(project, session, host="127.0.0.1")
            server.start()
            times.append(server.started_in)
            server.stop()
    finally:
        project.close()
    return {"case": "server start", "phones": 0, "items": 0, "votes": 0,
            "seconds": min(times), "votes/s": None, "p95 ack ms": None,
            "median start ms": statistics.median(times) * 1000}


def crowd_row(folder: Path, phones: int, items: int) -> dict:
    project, session = phones_project(folder / f"crowd-{items}.owb", limit=items)
    server = PhoneServer(project, session, host="127.0.0.1")
    server.start()
    try:
        storm = vote_storm_apart(server.port, server.code, list(server.voting.items), phones)
    finally:
        server.stop()
        project.close()
    if storm.refused:
        raise SystemExit(f"{len(storm.refused)} votes were refused: {set(storm.refused)}")
    return {"case": f"{phones} phones x {items} items", "phones": phones, "items": items,
            "votes": len(storm.acknowledged), "seconds": storm.seconds,
            "votes/s": storm.per_second, "p95 ack ms": storm.p95 * 1000,
            "median start ms": None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [start_row(Path(folder)), crowd_row(Path(folder), args.phones, 1),
                crowd_row(Path(folder), args.phones, args.items)]
    report("phones", rows)


if __name__ == "__main__":
    main()
