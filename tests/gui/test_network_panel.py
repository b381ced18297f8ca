"""People & Network panel on the demo: analysis task, findings, map <-> table, filter, search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.gui.panels.network import NetworkPanel


@pytest.fixture
def panel(window, demo_copy, qtbot):
    assert window.open_path(demo_copy)
    row = window.panel_types.index(NetworkPanel)
    window.sidebar.setCurrentRow(row)
    panel = window.panel(row)
    qtbot.waitUntil(lambda: panel.analysis is not None and not window.tasks.busy, timeout=20_000)
    return panel


def test_analysis_task_shows_findings_and_figures(panel, window):
    planted = window.session.project.settings.get("demo.planted")
    assert panel.network_box.currentData() == "advice"
    texts = [panel.findings.item(i).text() for i in range(panel.findings.count())]
    assert any(t.startswith("Possibly overloaded") for t in texts)
    assert any(t.startswith(f"Possible silo: {planted['silo']}") for t in texts)
    assert panel.cards["people"].value.text() == f"{window.session.project.people.count():,}"
    assert panel.cards["density"].toolTip()


def test_finding_selects_people_on_map_and_table(panel, window, qtbot):
    planted = window.session.project.settings.get("demo.planted")
    row = next(i for i in range(panel.findings.count())
               if panel.findings.item(i).text().startswith("Possibly overloaded")
               and planted["broker"] in panel.findings.item(i).data(Qt.UserRole).person_ids)
    panel.findings.setCurrentRow(row)
    assert panel.map.selected() == [planted["broker"]]
    assert panel.table.selected() == [planted["broker"]]


def test_table_selection_moves_the_map_and_back(panel, qtbot):
    view = panel.table.view
    index = panel.table.proxy.index(3, 0)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())
    chosen = panel.table.selected()
    assert len(chosen) == 1 and panel.map.selected() == chosen
    assert panel.map.nodes[chosen[0]].isSelected()
    other = next(p for p in panel.map.nodes if p != chosen[0])
    panel.map.scene().clearSelection()
    panel.map.nodes[other].setSelected(True)  # what a click on the dot does
    assert panel.table.selected() == [other]
    assert "<b>" in panel.details.text()


def test_search_and_ego_network(panel, window, qtbot):
    G = panel.analysis.graph
    person = next(p for p in G if G.degree(p) >= 3)
    name = G.nodes[person]["name"]
    qtbot.keyClick(panel, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClicks(panel.search, name)
    qtbot.keyClick(panel.search, Qt.Key_Return)
    assert person in panel.map.selected() and person in panel.table.selected()
    panel.map.select([person])
    qtbot.mouseClick(panel.ego1, Qt.LeftButton)
    neighbours = set(G.successors(person)) | set(G.predecessors(person)) | {person}
    assert set(panel.map.selected()) == neighbours
    assert set(panel.table.selected()) == neighbours


def test_department_filter_and_table_filter(panel, qtbot):
    G = panel.analysis.graph
    panel.department_box.setCurrentIndex(panel.department_box.findData("Finance"))
    shown = {p for p, node in panel.map.nodes.items() if node.isVisible()}
    assert shown == {p for p in G if G.nodes[p]["department"] == "Finance"}
    panel.department_box.setCurrentIndex(0)
    assert all(node.isVisible() for node in panel.map.nodes.values())
    qtbot.keyClicks(panel.table.filter, "Finance")
    assert panel.table.proxy.rowCount() == len(shown)


def test_changing_a_threshold_reanalyses_and_export(panel, window, qtbot, tmp_path):
    before = len(panel.analysis.findings.of_kind("broker"))
    panel.top_share.setValue(20)
    qtbot.mouseClick(panel.analyse_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.tasks.busy and panel.analysis.params.thresholds
                    .top_share == 0.2, timeout=20_000)
    assert panel.analysis.from_cache == "metrics"
    assert len(panel.analysis.findings.of_kind("broker")) >= before
    panel.export_map(str(tmp_path / "map.svg"))
    panel.export_map(str(tmp_path / "map.png"))
    assert b"<svg" in (tmp_path / "map.svg").read_bytes()
    assert (tmp_path / "map.png").read_bytes()[:4] == b"\x89PNG"


def test_comparisons(panel, window, qtbot):
    panel.before_box.setCurrentIndex(panel.before_box.findData("collaboration"))
    panel.after_box.setCurrentIndex(panel.after_box.findData("collaboration_followup"))
    qtbot.mouseClick(panel.compare_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "ties gained" in panel.comparison.toPlainText(), timeout=20_000)
    qtbot.mouseClick(panel.formal_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "reporting lines" in panel.comparison.toPlainText(), timeout=20_000)
    assert "%" in panel.comparison.toPlainText()


def test_findings_order_bold_titles_and_readable_filters(panel):
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QStyleOptionViewItem

    from workbench.gui.panels.network import FINDING_ORDER

    items = [panel.findings.item(i) for i in range(panel.findings.count())]
    kinds = [item.data(Qt.UserRole).kind for item in items]
    assert set(kinds) <= set(FINDING_ORDER)
    ranks = [FINDING_ORDER.index(k) for k in kinds]
    assert ranks == sorted(ranks) and kinds[0] == "customer_champion"
    assert kinds.index("silo") < kinds.index("broker") < kinds.index("peripheral")
    # the title line is drawn bold, the explanation below it is not
    option = QStyleOptionViewItem()
    option.font = panel.findings.font()
    document = panel.findings.itemDelegate().document(option, items[0].text(), 300)
    block, fragments = document.firstBlock(), []
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragments.append(it.fragment())
            it += 1
        block = block.next()
    finding = items[0].data(Qt.UserRole)
    title, sentence = fragments[0], fragments[-1]
    assert title.text() == finding.title and finding.sentence in sentence.text()
    assert title.charFormat().fontWeight() == QFont.Bold
    assert sentence.charFormat().fontWeight() != QFont.Bold
    box = panel.department_box
    assert box.itemText(0) == "All departments"
    assert box.width() >= box.fontMetrics().horizontalAdvance("All departments")
