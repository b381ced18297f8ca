"""The insight log of the customer-learning page: the figures on top, the filtered table, the
add/edit form, and who receives insights beside who can act on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.learning.model import INSIGHT_SOURCES, Insight
from workbench.core.wording import count
from workbench.gui.formatting import date_edit
from workbench.gui.learning_people import PersonOrRole, RosterView
from workbench.gui.method_dialogs import SavingDialog
from workbench.gui.models import Column, RecordTableModel, SortFilterModel
from workbench.gui.panels.tables import RecordTable, record_view
from workbench.gui.plan_dialogs import dialog_layout
from workbench.gui.style import SPACING
from workbench.gui.widgets import FigureCard, label

ALL = "All"
SUMMARY_COLUMN = 4
SUMMARY_WIDTH = 320
COLUMN_WIDTH = 180
YES_NO = (("not known", None), ("yes", True), ("no", False))


def yes_no_box(value: bool | None) -> QComboBox:
    box = QComboBox()
    for text, data in YES_NO:
        box.addItem(text, data)
    box.setCurrentIndex(box.findData(value) if value is not None else 0)
    return box


def text_box(text: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + SPACING * 2)
    return box


class InsightDialog(SavingDialog):
    """Add or edit one insight; OK hands :meth:`fields` to ``save`` (one undoable edit)."""

    def __init__(self, roster: RosterView, segments: Sequence[str], save: Callable[[Any], Any],
                 insight: Insight | None = None, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self.insight = insight
        self.setWindowTitle(f"Edit insight {insight.ref}" if insight else "Add an insight")
        layout = dialog_layout(self)
        layout.addWidget(label(
            "What a customer told or showed the organisation, who heard it, who could act on "
            "it and what became of it. Name people from the roster, or type a role.",
            "hint", wrap=True))
        form = QFormLayout()
        form.setSpacing(SPACING)
        self.source = QComboBox()
        self.source.addItems(list(INSIGHT_SOURCES))
        self.segment = QComboBox(editable=True)
        self.segment.addItems(list(segments))
        self.segment.setInsertPolicy(QComboBox.NoInsert)
        self.received_on = date_edit(insight.received_on if insight else None)
        self.summary = text_box(insight.summary if insight else "")
        self.summary.setAccessibleName("Summary")
        self.received_by = PersonOrRole(roster.choices)
        self.received_by.setAccessibleName("Received by")
        self.can_act = PersonOrRole(roster.choices)
        self.can_act.setAccessibleName("Can act")
        self.action_taken = text_box(insight.action_taken if insight else "", 2)
        self.action_taken.setAccessibleName("Action taken")
        self.acted = QCheckBox("&Acted on")
        self.acted_on = date_edit(insight.acted_on if insight and insight.acted_on else None)
        self.acted.toggled.connect(self.acted_on.setEnabled)
        self.result = QLineEdit(insight.result if insight else "")
        self.loop_closed = yes_no_box(insight.loop_closed if insight else None)
        self.via_gatekeeper = yes_no_box(insight.via_gatekeeper if insight else None)
        if insight is not None:
            self.source.setCurrentText(insight.source)
            self.segment.setCurrentText(insight.segment)
            self.received_by.set_value(insight.received_by, roster)
            self.can_act.set_value(insight.can_act, roster)
        else:
            self.segment.setCurrentIndex(-1)
        self.acted.setChecked(bool(insight and insight.acted_on))
        self.acted_on.setEnabled(self.acted.isChecked())
        acted_row = QHBoxLayout()
        acted_row.addWidget(self.acted)
        acted_row.addWidget(self.acted_on)
        acted_row.addStretch(1)
        for text, widget, tip in (
            ("&Source", self.source, "Where the insight came from."),
            ("Se&gment", self.segment, "The customer segment it is about."),
            ("&Received on", self.received_on, "The day someone in the organisation heard it."),
            ("Su&mmary", self.summary, "What the customer said or did, in a sentence or two."),
            ("Received &by", self.received_by, "Who heard it first."),
            ("&Can act", self.can_act, "Who could change something because of it: a person "
                                       "or a role."),
            ("Action &taken", self.action_taken, "What was done about it, if anything."),
            ("", acted_row, ""),
            ("R&esult", self.result, "What the action changed for the customer."),
            ("&Loop closed", self.loop_closed, "Was the customer told what was done?"),
            ("&Via gatekeeper", self.via_gatekeeper,
             "Did it pass through someone in between (an insight team, a manager) before "
             "reaching whoever could act?"),
        ):
            if isinstance(widget, QWidget):
                widget.setToolTip(tip)
            form.addRow(text, widget)
        layout.addLayout(form)
        self.ok.setText("Save insight" if insight else "Add insight")
        self.finish_layout(layout)
        self.resize(640, 620)

    def fields(self) -> dict[str, Any]:
        """The form's values as the learning service takes them; refuses what cannot be."""
        summary = self.summary.toPlainText().strip()
        if not summary:
            raise WorkbenchError("Write what the customer said or did in the summary.")
        received = self.received_on.date().toPython()
        acted_on = self.acted_on.date().toPython() if self.acted.isChecked() else None
        if acted_on is not None and acted_on < received:
            raise WorkbenchError("The insight cannot be acted on before it was received.")
        return {
            "source": self.source.currentText(), "segment": self.segment.currentText().strip(),
            "summary": summary, "received_on": received,
            "received_by": self.received_by.value(), "can_act": self.can_act.value(),
            "action_taken": self.action_taken.toPlainText().strip(), "acted_on": acted_on,
            "result": self.result.text().strip(),
            "loop_closed": self.loop_closed.currentData(),
            "via_gatekeeper": self.via_gatekeeper.currentData(),
        }


