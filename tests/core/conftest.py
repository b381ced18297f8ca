"""Fixtures of the headless tests: the hand-worked customer-learning engagement."""

from __future__ import annotations

import shutil

import pytest
from learning_fixture import build

from workbench.core.project import Project


@pytest.fixture(scope="session")
def lab_file(tmp_path_factory):
    """The engagement of learning_fixture, built once; tests work on copies of it."""
    return build(tmp_path_factory.mktemp("lab") / "lab.owb")


@pytest.fixture
def lab(lab_file, tmp_path):
    copy = tmp_path / "lab.owb"
    shutil.copy(lab_file, copy)
    with Project.open(copy) as project:
        yield project
