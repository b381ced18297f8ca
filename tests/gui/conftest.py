"""GUI test fixtures: isolated settings and data folders, the real main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "userdata"))
    QCoreApplication.setOrganizationName("WorkbenchTests")
    QCoreApplication.setApplicationName("WorkbenchTests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    yield
    from workbench.gui.release import releaser

    left = releaser()  # what a test let go is freed now, not during the next test
    while left.pending:
        left.step()


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


@pytest.fixture(scope="session")
def demo_plan_workbook(demo_file, tmp_path_factory):
    """The plan workbook exported from the demo (built once), as a user would have it."""
    import shutil

    from workbench.core.project import Project
    from workbench.core.report.assemble import export_workbook

    folder = tmp_path_factory.mktemp("plan-workbook")
    copy = folder / "demo.owb"
    shutil.copy(demo_file, copy)
    path = folder / "Harbourview plan.xlsx"
    with Project.open(copy) as project:
        export_workbook(project, path)
    return path
