"""The library a project uses: built-in by default, an own validated, undoable copy once edited."""

from __future__ import annotations

import openpyxl
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.plan.apply import propose_for_project
from workbench.core.plan.builder import action_uid
from workbench.core.plan.library import LIBRARY_COLUMNS, LibraryError, load_library
from workbench.core.plan.project_library import (
    SETTING_KEY,
    add_action,
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
)
from workbench.core.project import Project

COLUMN = {name: i + 1 for i, name in enumerate(LIBRARY_COLUMNS)}


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
    library_id = next(a.id for a in project_library(demo).actions
                      if action_uid(a.id) == proposed.uid)
    edited = make_action(_fields(project_library(demo).by_id(library_id),
                                 title="Sharper title from the consultant"))
    update_action(demo, library_id, edited)
    after = {a.uid: a for a in propose_for_project(demo).actions}
    assert after[proposed.uid].title == "Sharper title from the consultant"
    demo.undo()
    assert not has_own_library(demo)
    assert {a.uid: a for a in propose_for_project(demo).actions}[proposed.uid].title \
        == proposed.title


def test_the_edited_library_travels_with_the_project_file(demo):
    first = project_library(demo).actions[0]
    update_action(demo, first.id, make_action(_fields(first, owner_role="Chief of staff")))
    path = demo.path
    demo.close()
    with Project.open(path) as reopened:
        assert has_own_library(reopened)
        assert project_library(reopened).by_id(first.id).owner_role == "Chief of staff"


def test_xlsx_round_trip_edit_is_stored_and_undo_restores(project, tmp_path):
    path = tmp_path / "library.xlsx"
    export_project_library_xlsx(project, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    original = sheet.cell(3, COLUMN["title"]).value
    action_id = sheet.cell(3, COLUMN["id"]).value
    sheet.cell(3, COLUMN["title"]).value = "Title edited in Excel"
    book.save(path)

    import_project_library_xlsx(project, path)
    assert project_library(project).by_id(action_id).title == "Title edited in Excel"
    assert project.history.undo_label == "Import action library from library.xlsx"
    project.undo()
    assert project_library(project).by_id(action_id).title == original
    assert not has_own_library(project)


@pytest.mark.parametrize(("row", "column", "value"),
                         [(4, "depends_on", "NO-SUCH-ACTION"), (6, "effort", "XXL")])
def test_an_invalid_workbook_is_refused_with_row_and_column_and_nothing_changes(
        project, tmp_path, row, column, value):
    path = tmp_path / "library.xlsx"
    export_project_library_xlsx(project, path)
    book = openpyxl.load_workbook(path)
    book["Actions"].cell(row, COLUMN[column]).value = value
    book.save(path)
    with pytest.raises(LibraryError) as caught:
        import_project_library_xlsx(project, path)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [(str(path), row, column)]
    assert not has_own_library(project)
    assert project.history.undo_label is None


def test_save_refuses_duplicate_ids_unknown_dependencies_and_cycles(project):
    library = project_library(project)
    a, b = library.actions[0], library.actions[1]
    same_area = [x for x in library.actions if x.applies_to == a.applies_to and x.id != a.id]
    cases = {
        "already used": [a, a.model_copy(update={"title": "twin"}), *library.actions[1:]],
        "unknown action": [a.model_copy(update={"depends_on": ("GHOST",)}),
                           *library.actions[1:]],
        "cycle": [a.model_copy(update={"depends_on": (same_area[0].id,)}),
                  *[x.model_copy(update={"depends_on": (a.id,)}) if x.id == same_area[0].id
                    else x for x in library.actions[1:]]],
    }
    for message, actions in cases.items():
        with pytest.raises(WorkbenchError, match=message):
            save_project_library(project, library.model_copy(update={"actions": tuple(actions)}),
                                 "bad edit")
    assert b.id in {x.id for x in project_library(project).actions}
    assert not has_own_library(project)
    assert project.history.undo_label is None


def test_bad_form_fields_name_the_field(project):
    first = project_library(project).actions[0]
    with pytest.raises(LibraryError) as caught:
        make_action(_fields(first, effort="huge", duration_days=400))
    assert {p.column for p in caught.value.problems} == {"effort", "duration_days"}


def test_add_duplicate_remove_and_reset_are_each_one_undo_step(project):
    builtin = project_library(project)
    first = builtin.actions[0]
    new = make_action(_fields(first, id="NEW-1", title="A brand-new action", depends_on=[]))
    add_action(project, new)
    assert project_library(project).actions[-1] == new

    copy_id = duplicate_action(project, first.id)
    library = project_library(project)
    assert library.actions[1].id == copy_id and copy_id not in {a.id for a in builtin.actions}
    assert library.actions[1].purpose == first.purpose

    dependent = next(a for a in builtin.actions if first.id in a.depends_on)
    remove_action(project, first.id)
    library = project_library(project)
    assert first.id not in {a.id for a in library.actions}
    assert first.id not in library.by_id(dependent.id).depends_on

    with pytest.raises(WorkbenchError, match="NEW-1"):
        add_action(project, new)

    reset_project_library(project)
    assert project_library(project) == builtin
    steps = 0
    while project.undo() is not None:
        steps += 1
    assert steps == 4
    assert project.settings.get(SETTING_KEY) is None


def test_renaming_an_action_follows_its_dependents(project):
    builtin = project_library(project)
    dependent = next(a for a in builtin.actions if a.depends_on)
    target = builtin.by_id(dependent.depends_on[0])
    update_action(project, target.id, make_action(_fields(target, id="RENAMED-1")))
    assert "RENAMED-1" in project_library(project).by_id(dependent.id).depends_on


def test_a_broken_stored_library_is_a_located_error(project):
    data = project_library(project).model_dump(mode="json")
    data["actions"][2]["effort"] = "huge"
    project.settings.set(SETTING_KEY, data, "corrupt")
    with pytest.raises(LibraryError) as caught:
        project_library(project)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "effort")]


def test_export_refuses_the_project_file(project):
    with pytest.raises(WorkbenchError, match="open project file"):
        export_project_library_xlsx(project, project.path)
