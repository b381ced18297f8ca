"""Customer evidence on the customer-learning page: the measures per segment, and each beside
the leaders' rating of the items it tests, with the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.learning.model import MEASURE_KINDS, CustomerMeasure
from workbench.core.wording import count
from workbench.gui.models import Column, RecordTableModel
from workbench.gui.panels.plan import VERDICT_COLOURS
from workbench.gui.panels.tables import RecordTable
from workbench.gui.style import SPACING
from workbench.gui.widgets import label


class VerdictModel(RecordTableModel):
    """Evidence rows with the verdict cell marked in the colour say vs show uses."""

    def data(self, index, role: int = Qt.DisplayRole):
        if role == Qt.DecorationRole and self.columns[index.column()].title == "Verdict":
            colour = VERDICT_COLOURS.get(self.records[index.row()].verdict)
            return QColor(colour) if colour else None
        if role == Qt.ToolTipRole and index.isValid():
            record = self.records[index.row()]
            title = self.columns[index.column()].title
            if title == "Verdict":
                return record.finding
            if title == "Leaders' rating":
                return record.rating_text
        return super().data(index, role)


class EvidenceTab(QWidget):
    """Measures above, the evidence beside ratings below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        self.import_button = QPushButton("I&mport evidence…")
        self.import_button.setToolTip(
            "Read customer measures per segment (satisfaction, effort, complaints unresolved, "
            "churn, silent customers) from a CSV or Excel file; they replace the measures "
            "shown here, as one step Ctrl+Z undoes.")
        self.delete_button = QPushButton("&Delete measure")
        self.delete_button.setToolTip("Remove the selected measures (Ctrl+Z brings them back).")
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.delete_button)
        self.note = label("", "hint", wrap=True)
        buttons.addWidget(self.note, 1)
        layout.addLayout(buttons)
        splitter = QSplitter(Qt.Vertical)
        self.measures = RecordTable("Customer measures by segment", "", [
            Column("Segment", lambda m: m.segment),
            Column("Measure", lambda m: m.kind, "; ".join(
                f"{kind}: {'higher' if up else 'lower'} is better"
                for kind, up in MEASURE_KINDS.items())),
            Column("Value", lambda m: m.value, "", "{:g}"),
            Column("Unit", lambda m: m.unit),
            Column("Target", lambda m: m.target,
                   "The level of service the organisation chooses to deliver.", "{:g}"),
            Column("Period", lambda m: m.period),
            Column("Source", lambda m: m.source, "Where the figure comes from."),
        ])
        self.measures.heading.setProperty("role", "section")
        self.measures.hint.hide()
        self.measures.view.setAccessibleName("Customer measures")
        self.measures.view.selectionModel().selectionChanged.connect(
            lambda *_: self.update_buttons())
        self.measures.model.modelReset.connect(self.update_buttons)
        splitter.addWidget(self.measures)
        self.beside = RecordTable(
            "Customer evidence beside the leaders' ratings",
            "Each segment's latest figure for a measure beside the mean rating leaders gave "
            "the questionnaire items that measure tests. Hover a verdict for the reasoning.", [
                Column("Segment", lambda r: r.segment),
                Column("Customers show", lambda r: r.customer_text),
                Column("Leaders' rating", lambda r: r.rating,
                       "Mean of the leaders' ratings of the related items, 0 absent … 4 "
                       "embedded.", "{:.1f}"),
                Column("Verdict", lambda r: r.verdict,
                       "Leaders overrate when they rate the related items 3 or more while "
                       "customers miss the target."),
                Column("Steps", lambda r: ", ".join(map(str, r.steps)),
                       "The ladder steps whose say vs show this evidence joins."),
            ])
        self.beside.model = VerdictModel(self.beside.model.columns, self.beside)
        self.beside.proxy.setSourceModel(self.beside.model)
        self.beside.heading.setProperty("role", "section")
        self.beside.view.setAccessibleName("Evidence beside ratings")
        for table, wide in ((self.measures, 6), (self.beside, 1)):
            table.layout().setContentsMargins(0, SPACING, 0, 0)
            header = table.view.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(wide, QHeaderView.Stretch)
        splitter.addWidget(self.beside)
        layout.addWidget(splitter, 1)
        self.update_buttons()

    def set_measures(self, measures: Sequence[CustomerMeasure]) -> None:
        self.measures.set_records(measures)
        segments = {m.segment for m in measures}
        self.note.setText(
            "No customer evidence yet. Import measures per segment to set what customers "
            "experience beside what leaders say." if not measures else
            f"{count(len(measures), 'measure')} for {count(len(segments), 'segment')}.")

    def set_evidence(self, rows: Sequence[Any] | None) -> None:
        self.beside.set_records(rows or [])
        if rows is None:
            self.beside.hint.setText("Setting the evidence beside the ratings…")
        elif not rows:
            self.beside.hint.setText(
                "Nothing to compare yet: it needs customer measures and a questionnaire round "
                "in which leaders rated the related items.")
        else:
            self.beside.hint.setText(
                "Each segment's latest figure for a measure beside the mean rating leaders "
                "gave the questionnaire items that measure tests. Hover a verdict for the "
                "reasoning.")

    def set_editing(self, enabled: bool) -> None:
        self.editing = enabled
        self.import_button.setEnabled(enabled)
        self.update_buttons()

    def selected_measures(self) -> list[CustomerMeasure]:
        table = self.measures
        rows = {table.proxy.mapToSource(i).row()
                for i in table.view.selectionModel().selectedRows()}
        return [table.model.records[r] for r in sorted(rows)]

    def update_buttons(self) -> None:
        self.delete_button.setEnabled(self.editing and bool(self.selected_measures()))
