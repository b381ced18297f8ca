"""A UCINET DL file saved as .dat, imported through File > Import ties… as a user would: the
wizard reads it as DL (not as a table), names the networks after its level labels, and a DL
whose data does not match its header is refused on the check page with line and counts."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench.core.model import Person
from workbench.core.project import Project
from workbench.gui.import_wizard import ImportWizard

DL = ("DL N=3 NM=2\nLEVEL LABELS:\nadvice\nlunch\nLABELS:\ne1,e2,e3\nDATA:\n"
      "0 1 0\n0 0 1\n0 0 0\n"
      "0 0 1\n0 0 0\n1 0 0\n")
SHOTS = os.environ.get("WIZARD_SHOTS")  # folder for screenshots, when set


@pytest.fixture
def roster(window, tmp_path):
    path = tmp_path / "client.owb"
    with Project.create(path, client="Client") as project:
        project.people.add_many([Person(f"e{i}", f"Person {i}") for i in (1, 2, 3)])
    assert window.open_path(path)
    return window.session.project


def open_ties_wizard(window, qtbot) -> ImportWizard:
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    action = next(a for a in file_menu.actions() if a.text() == "Import &ties…")
    action.trigger()
    wizard = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ImportWizard) and w.isVisible())
    qtbot.waitExposed(wizard)
    return wizard


def test_a_dat_dl_file_goes_through_the_wizard_as_dl(window, roster, qtbot, tmp_path):
    path = tmp_path / "relations.dat"
    path.write_text(DL, encoding="utf-8")
    wizard = open_ties_wizard(window, qtbot)
    qtbot.keyClicks(wizard.file_edit, str(path))
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    # straight to the relation page: no table preview or column mapping for a DL file
    assert wizard.pages.currentWidget() is wizard.relation_page
    assert wizard.relation_source.text().startswith("Read as a UCINET DL file.")
    if SHOTS:
        wizard.grab().save(os.path.join(SHOTS, "dl_relation.png"))
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy and wizard.pages.currentWidget() is wizard.check_page,
                    timeout=5000)
    networks = wizard.changes.topLevelItem(0)
    shown = [networks.child(i).text(0) for i in range(networks.childCount())]
    assert shown == ["advice", "lunch"]
    if SHOTS:
        wizard.grab().save(os.path.join(SHOTS, "dl_check.png"))
    qtbot.mouseClick(wizard.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(roster.networks.list()) == 2, timeout=5000)
    stored = {n.name: {(t.source, t.target) for t in roster.networks.ties(n.id)}
              for n in roster.networks.list()}
    assert stored == {"advice": {("e1", "e2"), ("e2", "e3")},
                      "lunch": {("e1", "e3"), ("e3", "e1")}}


def test_a_dl_file_whose_data_is_short_is_refused_with_line_and_counts(
        window, roster, qtbot, tmp_path, monkeypatch):
    shown: list[str] = []  # the message box the user reads (recorded, not left open)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    path = tmp_path / "cut.txt"
    path.write_text("DL N=3\nDATA:\n0 1 0\n1 0\n", encoding="utf-8")
    wizard = open_ties_wizard(window, qtbot)
    qtbot.keyClicks(wizard.file_edit, str(path))
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    assert wizard.pages.currentWidget() is wizard.relation_page  # DL, not a CSV preview
    qtbot.mouseClick(wizard.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert wizard.pages.currentWidget() is wizard.relation_page  # no check page: refused
    [message] = shown
    assert message.startswith("cut.txt, line 1: the header declares N=3, a 3×3 matrix (9 "
                              "values), but the data (lines 3 to 4) holds 5.")
    assert roster.networks.list() == []
