"""The Say vs show tab on the demo: every step's method sentence in view, step 3 as two
statements, the people it names as the project's privacy shows them, all readable at 1280×800."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from test_plan_panel import _open_plan

from workbench.core.plan.evidence import LINKERS
from workbench.core.privacy import PrivacySettings, save_privacy, shown_people
from workbench.gui.panels.plan import VERDICT_COLOURS


def _say_vs_show(window, qtbot, demo_copy):
    """Open the demo's plan at 1280×800 and click the Say vs show tab; its panel once filled."""
    window.resize(1280, 800)
    panel = _open_plan(window, qtbot, demo_copy)
    bar = panel.tabs.tabBar()
    tab = next(i for i in range(bar.count()) if bar.tabText(i) == "&Say vs show")
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(tab).center())
    assert panel.tabs.currentIndex() == tab
    qtbot.waitUntil(lambda: not window.tasks.busy and bool(_labels(panel)), timeout=60_000)
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # as the next turn would
    return panel


def _labels(panel):
    """The labels the grid holds below its status line, by (row, column)."""
    grid = panel.evidence_grid
    found = {}
    for i in range(grid.count()):
        row, column, _rows, _columns = grid.getItemPosition(i)
        if row >= 2:
            found[row, column] = grid.itemAt(i).widget()
    return found


def _text(panel) -> str:
    return "\n".join(w.text() for w in _labels(panel).values())


def _step_row(panel, step: int) -> int:
    return next(r for (r, c), w in _labels(panel).items() if c == 0
                and w.text().startswith(f"{step} –"))


def test_each_step_shows_its_method_and_step_three_its_two_statements(window, qtbot,
                                                                      demo_copy):
    panel = _say_vs_show(window, qtbot, demo_copy)
    labels = _labels(panel)
    methods = {step: labels[_step_row(panel, step) + 1, 1] for step in range(1, 6)}
    for step, method in methods.items():  # on the page itself, not only as a tooltip
        assert method.isVisible() and method.text().startswith("How it is read: "), step
    assert "cross-department scale" in methods[1].text()
    assert "cross-department scale" in methods[2].text()
    assert "Step 3 is a formal appointment" in methods[3].text()
    for step in (4, 5):
        assert "Formal structure: the network cannot show it" in methods[step].text()
        assert "<b>Formal structure:</b>" in labels[_step_row(panel, step), 2].text()

    for step in (1, 4):  # the verdict's colour bar is drawn beside it
        verdict = labels[_step_row(panel, step), 3]
        colour = VERDICT_COLOURS.get(verdict.text().split("</b>")[0].removeprefix("<b>"),
                                     "#BBBBBB")
        image = verdict.grab().toImage()
        assert QColor(image.pixel(1, image.height() // 2)).name().upper() == colour, step

    show = labels[_step_row(panel, 3), 2].text()
    lines = show.split("<br>")
    appointed = next(i for i, line in enumerate(lines) if line.startswith("<b>Appointed "
                                                                          "coordinator:</b>"))
    assert lines[appointed + 1].startswith(f"<b>{LINKERS}:</b> ")
    assert "able to coordinate" not in _text(panel).casefold()
    # the statements stand in the show cell, so the method line under it does not repeat them
    assert "Appointed coordinator:" not in methods[3].text()

    project = window.session.project
    people = {p.id: p for p in project.people.list()}
    who = next(line for line in lines if line.startswith("<b>Who:</b>"))
    named = who.removeprefix("<b>Who:</b> ").split(" (+")[0].split(", ")
    assert len(named) == 3 and all(n in {p.name for p in people.values()} for n in named)
    assert who.endswith(" more)")

    # readable at 1280×800: no sideways scrolling, no label cut short
    area = panel.tabs.currentWidget()
    assert area.horizontalScrollBar().maximum() == 0
    for widget in labels.values():
        assert widget.height() >= widget.heightForWidth(widget.width()), widget.text()
        assert widget.geometry().right() <= area.viewport().width()


def test_a_pseudonymised_demo_names_nobody_in_the_tab(window, qtbot, demo_copy):
    panel = _say_vs_show(window, qtbot, demo_copy)
    project = window.session.project
    names = [p.name for p in project.people.list() if p.name]
    assert any(name in _text(panel) for name in names)  # the Who line names people...
    save_privacy(project, PrivacySettings(pseudonymise=True))
    alias = shown_people(project).label
    people = [p.id for p in project.people.list()]
    qtbot.waitUntil(lambda: not window.tasks.busy
                    and any(alias(p) in _text(panel) for p in people), timeout=60_000)
    text = _text(panel)
    assert "<b>Who:</b>" in text
    assert not [name for name in names if name in text]  # ...and then only by pseudonym
