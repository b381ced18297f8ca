"""Start the desktop app: style, error hook, main window, then the project."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import APP_NAME, ORG_NAME, __version__
from workbench.paths import resources_dir

SWITCH_INTERVAL_S = 0.0002


def app_icon() -> QIcon:
    """The application icon at every size rendered from resources/icons/workbench.svg."""
    icon = QIcon()
    for png in sorted(resources_dir().glob("icons/workbench-*.png")):
        icon.addFile(str(png))
    return icon


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    from workbench.gui.style import apply_style

    apply_style(app)
    # A worker running Python hands the interpreter over to the window's thread at most this
    # often (5 ms by default); every time the window's thread gives it up inside Qt (a paint
    # calls Python for each cell) it waits that long again, so a busy worker made a redraw of
    # many such steps take 100 ms or more (at 1 ms: the Plan page 95-126 ms, at 0.2 ms 50-70).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    if not hasattr(app, "collector"):  # collect garbage on the GUI thread only
        from workbench.gui.collector import GuiThreadCollector

        app.collector = GuiThreadCollector(app)
    return app


def run_gui(project: str | None = None, demo: bool = False) -> int:
    from workbench.logs import configure_logging

    log_path = configure_logging()
    log = logging.getLogger("workbench.gui")
    log.info("%s %s starting; log file %s", APP_NAME, __version__, log_path)
    app = create_app()
    from workbench.gui.error_dialog import ExceptionHook
    from workbench.gui.main_window import MainWindow

    window = MainWindow()
    hook = ExceptionHook(window)
    hook.install()
    window.show()
    window.open_later(project, demo)
    code = app.exec()
    log.info("%s exiting (%s)", APP_NAME, code)
    return code
