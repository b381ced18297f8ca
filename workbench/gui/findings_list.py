"""The findings column of People & Network: "What this network shows" first, then the findings
grouped by kind, each group showing its top entries with "Show all".

One list, one row per line of the column; every row carries a :class:`Row` (``Qt.UserRole``)
saying what it is and whom it is about. Choosing a headline sentence, a group or an entry
emits :attr:`FindingsList.chosen` with its row, so the panel highlights its people; a "Show
all" row opens or closes its group. People are named as the ``words`` the panel passes tell
them (:func:`~workbench.core.report.network_story.people_words`); a row keeps its sentence's
template, so :meth:`Row.said` tells it again for another audience (a room).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from workbench.core.network import glossary
from workbench.core.network.findings import Findings
from workbench.core.network.headline import HeadlineSentence
from workbench.core.report.network_story import PeopleWords

HEADING, HEADLINE, GROUP, ENTRY, MORE, NOTE = "heading", "headline", "group", "entry", "more", \
    "note"
CHOOSABLE = (HEADLINE, GROUP, ENTRY)  # rows about people: choosing one highlights them
TOP_ENTRIES = 3  # entries a group shows until "Show all"
HEADLINE_TITLE = "What this network shows"
HEADLINE_TIP = ("At most five findings, the most unusual first: each is measured against what is "
                "typical in this network and against random networks with the same numbers of "
                "ties per person. A key-person risk always comes first. Click one to see its "
                "people on the map.")
GROUPS_TITLE = "All findings, by kind"
GROUPS_TIP = "Each kind lists its most unusual entries first; hover for the rule it follows."
NOTHING_STANDS_OUT = ("Nothing here lies far from what is typical for this network or from "
                      "what chance gives; the findings below still list who stands out most.")


@dataclass(frozen=True)
class Row:
    """One line of the column: ``title`` in bold over ``text``; the people it is about
    (``person_ids``, or everyone in ``groups``), the ``rule`` behind it, the finding
    ``kind`` it belongs to and the ``template`` its text was filled from ("" when its text
    names nobody)."""

    role: str  # HEADING, HEADLINE, GROUP, ENTRY, MORE or NOTE
    title: str = ""
    text: str = ""
    person_ids: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    rule: str = ""
    kind: str = ""
    template: str = ""

    def said(self, words: PeopleWords) -> str:
        """The row's text as ``words`` tell it (its people named or described)."""
        return words.text(self.template, self.person_ids) if self.template else self.text


def headline_row(sentence: HeadlineSentence, words: PeopleWords) -> Row:
    """A headline sentence as a row: titled by its leading kind, with that kind's rule."""
    lead = sentence.kinds.index(sentence.kind) if sentence.kind in sentence.kinds else 0
    rule = sentence.rules[lead] if lead < len(sentence.rules) else ""
    return Row(HEADLINE, glossary.label(sentence.kind),
               words.text(sentence.template, sentence.person_ids), tuple(sentence.person_ids),
               tuple(sentence.groups), rule, sentence.kind, sentence.template)


def rows_of(sentences: Sequence[HeadlineSentence], findings: Findings,
            words: PeopleWords) -> list[Row]:
    """Every row of the column: the headline, each finding with all its entries, the notes."""
    rows = []
    if findings.findings:
        rows.append(Row(HEADING, HEADLINE_TITLE, rule=HEADLINE_TIP))
        rows += [headline_row(s, words) for s in sentences] or [Row(NOTE,
                                                                    text=NOTHING_STANDS_OUT)]
        rows.append(Row(HEADING, GROUPS_TITLE, rule=GROUPS_TIP))
    for f in findings.findings:
        rows.append(Row(GROUP, f.title, glossary.definition(f.kind), tuple(f.person_ids),
                        tuple(f.groups), f.rule, f.kind))
        rows += [Row(ENTRY, "", words.text(e.template, e.person_ids), tuple(e.person_ids),
                     tuple(e.groups), f.rule, f.kind, e.template) for e in f.entries]
        if len(f.entries) > TOP_ENTRIES:
            rows.append(Row(MORE, kind=f.kind))
    rows += [Row(NOTE, text=note) for note in findings.notes]
    return rows


