"""build_report_data on the demo project: every sheet's data, stage and privacy."""

from __future__ import annotations

import networkx as nx
import pytest
from openpyxl import load_workbook

from workbench.core.network.pseudonyms import PseudonymKey
from workbench.core.project import Project
from workbench.core.questionnaire.scoring import stage_reached
from workbench.core.report.assemble import (
    MATURITY_TEMPLATE,
    build_report_data,
    department_ties,
    export_workbook,
    latest_round,
    project_evidence,
)
from workbench.core.report.workbook_writer import SHEETS


def test_report_data_fills_every_part_and_stage_matches_scoring(demo):
    data = build_report_data(demo)
    ladder = latest_round(demo, MATURITY_TEMPLATE)
    assert data.engagement.stage_reached == stage_reached(ladder.template, ladder.answers).stage
    assert data.engagement.target_step == demo.engagement.get().target_step
    assert len(data.maturity) == 35 and all(v is not None for v in data.maturity.values())
    assert data.top_gaps and [g.rank for g in data.top_gaps] == list(
        range(1, len(data.top_gaps) + 1))
    priorities = [round(g.priority, 9) for g in data.top_gaps]  # shortfall x importance
    assert priorities == sorted(priorities, reverse=True)
    assert all(g.step is None or g.step > data.engagement.stage_reached for g in data.top_gaps)
    assert all(g.label and ":" in g.source for g in data.top_gaps)
    assert data.questionnaire and all(q.n == 7 for q in data.questionnaire)
    people = {p.id for p in demo.people.list()}
    assert {p.id for p in data.network} == people == {r.id for r in data.roster}
    assert any(p.role == "customer champion" for p in data.network)
    assert data.groups is not None and sum(data.groups.sizes.values()) == len(people)
    assert [e.step for e in data.evidence] == [1, 2, 3, 4, 5]
    assert data.evidence[0].show_value is not None  # the demo has a customer-insight network
    assert len(data.plan) == len(demo.plans.actions(demo.plans.plans()[0].id))


def test_department_ties_match_networkx_counts():
    G = nx.DiGraph()
    for person, dept in {"a": "X", "b": "X", "c": "Y", "d": "Z"}.items():
        G.add_node(person, department=dept)
    G.add_edges_from([("a", "b"), ("a", "c"), ("c", "a"), ("d", "a"), ("b", "a")])
    groups = department_ties(G)
    assert groups.ties == {("X", "X"): 2, ("X", "Y"): 1, ("Y", "X"): 1, ("Z", "X"): 1}
    # X: 2 internal, 3 external -> (3 - 2) / 5
    assert groups.ei["X"] == pytest.approx(0.2)
    assert groups.ei["Y"] == pytest.approx(1.0)


def test_privacy_on_keeps_real_names_out_of_network_and_roster(demo, tmp_path):
    names = [p.name for p in demo.people.list()]
    key = PseudonymKey(b"k" * 32)
    data = build_report_data(demo, pseudonymise=True, key=key)
    assert data.pseudonymised
    shown = {p.name for p in data.network} | {r.name for r in data.roster}
    assert not shown & set(names)
    assert all(r.email == "" for r in data.roster)
    out = tmp_path / "private.xlsx"
    from workbench.core.report.workbook_writer import write_plan_workbook

    write_plan_workbook(data, out)
    book = load_workbook(out, read_only=True)
    for sheet in ("Network", "Roster"):
        cells = {str(c) for row in book[sheet].iter_rows(values_only=True) for c in row if c}
        assert not cells & set(names), sheet
    book.close()


def test_missing_network_gives_insufficient_evidence(tmp_path):
    with Project.create(tmp_path / "empty.owb", client="Empty") as project:
        evidence = project_evidence(project)
        data = build_report_data(project)
    assert all(e.verdict in ("insufficient data", "no network evidence applies")
               for e in evidence)
    assert data.network == () and data.groups is None and data.engagement.stage_reached == 0


def test_export_refuses_the_open_project_file(demo):
    before = demo.path.read_bytes()
    from workbench.core.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="open project"):
        export_workbook(demo, demo.path)
    assert demo.path.read_bytes() == before


def test_exported_workbook_has_all_sheets(demo, tmp_path):
    out = tmp_path / "plan.xlsx"
    export_workbook(demo, out)
    book = load_workbook(out)
    assert [s for s in book.sheetnames if not s.startswith("_")] == list(SHEETS)
    assert book["Network"].max_row == demo.people.count() + 1


def test_privacy_dialog_setting_drives_the_report(demo, monkeypatch, tmp_path):
    from workbench.core.privacy import PrivacySettings, save_privacy

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path))
    assert not build_report_data(demo).pseudonymised
    save_privacy(demo, PrivacySettings(pseudonymise=True))
    data = build_report_data(demo)
    assert data.pseudonymised
    assert not {r.name for r in data.roster} & {p.name for p in demo.people.list()}


def test_workshop_record_reaches_the_workbook(demo, tmp_path):
    from workbench.core.questionnaire.rounds import round_template
    from workbench.core.report.workbook_writer import write_plan_workbook
    from workbench.core.workshop.agenda import agenda_from_template

    ladder = next(r for r in demo.assessments.rounds() if r.template.key == "maturity_ladder")
    agenda = agenda_from_template(round_template(demo, ladder.id))[:2]
    session_id = demo.workshop.create_session("Leadership offsite", agenda, ladder.id)
    item = demo.workshop.items(session_id)[0]
    for participant, value in (("P1", 2), ("P2", 3), ("P3", 3)):
        demo.workshop.cast_vote(item.id, participant, value)
    demo.workshop.record_consensus(item.id, 3, "Sales and Service agree")
    out = tmp_path / "plan.xlsx"
    write_plan_workbook(build_report_data(demo), out)
    rows = list(load_workbook(out, read_only=True)["Workshop"].iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "Consensus" in header and len(rows) == 3
    assert (first["Session"], str(first["Consensus"]), first["Note"]) == (
        "Leadership offsite", "3", "Sales and Service agree")
