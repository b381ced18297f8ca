"""The presenter's Phones… button: the QR code and code appear, a vote sent over HTTP shows
in the live count, and the server stops when the presenter leaves."""

from __future__ import annotations

import http.client

import pytest
from phones_client import Phone
from phones_gui import loopback, presenter, workshop_row  # noqa: F401  (fixtures)
from PySide6.QtCore import Qt


def test_phones_button_shows_the_code_and_counts_phone_votes(presenter, qtbot, window):  # noqa: F811
    assert not presenter.phones.isVisible()
    qtbot.mouseClick(presenter.phones_button, Qt.LeftButton)
    phones = presenter.phones
    assert phones.isVisible() and phones.qr.isVisible()
    pixmap = phones.qr.pixmap()
    assert not pixmap.isNull() and pixmap.width() >= 300
    server = phones.server
    assert phones.address.text() == f"http://127.0.0.1:{server.port}/"
    assert phones.code.text().replace(" ", "") == f"Code{server.code}"
    assert phones.joined.text() == "No phone has joined yet."
    assert "Votes so far: 0" in presenter.count_label.text()

    phone = Phone(server.port)
    assert phone.join(server.code)[0] == 200
    qtbot.waitUntil(lambda: phones.joined.text() == "1 phone has joined.", timeout=3000)
    status, _ = phone.vote(presenter.item.id, value=2)
    assert status == 200
    qtbot.waitUntil(lambda: "Votes so far: 1" in presenter.count_label.text(), timeout=3000)
    control = window.panel(workshop_row()).control
    qtbot.waitUntil(lambda: control.count_label.text() == "Votes so far: 1", timeout=3000)
    # a laptop vote and a phone vote mix in one item
    qtbot.keyClick(presenter, Qt.Key_Space)
    qtbot.keyClick(presenter, Qt.Key_4)
    qtbot.keyClick(presenter, Qt.Key_Return)
    assert "Votes so far: 2" in presenter.count_label.text()
    assert sorted(b.value for b in window.session.project.workshop.votes(presenter.item.id)) \
        == [2, 4]
    # the reveal closes voting for phones too
    qtbot.keyClick(presenter, Qt.Key_R)
    assert presenter.page == presenter.REVEAL
    assert phone.vote(presenter.item.id, value=0)[0] == 409

    # leaving stops the server: the port no longer answers
    port = server.port
    qtbot.keyClick(presenter, Qt.Key_Escape)
    assert phones.server is None and not server.running
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    with pytest.raises(ConnectionRefusedError):
        conn.request("GET", "/")
    conn.close()


def test_p_key_opens_phones_and_hide_keeps_the_server(presenter, qtbot):  # noqa: F811
    qtbot.keyClick(presenter, Qt.Key_P)
    phones = presenter.phones
    assert phones.isVisible() and phones.running
    qtbot.mouseClick(phones.hide_button, Qt.LeftButton)
    assert not phones.isVisible() and phones.running
    qtbot.mouseClick(presenter.phones_button, Qt.LeftButton)
    assert phones.isVisible()
    qtbot.mouseClick(phones.stop_button, Qt.LeftButton)
    assert not phones.isVisible() and not phones.running


def test_no_network_is_said_on_the_join_screen(presenter, qtbot, monkeypatch):  # noqa: F811
    from workbench.core.workshop.phones import network, server

    monkeypatch.setattr(network, "_routed_address", lambda: None)
    monkeypatch.setattr(network, "_host_addresses", lambda: [])
    monkeypatch.setattr(server, "lan_address", network.lan_address)
    qtbot.mouseClick(presenter.phones_button, Qt.LeftButton)
    phones = presenter.phones
    assert phones.warning.isVisible()
    assert "phones cannot reach it" in phones.warning.text()
    assert phones.address.text().startswith("http://127.0.0.1:")
