"""The presenter's "Phones" panel: starts the voting server, shows how to join, counts phones.

The panel only starts and stops the core's :class:`~workbench.core.workshop.phones.PhoneServer`
and tells it what the presenter shows (item, whether its votes are revealed, the ballot count).
The server reports phones joining and voting from its own threads; :class:`PhoneEvents` carries
those reports to the GUI thread as a Qt signal, where the presenter's count is refreshed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.workshop.phones import PhoneEvent, PhoneServer

if TYPE_CHECKING:
    from workbench.gui.presenter import PresenterWindow

QR_SIZE = 360  # pixels: scannable from the back of a room on a projector


class PhoneEvents(QObject):
    """Re-emits the server's events on the GUI thread (a queued signal across threads)."""

    event = Signal(object)


class PhonesPanel(QWidget):
    """QR code, short address and 6-digit code, phones joined and ballots cast.

    Shown in place of the presenter's pages (the join screen of the room) until hidden again;
    hiding leaves the server on, stopping ends phone voting.
    """

    def __init__(self, presenter: PresenterWindow) -> None:
        super().__init__(presenter)
        self.presenter = presenter
        self.server: PhoneServer | None = None
        self.events = PhoneEvents(self)
        self.events.event.connect(self._reported)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(32)
        self.qr = QLabel()
        self.qr.setFixedSize(QR_SIZE, QR_SIZE)
        self.qr.setAccessibleName("QR code of the voting page")
        layout.addWidget(self.qr)
        column = QVBoxLayout()
        column.setSpacing(12)
        self.heading = self._label("Vote from your phone: scan the code, or open", "dim")
        self.address = self._label("", "accent")
        self.address.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.address.setWordWrap(False)  # an address broken over two lines gets mistyped
        self.code = self._label("", "big")
        self.warning = self._label("", "dim")
        self.joined = self._label("", "dim")
        self.count = self._label("", "accent")
        for widget in (self.heading, self.address, self.code, self.warning, self.joined,
                       self.count):
            column.addWidget(widget)
        column.addStretch(1)
        buttons = QHBoxLayout()
        self.hide_button = self._button("Hide the code  (P)", self.close_panel)
        self.stop_button = self._button("Stop phone voting", self.stop)
        buttons.addWidget(self.hide_button)
        buttons.addWidget(self.stop_button)
        column.addLayout(buttons)
        layout.addLayout(column, 1)
        self.hide()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    @staticmethod
    def _label(text: str, role: str) -> QLabel:
        widget = QLabel(text)
        widget.setWordWrap(True)
        widget.setProperty("role", role)
        return widget

    @staticmethod
    def _button(text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.NoFocus)  # keys stay with the presenter
        button.setMinimumHeight(48)
        button.clicked.connect(slot)
        return button

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    def toggle(self) -> None:
        """Show how to join (starting the server once), or hide that again."""
        if self.isVisible():
            self.close_panel()
        else:
            self.open()

    def open(self) -> None:
        """Start the server (once) and show how to join in place of the presenter's pages."""
        if not self.running:
            presenter = self.presenter
            server = PhoneServer(presenter.project, presenter.session_id,
                                 listeners=[self.events.event.emit])
            try:
                server.start()
            except WorkbenchError as exc:
                presenter._show_error(str(exc))
                return
            self.server = server
            self.qr.setPixmap(self._qr_pixmap(server))
            self.address.setText(server.url)
            code = server.code
            self.code.setText(f"Code  {code[:3]} {code[3:]}")
            self.warning.setText(server.address.warning)
            self.warning.setVisible(bool(server.address.warning))
            self._show_joined()
            self.follow()
        for part in (self.presenter.title, self.presenter.stack):  # room for the code
            part.hide()
        self.show()

    def close_panel(self) -> None:
        """Back to the presenter's pages; phones can still vote."""
        self.hide()
        for part in (self.presenter.title, self.presenter.stack):
            part.show()

    @staticmethod
    def _qr_pixmap(server: PhoneServer) -> QPixmap:
        pixmap = QPixmap()
        pixmap.loadFromData(server.qr_png(scale=8), "PNG")
        return pixmap.scaled(QR_SIZE, QR_SIZE, Qt.KeepAspectRatio, Qt.FastTransformation)

    def follow(self) -> None:
        """Tell the phones what the presenter shows now (called whenever it changes).

        A ballot or note opened on the laptop takes the screen back from the join code.
        """
        presenter = self.presenter
        if self.isVisible() and presenter.page not in (presenter.QUESTION, presenter.REVEAL):
            self.close_panel()
        if self.server is not None:
            ballots = presenter.vote_count()
            self.server.follow(presenter.item.id, presenter.run.voting_closed(), ballots)
            self.count.setText(f"Votes on item {presenter.index + 1} so far: {ballots}")

    def stop(self) -> None:
        """Close the server; phones see that the laptop stopped answering."""
        server, self.server = self.server, None
        if server is not None:
            server.stop()
        self.close_panel()

    def _show_joined(self) -> None:
        devices = self.server.voting.devices if self.server is not None else 0
        self.joined.setText("No phone has joined yet." if devices == 0 else
                            "1 phone has joined." if devices == 1 else
                            f"{devices} phones have joined.")

    def _reported(self, event: PhoneEvent) -> None:
        if self.server is None:
            return
        self._show_joined()
        if event.item_id == self.presenter.item.id:
            self.presenter._update_count()
        self.presenter.changed.emit()
