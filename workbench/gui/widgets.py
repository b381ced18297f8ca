"""Small shared widgets: empty states, titled pages, figure cards."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.wording import count
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
        self.buttons = QHBoxLayout()  # the main action, then any other way to start
        self.buttons.setSpacing(SPACING)
        self.buttons.addStretch(1)
        if action:
            self.button = QPushButton(action)
            self.button.setProperty("role", "primary")
            self.button.clicked.connect(self.activated)
            self.buttons.addWidget(self.button)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        layout.addStretch(2)
        layout.setAlignment(self.text, Qt.AlignHCenter)
        self._fit_text()

    TEXT_WIDTH = 560  # the explanation's line length; narrower only when the page is

    def add_button(self, text: str, slot) -> QPushButton:
        """A second, plain button beside the main one (another way to begin)."""
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    def _fit_text(self) -> None:
        """Give the word-wrapped explanation a definite width and the height its lines need.

        A wrapped QLabel in a box layout is otherwise laid out from a guessed width and height,
        which cut the text off at the top and bottom.
        """
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()
        width = max(min(self.TEXT_WIDTH, room), 200)
        self.text.setFixedWidth(width)
        self.text.setFixedHeight(self.text.heightForWidth(width))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._fit_text()
        super().resizeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override: the style sets the font
        self._fit_text()
        super().showEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override: theme or font changed
        if event.type() in (QEvent.StyleChange, QEvent.FontChange):
            self._fit_text()
        super().changeEvent(event)


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

    def set_count(self, n: int, singular: str, plural: str | None = None) -> None:
        """Show a count with a caption that agrees with it ("1 network mapped")."""
        number, _, caption = count(n, singular, plural).partition(" ")
        self.value.setText(number)
        self.caption.setText(caption)


def presenter_screen() -> QScreen:
    """The second screen when one is connected, otherwise the primary one."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    return next((s for s in screens if s is not primary), primary)


def show_full_screen(window: QWidget, screen: QScreen | None = None) -> None:
    """Show ``window`` full screen on ``screen`` (default: the projector, see
    :func:`presenter_screen`), in front and with the keyboard."""
    screen = screen or presenter_screen()
    window.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()
    window.raise_()
    window.activateWindow()
    window.setFocus()
