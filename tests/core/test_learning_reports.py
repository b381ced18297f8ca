"""The customer-learning lab in the deliverables, the plan and the step gate: the Customer
learning sheet and the Evidence sheet's customer column read back with openpyxl, the report and
the deck, gaps from the log in a plan proposal, and the gate's insight figures."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from docx import Document
from learning_fixture import DAY
from pptx import Presentation

from workbench.core.learning.gaps import learning_gaps
from workbench.core.plan.apply import accept_proposal, propose_for_project
from workbench.core.plan.gates import gate_snapshot
from workbench.core.project import Project
from workbench.core.report.assemble import export_workbook
from workbench.core.report.docx_report import write_report_docx
from workbench.core.report.learning_sheet import LEARNING_SHEET
from workbench.core.report.pptx_deck import write_deck_pptx
from workbench.core.report.summary import executive_summary


@pytest.fixture(scope="module")
def exported(lab_file, tmp_path_factory):
    """The report data of the lab and its workbook, read back."""
    path = tmp_path_factory.mktemp("book") / "plan.xlsx"
    with Project.open(lab_file) as project:
        data, _notices = export_workbook(project, path)
    return data, openpyxl.load_workbook(path)


@pytest.fixture
def workbook(exported):
    return exported[1]


def _rows(sheet):
    return [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]


def _below(rows, first_cell):
    """The rows after the one starting with ``first_cell``, up to the next blank row."""
    start = next(i for i, r in enumerate(rows) if r[0] == first_cell) + 1
    end = next((i for i in range(start, len(rows)) if rows[i][0] is None), len(rows))
    return rows[start:end]


def test_the_customer_learning_sheet_reads_findings_first_then_the_figures(workbook):
    sheet = workbook[LEARNING_SHEET]
    rows = _rows(sheet)
    firsts = [r[0] for r in rows]
    assert firsts[0] == "Customer learning: Harbour Test Ltd"
    order = ["Findings", "Insight-to-action log", "Relationship experiments by stage",
             "Customer evidence beside the leaders' ratings", "Journey canvas: Households"]
    assert [firsts.index(s) for s in order] == sorted(firsts.index(s) for s in order)
    findings = _below(rows, "Finding")
    assert findings[0][0] == "Slow from insight to action"
    assert findings[0][1].startswith("Insights wait a median of 15 days")
    # by source, hand-counted: received, acted, share acted, median days
    sources = [r[:5] for r in _below(rows, "Source")]
    assert sources == [("complaint", 3, 3, 1, 30), ("survey", 2, 2, 1, 5),
                       ("frontline conversation", 2, 1, 0.5, 20), ("data", 2, 2, 1, 21),
                       ("partner", 3, 0, 0, None)]
    departments = [r[:7] for r in _below(rows, "Receiving department")]
    assert departments == [("Service", 9, 0, 5, 4, 0, 30), ("Sales", 3, 3, 0, 0, 3, 4),
                           ("Billing", 0, 0, 0, 0, 8, None)]
    stages = [r[:2] for r in _below(rows, "Stage")]
    assert [s for s, _ in stages] == ["search"] * 3 + ["scale"]
    assert stages[-1][1] == "E-04 Partner with housing associations on prepaid meters"
    [evidence] = _below(rows, "Segment")
    assert evidence[0] == "Households"
    assert evidence[1] == "complaints unresolved after 30 days: 41 % (target 15 %, 2026-Q1)"
    assert evidence[6] == "insufficient data"  # nobody has rated the related items
    journey = _below(rows, "Stage")  # the first table headed "Stage" is the experiments'
    journey = _below(rows[rows.index(journey[-1]) + 1:], "Stage")
    assert [r[0] for r in journey] == ["1. Sign-up", "2. Payment set-up"]
    assert journey[0][7] == "Sales to Service: holds."
    # 6 ties: none joins Service and Billing, 4 touch one of them; random mixing: 2 x 5/12 x
    # 2/12 x 6 ties = 0.83
    assert "0 of their 4 ties join the two departments (random mixing: about 1): barely " \
           "tied." in journey[1][7]
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"


def test_the_summary_ends_on_the_lab_s_first_finding(exported):
    data, book = exported
    said = executive_summary(data)
    assert said.learning == ("Insights wait a median of 15 days before anyone acts on them.",)
    assert said.sentences()[-1] == said.learning[0]
    assert any(said.learning[0] in str(cell) for row in _rows(book["Summary"]) for cell in row)


def test_customer_evidence_is_the_third_column_of_say_vs_show(workbook):
    rows = _rows(workbook["Evidence"])
    assert rows[0][4:8] == ("Network shows", "Show (0-4)", "Customers show", "Verdict")
    by_step = {r[0]: r for r in rows[1:]}
    # complaints unresolved tests the step-1 cell of collaborative work processes
    assert by_step[1][6] == ("Complaints unresolved after 30 days: Households 41 % (target "
                             "15 %): insufficient data.")
    assert by_step[2][6] == "No customer measure tests this step."


def test_the_report_and_the_deck_carry_the_lab(exported, tmp_path):
    data = exported[0]
    docx_path, pptx_path = tmp_path / "report.docx", tmp_path / "deck.pptx"
    write_report_docx(data, docx_path)
    write_deck_pptx(data, pptx_path)
    paragraphs = [(p.style.name, p.text) for p in Document(str(docx_path)).paragraphs]
    chapter = paragraphs.index(("Heading 1", "Customer learning"))
    section = " ".join(text for _style, text in paragraphs[chapter:chapter + 30])
    assert "Insights wait a median of 15 days before anyone acts on them." in section
    assert "Customers told: 3 of 7 acted insights" in section
    titles = [s.shapes.title.text for s in Presentation(str(pptx_path)).slides]
    assert "Insights wait a median of 15 days before anyone acts on them." in titles


def test_gaps_from_the_log_reach_the_plan(lab):
    levels = {g.source: round(g.mean, 3) for g in learning_gaps(lab)}
    assert levels == {
        "insight_log:days_to_action": 2.0,        # median 15 days: within a month
        "insight_log:every_source_acted": 0.0,    # partner: 0 of 3
        "insight_log:loop_closed": 1.714,         # 4 x 3/7
        "insight_log:receivers_can_act": 0.0,     # Service acts on none of its 9
        "insight_log:direct_route": 1.333,        # 4 x 4/12 without a gatekeeper
    }
    proposal = propose_for_project(lab, fresh=True)
    served = {a.library_id: a.source for a in proposal.actions}
    assert served["I-SRC-1"] == "insight_log:every_source_acted"
    assert served["I-LOOP-1"] == "insight_log:loop_closed"
    assert served["I-TIM-1"] == "insight_log:days_to_action"


def test_a_fresh_plan_for_the_demo_answers_its_log(demo):
    proposal = propose_for_project(demo, fresh=True)
    assert "insight_log:every_source_acted" in {g.source for g in proposal.gaps}
    assert any(a.source == "insight_log:every_source_acted" and a.library_id == "I-SRC-1"
               for a in proposal.actions)


def test_the_gate_shows_insight_figures_before_and_after_the_window(lab):
    whole = gate_snapshot(lab, 1)["insights"]  # no plan yet: the whole log is "after"
    assert whole["before"] is None
    assert whole["after"] == {"insights": 12, "window_start": None, "median_days": 15.0,
                              "share_acted": 0.667, "share_loop_closed": 0.429}
    start = DAY + dt.timedelta(days=7)  # insights 1-6 arrive before it, 7-12 from it on
    lab.engagement.update(start_date=start, end_date=start + dt.timedelta(days=300))
    accept_proposal(lab, propose_for_project(lab))
    split = gate_snapshot(lab, 1)["insights"]
    assert split["before"] == {"insights": 6, "window_start": start.isoformat(),
                               "median_days": 15.0, "share_acted": 1.0,
                               "share_loop_closed": 0.4}
    assert split["after"] == {"insights": 6, "window_start": start.isoformat(),
                              "median_days": 21.0, "share_acted": 0.333,
                              "share_loop_closed": 0.5}
