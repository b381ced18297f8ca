"""Rounds on a real project file: start, export -> fill with openpyxl -> preview -> merge,
refusals, comparison, findings and resuming where a respondent stopped."""

from __future__ import annotations

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import Project
from workbench.core.questionnaire import TemplateError, scoring
from workbench.core.questionnaire import rounds as R
from workbench.core.questionnaire.schema import FOUNDATIONS, Template
from workbench.core.questionnaire.xlsform import export_xlsform

ANCHORS = ["none", "few", "some", "most", "all"]


def pulse(version: int = 1) -> Template:
    return Template.model_validate({
        "id": "pulse", "version": version, "title": "Pulse",
        "sections": [{"id": "main", "title": "Main", "questions": [
            {"id": "climate", "kind": "rating_0_4", "text": "Climate?", "required": True,
             "anchors": ANCHORS},
            {"id": "owner", "kind": "single_choice", "text": "Owner?", "required": True,
             "options": ["cco", "none"]},
            {"id": "why_none", "kind": "text", "text": "Why nobody?",
             "show_if": {"question": "owner", "equals": "none"}},
            {"id": "energy", "kind": "scale_1_5", "text": "Energy?"},
        ]}],
    })


def ladder() -> Template:
    """A small ladder: steps 1 and 2, every micro-foundation, plus the target question."""
    sections = []
    for step in (1, 2):
        sections.append({"id": f"step_{step}", "title": f"Step {step}", "questions": [
            {"id": f"s{step}_{f}", "kind": "rating_0_4", "text": f"{f}?", "anchors": ANCHORS,
             "group": {"step": step, "foundation": f}} for f in FOUNDATIONS]})
    sections.append({"id": "aim", "title": "Aim", "questions": [
        {"id": "target", "kind": "single_choice", "text": "Next step?",
         "options": ["1", "2", "3"]}]})
    return Template.model_validate({"id": "mini_ladder", "version": 1, "title": "Mini ladder",
                                    "sections": sections,
                                    "scoring": {"target_question": "target"}})


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.owb", client="Test") as p:
        yield p


def fill(path, answers: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    for row in book["Questions"].iter_rows(min_row=2):
        if row[0].value in answers:
            row[4].value = answers[row[0].value]
    book.save(path)


def round_with(project, codes, template=None) -> int:
    round_id = R.start_round(project, template or pulse(), "Spring")
    for code in codes:
        project.assessments.add_respondent(round_id, code, role="Head")
    return round_id


def test_start_round_keeps_the_template_and_refuses_a_changed_same_version(project):
    round_id = R.start_round(project, pulse(), "Spring")
    assert R.round_template(project, round_id) == pulse()
    assert project.assessments.round(round_id).name == "Spring"
    R.start_round(project, pulse(), "Autumn")  # same version reused
    changed = pulse().model_copy(update={"title": "Pulse (edited)"})
    with pytest.raises(WorkbenchError, match="higher version"):
        R.start_round(project, changed)
    assert len(project.assessments.rounds()) == 2


def test_templates_load_from_xlsx_and_invalid_yaml_is_located(tmp_path):
    export_xlsform(pulse(), tmp_path / "pulse.xlsx")
    assert R.load_template_file(tmp_path / "pulse.xlsx") == pulse()
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\ntitle: X\nsections:\n  - id: s\n    title: S\n"
                   "    questions:\n      - id: q\n        kind: slider\n        text: Q\n")
    with pytest.raises(TemplateError) as caught:
        R.load_template_file(bad)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (str(bad), 9,
                                                           "sections[0].questions[0].kind")


def test_export_fill_preview_merge_leaves_others_untouched_and_undoes(project, tmp_path):
    round_id = round_with(project, ["A", "B", "C"])
    b_id = project.assessments.respondents(round_id)[1].id
    project.assessments.set_answers(b_id, {"climate": 1, "owner": "cco"})
    out = tmp_path / "out"
    out.mkdir()
    paths = {p.name.split("_")[-1].removesuffix(".xlsx"): p
             for p in R.export_round_workbooks(project, round_id, out)}
    assert set(paths) == {"A", "B", "C"}
    fill(paths["A"], {"climate": 3, "owner": "none", "why_none": "No budget", "energy": 9})
    fill(paths["B"], {"climate": 4, "owner": "none"})
    preview = R.preview_returned_files(project, round_id, [paths["A"], paths["B"]])
    a, b = preview.files
    assert (a.status, a.respondent_code) == (R.READY, "A")
    assert a.answers == {"climate": 3, "owner": "none", "why_none": "No budget"}
    [bad_energy] = a.problems
    assert bad_energy.row == 5 and bad_energy.column == "Questions!E"
    assert b.status == R.ALREADY_ANSWERED and "already answered" in b.reason

    assert R.apply_merge(project, preview) == 1
    answers = project.assessments.answers(round_id)
    assert answers["A"] == {"climate": 3, "owner": "none", "why_none": "No budget"}
    assert answers["B"] == {"climate": 1, "owner": "cco"}
    assert answers["C"] == {}
    project.undo()
    assert project.assessments.answers(round_id)["A"] == {}

    assert R.apply_merge(project, preview, replace_existing=True) == 2
    assert project.assessments.answers(round_id)["B"] == {"climate": 4, "owner": "none"}


