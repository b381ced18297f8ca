"""Work on a second core in a forked copy: only where forking is safe (one thread), the same
result, and done here instead when the copy fails or cannot be made. A command-line analysis
of a sampled network gives what the in-process analysis gives."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import textwrap
import threading

from workbench.core.analysis import analyse_roles, metrics_csv_rows
from workbench.core.model import Person, Tie
from workbench.core.network.metrics import EXACT_LIMIT
from workbench.core.project import Project

SCRIPT = textwrap.dedent("""
    import os, sys, threading, time
    from workbench.core.network.forked import Forked, can_fork
    from workbench.core.tasks import Progress

    here = os.getpid()
    case = sys.argv[1]
    if case == "threads":
        release = threading.Event()
        threading.Thread(target=release.wait, daemon=True).start()
    if case == "fails":
        work = lambda progress: os.getpid() if os.getpid() == here else os._exit(3)
    elif case == "close":
        work = lambda progress: time.sleep(60)
    else:
        work = lambda progress: (os.getpid(), sum(range(10 ** 6)))
    job = Forked(work, Progress())
    if case == "close":
        process = job._process
        job.close()
        print(process.is_alive(), process.exitcode is not None)
    else:
        result = job.result()
        pid = result[0] if isinstance(result, tuple) else result
        print(can_fork(), pid == here, result[1] if isinstance(result, tuple) else "")
    if case == "threads":
        release.set()
""")


def _run(case: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, case], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stderr == ""  # no traceback from a failing copy
    return done.stdout.split()


def test_a_single_threaded_process_gets_the_result_from_a_copy():
    assert _run("plain") == ["True", "False", str(sum(range(10 ** 6)))]


def test_with_threads_running_the_work_is_done_here():
    assert _run("threads") == ["False", "True", str(sum(range(10 ** 6)))]


def test_a_copy_that_dies_is_replaced_by_doing_the_work_here():
    assert _run("fails")[1] == "True"


def test_close_stops_a_copy_still_working():
    assert _run("close") == ["False", "True"]


def test_command_line_measures_of_a_sampled_network_equal_the_in_process_ones(tmp_path):
    rng = random.Random(5)
    n = EXACT_LIMIT + 200
    people = [Person(f"p{i}", department=f"D{i % 7}") for i in range(n)]
    ties = [Tie(f"p{rng.randrange(n)}", f"p{rng.randrange(n)}", rng.choice((1.0, 2.0)))
            for _ in range(4 * n)]
    ties = [t for t in ties if t.source != t.target]
    path = tmp_path / "big.owb"
    with Project.create(path) as project:
        project.people.add_many(people)
        project.networks.add("advice", ties, type="advice")
    release = threading.Event()
    threading.Thread(target=release.wait, daemon=True).start()  # so no fork here
    try:
        with Project.open(path) as project:
            want = metrics_csv_rows(analyse_roles(project))
    finally:
        release.set()
    out = tmp_path / "metrics.csv"
    subprocess.run([sys.executable, "-m", "workbench.cli", "analyse", str(path), "--out",
                    str(out)], check=True, capture_output=True, timeout=120)
    with open(out, newline="", encoding="utf-8") as handle:
        got = list(csv.DictReader(handle))
    assert len(got) == n
    for key in ("closeness_harmonic", "betweenness", "in_degree", "community"):
        assert [float(r[key]) for r in got] == [float(r[key]) for r in want], key
