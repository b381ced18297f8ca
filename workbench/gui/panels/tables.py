"""Panels that list records in a sortable, filterable table (rounds, networks, plan)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from workbench.gui.models import RecordTableModel, SortFilterModel
from workbench.gui.style import SPACING
from workbench.gui.widgets import label


class RecordTable(QWidget):
    """A title, a hint, a filter box and a sortable table over records."""

    def __init__(self, title: str, hint: str, columns, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 3, SPACING * 3, SPACING * 3, SPACING * 3)
        layout.setSpacing(SPACING)
        self.heading = label(title, "title")
        self.hint = label(hint, "subtitle", wrap=True)
        self.filter = QLineEdit(placeholderText="Filter…")
        self.filter.setClearButtonEnabled(True)
        self.model = RecordTableModel(columns, self)
        self.proxy = SortFilterModel(self.model, self)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QTableView.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        for widget in (self.heading, self.hint, self.filter, self.view):
            layout.addWidget(widget)

    def set_records(self, records) -> None:
        self.model.set_records(records)
        self.view.resizeColumnsToContents()
