"""The library a project uses: built-in by default, an own validated, undoable copy once edited."""

from __future__ import annotations

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.plan.apply import propose_for_project
from workbench.core.plan.library import (
    LIBRARY_COLUMNS,
    TO_AGREE,
    ActionLibrary,
    LibraryError,
    load_library,
)
from workbench.core.plan.project_library import (
    SETTING_KEY,
    add_action,
    blank_action,
    duplicate_action,
    export_project_library_xlsx,
    has_own_library,
    import_project_library_xlsx,
    make_action,
    project_library,
    remove_action,
    reset_project_library,
    save_project_library,
    update_action,
    validate_library,
)
from workbench.core.project import Project

COLUMN = {name: i + 1 for i, name in enumerate(LIBRARY_COLUMNS)}


def _action(action_id: str, step: int, refs: list[str], **changes) -> dict:
    data = {
        "id": action_id, "title": f"Action {action_id}", "purpose": "Why it helps customers.",
        "kind": "practice", "step": step, "applies_to": refs,
        "owner_role": "Operations manager", "effort": "S", "duration_days": 20,
        "measure": "Share of complaints answered within two days", "unit": "%",
        "baseline": None, "target": 80, "data_source": "Complaints log",
        "evidence": "Customers stop chasing answers", "depends_on": [],
    }
    data.update(changes)
    return data


def _small() -> ActionLibrary:
    """Five actions: two ladder cells of step 1, one of step 2, one design question."""
    return validate_library({"format_version": 2, "actions": [
        _action("A-1", 1, ["maturity_ladder:s1_communication_systems"]),
        _action("A-2", 1, ["maturity_ladder:s1_communication_systems"], depends_on=["A-1"]),
        _action("B-1", 1, ["maturity_ladder:s1_information_sharing"], depends_on=["A-1"]),
        _action("C-1", 2, ["maturity_ladder:s2_working_climate", "org_design:transparency"],
                kind="structure", baseline=0, target=3, unit="teams", depends_on=["B-1"]),
        _action("D-1", 1, ["org_design:leaders_current"], kind="design"),
    ]})


@pytest.fixture
def own(project) -> Project:
    """A project holding the small library as its own (one undo step)."""
    save_project_library(project, _small(), "Use the small library")
    return project


def _fields(action, **changes):
    data = action.model_dump(mode="json")
    data.update(changes)
    return data


def test_a_project_without_its_own_library_uses_the_builtin(project):
    assert not has_own_library(project)
    assert project_library(project) == load_library()


def test_an_edited_action_is_what_the_proposal_uses(demo):
    before = propose_for_project(demo)
    proposed = before.actions[0]
    library_id = proposed.library_id
    edited = make_action(_fields(project_library(demo).by_id(library_id),
                                 title="Sharper title from the consultant", target=55))
    update_action(demo, library_id, edited)
    after = {a.uid: a for a in propose_for_project(demo).actions}
    assert after[proposed.uid].title == "Sharper title from the consultant"
    assert after[proposed.uid].target == 55
    demo.undo()
    assert not has_own_library(demo)
    assert {a.uid: a for a in propose_for_project(demo).actions}[proposed.uid].title \
        == proposed.title


def test_the_edited_library_travels_with_the_project_file(own):
    first = project_library(own).actions[0]
    update_action(own, first.id, make_action(_fields(first, owner_role="Chief of staff")))
    path = own.path
    own.close()
    with Project.open(path) as reopened:
        assert has_own_library(reopened)
        assert project_library(reopened).by_id(first.id).owner_role == "Chief of staff"
        assert reopened.settings.get(SETTING_KEY)["format_version"] == 2


def test_a_stored_format_1_library_is_upgraded_and_saved_as_format_2(project):
    old = {"format_version": 1, "actions": [
        {"id": "S1-COM-1", "title": "Open a channel", "purpose": "Why.",
         "owner_role": "Internal communications lead", "effort": "S", "duration_days": 15,
         "measure": "Active posters", "evidence": "Posts from three departments",
         "applies_to": {"step": 1, "foundation": "communication_systems"}, "depends_on": []},
        {"id": "DQ-1", "title": "Decide the offer", "purpose": "Why.",
         "owner_role": "Executive sponsor", "effort": "M", "duration_days": 30,
         "measure": "Leaders naming the same customers", "evidence": "Minutes",
         "applies_to": {"design_question": "customers_offer"}, "depends_on": ["S1-COM-1"]},
    ]}
    project.settings.set(SETTING_KEY, old, "an engagement from an earlier version")
    library = project_library(project)
    assert [(a.step, a.kind, a.applies_to) for a in library.actions] == [
        (1, "practice", ("maturity_ladder:s1_communication_systems",)),
        (1, "design", ("org_design:customers_offer_current",))]
    assert {(a.unit, a.data_source, a.target) for a in library.actions} == {
        ("count", TO_AGREE, None)}

    first = library.actions[0]
    update_action(project, first.id, make_action(_fields(first, target=4, unit="departments")))
    stored = project.settings.get(SETTING_KEY)
    assert stored["format_version"] == 2
    assert stored["actions"][0]["applies_to"] == ["maturity_ladder:s1_communication_systems"]
    assert (stored["actions"][0]["target"], stored["actions"][0]["unit"]) == (4, "departments")


