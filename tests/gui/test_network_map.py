"""The network map for a room, driven by clicks on the demo: highlight and fade, ego view,
refit on resize, slide export without selection artefacts, presentation mode, dark theme."""

from __future__ import annotations

import numpy as np
import pytest
from driving import answer_file_dialogs
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from test_network_panel import (
    click_row,
    panel,  # noqa: F401 - the panel on the demo, analysed
)

from workbench.gui.findings_list import CHOOSABLE, HEADLINE
from workbench.gui.network_map import FADED, NEAR, NetworkMap
from workbench.gui.panels.network import ROOM_NOTE
from workbench.gui.style import MAP_COLOURS


def pixels(image: QImage) -> np.ndarray:
    """The image as an (height, width, 3) array of RGB values."""
    image = image.convertToFormat(QImage.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8)
    rows = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width()]
    return rows[:, :, 2::-1].copy()  # BGRA in memory; copied while the image lives


def count_colour(image: QImage, colour: str, tolerance: int = 4) -> int:
    c = QColor(colour)
    diff = np.abs(pixels(image).astype(int) - np.array([c.red(), c.green(), c.blue()]))
    return int((diff.max(axis=2) <= tolerance).sum())


def click_dot(qtbot, view: NetworkMap, person: str) -> None:
    at = view.mapFromScene(view.nodes[person].pos())
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=at)


def fitted(view: NetworkMap, area: QRectF) -> bool:
    """Whether ``area`` fills the view in one direction and lies inside it."""
    shown = view.mapFromScene(area).boundingRect()
    port = view.viewport().rect().adjusted(-3, -3, 3, 3)
    return port.contains(shown) and (shown.width() >= 0.9 * view.viewport().width()
                                     or shown.height() >= 0.9 * view.viewport().height())


@pytest.fixture
def roomy(panel, window, qtbot):  # noqa: F811
    """The panel in a 1280×800 window."""
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: panel.map.viewport().width() > 500)
    return panel


def test_map_takes_most_of_the_panel(roomy):
    view = roomy.map.viewport()
    assert view.width() >= 0.6 * roomy.width() and view.height() >= 380
    radii = [n.radius * roomy.map.transform().m11() for n in roomy.map.nodes.values()]
    assert min(radii) >= 2.5 and max(radii) >= 10  # dots a room can see


def test_clicking_a_finding_highlights_its_people_and_fades_the_rest(roomy, qtbot):
    net, view = roomy, roomy.map
    rows = net.findings.rows(*CHOOSABLE)
    row = next(i for i in rows if len(net.findings.row(i).person_ids) == 1)
    finding = net.findings.row(row)
    click_row(qtbot, net.findings, row)
    person = finding.person_ids[0]
    assert view.selected() == [person] and net.table.selected() == [person]
    G = net.analysis.graph
    contacts = set(G.successors(person)) | set(G.predecessors(person))
    assert view.nodes[person].opacity() == 1.0
    assert all(view.nodes[p].opacity() in (NEAR, FADED) for p in contacts)  # half or faded
    others = [n for p, n in view.nodes.items() if p != person and p not in contacts]
    assert others and all(n.opacity() == FADED for n in others)
    assert view.label_order() == [person]  # named; nobody else is
    assert len(view._strong.lines) == len(G.in_edges(person)) + len(G.out_edges(person))

    # another finding: the first one's person is no longer named or highlighted
    second = next(i for i in rows if net.findings.row(i).person_ids
                  and person not in net.findings.row(i).person_ids)
    click_row(qtbot, net.findings, second)
    assert person not in view.label_order()
    assert view.nodes[person].opacity() < 1.0 or person in view.selected()


