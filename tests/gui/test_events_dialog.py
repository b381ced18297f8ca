"""File → Import collaboration data… driven like a user: choose, import, read, cancel, undo."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from driving import answer_file_dialogs
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from workbench.cli import main
from workbench.core.events.rules import SETTINGS_KEY
from workbench.gui.events_dialog import EventsDialog
from workbench.gui.help import shortcut_rows

PEOPLE = ("id,name,email\n"
          "e1,Ann Lee,ann@client.com\n"
          "e2,Bo Chen,bo@client.com\n"
          "e3,Cy Diaz,cy@client.com\n")
CHATS = ("sender,recipients,timestamp,channel\n"
         "ann@client.com,bo@client.com,2026-01-05 09:00,\n"   # Monday, week 2
         "bo@client.com,ann@client.com;cy@client.com,2026-01-06 10:00,Pricing\n"
         "ann@client.com,bo@client.com,2026-01-12 09:00,\n"   # Monday, week 3
         "ann@client.com,stranger@elsewhere.com,2026-01-13 09:00,\n")


@pytest.fixture
def project_file(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    path = tmp_path / "client.owb"
    assert main(["import", str(path), "--people", str(people)]) == 0
    return path


@pytest.fixture
def opened(window, project_file, monkeypatch):
    assert window.open_path(project_file)
    errors: list[tuple[str, str]] = []  # a message box would wait for a click: fail instead
    monkeypatch.setattr(window, "show_error", lambda m, d="": errors.append((m, d)))
    yield window.session.project
    assert errors == []


def open_dialog(window, qtbot) -> EventsDialog:
    action = next(a for a in window.findChildren(QAction)
                  if a.text() == "Import co&llaboration data…")
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+D"
    action.trigger()
    dialog = next(d for d in window.findChildren(EventsDialog) if d.isVisible())
    return dialog


def choose(box, text: str, qtbot) -> None:
    """Pick the entry of a combo box starting with ``text`` by typing it, as a user would."""
    box.setFocus()
    qtbot.keyClicks(box, text)
    assert box.currentText().startswith(text)


def set_number(spin, value: int, qtbot) -> None:
    spin.selectAll()
    qtbot.keyClicks(spin, str(value))
    assert spin.value() == value


def test_chat_log_becomes_weekly_networks_shown_on_the_network_page_and_undone(
        window, opened, qtbot, tmp_path):
    log = tmp_path / "chats.csv"
    log.write_text(CHATS, encoding="utf-8")
    dialog = open_dialog(window, qtbot)
    choose(dialog.kind_box, "Chat", qtbot)
    qtbot.keyClicks(dialog.path_edit, str(log))
    choose(dialog.period_box, "Week", qtbot)
    set_number(dialog.min_interactions, 1, qtbot)
    assert not dialog.hours_from.isEnabled()
    assert dialog.weight_box.currentData() == "interactions"
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.cancel_button.text() == "Close", timeout=30_000)

    text = dialog.result.toPlainText()
    assert "Chat 2026-W02" in text and "Chat 2026-W03" in text
    assert "Imported 2 networks with 4 ties." in text and "Edit → Undo" in text
    assert "Not on the people list: 1 person" in text
    project = opened
    networks = {n.name: n for n in project.networks.list()}
    assert set(networks) == {"Chat 2026-W02", "Chat 2026-W03"}
    assert networks["Chat 2026-W02"].date == dt.date(2026, 1, 5)
    ties = {(t.source, t.target) for t in project.networks.ties(networks["Chat 2026-W02"].id)}
    assert ties == {("e1", "e2"), ("e2", "e1"), ("e2", "e3")}
    assert project.settings.get(SETTINGS_KEY.format(kind="chats"))["period"] == "week"

    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)  # "Close"
    assert not dialog.isVisible()
    again = open_dialog(window, qtbot)  # the last rules of the kind are the defaults
    choose(again.kind_box, "Chat", qtbot)
    assert again.period_box.currentData() == "week" and again.min_interactions.value() == 1
    again.reject()

    window.go_to("People & Network")
    panel = window.stack.currentWidget()
    qtbot.waitUntil(lambda: panel.network_box.count() >= 2, timeout=10_000)
    shown = [panel.network_box.itemText(i) for i in range(panel.network_box.count())]
    assert any(s.startswith("Chat 2026-W02") for s in shown)
    assert any(s.startswith("Chat 2026-W03") for s in shown)

    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert project.networks.list() == []
    qtbot.waitUntil(lambda: panel.network_box.count() == 0)


def test_errors_are_listed_and_only_the_valid_part_is_imported_on_request(
        window, opened, qtbot, tmp_path, monkeypatch):
    log = tmp_path / "chats.csv"
    log.write_text(CHATS + "bo@client.com,ann@client.com,yesterday,\n", encoding="utf-8")
    asked = answer_file_dialogs(monkeypatch, open_file=log)
    dialog = open_dialog(window, qtbot)
    choose(dialog.kind_box, "Chat", qtbot)
    qtbot.mouseClick(dialog.file_button, Qt.LeftButton)
    assert asked == [("open", "Choose the log")] and dialog.path_edit.text() == str(log)
    set_number(dialog.min_interactions, 1, qtbot)
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_button.text() == "&Import valid part", timeout=30_000)
    assert opened.networks.list() == []  # nothing stored before the choice
    assert dialog.problems.isVisible()
    top = dialog.problems.topLevelItem(0)
    assert "rows left out" in top.text(0)
    assert top.child(0).text(1) == "chats.csv, row 6, column 'timestamp'"

    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.cancel_button.text() == "Close", timeout=30_000)
    assert [n.name for n in opened.networks.list()] == ["Chat 2026-01"]


def test_a_folder_of_meetings_with_time_zone_down_weighted_broadcasts_and_minutes(
        window, opened, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "calendar"
    folder.mkdir()
    header = "meeting_id,organiser,attendees,start,duration\n"
    # Monday 09:00 in Paris; three attendees are a broadcast with a cut-off of 1: 60 min / 2
    (folder / "part-1.csv").write_text(header + "m1,e1,e2;e3,2026-03-02 09:00,60\n",
                                       encoding="utf-8")
    # 31 March 22:30 UTC is 1 April in Paris: the second quarter
    (folder / "part-2.csv").write_text(header + "m2,e2,e1,2026-03-31T22:30:00Z,45\n",
                                       encoding="utf-8")
    answer_file_dialogs(monkeypatch, folder=folder)
    dialog = open_dialog(window, qtbot)
    choose(dialog.kind_box, "Meetings", qtbot)
    qtbot.mouseClick(dialog.folder_button, Qt.LeftButton)
    choose(dialog.period_box, "Quarter", qtbot)
    set_number(dialog.max_recipients, 1, qtbot)
    choose(dialog.broadcast_box, "Count", qtbot)
    dialog.timezone_box.lineEdit().selectAll()
    qtbot.keyClicks(dialog.timezone_box, "Europe/Paris")
    set_number(dialog.min_interactions, 1, qtbot)
    choose(dialog.weight_box, "Minutes", qtbot)
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.cancel_button.text() == "Close", timeout=30_000)

    stored = {n.name: (n.date, {(t.source, t.target, t.weight)
                                for t in opened.networks.ties(n.id)})
              for n in opened.networks.list()}
    assert stored == {
        "Meetings 2026-Q1": (dt.date(2026, 1, 1), {("e1", "e2", 30.0), ("e1", "e3", 30.0),
                                                   ("e2", "e3", 30.0)}),
        "Meetings 2026-Q2": (dt.date(2026, 4, 1), {("e1", "e2", 45.0)}),
    }
    rules = opened.settings.get(SETTINGS_KEY.format(kind="meetings"))
    assert (rules["timezone"], rules["broadcast"], rules["weight"]) == \
        ("Europe/Paris", "down-weight", "minutes")


def test_cancel_leaves_the_project_unchanged(window, opened, qtbot, tmp_path, project_file):
    log = tmp_path / "big.csv"
    rows = (f"e{1 + i % 3},e{1 + (i + 1) % 3},2026-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00\n"
            for i in range(300_000))
    log.write_text("sender,recipients,timestamp\n" + "".join(rows), encoding="utf-8")
    before = hashlib.sha256(project_file.read_bytes()).hexdigest()
    dialog = open_dialog(window, qtbot)
    qtbot.keyClicks(dialog.path_edit, str(log))
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert dialog.task is not None
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)  # Cancel while it runs
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)
    assert dialog.status.text() == "Cancelled; nothing was changed."
    assert dialog.isVisible()
    assert opened.networks.list() == []
    assert window.session.undo_label is None
    assert hashlib.sha256(project_file.read_bytes()).hexdigest() == before


def test_choices_that_need_another_enable_with_it_and_every_field_explains_itself(window, opened, qtbot):
    dialog = open_dialog(window, qtbot)
    assert not dialog.master_edit.isEnabled()
    assert not dialog.hours_from.isEnabled()
    qtbot.mouseClick(dialog.hours_box, Qt.LeftButton)
    assert dialog.hours_from.isEnabled() and dialog.rules().working_hours == (8, 18)
    spark = dialog.engine_box.findData("spark")
    if spark >= 0:
        dialog.engine_box.setCurrentIndex(spark)
        assert dialog.master_edit.isEnabled()
    minutes = dialog.weight_box.model().item(dialog.weight_box.findData("minutes"))
    assert not minutes.isEnabled()
    choose(dialog.kind_box, "Meetings", qtbot)
    assert minutes.isEnabled()
    for widget in (dialog.kind_box, dialog.path_edit, dialog.period_box, dialog.max_recipients,
                   dialog.broadcast_box, dialog.hours_box, dialog.timezone_box,
                   dialog.min_interactions, dialog.reciprocal_box, dialog.weight_box,
                   dialog.engine_box, dialog.master_edit):
        assert widget.toolTip(), widget
    keys = [row for row in shortcut_rows(window) if row[0] == "Ctrl+Shift+D"]
    assert keys and keys[0][2] == "File" and "collaboration data" in keys[0][1]
