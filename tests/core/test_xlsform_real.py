"""Real XLSForms (shaped like the XLSForm reference forms of KoboToolbox / ODK / SurveyCTO):
import with located warnings, `workbench check-template`, and exports pyxform accepts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from pyxform import xls2xform  # test-only dependency: the reference XLSForm converter

from workbench.cli import main
from workbench.core.questionnaire.loader import TemplateError, builtin_templates
from workbench.core.questionnaire.schema import Template
from workbench.core.questionnaire.xlsform import export_xlsform, read_xlsform


def write_form(path, survey, choices=None, settings=None, hide_column=None):
    """A workbook with the given sheets; each sheet is a list of rows, the header first."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    if hide_column:
        sheet.column_dimensions[hide_column].hidden = True
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(list(row))
    book.save(path)
    return path


def check(path, capsys):
    code = main(["check-template", str(path)])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def converts(path):
    """pyxform turns the workbook into an XForm without error (its warnings are allowed)."""
    result = xls2xform.convert(str(path), warnings=[])
    assert "<h:html" in result.xform


def round_trips(template, tmp_path):
    out = tmp_path / f"{template.id}_export.xlsx"
    export_xlsform(template, out)
    converts(out)
    assert read_xlsform(out).template == template


YES_NO = [("list_name", "name", "label"), ("yes_no", "yes", "Yes"), ("yes_no", "no", "No")]


def test_form_without_settings_takes_its_id_from_the_file_name(tmp_path, capsys):
    path = write_form(tmp_path / "visit_log.xlsx", [
        ("type", "name", "label"),
        ("text", "team", "Which team are you in?"),
        ("integer", "years", "Years in the company"),
        ("select_one yes_no", "manager", "Do you manage people?"),
    ], YES_NO)
    converts(path)
    template = read_xlsform(path).template
    assert (template.id, template.version, template.title) == ("visit_log", 1, "visit log")
    [section] = template.sections
    assert (section.id, section.title) == ("visit_log", "visit log")
    assert [(q.id, q.kind) for q in section.questions] == [
        ("team", "text"), ("years", "number"), ("manager", "single_choice")]
    assert [o.value for o in section.questions[2].options] == ["yes", "no"]
    assert check(path, capsys) == (0, [
        f"{path}: ok — 1 sections, 3 questions (1 choice, 1 number, 1 text, 0 notes); "
        "0 skipped"], "")
    round_trips(template, tmp_path)


def test_questions_outside_groups_go_to_sections_titled_after_the_form(tmp_path):
    path = write_form(tmp_path / "pulse.xlsx", [
        ("type", "name", "label", "relevant"),
        ("text", "role", "Your role"),
        ("begin group", "work", "Your work"),
        ("select_one yes_no", "remote", "Do you work remotely?"),
        ("end group", "work"),
        ("integer", "days", "Days at home per week", "${remote} = 'yes'"),
    ], YES_NO, [("form_title", "form_id", "version"), ("Team pulse", "team_pulse", 4)])
    converts(path)
    template = read_xlsform(path).template
    assert (template.id, template.version, template.title) == ("team_pulse", 4, "Team pulse")
    assert [(s.id, s.title, [q.id for q in s.questions]) for s in template.sections] == [
        ("team_pulse", "Team pulse", ["role"]), ("work", "Your work", ["remote"]),
        ("team_pulse_2", "Team pulse", ["days"])]
    days = template.question("days")
    assert (days.show_if.question, days.show_if.equals) == ("remote", "yes")
    round_trips(template, tmp_path)


def test_several_questions_share_a_choice_list_by_its_name(tmp_path):
    path = write_form(tmp_path / "shared.xlsx", [
        ("type", "name", "label"),
        ("begin_group", "views", "Views"),
        ("select_one agree5", "clear_goals", "Our goals are clear"),
        ("select_one agree5", "fair_load", "Work is shared fairly"),
        ("select_multiple channel", "channels", "How do you hear news?"),
        ("end_group", ""),
    ], [("list_name", "name", "label"),
        *[("agree5", n, lab) for n, lab in enumerate(
            ["Disagree", "Tend to disagree", "Neutral", "Tend to agree", "Agree"], start=1)],
        ("channel", "mail", "E-mail"), ("channel", "chat", "Chat"), ("channel", "meeting",
                                                                      "Team meeting")])
    converts(path)
    template = read_xlsform(path).template
    goals, load, channels = template.questions()
    assert goals.options == load.options
    assert [(o.value, o.label) for o in goals.options][::4] == [("1", "Disagree"), ("5", "Agree")]
    assert (channels.kind, [o.value for o in channels.options]) == (
        "multiple_choice", ["mail", "chat", "meeting"])
    out = tmp_path / "shared_export.xlsx"
    export_xlsform(template, out)
    assert read_xlsform(out).template == template
    book_rows = _rows(out, "choices")
    assert sorted({r[0] for r in book_rows}) == ["channels", "clear_goals"]  # one list shared


