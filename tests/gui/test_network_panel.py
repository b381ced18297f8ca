"""People & Network panel on the demo: analysis task, findings, map <-> table, filter, search,
the network shown after an import, reporting lines as formal structure, comparison defaults.
(The headline, the grouped findings, the figure cards and the rules: test_network_headline.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from driving import import_with_wizard, write_roster
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from workbench.core import importing
from workbench.core.network.findings import FORMAL_NOTE
from workbench.core.project import Project
from workbench.gui.findings_list import GROUP, HEADING, HEADLINE, HEADLINE_TITLE, NOTE
from workbench.gui.panels.network import FORMAL_TITLE, NetworkPanel


@pytest.fixture
def panel(window, demo_copy, qtbot):
    assert window.open_path(demo_copy)
    row = window.panel_types.index(NetworkPanel)
    window.sidebar.setCurrentRow(row)
    panel = window.panel(row)
    qtbot.waitUntil(lambda: panel.analysis is not None and not window.tasks.busy, timeout=20_000)
    return panel


def click_row(qtbot, findings, row: int) -> None:
    """Click a row of the findings column as a user does (scrolled into view first)."""
    item = findings.item(row)
    findings.scrollToItem(item)
    rect = findings.visualItemRect(item)
    qtbot.mouseClick(findings.viewport(), Qt.LeftButton, pos=rect.center())


def group_row(findings, kind: str) -> int:
    """The position of the group row of a finding kind in the findings column."""
    return next(i for i in findings.rows(GROUP) if findings.row(i).kind == kind)


def test_analysis_task_shows_findings_and_figures(panel, window):
    planted = window.session.project.settings.get("demo.planted")
    assert panel.network_box.currentData() == "advice"
    texts = [panel.findings.item(i).text() for i in panel.findings.rows(GROUP)]
    assert any(t.startswith("Possibly overloaded") for t in texts)
    assert any(t.startswith(f"Possible silo: {planted['silo']}") for t in texts)
    assert panel.cards["people"].value.text() == f"{window.session.project.people.count():,}"
    assert panel.cards["density"].toolTip()


def test_finding_selects_people_on_map_and_table(panel, window, qtbot):
    planted = window.session.project.settings.get("demo.planted")
    row = group_row(panel.findings, "overloaded")
    assert panel.findings.row(row).person_ids == (planted["broker"],)
    click_row(qtbot, panel.findings, row)
    assert panel.map.selected() == [planted["broker"]]
    assert panel.table.selected() == [planted["broker"]]
    assert panel.details.text().startswith("<b>Rule:</b> Possibly overloaded")


def test_table_selection_moves_the_map_and_back(panel, qtbot):
    tabs = panel.side.tabBar()
    qtbot.mouseClick(tabs, Qt.LeftButton, pos=tabs.tabRect(1).center())  # "People"
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
    # (the panel holds no analysis while it shows a new one, over a few turns)
    qtbot.waitUntil(lambda: not window.tasks.busy and panel.analysis is not None
                    and panel.analysis.params.thresholds.top_share == 0.2, timeout=20_000)
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
    dated = panel.comparison.toPlainText()
    # people's changes read in words, not as raw three-decimal scores
    assert "of the routes between others before" in dated
    assert not re.search(r"\d\.\d{3} →", dated)
    qtbot.mouseClick(panel.formal_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "reporting lines" in panel.comparison.toPlainText(), timeout=20_000)
    assert "%" in panel.comparison.toPlainText()


def test_headline_first_then_groups_in_order_with_bold_titles(panel):
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QStyleOptionViewItem

    from workbench.core.network.findings import KINDS

    findings = panel.findings
    rows = [findings.row(i) for i in findings.rows()]
    assert rows[0].role == HEADING and rows[0].title == HEADLINE_TITLE
    headline = [r for r in rows if r.role == HEADLINE]
    assert 1 <= len(headline) <= 5 and rows[1:len(headline) + 1] == headline
    kinds = [r.kind for r in rows if r.role == GROUP]
    assert kinds == [k for k in KINDS if k in kinds]  # in the order a conversation takes them
    # a group's title is drawn bold, its definition below it is not
    option = QStyleOptionViewItem()
    option.font = findings.font()
    group = rows[group_row(findings, "broker")]
    document = findings.itemDelegate().document(option, group, 300)
    block, fragments = document.firstBlock(), []
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragments.append(it.fragment())
            it += 1
        block = block.next()
    title, definition = fragments[0], fragments[-1]
    assert title.text() == group.title.replace("\n", " ")
    assert title.charFormat().fontWeight() == QFont.Bold
    assert definition.text() in group.text and definition.charFormat().fontWeight() != QFont.Bold
    box = panel.department_box
    assert box.itemText(0) == "All departments"
    assert box.width() >= box.fontMetrics().horizontalAdvance("All departments")


def _action(window, text: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text().replace("&", "") == text)


def _write_ties(path, pairs, relation: str = "advice"):
    """A ties CSV with a relation column, as a client's collaboration export has it."""
    path.write_text("source,target,type\n" + "".join(f"{a},{b},{relation}\n" for a, b in pairs),
                    encoding="utf-8")
    return path


