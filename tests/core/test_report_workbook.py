"""The plan workbook: sheets, values, formats, charts, formula safety, privacy, atomic write.

``make_report_data`` is also used by the other report tests.
"""

from __future__ import annotations

import datetime as dt
import zipfile

import networkx as nx
import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.method.gaps import Gap
from workbench.core.plan.builder import propose_plan
from workbench.core.plan.evidence import Crossing, LeaderRating, NetworkFigures, say_vs_show
from workbench.core.plan.gates import STATUSES
from workbench.core.plan.library import item_label, load_library
from workbench.core.questionnaire.schema import FOUNDATIONS, STEPS
from workbench.core.report.data import (
    EngagementSummary,
    GroupTies,
    PersonMetrics,
    QuestionStat,
    ReportData,
    RosterEntry,
    step_means,
    suppress_groups,
)
from workbench.core.report.workbook_writer import (
    MARKER_SHEET,
    PLAN_COLUMNS,
    SHEETS,
    WRITTEN_ANSWERS,
    write_plan_workbook,
)
from workbench.core.tasks import Cancelled, Progress

START = dt.date(2025, 2, 3)
INJECTIONS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)"]


def make_report_data(people: int = 24, pseudonymised: bool = False,
                     sizes: dict[str, int] | None = None) -> ReportData:
    """A small engagement built from a networkx graph (metrics computed by networkx)."""
    graph = nx.connected_watts_strogatz_graph(people, 4, 0.3, seed=7)
    departments = ["Sales", "Service", "Product", "Finance"]
    dept_of = {n: departments[n % len(departments)] for n in graph}
    degree = nx.degree_centrality(graph)
    between = nx.betweenness_centrality(graph)
    network = [PersonMetrics(f"E{n:03d}", f"P-{n:03d}" if pseudonymised else f"Person {n}",
                             dept_of[n], "bridge" if between[n] > 0.1 else "member",
                             {"degree": degree[n], "betweenness": between[n]})
               for n in graph]
    ties: dict[tuple[str, str], int] = {}
    for a, b in graph.edges:
        for pair in ((dept_of[a], dept_of[b]), (dept_of[b], dept_of[a])):
            ties[pair] = ties.get(pair, 0) + 1
    counted = {d: sum(1 for n in graph if dept_of[n] == d) for d in departments}
    ei = {}
    for d in departments:
        internal = ties.get((d, d), 0)
        external = sum(v for (a, b), v in ties.items() if a == d and b != d)
        ei[d] = (external - internal) / (external + internal)
    maturity = {(s, k): round((s * 7 + i * 3) % 17 / 4, 2)
                for s in STEPS for i, k in enumerate(FOUNDATIONS)}
    maturity[(5, FOUNDATIONS[0])] = None
    gaps = [Gap("maturity_ladder:s2_roles_responsibilities", "Roles and responsibilities", 2,
                1.2, 1.8, rank=1),
            Gap("org_design:leaders_current", "Leaders", None, 2.0, 1.0, rank=2),
            Gap("maturity_ladder:s2_information_sharing", "Information sharing", 2, 2.1, 0.9,
                rank=3)]
    plan = propose_plan(gaps, load_library(), 2, START, owners={"Executive sponsor": "Person 1"})
    return ReportData(
        engagement=EngagementSummary("8d3c1c7e-0000-4000-8000-000000000001", "Acme Water", 2,
                                     1, "R. Consultant", START),
        maturity=maturity, top_gaps=gaps,
        questionnaire=[QuestionStat(k, f"How well do we handle "
                                    f"{item_label(f'org_design:{k}_current').lower()}?", 6,
                                    2.5, 2.0, 0.8, i % 3 == 0)
                       for i, k in enumerate(["customers_offer", "incentives", "leaders"])],
        metric_names=["degree", "betweenness"], network=network,
        groups=GroupTies(tuple(departments), sizes or counted, ties, ei),
        evidence=say_vs_show({1: LeaderRating(3.2, 5), 2: LeaderRating(1.0, 5)},
                             NetworkFigures(Crossing("customer insight", 100, 30, 0.8), 4,
                                            Crossing("collaboration", 100, 40, 0.8), 1)),
        plan=plan, plan_start=START,
        roster=[RosterEntry(p.id, p.name, p.department, "Analyst", f"{p.id.lower()}@acme.test")
                for p in network],
        pseudonymised=pseudonymised,
    )


def _rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def exported(tmp_path):
    data = make_report_data()
    path = tmp_path / "plan.xlsx"
    assert write_plan_workbook(data, path) == []
    return data, path


