"""The network map: people as dots placed by the force layout, ties as lines, linked selection.

All the edges are one path item and every person one small item, which keeps panning smooth at
5,000 people; above :data:`~workbench.core.analysis.AGGREGATE_ABOVE` people the analysis gives
a group layout and the map draws departments instead of people.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QLineF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from workbench.core.analysis import NetworkAnalysis
from workbench.core.errors import WorkbenchError
from workbench.core.network.explain import label
from workbench.core.wording import count

SCALE = 1000.0
PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b"]
NO_ROLE = "#c8c8c8"
COLOUR_MODES = ("department", "community", "role")
MAX_LABELS = 40


class _Node(QGraphicsEllipseItem):
    def __init__(self, key: str, x: float, y: float, radius: float, members: list[str]) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.key = key
        self.members = members  # people this dot stands for (one, or a whole group)
        self.setPos(x, y)
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)

    def set_radius(self, radius: float) -> None:
        self.setRect(-radius, -radius, 2 * radius, 2 * radius)


class _Edges(QGraphicsItem):
    """All ties as one item drawn with a single ``drawLines`` call (one Python call per paint,
    and no per-segment QPainterPath calls, which also crash PySide 6 by the ten thousand)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[QLineF] = []
        self.pen = QPen(QColor(120, 120, 120, 70), 0)
        self._rect = QRectF()
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)  # panning reuses the drawing

    def set_lines(self, lines: list[QLineF]) -> None:
        self.prepareGeometryChange()
        self.lines = lines
        xs = [c for line in lines for c in (line.x1(), line.x2())]
        ys = [c for line in lines for c in (line.y1(), line.y2())]
        self._rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)) if lines \
            else QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(self.pen)
        painter.drawLines(self.lines)


