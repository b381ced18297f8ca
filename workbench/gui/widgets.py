"""Small shared widgets: empty states, titled pages, figure cards."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.gui.style import SPACING


def label(text: str, role: str | None = None, *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


def page_layout(widget: QWidget) -> QVBoxLayout:
    """The vertical layout every panel page uses: 24-px margins, 8-px spacing."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(SPACING * 3, SPACING * 3, SPACING * 3, SPACING * 3)
    layout.setSpacing(SPACING)
    return layout


class EmptyState(QWidget):
    """Says what to do next, with the button to do it."""

    activated = Signal()

    def __init__(self, title: str, text: str, action: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING * 2)
        layout.addStretch(1)
        self.title = label(title, "title")
        self.text = label(text, "subtitle", wrap=True)
        for w in (self.title, self.text):
            w.setAlignment(Qt.AlignCenter)
            layout.addWidget(w)
        self.button: QPushButton | None = None
        if action:
            self.button = QPushButton(action)
            self.button.setProperty("role", "primary")
            self.button.clicked.connect(self.activated)
            layout.addWidget(self.button, 0, Qt.AlignCenter)
        layout.addStretch(2)
        self.text.setMaximumWidth(560)
        layout.setAlignment(self.text, Qt.AlignHCenter)


class FigureCard(QFrame):
    """A number with its caption and a plain-language tooltip."""

    def __init__(self, caption: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        self.value = label("–", "figure")
        self.caption = label(caption, "hint", wrap=True)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setToolTip(explanation)

    def set_value(self, text: str) -> None:
        self.value.setText(text)
