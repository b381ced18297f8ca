"""What panels and dialogs may ask of the application: the seam between them and the window.

The :class:`~workbench.gui.main_window.MainWindow` implements :class:`AppContext` and hands
itself to every panel (``Panel.set_context``) and dialog (constructor argument). Tests build
panels standalone with any small object that has these members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from workbench.gui.session import ProjectSession
    from workbench.gui.workers import TaskRunner


class AppContext(Protocol):
    """The application as panels and dialogs see it.

    - ``session``: the open project, or None.
    - ``tasks``: the :class:`~workbench.gui.workers.TaskRunner`; start background work with
      ``tasks.run_task(key, title, func, on_done, writes=...)``. Its ``writing_changed(bool)``
      signal and :attr:`busy_writing` say when a task edits the project.
    - ``show_error(message, details="")``: a message box; with ``details`` (a traceback) the
      error dialog with a copyable report.
    - ``show_status(message, msecs)``: a transient message in the status bar.
    - ``go_to(page)``: show a sidebar page by its title ("Questionnaires", "Plan"...).
    """

    @property
    def session(self) -> ProjectSession | None: ...

    @property
    def tasks(self) -> TaskRunner: ...

    @property
    def busy_writing(self) -> bool: ...

    def show_error(self, message: str, details: str = "") -> None: ...

    def show_status(self, message: str, msecs: int = 6000) -> None: ...

    def go_to(self, page: str) -> None: ...


def dialog_parent(context: AppContext, parent: QWidget | None = None) -> QWidget | None:
    """The parent for a dialog: the one given, else the context when it is a window."""
    if parent is not None:
        return parent
    from PySide6.QtWidgets import QWidget

    return context if isinstance(context, QWidget) else None
