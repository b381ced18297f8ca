"""The page shown when no engagement is open: recent engagements and ways to start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench import APP_NAME
from workbench.gui.style import SPACING
from workbench.gui.widgets import label


class StartPage(QWidget):
    open_demo = Signal()
    new_project = Signal()
    open_project = Signal()
    open_recent = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(SPACING * 2)
        column.addStretch(1)
        column.addWidget(label(APP_NAME, "title"))
        column.addWidget(label(
            "Map how your organisation already works together for customers, compare it with "
            "what leaders say, and turn the gaps into a 100-day plan.", "subtitle", wrap=True))
        buttons = QHBoxLayout()
        self.demo_button = QPushButton("Open demo engagement")
        self.demo_button.setProperty("role", "primary")
        self.new_button = QPushButton("New engagement…")
        self.open_button = QPushButton("Open…")
        for button in (self.demo_button, self.new_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        column.addWidget(label("Recent engagements", "section"))
        self.recent = QListWidget()
        self.recent.setMinimumHeight(160)
        self.recent_empty = label("Engagements you open appear here.", "hint")
        column.addWidget(self.recent)
        column.addWidget(self.recent_empty)
        column.addStretch(2)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(720)
        holder.setMinimumWidth(480)
        outer.addWidget(holder, 3)
        outer.addStretch(1)

        self.demo_button.clicked.connect(self.open_demo)
        self.new_button.clicked.connect(self.new_project)
        self.open_button.clicked.connect(self.open_project)
        self.recent.itemActivated.connect(lambda item: self.open_recent.emit(item.data(Qt.UserRole)))

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(f"{Path(path).stem}    —    {Path(path).parent}")
            item.setData(Qt.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        self.recent.setVisible(bool(paths))
        self.recent_empty.setVisible(not paths)
