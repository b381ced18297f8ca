"""The `--self-test` routine the frozen app runs: real demo project, real analysis and exports."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import networkx as nx

from workbench import ORG_NAME, selftest
from workbench.core.project import Project
from workbench.selftest import FAILED, NOT_RUN, OK, run_self_test


def test_headless_run_builds_analyses_and_exports_the_demo(tmp_path):
    out = io.StringIO()
    report = run_self_test(tmp_path, gui=False, out=out)

    assert report.passed, out.getvalue()
    names = [step.name for step in report.steps]
    assert "main window" not in names
    for name in names:
        assert report.status_of(name) == OK, out.getvalue()
    lines = out.getvalue().splitlines()
    assert len(lines) == len(names) + 1 and lines[-1].startswith("Self-test passed")

    # The exported GraphML holds exactly the first network of the demo project.
    with Project.open(tmp_path / "self-test demo.owb") as project:
        network = project.networks.list()[0]
        ties = {(t.source, t.target) for t in project.networks.ties(network.id)
                if t.source != t.target}
    exported = nx.read_graphml(tmp_path / "network.graphml")
    assert set(exported.edges()) == ties
    assert all("betweenness" in attrs for _, attrs in exported.nodes(data=True))


def test_a_failing_step_fails_the_run_and_stops_it(tmp_path):
    (tmp_path / "self-test demo.owb").write_text("not a project")
    out = io.StringIO()
    report = run_self_test(tmp_path, gui=False, out=out)

    assert not report.passed
    assert report.status_of("bundled data") == OK
    demo = next(step for step in report.steps if step.name == "demo engagement")
    assert demo.status == FAILED and "self-test demo.owb" in demo.detail
    assert all(step.status == NOT_RUN for step in report.steps[2:])
    assert out.getvalue().splitlines()[-1].startswith("Self-test failed")


def test_cli_flag_runs_everything_including_the_window_and_exits_0(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-m", "workbench", "--self-test"], env=env,
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stdout + done.stderr
    window_line = next(line for line in done.stdout.splitlines() if "main window" in line)
    assert window_line.startswith(OK) and "with app icon" in window_line
    assert "Self-test passed" in done.stdout
    # The window's settings went to the self-test's temporary folder, not the user's config.
    assert not (tmp_path / "config" / ORG_NAME).exists()


def test_a_module_that_fails_to_import_fails_the_run(tmp_path, monkeypatch):
    """A frozen build missing a module must not pass: no step is ever skipped."""
    def broken_report(_run):
        from workbench.commands import no_such_report_module  # noqa: F401
        return "unreachable"

    steps = tuple((name, broken_report if name == "workbook export" else step)
                  for name, step in selftest.STEPS)
    monkeypatch.setattr(selftest, "STEPS", steps)
    out = io.StringIO()
    report = run_self_test(tmp_path, gui=False, out=out)

    assert not report.passed
    assert report.status_of("workbook export") == FAILED
    assert "ImportError" in out.getvalue() or "ModuleNotFoundError" in out.getvalue()
    assert out.getvalue().splitlines()[-1].startswith("Self-test failed")


def test_a_failed_import_inside_a_step_is_a_failure(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_metrics(name, *args, **kwargs):
        if name == "workbench.core.network.metrics":
            raise ImportError("workbench.core.network.metrics is missing from this build")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_metrics)
    report = run_self_test(tmp_path, gui=False, out=io.StringIO())

    assert report.status_of("network analysis") == FAILED
    assert not report.passed