class NetworkMap(QGraphicsView):
    """Map of one analysed network. ``selection_changed`` carries the selected person ids."""

    selection_changed = Signal(list)
    legend_changed = Signal(list)  # [(text, colour name)]
    person_activated = Signal(str)  # double-click: show details

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.Antialiasing)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAccessibleName("Network map")
        self.setToolTip("")
        self.analysis: NetworkAnalysis | None = None
        self.nodes: dict[str, _Node] = {}
        self._edges = _Edges()
        self._labels: list[QGraphicsSimpleTextItem] = []
        self._syncing = False
        self.colour_by, self.size_by = "department", "in_degree"
        self.department: str | None = None
        self.min_weight = 0.0
        self.scene().selectionChanged.connect(self._on_scene_selection)

    # -- data ----------------------------------------------------------------------------------

    @property
    def aggregated(self) -> bool:
        return self.analysis is not None and self.analysis.group_positions is not None

    def set_analysis(self, analysis: NetworkAnalysis | None) -> None:
        self._syncing = True
        self.scene().clear()
        self.nodes, self._labels = {}, []
        self._edges = _Edges()
        self._edges.setZValue(0)
        self.scene().addItem(self._edges)
        self.analysis = analysis
        self._syncing = False
        if analysis is None:
            return
        G = analysis.graph
        if analysis.group_positions is not None:
            layout = analysis.group_positions
            members: dict[str, list[str]] = {g: [] for g in layout.sizes}
            for person in G:
                members[str(G.nodes[person].get(layout.attribute) or "(not set)")].append(person)
            for group, (x, y) in layout.positions.items():
                node = _Node(group, x * SCALE, y * SCALE, 10, members.get(group, []))
                node.setToolTip(f"{group}: {count(layout.sizes[group], 'person', 'people')}, "
                                f"{count(layout.internal.get(group, 0), 'tie')} inside")
                self.nodes[group] = node
                self.scene().addItem(node)
        else:
            for person, (x, y) in analysis.positions.items():
                node = _Node(person, x * SCALE, y * SCALE, 6, [person])
                node.setToolTip(self._tooltip(person))
                self.nodes[person] = node
                self.scene().addItem(node)
        self.restyle()
        self.scene().setSceneRect(self.scene().itemsBoundingRect().adjusted(-60, -60, 60, 60))
        self.fit()

    def _tooltip(self, person: str) -> str:
        a = self.analysis
        data = a.graph.nodes[person]
        role = a.findings.roles.get(person) or "no particular role"
        lines = [f"<b>{data.get('name') or person}</b> — {data.get('department') or '—'}",
                 f"Role in the network: {role}",
                 f"Community {a.metrics.partition.membership.get(person, '–')}"]
        for key in ("in_degree", "out_degree", "betweenness"):
            value = a.metrics.value(person, key)
            lines.append(f"{label(key)}: {_fmt(value)}")
        return "<br>".join(lines)

    # -- appearance ----------------------------------------------------------------------------

    def set_colour_by(self, mode: str) -> None:
        self.colour_by = mode
        self.restyle()

    def set_size_by(self, metric: str) -> None:
        self.size_by = metric
        self.restyle()

    def set_filter(self, department: str | None = None, min_weight: float = 0.0) -> None:
        """Show only ``department`` (None = all) and ties of at least ``min_weight``."""
        self.department, self.min_weight = department, min_weight
        self.restyle()

    def restyle(self) -> None:
        if self.analysis is None:
            return
        colours, legend = self._colours()
        sizes = self._sizes()
        for key, node in self.nodes.items():
            node.setBrush(QBrush(QColor(colours[key])))
            node.set_radius(sizes[key])
            node.setVisible(self._shown(key))
            node.setPen(QPen(QColor("#202020"), 0) if node.isSelected() else QPen(Qt.NoPen))
        self._draw_edges()
        self.legend_changed.emit(legend)

    def _shown(self, key: str) -> bool:
        if self.department is None:
            return True
        if self.aggregated:
            return key == self.department
        return self.analysis.graph.nodes[key].get("department") == self.department

    def _colours(self) -> tuple[dict[str, str], list[tuple[str, str]]]:
        a = self.analysis
        if self.aggregated:
            groups = sorted(self.nodes)
            colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
            return colour, [(g, colour[g]) for g in groups]
        if self.colour_by == "community":
            value = {p: f"Community {c}" for p, c in a.metrics.partition.membership.items()}
        elif self.colour_by == "role":
            value = {p: a.findings.roles.get(p) or "" for p in self.nodes}
        else:
            value = {p: str(a.graph.nodes[p].get("department") or "(not set)")
                     for p in self.nodes}
        kinds = sorted(set(value.values()), key=lambda v: (v == "", _natural(v)))
        colour_of = {k: NO_ROLE if k == "" else PALETTE[i % len(PALETTE)]
                     for i, k in enumerate(kinds)}
        legend = [(k or "no particular role", colour_of[k]) for k in kinds]
        return {p: colour_of[value[p]] for p in self.nodes}, legend

    def _sizes(self) -> dict[str, float]:
        a = self.analysis
        if self.aggregated:
            biggest = max(a.group_positions.sizes.values())
            return {g: 14 + 46 * math.sqrt(a.group_positions.sizes[g] / biggest)
                    for g in self.nodes}
        values = {p: a.metrics.value(p, self.size_by) or 0.0 for p in self.nodes}
        top = max(values.values(), default=0.0) or 1.0
        return {p: 4 + 16 * math.sqrt(max(v, 0.0) / top) for p, v in values.items()}

    def _draw_edges(self) -> None:
        lines: list[QLineF] = []
        a = self.analysis
        if self.aggregated:
            widest = max(a.group_positions.ties.values(), default=1)
            for (g1, g2), count in a.group_positions.ties.items():
                if count / widest >= 0.02 and (self._shown(g1) or self._shown(g2)):
                    lines.append(QLineF(self.nodes[g1].pos(), self.nodes[g2].pos()))
        else:
            at = {p: (n.pos().x(), n.pos().y()) for p, n in self.nodes.items()}
            for u, v, w in a.graph.edges(data="weight", default=1.0):
                if w >= self.min_weight and self._shown(u) and self._shown(v):
                    lines.append(QLineF(*at[u], *at[v]))
        self._edges.set_lines(lines)

    # -- selection -----------------------------------------------------------------------------

    def selected(self) -> list[str]:
        people = {p for node in self.scene().selectedItems() if isinstance(node, _Node)
                  for p in node.members}
        return sorted(people)

    def select(self, people: list[str], centre: bool = False) -> None:
        """Select these people (or the groups holding them) without echoing the signal."""
        wanted = set(people)
        self._syncing = True
        try:
            for node in self.nodes.values():
                node.setSelected(bool(wanted & set(node.members)))
        finally:
            self._syncing = False
        self._after_selection()
        chosen = [n for n in self.nodes.values() if n.isSelected()]
        if centre and chosen:
            self.centerOn(chosen[0])

    def ego(self, steps: int) -> list[str]:
        """Select the selection's neighbours up to ``steps`` ties away (either direction)."""
        if self.analysis is None or self.aggregated:
            return self.selected()
        G = self.analysis.graph
        reach = set(self.selected())
        frontier = set(reach)
        for _ in range(steps):
            nxt = set()
            for person in frontier:
                nxt.update(G.successors(person) if G.is_directed() else G[person])
                if G.is_directed():
                    nxt.update(G.predecessors(person))
            frontier = nxt - reach
            reach |= nxt
        self.select(sorted(reach))
        self.selection_changed.emit(self.selected())
        return sorted(reach)

    def find(self, text: str) -> list[str]:
        """Select the people whose shown name or id contains ``text``; centre on the first."""
        text = text.strip().casefold()
        if not text or self.analysis is None:
            return []
        G = self.analysis.graph
        hits = [p for p in G if text in str(G.nodes[p].get("name") or "").casefold()
                or text in p.casefold()]
        self.select(hits, centre=True)
        self.selection_changed.emit(self.selected())
        return hits

    def _on_scene_selection(self) -> None:
        if self._syncing:
            return
        self._after_selection()
        self.selection_changed.emit(self.selected())

    def _after_selection(self) -> None:
        for item in self._labels:
            self.scene().removeItem(item)
        self._labels = []
        for node in self.nodes.values():
            node.setPen(QPen(QColor("#202020"), 2) if node.isSelected() else QPen(Qt.NoPen))
        chosen = [n for n in self.nodes.values() if n.isSelected()][:MAX_LABELS]
        G = self.analysis.graph if self.analysis else None
        for node in chosen:
            text = node.key if self.aggregated else str(G.nodes[node.key].get("name") or node.key)
            item = QGraphicsSimpleTextItem(text)
            item.setPos(node.pos().x() + node.rect().width() / 2 + 2, node.pos().y())
            item.setZValue(2)
            item.setFlag(QGraphicsItem.ItemIgnoresTransformations)
            self.scene().addItem(item)
            self._labels.append(item)

    def mouseDoubleClickEvent(self, event) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, _Node) and not self.aggregated:
            self.person_activated.emit(item.key)
        super().mouseDoubleClickEvent(event)

    # -- zoom, pan, export -----------------------------------------------------------------------

    def fit(self) -> None:
        self.fitInView(self.scene().sceneRect(), Qt.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        self.scale(factor, factor)

    def wheelEvent(self, event) -> None:
        self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom(1.25)
        elif event.key() == Qt.Key_Minus:
            self.zoom(0.8)
        elif event.key() == Qt.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def export(self, path: str | Path) -> Path:
        """Write what the map shows to a PNG or SVG file (by suffix)."""
        path = Path(path)
        suffix = path.suffix.lower()
        area = self.viewport().rect()
        if suffix == ".svg":
            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(area.size())
            generator.setViewBox(area)
            generator.setTitle("Network map")
            painter = QPainter(generator)
        elif suffix == ".png":
            image = QImage(area.size() * 2, QImage.Format_ARGB32)
            image.fill(Qt.white)
            painter = QPainter(image)
        else:
            raise WorkbenchError(f"{path.name}: choose a .png or .svg file name.")
        painter.setRenderHint(QPainter.Antialiasing)
        self.render(painter, QRectF(painter.viewport()), area)
        painter.end()
        if suffix == ".png" and not image.save(str(path)):
            raise WorkbenchError(f"{path.name}: could not write the image.")
        return path

    def sizeHint(self) -> QSize:
        return QSize(640, 520)


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.3f}"


def _natural(text: str) -> tuple:
    head, _, tail = text.rpartition(" ")
    return (head, int(tail)) if tail.isdigit() else (text, 0)
