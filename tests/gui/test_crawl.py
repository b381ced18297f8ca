"""A crawl through the whole app as a curious new user would go: the demo, then a new project.

On each project every sidebar page and every tab is visited, every enabled button on the page
is clicked and every enabled menu action is triggered. File dialogs are answered with real
files (the demo's own plan workbook, a roster and a ties CSV written here, fresh paths for
saving); every dialog or window that opens is photographed and closed. The crawl fails on an
uncaught exception (pytest-qt), on any warning or error box, on the crash dialog, and on any
name or figure of the demo still on screen once the new project is open.

Screenshots of every page, tab and dialog (1280×800) go to ``test-artifacts/crawl/`` at the top
of the checkout (git-ignored), or to ``$CRAWL_ARTIFACTS``.

Not clicked or triggered, on purpose:

- File › Quit: closes the window, which would end the crawl.
- File › Close engagement: ends the project being crawled; it is triggered once at the very
  end instead, and the start page must come back.
- File › Open Recent entries and File › Open demo engagement: open another project mid-crawl;
  the crawl switches projects itself, through the start page's demo button and File › New
  engagement.
- New engagement…, Open… and Save As… are triggered, and their file dialog is cancelled.
- Buttons inside the dialogs that open are not clicked: each dialog is photographed and
  cancelled (the dialogs have their own tests). Questions (QMessageBox.question) are answered
  No, so nothing one-way (converting to pseudonyms) happens.
- The task bar's Cancel buttons (status bar, not a page): they cancel the crawl's own work.
- Buttons and actions that only open a file dialog are answered, never skipped.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from driving import import_with_wizard, write_roster, write_ties
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1280, 800)
SKIP_ACTIONS = {
    "Quit": "closes the window, ending the crawl",
    "Open demo engagement": "would switch to the demo mid-crawl; the crawl opens the demo "
                            "from the start page",
    "Close engagement": "ends the project being crawled; triggered once at the very end",
}
CRAWL_BUDGET_S = 120


def artifact_dir() -> Path:
    folder = Path(os.environ.get("CRAWL_ARTIFACTS") or ROOT / "test-artifacts" / "crawl")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.replace("&", "").lower()).strip("-")[:40]


class Crawler:
    """Drives the window and records what went wrong."""

    def __init__(self, window, qtbot, monkeypatch, tmp_path: Path, plan_workbook: Path) -> None:
        self.window, self.qtbot = window, qtbot
        self.folder = artifact_dir()
        self.saves = tmp_path / "saved"
        self.saves.mkdir()
        self.roster = write_roster(tmp_path / "roster.csv")
        self.ties = write_ties(tmp_path / "ties.csv")
        self.plan_workbook = plan_workbook
        self.project = "start"
        self.boxes: list[str] = []  # warning / error boxes: failures
        self.notes: list[str] = []  # information and questions: fine, listed for the log
        self.dialogs: list[str] = []
        self.clicked: list[str] = []
        self.shots = 0
        self._answer_file_dialogs(monkeypatch)
        self._record_message_boxes(monkeypatch)
        self.closer = QTimer(interval=40)
        self.closer.timeout.connect(self.close_popups)
        self.closer.start()

    # -- answering ------------------------------------------------------------------------

    def _answer_file_dialogs(self, monkeypatch) -> None:
        counter = [0]

        def open_one(_parent=None, caption="", _dir="", file_filter="", *a, **k):
            self.dialogs.append(f"open file: {caption}")
            if "plan" in caption.lower():
                return str(self.plan_workbook), file_filter
            if file_filter.startswith("Tables"):
                return str(self.roster), file_filter
            if file_filter.startswith("Ties"):
                return str(self.ties), file_filter
            return "", file_filter  # engagements, templates, network files: cancelled

        def open_many(_parent=None, caption="", *a, **k):
            self.dialogs.append(f"open files: {caption}")
            return [], ""

        def save(_parent=None, caption="", suggested="", file_filter="", *a, **k):
            self.dialogs.append(f"save file: {caption}")
            if "engagement" in caption.lower():
                return "", file_filter  # New engagement / Save As: cancelled mid-crawl
            counter[0] += 1
            name = Path(suggested).name or "file"
            if "." not in name:
                match = re.search(r"\*(\.\w+)", file_filter)
                name += match.group(1) if match else ""
            return str(self.saves / f"{counter[0]:03d}-{name}"), file_filter

        def folder(_parent=None, caption="", *a, **k):
            self.dialogs.append(f"folder: {caption}")
            target = self.saves / f"folder-{len(self.dialogs)}"
            target.mkdir()
            return str(target)

        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_one))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(open_many))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(folder))

    def _record_message_boxes(self, monkeypatch) -> None:
        def failing(kind):
            def box(_parent, title, text, *a, **k):
                self.boxes.append(f"[{self.project}] {kind} {title!r}: {text}")
                return QMessageBox.Ok
            return staticmethod(box)

        def noting(kind, answer):
            def box(_parent, title, text, *a, **k):
                self.notes.append(f"[{self.project}] {kind} {title!r}: {text}")
                return answer
            return staticmethod(box)

        monkeypatch.setattr(QMessageBox, "warning", failing("warning"))
        monkeypatch.setattr(QMessageBox, "critical", failing("critical"))
        # questions are declined: nothing one-way (e.g. converting to pseudonyms) happens
        monkeypatch.setattr(QMessageBox, "question", noting("question", QMessageBox.No))
        monkeypatch.setattr(QMessageBox, "information", noting("information", QMessageBox.Ok))
        monkeypatch.setattr(QMessageBox, "about", noting("about", None))

    def popups(self) -> list[QWidget]:
        """The dialogs and extra windows open now, innermost first."""
        modal = QApplication.activeModalWidget()
        candidates = [modal] if modal is not None else []
        return candidates + [w for w in QApplication.topLevelWidgets()
                             if w is not self.window and w.isVisible()
                             and w.windowType() in (Qt.Window, Qt.Dialog)]

    def popups_closed(self) -> None:
        """Wait until the closer has photographed and closed every dialog that opened."""
        self.qtbot.waitUntil(lambda: not self.popups(), timeout=5000)

    def close_popups(self) -> None:
        """Photograph and close whatever dialog or extra window opened (innermost first)."""
        for widget in self.popups():
            if not isValid(widget) or not widget.isVisible():
                continue
            title = widget.windowTitle() or type(widget).__name__
            self.dialogs.append(f"window: {title}")
            if title == "Something went wrong":
                self.boxes.append(f"[{self.project}] crash dialog: "
                                  f"{widget.findChild(QLabel).text()[:300]}")
            self.shoot(widget, f"dialog-{slug(title)}")
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()
            return  # one per tick: a nested modal unwinds before the next

    # -- looking ------------------------------------------------------------------------------

    def shoot(self, widget: QWidget, name: str) -> None:
        path = self.folder / f"{self.project}-{name}.png"
        if path.exists():
            return
        widget.grab().save(str(path))
        self.shots += 1

    def settle(self, timeout: int = 30_000) -> None:
        """Let background work finish and results arrive."""
        deadline = time.monotonic() + timeout / 1000
        while time.monotonic() < deadline:
            QApplication.processEvents()
            if not self.window.tasks.busy:  # the results were shown as the task ended
                QApplication.processEvents()  # what they posted: a follow-up task, say
                if not self.window.tasks.busy:
                    return
            self.qtbot.wait(30)
        raise AssertionError(f"[{self.project}] background tasks still running after "
                             f"{timeout} ms")

    # -- doing --------------------------------------------------------------------------------

    def page(self, row: int) -> QWidget:
        self.window.sidebar.setCurrentRow(row)
        self.settle()
        return self.window.stack.currentWidget()

    def click_buttons(self, root: QWidget, done: set[tuple[str, str]], where: str) -> None:
        buttons = [b for b in root.findChildren(QAbstractButton)
                   if isinstance(b, QPushButton | QToolButton)]
        for button in buttons:
            if not isValid(button) or not button.isVisible() or not button.isEnabled():
                continue
            name = button.text().replace("&", "") or button.toolTip() or button.objectName()
            key = (where, name)
            if not name or key in done:
                continue
            done.add(key)
            self.clicked.append(f"[{self.project}] {where}: {name}")
            self.qtbot.mouseClick(button, Qt.LeftButton)
            self.settle()
            self.popups_closed()  # dialogs opened at the end of a task too

    def visit_page(self, row: int, title: str) -> None:
        done: set[tuple[str, str]] = set()
        widget = self.page(row)
        self.shoot(self.window, f"{row + 1}-{slug(title)}")
        self.click_buttons(widget, done, title)
        widget = self.page(row)  # a button may have moved to another page
        for tabs in [t for t in widget.findChildren(QTabWidget) if t.isVisible()]:
            for index in range(tabs.count()):
                if not isValid(tabs) or not tabs.isTabEnabled(index):
                    continue
                self.page(row)
                tabs.setCurrentIndex(index)
                self.settle()
                tab = slug(tabs.tabText(index))
                self.shoot(self.window, f"{row + 1}-{slug(title)}-{tab}")
                self.click_buttons(tabs.widget(index), done, f"{title} › {tab}")

    def menu_actions(self) -> list[tuple[str, QAction]]:
        found: list[tuple[str, QAction]] = []

        def walk(menu, path: str) -> None:
            for action in menu.actions():
                if action.menu() is not None:
                    walk(action.menu(), f"{path} › {action.menu().title().replace('&', '')}")
                elif not action.isSeparator():
                    found.append((f"{path} › {action.text().replace('&', '')}", action))

        for top in self.window.menuBar().actions():
            walk(top.menu(), top.menu().title().replace("&", ""))
        return found

    def trigger_menus(self) -> list[str]:
        skipped = []
        recent = self.window.recent_menu.actions()
        for path, action in self.menu_actions():
            text = action.text().replace("&", "")
            if text in SKIP_ACTIONS or action in recent:
                skipped.append(f"{path}: {SKIP_ACTIONS.get(text, 'opens the other project')}")
                continue
            if not isValid(action) or not action.isEnabled():
                continue
            self.clicked.append(f"[{self.project}] menu {path}")
            action.trigger()
            self.settle()
            self.popups_closed()
            if action.isCheckable() and action.isChecked():  # full screen, dark theme: back
                self.shoot(self.window, f"menu-{slug(text)}")
                action.trigger()
                self.settle()
        return skipped

    def crawl(self) -> list[str]:
        from workbench.gui.main_window import PANELS

        assert self.window.session is not None
        for row, (title, _m, _n) in enumerate(PANELS):
            self.visit_page(row, title)
        return self.trigger_menus()

    # -- reading what is on screen ---------------------------------------------------------------

    def visible_texts(self) -> list[tuple[str, str]]:
        """(widget, text) for every text a user can read on the current page and window."""
        texts = [("window title", self.window.windowTitle()),
                 ("status bar", self.window.statusBar().currentMessage())]
        root = self.window.stack.currentWidget()
        for widget in root.findChildren(QWidget):
            if not widget.isVisible():
                continue
            name = f"{type(widget).__name__} {widget.objectName() or widget.accessibleName()}"
            if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
                texts.append((name, widget.text()))
            elif isinstance(widget, QTextBrowser | QPlainTextEdit):
                texts.append((name, widget.toPlainText()))
            elif isinstance(widget, QComboBox):
                texts += [(name, widget.itemText(i)) for i in range(widget.count())]
            elif isinstance(widget, QListWidget):
                texts += [(name, widget.item(i).text()) for i in range(widget.count())]
            elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
                model = widget.model()
                texts += [(name, str(model.index(r, c).data() or ""))
                          for r in range(model.rowCount()) for c in range(model.columnCount())]
        return [(name, text) for name, text in texts if text]


def demo_fingerprints(project) -> list[str]:
    """Texts that can only come from the demo: people's names, the client, tie counts."""
    names = [p.name for p in project.people.list() if p.name and " " in p.name]
    client = project.engagement.get().client
    figures = [f"{n.tie_count:,} ties" for n in project.networks.list() if n.tie_count > 20]
    return [client, *names, *figures]


