"""Panels that list records in a sortable, filterable table (rounds, networks, plan)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QWidget

from workbench.gui.models import RecordTableModel, SortFilterModel
from workbench.gui.widgets import label, page_layout


def filter_box(proxy: SortFilterModel, placeholder: str = "Filter…") -> QLineEdit:
    """A line edit whose text filters ``proxy`` as it is typed."""
    box = QLineEdit(placeholderText=placeholder)
    box.setClearButtonEnabled(True)
    box.textChanged.connect(proxy.setFilterFixedString)
    return box


def record_view(proxy: SortFilterModel) -> QTableView:
    """A table over ``proxy``: sortable by header click (rows in model order at first),
    whole-row selection, no row numbers, columns resizable by hand."""
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.AscendingOrder)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    return view


class RecordTable(QWidget):
    """A title, a hint, a filter box and a sortable table over records."""

    def __init__(self, title: str, hint: str, columns, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = page_layout(self)
        self.heading = label(title, "title")
        self.hint = label(hint, "subtitle", wrap=True)
        self.model = RecordTableModel(columns, self)
        self.proxy = SortFilterModel(self.model, self)
        self.filter = filter_box(self.proxy)
        self.view = record_view(self.proxy)
        self.view.horizontalHeader().setStretchLastSection(True)
        for widget in (self.heading, self.hint, self.filter, self.view):
            layout.addWidget(widget)

    def set_records(self, records) -> None:
        self.model.set_records(records)
        self.view.resizeColumnsToContents()
