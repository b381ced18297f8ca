"""The main window: sidebar of engagement stages, work area, menus and a task status bar."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
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
from workbench.gui.page_warm_up import PageWarmUp
from workbench.gui.panels.base import Panel
from workbench.gui.session import ProjectSession
from workbench.gui.start_page import StartPage
from workbench.gui.task_bar import TaskBar
from workbench.gui.workers import TaskRunner

log = logging.getLogger(__name__)
MAX_RECENT = 8
WARM_UP_MS = 500  # after start-up, the modules opening a project needs load in the background
# Sidebar pages: (title, module in workbench.gui.panels, class). Each panel is imported when it
# is first shown, so the heavy libraries it needs load after the window is on screen.
PANELS = (
    ("Engagement", "engagement", "EngagementPanel"),
    ("Questionnaires", "questionnaires", "QuestionnairesPanel"),
    ("Maturity", "maturity", "MaturityPanel"),
    ("Customer learning", "learning", "LearningPanel"),
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
    """The application window; it is the :class:`~workbench.gui.context.AppContext` that
    panels and dialogs are given (session, tasks, show_error, show_status, go_to)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(960, 640)
        self.session: ProjectSession | None = None
        self.settings = QSettings()
        self.tasks = TaskRunner(self, report_error=self._report_task_error)

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
        self.tasks.ended.connect(self.task_bar.untrack)
        self.tasks.writing_changed.connect(lambda _busy: self._update_state())

        self._build_actions()
        self._build_menus()
        self.set_dark_theme(self.act_dark.isChecked())
        self.start_page.open_demo.connect(self.open_demo)
        self.start_page.new_project.connect(self.new_project)
        self.start_page.open_project.connect(self.open_dialog)
        self.start_page.open_recent.connect(self.open_path)
        self._restore_geometry()
        self._update_state()
        self.page_warm_up = PageWarmUp(
            [module for _t, module, _n in PANELS], self.panel, lambda row: row in self._panels,
            lambda: self.tasks.busy, self._preload_workshop, self)
        # what opening a project needs loads once the window has been on screen a moment
        QTimer.singleShot(WARM_UP_MS, self, self._warm_up)

    def _warm_up(self) -> None:
        from workbench.gui.preload import OPENING, preload

        preload(self.tasks.pool, OPENING, lambda: self.tasks.busy)

    def _preload_workshop(self) -> None:
        from workbench.gui.preload import WORKSHOP, preload

        preload(self.tasks.pool, WORKSHOP, lambda: self.tasks.busy)

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
            panel.set_context(self)
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
                                     tip="Light text on a dark background, maps and charts too.")
        self.act_dark.setCheckable(True)
        self.act_dark.setChecked(self.settings.value("view/dark", False, type=bool))
        self.act_about = self._action("&About", self.about)
        self.act_guide = self._action("User &guide", self.show_guide, K.HelpContents,
                                      "Open the user guide in your web browser.")
        self.act_glossary = self._action(
            "&Glossary…", self.show_glossary, K("Ctrl+Shift+G"),
            "Every term of the pages and the workbook in plain words, searchable.")
        self.act_shortcuts = self._action("&Keyboard shortcuts", self.show_shortcuts,
                                          tip="Every shortcut of the menus and pages.")
        self.act_privacy_note = self._action(
            "&Privacy", self.show_privacy_note,
            tip="What stays on this computer, pseudonyms and the minimum group size.")
        self.act_show_logs = self._action(
            "Show &log folder", self.show_log_folder,
            tip="Open the folder of the log files (include them when reporting a problem).")
        self.export_actions = self._export_actions()
        self.act_export_plan = self.export_actions[".xlsx"]
        self.act_export_plan.setShortcut(K("Ctrl+E"))
        self.act_import_plan = self._action(
            "&Import plan edits…", lambda: self._plan_panel().import_edits(),
            tip="Read status, owner and date edits back from an edited plan workbook.")
        self.act_library = self._action(
            "Action &library…", self.show_library, K("Ctrl+L"),
            "Edit and extend the actions that plans are proposed from (also as XLSX).")
        self.page_actions = [
            self._action(title, lambda _=False, i=i: self.sidebar.setCurrentRow(i),
                         K(f"Ctrl+{i + 1}"))
            for i, (title, _module, _name) in enumerate(PANELS)]

    def _export_actions(self) -> dict[str, QAction]:
        """File → Export: one action per deliverable, written in a background task."""
        from workbench.core.report.deliverables import FORMATS

        tips = {
            ".xlsx": "The plan workbook for the client: the summary in sentences, method, "
                     "maturity, network, evidence and the plan the client can edit.",
            ".docx": "The narrative report: executive summary, maturity, network findings, "
                     "say vs show, the plan by step and the method appendix.",
            ".pptx": "A slide deck with one message per slide and the numbers in the notes.",
            ".pdf": "A one-page summary of the stage, the target, the gaps and the plan.",
        }
        return {suffix: self._action(f"{form.label}…",
                                     lambda _=False, s=suffix: self._plan_panel().export(s),
                                     tip=tips[suffix])
                for suffix, form in FORMATS.items()}

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addAction(self.act_demo)
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        self.data_actions = self._build_data_menu(file_menu)
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu("&Export")
        self.export_menu.addActions(list(self.export_actions.values()))
        file_menu.addAction(self.act_import_plan)
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
        help_menu.addActions([self.act_guide, self.act_glossary, self.act_shortcuts,
                              self.act_privacy_note])
        help_menu.addSeparator()
        help_menu.addAction(self.act_show_logs)
        help_menu.addSeparator()
        help_menu.addAction(self.act_about)
        self._refresh_recent_menu()

    def _build_data_menu(self, menu) -> list[QAction]:
        """The import, survey, export and privacy actions of the File menu.

        The dialogs (and the libraries they need) are imported when first opened, keeping them
        out of start-up.
        """

        def import_wizard(kind: str):
            from workbench.gui.import_wizard import ImportWizard

            return ImportWizard(self, kind, parent=self)

        def survey_dialog(name: str):
            from workbench.gui import survey_dialogs

            return getattr(survey_dialogs, name)(self, parent=self)

        def events_dialog():
            from workbench.gui.events_dialog import EventsDialog

            return EventsDialog(self, parent=self)

        def privacy_dialog():
            from workbench.gui.privacy_dialog import PrivacyDialog

            return PrivacyDialog(self, parent=self)

        def export_network() -> None:
            from workbench.gui.import_wizard import export_network_dialog

            if self.session is not None:
                export_network_dialog(self, parent=self)

        def opener(factory):
            def open_dialog() -> None:
                if self.session is not None:
                    dialog = factory()
                    dialog.setAttribute(Qt.WA_DeleteOnClose)
                    dialog.show()
            return open_dialog

        imports = [
            self._action("Import &people…", opener(lambda: import_wizard("people"))),
            self._action("Import &ties…", opener(lambda: import_wizard("ties"))),
            self._action("Import &network file…", opener(lambda: import_wizard("network"))),
            self._action("Import co&llaboration data…", opener(events_dialog),
                         QKeySequence("Ctrl+Shift+D"),
                         "E-mail, meeting or chat logs: one dated network per week, month or "
                         "quarter."),
        ]
        menu.addActions(imports)
        survey = menu.addMenu("ONA &survey")
        self.act_survey_export = self._action(
            "&Export survey workbooks…", opener(lambda: survey_dialog("SurveyExportDialog")))
        self.act_survey_import = self._action(
            "&Import filled surveys…", opener(lambda: survey_dialog("SurveyImportDialog")))
        survey.addActions([self.act_survey_export, self.act_survey_import])
        self.act_export_network = self._action("E&xport network…", export_network)
        self.act_privacy = self._action("Pri&vacy…", opener(privacy_dialog))
        menu.addActions([self.act_export_network, self.act_privacy])
        self.import_actions = [*imports, self.act_survey_import, self.act_privacy]
        return [*imports, self.act_survey_export, self.act_survey_import,
                self.act_export_network, self.act_privacy]

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
        return self._adopt(lambda: Project.open(path),
                           take_over=lambda: Project.open(path, take_over=True))

    def open_demo(self) -> None:
        path = demo_path()
        if path.exists():
            self.open_path(path)
            return
        from workbench.core.demo import build_demo

        path.parent.mkdir(parents=True, exist_ok=True)
        self.tasks.run_task("build-demo", "Building the demo engagement…",
                            lambda p: build_demo(path, progress=p),
                            lambda _summary: self.open_path(path))

    def _adopt(self, opener, take_over=None) -> bool:
        """Open a project with ``opener``; if a lock says it is open elsewhere and the user
        says so, with ``take_over`` instead."""
        from workbench.core.errors import ProjectLockedError

        self.close_project()
        try:
            try:
                project = opener()
            except ProjectLockedError as exc:
                if take_over is None or not exc.overridable:
                    raise
                name = Path(exc.path).name if exc.path else "The project"
                answer = QMessageBox.question(
                    self, APP_NAME,
                    f"{name} is open on {exc.host} by {exc.user or 'an unknown user'} since "
                    f"{exc.when}. Open it anyway? Only do this if you are sure nobody is "
                    "working on it there.",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No)
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                project = take_over()
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
        from workbench.gui.preload import preload

        # the pages' libraries load while the user looks at this one
        preload(self.tasks.pool, busy=lambda: self.tasks.busy)
        self.page_warm_up.start()  # then the other pages are built while the window is quiet
        return True

    def close_project(self) -> None:
        if self.session is None:
            return
        self.page_warm_up.stop()
        # the start page first: hidden pages empty themselves without being laid out again
        self.stack.setCurrentWidget(self.start_page)
        for panel in self._panels.values():
            panel.set_session(None)
        self.session.close()
        self.session = None
        self.statusBar().clearMessage()  # "Written to …" belonged to the project just closed
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

    def show_guide(self) -> bool:
        from workbench.gui.help import open_guide

        return open_guide()

    def show_glossary(self) -> None:
        """The glossary beside the window (one at a time; raised when already open)."""
        from workbench.gui.help import GlossaryDialog, glossary_rows

        dialog = self.findChild(GlossaryDialog)
        if dialog is None:
            dialog = GlossaryDialog(self, glossary_rows(self.session.project if self.session
                                                        else None))
            dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def show_shortcuts(self) -> None:
        from workbench.gui.help import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_privacy_note(self) -> None:
        from workbench.gui.help import PrivacyNote

        size = self.session.project.engagement.get().min_group_size if self.session else None
        PrivacyNote(self, size).exec()

    def about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b> {__version__}<p>Organisation design around "
                          "customers: questionnaires, maturity, network analysis and 100-day "
                          "plans. Works offline; your data stays on this computer.</p>")

    # -- the application context (workbench.gui.context.AppContext) ------------------------

    def show_error(self, message: str, details: str = "") -> None:
        """A message box; with ``details`` (a traceback) the error dialog with the report."""
        if not details:
            QMessageBox.warning(self, APP_NAME, message)
            return
        from workbench.gui.error_dialog import ErrorDialog, error_header

        ErrorDialog(message, error_header() + details, self).exec()

    def show_status(self, message: str, msecs: int = 6000) -> None:
        self.statusBar().showMessage(message, msecs)

    def go_to(self, page: str) -> None:
        """Show the sidebar page titled ``page`` (e.g. "Questionnaires")."""
        titles = [title for title, _module, _name in PANELS]
        if page not in titles:
            raise ValueError(f"no page titled {page!r}")
        self.sidebar.setCurrentRow(titles.index(page))

    @property
    def busy_writing(self) -> bool:
        return self.tasks.busy_writing

    def _report_task_error(self, message: str, details: str) -> None:
        if details:
            self.show_error(message, details)
        else:
            self.show_error(message)

    def show_log_folder(self) -> bool:
        """Open the folder of the log files in the file manager."""
        from workbench.logs import log_file
        from workbench.paths import user_log_dir

        current = log_file()
        folder = current.parent if current is not None else user_log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _update_title(self) -> None:
        if self.session is None:
            self.setWindowTitle(APP_NAME)
            return
        client = self.session.project.engagement.get().client or "Untitled engagement"
        self.setWindowTitle(f"{client} — {self.session.path.name} — {APP_NAME}")

    def _update_state(self) -> None:
        has = self.session is not None
        writing = self.tasks.busy_writing  # edits would wait for the task: offer none
        self.sidebar.setEnabled(has)
        self.export_menu.setEnabled(has)
        for action in (self.act_save, *self.export_actions.values(),
                       *self.page_actions, *self.data_actions):
            action.setEnabled(has)
        for action in (self.act_save_as, self.act_close, self.act_import_plan, self.act_library,
                       *self.import_actions):
            action.setEnabled(has and not writing)
        for action in (self.act_new, self.act_open, self.act_demo):
            action.setEnabled(not writing)
        # nothing to export before a network exists: disabled, not an error box when chosen
        networks = has and bool(self.session.project.networks.list())
        self.act_export_network.setEnabled(networks)
        planned = has and bool(self.session.project.plans.plans())  # edits need a plan to go to
        self.act_import_plan.setEnabled(planned and not writing)
        self.act_export_network.setStatusTip("Write a network and its measures for other tools."
                                             if networks or not has else
                                             "No network yet: import ties or a survey first.")
        self.recent_menu.setEnabled(not writing and not self.recent_menu.isEmpty())
        undo = self.session.undo_label if has else None
        redo = self.session.redo_label if has else None
        self.act_undo.setEnabled(bool(undo) and not writing)
        self.act_redo.setEnabled(bool(redo) and not writing)
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


