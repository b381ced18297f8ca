"""The action library (format 2): items served, located YAML errors, format-1 upgrade, XLSX."""

from __future__ import annotations

import shutil
import textwrap

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.plan import library as library_module
from workbench.core.plan.library import (
    LIBRARY_COLUMNS,
    OWNER_ROLES,
    ROLE_FIRST_STEP,
    TO_AGREE,
    V1_COLUMNS,
    ActionLibrary,
    LibraryError,
    cell_step,
    coverage_problems,
    export_library_xlsx,
    gap_items,
    import_library_xlsx,
    item_label,
    load_library,
    quality_problems,
    upgrade_library_document,
)
from workbench.paths import templates_dir

SMALL = textwrap.dedent("""\
    format_version: 2
    actions:
      - id: S1-COM-1
        title: Open a customer-stories channel
        purpose: Make the informal help across departments visible.
        kind: practice
        step: 1
        applies_to: [maturity_ladder:s1_communication_systems]
        owner_role: Internal communications lead
        effort: S
        duration_days: 15
        measure: Share of customer problems solved by people from two or more departments
        unit: "%"
        baseline: null
        target: 30
        data_source: Case log of the service desk, tagged by department
        evidence: Three departments post customer stories in the same month
      - id: S1-COM-2
        title: Retell cross-team customer saves every month
        purpose: Others learn who to call.
        kind: practice
        step: 1
        applies_to: [maturity_ladder:s1_communication_systems]
        owner_role: Internal communications lead
        effort: S
        duration_days: 20
        measure: People outside the team named as helpers in the pulse survey
        unit: people
        baseline: 0
        target: 12.5
        data_source: Quarterly pulse survey
        evidence: Readers can name someone outside their team who helped a customer
        depends_on: [S1-COM-1]
      - id: S2-INF-1
        title: Publish one shared view of open customer cases
        purpose: Everyone serving a customer sees the same history.
        kind: structure
        step: 2
        applies_to: [maturity_ladder:s2_information_sharing, org_design:single_view]
        owner_role: Data and systems lead
        effort: L
        duration_days: 60
        measure: Days from a complaint to the first answer
        unit: days
        target: 2
        data_source: CRM case records
        evidence: Staff answer a customer without asking another team for the history
        depends_on: [S1-COM-1]
      - id: D-OFFER-1
        title: Decide the chosen customers and the offer
        purpose: Every later choice depends on whom we serve.
        kind: design
        step: 1
        applies_to: [org_design:customers_offer_current]
        owner_role: Executive sponsor
        effort: M
        duration_days: 30
        measure: Share of leaders who name the same three customer groups
        unit: "%"
        target: 90
        data_source: Leadership interviews
        evidence: The board minutes record the chosen customers
    """)

V1 = textwrap.dedent("""\
    format_version: 1
    actions:
      - id: S2-COM-1
        title: Open a channel
        purpose: Why.
        owner_role: Internal communications lead
        effort: S
        duration_days: 15
        measure: Active posters per month
        evidence: Three departments post
        applies_to: {step: 2, foundation: communication_systems}
      - id: DQ-LEAD-1
        title: Define what we expect of leaders
        purpose: Why.
        owner_role: HR business partner
        effort: M
        duration_days: 40
        measure: Leaders assessed against the profile
        evidence: A written profile
        applies_to: {design_question: leaders}
    """)


