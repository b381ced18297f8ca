"""What every sidebar panel shares: its context, the session it shows and when to refresh."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from workbench.core.tasks import Progress
from workbench.gui.context import AppContext
from workbench.gui.session import ProjectSession
from workbench.gui.widgets import EmptyState
from workbench.gui.workers import Task


class Panel(QWidget):
    """A page of the main window. Subclasses build ``content`` and implement ``refresh``.

    ``watches`` names the tables whose changes make this panel refresh; a change of unknown
    scope (``None``: Save As) refreshes every panel. A hidden panel only notes that it is out
    of date and reloads when it is shown again.

    The panel reaches the application only through its :class:`AppContext` (``set_context``):
    ``run_task`` for background work, ``context.show_error`` / ``show_status`` / ``go_to``.
    While a task that edits the project runs, ``set_editing_enabled(False)`` disables the
    widgets listed by ``editing_widgets``.
    """

    title = ""
    watches: frozenset[str] = frozenset()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ProjectSession | None = None
        self._context: AppContext | None = None
        self._dirty = False
        self._stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self.empty = self.build_empty_state()
        self.content = self.build_content()
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self.content)

    def build_empty_state(self) -> EmptyState:
        raise NotImplementedError

    def build_content(self) -> QWidget:
        raise NotImplementedError

    # -- the application ----------------------------------------------------------------------

    @property
    def context(self) -> AppContext:
        if self._context is None:
            raise RuntimeError(f"{type(self).__name__} has no application context; "
                               "call set_context first.")
        return self._context

    def set_context(self, context: AppContext) -> None:
        self._context = context
        context.tasks.writing_changed.connect(self._writing_changed)
        self._writing_changed(context.busy_writing)

    def run_task(self, key: Hashable, title: str, func: Callable[[Progress], Any],
                 on_done: Callable[[Any], Any], *, writes: bool = False,
                 **callbacks: Any) -> Task:
        """Run ``func(progress)`` in the background; ``on_done(result)`` on the GUI thread.

        Starting a task with the ``key`` of this panel's task still running supersedes that
        one: its result is dropped. Failures are reported by the application. See
        :meth:`~workbench.gui.workers.TaskRunner.run_task` for ``on_failed``, ``on_cancelled``
        and ``on_finished``.
        """
        return self.context.tasks.run_task((type(self).__name__, key), title, func, on_done,
                                           writes=writes, owner=self, **callbacks)

    def editing_widgets(self) -> list[QWidget]:
        """Widgets that change the project; disabled while a background task writes to it."""
        return []

    def set_editing_enabled(self, enabled: bool) -> None:
        for widget in self.editing_widgets():
            widget.setEnabled(enabled)

    def _writing_changed(self, busy: bool) -> None:
        self.set_editing_enabled(not busy)

    # -- the project ------------------------------------------------------------------------

    def has_content(self) -> bool:
        """Whether the open project has something for this panel to show."""
        return self.session is not None

    def set_session(self, session: ProjectSession | None) -> None:
        if self.session is not None:
            self.session.project_changed.disconnect(self._on_changed)
        if self._context is not None:  # results computed for the previous project are stale
            self._context.tasks.supersede_owned(self)
        self.session = session
        if session is not None:
            session.project_changed.connect(self._on_changed)
        if self.isVisible():
            self.reload()
        else:  # filled when shown: opening a project refreshes only the page in view
            self._dirty = True

    def _on_changed(self, tables: frozenset[str] | None) -> None:
        if tables is None or tables & self.watches:
            if self.isVisible():
                self.reload()
            else:
                self._dirty = True  # refreshed when shown (see showEvent)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._dirty:
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        self._dirty = False
        showing = self.has_content()
        self._stack.setCurrentWidget(self.content if showing else self.empty)
        if showing:
            self.refresh()

    def refresh(self) -> None:
        """Fill ``content`` from the session's services."""
