"""Template loading: located errors (file, line, field) and the built-in templates."""

from __future__ import annotations

import textwrap

import pytest

from workbench.core.questionnaire.loader import (
    TemplateError,
    builtin_templates,
    check_template,
    format_problem,
    format_problems,
    load_template,
)
from workbench.core.questionnaire.schema import FOUNDATIONS

GOOD = textwrap.dedent("""\
    id: demo
    version: 2
    title: Demo questionnaire
    sections:
      - id: main
        title: Main
        questions:
          - id: culture
            kind: rating_0_4
            text: How open is the climate?
            required: true
            anchors: {0: none, 1: rare, 2: some, 3: most, 4: all}
            group: {step: 1, foundation: working_climate}
          - id: owner
            kind: single_choice
            text: Who owns it?
            options: [ceo, {value: cmo, label: Marketing chief}]
          - id: why
            kind: text
            text: Why the CMO?
            show_if: {question: owner, equals: cmo}
          - id: headcount
            kind: number
            text: How many people?
            min: 0
            max: 100
            default: 10
    scoring:
      bar: {mean: 2.5, min_cell: 1.5}
      target_question: null
    """)


def write(tmp_path, text, name="t.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text, needle, occurrence=1):
    """1-based line number of the n-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def only_problem(path):
    problems = check_template(path)
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_template_loads_with_normalised_fields(tmp_path):
    template = load_template(write(tmp_path, GOOD))
    assert (template.id, template.version) == ("demo", 2)
    culture = template.question("culture")
    assert culture.anchors == ("none", "rare", "some", "most", "all")
    assert [o.label for o in template.question("owner").options] == ["ceo", "Marketing chief"]
    assert template.scoring.bar.mean == 2.5
    assert template.is_visible(template.question("why"), {"owner": "cmo"})
    assert not template.is_visible(template.question("why"), {"owner": "ceo"})
    assert check_template(write(tmp_path, GOOD)) == []


def test_broken_yaml_names_the_line(tmp_path):
    text = GOOD.replace("title: Main", "title: [Main")
    problem = only_problem(write(tmp_path, text))
    assert problem.kind == "broken_yaml"
    assert problem.row is not None and problem.row >= line_of(text, "title: [Main")


def test_unknown_kind_names_line_and_field(tmp_path):
    text = GOOD.replace("kind: text", "kind: essay")
    problem = only_problem(write(tmp_path, text))
    assert problem.kind == "unknown_kind"
    assert problem.row == line_of(text, "kind: essay")
    assert problem.column == "sections[0].questions[2].kind"
    assert "essay" in problem.message and "rating_0_4" in problem.message


def test_branching_to_missing_question(tmp_path):
    text = GOOD.replace("question: owner", "question: nobody")
    problem = only_problem(write(tmp_path, text))
    assert problem.kind == "bad_branching" and "nobody" in problem.message
    assert problem.row == line_of(text, "question: nobody")
    assert problem.column == "sections[0].questions[2].show_if.question"


def test_branching_to_later_question(tmp_path):
    text = GOOD.replace(
        "        kind: single_choice\n",
        "        kind: single_choice\n        show_if: {question: headcount, equals: 3}\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.kind == "bad_branching" and "later" in problem.message
    assert problem.row == line_of(text, "question: headcount")


def test_branching_value_must_be_an_option(tmp_path):
    text = GOOD.replace("equals: cmo", "equals: cfo")
    problem = only_problem(write(tmp_path, text))
    assert problem.column.endswith("show_if.equals") and "cfo" in problem.message


def test_duplicate_question_id(tmp_path):
    text = GOOD.replace("- id: headcount", "- id: culture")
    problem = only_problem(write(tmp_path, text))
    assert problem.kind == "duplicate_id"
    assert problem.row == line_of(text, "- id: culture", occurrence=2)


def test_missing_anchors_level(tmp_path):
    text = GOOD.replace("anchors: {0: none, 1: rare, 2: some, 3: most, 4: all}",
                        "anchors: {0: none, 1: rare, 2: some, 4: all}")
    problem = only_problem(write(tmp_path, text))
    assert problem.kind == "missing_anchors" and "3" in problem.message
    assert problem.row == line_of(text, "anchors:")
    assert problem.column == "sections[0].questions[0].anchors"


def test_rating_without_any_anchors(tmp_path):
    text = GOOD.replace("        anchors: {0: none, 1: rare, 2: some, 3: most, 4: all}\n", "")
    problem = only_problem(write(tmp_path, text))
    assert problem.kind == "missing_anchors"
    assert problem.row == line_of(text, "- id: culture")


def test_default_out_of_range(tmp_path):
    text = GOOD.replace("        group: {step: 1", "        default: 7\n        group: {step: 1")
    problem = only_problem(write(tmp_path, text))
    assert problem.kind == "bad_default" and "0 to 4" in problem.message
    assert problem.row == line_of(text, "default: 7")


def test_number_default_above_max(tmp_path):
    problem = only_problem(write(tmp_path, GOOD.replace("default: 10", "default: 101")))
    assert problem.kind == "bad_default" and "maximum" in problem.message


def test_wrong_types(tmp_path):
    text = GOOD.replace("version: 2", "version: two").replace("required: true", "required: maybe")
    problems = check_template(write(tmp_path, text))
    assert {(p.column, p.row) for p in problems} == {
        ("version", line_of(text, "version: two")),
        ("sections[0].questions[0].required", line_of(text, "required: maybe")),
    }
    assert all(p.kind == "wrong_type" for p in problems)


def test_unknown_field_and_bad_foundation(tmp_path):
    text = GOOD.replace("foundation: working_climate", "foundation: morale").replace(
        "title: Demo questionnaire", "title: Demo questionnaire\ncolour: blue")
    kinds = {p.column: p.kind for p in check_template(write(tmp_path, text))}
    assert kinds == {"colour": "unknown_field",
                     "sections[0].questions[0].group.foundation": "unknown_value"}


def test_load_template_raises_with_all_problems(tmp_path):
    text = GOOD.replace("kind: text", "kind: essay").replace("version: 2", "version: -1")
    path = write(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert len(caught.value.problems) == 2
    assert str(path) in str(caught.value)


def test_check_template_lines_format(tmp_path):
    text = GOOD.replace("kind: text", "kind: essay")
    path = write(tmp_path, text)
    report = format_problems(check_template(path))
    assert report.startswith(f"{path}:{line_of(text, 'kind: essay')}: "
                             "sections[0].questions[2].kind: unknown question kind 'essay'")


def test_not_a_mapping_and_not_utf8(tmp_path):
    assert only_problem(write(tmp_path, "- just\n- a list\n")).kind == "wrong_type"
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    problem = only_problem(path)
    assert problem.kind == "encoding" and format_problem(problem).startswith(str(path))


def test_builtin_templates_cover_the_ladder():
    templates = {t.id: t for t in builtin_templates()}
    assert set(templates) == {"maturity_ladder", "org_design", "customer_learning",
                              "insight_to_action"}
    ladder = templates["maturity_ladder"]
    cells = {(q.group.step, q.group.foundation) for q in ladder.questions() if q.group}
    assert cells == {(s, f) for s in range(1, 6) for f in FOUNDATIONS}
    anchors = [q.anchors for q in ladder.questions() if q.kind == "rating_0_4"]
    assert len(anchors) == 35 and all(len(set(a)) == 5 for a in anchors)
    assert len({a[0] for a in anchors}) == 35 and len({a[4] for a in anchors}) == 35
    target = ladder.question(ladder.scoring.target_question)
    assert {o.value for o in target.options} == {"0", "1", "2", "3", "4", "5"}


def test_builtin_org_design_has_eleven_questions_in_four_areas():
    org = next(t for t in builtin_templates() if t.id == "org_design")
    current = [q for q in org.questions() if q.id.endswith("_current")]
    assert len(current) == 11
    assert {s.id for s in org.sections} >= {"work", "measures", "incentives", "leadership",
                                            "essentials", "cco_functions"}
    for q in current:
        key = q.id.removesuffix("_current")
        assert org.question(f"{key}_importance").kind == "scale_1_5"
        assert org.question(f"{key}_notes").kind == "text"
