"""Fixtures of the phone-voting GUI tests: the demo's presenter with its server on loopback."""

from __future__ import annotations

import pytest

from workbench.core.workshop.phones import Address


def workshop_row() -> int:
    from workbench.gui.main_window import PANELS

    return [title for title, _module, _name in PANELS].index("Workshop")


@pytest.fixture
def loopback(monkeypatch):
    """Tests talk to loopback only: the server listens there instead of the room's network."""
    from workbench.core.workshop.phones import server

    monkeypatch.setattr(server, "lan_address", lambda: Address("127.0.0.1"))


@pytest.fixture
def presenter(window, demo_copy, qtbot, loopback):
    """The presenter of a new anonymous session on the demo's first round (with predictions)."""
    assert window.open_path(demo_copy)
    window.sidebar.setCurrentRow(workshop_row())
    panel = window.panel(workshop_row())
    project = window.session.project
    panel.new_session(project.assessments.rounds()[0].id)
    panel.refresh()
    presenter = panel.present()
    qtbot.waitExposed(presenter)
    yield presenter
    if panel.presenter is not None:
        presenter.leave()