def test_every_sheet_is_there_with_frozen_headers_filters_and_print_setup(exported):
    data, path = exported
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [*SHEETS, MARKER_SHEET]
    assert book[MARKER_SHEET].sheet_state == "hidden"
    for name in ("Maturity", "Questionnaire", "Network", "Groups", "Evidence", "Plan", "Roster"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref, name
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet.print_title_rows == "$1:$1", name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
    assert [c.value for c in book["Plan"][1]] == [h for _f, h, _w in PLAN_COLUMNS]


def test_values_match_the_report_data(exported):
    data, path = exported
    book = openpyxl.load_workbook(path)
    maturity = _rows(book["Maturity"])
    means = step_means(data.maturity)
    for step in STEPS:
        row = maturity[step]
        assert row[0] == step
        assert row[2:2 + len(FOUNDATIONS)] == [data.maturity[(step, k)] for k in FOUNDATIONS]
        assert row[2 + len(FOUNDATIONS)] == pytest.approx(means[step])
    network = _rows(book["Network"])[1:]
    assert len(network) == len(data.network)
    for row, person in zip(network, data.network, strict=True):
        # no "Network role" column beside real names unless individual labels are switched on
        assert row[:3] == [person.id, person.name, person.department]
        assert row[3:] == [pytest.approx(person.metrics["degree"]),
                           pytest.approx(person.metrics["betweenness"])]
    plan = _rows(book["Plan"])[1:]
    fields = [f for f, _h, _w in PLAN_COLUMNS]
    for row, action in zip(plan, data.plan, strict=True):
        cells = dict(zip(fields, row, strict=True))
        assert cells["action_id"] == action.uid
        assert cells["start"].date() == action.start and cells["due"].date() == action.due
        assert cells["status"] == action.status
        assert cells["owner"] == (action.owner or ("(open)" if action.owner_role else ""))
    assert book["Plan"].cell(2, fields.index("start") + 1).number_format == "yyyy-mm-dd"
    evidence = _rows(book["Evidence"])[1:]
    assert [r[7] for r in evidence] == [e.verdict for e in data.evidence]
    assert [r[9] for r in evidence] == [e.method for e in data.evidence]  # how each is read
    row3, step3 = next((r, e) for r, e in zip(evidence, data.evidence, strict=True)
                       if e.step == 3)
    assert step3.appointed and step3.able  # step 3 states appointment and capacity apart
    assert step3.appointed in row3[4] and step3.able in row3[4]
    questions = _rows(book["Questionnaire"])[1:]
    assert [r[6] for r in questions[:len(data.questionnaire)]] == [
        "yes" if q.disagreement else "no" for q in data.questionnaire]
    below = [r[0] for r in questions[len(data.questionnaire):] if r[0]]
    assert below == [WRITTEN_ANSWERS, "No leader has written an answer in the latest round of "
                     "any questionnaire, so there is no text to show."]


def test_status_drop_down_and_colour_scale(exported):
    _data, path = exported
    book = openpyxl.load_workbook(path)
    status_col = openpyxl.utils.get_column_letter(
        [f for f, _h, _w in PLAN_COLUMNS].index("status") + 1)
    lists = [dv for dv in book["Plan"].data_validations.dataValidation if dv.type == "list"]
    (status,) = lists
    assert str(status.sqref).startswith(f"{status_col}2:")
    assert status.formula1 == '"' + ",".join(STATUSES) + '"'
    rules = book["Maturity"].conditional_formatting
    assert any(r.type == "colorScale" for cf in rules for r in cf.rules)


def test_native_charts_are_in_the_file(exported):
    _data, path = exported
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(archive.read(n).decode() for n in charts)
    assert len(charts) == 2
    assert "<c:radarChart>" in xml and "<c:barChart>" in xml
    assert "Maturity!$C$1:$I$1" in xml  # radar categories are the seven foundations


def test_formula_like_text_is_written_as_text(tmp_path):
    base = make_report_data(people=8)
    roster = [RosterEntry(f"X{i}", text, text, text, text) for i, text in enumerate(INJECTIONS)]
    plan = [a.__class__(**{**a.__dict__, "title": INJECTIONS[i % 4], "notes": INJECTIONS[i % 4]})
            for i, a in enumerate(base.plan)]
    data = ReportData(**{**base.__dict__, "roster": roster, "plan": plan})
    path = tmp_path / "inject.xlsx"
    write_plan_workbook(data, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Roster"]
    for row, text in enumerate(INJECTIONS, start=2):
        cell = sheet.cell(row, 2)
        assert cell.value == text and cell.data_type == "s"
    titles = [c for c in book["Plan"]["B"][1:]]
    assert [c.value for c in titles] == [INJECTIONS[i % 4] for i in range(len(plan))]
    assert all(c.data_type == "s" for c in titles)
    with zipfile.ZipFile(path) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist()
                       if n.startswith("xl/worksheets/"))


def test_long_text_is_marked_and_reported(tmp_path):
    base = make_report_data(people=8)
    long_notes = "x" * 40_000
    plan = [base.plan[0].__class__(**{**base.plan[0].__dict__, "notes": long_notes})]
    data = ReportData(**{**base.__dict__, "plan": plan})
    notices = write_plan_workbook(data, tmp_path / "long.xlsx")
    assert len(notices) == 1 and "Plan row 2" in notices[0]
    value = openpyxl.load_workbook(tmp_path / "long.xlsx")["Plan"]["Q2"].value  # Notes
    assert len(value) <= 32_767 and "more characters not shown" in value


def test_small_groups_are_suppressed_with_complementary_cells(tmp_path):
    sizes = {"Sales": 9, "Service": 7, "Product": 2, "Finance": 6}
    data = make_report_data(sizes=sizes)
    path = tmp_path / "groups.xlsx"
    write_plan_workbook(data, path)
    rows = _rows(openpyxl.load_workbook(path)["Groups"])
    names = list(data.groups.departments)
    n = len(names)
    table = [row[1:n + 2] for row in rows[1:n + 2]]
    small = names.index("Product")
    marker = "hidden (< 5 people)"
    assert all(v == marker for v in table[small])  # its whole row, total included
    assert all(table[r][small] == marker for r in range(n + 1))  # and its whole column
    assert rows[1 + small][n + 2] == marker and rows[1 + small][n + 3] == "hidden"  # size, E-I
    # Product (2) alone could be derived from the grand total, so Finance (6) is pooled with it
    finance = names.index("Finance")
    assert table[finance][n] == "hidden" and rows[1 + finance][n + 2] == "hidden"
    assert any(str(r[0]).startswith("Privacy:") for r in rows[n + 2:])
    for line in [*table, *zip(*table, strict=True)]:
        assert sum(isinstance(v, str) for v in line) != 1  # nothing recoverable by subtraction
    shown = suppress_groups(data.groups, 5)
    for r in range(n + 1):
        for c in range(n + 1):
            if shown.hidden[r][c] is None:
                assert table[r][c] == shown.values[r][c]


def test_min_group_size_never_below_three():
    data = make_report_data(sizes={"Sales": 9, "Service": 7, "Product": 2, "Finance": 6})
    table = suppress_groups(data.groups, 1)
    assert table.min_size == 3
    assert table.hidden[2][0] is not None  # Product (2 respondents) is still hidden


def test_pseudonymised_export_leaves_out_ids_and_emails(tmp_path):
    data = make_report_data(pseudonymised=True)
    path = tmp_path / "pseudo.xlsx"
    write_plan_workbook(data, path)
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["Roster"][1]] == ["Pseudonym", "Department", "Role"]
    assert book["Network"]["A1"].value == "Pseudonym"
    text = "".join(str(v) for s in ("Network", "Roster") for r in _rows(book[s]) for v in r)
    assert "E000" not in text and "@acme.test" not in text and "Person " not in text


