"""View > Dark theme (palette, readable colours, remembered) and Tab order that follows layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from workbench.gui import style
from workbench.gui.panels.engagement import EngagementPanel
from workbench.gui.panels.plan import PlanPanel
from workbench.gui.panels.questionnaires import QuestionnairesPanel


def _luminance(colour: str) -> float:
    c = QColor(colour)
    channels = [v / 255 for v in (c.red(), c.green(), c.blue())]
    linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _window_colour() -> QColor:
    return QApplication.instance().palette().color(QPalette.Window)


def test_dark_theme_is_a_checkable_view_action_that_is_remembered(window, qtbot):
    from workbench.gui.main_window import MainWindow

    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.act_dark in view_menu.actions()
    assert window.act_dark.isCheckable() and not window.act_dark.isChecked()
    assert _window_colour().lightness() > 128
    window.act_dark.trigger()
    assert window.act_dark.isChecked()
    assert _window_colour().lightness() < 128
    text = QApplication.instance().palette().color(QPalette.WindowText)
    assert text.lightness() > 128

    again = MainWindow()  # a new session of the app reads the remembered choice
    qtbot.addWidget(again)
    assert again.act_dark.isChecked()
    assert _window_colour().lightness() < 128
    again.act_dark.trigger()
    assert _window_colour().lightness() > 128
    assert not again.settings.value("view/dark", type=bool)


@pytest.mark.parametrize("dark", [False, True])
def test_stylesheet_colours_stay_readable_in_each_theme(dark):
    palette = style._DARK if dark else style._LIGHT
    colours = style._SHEET_COLOURS[dark]
    sheet = style.stylesheet(dark)
    assert all(name not in sheet for name in colours)
    assert _contrast(colours["ERROR_COLOUR"], palette[QPalette.Window]) >= 4.5
    assert _contrast(colours["ERROR_COLOUR"], palette[QPalette.Base]) >= 4.5
    assert _contrast(colours["DISABLED_TEXT"], colours["DISABLED_BACK"]) >= 4.5
    assert _contrast(palette[QPalette.Text], palette[QPalette.Base]) >= 7


def _tab_sequence(start, count: int) -> list:
    start.setFocus(Qt.TabFocusReason)
    seen = [QApplication.focusWidget()]
    for _ in range(count):
        seen.append(seen[-1].nextInFocusChain())
        while not (seen[-1].focusPolicy() & Qt.TabFocus and seen[-1].isVisible()
                   and seen[-1].isEnabled()):
            seen[-1] = seen[-1].nextInFocusChain()
    return seen


def _open_panel(window, demo_copy, panel_type):
    assert window.open_path(demo_copy)
    row = window.panel_types.index(panel_type)
    window.sidebar.setCurrentRow(row)
    return window.panel(row)


def test_plan_button_row_tabs_in_layout_order(window, demo_copy, qtbot):
    panel = _open_panel(window, demo_copy, PlanPanel)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=10_000)
    panel.table.setCurrentIndex(panel.proxy.index(0, 1))  # Delete needs a selected action
    expected = [panel.propose_button, panel.add_button, panel.delete_button, panel.filter,
                panel.export_button, panel.import_button]
    assert _tab_sequence(panel.propose_button, len(expected) - 1) == expected
    qtbot.keyClick(panel.propose_button, Qt.Key_Tab)
    assert QApplication.focusWidget() is panel.add_button


def test_questionnaire_buttons_come_before_the_filter_below_them(window, demo_copy):
    panel = _open_panel(window, demo_copy, QuestionnairesPanel)
    # Compare rounds is disabled (one round per questionnaire in the demo): Tab skips it
    buttons = [b for b in panel.buttons.values() if b.isEnabled()]
    table = panel.rounds_table
    assert _tab_sequence(buttons[0], len(buttons) + 1) == [*buttons, table.filter, table.view]


def test_tab_leaves_the_engagement_description_without_typing(window, demo_copy, qtbot):
    panel = _open_panel(window, demo_copy, EngagementPanel)
    before = panel.description.toPlainText()
    panel.description.setFocus(Qt.TabFocusReason)
    qtbot.keyClick(panel.description, Qt.Key_Tab)
    assert QApplication.focusWidget() is not panel.description
    assert panel.description.toPlainText() == before
