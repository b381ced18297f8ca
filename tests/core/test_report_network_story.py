"""What the network shows, in the plan workbook: the Summary opens with the headline, the
Network findings sheet gives every finding with its rule, the Glossary sheet defines every
label, people appear as privacy allows, and the reporting lines are formal structure.

Every check reads a real workbook exported from a real project back with openpyxl.
"""

from __future__ import annotations

import dataclasses

from openpyxl import load_workbook
from test_pseudonyms_everywhere import workbook_text
from test_report_method import facts, sheet_rows

from workbench.cli import main
from workbench.core import importing
from workbench.core.analysis import AnalysisParams, analyse_network
from workbench.core.model import NetworkInfo
from workbench.core.network.findings import FORMAL_NOTE, KINDS, Thresholds
from workbench.core.network.glossary import GLOSSARY
from workbench.core.network.glossary import label as glossary_label
from workbench.core.plan.apply import read_plan_edits
from workbench.core.privacy import PrivacySettings, save_privacy, shown_people
from workbench.core.report.assemble import export_workbook, story_network
from workbench.core.report.glossary_sheet import GLOSSARY_SHEET
from workbench.core.report.method_sheet import METHOD_SHEET
from workbench.core.report.network_sheet import FINDINGS_SHEET, HEADLINE_TITLE
from workbench.core.report.network_story import HIDDEN_SILO, network_story
from workbench.core.report.workbook_writer import IN_BRIEF

FIGURES_SECTION = "The network in figures"


def headline_block(rows: list[list]) -> tuple[str, list[tuple[str, str]], list[str]]:
    """The Summary's block: the sentence saying which network, the (label, sentence) pairs
    and the notes under them."""
    start = next(i for i, r in enumerate(rows) if r[0] == HEADLINE_TITLE)
    caption, lines, notes = rows[start + 1][0], [], []
    for row in rows[start + 2:]:
        if not row[0]:
            break
        if row[1]:
            lines.append((row[0], row[1]))
        else:
            notes.append(row[0])
    return caption, lines, notes


def first_filled(rows: list[list]) -> list[str]:
    """Column A of the filled rows, in order."""
    return [r[0] for r in rows if r and r[0] not in (None, "")]


def sections(rows: list[list]) -> dict[str, list[list]]:
    """The Network findings sheet's sections by title (the figures, then one per finding
    kind, titled with its plain name): the filled rows under each."""
    kinds = {glossary_label(kind) for kind in KINDS}
    found: dict[str, list[list]] = {}
    current = None
    for row in rows[2:]:
        title = row[0] if isinstance(row[0], str) else ""
        if all(v in (None, "") for v in row[1:]) and (
                title == FIGURES_SECTION or title.split(": ")[0] in kinds):
            current = found.setdefault(title, [])
        elif current is not None and any(v not in (None, "") for v in row):
            current.append(row)
    return found


