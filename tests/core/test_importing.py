"""Project-level imports: first import, re-import merge, refusal, relations, cancel, surveys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from workbench.core import importing
from workbench.core.errors import WorkbenchError
from workbench.core.exporting import export_network, export_people_csv, export_ties_csv
from workbench.core.model import Person
from workbench.core.network.formats import write_graphml
from workbench.core.network.survey import MARKER, SURVEY_SHEET, export_survey_workbook
from workbench.core.privacy import PrivacySettings, load_privacy, save_privacy
from workbench.core.tasks import Cancelled, Progress

PEOPLE_CSV = """id;name;department;manager_id;customer_facing
e1;Ann Lee;Sales;;yes
e2;Bo Chen;Sales;e1;no
e3;Cy Diaz;Service;e1;yes
e4;Di Eze;Service;e3;no
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def snapshot(project):
    return (project.people.list(),
            {n.name: (n.type, project.networks.ties(n.id)) for n in project.networks.list()})


def test_first_import_adds_everyone_and_saves_the_mapping(project, tmp_path):
    plan = importing.read_people_file(project, write(tmp_path / "people.csv", PEOPLE_CSV))
    assert [p.id for p in plan.diff.added] == ["e1", "e2", "e3", "e4"]
    assert not plan.diff.changed and not plan.diff.removed and not plan.errors
    summary = importing.apply_import(project, plan, label="Import people.csv")
    assert (summary.added, summary.changed, summary.removed) == (4, 0, 0)
    people = {p.id: p for p in project.people.list()}
    assert people["e3"].manager_id == "e1" and people["e3"].customer_facing
    saved = importing.saved_mapping(project, "people")
    assert saved is not None and saved.columns["manager_id"] == "manager_id"
    assert project.history.undo_label == "Import people.csv"


def test_reimport_shows_the_diff_merges_and_undoes_in_one_step(project, tmp_path):
    importing.apply_import(project, importing.read_people_file(
        project, write(tmp_path / "people.csv", PEOPLE_CSV)))
    before = project.people.list()
    second = PEOPLE_CSV.replace("e4;Di Eze;Service;e3;no", "e5;Ed Fox;IT;e1;no").replace(
        "e2;Bo Chen;Sales", "e2;Bo Chen;Marketing")
    plan = importing.read_people_file(project, write(tmp_path / "people2.csv", second))
    assert [p.id for p in plan.diff.added] == ["e5"]
    assert [p.id for p in plan.diff.removed] == ["e4"]
    assert [c.id for c in plan.diff.changed] == ["e2"]
    assert importing.describe_change(plan.diff.changed[0]) == "department: Sales -> Marketing"
    importing.apply_import(project, plan, label="Re-import roster")
    after = {p.id: p for p in project.people.list()}
    assert set(after) == {"e1", "e2", "e3", "e5"} and after["e2"].department == "Marketing"
    assert project.undo().label == "Re-import roster"
    assert project.people.list() == before


def test_reimport_keeps_people_who_are_still_in_a_network(project, tmp_path):
    importing.apply_import(project, importing.read_people_file(
        project, write(tmp_path / "people.csv", PEOPLE_CSV)))
    project.networks.add("advice", importing.networks_from_ties(
        importing.import_ties(write(tmp_path / "t.csv", "source,target\ne4,e1\n"), None),
        "t.csv", "advice")[0].ties)
    shorter = "\n".join(PEOPLE_CSV.splitlines()[:-1]) + "\n"
    plan = importing.read_people_file(project, write(tmp_path / "p2.csv", shorter))
    assert [p.id for p in plan.kept] == ["e4"] and not plan.diff.removed


def test_errors_refuse_unless_the_valid_part_is_accepted(project, tmp_path):
    bad = PEOPLE_CSV + ";No Id;IT;e1;no\ne2;Again;IT;e1;no\n"
    plan = importing.read_people_file(project, write(tmp_path / "bad.csv", bad))
    kinds = sorted(p.kind for p in plan.errors)
    assert kinds == ["blank_id", "duplicate_id"]
    with pytest.raises(importing.ImportRefused) as refused:
        importing.apply_import(project, plan)
    assert "bad.csv, row 6, column 'id'" in str(refused.value)
    assert "bad.csv, row 7, column 'id'" in str(refused.value)
    assert project.people.count() == 0 and project.history.undo_label is None
    importing.apply_import(project, plan, accept_valid=True)
    assert project.people.count() == 4