def _write(tmp_path, text: str, name: str = "actions.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _changed(tmp_path, old: str, new: str, count: int = 1):
    """SMALL with the ``count``-th occurrence of ``old`` replaced; the path and its line."""
    at = -1
    for _ in range(count):
        at = SMALL.index(old, at + 1)
    text = SMALL[:at] + new + SMALL[at + len(old):]
    return _write(tmp_path, text), SMALL[:at].count("\n") + 1


def test_builtin_library_loads_and_serves_every_gap_item():
    library = load_library()
    assert library.format_version == 2
    assert coverage_problems(library) == []
    assert quality_problems(library) == []
    ids = [a.id for a in library.actions]
    assert len(ids) == len(set(ids))
    for action in library.actions:
        assert action.owner_role in OWNER_ROLES, action.id
        assert action.step >= ROLE_FIRST_STEP.get(action.owner_role, 1), action.id


def test_a_small_library_is_read_with_every_field(tmp_path):
    library = load_library(_write(tmp_path, SMALL))
    first, second, shared, design = library.actions
    assert (first.kind, first.step, first.unit, first.baseline, first.target) == (
        "practice", 1, "%", None, 30.0)
    assert (second.baseline, second.target, second.depends_on) == (0.0, 12.5, ("S1-COM-1",))
    assert shared.applies_to == ("maturity_ladder:s2_information_sharing",
                                 "org_design:single_view")
    assert library.serving("maturity_ladder:s1_communication_systems") == [first, second]
    assert library.serving("org_design:single_view") == [shared]
    assert library.serving("org_design:transparency") == []
    assert library.by_id("D-OFFER-1") is design
    with pytest.raises(KeyError):
        library.by_id("NOPE")


def test_actions_made_for_an_item_come_before_those_serving_it_on_the_side(tmp_path):
    library = load_library(_write(tmp_path, SMALL))
    shared = library.by_id("S2-INF-1")  # serves single_view second
    own = shared.model_copy(update={"id": "SV-1", "depends_on": (),
                                    "applies_to": ("org_design:single_view",)})
    library = library.model_copy(update={"actions": (*library.actions, own)})
    assert library.serving("org_design:single_view") == [own, shared]
    builtin = load_library()  # grouped by step: a side action of step 1 still comes last
    assert [a.id for a in builtin.serving("org_design:incentives_current")] == [
        "Q-INCE-1", "Q-INCE-2", "L-RCG-1"]


def test_gap_items_and_their_labels_come_from_the_templates():
    items = {item.ref: item for item in gap_items()}
    cells = [item for item in items.values() if item.step is not None]
    assert len(cells) == 35 and {c.step for c in cells} == {1, 2, 3, 4, 5}
    for ref in ("org_design:customers_offer_current", "org_design:transparency",
                "org_design:cco_owner", "customer_learning:recognition",
                "customer_learning:value_kind", "insight_to_action:power_to_act",
                "insight_to_action:insight_timing"):
        assert ref in items and items[ref].step is None and items[ref].expected == (1, 3)
    for ref in ("org_design:customers_offer_importance", "org_design:customers_offer_notes",
                "maturity_ladder:target_step", "customer_learning:review_interval_months"):
        assert ref not in items
    assert items["maturity_ladder:s1_communication_systems"].expected == (2, 4)
    assert item_label("maturity_ladder:s2_information_sharing") == "Step 2 · Information sharing"
    assert item_label("org_design:customers_offer_current") == "Chosen customers and offer"
    assert item_label("my_survey:team_spirit_current") == "Team spirit"
    assert cell_step("maturity_ladder:s4_working_climate") == 4
    assert cell_step("org_design:transparency") is None


def test_bad_field_is_reported_with_file_line_and_field(tmp_path):
    path, line = _changed(tmp_path, "effort: S\n", "effort: XL\n")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert problem.row == line
    assert problem.column == "actions[0].effort"
    assert str(path) in str(caught.value)


def test_a_ladder_action_in_another_step_is_refused_with_its_line(tmp_path):
    path, line = _changed(tmp_path, "step: 2\n", "step: 3\n")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    (problem,) = caught.value.problems
    assert problem.column == "actions[2].applies_to[0]"
    assert problem.row == line + 1  # the applies_to line, right below the step
    assert "maturity_ladder:s2_information_sharing" in problem.message
    assert "step 2" in problem.message and "step 3" in problem.message


@pytest.mark.parametrize(("ref", "message"), [
    ("maturity_ladder:s1_vibes", "has no question 's1_vibes'"),
    ("org_design:customers_offer_importance", "not an assessed item"),
    ("org_design transparency", "should match pattern"),
])
def test_unknown_or_unassessed_items_are_refused(tmp_path, ref, message):
    path, line = _changed(tmp_path, "org_design:customers_offer_current", ref)
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (line, "actions[3].applies_to[0]")
    assert message in problem.message


def test_an_item_of_an_unknown_questionnaire_is_a_warning_only(tmp_path):
    path, _line = _changed(tmp_path, "org_design:customers_offer_current",
                           "my_survey:team_spirit")
    library = load_library(path)
    (warning,) = quality_problems(library)
    assert warning.severity == "warning" and "my_survey" in warning.message
    assert (warning.row, warning.column) == (4, "applies_to")


def test_unknown_and_later_dependencies_are_located(tmp_path):
    path, line = _changed(tmp_path, "depends_on: [S1-COM-1]", "depends_on: [NOPE-1]")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    (problem,) = caught.value.problems
    assert problem.row == line and "NOPE-1" in problem.message
    assert problem.column == "actions[1].depends_on"

    path, line = _changed(tmp_path, "depends_on: [S1-COM-1]", "depends_on: [S2-INF-1]")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    (problem,) = caught.value.problems
    assert problem.row == line and "later step" in problem.message


def test_dependency_cycle_is_refused(tmp_path):
    path, _line = _changed(tmp_path, "    evidence: Three departments post customer stories "
                           "in the same month\n",
                           "    evidence: Three departments post customer stories in the "
                           "same month\n    depends_on: [S1-COM-2]\n")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    assert {p.column for p in caught.value.problems} == {"actions[0].depends_on",
                                                          "actions[1].depends_on"}
    assert all("cycle" in p.message for p in caught.value.problems)


def test_duplicate_ids_are_refused(tmp_path):
    path, line = _changed(tmp_path, "id: S1-COM-2", "id: S1-COM-1")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    assert any(p.row == line and "already used" in p.message for p in caught.value.problems)


def test_broken_yaml_names_the_line(tmp_path):
    path = _write(tmp_path, "format_version: 2\nactions:\n  - id: [unclosed\n")
    with pytest.raises(LibraryError) as caught:
        load_library(path)
    assert caught.value.problems[0].kind == "broken_yaml"
    assert caught.value.problems[0].row is not None


def test_a_format_1_document_is_upgraded():
    data = {"format_version": 1, "actions": [
        {"id": "A", "applies_to": {"step": 3, "foundation": "working_climate"}, "x": 1},
        {"id": "B", "applies_to": {"design_question": "incentives"}},
    ]}
    upgraded = upgrade_library_document(data)
    assert upgraded["format_version"] == 2
    cell, question = upgraded["actions"]
    assert cell == {"id": "A", "x": 1, "kind": "practice", "step": 3,
                    "applies_to": ["maturity_ladder:s3_working_climate"],
                    "unit": "count", "data_source": TO_AGREE}
    assert (question["kind"], question["step"], question["applies_to"]) == (
        "design", 1, ["org_design:incentives_current"])
    assert data["actions"][0]["applies_to"] == {"step": 3, "foundation": "working_climate"}
    unversioned = {"actions": [{"applies_to": {"design_question": "leaders"}}]}
    assert upgrade_library_document(unversioned)["format_version"] == 2
    current = {"format_version": 2, "actions": [{"applies_to": ["org_design:leaders_current"]}]}
    assert upgrade_library_document(current) is current


def test_a_format_1_file_loads_and_lists_what_is_still_to_agree(tmp_path):
    library = load_library(_write(tmp_path, V1))
    cell, question = library.actions
    assert (cell.step, cell.kind, cell.applies_to) == (
        2, "practice", ("maturity_ladder:s2_communication_systems",))
    assert (question.step, question.kind, question.applies_to) == (
        1, "design", ("org_design:leaders_current",))
    assert (cell.unit, cell.data_source, cell.baseline, cell.target) == (
        "count", TO_AGREE, None, None)
    assert cell.measure == "Active posters per month"
    # a design action (step 1 once upgraded) on a step-2 action is refused, not guessed
    later = V1 + "    depends_on: [S2-COM-1]\n"
    with pytest.raises(LibraryError, match="later step") as caught:
        load_library(_write(tmp_path, later, "later.yaml"))
    assert caught.value.problems[0].column == "actions[1].depends_on"
    warnings = quality_problems(library)
    assert [(w.row, w.column) for w in warnings] == [
        (1, "target"), (1, "data_source"), (2, "target"), (2, "data_source")]


def test_coverage_warns_per_item_with_too_few_or_too_many_actions(tmp_path):
    library = load_library(_write(tmp_path, SMALL))
    warnings = {p.column: p for p in coverage_problems(library)}
    assert "maturity_ladder:s1_communication_systems" not in warnings  # 2 actions
    assert "org_design:customers_offer_current" not in warnings  # 1 action
    assert "org_design:single_view" not in warnings
    one = warnings["maturity_ladder:s2_information_sharing"]
    assert one.severity == "warning"
    assert one.message == ("Step 2 · Information sharing (maturity_ladder:s2_information_sharing)"
                           " has 1 action; expected 2 to 4")
    assert "has 0 actions; expected 1 to 3" in warnings["org_design:cco_owner"].message
    assert len(warnings) == len(gap_items()) - 3

    first = library.actions[0]
    crowded = library.model_copy(update={"actions": (
        *library.actions, *(first.model_copy(update={"id": f"X{n}"}) for n in range(3)))})
    assert "has 5 actions; expected 2 to 4" in {
        p.column: p for p in coverage_problems(crowded)}[
        "maturity_ladder:s1_communication_systems"].message


def test_the_builtin_library_is_one_file_grouped_by_step_then_item():
    library = load_library()
    assert sorted(p.name for p in templates_dir().glob("actions*")) == ["actions.yaml"]
    steps = [a.step for a in library.actions]
    assert steps == sorted(steps)
    groups = [(a.step, a.applies_to[0]) for a in library.actions]
    runs = [group for at, group in enumerate(groups) if at == 0 or groups[at - 1] != group]
    assert len(runs) == len(set(runs)), "an item's actions of one step sit together"
    ladder = [ref.startswith("maturity_ladder:") for _, ref in groups]
    for step in set(steps):  # within a step, the ladder cells come before the other items
        in_step = [is_cell for is_cell, s in zip(ladder, steps, strict=True) if s == step]
        assert in_step == sorted(in_step, reverse=True), step


def test_the_default_library_problems_name_the_templates_file(tmp_path, monkeypatch):
    path, line = _changed(tmp_path, "effort: M\n", "effort: XXL\n")
    monkeypatch.setattr(library_module, "templates_dir", lambda: tmp_path)
    with pytest.raises(LibraryError) as caught:
        load_library()
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), line, "actions[3].effort")