def test_wrong_version_other_round_and_foreign_files_are_refused(project, tmp_path):
    round_id = round_with(project, ["A"])
    other_round = round_with(project, ["A"], pulse(version=2))
    out = tmp_path / "out"
    out.mkdir()
    [wrong_version] = R.export_round_workbooks(project, other_round, out)
    with Project.create(tmp_path / "q.owb") as elsewhere:
        same_ids = round_with(elsewhere, ["A"])
        assert same_ids == round_id
        (tmp_path / "x").mkdir()
        [foreign] = R.export_round_workbooks(elsewhere, same_ids, tmp_path / "x")
    junk = tmp_path / "notes.xlsx"
    junk.write_text("hello")
    preview = R.preview_returned_files(project, round_id, [wrong_version, foreign, junk])
    assert [f.status for f in preview.files] == [R.REFUSED] * 3
    assert "version 2" in preview.files[0].reason
    assert "exported by another project" in preview.files[1].reason  # its key differs
    assert "notes.xlsx" in preview.files[2].reason
    assert R.apply_merge(project, preview) == 0


def test_unknown_respondent_and_duplicate_file_are_refused(project, tmp_path):
    round_id = round_with(project, ["A", "B"])
    out = tmp_path / "out"
    out.mkdir()
    paths = R.export_round_workbooks(project, round_id, out)
    fill(paths[0], {"climate": 2, "owner": "cco"})
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(paths[0].read_bytes())
    with project.edit("drop B") as w:  # B leaves the round after the files went out
        w.delete("respondent", project.assessments.respondents(round_id)[1].id)
    preview = R.preview_returned_files(project, round_id, [paths[0], copy, paths[1]])
    assert [f.status for f in preview.files] == [R.READY, R.REFUSED, R.REFUSED]
    assert "already read" in preview.files[1].reason
    assert "not part of this round" in preview.files[2].reason


def test_progress_counts_visible_questions_and_position_survives_reopening(tmp_path):
    path = tmp_path / "p.owb"
    with Project.create(path) as project:
        round_id = round_with(project, ["A"])
        rid = project.assessments.respondents(round_id)[0].id
        project.assessments.set_answers(rid, {"climate": 2, "owner": "none"}, position="why_none")
        [progress] = R.respondent_progress(project, round_id)
        assert (progress.answered, progress.visible) == (2, 4)
        project.assessments.set_answers(rid, {"owner": "cco"}, position="energy")
        [progress] = R.respondent_progress(project, round_id)
        assert (progress.answered, progress.visible) == (2, 3)
    with Project.open(path) as project:
        [progress] = R.respondent_progress(project, round_id)
        assert progress.position == "energy"
        assert project.assessments.respondent_answers(progress.respondent_id) == {
            "climate": 2, "owner": "cco"}


def test_findings_follow_the_scoring_rules(project):
    template = ladder()
    round_id = round_with(project, ["A", "B", "C"], template)
    project.engagement.update(target_step=2)
    people = project.assessments.respondents(round_id)
    level = {"A": 3, "B": 4, "C": 3}
    for person in people:
        given = {f"s1_{f}": level[person.code] for f in FOUNDATIONS}
        given |= {f"s2_{f}": 1 for f in FOUNDATIONS} | {"s2_working_climate": 3}
        given["s2_information_sharing"] = 0 if person.code == "A" else 2
        given["target"] = "2" if person.code != "C" else "3"
        project.assessments.set_answers(person.id, given)
    findings = R.round_findings(project, round_id)
    answers = project.assessments.answers(round_id)
    assert R.is_maturity_template(template) and not R.is_maturity_template(pulse())
    assert findings.stage.stage == scoring.stage_reached(template, answers).stage == 1
    assert (findings.target_step, findings.leaders_choice, findings.choice_note) == (2, 2, "")
    assert findings.gaps[0].question_id == "s2_communication_systems"
    assert "s2_working_climate" not in {g.question_id for g in findings.gaps}
    # three leaders, 0 / 2 / 2: one low outlier, not a split under the default rule
    assert findings.disagreements == []
    from workbench.core.method.settings import DisagreementRule, save_disagreement_rule

    save_disagreement_rule(project, DisagreementRule(min_levels=2, min_each_side=1))
    findings = R.round_findings(project, round_id)
    assert [d.question_id for d in findings.disagreements] == ["s2_information_sharing"]
    assert findings.rule.min_each_side == 1


def test_target_is_the_engagement_with_the_leaders_choice_beside_it(project):
    round_id = round_with(project, ["A", "B", "C"], ladder())
    project.engagement.update(target_step=2)
    findings = R.round_findings(project, round_id)
    assert (findings.target_step, findings.leaders_choice, findings.choice_note) == (2, None, "")
    for person, choice in zip(project.assessments.respondents(round_id), "331", strict=True):
        project.assessments.set_answers(person.id, {"target": choice})
    findings = R.round_findings(project, round_id)
    assert (findings.target_step, findings.leaders_choice) == (2, 3)
    assert findings.choice_note == ("Most leaders chose step 3; the engagement aims at step 2 — "
                                    "change it in Engagement.")


def test_compare_rounds_of_the_same_questionnaire_only(project):
    first = round_with(project, ["A", "B"])
    second = round_with(project, ["A", "B"])
    for round_id, values in ((first, (1, 2)), (second, (3, 4))):
        for person, value in zip(project.assessments.respondents(round_id), values,
                                 strict=True):
            project.assessments.set_answers(person.id, {"climate": value})
    changes = {c.question_id: c for c in R.compare_rounds(project, first, second)}
    assert (changes["climate"].before, changes["climate"].after) == (1.5, 3.5)
    assert changes["energy"].delta is None
    other = round_with(project, ["A"], ladder())
    with pytest.raises(WorkbenchError, match="same questionnaire"):
        R.compare_rounds(project, first, other)