def test_ties_become_one_network_per_relation_or_one_named(project, tmp_path):
    importing.apply_import(project, importing.read_people_file(
        project, write(tmp_path / "people.csv", PEOPLE_CSV)))
    ties = write(tmp_path / "ties.csv", "source,target,weight,type\ne1,e2,2,advice\n"
                 "e2,e3,1,Customer Insight\ne3,e1,1,advice\ne4,zz,1,advice\n")
    plan = importing.read_ties_file(project, ties)
    assert [(n.name, len(n.ties)) for n in plan.networks] == [("advice", 2),
                                                               ("customer_insight", 1)]
    assert [(p.kind, p.row, p.column) for p in plan.errors] == [("unknown_id", 5, "target")]
    day = dt.date(2024, 3, 1)
    summary = importing.apply_import(project, plan, accept_valid=True, date=day,
                                     label="Import ties.csv")
    assert summary.networks == {"advice": 2, "customer_insight": 1}
    infos = {n.name: n for n in project.networks.list()}
    assert infos["advice"].date == day and infos["customer_insight"].type == "customer_insight"
    # the two networks are one undo step
    assert project.undo().label == "Import ties.csv"
    assert project.networks.list() == []
    named = importing.read_ties_file(project, ties, name="All ties")
    assert [(n.name, len(n.ties), n.type) for n in named.networks] == [("All ties", 3, "mixed")]
    untyped = write(tmp_path / "untyped.csv", "from,to\ne1,e2\n")
    plan = importing.read_ties_file(project, untyped, relation="energy")
    assert [(n.name, n.type) for n in plan.networks] == [("energy", "energy")]


def test_cancel_while_saving_leaves_the_project_unchanged(project, tmp_path):
    importing.apply_import(project, importing.read_people_file(
        project, write(tmp_path / "people.csv", PEOPLE_CSV)))
    plan = importing.read_ties_file(project, write(
        tmp_path / "ties.csv", "source,target,type\ne1,e2,a\ne2,e3,b\ne3,e4,c\n"))
    before, label = snapshot(project), project.history.undo_label
    written = []

    def cancel_late(fraction: float, _message: str) -> None:
        written.append(len(project.networks.list()))
        if fraction > 0.5:
            progress.cancel()

    progress = Progress(cancel_late)
    with pytest.raises(Cancelled):
        importing.apply_import(project, plan, progress=progress)
    assert max(written) == 2  # cancelled after networks were already written
    assert snapshot(project) == before
    assert project.history.undo_label == label and project.history.redo_label is None


def test_formal_network_matches_the_manager_links(project, tmp_path):
    importing.apply_import(project, importing.read_people_file(
        project, write(tmp_path / "people.csv", PEOPLE_CSV)))
    people = project.people.list()
    draft = importing.formal_network(people)
    expected = {(p.manager_id, p.id) for p in people if p.manager_id}
    assert {(t.source, t.target) for t in draft.ties} == expected
    importing.apply_import(project, importing.ImportPlan(networks=[draft]))
    assert project.networks.find(importing.FORMAL_NETWORK).tie_count == len(expected)


def test_network_file_into_a_new_project_and_against_a_roster(project, tmp_path):
    G = nx.karate_club_graph().to_directed()
    G = nx.relabel_nodes(G, {n: f"k{n}" for n in G})
    for n in G:
        G.nodes[n]["name"] = f"Member {n}"
    for u, v in G.edges:
        G.edges[u, v]["type"] = "advice" if u < v else "energy"
    path = tmp_path / "karate.graphml"
    write_graphml(G, path)
    plan = importing.read_ties_file(project, path)
    assert len(plan.diff.added) == 34
    assert {n.name for n in plan.networks} == {"advice", "energy"}
    importing.apply_import(project, plan)
    stored = nx.DiGraph()
    for info in project.networks.list():
        stored.add_edges_from((t.source, t.target) for t in project.networks.ties(info.id))
    assert set(stored.edges) == set(G.edges)
    smaller = G.subgraph([f"k{i}" for i in range(30)] + ["k33"]).copy()
    smaller.add_edge("k0", "outsider", type="advice")
    write_graphml(smaller, tmp_path / "more.graphml")
    plan = importing.read_ties_file(project, tmp_path / "more.graphml", name="Second wave")
    assert [p.kind for p in plan.errors] == ["unknown_id"]
    assert len(plan.networks[0].ties) == smaller.number_of_edges() - 1


def fill(path: Path, answers: dict[str, list[tuple[str, int]]]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SURVEY_SHEET]
    starts = {ws.cell(r, 1).value[len(MARKER):]: r for r in range(1, ws.max_row + 1)
              if str(ws.cell(r, 1).value or "").startswith(MARKER)}
    for relation, rows in answers.items():
        for offset, (person, strength) in enumerate(rows):
            ws.cell(starts[relation] + 2 + offset, 2).value = person
            ws.cell(starts[relation] + 2 + offset, 3).value = strength
    wb.save(path)