def test_failed_export_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(make_report_data(), path)
    before = path.read_bytes()
    seen = []

    def cancel_midway(fraction, message):
        seen.append(message)
        if len(seen) == 4:
            progress.cancel()

    progress = Progress(cancel_midway)
    with pytest.raises(Cancelled):
        write_plan_workbook(make_report_data(people=30), path, progress=progress)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_export_onto_the_open_project_is_refused(tmp_path):
    project = tmp_path / "client.owb"
    project.write_bytes(b"project")
    with pytest.raises(WorkbenchError, match="open project"):
        write_plan_workbook(make_report_data(), project, protected=project)
    assert project.read_bytes() == b"project"


def test_large_sheets_stream_with_the_same_content(tmp_path, monkeypatch):
    import workbench.core.report.workbook_writer as writer

    data = make_report_data(people=40)
    write_plan_workbook(data, tmp_path / "normal.xlsx")
    monkeypatch.setattr(writer, "LARGE_SHEET_ROWS", 10)
    write_plan_workbook(data, tmp_path / "streamed.xlsx")
    normal = openpyxl.load_workbook(tmp_path / "normal.xlsx")
    streamed = openpyxl.load_workbook(tmp_path / "streamed.xlsx")
    for name in SHEETS:
        assert _rows(normal[name]) == _rows(streamed[name]), name
    with zipfile.ZipFile(tmp_path / "streamed.xlsx") as archive:
        network = f"xl/worksheets/sheet{SHEETS.index('Network') + 1}.xml"
        assert b'inlineStr' in archive.read(network)  # really streamed