def _rows(path, sheet):
    return [r for r in load_workbook(path)[sheet].iter_rows(min_row=2, values_only=True)]


BILINGUAL = [
    ("type", "name", "label::English (en)", "label::Français (fr)", "hint::English (en)",
     "hint::Français (fr)"),
    ("begin group", "team", "Your team", "Votre équipe"),
    ("select_one size", "team_size", "How big is your team?", "Quelle est la taille ?",
     "Count yourself", "Comptez-vous"),
    ("text", "comment", "Anything else?", "Autre chose ?"),
    ("end group",),
]
SIZES = [("list_name", "name", "label::English (en)", "label::Français (fr)"),
         ("size", "small", "Up to 5", "Jusqu'à 5"), ("size", "large", "More than 5", "Plus de 5")]


@pytest.mark.parametrize("default_language, expected", [
    ("Français (fr)", "Français (fr)"), (None, "English (en)")])
def test_labels_in_several_languages_keep_every_language(tmp_path, default_language, expected):
    settings = [("form_id", "default_language"), ("team_form", default_language)]
    path = write_form(tmp_path / "bilingual.xlsx", BILINGUAL, SIZES, settings)
    converts(path)
    template = read_xlsform(path).template
    question = template.question("team_size")
    french = expected.startswith("Fr")
    assert question.text == ("Quelle est la taille ?" if french else "How big is your team?")
    assert question.help == ("Comptez-vous" if french else "Count yourself")
    assert question.options[0].label == ("Jusqu'à 5" if french else "Up to 5")
    assert template.translations.language == expected
    other = "English (en)" if french else "Français (fr)"
    texts = template.translations.texts[other]
    assert texts["question.team_size.label"] == (
        "How big is your team?" if french else "Quelle est la taille ?")
    assert texts["choice.team_size.large"] == ("More than 5" if french else "Plus de 5")
    assert texts["section.team.label"] == ("Your team" if french else "Votre équipe")
    round_trips(template, tmp_path)
    out = tmp_path / "team_form_export.xlsx"
    assert {"label::English (en)", "label::Français (fr)"} <= set(_header(out))


def _header(path):
    return [c.value for c in load_workbook(path)["survey"][1]]


def test_without_english_or_default_the_first_language_is_used(tmp_path):
    path = write_form(tmp_path / "two.xlsx", [
        ("type", "name", "label:Deutsch", "label:Español"),
        ("text", "idea", "Ihre Idee", "Su idea")])
    template = read_xlsform(path).template
    assert template.question("idea").text == "Ihre Idee"
    assert template.translations.texts == {"Español": {"question.idea.label": "Su idea"}}


def test_legacy_select_spelling_odd_headers_hidden_columns_and_blank_rows(tmp_path):
    path = write_form(tmp_path / "legacy.xlsx", [
        ("  Type ", "NAME", "Label", "Appearance", "media::image", "my notes"),
        ("select one from yes_no", "happy", "Are you happy at work?", "minimal", "a.png", "x"),
        (),
        ("select all that apply from tools", "tools_used", "Tools you use", None, None, "y"),
        (None, None, None, None, None, "a note of the author"),
    ], [("List Name", "Name", "Label"), *YES_NO[1:], (), ("tools", "crm", "CRM"),
        ("tools", "erp", "ERP")], hide_column="D")
    template = read_xlsform(path).template
    happy, tools = template.questions()
    assert (happy.kind, [o.value for o in happy.options]) == ("single_choice", ["yes", "no"])
    assert (tools.kind, [o.label for o in tools.options]) == ("multiple_choice", ["CRM", "ERP"])
    assert read_xlsform(path).warnings == []


def test_or_other_adds_the_option_and_the_text_to_specify(tmp_path):
    path = write_form(tmp_path / "other.xlsx", [
        ("type", "name", "label"),
        ("select_one source or_other", "source", "Where do ideas come from?")],
        [("list_name", "name", "label"), ("source", "customers", "Customers"),
         ("source", "staff", "Staff")])
    converts(path)
    template = read_xlsform(path).template
    source, other = template.questions()
    assert [(o.value, o.label) for o in source.options] == [
        ("customers", "Customers"), ("staff", "Staff"), ("other", "Other")]
    assert (other.id, other.kind, other.show_if.question, other.show_if.equals) == (
        "source_other", "text", "source", "other")
    round_trips(template, tmp_path)