def test_clicking_a_person_in_the_table_fades_the_others(roomy, qtbot):
    net, view = roomy, roomy.map
    tabs = net.side.tabBar()
    qtbot.mouseClick(tabs, Qt.LeftButton, pos=tabs.tabRect(1).center())
    assert net.side.currentWidget() is net.table
    table = net.table.view
    qtbot.mouseClick(table.viewport(), Qt.LeftButton,
                     pos=table.visualRect(net.table.proxy.index(5, 0)).center())
    [person] = net.table.selected()
    assert view.selected() == [person] and view.label_order() == [person]
    assert view.nodes[person].opacity() == 1.0
    faded = [n.opacity() for p, n in view.nodes.items() if p != person]
    assert max(faded) <= NEAR and min(faded) == FADED
    # clicking the map's background clears the highlight
    corner = QPoint(3, 3)
    assert view.itemAt(corner) is None or view.itemAt(corner) in (view._edges, view._strong)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=corner)
    assert view.selected() == [] and net.table.selected() == []
    assert all(n.opacity() == 1.0 for n in view.nodes.values())


def test_ego_view_fades_others_zooms_and_names_only_the_centre(roomy, qtbot):
    net, view = roomy, roomy.map
    G = net.analysis.graph
    person = sorted(G, key=lambda p: (G.degree(p) != 4, p))[0]
    click_dot(qtbot, view, person)
    assert view.selected() == [person]
    before = view.transform().m11()
    qtbot.mouseClick(net.ego1, Qt.LeftButton)
    reach = {person} | set(G.successors(person)) | set(G.predecessors(person))
    assert set(view.selected()) == reach == set(net.table.selected())
    assert view.transform().m11() > before  # zoomed in on the ego network
    port = view.viewport().rect()
    assert all(port.contains(view.mapFromScene(view.nodes[p].pos())) for p in reach)
    assert all(view.nodes[p].opacity() < 1.0 for p in view.nodes if p not in reach)
    assert view.label_order() == [person]
    qtbot.mouseClick(net.ego1, Qt.LeftButton)  # one step further: still one name
    assert len(view.selected()) > len(reach) and view.label_order() == [person]
    qtbot.mouseClick(net.fit_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: fitted(view, view.scene().sceneRect()))


def test_map_refits_on_resize_until_the_user_zooms(roomy, window, qtbot):
    view = roomy.map
    whole = view.scene().sceneRect()
    assert fitted(view, whole)
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: view.viewport().width() > 800)
    assert fitted(view, whole)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Plus)  # the user zooms in: their view is kept
    zoomed = view.transform().m11()
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: view.viewport().width() < 800)
    assert view.transform().m11() == zoomed and not fitted(view, whole)
    qtbot.keyClick(roomy.search, Qt.Key_0, Qt.ControlModifier)  # the shortcut of the map tab
    qtbot.waitUntil(lambda: fitted(view, whole))  # once the scroll bars have gone


def test_export_is_a_clean_slide_with_title_and_legend(roomy, window, qtbot, monkeypatch,
                                                       tmp_path):
    net, view = roomy, roomy.map
    ring = MAP_COLOURS[False]["ring"]
    person = max(view.nodes, key=lambda p: view.nodes[p].radius)
    click_dot(qtbot, view, person)
    assert count_colour(view.grab().toImage(), ring) > 10  # the live view rings the dot
    answer_file_dialogs(monkeypatch, save_folder=tmp_path)
    qtbot.mouseClick(net.export_button, Qt.LeftButton)
    [png] = tmp_path.glob("*.png")
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1920, 1080)
    rgb = pixels(image)
    title = rgb[50:110, 50:600]
    assert (title.max(axis=2) < 100).sum() > 500  # dark title text on white
    legend = rgb[150:600, 1560:1880]
    assert (legend.min(axis=2) < 200).sum() > 500  # the legend's dots and words
    assert count_colour(image, ring) == 0  # no selection ring, no selection box
    assert tuple(rgb[1070, 10]) == (255, 255, 255)

    svg = tmp_path / "map.svg"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        staticmethod(lambda *a, **k: (str(svg), "")))
    qtbot.mouseClick(net.export_button, Qt.LeftButton)
    text = svg.read_text(encoding="utf-8")
    name = net.analysis.network.name
    assert f">{name} (" in text and "Colour: department" in text
    assert view.room_names(person) in text  # the highlighted person, as a room may see them


