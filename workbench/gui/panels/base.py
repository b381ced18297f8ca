"""What every sidebar panel shares: the session it shows and when to refresh."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from workbench.gui.session import ProjectSession
from workbench.gui.widgets import EmptyState


class Panel(QWidget):
    """A page of the main window. Subclasses build ``content`` and implement ``refresh``.

    ``watches`` names the tables whose changes make this panel refresh; an empty change set
    (Save As, undo of unknown scope) refreshes every panel.
    """

    title = ""
    watches: frozenset[str] = frozenset()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ProjectSession | None = None
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

    def has_content(self) -> bool:
        """Whether the open project has something for this panel to show."""
        return self.session is not None

    def set_session(self, session: ProjectSession | None) -> None:
        if self.session is not None:
            self.session.project_changed.disconnect(self._on_changed)
        self.session = session
        if session is not None:
            session.project_changed.connect(self._on_changed)
        self.reload()

    def _on_changed(self, tables: frozenset[str]) -> None:
        if not tables or tables & self.watches:
            self.reload()

    def reload(self) -> None:
        showing = self.has_content()
        self._stack.setCurrentWidget(self.content if showing else self.empty)
        if showing:
            self.refresh()

    def refresh(self) -> None:
        """Fill ``content`` from the session's services."""