def test_the_summary_opens_with_the_outlier_s_risk_as_privacy_shows_people(
        demo, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    broker_id = demo.settings.get("demo.planted")["broker"]
    broker = next(p for p in demo.people.list() if p.id == broker_id)
    names = {p.name for p in demo.people.list()}
    advice = demo.networks.find("advice")

    # default privacy: real names, individual labels left out beside them
    path = tmp_path / "default.xlsx"
    export_workbook(demo, path)
    summary = sheet_rows(path, "Summary")
    client = demo.engagement.get().client
    filled = first_filled(summary)
    assert filled[:2] == [f"Organisation design plan: {client}", IN_BRIEF]
    assert HEADLINE_TITLE in filled  # after the executive summary's sentences
    caption, lines, notes = headline_block(summary)
    assert caption.startswith(f"The advice network of {advice.date:%Y-%m-%d} (297 people, "
                              f"{advice.tie_count:,} ties)")
    assert 1 <= len(lines) <= 5
    kind, first = lines[0]
    assert kind == "Key-person risk"
    assert first.startswith(f"A person in {broker.department} is named by 75 people")
    assert "If this person left" in first and "the next most sought-after person has 9" in first
    assert any(n.startswith("Nobody is named beside a finding") for n in notes)
    findings = sheet_rows(path, FINDINGS_SHEET)
    shown = "\n".join(str(v) for rows in (summary, findings) for r in rows for v in r if v)
    assert not [n for n in names if n in shown]  # no label stands beside a real name
    assert "Who" not in {v for r in findings for v in r}

    # the consultant switches individual labels on: the same sentence names her
    save_privacy(demo, PrivacySettings(name_individual_labels=True))
    export_workbook(demo, path)
    _caption, lines, notes = headline_block(sheet_rows(path, "Summary"))
    assert lines[0][1].startswith(f"{broker.name} is named by 75 people")
    assert f"If {broker.name} left" in lines[0][1] and not notes
    risk = sections(sheet_rows(path, FINDINGS_SHEET))["Key-person risk: 1 person"]
    header = next(r for r in risk if r[0] == "#")
    entry = dict(zip(header, risk[risk.index(header) + 1], strict=True))
    assert (entry["#"], entry["Who"], entry["Department"]) == (1, broker.name, "Operations")

    # pseudonyms: the pseudonym in her place, and no real name anywhere in the workbook
    save_privacy(demo, PrivacySettings(pseudonymise=True))
    export_workbook(demo, path)
    alias = shown_people(demo).label(broker_id)
    _caption, lines, _notes = headline_block(sheet_rows(path, "Summary"))
    assert lines[0][1].startswith(f"{alias} is named by 75 people")
    text = workbook_text(path)
    assert alias in text and not [n for n in names if n in text]


def test_findings_sheet_gives_each_kind_its_rule_and_entries_and_prints_legibly(demo, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_workbook(demo, path)
    rows = sheet_rows(path, FINDINGS_SHEET)
    assert rows[0][0].startswith(f"{HEADLINE_TITLE}: the advice network of 2026-09-21")
    found = sections(rows)
    figures = facts(found.pop(FIGURES_SECTION))
    assert figures[glossary_label("density")] == "1 in 69 possible ties exist"
    assert figures[glossary_label("ei_index")].startswith("16% of ties link two departments; "
                                                          "random mixing would give")
    result = analyse_network(demo, "advice", AnalysisParams(
        thresholds=Thresholds(min_group_size=demo.engagement.get().min_group_size)))
    expected = result.findings.findings
    assert [title.split(": ")[0] for title in found] == [glossary_label(f.kind)
                                                         for f in expected]
    for (title, body), finding in zip(found.items(), expected, strict=True):
        shown = facts(body)
        assert shown["Rule"] == finding.rule, title
        assert shown["What it means"] == GLOSSARY[finding.kind].definition
        entries = [r for r in body[body.index(next(r for r in body if r[0] == "#")) + 1:]]
        assert [r[0] for r in entries] == list(range(1, len(finding.entries) + 1)), title
        assert any(ch.isdigit() for r in entries for ch in r[1]), title
    silo = found["Possible silo: Finance"]
    assert silo[-1][1].startswith("Finance (24 people): 4 of its 86 ties") and \
        silo[-1][2] == "Finance"

    book = load_workbook(path)
    sheet = book[FINDINGS_SHEET]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    long_texts = [c for row in sheet.iter_rows(min_row=3) for c in row
                  if isinstance(c.value, str) and len(c.value) > 60]
    assert long_texts and all(c.alignment.wrap_text for c in long_texts)
    book.close()


def test_one_glossary_holds_every_label_of_the_story_and_the_method(demo, tmp_path):
    save_privacy(demo, PrivacySettings(name_individual_labels=True))
    path = tmp_path / "plan.xlsx"
    export_workbook(demo, path)
    glossary = sheet_rows(path, GLOSSARY_SHEET)
    assert glossary[0] == ["Term", "Meaning", "Part"]
    terms = [r[0] for r in glossary[1:]]
    assert len(terms) == len(set(terms)) and terms == sorted(terms, key=str.casefold)
    assert all(r[1] for r in glossary[1:])
    found = sections(sheet_rows(path, FINDINGS_SHEET))
    used = {title.split(": ")[0] for title in found if title != FIGURES_SECTION}
    used |= set(facts(found[FIGURES_SECTION]))
    used |= {kind for kind, _text in headline_block(sheet_rows(path, "Summary"))[1]}
    network_header = sheet_rows(path, "Network")[0]
    used |= set(network_header[network_header.index("Department") + 2:])  # the measures
    assert len(used) > 15 and used <= set(terms), used - set(terms)
    for term in ("Step", "Stage", "Bar", "Gap", "Gate"):  # the method's, moved from Method
        assert term in terms
    method = facts(sheet_rows(path, METHOD_SHEET))
    assert GLOSSARY_SHEET in method["Terms"] and "Step" not in method


def test_reporting_lines_are_formal_structure_with_no_informal_finding(
        project, project_path, tmp_path, capsys):
    lines = [f"m{i},Manager {i},{dept},ceo" for i, dept in enumerate(("Sales", "Ops", "Tech"))]
    lines += [f"p{i},Person {i},{('Sales', 'Ops', 'Tech')[i % 3]},m{i % 3}" for i in range(24)]
    roster = tmp_path / "people.csv"
    roster.write_text("id,name,department,manager_id\nceo,Chief,Board,\n" + "\n".join(lines),
                      encoding="utf-8")
    plan = importing.read_people_file(project, roster)
    plan.networks.append(importing.formal_network(importing.roster_after(project, plan)))
    importing.apply_import(project, plan)
    assert [n.name for n in project.networks.list()] == [importing.FORMAL_NETWORK]
    save_privacy(project, PrivacySettings(name_individual_labels=True))
    path = tmp_path / "plan.xlsx"
    export_workbook(project, path)

    caption, lines_shown, _notes = headline_block(sheet_rows(path, "Summary"))
    assert caption.startswith("The reporting lines") and "the formal structure" in caption
    assert FORMAL_NOTE in caption and lines_shown == []
    found = sections(sheet_rows(path, FINDINGS_SHEET))
    assert list(found) == [FIGURES_SECTION]  # figures, no finding
    assert any(r[0] == FORMAL_NOTE for r in found[FIGURES_SECTION])
    network = sheet_rows(path, "Network")
    role = network[0].index("Network role")
    assert {r[role] for r in network[1:]} <= {None, ""}

    project.close()  # the command line opens the file itself
    out = tmp_path / "metrics.csv"
    assert main(["analyse", str(project_path), "--out", str(out)]) == 0
    assert FORMAL_NOTE in capsys.readouterr().out


def test_the_story_reads_the_network_the_network_page_opens_on():
    def info(id_: int, kind: str, day: int) -> NetworkInfo:
        import datetime as dt

        return NetworkInfo(id_, f"{kind} {day}", kind, dt.date(2026, 1, day), 10)

    reporting, trust = info(1, "reporting", 9), info(2, "trust", 1)
    collaboration, advice, later = info(3, "collaboration", 5), info(4, "advice", 1), \
        info(5, "advice", 2)
    assert story_network([reporting, trust, collaboration, advice, later]) == later
    assert story_network([reporting, trust, collaboration]) == collaboration
    assert story_network([reporting, trust]) == trust  # informal before the formal
    assert story_network([reporting]) == reporting
    assert story_network([dataclasses.replace(advice, tie_count=0)]) is None


def test_a_silo_the_groups_sheet_hides_is_not_described(demo):
    analysis = analyse_network(demo, "advice")
    shown = shown_people(demo)
    departments = {p.id: p.department for p in demo.people.list()}
    told = network_story(analysis, shown, departments)
    assert any(line.kind == "silo" for line in told.headline)
    hidden = network_story(analysis, shown, departments, withheld=frozenset({"Finance"}))
    assert not any(line.kind == "silo" for line in hidden.headline)
    (silo,) = [f for f in hidden.findings if f.kind == "silo"]
    assert [e.text for e in silo.entries] == [HIDDEN_SILO.format("Finance")]
    assert "86 ties" not in " ".join(e.text for f in hidden.findings for e in f.entries)


def test_method_and_story_sheets_are_read_only_for_the_plan_re_import(demo, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_workbook(demo, path)
    untouched = read_plan_edits(demo, path)
    assert untouched.changes == [] and untouched.notices == []
    book = load_workbook(path)
    book[FINDINGS_SHEET]["B6"] = "edited by the client"
    book[GLOSSARY_SHEET]["B2"] = "edited too"
    book[METHOD_SHEET]["B5"] = "edited by the client"
    book.save(path)
    edited = read_plan_edits(demo, path)
    assert edited.changes == []
    assert {n for n in edited.notices if "was edited" in n} == {
        f"Sheet '{name}' was edited; only the Plan sheet is imported, so those edits are "
        "ignored." for name in (FINDINGS_SHEET, GLOSSARY_SHEET, METHOD_SHEET)}
