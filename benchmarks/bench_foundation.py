"""Cold start to a shown window, opening a 10k-person project, building the demo."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report, timed  # noqa: E402

STARTUP = """
import time
t0 = time.perf_counter()
from workbench.gui.app import create_app
from workbench.gui.main_window import MainWindow
app = create_app()
w = MainWindow(); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""


def cold_start(runs: int = 5) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True,
                             text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return min(times)


def open_large_project(folder: Path, people: int = 10_000) -> tuple[float, float]:
    from workbench.core.model import Person, Tie
    from workbench.core.project import Project

    path = folder / "large.owb"
    with Project.create(path) as project:
        project.people.add_many([Person(f"p{i}", f"Person {i}", department=f"D{i % 12}",
                                        manager_id=f"p{i // 8}" if i else None)
                                 for i in range(people)])
        project.networks.add("advice", [Tie(f"p{i}", f"p{(i * 7 + 3) % people}")
                                        for i in range(people * 10)])

    def open_and_list():
        with Project.open(path) as project:
            return len(project.people.list()), project.networks.list()

    open_time, _ = timed(lambda: Project.open(path).close(), repeat=3)
    list_time, _ = timed(open_and_list, repeat=3)
    return open_time, list_time


def main() -> None:
    from workbench.core.demo import build_demo

    rows = [{"work": "cold start to shown window (offscreen)", "seconds": cold_start(),
             "target": "< 0.5"}]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        open_time, list_time = open_large_project(folder)
        rows.append({"work": "open a 10k-person / 100k-tie project", "seconds": open_time,
                     "target": "< 0.5"})
        rows.append({"work": "open it and read roster + network list", "seconds": list_time,
                     "target": "< 0.5"})
        demo_time, _ = timed(lambda: build_demo(folder / "demo.owb", overwrite=True))
        rows.append({"work": "build the demo engagement", "seconds": demo_time, "target": ""})
    report("foundation", rows)


if __name__ == "__main__":
    main()
