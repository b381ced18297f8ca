"""The action library a project uses: the built-in one, or the engagement's own edited copy.

An edited library is stored in the project's settings (key ``plan.library``) as plain JSON, so it
travels with the engagement file and every change is one undoable edit. Each save is validated
as a whole (field rules, item references, ladder steps, duplicate ids, unknown or cyclic
dependencies) before anything is written; problems are located by the action's position in the
library and the field. A library stored in format 1 (before item references) is upgraded when
it is read (:func:`~workbench.core.plan.library.upgrade_library_document`) and saved in
format 2 with the next change.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.plan.library import (
    LADDER_TEMPLATE,
    TO_AGREE,
    ActionLibrary,
    ActionTemplate,
    LibraryError,
    export_library_xlsx,
    import_library_xlsx,
    load_library,
    validate_library_document,
)
from workbench.core.yaml_source import field_path

if TYPE_CHECKING:
    from workbench.core.project import Project

SETTING_KEY = "plan.library"
SOURCE_NAME = "Action library"


@functools.cache
def builtin_library() -> ActionLibrary:
    """The library shipped with the app (read once per process; the model is immutable)."""
    return load_library()


def has_own_library(project: Project) -> bool:
    """True when the project holds its own edited library instead of the built-in one."""
    return project.settings.get(SETTING_KEY) is not None


def project_library(project: Project) -> ActionLibrary:
    """The library this project's proposals use; ``LibraryError`` if the stored copy is broken."""
    data = project.settings.get(SETTING_KEY)
    return builtin_library() if data is None else validate_library(data)


def validate_library(data: Mapping[str, Any], *, dependencies: bool = True) -> ActionLibrary:
    """Validate a library given as plain data (format 1 is upgraded); problems name the
    action's row and the field. ``dependencies=False`` skips the whole-library checks."""
    return validate_library_document(data, SOURCE_NAME, _locate, dependencies=dependencies)


def _locate(loc: tuple[str | int, ...]) -> tuple[int | None, str]:
    if len(loc) >= 2 and loc[0] == "actions" and isinstance(loc[1], int):
        return loc[1] + 1, field_path(loc[2:]) or "action"
    return None, field_path(loc)


def save_project_library(project: Project, library: ActionLibrary, label: str) -> None:
    """Validate ``library`` and store it in the project as one undoable edit named ``label``."""
    data = validate_library(library.model_dump(mode="json")).model_dump(mode="json")
    project.settings.set(SETTING_KEY, data, label)


def reset_project_library(project: Project) -> None:
    """Go back to the built-in library (one undoable edit; a no-op without an own copy)."""
    if has_own_library(project):
        project.settings.set(SETTING_KEY, None, "Reset action library to built-in")


def make_action(fields: Mapping[str, Any]) -> ActionTemplate:
    """An action from form or script fields (the YAML shape); ``LibraryError`` names each field.

    Its dependencies are checked when it is stored in a library (they name other actions).
    """
    try:
        library = validate_library({"actions": [dict(fields)]}, dependencies=False)
    except LibraryError as error:
        raise LibraryError([_without_row(p) for p in error.problems]) from None
    return library.actions[0]


def _without_row(problem: Problem) -> Problem:
    return replace(problem, row=None)


def _edit(project: Project, label: str,
          change: Callable[[list[ActionTemplate]], list[ActionTemplate]]) -> None:
    actions = change(list(project_library(project).actions))
    save_project_library(project, ActionLibrary(actions=tuple(actions)), label)


def add_action(project: Project, action: ActionTemplate, label: str | None = None) -> None:
    """Append ``action`` to the project's library (refused if its id is taken)."""
    _edit(project, label or f"Add library action {action.id}", lambda acts: [*acts, action])


