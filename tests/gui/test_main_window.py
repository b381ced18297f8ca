"""The main window driven like a user would: start page, panels, menus, undo, errors."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from workbench.core.project import Project


def _panel(window, title):
    return next(p for p in window.panels if p.title == title)


def test_start_page_without_project(window):
    assert window.stack.currentWidget() is window.start_page
    assert not window.sidebar.isEnabled()
    assert not window.act_undo.isEnabled() and not window.act_save_as.isEnabled()
    assert window.start_page.recent_empty.isVisibleTo(window)


def test_opens_demo_from_start_page(window, qtbot, monkeypatch, demo_file):
    import shutil

    from workbench.gui import main_window

    target = main_window.demo_path()
    target.parent.mkdir(parents=True)
    shutil.copy(demo_file, target)
    qtbot.mouseClick(window.start_page.demo_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    assert "Harbourview" in window.windowTitle()
    engagement = _panel(window, "Engagement")
    assert window.stack.currentWidget() is engagement
    assert engagement.cards["people"].value.text() == "297"
    assert engagement.cards["networks"].value.text() == "4"


def test_demo_is_built_in_background_when_missing(window, qtbot):
    from workbench.gui import main_window

    assert not main_window.demo_path().exists()
    window.open_demo()
    assert window.task_bar.isVisible()  # progress shown in the status bar
    qtbot.waitUntil(lambda: window.session is not None, timeout=30_000)
    assert main_window.demo_path().exists()
    assert not window.task_bar.isVisible()


def test_every_panel_on_an_empty_project(window, tmp_path):
    path = tmp_path / "empty.owb"
    Project.create(path, client="Empty Ltd").close()
    assert window.open_path(path)
    for row, panel in enumerate(window.panels):
        window.sidebar.setCurrentRow(row)
        assert window.stack.currentWidget() is panel
        if panel.title != "Engagement":
            assert panel._stack.currentWidget() is panel.empty, panel.title
            assert panel.empty.title.text()


def test_panels_on_the_demo(window, demo_copy):
    window.open_path(demo_copy)
    network = _panel(window, "People & Network")
    window.sidebar.setCurrentRow(window.panels.index(network))
    assert network._stack.currentWidget() is network.content
    names = {network.network_box.itemData(i) for i in range(network.network_box.count())}
    assert {"advice", "collaboration", "customer_insight"} <= names
    plan = _panel(window, "Plan")
    window.sidebar.setCurrentRow(window.panels.index(plan))  # a page fills when shown
    assert plan.model.rowCount() == 8
    plan.filter.setText("champions")
    assert 1 <= plan.proxy.rowCount() < 8


def test_edit_then_undo_and_redo_with_keyboard(window, qtbot, demo_copy):
    window.open_path(demo_copy)
    engagement = _panel(window, "Engagement")
    client = engagement.client
    client.setFocus()
    client.selectAll()
    qtbot.keyClicks(client, "Acme Retail")
    qtbot.keyClick(client, Qt.Key_Return)
    assert window.session.project.engagement.get().client == "Acme Retail"
    assert "Acme Retail" in window.windowTitle()
    assert window.act_undo.isEnabled() and "Edit engagement" in window.act_undo.text()

    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert window.session.project.engagement.get().client.startswith("Harbourview")
    assert client.text().startswith("Harbourview")
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert client.text() == "Acme Retail"


def test_min_group_size_floor_is_enforced(window, demo_copy):
    window.open_path(demo_copy)
    spin = _panel(window, "Engagement").min_group
    spin.setValue(2)  # the widget clamps to the floor of 3
    assert window.session.project.engagement.get().min_group_size == 3


def test_ctrl_number_switches_pages(window, qtbot, demo_copy):
    window.open_path(demo_copy)
    qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)
    assert window.stack.currentWidget() is _panel(window, "Plan")
    qtbot.keyClick(window, Qt.Key_4, Qt.ControlModifier)
    assert window.stack.currentWidget() is _panel(window, "Customer learning")


def test_recent_files_are_remembered(window, demo_copy, qtbot):
    window.open_path(demo_copy)
    window.close_project()
    assert window.start_page.recent.count() == 1
    assert window.recent_menu.actions()[0].toolTip() == str(demo_copy)
    item = window.start_page.recent.item(0)
    window.start_page.recent.itemActivated.emit(item)
    assert window.session is not None and window.session.path == demo_copy


def test_bad_file_shows_a_message_not_a_traceback(window, tmp_path, monkeypatch):
    junk = tmp_path / "junk.owb"
    junk.write_bytes(b"this is not a database")
    shown = []
    monkeypatch.setattr(window, "show_error", shown.append)
    assert not window.open_path(junk)
    assert window.session is None
    assert "not a workbench project" in shown[0]


def test_second_open_of_the_same_file_is_refused(window, demo_copy, monkeypatch):
    other = Project.open(demo_copy)
    shown = []
    monkeypatch.setattr(window, "show_error", shown.append)
    try:
        assert not window.open_path(demo_copy)
        assert "already open" in shown[0]
    finally:
        other.close()


def test_uncaught_exception_shows_copyable_report(window, qtbot):
    from workbench.gui.error_dialog import ErrorDialog, ExceptionHook

    hook = ExceptionHook(window)
    dialogs = []
    hook._show = lambda summary, report: dialogs.append(ErrorDialog(summary, report, window))
    hook.caught.disconnect()
    hook.caught.connect(hook._show)
    try:
        raise ValueError("boom")
    except ValueError:
        hook.handle(*sys.exc_info())
    (dialog,) = dialogs
    qtbot.addWidget(dialog)
    assert "ValueError: boom" in dialog.report.toPlainText()
    qtbot.mouseClick(dialog.copy_button, Qt.LeftButton)
    assert "ValueError: boom" in QApplication.clipboard().text()
    assert window.isVisible()


def test_geometry_is_restored(qtbot):
    from workbench.gui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(960, 690)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (960, 690)


def test_empty_state_buttons_are_real_buttons(window):
    buttons = window.start_page.findChildren(QPushButton)
    assert {b.text() for b in buttons} >= {"Open demo engagement", "New engagement…", "Open…"}
    assert all(isinstance(w, QLineEdit) for w in [_panel(window, "Engagement").client])


def test_project_open_on_another_computer_is_taken_over_only_if_the_user_says_so(
        window, tmp_path, monkeypatch):
    import json
    import os
    import socket
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "shared.owb"
    Project.create(path, client="Shared Ltd").close()
    lock = Path(str(path) + ".lock")
    lock.write_text(json.dumps({"host": "laptop-of-kim.example", "user": "kim", "pid": 4242,
                                "since": "2025-03-04T09:15:00"}))
    asked = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def question(_parent, _title, text, _buttons, default):
        asked.append((text, default))
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    errors = []
    monkeypatch.setattr(window, "show_error", errors.append)

    assert not window.open_path(path)  # "No"
    assert window.session is None and not errors
    text, default = asked[0]
    assert text.startswith("shared.owb is open on laptop-of-kim.example by kim since "
                           "2025-03-04 09:15. Open it anyway?")
    assert default == QMessageBox.StandardButton.No
    assert json.loads(lock.read_text())["host"] == "laptop-of-kim.example"  # untouched

    assert window.open_path(path)  # "Yes"
    assert len(asked) == 2 and not errors
    assert window.session is not None and window.session.path == path
    assert "Shared Ltd" in window.windowTitle()
    owner = json.loads(lock.read_text())
    assert (owner["host"], owner["pid"]) == (socket.gethostname(), os.getpid())


def test_disagreement_rule_is_set_on_the_engagement_page(window, qtbot, demo_copy):
    from workbench.core.method.settings import DisagreementRule, disagreement_rule

    window.open_path(demo_copy)
    panel = _panel(window, "Engagement")
    window.sidebar.setCurrentRow(window.panels.index(panel))
    assert panel.split_levels.value() == 2 and panel.split_side.value() == 2
    panel.split_side.setFocus()
    qtbot.keyClick(panel.split_side, Qt.Key_Up)
    project = window.session.project
    assert disagreement_rule(project) == DisagreementRule(2, 3)
    window.act_undo.trigger()
    assert disagreement_rule(project) == DisagreementRule(2, 2)
    assert panel.split_side.value() == 2  # the page shows what was undone
