"""The open project as the GUI sees it: core services plus one ``project_changed`` signal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.core.store.history import ChangeSet


class ProjectSession(QObject):
    """Wraps a core :class:`Project`; panels call its services and listen to the signal.

    ``project_changed`` carries the frozenset of table names an edit touched, or ``None`` when
    the scope is unknown (Save As: refresh everything). It is emitted on the GUI thread after
    each committed edit, undo or redo that changed something; an edit that changed no row
    emits nothing.
    """

    project_changed = Signal(object)
    history_changed = Signal()

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._relay_signal.connect(self._relay)
        project.add_listener(self._on_change)

    _relay_signal = Signal(object)

    @property
    def path(self):
        return self.project.path

    def _on_change(self, changeset: ChangeSet | None) -> None:
        # Core listeners may run on a worker thread; hop to the GUI thread through a signal.
        self._relay_signal.emit(None if changeset is None else frozenset(changeset.tables))

    def _relay(self, tables: frozenset[str] | None) -> None:
        self.project_changed.emit(tables)
        self.history_changed.emit()

    def undo(self) -> str | None:
        changeset = self.project.undo()
        return changeset.label if changeset else None

    def redo(self) -> str | None:
        changeset = self.project.redo()
        return changeset.label if changeset else None

    @property
    def undo_label(self) -> str | None:
        return self.project.history.undo_label

    @property
    def redo_label(self) -> str | None:
        return self.project.history.redo_label

    def close(self) -> None:
        self.project.remove_listener(self._on_change)
        self.project.close()
