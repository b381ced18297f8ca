"""The workbook as a finished document: one executive summary worded once (Summary sheet and
PDF alike), the leaders' written answers on the Questionnaire sheet as privacy shows people,
accepted actions numbered in the plan's own sequence, and every sheet legible in print.

Every check reads a real workbook or PDF exported from the demo engagement back.
"""

from __future__ import annotations

import re

import openpyxl
from openpyxl.utils import column_index_from_string
from test_pseudonyms_everywhere import workbook_text
from test_report_method import drawn_in, pdf_lines, sheet_rows

from workbench.core.method.rounds import latest_round
from workbench.core.plan.apply import (
    accept_proposal,
    current_plan,
    propose_for_project,
    read_plan_edits,
)
from workbench.core.plan.gates import STATUSES
from workbench.core.plan.project_library import project_library
from workbench.core.privacy import PrivacySettings, save_privacy, shown_people
from workbench.core.report.assemble import (
    build_report_data,
    export_summary_pdf,
    export_workbook,
)
from workbench.core.report.plan_reader import ActionChange
from workbench.core.report.summary import executive_summary
from workbench.core.report.summary_pdf import summary_lines
from workbench.core.report.workbook_writer import (
    FONT_POINTS,
    IN_BRIEF,
    MIN_PRINT_POINTS,
    PLAN_COLUMNS,
    SHEETS,
    WRITTEN_ANSWERS,
    fit_scale,
)

SEQUENCE_ID = re.compile(r"A-\d{4}")
TOP_GAP = "insight_to_action:insight_timing"  # the demo's largest gap


def in_brief(rows: list[list]) -> list[str]:
    """The Summary's sentences under "In brief", up to the blank row before the next
    section."""
    start = next(i for i, r in enumerate(rows) if r[0] == IN_BRIEF) + 1
    end = next(i for i in range(start, len(rows)) if rows[i][0] in (None, ""))
    return [r[0] for r in rows[start:end]]


def written(rows: list[list]) -> dict[str, list[list]]:
    """The Questionnaire sheet's written answers by questionnaire title: [item, answer,
    respondent] rows."""
    start = next(i for i, r in enumerate(rows) if r[0] == WRITTEN_ANSWERS)
    found: dict[str, list[list]] = {}
    current: list[list] = []
    for row in rows[start + 1:]:
        if row[0] and row[1] is None:
            current = found.setdefault(row[0], [])
        elif row[1] not in (None, "Written answer"):
            current.append(row[:3])
    return found


def column_pixels_of(sheet) -> list[int]:
    """The widths of a sheet's columns as stored (with Excel's padding: 7 pixels a
    character), one per column up to the last one given a width."""
    pixels: dict[int, int] = {}
    for d in sheet.column_dimensions.values():
        if d.customWidth and d.width:
            pixels.update({c: round(d.width * 7) for c in range(d.min, d.max + 1)})
    return [pixels.get(c, 64) for c in range(1, max(pixels, default=0) + 1)]


def test_summary_sentences_are_the_same_on_the_sheet_and_in_the_pdf(demo, tmp_path):
    data, _notices = export_workbook(demo, tmp_path / "plan.xlsx")
    pdf_data = export_summary_pdf(demo, tmp_path / "summary.pdf")
    said = executive_summary(data)
    assert in_brief(sheet_rows(tmp_path / "plan.xlsx", "Summary")) == said.sentences()
    assert executive_summary(pdf_data).sentences() == said.sentences()
    assert summary_lines(pdf_data)[1:3] == [said.stage, said.target]
    drawn = pdf_lines(tmp_path / "summary.pdf")
    assert drawn_in(said.stage, drawn) and drawn_in(said.target, drawn)

    assert said.stage == ("The leaders' ratings place the organisation at step 1 (Internal "
                          "social networks).")
    assert said.target == ("The engagement aims at step 2 (Cross-functional teams); 5 of 7 "
                           "leaders chose it.")
    # the network's headline and the steps where leaders and the network disagree
    assert said.network == tuple(line.text for line in data.story.headline[:3])
    assert said.differences and all("higher" in d or "more" in d for d in said.differences)
    assert len(said.gaps) == 3 and said.gaps[0].label == data.top_gaps[0].label