def _shown_when_idle(window, panel, qtbot):
    qtbot.waitUntil(lambda: not window.tasks.busy and panel.analysis is not None
                    and panel.analysis.network.name == panel.network_box.currentData(),
                    timeout=20_000)


def test_after_an_import_the_view_switches_to_the_new_network(panel, window, qtbot,
                                                             monkeypatch, tmp_path):
    ids = sorted(panel.analysis.graph)[:40]
    ties = _write_ties(tmp_path / "advice-again.csv",
                       [(a, b) for a, b in zip(ids, ids[1:] + ids[:1], strict=True)])
    import_with_wizard(qtbot, _action(window, "Import ties…"), ties, monkeypatch)
    newest = max(window.session.project.networks.list(), key=lambda n: n.id)
    qtbot.waitUntil(lambda: panel.network_box.currentData() == newest.name, timeout=10_000)
    _shown_when_idle(window, panel, qtbot)
    assert panel.analysis.network.id == newest.id
    assert panel.network_box.currentText().startswith(newest.name)
    assert newest.name in panel.hint.text()


@pytest.fixture
def formal_only(window, tmp_path, qtbot):
    """A new engagement with a roster whose reporting lines were imported, and no ties."""
    path = tmp_path / "formal.owb"
    with Project.create(path, client="Formal Ltd") as project:
        plan = importing.read_people_file(project, write_roster(tmp_path / "roster.csv"))
        plan.networks.append(importing.formal_network(importing.roster_after(project, plan)))
        importing.apply_import(project, plan, accept_valid=True)
    assert window.open_path(path)
    row = window.panel_types.index(NetworkPanel)
    window.sidebar.setCurrentRow(row)
    panel = window.panel(row)
    _shown_when_idle(window, panel, qtbot)
    return panel


def test_reporting_lines_are_formal_structure_never_informal_findings(formal_only, window,
                                                                     qtbot, monkeypatch,
                                                                     tmp_path):
    panel = formal_only
    assert panel.network_box.currentText() == FORMAL_TITLE
    notes = [panel.findings.row(i) for i in panel.findings.rows()]
    assert [(r.role, r.text) for r in notes] == [(NOTE, FORMAL_NOTE)]  # the note, no findings
    assert not any(panel.analysis.findings.roles.values())
    assert "formal structure" in panel.hint.text()

    people = [f"N{i:02d}" for i in range(1, 13)]
    ties = _write_ties(tmp_path / "advice.csv",
                       [(a, b) for i, a in enumerate(people) for b in people[i + 1:i + 4]])
    import_with_wizard(qtbot, _action(window, "Import ties…"), ties, monkeypatch)
    qtbot.waitUntil(lambda: panel.network_box.currentText() != FORMAL_TITLE, timeout=10_000)
    _shown_when_idle(window, panel, qtbot)
    box = panel.network_box
    texts = [box.itemText(i) for i in range(box.count())]
    assert texts[-1] == FORMAL_TITLE and texts[-2] == ""  # apart, below a separator
    assert box.currentIndex() == 0
    assert FORMAL_NOTE not in [panel.findings.row(i).text for i in panel.findings.rows()]
    assert panel.analysis.network.type == "advice"

    # chosen by hand, the reporting lines are shown as formal structure again
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_End)
    _shown_when_idle(window, panel, qtbot)
    assert panel.analysis.network.type == "reporting" and not panel.findings.rows(GROUP)


def test_comparisons_default_to_one_relation_at_two_dates(panel):
    before, after = panel.before_box.currentData(), panel.after_box.currentData()
    assert (before, after) == ("collaboration", "collaboration_followup")
    assert panel.compare_button.isEnabled()
    assert panel.compare_button.property("role") == "primary"


def test_comparisons_never_default_to_two_relations(formal_only, window, qtbot, tmp_path):
    panel = formal_only
    project = window.session.project
    people = [f"N{i:02d}" for i in range(1, 13)]
    for relation, day in (("advice", dt.date(2026, 1, 10)),
                          ("collaboration", dt.date(2026, 4, 20))):
        ties = _write_ties(tmp_path / f"{relation}.csv", zip(people, people[1:], strict=False),
                           relation)
        plan = importing.read_ties_file(project, ties)
        importing.apply_import(project, plan, accept_valid=True, date=day)  # as a script would
        _shown_when_idle(window, panel, qtbot)
    panel.tabs.setCurrentIndex(1)
    assert panel.before_box.currentData() is None and panel.after_box.currentData() is None
    assert not panel.compare_button.isEnabled()
    assert panel.formal_button.isEnabled()
    assert panel.formal_button.property("role") == "primary"
    assert "reporting lines" in panel.comparison.placeholderText()


def test_closing_the_project_frees_its_analysis_a_slice_at_a_time(panel, window, qtbot):
    import weakref

    from workbench.gui.release import releaser

    graph = weakref.ref(panel.analysis.graph)
    people = len(graph())
    window.act_close.trigger()
    assert panel.analysis is None and panel.map.analysis is None
    # not freed in one go on the window's thread: emptied over the next turns
    assert graph() is not None and len(graph()) == people and releaser().pending
    qtbot.waitUntil(lambda: graph() is None and not releaser().pending, timeout=5_000)
