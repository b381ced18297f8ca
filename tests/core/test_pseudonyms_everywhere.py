"""Pseudonyms everywhere: no output of a pseudonymised project names anyone, the converted
project file holds no names, imports are pseudonymised on the way in, and individual labels
never stand beside a real name by default.

Every output is a real file written by the app's own export paths (core functions and the
CLI) and read back: workbook cells, PDF text, the raw bytes of XML and CSV files.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import sqlite3
import stat
import zlib
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

from workbench.cli import main
from workbench.core import importing
from workbench.core.errors import WorkbenchError
from workbench.core.exporting import export_network, export_people_csv, export_ties_csv
from workbench.core.network.pseudonyms import identities_path
from workbench.core.plan.apply import read_plan_edits
from workbench.core.privacy import (
    INDIVIDUAL_LABELS,
    PrivacySettings,
    load_privacy,
    save_privacy,
    shown_people,
    stores_pseudonyms,
)
from workbench.core.project import Project
from workbench.core.pseudonymise import conversion_warning, convert_to_pseudonyms
from workbench.core.report.assemble import export_summary_pdf, export_workbook
from workbench.core.report.workbook_writer import PLAN_COLUMNS
from workbench.core.workshop.agenda import PREDICT_PEOPLE, AgendaItem

OWNER = [field for field, _h, _w in PLAN_COLUMNS].index("owner")  # column of the Plan sheet
PSEUDONYM = re.compile(r"P-[0-9A-HJKMNP-TV-Z]{6}([0-9A-HJKMNP-TV-Z]{6})?")


# -- reading outputs back -------------------------------------------------------------------------

def workbook_text(path: Path) -> str:
    book = load_workbook(path, read_only=True)
    try:
        return "\n".join(str(value) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True)
                         for value in row if value is not None)
    finally:
        book.close()


def pdf_text(path: Path) -> str:
    """The raw bytes, every inflated stream and the strings of each ``[...] TJ`` text run
    (matplotlib splits words at kerning points) joined, so a name is found however drawn."""
    raw = path.read_bytes()
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    content = b"\n".join(parts).decode("latin-1")
    runs = ["".join(re.findall(r"\(((?:\\.|[^\\)])*)\)", run))
            for run in re.findall(r"\[(.*?)\]\s*TJ", content, re.S)]
    return content + "\n" + "\n".join(runs)


def leaks(text: str, names: set[str], emails: set[str]) -> set[str]:
    lowered = text.casefold()
    return {n for n in names if n in text} | {e for e in emails if e.casefold() in lowered}


# -- a project whose ids are e-mail addresses, with a named workshop -----------------------------

@pytest.fixture
def email_project(demo_file, tmp_path, monkeypatch):
    """The demo engagement with every person's e-mail address as id, a named workshop whose
    participants and picks are people of the roster, and notes that mention them."""
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "client.owb"
    shutil.copy(demo_file, path)
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TEMP TABLE m (old TEXT PRIMARY KEY, new TEXT)")
        con.execute("INSERT INTO m SELECT person_id, email FROM person")
        con.execute("UPDATE person SET manager_id = (SELECT new FROM m WHERE old = manager_id)"
                    " WHERE manager_id IS NOT NULL")
        con.execute("UPDATE person SET person_id = (SELECT new FROM m WHERE old = person_id)")
        for end in ("source", "target"):
            con.execute(f"UPDATE tie SET {end} = (SELECT new FROM m WHERE old = tie.{end})")
        con.execute("DELETE FROM analysis_cache")
    con.close()
    with Project.open(path) as project:
        people = project.people.list()
        heads = [p for p in people if p.role.startswith("Head of")]
        session = project.workshop.create_session(
            "Offsite", [AgendaItem(PREDICT_PEOPLE, "", "Who do people go to?")],
            anonymous=False)
        item = project.workshop.items(session)[0]
        for head, picks in ((heads[0], people[5:7]), (heads[1], people[8:9])):
            project.workshop.cast_prediction(item.id, head.name, [p.id for p in picks])
        project.workshop.add_note(session, f"{heads[2].name} will follow up with {people[9].email}")
        project.notes.add("Interviews", f"Met {heads[3].name} on Monday")
    return path


def roster(path: Path) -> tuple[set[str], set[str]]:
    with Project.open(path) as project:
        people = project.people.list()
    return {p.name for p in people}, {p.email for p in people}


def write_every_output(project_path: Path, out: Path) -> dict[str, str]:
    """Each output of the app, by its own export path, read back as text."""
    out.mkdir()
    with Project.open(project_path) as project:
        network = project.networks.list()[0].name
        export_workbook(project, out / "plan.xlsx")
        export_summary_pdf(project, out / "summary.pdf")
        export_network(project, network, out / "net.graphml")
        export_network(project, network, out / "net.gexf")
        export_people_csv(project, out / "people.csv")
        export_ties_csv(project, network, out / "ties.csv")
    assert main(["analyse", str(project_path), "--out", str(out / "analyse.csv")]) == 0
    assert main(["report", str(project_path), "--out", str(out / "cli.xlsx")]) == 0
    assert main(["export", str(project_path), "--network", network,
                 "--graphml", str(out / "cli.graphml")]) == 0
    texts = {name: workbook_text(out / name) for name in ("plan.xlsx", "cli.xlsx")}
    texts["summary.pdf"] = pdf_text(out / "summary.pdf")
    for name in ("net.graphml", "net.gexf", "people.csv", "ties.csv", "analyse.csv",
                 "cli.graphml"):
        texts[name] = (out / name).read_bytes().decode("utf-8", "replace")
    return texts


@pytest.mark.parametrize("how", ["setting", "converted"])
def test_no_output_of_a_pseudonymised_project_names_anyone(email_project, tmp_path, how):
    names, emails = roster(email_project)
    assert len(names) == len(emails) == 297
    with Project.open(email_project) as project:
        if how == "setting":
            save_privacy(project, PrivacySettings(pseudonymise=True))
        else:
            convert_to_pseudonyms(project)
    texts = write_every_output(email_project, tmp_path / "out")
    found = {name: sorted(leaks(text, names, emails)) for name, text in texts.items()}
    assert found == {name: [] for name in texts}
    # the outputs still say something: pseudonyms as node ids, owners by their unique role
    graph = nx.read_graphml(tmp_path / "out" / "net.graphml")
    assert len(graph) == 297 and all(PSEUDONYM.fullmatch(node) for node in graph)
    assert all(PSEUDONYM.fullmatch(graph.nodes[n]["manager_id"]) or not
               graph.nodes[n]["manager_id"] for n in graph)
    with open(tmp_path / "out" / "analyse.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all(PSEUDONYM.fullmatch(r["id"]) for r in rows)
    assert {r["role"] for r in rows} & set(INDIVIDUAL_LABELS)  # labels beside pseudonyms
    book = load_workbook(tmp_path / "out" / "plan.xlsx", read_only=True)
    owners = {row[OWNER] for row in book["Plan"].iter_rows(min_row=2, values_only=True)}
    workshop = [row for row in book["Workshop"].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert owners and all(o.startswith(("Head of", "Chief")) for o in owners), owners
    picks = workshop[0][6]
    assert picks.count("P-") >= 5  # two participants and three picks, all pseudonyms
    assert "summary.pdf" in texts and "Head of" in texts["summary.pdf"]


def test_conversion_leaves_no_name_in_the_file_and_undo_cannot_bring_them_back(
        email_project, tmp_path):
    names, emails = roster(email_project)
    with Project.open(email_project) as project:
        save_privacy(project, PrivacySettings(pseudonymise=True))
        shown_before = {shown_people(project).label(p.id) for p in project.people.list()}
        assert leaks(email_project.read_bytes().decode("utf-8", "replace"), names, emails)
        warning = conversion_warning(project)
        assert warning.startswith("Names and e-mail addresses of 297 people will be replaced "
                                  "by pseudonyms in this file. This cannot be undone;")
        done = convert_to_pseudonyms(project)
        assert done.people == 297 and str(done.key_path) in warning
        assert project.history.undo_label is None
        assert project.undo() is None
        people = project.people.list()
        assert {p.name for p in people} == {p.id for p in people} == shown_before
        assert not {p.email for p in people} & emails
        ids = {p.id for p in people}
        for info in project.networks.list():
            ties = project.networks.ties(info.id)
            assert ties and all(t.source in ids and t.target in ids for t in ties)
        assert all(p.manager_id in ids for p in people if p.manager_id)
        assert stores_pseudonyms(project) and load_privacy(project).pseudonymised
        with pytest.raises(WorkbenchError, match="cannot be switched off"):
            save_privacy(project, PrivacySettings(pseudonymise=False))
        assert convert_to_pseudonyms(project).people == 0  # already done
    raw = email_project.read_bytes()
    assert leaks(raw.decode("utf-8", "replace"), names, emails) == set()
    assert leaks(raw.decode("latin-1"), names, emails) == set()
    for journal in email_project.parent.glob(email_project.name + "-*"):
        assert leaks(journal.read_bytes().decode("utf-8", "replace"), names, emails) == set()
    # the key and who is behind each pseudonym stay outside the project, readable by the user
    key_dir = tmp_path / "data" / "keys"
    assert done.key_path.parent == key_dir == done.identities_path.parent
    assert raw.find(bytes.fromhex(done.key_path.read_text().strip())) == -1
    table = json.loads(done.identities_path.read_text(encoding="utf-8"))
    assert set(table) == shown_before
    assert {row["email"] for row in table.values()} == emails == {
        row["id"] for row in table.values()}
    if os.name == "posix":
        assert stat.S_IMODE(done.identities_path.stat().st_mode) == 0o600
    with Project.open(email_project) as project:  # reopened: still no names anywhere
        assert not {p.name for p in project.people.list()} & names
        respondents = [r for rnd in project.assessments.rounds()
                       for r in project.assessments.respondents(rnd.id)]
        assert respondents and not {r.name for r in respondents} & names
        owners = {a.owner for plan in project.plans.plans()
                  for a in project.plans.actions(plan.id)}
        assert owners <= {p.id for p in project.people.list()}


def test_plan_owners_are_shown_by_role_and_an_untouched_workbook_reads_back_unchanged(
        demo, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    save_privacy(demo, PrivacySettings(pseudonymise=True))
    export_workbook(demo, tmp_path / "before.xlsx")
    assert read_plan_edits(demo, tmp_path / "before.xlsx").changes == []
    convert_to_pseudonyms(demo)
    export_workbook(demo, tmp_path / "after.xlsx")
    assert read_plan_edits(demo, tmp_path / "after.xlsx").changes == []
    books = [load_workbook(tmp_path / f"{n}.xlsx", read_only=True) for n in ("before", "after")]
    owners = [[row[OWNER] for row in b["Plan"].iter_rows(min_row=2, values_only=True)]
              for b in books]
    for book in books:
        book.close()
    assert owners[0] == owners[1] and all(o.startswith("Head of") or o.startswith("Chief")
                                          for o in owners[0])
    save_privacy(demo, PrivacySettings(pseudonymise=True, drop_attributes=("role",)))
    export_workbook(demo, tmp_path / "no-roles.xlsx")
    book = load_workbook(tmp_path / "no-roles.xlsx", read_only=True)
    shown = [row[OWNER] for row in book["Plan"].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert all(PSEUDONYM.fullmatch(o) for o in shown)  # without roles: the pseudonym


def _network_sheet(path: Path) -> list[tuple]:
    book = load_workbook(path, read_only=True)
    try:
        return list(book["Network"].iter_rows(values_only=True))
    finally:
        book.close()


def test_individual_labels_are_never_beside_a_real_name_by_default(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    names = {p.name for p in demo.people.list()}
    labels = set(INDIVIDUAL_LABELS)
    export_workbook(demo, tmp_path / "default.xlsx")
    rows = _network_sheet(tmp_path / "default.xlsx")
    assert "Network role" not in rows[0]
    named = [r for r in rows[1:] if set(r) & names]
    assert len(named) == 297 and not [r for r in named if set(r) & labels]

    save_privacy(demo, PrivacySettings(name_individual_labels=True))  # the consultant's choice
    export_workbook(demo, tmp_path / "labelled.xlsx")
    rows = _network_sheet(tmp_path / "labelled.xlsx")
    role = rows[0].index("Network role")
    assert {r[role] for r in rows[1:]} & labels and {r[1] for r in rows[1:]} <= names

    save_privacy(demo, PrivacySettings(pseudonymise=True))  # beside pseudonyms: always shown
    export_workbook(demo, tmp_path / "pseudo.xlsx")
    rows = _network_sheet(tmp_path / "pseudo.xlsx")
    role = rows[0].index("Network role")
    assert {r[role] for r in rows[1:]} & labels
    assert not {c for r in rows for c in r} & names


PEOPLE = ("id,name,email,department,manager_id\n"
          "ann.lee@client.com,Ann Lee,ann.lee@client.com,Sales,\n"
          "bo.chen@client.com,Bo Chen,bo.chen@client.com,Sales,ann.lee@client.com\n"
          "cy.diaz@client.com,Cy Diaz,cy.diaz@client.com,Ops,ann.lee@client.com\n")
TIES = ("source,target,weight\nann.lee@client.com,bo.chen@client.com,2\n"
        "bo.chen@client.com,cy.diaz@client.com,1\n")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_into_a_converted_project_are_pseudonymised_on_the_way_in(
        project, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    importing.apply_import(project, importing.read_people_file(
        project, _write(tmp_path / "people.csv", PEOPLE)))
    importing.apply_import(project, importing.read_ties_file(
        project, _write(tmp_path / "ties.csv", TIES), name="advice"))
    done = convert_to_pseudonyms(project)
    before = {p.id: p for p in project.people.list()}
    assert done.people == 3 and all(PSEUDONYM.fullmatch(i) for i in before)

    # a re-import of the client's file (original ids) with one new person and one change
    again = PEOPLE.replace("Cy Diaz,cy.diaz@client.com,Ops", "Cy Diaz,cy.diaz@client.com,Sales")
    again += "di.eze@client.com,Di Eze,di.eze@client.com,Ops,cy.diaz@client.com\n"
    plan = importing.read_people_file(project, _write(tmp_path / "people2.csv", again))
    assert (len(plan.diff.added), len(plan.diff.changed), len(plan.diff.removed)) == (1, 1, 0)
    new = plan.diff.added[0]
    assert PSEUDONYM.fullmatch(new.id) and new.name == new.id and "client.com" not in new.email
    changed = plan.diff.changed[0].after
    assert changed.id in before and changed.department == "Sales"
    assert new.manager_id == changed.id
    importing.apply_import(project, plan)

    # ties with the original ids, as an edge list and as a matrix, line up with the roster
    ties = TIES + "di.eze@client.com,ann.lee@client.com,3\n"
    importing.apply_import(project, importing.read_ties_file(
        project, _write(tmp_path / "ties2.csv", ties), name="advice 2"))
    ids = {p.id for p in project.people.list()}
    matrix = (",ann.lee@client.com,di.eze@client.com\nbo.chen@client.com,1,\n"
              "di.eze@client.com,2,\n")
    importing.apply_import(project, importing.read_ties_file(
        project, _write(tmp_path / "matrix.csv", matrix), name="matrix"))
    for name, expected in (("advice 2", 3), ("matrix", 2)):
        stored = project.networks.ties(project.networks.find(name).id)
        assert len(stored) == expected and all({t.source, t.target} <= ids for t in stored)

    raw = project.path.read_bytes().decode("utf-8", "replace")
    assert leaks(raw, {"Ann Lee", "Bo Chen", "Cy Diaz", "Di Eze"}, {"client.com"}) == set()
    table = json.loads(identities_path(load_privacy(project).key).read_text(encoding="utf-8"))
    assert table[new.id] == {"id": "di.eze@client.com", "name": "Di Eze",
                             "email": "di.eze@client.com"}


def test_a_network_file_into_an_empty_converted_project_brings_pseudonyms(
        project, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    convert_to_pseudonyms(project)
    G = nx.DiGraph()
    G.add_node("ann@client.com", name="Ann Lee", department="Sales")
    G.add_node("bo@client.com", name="Bo Chen", department="Ops")
    G.add_edge("ann@client.com", "bo@client.com", weight=2.0)
    nx.write_graphml(G, tmp_path / "net.graphml")
    importing.apply_import(project, importing.read_ties_file(project, tmp_path / "net.graphml"))
    people = project.people.list()
    assert len(people) == 2 and all(PSEUDONYM.fullmatch(p.id) and p.name == p.id
                                    for p in people)
    ties = project.networks.ties(project.networks.list()[0].id)
    assert {(t.source, t.target) for t in ties} <= {(a.id, b.id) for a in people for b in people}
    raw = project.path.read_bytes().decode("utf-8", "replace")
    assert leaks(raw, {"Ann Lee", "Bo Chen"}, {"@client.com"}) == set()