def test_xlsx_round_trip_edit_is_stored_and_undo_restores(own, tmp_path):
    path = tmp_path / "library.xlsx"
    export_project_library_xlsx(own, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    original = sheet.cell(3, COLUMN["title"]).value
    action_id = sheet.cell(3, COLUMN["id"]).value
    sheet.cell(3, COLUMN["title"]).value = "Title edited in Excel"
    sheet.cell(3, COLUMN["target"]).value = 95
    book.save(path)

    import_project_library_xlsx(own, path)
    assert project_library(own).by_id(action_id).title == "Title edited in Excel"
    assert project_library(own).by_id(action_id).target == 95
    assert own.history.undo_label == "Import action library from library.xlsx"
    own.undo()
    assert project_library(own).by_id(action_id).title == original
    assert project_library(own) == _small()


@pytest.mark.parametrize(("row", "column", "value"), [
    (4, "depends_on", "NO-SUCH-ACTION"), (6, "effort", "XXL"),
    (5, "step", 3), (6, "applies_to", "org_design:no_such_question")])
def test_an_invalid_workbook_is_refused_with_row_and_column_and_nothing_changes(
        project, tmp_path, row, column, value):
    save_project_library(project, _small(), "Use the small library")
    path = tmp_path / "library.xlsx"
    export_project_library_xlsx(project, path)
    book = openpyxl.load_workbook(path)
    book["Actions"].cell(row, COLUMN[column]).value = value
    book.save(path)
    with pytest.raises(LibraryError) as caught:
        import_project_library_xlsx(project, path)
    expected = "applies_to" if column == "step" else column  # the cell is of another step
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [
        (str(path), row, expected)]
    assert project_library(project) == _small()
    assert project.history.undo_label == "Use the small library"


def test_save_refuses_duplicate_ids_unknown_dependencies_cycles_and_step_mismatch(own):
    library = project_library(own)
    a, b = library.by_id("A-1"), library.by_id("A-2")
    rest = [x for x in library.actions if x.id not in ("A-1", "A-2")]
    cases = {
        "already used": [a, a.model_copy(update={"title": "twin"}), b, *rest],
        "unknown action": [a.model_copy(update={"depends_on": ("GHOST",)}), b, *rest],
        "cycle": [a.model_copy(update={"depends_on": ("A-2",)}), b, *rest],
        "later step": [a.model_copy(update={"depends_on": ("C-1",)}), b, *rest],
        "cell of ladder step 1": [a.model_copy(update={"step": 2}), b, *rest],
    }
    for message, actions in cases.items():
        with pytest.raises(WorkbenchError, match=message):
            save_project_library(own, library.model_copy(update={"actions": tuple(actions)}),
                                 "bad edit")
    assert project_library(own) == _small()
    assert own.history.undo_label == "Use the small library"


def test_bad_form_fields_name_the_field(own):
    first = project_library(own).actions[0]
    with pytest.raises(LibraryError) as caught:
        make_action(_fields(first, effort="huge", duration_days=400, kind="vibes",
                            target="thirty", unit="", applies_to=[]))
    assert {p.column for p in caught.value.problems} == {
        "effort", "duration_days", "kind", "target", "unit", "applies_to"}
    assert all(p.row is None for p in caught.value.problems)
    with pytest.raises(LibraryError) as caught:
        make_action(_fields(first, step=3))
    assert [p.column for p in caught.value.problems] == ["applies_to[0]"]
    # dependencies name other actions: they are checked when the action is stored
    assert make_action(_fields(first, depends_on=["A-2"])).depends_on == ("A-2",)


def test_blank_action_follows_the_selected_action(own):
    library = project_library(own)
    like = library.by_id("C-1")
    blank = blank_action(library, like)
    assert blank.id == "NEW-1"
    assert (blank.step, blank.kind, blank.applies_to, blank.unit) == (
        like.step, like.kind, like.applies_to, like.unit)
    assert (blank.target, blank.data_source) == (None, TO_AGREE)
    fresh = blank_action(library)
    assert (fresh.step, fresh.applies_to) == (1, ("maturity_ladder:s1_communication_systems",))


def test_add_duplicate_remove_and_reset_are_each_one_undo_step(own):
    small = project_library(own)
    first = small.actions[0]
    new = make_action(_fields(first, id="NEW-1", title="A brand-new action", depends_on=[]))
    add_action(own, new)
    assert project_library(own).actions[-1] == new

    copy_id = duplicate_action(own, first.id)
    library = project_library(own)
    assert library.actions[1].id == copy_id == "A-1-2"
    assert library.actions[1].purpose == first.purpose
    assert library.actions[1].applies_to == first.applies_to

    remove_action(own, first.id)
    library = project_library(own)
    assert first.id not in {a.id for a in library.actions}
    assert library.by_id("A-2").depends_on == ()
    assert library.by_id("B-1").depends_on == ()

    with pytest.raises(WorkbenchError, match="NEW-1"):
        add_action(own, new)

    reset_project_library(own)
    assert not has_own_library(own)
    assert project_library(own) == load_library()
    steps = 0
    while own.undo() is not None:
        steps += 1
    assert steps == 5  # the four changes and storing the small library
    assert own.settings.get(SETTING_KEY) is None


def test_renaming_an_action_follows_its_dependents(own):
    target = project_library(own).by_id("A-1")
    update_action(own, "A-1", make_action(_fields(target, id="RENAMED-1")))
    library = project_library(own)
    assert library.by_id("A-2").depends_on == ("RENAMED-1",)
    assert library.by_id("B-1").depends_on == ("RENAMED-1",)


def test_a_broken_stored_library_is_a_located_error(own):
    data = project_library(own).model_dump(mode="json")
    data["actions"][2]["effort"] = "huge"
    data["actions"][3]["applies_to"] = ["maturity_ladder:s3_working_climate"]
    own.settings.set(SETTING_KEY, data, "corrupt")
    with pytest.raises(LibraryError) as caught:
        project_library(own)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "effort"), (4, "applies_to[0]")]


def test_export_refuses_the_project_file(project):
    with pytest.raises(WorkbenchError, match="open project file"):
        export_project_library_xlsx(project, project.path)