METADATA_FORM = [
    ("type", "name", "label", "calculation"),
    ("start", "start", None),
    ("end", "end", None),
    ("today", "today", None),
    ("deviceid", "deviceid", None),
    ("note", "intro", "Thank you for taking part."),
    ("geopoint", "where", "Where are you?"),
    ("text", "office", "Which office?"),
    ("image", "photo", "Photo of the board"),
    ("calculate", "score", None, "1 + 1"),
    ("date", "joined", "When did you join?"),
    ("decimal", "hours", "Hours per week"),
]


def test_metadata_locations_photos_and_calculations_are_skipped_with_warnings(tmp_path,
                                                                             capsys):
    path = write_form(tmp_path / "field.xlsx", METADATA_FORM)
    converts(path)
    loaded = read_xlsform(path)
    [section] = loaded.template.sections
    assert [q.id for q in section.questions] == ["office", "hours"]
    assert section.help == "Thank you for taking part."  # the note opens the section
    skipped_rows = [2, 3, 4, 5, 7, 9, 10, 11]
    assert [(w.sheet, w.row, w.column) for w in loaded.warnings] == [
        ("survey", r, "type") for r in skipped_rows]
    assert (loaded.notes, loaded.skipped) == (1, 8)
    code, out, err = check(path, capsys)
    assert (code, err) == (0, "")
    assert out[0] == (f"{path}: ok — 1 sections, 3 questions (0 choice, 1 number, 1 text, "
                      "1 notes); 8 skipped")
    assert out[1] == (f"  warning: {path}, sheet 'survey', row 2, column 'type': type 'start' "
                      "is metadata the form records by itself, which the app cannot ask; "
                      "skipped")
    assert out[6] == (f"  warning: {path}, sheet 'survey', row 9, column 'type': type 'image' "
                      "is a photo, recording, file or barcode, which the app cannot ask; "
                      "skipped")
    assert len(out) == 1 + 8


def test_a_repeat_is_refused_with_its_row(tmp_path, capsys):
    path = write_form(tmp_path / "household.xlsx", [
        ("type", "name", "label"),
        ("text", "village", "Village"),
        ("begin repeat", "member", "Household member"),
        ("text", "member_name", "Name"),
        ("end repeat", "member"),
    ])
    converts(path)  # a valid XLSForm: the app cannot ask it
    with pytest.raises(TemplateError) as caught:
        read_xlsform(path)
    [problem] = caught.value.problems
    assert (problem.kind, problem.row, problem.column) == ("repeat", 3, "survey!A (type)")
    code, out, err = check(path, capsys)
    assert (code, out) == (1, [])
    assert err.startswith("household.xlsx:3: survey!A (type): repeats are not supported")


def test_a_missing_choice_list_refuses_the_form(tmp_path, capsys):
    path = write_form(tmp_path / "broken.xlsx", [
        ("type", "name", "label"), ("select_one nothing", "pick", "Pick one")], YES_NO)
    code, out, err = check(path, capsys)
    assert code == 1
    assert "broken.xlsx:2: survey!A (type): the choice list 'nothing' has no rows" in err


def test_constraint_required_relevant_and_range(tmp_path):
    path = write_form(tmp_path / "rules.xlsx", [
        ("type", "name", "label", "required", "relevant", "constraint", "constraint_message",
         "parameters"),
        ("select_multiple tools", "tools", "Tools", "TRUE()"),
        ("integer", "team", "Team size", "yes", "selected(${tools}, 'crm')",
         ". >= 0 and . <= 10", "From 0 to 10"),
        ("decimal", "budget", "Budget", "true", "(${tools} = 'crm' or ${tools} = 'erp')",
         ". > 5"),
        ("text", "why", "Why?", "${team} > 3", "${team} != 2"),
        ("range", "mood", "Mood", 1, None, None, None, "start=0 end=10 step=2"),
        ("text", "free", "Anything else?", "no"),
    ], [("list_name", "name", "label"), ("tools", "crm", "CRM"), ("tools", "erp", "ERP")])
    converts(path)
    loaded = read_xlsform(path)
    q = {x.id: x for x in loaded.template.questions()}
    assert [q[i].required for i in ("tools", "team", "budget", "why", "mood", "free")] == [
        True, True, True, False, True, False]
    assert (q["team"].min, q["team"].max) == (0, 10)
    assert (q["team"].show_if.question, q["team"].show_if.equals) == ("tools", "crm")
    assert (q["budget"].min, q["budget"].max) == (None, None)
    assert (q["budget"].show_if.question, q["budget"].show_if.in_) == ("tools", ["crm", "erp"])
    assert q["why"].show_if is None
    assert (q["mood"].kind, q["mood"].min, q["mood"].max) == ("number", 0, 10)
    assert loaded.template.translations.texts == {
        "": {"question.team.constraint_message": "From 0 to 10"}}
    assert [(w.row, w.column) for w in loaded.warnings] == [
        (4, "constraint"), (5, "required"), (5, "relevant")]
    round_trips(loaded.template, tmp_path)