def test_presentation_opens_full_screen_and_escape_closes(roomy, qtbot):
    net = roomy
    qtbot.mouseClick(net.present_button, Qt.LeftButton)
    shown = net.presentation
    qtbot.waitUntil(lambda: shown.isVisible())
    assert shown.isFullScreen()
    key = shown.stops[0]
    assert key.title == "Key people" and key.people
    room = shown.map
    assert room.label_order() == list(key.people)
    assert all(room.nodes[p].opacity() == 1.0 for p in key.people)
    assert min(n.opacity() for n in room.nodes.values()) == FADED
    assert room.node_scale > 1 and not room.ring
    big, small = room.nodes[key.people[0]].radius, net.map.nodes[key.people[0]].radius
    assert big > small
    first = net.findings.row(net.findings.rows(HEADLINE)[0])  # the headline comes first
    assert key.people[:len(first.person_ids)] == first.person_ids
    qtbot.keyClick(shown, Qt.Key_Right)
    assert shown.index == 1 and first.title in shown.caption.text()
    qtbot.keyClick(shown, Qt.Key_Escape)
    assert not shown.isVisible()


def test_dark_theme_map_labels_and_charts(roomy, window, qtbot, tmp_path, monkeypatch):
    view = roomy.map
    window.act_dark.trigger()
    colours = view.colours()
    assert colours["text"].lightness() > 200 and colours["background"].lightness() < 40
    person = max(view.nodes, key=lambda p: view.nodes[p].radius)
    click_dot(qtbot, view, person)
    shot = pixels(view.grab().toImage())
    at = view.mapFromScene(view.nodes[person].pos())
    label = shot[at.y() - 8:at.y() + 8, at.x() + 10:at.x() + 140]
    assert (label.min(axis=2) > 200).sum() > 20  # light letters beside the dot

    from workbench.gui.panels.maturity import MaturityPanel

    maturity = window.panels[window.panel_types.index(MaturityPanel)]
    window.sidebar.setCurrentRow(window.panel_types.index(MaturityPanel))
    chart = maturity.charts["ladder"]
    qtbot.waitUntil(lambda: chart.view.figure is not None, timeout=20_000)
    figure = chart.view.figure
    assert QColor.fromRgbF(*figure.get_facecolor()).lightness() < 40
    assert QColor.fromRgbF(*figure.axes[0].title.get_color()).lightness() > 200
    answer_file_dialogs(monkeypatch, save_folder=tmp_path)
    qtbot.mouseClick(chart.export_button, Qt.LeftButton)
    [png] = tmp_path.glob("*.png")
    assert tuple(pixels(QImage(str(png)))[2, 2]) == (255, 255, 255)  # files stay light
    assert QColor.fromRgbF(*figure.get_facecolor()).lightness() < 40
    window.act_dark.trigger()
    assert figure.get_facecolor() == (1.0, 1.0, 1.0, 1.0)


def test_exports_name_people_as_the_privacy_setting_shows_them(roomy, window, qtbot,
                                                               monkeypatch, tmp_path):
    from workbench.core.privacy import PrivacySettings, save_privacy

    net = roomy
    key = net.map.label_order()[0]
    real = net.map.name_of(key)
    save_privacy(window.session.project, PrivacySettings(pseudonymise=True))
    qtbot.waitUntil(lambda: not window.tasks.busy and net.analysis is not None
                    and net.map.name_of(key) != real, timeout=20_000)
    alias = net.map.name_of(key)
    assert key in net.map.label_order()
    svg = tmp_path / "map.svg"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        staticmethod(lambda *a, **k: (str(svg), "")))
    qtbot.mouseClick(net.export_button, Qt.LeftButton)
    text = svg.read_text(encoding="utf-8")
    assert alias in text and real not in text


