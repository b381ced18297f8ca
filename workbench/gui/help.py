"""The Help menu: the user guide, the glossary, every keyboard shortcut, and a short note on
privacy.

The shortcut list is read from the window's own actions and shortcuts when it opens, so it
always matches what the keys really do.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.style import SPACING
from workbench.gui.widgets import label

if TYPE_CHECKING:
    from workbench.core.project import Project


def guide_url() -> QUrl:
    from workbench.paths import guide_file

    return QUrl.fromLocalFile(str(guide_file()))


def open_guide() -> bool:
    """Open the bundled user guide in the system's browser."""
    return QDesktopServices.openUrl(guide_url())


def _keys(sequences: list[QKeySequence]) -> str:
    return " or ".join(s.toString(QKeySequence.NativeText) for s in sequences if not s.isEmpty())


def _menu_paths(window: QMainWindow) -> dict[QAction, str]:
    """Each menu action with its menu path ("File", "File › ONA survey")."""
    paths: dict[QAction, str] = {}

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} › {action.menu().title().replace('&', '')}")
            elif not action.isSeparator():
                paths[action] = path

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.menu().title().replace("&", ""))
    return paths


def _page_of(widget: QWidget | None) -> str:
    """The sidebar page (panel title) a widget belongs to, or the window's name."""
    while widget is not None:
        title = getattr(widget, "title", "")
        if isinstance(title, str) and title and not callable(title):
            return title
        widget = widget.parentWidget()
    return "Main window"


def _describe(shortcut: QShortcut, keys: str) -> str:
    """What a bare QShortcut does: its What's This text, else the button naming its key."""
    if shortcut.whatsThis():
        return shortcut.whatsThis()
    parent = shortcut.parent() if isinstance(shortcut.parent(), QWidget) else None
    if parent is not None:
        for button in parent.findChildren(QAbstractButton):
            if keys and (keys in button.text() or keys in button.toolTip()):
                return button.text().replace(f"({keys})", "").replace("&", "").strip()
    return ""


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(keys, what it does, where) for every action and shortcut of the window with a key."""
    if hasattr(window, "panels"):
        window.panels  # noqa: B018 - builds every page, so the page's own keys are listed too
    menus = _menu_paths(window)
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        text = action.text().replace("&", "").strip()
        for verb, meaning in (("Undo", "Undo the last change"), ("Redo", "Redo what was undone")):
            if re.match(rf"{verb}\b", text):  # not the label of today's last change
                text = meaning
        if not keys or not text or (keys, text) in seen:
            continue
        seen.add((keys, text))
        where = menus.get(action) or _page_of(action.parent()
                                              if isinstance(action.parent(), QWidget) else None)
        rows.append((keys, text, where))
    for shortcut in window.findChildren(QShortcut):
        keys = _keys([shortcut.key()])
        text = _describe(shortcut, keys)
        if not keys or not text or (keys, text) in seen:
            continue
        seen.add((keys, text))
        parent = shortcut.parent()
        rows.append((keys, text, _page_of(parent if isinstance(parent, QWidget) else None)))
    menu_titles = [a.menu().title().replace("&", "") for a in window.menuBar().actions()
                   if a.menu() is not None]

    def rank(row: tuple[str, str, str]) -> tuple[int, str]:  # menus in menu-bar order first
        top = row[2].split(" ›")[0]
        return (menu_titles.index(top) if top in menu_titles else len(menu_titles), row[2])

    return sorted(rows, key=rank)


class FilteredTableDialog(QDialog):
    """A titled, filterable, read-only table of text rows with a Close button."""

    def __init__(self, parent: QWidget, title: str, hint: str, placeholder: str,
                 headers: list[str], rows: list[tuple[str, ...]], size: tuple[int, int]
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(*size)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addWidget(label(title, "title"))
        layout.addWidget(label(hint, "hint", wrap=True))
        self.filter = QLineEdit(placeholderText=placeholder)
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.rows = rows
        self.table = QTableWidget(len(rows), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setAlternatingRowColors(True)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, self.cell(c, text))
        layout.addWidget(self.table, 1)
        self.filter.textChanged.connect(self._filter)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def cell(self, column: int, text: str) -> QTableWidgetItem:
        """The table item for one cell (subclasses style their columns)."""
        return QTableWidgetItem(text)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for r, row in enumerate(self.rows):
            self.table.setRowHidden(r, bool(needle) and needle not in " ".join(row).casefold())


class ShortcutsDialog(FilteredTableDialog):
    """Every keyboard shortcut of the window, filterable."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window, "Keyboard shortcuts",
                         "Read from the app's menus and pages as they are now. The answer "
                         "wizard and the workshop presenter list their own keys at the bottom "
                         "of their windows.", "Filter shortcuts…", ["Keys", "Does", "Where"],
                         shortcut_rows(window), (640, 560))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)