def test_a_top_gap_names_its_actions_or_the_library_action_that_would_close_it(demo, tmp_path):
    library = project_library(demo)
    remedy = library.serving(TOP_GAP)[0]
    before = executive_summary(build_report_data(demo))
    assert not before.gaps[0].actions  # the demo's plan has no action for it yet
    assert (f"which no plan action serves yet (the library's {remedy.id} '{remedy.title}' "
            "would)") in before.gaps_sentence

    proposal = propose_for_project(demo)
    serving = [a for a in proposal.actions if a.source == TOP_GAP]
    assert serving
    accept_proposal(demo, proposal, serving)
    data, _notices = export_workbook(demo, tmp_path / "plan.xlsx")
    after = executive_summary(data)
    stored = {a.library_id: a for a in data.plan}
    lines = after.gaps[0].actions
    assert lines and all(SEQUENCE_ID.match(line) for line in lines)
    first = stored[serving[0].library_id]
    owner = first.owner or f"{first.owner_role}, owner open"
    assert lines[0] == f"{first.uid} {first.title} ({owner}, due {first.due:%Y-%m-%d})"
    assert lines[0] in after.gaps_sentence
    assert after.gaps_sentence in in_brief(sheet_rows(tmp_path / "plan.xlsx", "Summary"))


def test_accepted_actions_continue_the_plan_s_sequence_and_keep_their_dependencies(demo):
    stored = demo.plans.actions(current_plan(demo).id)
    highest = max(int(a.uid[2:]) for a in stored)
    proposal = propose_for_project(demo)
    assert [a.uid for a in proposal.actions] == [
        f"A-{n:04d}" for n in range(highest + 1, highest + 1 + len(proposal.actions))]
    # leave out an action others depend on: the rest are numbered without a hole
    needed = {d for a in proposal.actions for d in a.depends_on}
    left_out = next(a for a in proposal.actions if a.uid in needed)
    chosen = [a for a in proposal.actions if a is not left_out]
    accept_proposal(demo, proposal, chosen)
    added = demo.plans.actions(current_plan(demo).id)[len(stored):]
    assert [a.uid for a in added] == [f"A-{n:04d}" for n in range(highest + 1,
                                                                    highest + 1 + len(chosen))]
    assert [a.library_id for a in added] == [a.library_id for a in chosen]
    library = project_library(demo)
    by_uid = {a.uid: a for a in demo.plans.actions(current_plan(demo).id)}
    in_plan = {a.library_id for a in by_uid.values()}
    for action in added:  # each dependency points at the right library action
        wanted = set(library.by_id(action.library_id).depends_on)
        pointed = {by_uid[d.strip()].library_id for d in action.depends_on.split(",")
                   if d.strip()}
        assert pointed == wanted & in_plan, action.uid
        if left_out.library_id in wanted:
            assert f"{left_out.library_id} '{left_out.title}'" in action.notes
    assert any(a.depends_on for a in added)
    # nothing already in the plan is proposed again, and the next proposal continues after
    again = propose_for_project(demo)
    assert {a.library_id for a in again.actions}.isdisjoint(a.library_id for a in added)
    assert left_out.library_id in {a.library_id for a in again.actions}
    assert all(int(a.uid[2:]) > int(added[-1].uid[2:]) for a in again.actions)


def test_new_ids_round_trip_through_the_plan_workbook(demo, tmp_path):
    accept_proposal(demo, propose_for_project(demo))
    path = tmp_path / "plan.xlsx"
    data, _notices = export_workbook(demo, path)
    new = data.plan[-1]
    assert SEQUENCE_ID.fullmatch(new.uid)
    book = openpyxl.load_workbook(path)
    sheet = book["Plan"]
    ids = [c.value for c in sheet["A"]]
    row = ids.index(new.uid) + 1
    status = [f for f, _h, _w in PLAN_COLUMNS].index("status") + 1
    sheet.cell(row, status).value = "Done"
    book.save(path)
    edits = read_plan_edits(demo, path)
    assert edits.changes == [ActionChange(new.uid, "status", new.status, "Done")]
    assert not edits.unmatched_rows and not edits.problems


