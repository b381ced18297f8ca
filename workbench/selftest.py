"""`workbench --self-test`: a quick end-to-end check that an installed or frozen app works.

It builds the demo engagement in a temporary folder, opens it, runs the network analysis and
the exports that this version has, opens the project in the main window offscreen, and prints
one line per step. Exit code 0 when no step failed, 1 otherwise (the failing step says why).
Nothing outside the temporary folder is touched: Qt settings are redirected there too.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

OK, FAILED, NOT_RUN = "ok", "FAILED", "not run"


@dataclass
class StepResult:
    name: str
    status: str
    detail: str = ""
    seconds: float = 0.0


@dataclass
class SelfTestReport:
    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(step.status == OK for step in self.steps)

    def status_of(self, name: str) -> str:
        return next(step.status for step in self.steps if step.name == name)


class _Run:
    """The steps, in order; each returns a one-line description of what it checked."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.project_path = folder / "self-test demo.owb"
        self.project: Any = None
        self.graph: Any = None

    def bundled_data(self) -> str:
        from workbench.core.plan.library import load_library
        from workbench.core.questionnaire.loader import builtin_templates
        from workbench.paths import resource

        templates = builtin_templates()
        library = load_library()
        resource("icons/workbench.svg")
        return f"{len(templates)} questionnaire templates, {len(library.actions)} library actions"

    def demo(self) -> str:
        from workbench.core.demo import build_demo

        summary = build_demo(self.project_path)
        return f"{summary.people} people, networks: " + ", ".join(
            f"{name} ({ties} ties)" for name, ties in summary.networks.items())

    def open_project(self) -> str:
        from workbench.core.project import Project

        self.project = Project.open(self.project_path)
        people = self.project.people.count()
        networks = self.project.networks.list()
        if not people or not networks:
            raise AssertionError(f"the demo project has {people} people, {len(networks)} networks")
        return f"{self.project_path.name}: {people} people, {len(networks)} networks"

    def analysis(self) -> str:
        from workbench.core.network.graph import build_graph
        from workbench.core.network.metrics import compute_metrics

        network = self.project.networks.list()[0]
        self.graph = build_graph(self.project.people.list(),
                                 self.project.networks.ties(network.id), directed=network.directed)
        result = compute_metrics(self.graph)
        if len(result.ids) != self.graph.number_of_nodes():
            raise AssertionError(f"measures for {len(result.ids)} of "
                                 f"{self.graph.number_of_nodes()} people")
        for i, person in enumerate(result.ids):
            self.graph.nodes[person]["betweenness"] = float(result.columns["betweenness"][i])
        communities = len(set(result.partition.membership.values()))
        return f"{network.name}: measures for {len(result.ids)} people, {communities} communities"

    def network_export(self) -> str:
        if self.graph is None:
            raise AssertionError("no analysed network to export")
        import networkx as nx

        from workbench.core.network.formats import write_graphml

        out = self.folder / "network.graphml"
        write_graphml(self.graph, out, protected=self.project_path)
        back = nx.read_graphml(out)
        if back.number_of_edges() != self.graph.number_of_edges():
            raise AssertionError(f"{out.name} holds {back.number_of_edges()} of "
                                 f"{self.graph.number_of_edges()} ties")
        return f"{out.name}: {back.number_of_nodes()} people, {back.number_of_edges()} ties"

    def workbook_export(self) -> str:
        import argparse

        from workbench.commands.report import run as report

        out = self.folder / "plan.xlsx"
        self.project.close()  # the report command opens the project itself
        self.project = None
        code = report(argparse.Namespace(project=str(self.project_path), out=str(out)))
        if code not in (None, 0):
            raise AssertionError(f"the report command exited with {code}")
        if not out.is_file() or out.stat().st_size == 0:
            raise AssertionError(f"the report command wrote no {out.name}")
        return f"{out.name}: {out.stat().st_size // 1024} KiB"

    def main_window(self) -> str:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(self.folder / "settings"))
        from workbench.gui.app import create_app
        from workbench.gui.main_window import MainWindow

        app = create_app()
        window = MainWindow()
        try:
            window.show()
            if not window.open_path(self.project_path):
                raise AssertionError(f"the window did not open {self.project_path.name}")
            QApplication.processEvents()
            title = window.windowTitle()
            if self.project_path.name not in title:
                raise AssertionError(f"window title {title!r} does not name the project")
            icon = "with" if not app.windowIcon().isNull() else "without"
        finally:
            window.close()
            QApplication.processEvents()
        return f"{app.platformName()} platform, {icon} app icon, title {title!r}"

    def close(self) -> None:
        if self.project is not None:
            self.project.close()
            self.project = None


STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("bundled data", _Run.bundled_data),
    ("demo engagement", _Run.demo),
    ("open project", _Run.open_project),
    ("network analysis", _Run.analysis),
    ("network export", _Run.network_export),
    ("workbook export", _Run.workbook_export),
    ("main window", _Run.main_window),
)


def run_self_test(folder: str | os.PathLike | None = None, gui: bool = True,
                  out: TextIO | None = None) -> SelfTestReport:
    """Run every step (the window last, only when ``gui``), printing a line per step to ``out``.

    Stops at the first failing step; later steps are reported as not run. ``folder`` (default:
    a temporary folder, removed afterwards) receives the demo project and the exports.
    """
    out = out if out is not None else sys.stdout
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    steps = [s for s in STEPS if gui or s[0] != "main window"]
    report = SelfTestReport()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="workbench-selftest-") as tmp:
        run = _Run(Path(folder) if folder is not None else Path(tmp))
        try:
            for name, step in steps:
                result = _timed(name, step, run) if report.passed else StepResult(name, NOT_RUN)
                report.steps.append(result)
                _print(result, out)
        finally:
            run.close()
    report.seconds = time.perf_counter() - start
    verdict = "passed" if report.passed else "failed"
    print(f"Self-test {verdict} in {report.seconds:.1f} s.", file=out, flush=True)
    return report


def _timed(name: str, step: Callable[[_Run], str], run: _Run) -> StepResult:
    began = time.perf_counter()
    try:
        status, detail = OK, step(run)
    except Exception as exc:  # noqa: BLE001 - the self-test reports every failure as a line
        status, detail = FAILED, f"{type(exc).__name__}: {exc}"
    return StepResult(name, status, detail, time.perf_counter() - began)


def _print(result: StepResult, out: TextIO) -> None:
    timing = f"{result.seconds:6.2f} s" if result.status != NOT_RUN else " " * 8
    print(f"{result.status:8} {timing}  {result.name:17} {result.detail}", file=out, flush=True)


def main() -> int:
    """Entry point of ``workbench --self-test``: 0 when every step passed, 1 otherwise."""
    from workbench import APP_NAME, __version__

    print(f"{APP_NAME} {__version__} self-test ({'frozen' if _frozen() else 'source'} build)",
          flush=True)
    return 0 if run_self_test().passed else 1


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))
