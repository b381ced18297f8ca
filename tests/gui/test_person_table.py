"""The person table: role column never elided, numbers right-aligned, explained headers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.core.analysis import analyse_network
from workbench.core.network import glossary
from workbench.core.network.explain import label, sentence
from workbench.core.network.findings import ROLE_LABELS
from workbench.core.project import Project
from workbench.gui.person_table import METRIC_FORMATS, ROLE_COLUMN, PersonTable


@pytest.fixture
def table(qtbot, demo_copy):
    project = Project.open(demo_copy)
    analysis = analyse_network(project)
    project.close()
    widget = PersonTable()
    qtbot.addWidget(widget)
    widget.resize(900, 300)  # short: most rows are off screen ...
    widget.view.horizontalHeader().setResizeContentsPrecision(0)  # ... and, as in big networks, not measured
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_analysis(analysis)
    return widget, analysis


def test_role_column_fits_every_role_label(table):
    widget, analysis = table
    header = widget.model.headerData(ROLE_COLUMN, Qt.Horizontal)
    assert header == label("role")
    metrics = widget.view.fontMetrics()
    width = widget.view.columnWidth(ROLE_COLUMN)
    plain = {glossary.label(key) for key in ROLE_LABELS}  # the glossary's names, not the keys
    assert width >= max(metrics.horizontalAdvance(text) for text in plain)
    shown = {widget.proxy.index(r, ROLE_COLUMN).data() for r in range(widget.proxy.rowCount())}
    stored = {key for key, role in ROLE_LABELS.items() if role in analysis.findings.roles.values()}
    assert {glossary.label(key) for key in stored} <= shown <= plain | {""}
    assert "Key-person risk" in shown and "key person risk" not in shown
    assert all(metrics.horizontalAdvance(text) < width for text in shown)


def test_numbers_are_right_aligned_with_their_own_decimals(table):
    widget, analysis = table
    m = analysis.metrics
    first = 4  # name, department, role, community come first
    for offset, (key, fmt) in enumerate(METRIC_FORMATS.items()):
        column = first + offset
        assert widget.model.headerData(column, Qt.Horizontal) == label(key)
        assert widget.model.headerData(column, Qt.Horizontal, Qt.ToolTipRole) == sentence(key)
        index = widget.model.index(0, column)
        person = widget.model.records[0]["id"]
        value = m.value(person, key)
        assert index.data() == ("" if value is None else fmt.format(value))
        if value is not None:
            assert index.data(Qt.TextAlignmentRole) & Qt.AlignRight


def test_every_header_has_a_plain_language_tooltip(table):
    widget, _analysis = table
    for column in range(widget.model.columnCount()):
        assert widget.model.headerData(column, Qt.Horizontal, Qt.ToolTipRole)
