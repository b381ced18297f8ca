"""Work on a second core in another process: a forked copy only where forking is safe (one
thread), a spawned process in the app; the same result, progress passed on, Cancel stops it,
and the work done here instead when the process fails or cannot be made. A command-line
analysis of a sampled network, and the app's analysis of a large one, give what the
in-process analysis gives."""

from __future__ import annotations

import csv
import multiprocessing
import random
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager

import pytest

from workbench.core import analysis
from workbench.core.analysis import analyse_network, analyse_roles, metrics_csv_rows
from workbench.core.model import Person, Tie
from workbench.core.network.metrics import CSV_COLUMNS, EXACT_LIMIT
from workbench.core.project import Project
from workbench.core.tasks import Cancelled, Progress

SCRIPT = textwrap.dedent("""
    import os, sys, threading, time
    from workbench.core.network.second_process import SecondProcess, can_fork
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
    job = SecondProcess(work, Progress())
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


def test_a_thread_python_does_not_count_never_forks():
    """The app's workers are threads Qt made, which ``threading`` does not count: work
    started on one is done there, never in a forked copy of the app (the second half of a
    sampled analysis was forked from the app whenever no Python thread had been counted)."""
    script = textwrap.dedent("""
        import _thread, os, threading
        from workbench.core.network.second_process import SecondProcess, can_fork
        from workbench.core.tasks import Progress

        here, seen, done = os.getpid(), [], threading.Lock()
        done.acquire()

        def work():
            seen.extend([threading.active_count(), can_fork(),
                         SecondProcess(lambda progress: os.getpid(), Progress()).result()
                         == here])
            done.release()

        _thread.start_new_thread(work, ())
        done.acquire()
        print(*seen)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.split() == ["1", "False", "True"]


def test_a_copy_that_dies_is_replaced_by_doing_the_work_here():
    assert _run("fails")[1] == "True"


def test_close_stops_a_copy_still_working():
    assert _run("close") == ["False", "True"]


@contextmanager
def _app_threads():
    """Another thread running, as in the app (and so no fork)."""
    release = threading.Event()
    threading.Thread(target=release.wait, daemon=True).start()
    try:
        yield
    finally:
        release.set()


def _project(path, n: int, seed: int = 5):
    rng = random.Random(seed)
    people = [Person(f"p{i}", department=f"D{i % 7}") for i in range(n)]
    ties = [Tie(f"p{rng.randrange(n)}", f"p{rng.randrange(n)}", rng.choice((1.0, 2.0)))
            for _ in range(4 * n)]
    with Project.create(path) as project:
        project.people.add_many(people)
        project.networks.add("advice", [t for t in ties if t.source != t.target],
                             type="advice")
    return path


def test_the_app_measures_a_large_network_in_a_spawned_process(tmp_path, monkeypatch):
    path = _project(tmp_path / "p.owb", 300)
    with Project.open(path) as project, _app_threads():
        here = analyse_network(project, use_cache=False)
        monkeypatch.setattr(analysis, "APART_ABOVE", 0)  # every network counts as large
        apart: list[bool] = []
        progress = Progress(lambda f, m: apart.append(bool(multiprocessing.active_children())))
        there = analyse_network(project, progress=progress, use_cache=False)
        assert any(apart)  # progress arrived while the measures were made elsewhere
        assert there.metrics.ids == here.metrics.ids
        for key, values in here.metrics.columns.items():
            assert there.metrics.columns[key].tolist() == pytest.approx(values.tolist(),
                                                                         nan_ok=True), key
        assert there.metrics.partition == here.metrics.partition
        assert there.findings.roles == here.findings.roles

        cancelling = Progress(lambda f, m: cancelling.cancel() if "Bridge" in m else None)
        with pytest.raises(Cancelled):
            analyse_network(project, progress=cancelling, use_cache=False)
        assert multiprocessing.active_children() == []  # the process was stopped


def test_a_spawned_process_samples_on_its_own_core(tmp_path, monkeypatch):
    """Above the sampling limit the spawned process makes every measure itself (no copy of its
    own: the app's window keeps the other core) and never fails over to this process (a
    fallback would start the progress again from the beginning)."""
    path = _project(tmp_path / "p.owb", EXACT_LIMIT + 100)
    monkeypatch.setattr(analysis, "APART_ABOVE", 0)
    with Project.open(path) as project, _app_threads():
        seen: list[tuple[float, bool]] = []
        progress = Progress(lambda f, m: seen.append(
            (f, bool(multiprocessing.active_children()))))
        result = analyse_roles(project, progress=progress)
        assert [f for f, _ in seen] == sorted(f for f, _ in seen)
        assert any(apart for _, apart in seen) and len(result.metrics.ids) == EXACT_LIMIT + 100
        assert "estimated from 256 sampled people" in result.metrics.notes[0]

        cancelling = Progress(lambda f, m: cancelling.cancel() if "Bridge" in m else None)
        with pytest.raises(Cancelled):
            analyse_network(project, progress=cancelling, use_cache=False)
        assert multiprocessing.active_children() == []  # the process was stopped


def test_command_line_measures_of_a_sampled_network_equal_the_in_process_ones(tmp_path):
    n = EXACT_LIMIT + 200
    path = _project(tmp_path / "big.owb", n)
    with Project.open(path) as project, _app_threads():  # here: no fork
        want = [dict(zip(CSV_COLUMNS, row, strict=True))
                for row in metrics_csv_rows(analyse_roles(project))]
    out = tmp_path / "metrics.csv"
    subprocess.run([sys.executable, "-m", "workbench.cli", "analyse", str(path), "--out",
                    str(out)], check=True, capture_output=True, timeout=120)
    with open(out, newline="", encoding="utf-8") as handle:
        got = list(csv.DictReader(handle))
    assert len(got) == n
    for key in ("closeness_harmonic", "betweenness", "in_degree", "community"):
        assert [float(r[key]) for r in got] == [float(r[key]) for r in want], key