def test_every_builtin_template_exports_to_a_valid_xlsform(tmp_path):
    for template in builtin_templates():
        out = tmp_path / f"{template.id}.xlsx"
        export_xlsform(template, out)
        warnings: list[str] = []
        xls2xform.convert(str(out), warnings=warnings)
        assert warnings == [], template.id


def test_workbooks_exported_by_earlier_versions_of_the_app_still_load(tmp_path):
    header = ("type", "name", "label", "hint", "required", "relevant", "step", "foundation",
              "min", "max", "default", "anchor_0", "anchor_1", "anchor_2", "anchor_3",
              "anchor_4")
    path = write_form(tmp_path / "old.xlsx", [
        header,
        ("begin_group", "s", "Section"),
        ("select_one pick", "pick", "Pick", None, True, None, None, None, None, None, '"b"'),
        ("rating_0_4", "rate", "Rate", None, False, "${pick} in ('a', 'b')", 2,
         "information_sharing", None, None, 3, "none", "some", "half", "most", "all"),
        ("number", "size", "Size", None, False, "${rate} = 4", None, None, 0.5, 10),
        ("scale_1_5", "weight", "Weight"),
        ("end_group", "s"),
    ], [("list_name", "name", "label", "level"), ("pick", "a", "A", 1), ("pick", "b", "B")],
        [("form_id", "version", "form_title", "description", "scoring"),
         ("old", 2, "Old form", "From 2025", '{"min_group_size": 6}')])
    expected = Template.model_validate({
        "id": "old", "version": 2, "title": "Old form", "description": "From 2025",
        "scoring": {"min_group_size": 6},
        "sections": [{"id": "s", "title": "Section", "questions": [
            {"id": "pick", "kind": "single_choice", "text": "Pick", "required": True,
             "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
             "levels": {"a": 1}, "default": "b"},
            {"id": "rate", "kind": "rating_0_4", "text": "Rate", "default": 3,
             "anchors": ["none", "some", "half", "most", "all"],
             "group": {"step": 2, "foundation": "information_sharing"},
             "show_if": {"question": "pick", "in": ["a", "b"]}},
            {"id": "size", "kind": "number", "text": "Size", "min": 0.5, "max": 10,
             "show_if": {"question": "rate", "equals": 4}},
            {"id": "weight", "kind": "scale_1_5", "text": "Weight"},
        ]}]})
    loaded = read_xlsform(path)
    assert (loaded.template, loaded.warnings) == (expected, [])
    round_trips(expected, tmp_path)


CELLS = st.one_of(st.none(), st.integers(-3, 12), st.floats(allow_nan=False, width=32),
                  st.sampled_from([
                      "select_one yes_no", "select_multiple yes_no or_other", "rank nothing",
                      "begin group", "end group", "begin repeat", "end_repeat", "note", "range",
                      "integer", "text", "geopoint", "calculate", "slider", "rating_0_4",
                      "scale_1_5", "yes", "no", "TRUE()", "${a} = 'yes'", "selected(${b}, 'no')",
                      ". >= 1 and . <= 3", ". > 2", "start=x", "a", "b", "a.b", "", " ",
                      '["yes"]', '"yes', "=1+1"]))
HEADER = ("type", "name", "label", "required", "relevant", "constraint", "parameters",
          "default", "kind", "label::fr")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=len(HEADER), max_size=len(HEADER)),
                     max_size=8))
def test_any_cells_load_or_are_refused_with_located_problems(tmp_path, rows):
    path = write_form(tmp_path / "fuzz.xlsx", [HEADER, *rows], YES_NO,
                      [("form_id", "version"), ("fuzz", rows[0][1] if rows else None)])
    try:
        loaded = read_xlsform(path)
    except TemplateError as error:
        assert error.problems and all(p.file == "fuzz.xlsx" for p in error.problems)
    else:
        assert all(w.sheet in ("survey", "choices", "settings") for w in loaded.warnings)
