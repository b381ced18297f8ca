"""The Method sheet, and one truth for the target step across the client deliverables.

The target step, stage and leaders' choice in the report data, on the Summary and Method
sheets (read back with openpyxl) and in the PDF summary must all be
:func:`workbench.core.method.target.target_step`'s, also when the engagement aims at another
step than the one most leaders chose.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from openpyxl import load_workbook
from test_pseudonyms_everywhere import pdf_text

from workbench.core.method.rounds import Round, latest_rounds
from workbench.core.method.settings import DisagreementRule, save_disagreement_rule
from workbench.core.method.target import target_step
from workbench.core.plan.apply import save_schedule_rules
from workbench.core.plan.builder import ScheduleRules
from workbench.core.privacy import PrivacySettings, save_privacy
from workbench.core.project import Project
from workbench.core.questionnaire.loader import builtin_templates
from workbench.core.questionnaire.schema import STEPS
from workbench.core.report.assemble import export_summary_pdf, export_workbook
from workbench.core.report.glossary_sheet import GLOSSARY_SHEET
from workbench.core.report.method_notes import CHOICE_DIFFERS, STEERING, steering_answers
from workbench.core.report.method_sheet import METHOD_SHEET
from workbench.core.report.summary import executive_summary
from workbench.core.report.summary_pdf import summary_lines
from workbench.core.report.workbook_writer import SHEETS

SECTIONS = ("Stage rule", "Target step", "Steering answers and what the method did with them",
            "Disagreement rule in force", "Rounds used", "Networks used", "Schedule rules",
            "Step gates recorded", "Privacy in force", "Glossary")
TERMS = ("Step", "Stage", "Bar", "Gap", "Shortfall", "Weight", "Gate", "Window", "Owner role")


def sheet_rows(path, name: str) -> list[list]:
    book = load_workbook(path)
    try:
        return [list(r) for r in book[name].iter_rows(values_only=True)]
    finally:
        book.close()


def facts(rows: list[list]) -> dict[str, object]:
    """Column A label -> column B value, for rows that have both."""
    return {r[0]: r[1] for r in rows if r and isinstance(r[0], str) and len(r) > 1
            and r[1] not in (None, "")}


def is_title(row: list) -> bool:
    return row[0] in SECTIONS and all(v in (None, "") for v in row[1:])


def section(rows: list[list], title: str) -> list[list]:
    """The rows of one Method section, up to the next section title."""
    start = next(i for i, r in enumerate(rows) if r[0] == title and is_title(r)) + 1
    end = next((i for i, r in enumerate(rows[start:], start) if is_title(r)), len(rows))
    return [r for r in rows[start:end] if any(v not in (None, "") for v in r)]


def pdf_lines(path) -> str:
    """The PDF's text runs with PDF string escapes (``\\(``, ``\\'``) undone."""
    return re.sub(r"\\(.)", r"\1", pdf_text(path))


def drawn_in(line: str, drawn: str) -> bool:
    """Whether ``line`` is in the PDF text; glyphs outside ASCII (a dash) are drawn apart."""
    return all(part in drawn for part in re.split(r"[^\x20-\x7e]+", line) if part)


def named(step: int) -> str:
    return f"{step} - {STEPS[step]}"


@pytest.mark.parametrize("engagement_target", [None, 4], ids=["demo", "target-differs"])
def test_target_step_is_the_same_everywhere(demo, tmp_path, engagement_target):
    if engagement_target is not None:
        demo.engagement.update(target_step=engagement_target)
    target = target_step(demo)
    assert target.leaders_choice == 2  # most demo leaders chose step 2
    assert target.leaders_differ == (engagement_target is not None)
    data, _notices = export_workbook(demo, tmp_path / "plan.xlsx")
    pdf_data = export_summary_pdf(demo, tmp_path / "summary.pdf")
    for e in (data.engagement, pdf_data.engagement):
        assert (e.target_step, e.stage_reached, e.leaders_choice, dict(e.votes)) == (
            target.step, target.stage, target.leaders_choice, target.votes)

    summary = facts(sheet_rows(tmp_path / "plan.xlsx", "Summary"))
    method = facts(sheet_rows(tmp_path / "plan.xlsx", METHOD_SHEET))
    voters = sum(target.votes.values())
    choice = f"Step {named(2)} ({target.votes[2]} of {voters} leaders)"
    for shown in (summary, method):
        assert shown["Target step"] == named(target.step)
        assert shown["Stage reached"] == named(target.stage)
        assert shown["Leaders' choice"] == choice
        assert (CHOICE_DIFFERS in shown) == target.leaders_differ
    assert f"step {target.step}." in method["Where it comes from"]
    assert method["Votes per step"] == "Step 2: 5 leaders; step 3: 1 leader; step 4: 1 leader"

    lines = summary_lines(pdf_data)
    drawn = pdf_lines(tmp_path / "summary.pdf")
    said = executive_summary(pdf_data)
    assert lines[1:3] == [said.stage, said.target]
    assert f"at step {target.stage} ({STEPS[target.stage]})" in said.stage
    assert said.target.startswith(f"The engagement aims at step {target.step} "
                                  f"({STEPS[target.step]})")
    if target.leaders_differ:
        assert "engagement aims at step 4" in summary[CHOICE_DIFFERS]
        assert said.target.endswith(f"most leaders ({target.votes[2]}) chose step 2.")
    else:
        assert said.target.endswith(f"; {target.votes[2]} of {voters} leaders chose it.")
    rule = " ".join(line for line in lines if line.startswith("Stage rule") or
                    "not skipped" in line)
    assert "every lower step meeting it too" in rule and "not skipped" in rule
    assert all(drawn_in(line, drawn) for line in lines[1:])


def test_method_sheet_shows_the_rules_and_answers_in_force(demo, tmp_path):
    save_disagreement_rule(demo, DisagreementRule(3, 1))
    save_schedule_rules(demo, ScheduleRules(max_starts=3, period_days=21))
    path = tmp_path / "plan.xlsx"
    export_workbook(demo, path)
    rows = sheet_rows(path, METHOD_SHEET)
    titles = [r[0] for r in rows if is_title(r)]
    assert titles == list(SECTIONS)
    shown = facts(rows)
    assert "highest step" in shown["Rule"] and "stopped at, not skipped" in shown["Rule"]
    assert "at least 3" in shown["The bar"] and "below 2" in shown["The bar"]
    assert "at least one leader on each side, 3 or more levels apart" in shown[
        "Leaders disagree"]
    assert shown["Starts per owner role"].startswith(
        "At most 3 actions start per owner role in any 21 days")
    assert shown["Reason for pausing"] == "No leader gave a reason for pausing."
    assert shown["Names shown"].startswith("Real names")
    assert shown["Smallest group shown"].startswith(f"{demo.engagement.get().min_group_size} ")
    # one glossary for the whole workbook: the Method sheet points to it
    assert GLOSSARY_SHEET in shown["Terms"]
    glossary = facts(sheet_rows(path, GLOSSARY_SHEET))
    assert all(glossary[term] for term in TERMS)

    # steering: the answers counted straight from the latest rounds, one row per question
    steering = section(rows, SECTIONS[2])
    assert steering[0][:3] == ["Question", "Answers given (leaders, latest round)",
                               "Consequence"]
    assert len(steering) == 1 + len(STEERING)
    rounds = {r.template.id: r for r in latest_rounds(demo).values()}
    for row, (source, _below, _met) in zip(steering[1:], STEERING, strict=True):
        template_id, question_id = source.split(":")
        question = rounds[template_id].template.question(question_id)
        given = Counter(a.get(question_id) for a in rounds[template_id].answers.values())
        assert row[0] == question.short
        assert row[1].split("\n") == [f"{o.label}: {given[o.value]}" for o in question.options]
        assert row[2].endswith(".") and "bar 3" in row[2]
    timing = next(r for r in steering if r[0] == "How fast insight reaches the front line")
    assert "gap 1 of" in timing[2]  # the largest gap of the demo
    value = next(r for r in steering if r[0] == "Kind of value we deliver")
    assert "keep their usual weight" in value[2]  # functional is not the most common answer

    # rounds and networks read
    used = section(rows, "Rounds used")
    assert used[0][:4] == ["Round", "Questionnaire", "Date", "Respondents counted"]
    infos = sorted(demo.assessments.rounds(), key=lambda r: r.id)
    assert [(r[0], r[2].date(), r[3]) for r in used[1:]] == [
        (i.name, i.date, len(demo.assessments.answers(i.id))) for i in infos]
    networks = section(rows, "Networks used")
    assert [(r[0], r[1], r[3]) for r in networks[1:]] == [
        ("advice", "advice", 1272),  # the story: what this network shows
        ("collaboration_followup", "collaboration", 1373),
        ("customer_insight", "customer insight", 541)]
    assert networks[1][4].startswith("What this network shows")
    gates = section(rows, "Step gates recorded")
    plan = demo.plans.plans()[0]
    assert gates == [[f"No gate has been recorded yet. The step 1 gate falls due on "
                      f"{plan.start_date + dt.timedelta(days=99):%Y-%m-%d}, at the end of its "
                      "100-day window.", None, None, None, None]]


def test_gates_are_listed_and_names_follow_privacy(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    person = demo.people.list()[0]
    plan_id = demo.plans.plans()[0].id
    demo.plans.record_gate(plan_id, 1, "repeat", dt.date(2026, 10, 2),
                           f"{person.name} drafted the champions' brief", "Board", snapshot={})
    demo.plans.record_gate(plan_id, 1, "continue", dt.date(2027, 1, 12),
                           f"Champions meet weekly; {person.name} chairs", person.name,
                           snapshot={})
    path = tmp_path / "plan.xlsx"
    export_workbook(demo, path)
    gates = section(sheet_rows(path, METHOD_SHEET), "Step gates recorded")
    assert gates[0] == ["Step", "Decision", "Date", "Decided by", "Value created"]
    # one row per decision, the earliest first: the repeat stays on record
    assert [g[:4] for g in gates[1:]] == [[1, "repeat", dt.datetime(2026, 10, 2), "Board"],
                                          [1, "continue", dt.datetime(2027, 1, 12),
                                           person.name]]
    assert person.name in gates[1][4] and person.name in gates[2][4]

    save_privacy(demo, PrivacySettings(pseudonymise=True))
    export_workbook(demo, path)
    rows = sheet_rows(path, METHOD_SHEET)
    for gate in section(rows, "Step gates recorded")[1:]:
        assert person.name not in gate[3] and person.name not in gate[4]
    assert facts(rows)["Names shown"].startswith("Pseudonyms")
    assert facts(rows)["Individual labels"].startswith("Shown")


def test_an_empty_project_says_why_each_part_is_empty(tmp_path):
    with Project.create(tmp_path / "empty.owb", client="Empty") as project:
        export_workbook(project, tmp_path / "plan.xlsx")
    rows = sheet_rows(tmp_path / "plan.xlsx", METHOD_SHEET)
    for title in SECTIONS:
        assert section(rows, title), title  # every section has at least one line
    shown = facts(rows)
    assert shown["Leaders' choice"] == ("Nobody chose a target step in the latest maturity "
                                        "round.")
    assert shown["Stage reached"] == "none yet"
    assert shown["Votes per step"].startswith("No votes")
    assert section(rows, "Rounds used")[0][0].startswith("No questionnaire round")
    assert section(rows, "Networks used")[0][0].startswith("No network")
    assert section(rows, "Step gates recorded")[0][0].startswith(
        "No gate has been recorded yet. No plan")
    steering = section(rows, SECTIONS[2])[1:]
    assert len(steering) == len(STEERING)
    assert all(r[1] == "Not asked" and r[2].startswith("Not asked") for r in steering)


def test_steering_consequences_follow_the_answers():
    learning = next(t for t in builtin_templates() if t.id == "customer_learning")
    insight = next(t for t in builtin_templates() if t.id == "insight_to_action")
    answers = {"a": {"value_kind": "functional"}, "b": {"value_kind": "functional"},
               "c": {"value_kind": "mixed"}}
    timing = {code: {"insight_timing": "moment"} for code in "abc"}
    rounds = {"customer_learning": Round(1, "CL", learning, answers),
              "insight_to_action": Round(2, "IA", insight, timing)}
    found = {s.source: s for s in steering_answers(rounds, [], [])}
    value = found["customer_learning:value_kind"]
    assert value.counts[0][1] == 2 and value.counts[1][1] == 1
    assert value.consequence.startswith("Most leaders call the value functional, so "
                                        "relationships-first gaps weigh 1.5 times as much")
    assert found["insight_to_action:insight_timing"].consequence == (
        "Insight reaches the people who serve customers within days or sooner (level 4.0, "
        "bar 3), so it adds no gap and no action.")
    assert found["customer_learning:human_and_ai"].unanswered == 3
    assert found["customer_learning:human_and_ai"].consequence.startswith("Nobody answered")
    assert found["org_design:cco_owner"].consequence.startswith("Not asked")


def test_every_sheet_prints_landscape_fit_to_width_with_a_repeated_header(demo, tmp_path):
    path = tmp_path / "plan.xlsx"
    export_workbook(demo, path)
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["Summary", METHOD_SHEET]
    for name in SHEETS:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        # as many pages wide as legible type needs (1, the default, may be left out; the type
        # size is checked in test_report_summary_story), each repeating the columns that
        # identify a row; any number of pages high
        pages = sheet.page_setup.fitToWidth or 1
        assert (pages > 1) == bool(sheet.print_title_cols), name
        assert sheet.page_setup.fitToHeight == 0, name
        assert sheet.print_title_rows == "$1:$1", name
    assert book["Plan"].page_setup.fitToWidth == 2 and book["Plan"].print_title_cols == "$A:$B"
    method = book[METHOD_SHEET]
    long_texts = [c for row in method.iter_rows() for c in row
                  if isinstance(c.value, str) and len(c.value) > 60]
    assert long_texts and all(c.alignment.wrap_text for c in long_texts)
    book.close()
