"""The "Exact measures" box of the People & Network page: what it costs (tooltip), Cancel while
the worker processes run, and the exact result with its note."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.core.model import Person, Tie
from workbench.core.network.exact_paths import MESSAGE
from workbench.core.project import Project
from workbench.gui.panels.network import NetworkPanel

PEOPLE, TIES = 5100, 40_000


def open_network_page(window, path: Path, qtbot) -> NetworkPanel:
    assert window.open_path(path)
    row = window.panel_types.index(NetworkPanel)
    window.sidebar.setCurrentRow(row)
    panel = window.panel(row)
    qtbot.waitUntil(lambda: panel.analysis is not None and not window.tasks.busy,
                    timeout=120_000)
    return panel


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.LeftButton, pos=widget.rect().center())


def worker_processes() -> list[str]:
    """Child processes of this test process (zombies too), bar multiprocessing's tracker."""
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            parent = (folder / "stat").read_text().rsplit(")", 1)[1].split()[1]
            command = (folder / "cmdline").read_text()
        except OSError:
            continue
        if parent == str(os.getpid()) and "resource_tracker" not in command:
            found.append(command)
    return found


@pytest.fixture
def big_project(tmp_path) -> Path:
    """5,100 people (above the 5,000 where sampling starts) and 40,000 advice ties."""
    rng = np.random.default_rng(4)
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, PEOPLE, (TIES + 2000, 2)) if a != b}
    path = tmp_path / "big.owb"
    with Project.create(path) as project:
        project.people.add_many(Person(f"p{i}", name=f"Person {i}", department=f"D{i % 12}")
                                for i in range(PEOPLE))
        project.networks.add("advice", [Tie(f"p{a}", f"p{b}") for a, b in sorted(pairs)[:TIES]],
                             type="advice")
    return path


def test_small_network_is_already_exact(window, demo_copy, qtbot):
    panel = open_network_page(window, demo_copy, qtbot)
    assert not panel.exact.isEnabled() and not panel.exact.isChecked()
    assert "already exact" in panel.exact.toolTip()
    assert "estimated" not in panel.overlap.text()


def test_exact_box_costs_cancels_and_computes_exact(window, big_project, qtbot):
    panel = open_network_page(window, big_project, qtbot)
    assert "Betweenness estimated from 256 sampled people" in panel.overlap.text()
    tip = panel.exact.toolTip()
    assert panel.exact.isEnabled()
    assert f"every one of the {PEOPLE:,} people" in tip and f"{TIES:,} ties" in tip
    assert " s for" in tip or " minutes for" in tip

    click(qtbot, panel.exact)  # starts the exact analysis; Cancel it while the workers run
    bar = window.task_bar
    qtbot.waitUntil(lambda: bar.message.text().startswith(MESSAGE), timeout=120_000)
    click(qtbot, bar.cancel)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60_000)
    assert worker_processes() == []
    assert "Betweenness estimated" in panel.overlap.text()  # the earlier result stays

    click(qtbot, panel.exact)  # off: the saved sampled result
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60_000)
    click(qtbot, panel.exact)  # on again: computed to the end this time
    assert panel.params().exact
    qtbot.waitUntil(lambda: "are exact" in panel.overlap.text(), timeout=180_000)
    assert f"computed from every one of the {PEOPLE:,} people" in panel.overlap.text()
    assert "estimated" not in panel.overlap.text()
    assert worker_processes() == []