def test_survey_round_trip_into_networks(project, tmp_path):
    importing.apply_import(project, importing.read_people_file(
        project, write(tmp_path / "people.csv", PEOPLE_CSV)))
    folder = tmp_path / "surveys"
    folder.mkdir()
    export = export_survey_workbook(project.people.list(), folder, respondents=["e1", "e2"],
                                    key=project.settings.signing_key())
    fill(export.paths[0], {"advice": [("Bo Chen (e2)", 4), ("Nobody Known", 2)],
                           "energy": [("Cy Diaz (e3)", 5)]})
    fill(export.paths[1], {"advice": [("Ann Lee (e1)", 3), ("Ann Lee (e1)", 1)]})
    plan = importing.read_survey_files(project, export.paths, date=dt.date(2024, 5, 1))
    kinds = {(p.file, p.kind) for p in plan.problems}
    assert ("survey_e1.xlsx", "unknown_name") in kinds
    assert ("survey_e2.xlsx", "duplicate_nomination") in kinds
    with pytest.raises(importing.ImportRefused):
        importing.apply_import(project, plan)
    importing.apply_import(project, plan, accept_valid=True)
    nets = {n.name: n for n in project.networks.list()}
    assert set(nets) == {"advice survey 2024-05-01", "energy survey 2024-05-01"}
    advice = {(t.source, t.target, t.weight)
              for t in project.networks.ties(nets["advice survey 2024-05-01"].id)}
    assert advice == {("e1", "e2", 4.0), ("e2", "e1", 3.0)}


def test_unknown_network_name_is_a_clear_error(project):
    with pytest.raises(WorkbenchError, match="No network named 'nope'"):
        export_network(project, "nope", "/tmp/x.graphml")


def test_export_carries_attributes_metrics_and_pseudonyms(project, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    importing.apply_import(project, importing.read_people_file(
        project, write(tmp_path / "people.csv", PEOPLE_CSV.replace(
            "customer_facing\n", "customer_facing;tenure\n").replace("yes\n", "yes;4\n"))))
    importing.apply_import(project, importing.read_ties_file(project, write(
        tmp_path / "ties.csv", "source,target,weight\ne1,e2,2\ne2,e3,1\n"), name="advice"))
    out = tmp_path / "advice.graphml"
    export_network(project, "advice", out, metrics={"e1": {"pagerank": 0.4}})
    G = nx.read_graphml(out)
    assert G.nodes["e1"]["name"] == "Ann Lee" and G.nodes["e1"]["tenure"] == "4"
    assert G.nodes["e1"]["pagerank"] == pytest.approx(0.4) and G.edges["e1", "e2"]["weight"] == 2
    with pytest.raises(WorkbenchError, match="open project"):
        export_network(project, "advice", project.path, "graphml")

    save_privacy(project, PrivacySettings(True, ("tenure", "department")), min_group_size=4)
    assert project.engagement.get().min_group_size == 4
    privacy = load_privacy(project)
    assert privacy.key is not None and privacy.key.path.parent == tmp_path / "data" / "keys"
    assert project.path.read_bytes().find(privacy.key.secret) == -1
    export_network(project, "advice", tmp_path / "anon.gexf")
    H = nx.read_gexf(tmp_path / "anon.gexf")
    names = {H.nodes[n]["label"] for n in H}
    assert not names & {"Ann Lee", "Bo Chen", "Cy Diaz", "Di Eze"}
    person = project.people.get("e1")
    alias = privacy.display_name(person)
    assert alias != person.name and "e1" not in H  # node ids are pseudonyms too
    assert H.nodes[alias]["label"] == alias
    assert all("tenure" not in H.nodes[n] and not H.nodes[n].get("department") for n in H)
    export_people_csv(project, tmp_path / "people_out.csv")
    text = (tmp_path / "people_out.csv").read_text(encoding="utf-8-sig")
    assert "Ann Lee" not in text and "tenure" not in text
    export_ties_csv(project, "advice", tmp_path / "ties_out.csv")
    shown = {p.id: privacy.display_name(p) for p in project.people.list()}
    assert (tmp_path / "ties_out.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
        f"{shown['e1']},{shown['e2']},2,", f"{shown['e2']},{shown['e3']},1,"]
    # one undo step restores the earlier privacy settings and group size
    assert project.undo().label == "Change privacy settings"
    assert project.engagement.get().min_group_size == 5 and not load_privacy(project).active
    with pytest.raises(WorkbenchError):
        save_privacy(project, PrivacySettings(), min_group_size=2)
    assert Person("x", "X").name == load_privacy(project).display_name(Person("x", "X"))
