"""The GUI thread stays free (issue 21, benchmarks/bench_gui_stall.py): charts are drawn on a
pool thread, the people table's rows are made by the analysis worker and its columns measured on
a sample, the pages' libraries load in the background once a project is open."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

import pytest
from matplotlib.figure import Figure
from PySide6.QtCore import Qt

from workbench.gui import figure_view, person_table
from workbench.gui.figure_view import FigureView
from workbench.gui.models import Column, RecordTableModel
from workbench.gui.panels.network import NetworkPanel
from workbench.gui.person_table import (
    CELL_PADDING,
    ROLE_COLUMN,
    ROLE_NAMES,
    SIZE_ROWS,
    PersonTable,
)


def _threads_of(monkeypatch, module, name: str) -> list[str]:
    """Wrap ``module.name`` so that each call notes the name of the thread it ran on."""
    threads: list[str] = []
    original = getattr(module, name)

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return threads


def _bar_chart() -> Figure:
    figure = Figure(figsize=(4, 3))
    figure.add_subplot().bar(["a", "b"], [1, 2], color="#1f77b4")
    return figure


def test_a_chart_is_drawn_off_the_gui_thread_at_the_size_of_its_view(qtbot, monkeypatch):
    threads = _threads_of(monkeypatch, figure_view, "render_figure")
    view = FigureView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    view.set_figure(_bar_chart())
    qtbot.waitUntil(lambda: view.image is not None)
    assert threads and threading.main_thread().name not in threads
    ratio = view.devicePixelRatioF()
    assert (view.image.width(), view.image.height()) == (round(400 * ratio), round(300 * ratio))
    shot = view.grab().toImage()
    colours = {shot.pixelColor(x, y).name() for x in range(0, shot.width(), 5)
               for y in range(0, shot.height(), 5)}
    assert "#ffffff" in colours and "#1f77b4" in colours  # the chart is on screen

    view.resize(600, 200)  # a resize draws it again at the new size
    qtbot.waitUntil(lambda: view.image.width() == round(600 * ratio))
    assert view.image.height() == round(200 * ratio)


def test_a_chart_export_keeps_the_light_colours(qtbot, tmp_path, monkeypatch):
    view = FigureView()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    view.set_figure(_bar_chart())
    qtbot.waitUntil(lambda: view.image is not None)
    path = tmp_path / "chart.png"
    monkeypatch.setattr(figure_view.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    assert view.export_dialog() == path
    assert path.stat().st_size > 1000
    view.clear()
    assert view.figure is None and view.image is None


def test_the_analysis_worker_makes_the_people_tables_rows(window, demo_copy, qtbot,
                                                          monkeypatch):
    threads = _threads_of(monkeypatch, person_table, "person_records")
    from workbench.gui.panels import network

    monkeypatch.setattr(network, "person_records", person_table.person_records)
    assert window.open_path(demo_copy)
    row = window.panel_types.index(NetworkPanel)
    window.sidebar.setCurrentRow(row)
    panel = window.panel(row)
    qtbot.waitUntil(lambda: panel.analysis is not None and not window.tasks.busy,
                    timeout=20_000)
    assert threads and threading.main_thread().name not in threads
    people = panel.analysis.metrics.ids
    assert [r["id"] for r in panel.table.model.records] == list(people)
    view = panel.table.view
    widest = max(map(view.fontMetrics().horizontalAdvance, ROLE_NAMES.values()))
    panel.side.setCurrentIndex(panel.side.indexOf(panel.table))  # shown: columns fitted
    assert view.columnWidth(ROLE_COLUMN) >= widest + CELL_PADDING


def test_people_columns_are_measured_on_a_sample_of_rows(qtbot, monkeypatch):
    """Sizing 10,000 rows asked every cell for ten roles; now the rows in view and a few
    more are measured, and the model answers only the roles it has."""
    table = PersonTable()
    qtbot.addWidget(table)
    assert table.view.horizontalHeader().resizeContentsPrecision() == SIZE_ROWS
    calls: list[int] = []
    original = RecordTableModel.data

    def counting(self, index, role=Qt.DisplayRole):
        calls.append(index.row())
        return original(self, index, role)

    monkeypatch.setattr(RecordTableModel, "data", counting)
    records = [{"id": f"p{i}", "name": f"Person {i}", "department": "Sales", "role": "",
                "community": i % 5, **{key: float(i) for key in person_table.METRICS}}
               for i in range(5000)]
    table.resize(900, 300)
    table.show()
    qtbot.waitExposed(table)
    table.set_analysis(None, records)
    assert table.model.rowCount() == 5000
    assert max(calls) < 500  # never the whole table
    model = RecordTableModel([Column("Name", lambda r: r["name"])])
    model.set_records([{"name": "Ann"}])
    assert model.data(model.index(0, 0)) == "Ann"
    assert model.data(model.index(0, 0), Qt.DecorationRole) is None


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("module", ["workbench.gui.panels.network"])
def test_the_network_page_does_not_load_the_workshop_libraries(module):
    out = _run(f"""
        import sys
        import {module}
        print(sorted(m for m in ("workbench.gui.presenter", "aiohttp", "scipy.stats")
                     if m in sys.modules))
    """)
    assert out.strip() == "[]"


def test_opening_a_project_loads_the_pages_libraries_in_the_background(tmp_path):
    out = _run(f"""
        import sys, threading
        from PySide6.QtCore import QThreadPool
        from workbench.core.project import Project
        from workbench.gui.app import create_app
        from workbench.gui.main_window import MainWindow
        from workbench.gui import preload

        loaded_on = set()
        original = preload._import_one
        preload._import_one = lambda name: (loaded_on.add(threading.current_thread()
                                                          is threading.main_thread()),
                                            original(name))[1]
        app = create_app()
        window = MainWindow()
        window.show()
        Project.create(r"{tmp_path / 'client.owb'}", client="Client").close()
        assert "workbench.core.analysis" not in sys.modules
        assert window.open_path(r"{tmp_path / 'client.owb'}")
        while preload.loading():
            app.processEvents()
            QThreadPool.globalInstance().waitForDone(100)
        print(sorted(loaded_on), all(m in sys.modules for m in preload.MODULES),
              "workbench.gui.panels.network" in sys.modules)
        window.close()
    """)
    assert out.split()[-3:] == ["[False]", "True", "False"]


def test_the_preload_waits_while_the_users_task_runs(tmp_path):
    """Beside an import or analysis worker, the preload's imports held up the window over
    100 ms: it loads nothing while a task runs, and everything once none does."""
    out = _run(f"""
        import sys, threading, time
        from PySide6.QtCore import QThreadPool
        from workbench.core.project import Project
        from workbench.gui.app import create_app
        from workbench.gui.main_window import MainWindow
        from workbench.gui import preload

        app = create_app()
        window = MainWindow()
        window.show()
        path = r"{tmp_path / 'client.owb'}"
        Project.create(path, client="Client").close()
        release = threading.Event()
        window.tasks.run_task(None, "Holding", lambda progress: release.wait(60),
                              lambda result: None)
        assert window.open_path(path)
        end = time.monotonic() + 1.5
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
        held = [name for name in ("igraph", "networkx", "workbench.core.analysis",
                                  "workbench.core.report.timeline") if name in sys.modules]
        waiting = preload.loading()
        release.set()
        end = time.monotonic() + 60
        while preload.loading() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
        print(held, waiting, all(name in sys.modules for name in preload.MODULES))
        window.close()
    """)
    assert out.split()[-3:] == ["[]", "True", "True"]
