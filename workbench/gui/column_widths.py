"""Column widths measured on the shown texts: the widths ``resizeColumnsToContents`` gives.

A view sizes a column by asking its delegate for each cell's size hint, and the delegate asks
the model about eight roles per cell, in Python: for a plan of 80 actions or a page of people
that held up the GUI thread for a few hundred milliseconds. :func:`fit_columns` measures the
texts with the view's font instead (one delegate call calibrates the cell padding).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView


def sampled_rows(view: QTableView, count: int) -> range:
    """The rows of ``view`` that columns are measured on: ``count`` from the first in view
    (earlier ones too when the table ends first), as the header's resize precision does."""
    total = view.model().rowCount()
    start = max(min(max(view.rowAt(0), 0), total - count), 0)
    return range(start, min(start + count, total))


def fit_columns(view: QTableView, rows: Sequence[int], texts: Sequence[Sequence[str]],
                widest: int | None = None) -> None:
    """Size each column of ``view`` to its header or its widest text (at most ``widest``
    pixels); ``texts`` are the display texts of the view's ``rows``, one list per row."""
    metrics = QFontMetricsF(view.font())
    header = view.horizontalHeader()
    grid = 1 if view.showGrid() else 0
    padding = _padding(view, rows, texts, metrics)
    for column in range(view.model().columnCount()):
        lines = [line for row in texts for line in row[column].splitlines()]
        content = max((math.ceil(metrics.horizontalAdvance(line)) for line in lines),
                      default=None)
        width = max(header.sectionSizeHint(column),
                    content + padding + grid if content is not None else 0)
        view.setColumnWidth(column, width if widest is None else min(width, widest))


def _padding(view: QTableView, rows: Sequence[int], texts: Sequence[Sequence[str]],
             metrics: QFontMetricsF) -> int:
    """The margins the delegate adds around a cell's text (one single-line cell asked)."""
    for row, row_texts in zip(rows, texts, strict=True):
        for column, text in enumerate(row_texts):
            if text and "\n" not in text:
                option = QStyleOptionViewItem()
                view.initViewItemOption(option)
                hint = view.itemDelegate().sizeHint(option, view.model().index(row, column))
                return hint.width() - math.ceil(metrics.horizontalAdvance(text))
    return 0
