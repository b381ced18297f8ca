"""A read-only Qt table model over a list of plain records (dataclasses or dicts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from workbench.gui.formatting import short_date
from workbench.gui.release import release_later

_ROLES = frozenset({Qt.DisplayRole, Qt.UserRole, Qt.TextAlignmentRole})  # what data() serves
# what headerData() serves; a view asks for a header's every role on each layout
_DISPLAY, _TOOLTIP, _HORIZONTAL = Qt.DisplayRole, Qt.ToolTipRole, Qt.Horizontal


@dataclass(frozen=True)
class Column:
    title: str
    get: Callable[[Any], Any]
    tooltip: str = ""
    fmt: str = ""  # e.g. "{:.3f}" for numbers


def header_value(orientation, role: int, title: str, tooltip: str) -> str | None:
    """What a table's column header shows for ``role``: its title, or its tooltip."""
    if orientation != _HORIZONTAL:
        return None
    if role == _DISPLAY:
        return title
    return tooltip or None if role == _TOOLTIP else None


def attr(name: str) -> Callable[[Any], Any]:
    return lambda record: record[name] if isinstance(record, dict) else getattr(record, name)


class RecordTableModel(QAbstractTableModel):
    """Rows are records, columns are :class:`Column`; sorting uses the raw values."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        previous = self.records
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()
        release_later(previous)  # thousands of records are freed a slice at a time

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if role not in _ROLES or not index.isValid():  # a view asks ~10 roles per cell
            return None
        column = self.columns[index.column()]
        value = column.get(self.records[index.row()])
        if role == Qt.DisplayRole:
            return self._display(value, column)
        if role == Qt.UserRole:
            return value
        if role == Qt.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        column = self.columns[section]
        return header_value(orientation, role, column.title, column.tooltip)

    @staticmethod
    def _display(value: Any, column: Column) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, dt.date):
            return short_date(value)
        if column.fmt and isinstance(value, int | float):
            return column.fmt.format(value)
        return str(value)


class SortFilterModel(QSortFilterProxyModel):
    """Sorts on raw values (numbers as numbers) and filters on any column's text."""

    def __init__(self, source: RecordTableModel, parent=None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(Qt.UserRole)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseInsensitive)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        a, b = left.data(Qt.UserRole), right.data(Qt.UserRole)
        if a is None or b is None:
            return (a is None) and (b is not None)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)
