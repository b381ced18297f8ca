"""Shared fixtures: real project files in a temp folder."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def project_path(tmp_path):
    return tmp_path / "engagement.owb"


@pytest.fixture
def project(project_path):
    from workbench.core.project import Project

    p = Project.create(project_path, client="Test Client")
    yield p
    p.close()
