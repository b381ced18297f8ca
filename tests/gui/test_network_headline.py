"""People & Network read at a glance, by clicking on the demo: "What this network shows" first
(the planted outlier leads and highlights her ties), groups collapsed to their top entries
with "Show all", rules on hover and in the details line, figure cards in words with the
glossary as tooltips, finding rules that re-run the analysis, and pseudonyms in the headline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_network_panel import (
    click_row,
    group_row,
    panel,  # noqa: F401 - the panel on the demo, analysed
)

from workbench.core.network import glossary
from workbench.core.network.headline import headline
from workbench.gui.findings_list import ENTRY, HEADLINE, MORE, TOP_ENTRIES
from workbench.gui.network_map import FADED, NEAR


@pytest.fixture
def net(panel):  # noqa: F811 - the panel on the demo, analysed
    return panel


def planted_outlier(window) -> str:
    """The person the demo plants as the extreme outlier (75 people go to her)."""
    return window.session.project.settings.get("demo.planted")["broker"]


def visible_entries(findings, kind: str) -> list[int]:
    return [i for i in findings.rows(ENTRY)
            if findings.row(i).kind == kind and not findings.item(i).isHidden()]


def test_the_headline_leads_with_the_outlier_and_clicking_it_fades_the_rest(net, window, qtbot):
    findings, view = net.findings, net.map
    outlier = planted_outlier(window)
    lines = findings.rows(HEADLINE)
    assert 1 <= len(lines) <= 5
    first = findings.row(lines[0])
    assert first.person_ids == (outlier,) and first.kind == "key_person_risk"
    assert first.title == glossary.label("key_person_risk")
    name = view.name_of(outlier)
    assert name == "Hana Abbott" and findings.item(lines[0]).text().count(name) >= 1
    assert "75 people" in first.text

    click_row(qtbot, findings, lines[0])
    G = net.analysis.graph
    ties = set(G.successors(outlier)) | set(G.predecessors(outlier))
    assert view.selected() == [outlier] == net.table.selected()
    assert view.nodes[outlier].opacity() == 1.0
    assert all(view.nodes[p].opacity() == NEAR for p in ties)  # her ties' people half fade
    rest = [n.opacity() for p, n in view.nodes.items() if p != outlier and p not in ties]
    assert rest and set(rest) == {FADED}  # everyone else fades
    assert view.label_order() == [outlier]
    assert net.details.text().startswith("<b>Rule:</b> Key-person risk")
    assert findings.item(lines[0]).toolTip().startswith("Rule: Key-person risk")


def test_key_people_follow_the_headline(net, window):
    sentences = headline(net.analysis.findings)
    first = [p for s in sentences for p in s.person_ids]
    assert net.map.key_people[:len(first)] == list(dict.fromkeys(first))
    assert net.map.label_order()[0] == planted_outlier(window)


def test_groups_show_their_top_entries_until_show_all(net, qtbot):
    findings = net.findings
    kind = "customer_champion"
    group = findings.row(group_row(findings, kind))
    total = len(net.analysis.findings.of_kind(kind)[0].entries)
    assert total > TOP_ENTRIES
    assert len(visible_entries(findings, kind)) == TOP_ENTRIES
    assert group.text == glossary.definition(kind)
    assert findings.item(group_row(findings, kind)).toolTip() == f"Rule: {group.rule}"
    more = next(i for i in findings.rows(MORE) if findings.row(i).kind == kind)
    assert findings.item(more).text() == f"Show all {total} ▾"

    click_row(qtbot, findings, more)
    assert len(visible_entries(findings, kind)) == total
    assert findings.item(more).text().startswith("Show the top")
    other = next(i for i in findings.rows(MORE) if findings.row(i).kind != kind)
    assert len(visible_entries(findings, findings.row(other).kind)) == TOP_ENTRIES

    last = visible_entries(findings, kind)[-1]  # an entry only "Show all" revealed
    entry = findings.row(last)
    click_row(qtbot, findings, last)
    assert net.map.selected() == list(entry.person_ids) == net.table.selected()
    assert net.details.text() == f"<b>Rule:</b> {group.rule}"

    click_row(qtbot, findings, more)  # and closed again
    assert len(visible_entries(findings, kind)) == TOP_ENTRIES
    findings.setFocus()
    findings.setCurrentRow(more)
    qtbot.keyClick(findings, Qt.Key_Return)  # the keyboard opens it too
    assert len(visible_entries(findings, kind)) == total


def test_figure_cards_give_numbers_their_meaning(net):
    cards = net.cards
    density = cards["density"]
    assert density.value.text().startswith("1 in ")
    assert density.caption.text() == "possible ties exist"
    assert density.caption.toolTip().startswith(glossary.definition("density"))
    assert cards["reciprocity"].caption.text() == "of ties go both ways"
    split = cards["modularity"]
    assert split.value.text() == str(net.analysis.metrics.network["communities"])
    assert split.caption.text().startswith("communities, ")
    assert "0.3 is a visible split" in split.caption.toolTip()
    crossing = cards["ei_index"]
    figures = net.analysis.findings.figures
    assert crossing.value.text() == f"{figures['crossing_share']:.0%}"
    assert crossing.caption.text() == (f"of ties link two departments; random mixing would "
                                       f"give {figures['expected_crossing_share']:.0%}")
    assert crossing.caption.toolTip().startswith(glossary.definition("ei_index"))
    for card in cards.values():  # no raw decimals on the cards
        assert "0." not in card.value.text() and card.caption.toolTip()


def test_finding_rules_rerun_the_findings_when_changed(net, window, qtbot):
    findings = net.findings
    assert not net.rules.isVisible()
    qtbot.mouseClick(net.rules_button, Qt.LeftButton)
    assert net.rules.isVisible()

    def title(kind: str) -> str:
        return findings.item(group_row(findings, kind)).text().split("\n")[0]

    def retype(box, value: str) -> None:
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, value)

    go_to = len(net.analysis.findings.of_kind("central_connector")[0].entries)
    retype(net.stand_out, "0.5")  # stands out sooner: more go-to people
    qtbot.waitUntil(lambda: not window.tasks.busy and net.analysis is not None
                    and net.analysis.params.thresholds.outlier_spreads == 0.5,
                    timeout=20_000)
    assert net.analysis.from_cache == "metrics"  # the measures reused, findings redone
    more = len(net.analysis.findings.of_kind("central_connector")[0].entries)
    assert more > go_to and title("central_connector") == f"Go-to people: {more} people"

    assert len(net.analysis.findings.of_kind("broker")[0].entries) > 3
    retype(net.top_share, "1")  # 1% of 297 people: at most 3 listed
    qtbot.waitUntil(lambda: not window.tasks.busy and net.analysis is not None
                    and net.analysis.params.thresholds.top_share == 0.01, timeout=20_000)
    assert title("broker") == "Brokers: 3 people"


def test_the_headline_names_people_by_pseudonym_when_pseudonymised(net, window, qtbot):
    from workbench.core.privacy import PrivacySettings, save_privacy

    outlier = planted_outlier(window)
    real = net.map.name_of(outlier)
    save_privacy(window.session.project, PrivacySettings(pseudonymise=True))
    qtbot.waitUntil(lambda: not window.tasks.busy and net.analysis is not None
                    and net.map.name_of(outlier) != real, timeout=20_000)
    alias = net.map.name_of(outlier)
    first = net.findings.item(net.findings.rows(HEADLINE)[0]).text()
    assert alias in first and real not in first
    every = "\n".join(net.findings.item(i).text() for i in net.findings.rows())
    assert real not in every
