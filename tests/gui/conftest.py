"""GUI test fixtures: isolated settings and data folders, a demo project built once."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    from workbench.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.owb"
    build_demo(path)
    return path


@pytest.fixture
def demo_copy(demo_file, tmp_path):
    target = tmp_path / "demo-copy.owb"
    shutil.copy(demo_file, target)
    return target


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "userdata"))
    QCoreApplication.setOrganizationName("WorkbenchTests")
    QCoreApplication.setApplicationName("WorkbenchTests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture
def window(qtbot):
    from workbench.gui.app import create_app
    from workbench.gui.main_window import MainWindow

    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