def update_action(project: Project, action_id: str, action: ActionTemplate,
                  label: str | None = None) -> None:
    """Replace the action ``action_id``; a new id is also changed in others' dependencies."""
    def change(actions: list[ActionTemplate]) -> list[ActionTemplate]:
        _index(actions, action_id)
        return [action if a.id == action_id else _renamed_dependency(a, action_id, action.id)
                for a in actions]

    _edit(project, label or f"Edit library action {action_id}", change)


def remove_action(project: Project, action_id: str, label: str | None = None) -> None:
    """Remove the action ``action_id``; actions that depended on it lose that dependency."""
    def change(actions: list[ActionTemplate]) -> list[ActionTemplate]:
        _index(actions, action_id)
        return [_renamed_dependency(a, action_id, None) for a in actions if a.id != action_id]

    _edit(project, label or f"Delete library action {action_id}", change)


def duplicate_action(project: Project, action_id: str) -> str:
    """Copy the action ``action_id`` under a new id, right after it; returns the new id."""
    library = project_library(project)
    source = library.actions[_index(list(library.actions), action_id)]
    new_id = unused_id(library, source.id)
    copy = source.model_copy(update={"id": new_id, "title": f"{source.title} (copy)"[:200]})

    def change(actions: list[ActionTemplate]) -> list[ActionTemplate]:
        at = _index(actions, action_id) + 1
        return [*actions[:at], copy, *actions[at:]]

    _edit(project, f"Duplicate library action {action_id}", change)
    return new_id


def blank_action(library: ActionLibrary, like: ActionTemplate | None = None) -> ActionTemplate:
    """A new action with a free id and placeholder texts, serving the items of ``like`` (same
    step, kind and owner role) if given; target and data source are left to agree."""
    return make_action({
        "id": unused_id(library, "NEW", start=1),
        "title": "New action",
        "purpose": "Why this action helps the organisation serve its customers.",
        "kind": like.kind if like else "practice",
        "step": like.step if like else 1,
        "applies_to": list(like.applies_to) if like
        else [f"{LADDER_TEMPLATE}:s1_communication_systems"],
        "owner_role": like.owner_role if like else "Executive sponsor",
        "effort": "S",
        "duration_days": 30,
        "measure": "The customer outcome that will show the action has worked.",
        "unit": like.unit if like else "count",
        "data_source": TO_AGREE,
        "evidence": "What someone could see once the action has worked.",
    })


def dependents(library: ActionLibrary, action_id: str) -> list[str]:
    """Ids of the actions that depend on ``action_id``."""
    return [a.id for a in library.actions if action_id in a.depends_on]


def unused_id(library: ActionLibrary, base: str, start: int = 2) -> str:
    """``base`` with the first free ``-N`` suffix from ``start`` (ids keep within 40 characters)."""
    taken = {a.id for a in library.actions}
    number = start
    while True:
        suffix = f"-{number}"
        candidate = base[:40 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def export_project_library_xlsx(project: Project, path: str | Path) -> None:
    """Write the project's library to an editable workbook (never over the project file)."""
    if Path(path).resolve() == project.path.resolve():
        raise WorkbenchError(
            f"{Path(path).name}: this is the open project file; choose another file name.")
    export_library_xlsx(project_library(project), path)


def import_project_library_xlsx(project: Project, path: str | Path) -> ActionLibrary:
    """Read an edited library workbook and store it (nothing changes if it has any error)."""
    library = import_library_xlsx(path)
    save_project_library(project, library, f"Import action library from {Path(path).name}")
    return library


def _index(actions: list[ActionTemplate], action_id: str) -> int:
    for index, action in enumerate(actions):
        if action.id == action_id:
            return index
    raise WorkbenchError(f"The library has no action {action_id!r}.")


def _renamed_dependency(action: ActionTemplate, old: str, new: str | None) -> ActionTemplate:
    if old not in action.depends_on or old == new:
        return action
    deps = tuple(new if d == old else d for d in action.depends_on if new is not None or d != old)
    return action.model_copy(update={"depends_on": deps})