class InsightModel(RecordTableModel):
    """The log's rows; a cell's whole text on hover (the summary is cut in the table)."""

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if role == Qt.ToolTipRole and index.isValid():
            return super().data(index, Qt.DisplayRole) or None
        return super().data(index, role)


class InsightFilter(SortFilterModel):
    """The log's rows narrowed by source, segment, the receiver's department, "not acted"
    and the filter text."""

    def __init__(self, source: RecordTableModel, parent=None) -> None:
        super().__init__(source, parent)
        self.wanted: dict[str, str] = {}
        self.not_acted = False
        self.department_of: Callable[[Insight], str] = lambda _i: ""

    def set_wanted(self, wanted: dict[str, str], not_acted: bool) -> None:
        if hasattr(self, "endFilterChange"):  # Qt 6.10 on; invalidating is deprecated there
            self.beginFilterChange()
        self.wanted = {k: v for k, v in wanted.items() if v and v != ALL}
        self.not_acted = not_acted
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        insight: Insight = self.sourceModel().records[row]
        values = {"source": insight.source, "segment": insight.segment,
                  "department": self.department_of(insight)}
        if any(values[k] != v for k, v in self.wanted.items()):
            return False
        if self.not_acted and insight.acted:
            return False
        return super().filterAcceptsRow(row, parent)


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:g} days"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class InsightsTab(QWidget):
    """Figures, filters, buttons and the log; ``add``/``edit``/``delete`` are the panel's."""

    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roster: RosterView | None = None
        self.editing = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        cards = QHBoxLayout()
        cards.setSpacing(SPACING)
        self.median_card = FigureCard(
            "median days from insight to action",
            "Half of the insights acted on were acted on within this many days of being "
            "received. Insights never acted on are not counted here.")
        self.acted_card = FigureCard(
            "of the insights acted on",
            "The share of all insights in the log that have a date acted on.")
        self.closed_card = FigureCard(
            "of those acted on closed with the customer",
            "Of the insights acted on, the share where the customer was told what was done.")
        self.gatekeeper_card = FigureCard(
            "passed through a gatekeeper",
            "The share of insights that reached whoever could act only through someone in "
            "between (an insight team, a manager).")
        for card in (self.median_card, self.acted_card, self.closed_card, self.gatekeeper_card):
            cards.addWidget(card, 1)
        layout.addLayout(cards)

        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        self.add_button = QPushButton("&Add insight…")
        self.edit_button = QPushButton("Edi&t…")
        self.delete_button = QPushButton("&Delete")
        self.import_button = QPushButton("I&mport insights…")
        self.workbook_button = QPushButton("Entry &workbook for teams…")
        self.read_workbook_button = QPushButton("&Read filled workbook…")
        for button, tip in (
            (self.add_button, "Log one insight by hand."),
            (self.edit_button, "Change the selected insight (or double-click it)."),
            (self.delete_button, "Remove the selected insights (Ctrl+Z brings them back)."),
            (self.import_button, "Bring in a log kept elsewhere: a CSV or Excel file, with a "
                                 "preview and every problem located before anything changes."),
            (self.workbook_button, "Write an Excel workbook frontline teams fill in offline, "
                                   "with drop-downs for source, segment and people."),
            (self.read_workbook_button, "Import the insights of an entry workbook a team "
                                        "filled in."),
        ):
            button.setToolTip(tip)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.import_button, self.workbook_button, self.read_workbook_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        filters = QHBoxLayout()
        filters.setSpacing(SPACING)
        self.filter_boxes: dict[str, QComboBox] = {}
        for key, text in (("source", "S&ource"), ("segment", "Se&gment"),
                          ("department", "De&partment")):
            box = QComboBox()
            box.setMinimumContentsLength(12)
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            caption = label(text)
            caption.setBuddy(box)
            filters.addWidget(caption)
            filters.addWidget(box)
            box.currentIndexChanged.connect(lambda _i: self._apply_filters())
            self.filter_boxes[key] = box
        self.filter_boxes["department"].setToolTip("The department of whoever received it.")
        self.not_acted = QCheckBox("&Not acted on only")
        self.not_acted.toggled.connect(lambda _c: self._apply_filters())
        filters.addWidget(self.not_acted)
        self.model = InsightModel(self._columns(), self)
        self.proxy = InsightFilter(self.model, self)
        self.proxy.department_of = lambda i: self.roster.department(i.received_by) \
            if self.roster else ""
        self.text_filter = QLineEdit(placeholderText="Filter by any text…")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.textChanged.connect(self.proxy.setFilterFixedString)
        filters.addWidget(self.text_filter, 1)
        layout.addLayout(filters)

        self.views = QTabWidget()
        log_page = QWidget()
        log_layout = QVBoxLayout(log_page)
        log_layout.setContentsMargins(0, SPACING, 0, 0)
        self.shown_note = label("", "hint", wrap=True)
        log_layout.addWidget(self.shown_note)
        self.view = record_view(self.proxy)
        self.view.setAccessibleName("Insight log")
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.proxy.modelReset.connect(self._selected)
        self.proxy.layoutChanged.connect(self._count_shown)
        self.proxy.rowsInserted.connect(self._count_shown)
        self.proxy.rowsRemoved.connect(self._count_shown)
        self.proxy.modelReset.connect(self._count_shown)
        log_layout.addWidget(self.view, 1)
        self.views.addTab(log_page, "&Log")
        self.reach = RecordTable("Who receives insights, who can act", "", [
            Column("Receiving department", lambda d: d.department),
            Column("Received", lambda d: d.received,
                   "Insights first heard by someone of this department."),
            Column("Acted by its own people", lambda d: d.acted_by_own,
                   "Of those, acted on by someone of the same department."),
            Column("Acted elsewhere", lambda d: d.acted_elsewhere,
                   "Of those, acted on by another department or a role."),
            Column("Not acted on", lambda d: d.not_acted),
            Column("Named to act", lambda d: d.can_act,
                   "Insights, received anywhere, naming one of its people as able to act."),
            Column("Median days", lambda d: d.median_days,
                   "Median days from receiving to acting, for this department's insights.",
                   "{:g}"),
        ])
        self.reach.heading.setProperty("role", "section")
        self.reach.hint.hide()
        self.reach.layout().setContentsMargins(0, SPACING, 0, 0)
        self.reach.filter.hide()
        self.reach_note = label("", wrap=True)
        self.reach.layout().insertWidget(2, self.reach_note)
        self.views.addTab(self.reach, "Re&ceivers and actors")
        self.sources = RecordTable("Where insights come from", "", [
            Column("Source", lambda f: f.name),
            Column("Received", lambda f: f.received),
            Column("Acted on", lambda f: f.acted),
            Column("Share acted on", lambda f: f.share_acted,
                   "Of the insights from this source, the share acted on.", "{:.0%}"),
            Column("Median days to action", lambda f: f.median_days,
                   "Over the insights from this source that were acted on.", "{:g}"),
        ])
        self.sources.heading.setProperty("role", "section")
        self.sources.hint.hide()
        self.sources.filter.hide()
        self.sources.layout().setContentsMargins(0, SPACING, 0, 0)
        self.views.addTab(self.sources, "By &source")
        layout.addWidget(self.views, 1)
        self._selected()

    def _columns(self) -> list[Column]:
        person = lambda name: lambda i: self.roster.label(getattr(i, name)) if self.roster \
            else getattr(i, name)  # noqa: E731
        return [
            Column("Ref", lambda i: i.ref, "The insight's reference in this log."),
            Column("Received", lambda i: i.received_on),
            Column("Source", lambda i: i.source),
            Column("Segment", lambda i: i.segment),
            Column("Summary", lambda i: self.roster.scrub(i.summary) if self.roster
                   else i.summary, "What the customer said or did."),
            Column("Received by", person("received_by")),
            Column("Can act", person("can_act"), "Who could change something because of it."),
            Column("Acted on", lambda i: i.acted_on),
            Column("Days", lambda i: i.days_to_action,
                   "Days from receiving the insight to acting on it."),
            Column("Loop closed", lambda i: i.loop_closed,
                   "Was the customer told what was done?"),
            Column("Gatekeeper", lambda i: i.via_gatekeeper,
                   "Did it pass through someone in between before reaching whoever could act?"),
        ]

    # -- filling -----------------------------------------------------------------------------

    def set_insights(self, insights: Sequence[Insight], roster: RosterView) -> None:
        self.roster = roster
        keep = self.selected_ids()
        values = {
            "source": sorted({i.source for i in insights if i.source}),
            "segment": sorted({i.segment for i in insights if i.segment}, key=str.casefold),
            "department": sorted({d for i in insights if (d := roster.department(i.received_by))},
                                 key=str.casefold),
        }
        for key, box in self.filter_boxes.items():
            current = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems([ALL, *values[key]])
            box.setCurrentIndex(max(box.findText(current), 0))
            box.blockSignals(False)
        self.model.set_records(insights)
        self._apply_filters()
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount()):  # long texts are cut, whole on hover
            widest = SUMMARY_WIDTH if column == SUMMARY_COLUMN else COLUMN_WIDTH
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), widest))
        self.select_ids(keep)

    def show_metrics(self, metrics: Any) -> None:
        """The figures of :func:`workbench.core.learning.metrics.insight_metrics` (None:
        not worked out yet)."""
        self.median_card.set_value(_days(metrics.median_days) if metrics else "–")
        self.acted_card.set_value(_share(metrics.share_acted) if metrics else "–")
        self.closed_card.set_value(_share(metrics.share_closed) if metrics else "–")
        self.gatekeeper_card.set_value(_share(metrics.share_gatekeeper) if metrics else "–")

    def show_sources(self, flows: Sequence[Any]) -> None:
        self.sources.set_records([f for f in flows if f.received])

    def show_reach(self, rows: Sequence[Any], note: str) -> None:
        self.reach.set_records(rows)
        self.reach_note.setText(note)
        self.reach_note.setVisible(bool(note))

    def clear(self) -> None:
        self.roster = None
        self.model.set_records([])
        self.show_metrics(None)
        self.show_reach([], "")
        self.show_sources([])
        for box in self.filter_boxes.values():
            box.clear()

    # -- selection and filters -------------------------------------------------------------------

    def _apply_filters(self) -> None:
        self.proxy.set_wanted({k: b.currentText() for k, b in self.filter_boxes.items()},
                              self.not_acted.isChecked())
        self._count_shown()

    def _count_shown(self, *_args: Any) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.shown_note.setText(
            f"{count(total, 'insight')} in the log." if shown == total else
            f"{shown:,} of {count(total, 'insight')} shown; the figures above count them all.")

    def selected_insights(self) -> list[Insight]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return [self.model.records[r] for r in sorted(rows)]

    def selected_ids(self) -> list[int]:
        return [i.id for i in self.selected_insights()]

    def select_ids(self, ids: Sequence[int]) -> None:
        wanted = set(ids)
        self.view.clearSelection()
        for r in range(self.proxy.rowCount()):
            record = self.model.records[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
            if record.id in wanted:
                self.view.selectRow(r)

    def _selected(self, *_args: Any) -> None:
        chosen = self.selected_insights()
        self.edit_button.setEnabled(self.editing and len(chosen) == 1)
        self.delete_button.setEnabled(self.editing and bool(chosen))
        self.selection_changed.emit()

    def set_editing(self, enabled: bool) -> None:
        self.editing = enabled
        for button in (self.add_button, self.import_button, self.read_workbook_button):
            button.setEnabled(enabled)
        self._selected()

