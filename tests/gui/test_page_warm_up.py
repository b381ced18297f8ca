"""Pages are built ahead while the window is quiet (issue 21: the first click on People &
Network froze the window 100-150 ms while the page was made), never while a task runs."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from workbench.core.project import Project
from workbench.gui import page_warm_up
from workbench.gui.main_window import PANELS
from workbench.gui.page_warm_up import PAGES, PageWarmUp
from workbench.gui.preload import loading


def _row(module: str) -> int:
    return [m for _t, m, _n in PANELS].index(module)


def test_pages_are_built_ahead_once_the_running_task_ends_and_a_click_shows_them(
        window, qtbot, tmp_path):
    path = tmp_path / "client.owb"
    Project.create(path, client="Client").close()
    release = threading.Event()
    assert window.open_path(path)
    window.tasks.run_task(None, "Waiting", lambda _progress: release.wait(30), lambda _r: None)
    qtbot.waitUntil(lambda: not loading(), timeout=20_000)  # the preload does not hold it back
    qtbot.wait(1200)  # many quiet steps' worth, but a task runs
    network = _row("network")
    assert network not in window._panels
    release.set()
    qtbot.waitUntil(lambda: all(_row(m) in window._panels for m in PAGES), timeout=15_000)
    assert not {_row("learning"), _row("workshop")} & set(window._panels)  # left to a click
    engagement = window.panel(_row("engagement"))
    assert window.stack.currentWidget() is engagement  # built hidden: the page in view stays
    built = window._panels[network]
    item = window.sidebar.item(network)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.LeftButton,
                     pos=window.sidebar.visualItemRect(item).center())
    assert window.stack.currentWidget() is built
    assert built.isVisible() and built._stack.currentWidget() is built.empty  # no people yet
    assert built.empty.isVisible()


def test_closing_the_project_stops_the_warm_up(window, qtbot, tmp_path):
    path = tmp_path / "client.owb"
    Project.create(path, client="Client").close()
    assert window.open_path(path)
    window.close_project()
    qtbot.waitUntil(lambda: not loading(), timeout=20_000)  # the preload does not hold it back
    qtbot.wait(1200)
    assert set(window._panels) <= {_row("engagement")}


def test_the_other_pages_libraries_load_only_after_a_quiet_while(qtbot, monkeypatch):
    monkeypatch.setattr(page_warm_up, "DONE_AFTER_MS", 600)
    busy, done = [True], []
    modules = [*PAGES, "learning"]
    warm_up = PageWarmUp(modules, lambda _row: None, lambda _row: True, lambda: busy[0],
                         lambda: done.append(True))
    qtbot.waitUntil(lambda: not loading(), timeout=20_000)
    warm_up.start()
    qtbot.wait(1000)  # every page built, but a task keeps running
    assert not done
    busy[0] = False
    qtbot.waitUntil(lambda: bool(done), timeout=5_000)
    qtbot.wait(600)
    assert done == [True]  # once