def glossary_rows(project: Project | None = None) -> list[tuple[str, str]]:
    """(term, plain definition) for every network term and every method term, by term (the
    workbook's Glossary sheet, without its column naming the part); the method's bar is the
    open project's (its maturity questionnaire's), else the default."""
    from workbench.core.method.rounds import ladder_round
    from workbench.core.questionnaire.schema import Bar
    from workbench.core.report.glossary_sheet import glossary_rows as sheet_rows

    ladder = ladder_round(project) if project is not None else None
    bar = ladder.template.scoring.bar if ladder is not None else Bar()
    return [(term, meaning) for term, meaning, _part in sheet_rows(bar)]


class GlossaryDialog(FilteredTableDialog):
    """Every term the app and its outputs use, in plain words, filterable; stays open beside
    the window while reading."""

    def __init__(self, window: QWidget, rows: list[tuple[str, str]]) -> None:
        super().__init__(window, "Glossary",
                         "The words the pages, the workbook and the summary use, each in one "
                         "line. Hover a label in the app for the same definition.",
                         "Type to find a term…", ["Term", "What it means"], rows, (720, 600))
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)

    def cell(self, column: int, text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if column == 0:  # the term, bold and at the top of its (wrapped) row
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setTextAlignment(Qt.AlignLeft | Qt.AlignTop)
        return item

    def shown_terms(self) -> list[str]:
        """The terms the filter leaves on screen."""
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())
                if not self.table.isRowHidden(r)]


def privacy_text(min_group_size: int | None = None) -> str:
    """The privacy note as rich text; ``min_group_size`` of the open engagement, if any."""
    from workbench.core.privacy import key_dir
    from workbench.core.services.engagement import MIN_GROUP_FLOOR

    size = (f"This engagement shows them for groups of at least {min_group_size} people"
            if min_group_size else "New engagements show them for groups of at least 5 people")
    return (
        "<p><b>Everything stays on this computer.</b> The app works offline and sends nothing "
        "anywhere. An engagement is one project file (.owb) that you keep, copy and delete like "
        "any document; exports go only where you save them.</p>"
        "<p><b>Pseudonyms.</b> <i>File › Privacy…</i> can replace names and e-mail addresses "
        "with stable codes (such as P-7K2M9Q) in every output and in the project file itself. "
        f"The key that makes the codes is kept on this computer ({key_dir()}), not in the "
        "project file, so the file alone does not reveal who is behind a code.</p>"
        "<p><b>Minimum group size.</b> Figures per department or team are shown only for "
        f"groups large enough that nobody's answers can be singled out. {size} (set on the "
        f"Engagement page; never fewer than {MIN_GROUP_FLOOR}).</p>")


class PrivacyNote(QDialog):
    """What stays on the laptop, pseudonyms and the minimum group size, in a few lines."""

    def __init__(self, parent: QWidget | None = None, min_group_size: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your data and privacy")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 3, SPACING * 2, SPACING * 3, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addWidget(label("Your data and privacy", "title"))
        self.text = label(privacy_text(min_group_size), wrap=True)
        self.text.setMinimumWidth(480)
        self.text.setOpenExternalLinks(False)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