def test_written_answers_appear_by_item_and_importance_rows_name_their_item(demo, tmp_path):
    path = tmp_path / "plan.xlsx"
    data, _notices = export_workbook(demo, path)
    rows = sheet_rows(path, "Questionnaire")
    texts = [q.text for q in data.questionnaire]
    assert len(texts) == len(set(texts))  # the eleven importance rows differ
    importance = [t for t in texts if "how important closing the gap is" in t]
    assert len(importance) == 11
    assert importance[0].startswith("Chosen customers and offer: ")

    design = latest_round(demo, "org_design")
    by_title = written(rows)
    assert list(by_title)[0] == design.template.title
    answers = by_title[design.template.title]
    given = [(code, value.strip()) for code, a in design.answers.items()
             for q, value in a.items() if q.endswith("_notes") and value and value.strip()]
    assert sorted(r[1] for r in answers) == sorted(text for _code, text in given)
    items = [r[0] for r in answers]
    assert items[0] == "Chosen customers and offer" and "What we expect of leaders" in items
    assert len(set(items)) == 11  # each answer under its design question, not "Our answer..."
    leaders = {r.name for r in demo.assessments.respondents(design.id)}
    assert {r[2] for r in answers} == leaders  # privacy off: by name


def test_pseudonymised_summary_and_questionnaire_name_nobody(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    design = latest_round(demo, "org_design")
    stranger = demo.assessments.add_respondent(design.id, "X1", name="Quentin Outsider")
    demo.assessments.set_answers(stranger, {"leaders_notes": "Ask Quentin Outsider first."})
    save_privacy(demo, PrivacySettings(pseudonymise=True))
    path = tmp_path / "plan.xlsx"
    export_workbook(demo, path)
    names = {p.name for p in demo.people.list()} | {
        r.name for r in demo.assessments.respondents(design.id)}
    for sheet in ("Summary", "Questionnaire"):
        text = "\n".join(str(v) for r in sheet_rows(path, sheet) for v in r if v is not None)
        assert not [n for n in names if n in text], sheet
    shown = shown_people(demo)
    by_name = {p.name: p.id for p in demo.people.list()}
    respondents = {r[2] for rows in written(sheet_rows(path, "Questionnaire")).values()
                   for r in rows}
    leaders = [r for r in demo.assessments.respondents(design.id) if r.code != "X1"]
    assert {shown.label(by_name[r.name]) for r in leaders} <= respondents
    assert "Leader 8" in respondents  # not on the roster: numbered, never named
    assert "Quentin" not in workbook_text(path)


def test_every_sheet_prints_legibly_and_the_plan_columns_hold_their_content(demo, tmp_path):
    accept_proposal(demo, propose_for_project(demo))
    path = tmp_path / "plan.xlsx"
    data, _notices = export_workbook(demo, path)
    book = openpyxl.load_workbook(path)
    for name in SHEETS:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.page_setup.fitToHeight == 0 and sheet.print_title_rows == "$1:$1", name
        pixels = column_pixels_of(sheet)
        repeated = (column_index_from_string(
            sheet.print_title_cols.split(":")[1].strip("$")) if sheet.print_title_cols else 0)
        pages = sheet.page_setup.fitToWidth or 1
        points = FONT_POINTS * fit_scale(pixels, pages, repeated)
        assert points >= MIN_PRINT_POINTS, (name, points)
    plan = book["Plan"]
    assert plan.page_setup.fitToWidth == 2 and plan.print_title_cols == "$A:$B"
    width = {f: w for f, _h, w in PLAN_COLUMNS}
    assert min(width["start"], width["due"]) >= len("2026-12-31") + 1
    assert width["status"] >= max(map(len, STATUSES)) + 1
    assert width["action_id"] >= max(len(a.uid) for a in data.plan) + 1
    assert width["step"] >= len("Step") + 1
    texts = [c for row in plan.iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and len(c.value) > 12]
    assert texts and all(c.alignment.wrap_text for c in texts)
