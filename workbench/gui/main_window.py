"""The main window: sidebar of engagement stages, work area, menus and a task status bar."""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from workbench import APP_NAME, __version__
from workbench.core.errors import WorkbenchError
from workbench.gui.import_wizard import install_data_actions
from workbench.gui.panels.base import Panel
from workbench.gui.session import ProjectSession
from workbench.gui.start_page import StartPage
from workbench.gui.task_bar import TaskBar
from workbench.gui.workers import Task, TaskRunner

MAX_RECENT = 8
# Sidebar pages: (title, module in workbench.gui.panels, class). Each panel is imported when it
# is first shown, so the heavy libraries it needs load after the window is on screen.
PANELS = (
    ("Engagement", "engagement", "EngagementPanel"),
    ("Questionnaires", "questionnaires", "QuestionnairesPanel"),
    ("Maturity", "maturity", "MaturityPanel"),
    ("People & Network", "network", "NetworkPanel"),
    ("Plan", "plan", "PlanPanel"),
    ("Workshop", "workshop", "WorkshopPanel"),
)


def _panel_class(row: int) -> type[Panel]:
    _title, module, name = PANELS[row]
    return getattr(importlib.import_module(f"workbench.gui.panels.{module}"), name)
FILE_FILTER = "Workbench projects (*.owb);;All files (*)"