class FindingsList(QListWidget):
    """The headline and the grouped findings; ``chosen`` carries the :class:`Row` the user
    chose (a headline sentence, a group or an entry)."""

    chosen = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.expanded: set[str] = set()  # kinds whose every entry is shown
        self.setWordWrap(True)
        self.setItemDelegate(RowDelegate(self))
        self.setResizeMode(QListWidget.Adjust)
        self.setVerticalScrollMode(QListWidget.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setAccessibleName("Findings")
        self.currentItemChanged.connect(self._current_changed)
        self.itemClicked.connect(self._toggle_item)

    def row(self, i: int) -> Row:
        return self.model().index(i, 0).data(Qt.UserRole)

    def rows(self, *roles: str) -> list[int]:
        """Positions of the rows with one of ``roles`` (every row without any)."""
        return [i for i in range(self.count()) if not roles or self.row(i).role in roles]

    def show_findings(self, findings: Findings | None, rows: Sequence[Row]) -> None:
        """Fill the column with ``rows``, the :func:`rows_of` ``findings`` (made by a worker:
        the headline alone takes 80 ms for 10,000 people); empty for None. Groups opened
        before stay open."""
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        if findings is None:
            return
        counts = {f.kind: len(f.entries) for f in findings.findings}
        shown: dict[str, int] = {}
        # items made by Qt and filled through the model: no Python object per item (a
        # thousand of those made clearing the list take a tenth of a second)
        self.addItems([_plain(row, counts) for row in rows])
        model = self.model()
        for i, row in enumerate(rows):
            index = model.index(i, 0)
            model.setData(index, row, Qt.UserRole)
            model.setData(index, _tip(row), Qt.ToolTipRole)
            if row.role in (HEADING, NOTE, MORE):  # "Show all" is clicked, never selected
                self.item(i).setFlags(Qt.ItemIsEnabled)
            if row.role == ENTRY:
                shown[row.kind] = shown.get(row.kind, 0) + 1
                self.setRowHidden(i, shown[row.kind] > TOP_ENTRIES
                                  and row.kind not in self.expanded)

    def toggle(self, kind: str) -> None:
        """Show every entry of ``kind``, or again only its top entries."""
        self.expanded ^= {kind}
        n = 0
        for i in range(self.count()):
            row = self.row(i)
            if row.kind != kind:
                continue
            if row.role == ENTRY:
                n += 1
                self.setRowHidden(i, n > TOP_ENTRIES and kind not in self.expanded)
            elif row.role == MORE:
                self.item(i).setText(_more_text(kind in self.expanded, n))

    def unchoose(self) -> None:
        """Nothing chosen any more (without a signal)."""
        self.blockSignals(True)
        self.setCurrentItem(None)
        self.clearSelection()
        self.blockSignals(False)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        item = self.currentItem()
        if item is not None and item.data(Qt.UserRole).role == MORE and event.key() in (
                Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
            self._toggle_item(item)  # the keyboard opens a group as a click does
        else:
            super().keyPressEvent(event)

    def _current_changed(self, item: QListWidgetItem | None, _previous=None) -> None:
        row = item.data(Qt.UserRole) if item is not None else None
        if row is not None and row.role in CHOOSABLE:
            self.chosen.emit(row)

    def _toggle_item(self, item: QListWidgetItem) -> None:
        row = item.data(Qt.UserRole)
        if row.role == MORE:
            self.toggle(row.kind)


def _more_text(expanded: bool, n: int) -> str:
    return f"Show the top {TOP_ENTRIES} only ▴" if expanded else f"Show all {n:,} ▾"


def _plain(row: Row, counts: dict[str, int]) -> str:
    """The row as plain text (what screen readers and tests read): title, newline, text."""
    if row.role == MORE:
        return _more_text(False, counts.get(row.kind, 0))
    return "\n".join(t for t in (row.title, row.text) if t)


def _tip(row: Row) -> str:
    if row.role == HEADING:
        return row.rule
    if row.role == MORE:
        return "Show or hide the rest of this list."
    if row.rule:
        return f"Rule: {row.rule}"
    return ""


class RowDelegate(QStyledItemDelegate):
    """Draws each row by its role: headings bold and larger, headline sentences with an accent
    bar and a bold title, groups with a bold title over a muted definition, entries indented,
    "Show all" as a link."""

    PADDING = 6
    INDENT = {ENTRY: 14, MORE: 14, HEADLINE: 10}
    GAP = {HEADING: 10, GROUP: 8}  # space above these rows (not painted as the row)
    ACCENT = 3

    def document(self, option: QStyleOptionViewItem, row: Row, width: int,
                 selected: bool = False) -> QTextDocument:
        """The row laid out as rich text ``width`` pixels wide."""
        palette = option.palette
        text_colour = palette.color(QPalette.HighlightedText if selected else QPalette.Text)
        muted = text_colour if selected else palette.color(QPalette.PlaceholderText)
        link = text_colour if selected else palette.color(QPalette.Link)
        font = option.font
        document = QTextDocument()
        document.setDefaultFont(font)
        document.setDocumentMargin(0)
        title, text = escape(row.title), escape(row.text)
        if row.role == HEADING:
            html = f"<span style='font-size:{font.pointSizeF() * 1.15:.1f}pt'><b>{title}</b></span>"
        elif row.role == MORE:
            html = f"<span style='color:{link.name()}'>{escape(option.text)}</span>"
        elif row.role == NOTE:
            html = f"<i style='color:{muted.name()}'>{text}</i>"
        elif row.role == GROUP:
            html = f"<b>{title}</b><br><span style='color:{muted.name()}'>{text}</span>"
        elif row.role == HEADLINE:
            html = f"<b>{title}</b><br>{text}"
        else:
            html = text
        document.setHtml(f"<div style='color:{text_colour.name()}'>{html}</div>")
        document.setTextWidth(max(width - 2 * self.PADDING - self.INDENT.get(row.role, 0), 50))
        return document

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        return view.viewport().width() if view is not None else option.rect.width()

    def _gap(self, index) -> int:
        row = index.data(Qt.UserRole)
        return self.GAP.get(row.role, 0) if index.row() > 0 else 0

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt override
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        width = self._width(option)
        document = self.document(option, index.data(Qt.UserRole), width)
        return QSize(width, round(document.size().height()) + 2 * self.PADDING
                     + self._gap(index))

    def paint(self, painter, option, index) -> None:
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        row = index.data(Qt.UserRole)
        text = option.text
        option.text = ""  # drawn below as rich text
        option.rect = option.rect.adjusted(0, self._gap(index), 0, 0)
        selected = bool(option.state & QStyle.State_Selected)
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        if row.role == HEADLINE:
            painter.fillRect(option.rect.left() + 2, option.rect.top() + self.PADDING,
                             self.ACCENT, option.rect.height() - 2 * self.PADDING,
                             option.palette.color(QPalette.Highlight))
        option.text = text
        document = self.document(option, row, option.rect.width(), selected)
        painter.save()
        painter.translate(option.rect.left() + self.PADDING + self.INDENT.get(row.role, 0),
                          option.rect.top() + self.PADDING)
        document.documentLayout().draw(painter, QAbstractTextDocumentLayout.PaintContext())
        painter.restore()
