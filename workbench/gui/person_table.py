"""The people of an analysed network in a sortable, filterable table linked to the map."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.core.analysis import NetworkAnalysis
from workbench.core.network import glossary
from workbench.core.network.explain import label, sentence
from workbench.core.network.findings import ROLE_LABELS
from workbench.gui.column_widths import fit_columns, sampled_rows
from workbench.gui.models import Column, RecordTableModel, SortFilterModel, attr
from workbench.gui.panels.tables import filter_box, record_view
from workbench.gui.style import SPACING

# Each measure with the decimals that tell people apart without false precision.
METRIC_FORMATS = {
    "in_degree": "{:,.0f}", "out_degree": "{:,.0f}", "betweenness": "{:.3f}",
    "closeness_harmonic": "{:,.1f}", "eigenvector": "{:.3f}", "pagerank": "{:.2%}",
    "burt_constraint": "{:.2f}", "effective_size": "{:,.1f}", "clustering": "{:.2f}",
    "reciprocity": "{:.2f}",
}
METRICS = tuple(METRIC_FORMATS)
ROLE_COLUMN = 2
SIZE_ROWS = 50  # rows (from the first in view) that column widths are measured on
CELL_PADDING = 24  # pixels around a cell's text, so the widest role is never elided
ROLE_NAMES = {stored: glossary.label(key) for key, stored in ROLE_LABELS.items()}  # shown


def _columns() -> list[Column]:
    columns = [Column("Name", attr("name"), "The person's name as imported."),
               Column("Department", attr("department"), "The department in the HR data."),
               Column(label("role"), attr("role"), sentence("role")),
               Column(label("community"), attr("community"), sentence("community"))]
    columns += [Column(label(key), attr(key), sentence(key), fmt)
                for key, fmt in METRIC_FORMATS.items()]
    return columns


def role_name(stored: str) -> str:
    """A stored role ("key person risk") by its plain glossary name ("Key-person risk")."""
    return ROLE_NAMES.get(stored, stored)


def person_records(analysis: NetworkAnalysis) -> list[dict]:
    """One row per person of ``analysis``: name, department, role, community and measures
    (plain data: a worker makes them for 10,000 people off the GUI thread)."""
    G, m = analysis.graph, analysis.metrics
    records = []
    for person in m.ids:
        record = {"id": person, "name": G.nodes[person].get("name") or person,
                  "department": G.nodes[person].get("department") or "",
                  "role": role_name(analysis.findings.roles.get(person, "")),
                  "community": m.partition.membership.get(person)}
        record.update({key: m.value(person, key) for key in METRICS})
        records.append(record)
    return records


class PersonTable(QWidget):
    """One row per person; ``selection_changed`` carries the selected person ids."""

    selection_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        self.model = RecordTableModel(_columns(), self)
        self.proxy = SortFilterModel(self.model, self)
        self.filter = filter_box(self.proxy, "Filter people…")
        self.view = record_view(self.proxy)
        self.view.setAccessibleName("People in the network")
        # columns sized to the rows in view and the first few (sizing 10,000 rows took seconds)
        self.view.horizontalHeader().setResizeContentsPrecision(SIZE_ROWS)
        self.view.selectionModel().selectionChanged.connect(self._emit)
        self._syncing = False
        self._fit_pending = False  # records shown while hidden: columns fitted when shown
        layout.addWidget(self.filter)
        layout.addWidget(self.view)

    def set_analysis(self, analysis: NetworkAnalysis | None,
                     records: list[dict] | None = None) -> None:
        """Show ``analysis``; ``records`` are its :func:`person_records` when a worker made
        them already. Columns are fitted now if the table is on screen, else when shown."""
        if records is None:
            records = person_records(analysis) if analysis is not None else []
        self._syncing = True
        self.model.set_records(records)
        self._syncing = False
        self._fit_pending = True
        if self.isVisible():
            self._fit_columns()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._fit_pending:
            self._fit_columns()
        super().showEvent(event)

    def _fit_columns(self) -> None:
        self._fit_pending = False
        rows = sampled_rows(self.view, SIZE_ROWS)
        columns = range(self.proxy.columnCount())
        fit_columns(self.view, rows,
                    [[self.proxy.index(r, c).data() for c in columns] for r in rows])
        widest = max(map(self.view.fontMetrics().horizontalAdvance, ROLE_NAMES.values()))
        self.view.setColumnWidth(ROLE_COLUMN, max(self.view.columnWidth(ROLE_COLUMN),
                                                  widest + CELL_PADDING))

    def selected(self) -> list[str]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return sorted(self.model.records[r]["id"] for r in rows)

    def select(self, people: list[str]) -> None:
        """Select these people's rows (scrolling to the first) without echoing the signal."""
        wanted = set(people)
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        first = None
        for row, record in enumerate(self.model.records):
            if record["id"] in wanted:
                left = self.proxy.mapFromSource(self.model.index(row, 0))
                if left.isValid():
                    selection.select(left, left.siblingAtColumn(last))
                    first = left if first is None else first
        self._syncing = True
        try:
            self.view.selectionModel().select(
                selection, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        finally:
            self._syncing = False
        if first is not None:
            self.view.scrollTo(first)

    def _emit(self) -> None:
        if not self._syncing:
            self.selection_changed.emit(self.selected())