def demo_path() -> Path:
    from workbench.paths import user_data_dir

    return user_data_dir() / "demo" / "Harbourview demo.owb"


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(960, 640)
        self.session: ProjectSession | None = None
        self.settings = QSettings()
        self.tasks = TaskRunner(self)

        self.sidebar = QListWidget(objectName="sidebar")
        self.sidebar.setFixedWidth(220)
        self.stack = QStackedWidget()
        self.start_page = StartPage()
        self.stack.addWidget(self.start_page)
        self._panels: dict[int, Panel] = {}
        for title, _module, _name in PANELS:
            self.sidebar.addItem(title)
        self.sidebar.currentRowChanged.connect(self._show_panel)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.task_bar = TaskBar()
        self.statusBar().addPermanentWidget(self.task_bar)
        self.tasks.started.connect(self.task_bar.track)

        self._build_actions()
        self._build_menus()
        self.set_dark_theme(self.act_dark.isChecked())
        self.start_page.open_demo.connect(self.open_demo)
        self.start_page.new_project.connect(self.new_project)
        self.start_page.open_project.connect(self.open_dialog)
        self.start_page.open_recent.connect(self.open_path)
        self._restore_geometry()
        self._update_state()

    def _plan_panel(self) -> Panel:
        return self.panel([title for title, _m, _n in PANELS].index("Plan"))

    @property
    def panel_types(self) -> list[type[Panel]]:
        """The panel classes in sidebar order (importing them all)."""
        return [_panel_class(row) for row in range(len(PANELS))]

    def panel(self, row: int) -> Panel:
        """The panel of a sidebar row, built on first use (keeps start-up fast)."""
        if row not in self._panels:
            panel = _panel_class(row)()
            self._panels[row] = panel
            self.stack.addWidget(panel)
            panel.set_session(self.session)
        return self._panels[row]

    @property
    def panels(self) -> list[Panel]:
        return [self.panel(row) for row in range(len(PANELS))]

    # -- actions and menus ----------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence
        self.act_new = self._action("&New engagement…", self.new_project, K.New)
        self.act_open = self._action("&Open…", self.open_dialog, K.Open)
        self.act_demo = self._action("Open &demo engagement", self.open_demo)
        self.act_save = self._action("&Save", self.save, K.Save,
                                     "Every change is saved as you make it.")
        self.act_save_as = self._action("Save &As…", self.save_as, K.SaveAs)
        self.act_close = self._action("&Close engagement", self.close_project, K.Close)
        self.act_quit = self._action("&Quit", self.close, K.Quit)
        self.act_undo = self._action("&Undo", self.undo, K.Undo)
        self.act_redo = self._action("&Redo", self.redo, [K("Ctrl+Shift+Z"), K("Ctrl+Y")])
        self.act_full = self._action("&Full screen", self.toggle_full_screen, K("F11"))
        self.act_full.setCheckable(True)
        self.act_dark = self._action("&Dark theme", self.set_dark_theme,
                                     tip="Light text on a dark background; charts stay light.")
        self.act_dark.setCheckable(True)
        self.act_dark.setChecked(self.settings.value("view/dark", False, type=bool))
        self.act_about = self._action("&About", self.about)
        self.act_export_plan = self._action(
            "&Export plan workbook…", lambda: self._plan_panel().export_workbook(), K("Ctrl+E"),
            "Write the plan workbook (Summary, Maturity, Network, Evidence, Plan…) for the client.")
        self.act_import_plan = self._action(
            "&Import plan edits…", lambda: self._plan_panel().import_edits(),
            tip="Read status, owner and date edits back from an edited plan workbook.")
        self.act_export_pdf = self._action(
            "Export summary &PDF…", lambda: self._plan_panel().export_pdf(),
            tip="Write a one-page PDF summary of the stage, the gaps and the plan.")
        self.act_library = self._action(
            "Action &library…", self.show_library, K("Ctrl+L"),
            "Edit and extend the actions that plans are proposed from (also as XLSX).")
        self.page_actions = [
            self._action(title, lambda _=False, i=i: self.sidebar.setCurrentRow(i),
                         K(f"Ctrl+{i + 1}"))
            for i, (title, _module, _name) in enumerate(PANELS)]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addAction(self.act_demo)
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        self.data_actions = install_data_actions(self, file_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.act_export_plan, self.act_import_plan, self.act_export_pdf])
        file_menu.addSeparator()
        file_menu.addActions([self.act_close, self.act_quit])
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.act_undo, self.act_redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_library)
        view_menu = bar.addMenu("&View")
        view_menu.addActions(self.page_actions)
        view_menu.addSeparator()
        view_menu.addActions([self.act_full, self.act_dark])
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_about)
        self._refresh_recent_menu()

    # -- opening and closing ----------------------------------------------------------------

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New engagement", "", FILE_FILTER)
        if not path:
            return
        path = path if path.endswith(".owb") else path + ".owb"
        from workbench.core.project import Project

        if Path(path).exists():
            self.show_error(f"{path} already exists. Choose another name.")
            return
        self._adopt(lambda: Project.create(path, client=Path(path).stem))

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open engagement", "", FILE_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        from workbench.core.project import Project

        if self.session is not None and Path(path).resolve() == self.session.path.resolve():
            return True
        return self._adopt(lambda: Project.open(path))

    def open_demo(self) -> None:
        path = demo_path()
        if path.exists():
            self.open_path(path)
            return
        from workbench.core.demo import build_demo

        path.parent.mkdir(parents=True, exist_ok=True)
        task = Task("Building the demo engagement…", lambda p: build_demo(path, progress=p))
        task.signals.done.connect(lambda _summary: self.open_path(path))
        task.signals.failed.connect(lambda msg, _details: self.show_error(msg))
        self.tasks.start(task)

    def _adopt(self, opener) -> bool:
        self.close_project()
        try:
            project = opener()
        except WorkbenchError as exc:
            self.show_error(str(exc))
            return False
        self.session = ProjectSession(project, self)
        self.session.history_changed.connect(self._update_state)
        self.session.project_changed.connect(lambda _t: self._update_title())
        for panel in self._panels.values():
            panel.set_session(self.session)
        self._remember(str(project.path))
        if project.migrated_from is not None:
            self.statusBar().showMessage(
                f"Updated from an older version; a backup is at {project.backup_path}", 15000)
        self.sidebar.setCurrentRow(0)
        self._show_panel(0)
        self._update_state()
        return True

    def close_project(self) -> None:
        if self.session is None:
            return
        for panel in self._panels.values():
            panel.set_session(None)
        self.session.close()
        self.session = None
        self.stack.setCurrentWidget(self.start_page)
        self._update_state()

    def save(self) -> None:
        self.statusBar().showMessage("All changes are saved as you make them.", 4000)

    def save_as(self) -> None:
        if self.session is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save engagement as", "", FILE_FILTER)
        if not path:
            return
        path = path if path.endswith(".owb") else path + ".owb"
        try:
            self.session.project.save_as(path)
        except WorkbenchError as exc:
            self.show_error(str(exc))
            return
        self._remember(path)
        self._update_state()
        self.statusBar().showMessage(f"Saved as {path}", 5000)

    # -- editing -----------------------------------------------------------------------

    def undo(self) -> None:
        if self.session is not None and (label := self.session.undo()):
            self.statusBar().showMessage(f"Undone: {label}", 4000)

    def redo(self) -> None:
        if self.session is not None and (label := self.session.redo()):
            self.statusBar().showMessage(f"Redone: {label}", 4000)

    def show_library(self):
        from workbench.gui.library_dialog import show_library_dialog

        return show_library_dialog(self)

    # -- view ------------------------------------------------------------------------------

    def _show_panel(self, row: int) -> None:
        if self.session is not None and 0 <= row < len(PANELS):
            self.stack.setCurrentWidget(self.panel(row))

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()
        self.act_full.setChecked(self.isFullScreen())

    def set_dark_theme(self, dark: bool) -> None:
        """Switch the whole application to the dark (or light) palette and remember it."""
        from workbench.gui.style import apply_style

        apply_style(QApplication.instance(), dark)
        self.act_dark.setChecked(dark)
        self.settings.setValue("view/dark", dark)

    def about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b> {__version__}<p>Organisation design around "
                          "customers: questionnaires, maturity, network analysis and 100-day "
                          "plans. Works offline; your data stays on this computer.</p>")

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, APP_NAME, message)

    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle(APP_NAME)
            return
        client = self.session.project.engagement.get().client or "Untitled engagement"
        self.setWindowTitle(f"{client} — {self.session.path.name} — {APP_NAME}")

    def _update_state(self) -> None:
        has = self.session is not None
        self.sidebar.setEnabled(has)
        for action in (self.act_save, self.act_save_as, self.act_close, self.act_export_plan,
                       self.act_import_plan, self.act_export_pdf, self.act_library,
                       *self.page_actions,
                       *self.data_actions):
            action.setEnabled(has)
        undo = self.session.undo_label if has else None
        redo = self.session.redo_label if has else None
        self.act_undo.setEnabled(bool(undo))
        self.act_redo.setEnabled(bool(redo))
        self.act_undo.setText(f"&Undo {undo}" if undo else "&Undo")
        self.act_redo.setText(f"&Redo {redo}" if redo else "&Redo")
        if not has:
            self.sidebar.clearSelection()
            self.stack.setCurrentWidget(self.start_page)
        self._update_title()

    # -- settings -------------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [p for p in paths if Path(p).exists()]

    def _remember(self, path: str) -> None:
        paths = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent", [path, *paths][:MAX_RECENT])
        self._refresh_recent_menu()

    def _refresh_recent_menu(self) -> None:
        paths = self.recent_files()
        self.recent_menu.clear()
        for i, path in enumerate(paths):
            action = self.recent_menu.addAction(f"&{i + 1} {Path(path).name}")
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(paths))
        self.start_page.set_recent(paths)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tasks.busy:
            self.tasks.cancel_all()
            self.tasks.wait(10_000)
        self.settings.setValue("geometry", self.saveGeometry())
        self.close_project()
        super().closeEvent(event)

    def open_later(self, path: str | None, demo: bool) -> None:
        """Open a project once the window is on screen (heavy imports happen then)."""
        if demo:
            QTimer.singleShot(0, self.open_demo)
        elif path:
            QTimer.singleShot(0, lambda: self.open_path(path))