def present_by_key(net, window, qtbot):
    """Press F5 on the map tab, as a presenter does; the presentation once it is shown."""
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(net.map, Qt.Key_F5)
    qtbot.waitUntil(lambda: net.presentation is not None and net.presentation.isVisible())
    return net.presentation


def export_svg(net, qtbot, monkeypatch, path) -> str:
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    qtbot.mouseClick(net.export_button, Qt.LeftButton)
    return path.read_text(encoding="utf-8")


def test_the_room_sees_departments_until_privacy_names_individual_labels(
        roomy, window, qtbot, monkeypatch, tmp_path):
    from html import escape

    from workbench.gui.privacy_dialog import PrivacyDialog

    net = roomy
    roster = {p.id: p.name for p in window.session.project.people.list()}
    named = {p for f in net.analysis.findings.findings for e in f.entries for p in e.person_ids}
    names = {roster[p] for p in named}
    assert len(names) > 10 and "Hana Abbott" in names

    def leaks(text: str) -> list[str]:
        return [n for n in names if n in text or escape(n) in text]

    # the analyst's own screen names people, and says once that names stay on it
    line = net.findings.rows(HEADLINE)[0]
    first = net.findings.row(line)
    outlier = roster[first.person_ids[0]]
    assert outlier in net.findings.item(line).text()
    assert net.room_note.isVisible() and net.room_note.text() == ROOM_NOTE

    # the projector: captions describe people by department, labels name nobody
    shown = present_by_key(net, window, qtbot)
    assert shown.stops[0].people and not leaks(shown.caption.text())
    assert not [shown.map.name_of(p) for p in shown.map.label_order()
                if shown.map.name_of(p) in names]
    for _ in shown.stops[1:]:
        qtbot.keyClick(shown, Qt.Key_Right)
        assert not leaks(shown.caption.text())
    while shown.index:
        qtbot.keyClick(shown, Qt.Key_Left)
    qtbot.keyClick(shown, Qt.Key_Right)  # the first headline sentence
    caption = shown.caption.text()
    assert first.title in caption and "a person in operations" in caption.lower()
    qtbot.keyClick(shown, Qt.Key_Escape)

    # the exported slide, with that sentence chosen: no name in the SVG, none on the PNG's map
    click_row(qtbot, net.findings, line)
    answer_file_dialogs(monkeypatch, save_folder=tmp_path)
    qtbot.mouseClick(net.export_button, Qt.LeftButton)
    [png] = tmp_path.glob("*.png")
    assert QImage(str(png)).size().width() == 1920
    text = export_svg(net, qtbot, monkeypatch, tmp_path / "room.svg")
    assert not leaks(text)
    assert "A person in Operations" in text and ">Operations<" in text  # caption, label

    # File › Privacy…: name individual labels beside real names
    window.act_privacy.trigger()
    qtbot.waitUntil(lambda: window.findChild(PrivacyDialog) is not None)
    dialog = window.findChild(PrivacyDialog)
    qtbot.waitExposed(dialog)
    assert not dialog.name_labels.isChecked()
    qtbot.mouseClick(dialog.name_labels, Qt.LeftButton)
    assert dialog.name_labels.isChecked()
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.tasks.busy and net.room_words is not None
                    and net.room_words.named, timeout=20_000)
    assert not net.room_note.isVisible()
    shown = present_by_key(net, window, qtbot)
    qtbot.keyClick(shown, Qt.Key_Right)
    assert outlier in shown.caption.text() and outlier in [
        shown.map.name_of(p) for p in shown.map.label_order()]
    qtbot.keyClick(shown, Qt.Key_Escape)
    click_row(qtbot, net.findings, net.findings.rows(HEADLINE)[0])
    text = export_svg(net, qtbot, monkeypatch, tmp_path / "named.svg")
    assert outlier in text and "A person in" not in text
