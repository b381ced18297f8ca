"""The facilitator's control view on the laptop while the presenter window shows the workshop.

It follows the presenter (item, timer, votes so far — never a value before the reveal), drives
it (Back, Reveal, Next, Leave), takes notes, and, when the presenter is on a projector, holds
the private voting pages so a participant's choice never appears on the big screen. Its
buttons are enabled by the live session's allowed actions, never by rules of its own.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.workshop.session import Action
from workbench.gui.presenter import TOUCH_HEIGHT, PresenterWindow, PrivatePane
from workbench.gui.style import SPACING
from workbench.gui.widgets import label

PAGE_STATES = {
    PresenterWindow.QUESTION: "The question is on screen",
    PresenterWindow.VOTE: "A participant is voting",
    PresenterWindow.PASS: "Waiting for the next participant",
    PresenterWindow.REVEAL: "The votes are revealed",
    PresenterWindow.NOTE: "A note is being written on screen",
}


class ControlView(QWidget):
    """Follows and drives one :class:`PresenterWindow`; idle when none is attached."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter: PresenterWindow | None = None
        self.pane: PrivatePane | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        facts = QGridLayout()
        facts.setHorizontalSpacing(SPACING * 2)
        self.item_label = label("Not presenting", "subtitle")
        self.title_label = label("", wrap=True)
        self.timer_label = label("")
        self.timer_label.setToolTip("Time spent on this item / time planned for it")
        self.count_label = label("")
        self.count_label.setToolTip("How many people have voted on this item. The values stay "
                                    "hidden until the reveal.")
        self.state_label = label("", "hint")
        facts.addWidget(self.item_label, 0, 0)
        facts.addWidget(self.timer_label, 0, 1)
        facts.addWidget(self.count_label, 0, 2)
        facts.addWidget(self.state_label, 0, 3)
        facts.addWidget(self.title_label, 1, 0, 1, 4)
        facts.setColumnStretch(3, 1)
        layout.addLayout(facts)

        controls = QHBoxLayout()
        controls.setSpacing(SPACING)
        self.buttons: list[QPushButton] = []
        self.actions: list[Action] = []  # what each button does, in the same order
        for text, action, tip in (("← Back", Action.PREVIOUS, "The previous agenda item"),
                                  ("Reveal", Action.REVEAL, "Show everyone the votes cast so far"),
                                  ("Next →", Action.NEXT, "The next agenda item"),
                                  ("Leave", Action.LEAVE, "Close the presenter view")):
            button = QPushButton(text, toolTip=tip)
            button.setMinimumHeight(TOUCH_HEIGHT)
            button.clicked.connect(lambda _=False, a=action: self.presenter.do(a))
            self.buttons.append(button)
            self.actions.append(action)
            controls.addWidget(button)
        self.phones_button = QPushButton("Phones", toolTip="Show the QR code and 6-digit code "
                                         "that let participants vote from their phones")
        self.phones_button.setMinimumHeight(TOUCH_HEIGHT)
        self.phones_button.clicked.connect(lambda: self.presenter.show_phones())
        controls.addWidget(self.phones_button)
        self.note_field = QLineEdit(placeholderText="Note on this item (Enter adds it)")
        self.note_field.setMinimumHeight(TOUCH_HEIGHT)
        self.note_field.setAccessibleName("Note on this item")
        self.note_field.returnPressed.connect(self.add_note)
        self.note_button = QPushButton("Add note")
        self.note_button.setMinimumHeight(TOUCH_HEIGHT)
        self.note_button.clicked.connect(self.add_note)
        controls.addWidget(self.note_field, 1)
        controls.addWidget(self.note_button)
        layout.addLayout(controls)
        self.private_area = QVBoxLayout()
        layout.addLayout(self.private_area, 1)
        self._enable(False)

    def attach(self, presenter: PresenterWindow, private: bool) -> None:
        """Follow ``presenter``; ``private`` moves its voting pages here (presenter elsewhere)."""
        self.presenter = presenter
        presenter.changed.connect(self.follow)
        if private:
            self.pane = PrivatePane(presenter)
            self.private_area.addWidget(self.pane)
        self._enable(True)
        self.follow()

    def detach(self) -> None:
        """Back to idle once the presenter has left."""
        self.presenter = None
        if self.pane is not None:
            self.pane.hide()
            self.pane.deleteLater()
            self.pane = None
        self._enable(False)
        for widget in (self.title_label, self.timer_label, self.count_label, self.state_label):
            widget.setText("")
        self.item_label.setText("Not presenting")

    def follow(self) -> None:
        p = self.presenter
        if p is None:
            return
        self.item_label.setText(f"Item {p.index + 1} of {len(p.items)}")
        self.title_label.setText(p.item.title)
        self.timer_label.setText(p.timer_label.text())
        self.count_label.setText(f"Votes so far: {p.vote_count()}")
        self.state_label.setText(PAGE_STATES[p.page])
        allowed = p.run.allowed()
        for button, action in zip(self.buttons, self.actions, strict=True):
            button.setEnabled(action in allowed)
        for widget in (self.note_field, self.note_button):
            widget.setEnabled(Action.NOTE in allowed)

    def add_note(self) -> None:
        if self.presenter is not None and self.presenter.add_note(self.note_field.text()):
            self.note_field.clear()

    def _enable(self, on: bool) -> None:
        for widget in (*self.buttons, self.phones_button, self.note_field, self.note_button):
            widget.setEnabled(on)
