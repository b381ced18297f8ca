"""Columns fitted on their texts are as wide as Qt's own fitting makes them."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from workbench.gui.column_widths import fit_columns, sampled_rows

TEXTS = [["A1", "Customer insight network", "", "12.5%"],
         ["B-200", "x", "two\nlines, the second longer", "3"],
         ["C", "Ops", "", "1,234.0"]]


def _view(qtbot) -> QTableView:
    model = QStandardItemModel(len(TEXTS), len(TEXTS[0]))
    model.setHorizontalHeaderLabels(["Id", "Name", "Notes", "A rather long header"])
    for r, row in enumerate(TEXTS):
        for c, text in enumerate(row):
            model.setItem(r, c, QStandardItem(text))
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    return view


def test_fitted_widths_match_resize_columns_to_contents(qtbot):
    view = _view(qtbot)
    view.resizeColumnsToContents()
    qt = [view.columnWidth(c) for c in range(4)]
    for c in range(4):
        view.setColumnWidth(c, 5)
    rows = sampled_rows(view, 100)
    fit_columns(view, rows, [TEXTS[r] for r in rows])
    assert [view.columnWidth(c) for c in range(4)] == qt
    fit_columns(view, rows, [TEXTS[r] for r in rows], widest=40)
    assert [view.columnWidth(c) for c in range(4)] == [min(w, 40) for w in qt]


def test_rows_measured_start_at_the_first_in_view(qtbot):
    view = _view(qtbot)
    assert sampled_rows(view, 2) == range(0, 2)
    assert sampled_rows(view, 100) == range(0, 3)