def _every_field_library(tmp_path) -> ActionLibrary:
    library = load_library(_write(tmp_path, SMALL))
    first = library.actions[0]
    odd = first.model_copy(update={
        "id": "ODD.1_x", "title": "Commas, quotes \"and\" = signs", "target": None,
        "baseline": 0.25, "unit": "score 0-10", "data_source": TO_AGREE,
        "applies_to": ("maturity_ladder:s1_communication_systems", "org_design:transparency"),
        "depends_on": ("S1-COM-1", "S1-COM-2"), "measure": "=1+1 is text, not a formula"})
    return library.model_copy(update={"actions": (*library.actions, odd)})


def test_xlsx_round_trip_keeps_every_field(tmp_path):
    library = _every_field_library(tmp_path)
    path = tmp_path / "library.xlsx"
    export_library_xlsx(library, path)
    assert import_library_xlsx(path) == library
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    assert [c.value for c in sheet[1]] == list(LIBRARY_COLUMNS)
    letter = {name: openpyxl.utils.get_column_letter(i + 1)
              for i, name in enumerate(LIBRARY_COLUMNS)}
    validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    assert {f"{letter[c]}2" for c in ("kind", "step", "effort", "duration_days")} <= validated
    odd = [c.value for c in sheet[6]]
    assert odd[LIBRARY_COLUMNS.index("applies_to")] == (
        "maturity_ladder:s1_communication_systems, org_design:transparency")
    assert odd[LIBRARY_COLUMNS.index("target")] is None
    items = [row[0].value for row in book["Items"].iter_rows(min_row=2)]
    assert items == [item.ref for item in gap_items()]


