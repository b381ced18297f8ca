"""Shared fixtures: real project files in a temp folder."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
# The CLI and the app configure a log file; tests never write to the user's log folder.
os.environ.setdefault("WORKBENCH_LOG_DIR", tempfile.mkdtemp(prefix="workbench-test-logs-"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    """Delete the windows a GUI test leaves behind, so the next test starts with none.

    pytest-qt closes a test's widgets with deleteLater(), but outside a running event loop Qt
    never carries that out: every main window of the session stayed alive, hidden, and each
    new window or style change paid for all of them (the GUI tests' setup grew from 0.1 s to
    several seconds). Windows that were closed and have no parent (a presenter view that was
    left, say) are garbage once the test is over, and are deleted too.
    """
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    left = [w for w in QApplication.topLevelWidgets() if w.parent() is None and not w.isVisible()]
    if not left:
        return
    for widget in left:
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    # Collect the Python side of what was deleted now, on this thread: a collection that
    # happens later on a worker thread can deadlock PySide (the GIL against Qt's own lock).
    gc.collect()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """The demo engagement, built once per test session; tests work on copies of it."""
    from workbench.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.owb"
    build_demo(path)
    return path


@pytest.fixture
def demo_copy(demo_file, tmp_path):
    target = tmp_path / "demo-copy.owb"
    shutil.copy(demo_file, target)
    return target


@pytest.fixture
def demo(demo_copy):
    """An open copy of the demo engagement."""
    from workbench.core.project import Project

    with Project.open(demo_copy) as project:
        yield project


@pytest.fixture
def project_path(tmp_path):
    return tmp_path / "engagement.owb"


@pytest.fixture
def project(project_path):
    from workbench.core.project import Project

    p = Project.create(project_path, client="Test Client")
    yield p
    p.close()


@pytest.fixture
def pseudonymised_demo(demo_file, tmp_path, monkeypatch):
    """A copy of the demo converted to pseudonyms (key kept in a temp data folder), and the
    roster's people as they were before the conversion."""
    from workbench.core.privacy import PrivacySettings, save_privacy
    from workbench.core.project import Project

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    copy = tmp_path / "demo-pseudonymised.owb"
    shutil.copy(demo_file, copy)
    with Project.open(copy) as project:
        people = project.people.list()
        save_privacy(project, PrivacySettings(pseudonymise=True))
    return copy, people