@pytest.mark.slow
def test_crawl_every_page_button_and_menu(window, qtbot, monkeypatch, tmp_path, demo_file,
                                          demo_plan_workbook):
    import shutil

    from workbench.gui import main_window

    started = time.monotonic()
    main_window.demo_path().parent.mkdir(parents=True)  # the demo is ready, as after a build
    shutil.copy(demo_file, main_window.demo_path())
    window.resize(*SIZE)
    crawler = Crawler(window, qtbot, monkeypatch, tmp_path, demo_plan_workbook)
    crawler.shoot(window, "0-start-page")

    # 1. The demo, opened from the start page like a new user does.
    crawler.project = "demo"
    qtbot.mouseClick(window.start_page.demo_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.session is not None, timeout=20_000)
    fingerprints = demo_fingerprints(window.session.project)
    skipped = crawler.crawl()

    # 2. A new engagement through File › New engagement…, crawled empty ...
    crawler.project = "new"
    target = tmp_path / "Fresh client.owb"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    window.act_new.trigger()
    qtbot.waitUntil(lambda: window.session is not None and window.session.path == target,
                    timeout=10_000)
    crawler._answer_file_dialogs(monkeypatch)
    leftovers = check_no_demo_text(crawler, fingerprints)
    skipped += crawler.crawl()
    leftovers += check_no_demo_text(crawler, fingerprints)

    # ... then with a roster and ties, imported through the File menu's wizard.
    crawler.project = "new-with-people"
    actions = {a.text().replace("&", ""): a for a in window.findChildren(QAction)}
    crawler.closer.stop()  # the wizard is driven here, not closed
    import_with_wizard(qtbot, actions["Import people…"], crawler.roster, monkeypatch)
    import_with_wizard(qtbot, actions["Import ties…"], crawler.ties, monkeypatch)
    crawler._answer_file_dialogs(monkeypatch)
    crawler.closer.start()
    crawler.settle()
    leftovers += check_no_demo_text(crawler, fingerprints)
    skipped += crawler.crawl()
    leftovers += check_no_demo_text(crawler, fingerprints)

    # 3. Close the engagement: the start page comes back.
    window.act_close.trigger()
    assert window.stack.currentWidget() is window.start_page
    crawler.closer.stop()
    elapsed = time.monotonic() - started

    report = (f"{len(crawler.clicked)} clicks and actions, {crawler.shots} screenshots in "
              f"{crawler.folder}, {elapsed:.0f} s.\nSkipped:\n  " + "\n  ".join(sorted(set(
                  skipped))) + "\nNotes:\n  " + "\n  ".join(crawler.notes))
    print(report)
    print("\n".join(crawler.clicked))
    assert crawler.boxes == [], "\n".join(crawler.boxes)
    assert leftovers == [], "\n".join(leftovers)
    assert elapsed < CRAWL_BUDGET_S, report


def check_no_demo_text(crawler: Crawler, fingerprints: list[str]) -> list[str]:
    """Visit every page of the (new) project and report demo texts still on screen."""
    from workbench.gui.main_window import PANELS

    found = []
    for row, (title, _m, _n) in enumerate(PANELS):
        crawler.page(row)
        widget = crawler.window.stack.currentWidget()
        for tabs in [t for t in widget.findChildren(QTabWidget) if t.isVisible()] or [None]:
            for index in range(tabs.count() if tabs is not None else 1):
                if tabs is not None:
                    tabs.setCurrentIndex(index)
                    crawler.settle()
                found += [f"[{crawler.project}] {title}: {mark!r} still shown in {name}: "
                          f"{text[:120]!r}"
                          for name, text in crawler.visible_texts()
                          for mark in fingerprints if mark and mark in text]
    return sorted(set(found))