def test_xlsx_edits_are_imported_and_errors_name_row_and_column(tmp_path):
    path = tmp_path / "library.xlsx"
    export_library_xlsx(load_library(_write(tmp_path, SMALL)), path)
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    col = {name: i + 1 for i, name in enumerate(LIBRARY_COLUMNS)}
    sheet.cell(2, col["title"]).value = "A sharper title"
    sheet.cell(3, col["target"]).value = None
    sheet.cell(5, col["applies_to"]).value = "org_design:customers_offer_current,org_design:leaders_current"
    book.save(path)
    imported = import_library_xlsx(path)
    assert imported.actions[0].title == "A sharper title"
    assert imported.actions[1].target is None
    assert imported.actions[3].applies_to == ("org_design:customers_offer_current",
                                              "org_design:leaders_current")

    sheet.cell(2, col["effort"]).value = "huge"
    sheet.cell(3, col["step"]).value = 2  # its ladder cell is in step 1
    sheet.cell(4, col["unit"]).value = None
    sheet.cell(5, col["applies_to"]).value = "leaders"
    book.save(path)
    with pytest.raises(LibraryError) as caught:
        import_library_xlsx(path)
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {(2, "effort"), (3, "applies_to"), (4, "unit"), (5, "applies_to")}


def test_a_format_1_workbook_is_upgraded_and_located_by_its_own_columns(tmp_path):
    path = tmp_path / "old library.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(list(V1_COLUMNS))
    row = {"id": "S2-COM-1", "title": "Open a channel", "purpose": "Why.",
           "owner_role": "Internal communications lead", "effort": "S", "duration_days": 15,
           "measure": "Active posters per month", "evidence": "Three departments post",
           "step": 2, "foundation": "communication_systems", "design_question": None,
           "depends_on": None}
    sheet.append([row[c] for c in V1_COLUMNS])
    question = {**row, "id": "DQ-1", "step": None, "foundation": None,
                "design_question": "incentives"}
    sheet.append([question[c] for c in V1_COLUMNS])
    book.save(path)
    library = import_library_xlsx(path)
    assert library.format_version == 2
    assert [a.applies_to for a in library.actions] == [
        ("maturity_ladder:s2_communication_systems",), ("org_design:incentives_current",)]
    assert library.actions[0].data_source == TO_AGREE

    sheet.cell(2, V1_COLUMNS.index("foundation") + 1).value = "vibes"
    sheet.cell(3, V1_COLUMNS.index("design_question") + 1).value = "luck"
    book.save(path)
    with pytest.raises(LibraryError) as caught:
        import_library_xlsx(path)
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {(2, "foundation"), (3, "design_question")}

    sheet.cell(3, V1_COLUMNS.index("design_question") + 1).value = "incentives"
    sheet.cell(3, V1_COLUMNS.index("effort") + 1).value = "XXL"
    book.save(path)
    with pytest.raises(LibraryError) as caught:
        import_library_xlsx(path)
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {(2, "foundation"), (3, "effort")}


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "library.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Actions"
    book.active.append(["id", "title"])
    book.save(path)
    with pytest.raises(LibraryError) as caught:
        import_library_xlsx(path)
    assert {p.column for p in caught.value.problems} == set(LIBRARY_COLUMNS) - {"id", "title"}


def test_not_a_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "library.xlsx"
    shutil.copy(_write(tmp_path, SMALL), path)
    with pytest.raises(WorkbenchError, match="library.xlsx"):
        import_library_xlsx(path)
