"""Shared fixtures: real project files in a temp folder."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
# The CLI and the app configure a log file; tests never write to the user's log folder.
os.environ.setdefault("WORKBENCH_LOG_DIR", tempfile.mkdtemp(prefix="workbench-test-logs-"))


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
