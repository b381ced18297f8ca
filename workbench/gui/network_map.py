"""The network map: people as dots placed by the force layout, ties as lines, linked selection.

All the ties are two items (the faded ones and those of the highlighted people) and every
person one small item, which keeps panning smooth at 5,000 people; above
:data:`~workbench.core.analysis.AGGREGATE_ABOVE` people the analysis gives a group layout and
the map draws departments instead of people.

Choosing people (a finding, a row of the table, a click on a dot) highlights them: their dots
stay solid and named, the people they are tied to half fade, everyone else fades. Names are
painted by the view, not held in the scene, so they never pile up or cover each other. The map
keeps the whole network (or the ego network) fitted to the view until the user zooms or pans.

A map shown to a room (``room``: the presentation, exported slides) labels people with
``room_names``, which follow the privacy setting (their department instead of their name
while individual labels may not be shown beside real names).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QLineF, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QTransform,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyle,
    QStyleOptionGraphicsItem,
)

from workbench.core.analysis import NetworkAnalysis
from workbench.core.errors import WorkbenchError
from workbench.core.network.explain import label, value_text
from workbench.core.wording import count
from workbench.gui.formatting import short_date
from workbench.gui.person_table import role_name
from workbench.gui.style import MAP_COLOURS, is_dark

SCALE = 1000.0
PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b"]
NO_ROLE = "#c8c8c8"
COLOUR_MODES = ("department", "community", "role")
COLOUR_CAPTIONS = {"department": "Colour: department", "community": "Colour: community",
                   "role": "Colour: role in the network"}
MAX_LABELS = 40
FADED, NEAR = 0.12, 0.5  # opacity of the people outside a highlight, and of their contacts
SLIDE = QSize(1920, 1080)  # exports are one full-HD slide
LEGEND_ROWS = 14  # colours listed in a legend before "and n more"


class _Node(QGraphicsEllipseItem):
    def __init__(self, key: str, x: float, y: float, radius: float, members: list[str]) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.key = key
        self.members = members  # people this dot stands for (one, or a whole group)
        self.setPos(x, y)
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.setAcceptHoverEvents(True)  # for the tooltip; hovering changes nothing drawn
        self.setZValue(1)

    def set_radius(self, radius: float) -> None:
        self.setRect(-radius, -radius, 2 * radius, 2 * radius)

    @property
    def radius(self) -> float:
        return self.rect().width() / 2

    def paint(self, painter, option, widget=None) -> None:
        """The dot without Qt's dashed selection box: the map draws selection as a ring."""
        option = QStyleOptionGraphicsItem(option)
        option.state &= ~(QStyle.State_Selected | QStyle.State_HasFocus)
        super().paint(painter, option, widget)


class _Edges(QGraphicsItem):
    """Ties as one item drawn with a single ``drawLines`` call (one Python call per paint,
    and no per-segment QPainterPath calls, which also crash PySide 6 by the ten thousand)."""

    def __init__(self, cached: bool = True) -> None:
        super().__init__()
        self.lines: list[QLineF] = []
        self.pen = QPen(QColor(120, 120, 120, 70), 0)
        self._rect = QRectF()
        if cached:  # panning reuses the drawing (not for exports: an SVG wants lines)
            self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)

    def set_lines(self, lines: list[QLineF], pen: QPen) -> None:
        self.prepareGeometryChange()
        self.lines, self.pen = lines, pen
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
    """Map of one analysed network. ``selection_changed`` carries the selected person ids.

    ``key_people`` (set by the panel: the people the findings name, most important first)
    are named when nothing is chosen. ``node_scale``, ``label_font`` and ``ring`` change the
    look (the presentation view and exports use them). ``room_names`` (set by the panel) labels
    a person for a room; a map with ``room`` set uses it (a blank label is not drawn).
    """

    selection_changed = Signal(list)
    legend_changed = Signal(list)  # [(text, colour name)]
    person_activated = Signal(str)  # double-click: show details

    def __init__(self, parent=None, *, cached: bool = True) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.Antialiasing)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAccessibleName("Network map")
        self.setToolTip("")
        self.analysis: NetworkAnalysis | None = None
        self.nodes: dict[str, _Node] = {}
        self._cached = cached
        self._edges, self._strong = _Edges(cached), _Edges(cached)
        self._syncing = False
        self.colour_by, self.size_by = "department", "in_degree"
        self.department: str | None = None
        self.min_weight = 0.0
        self.key_people: list[str] = []
        self.idle_labels = 8  # key people named when nothing is chosen
        self.node_scale = 1.0
        self.label_font: QFont | None = None
        self.ring = True  # draw a ring around selected dots
        self.room = False  # shown to a room: people labelled by room_names
        self.room_names: Callable[[str], str] | None = None
        self.dark: bool | None = None  # None: follow the application's theme
        self._labelled: list[str] = []  # named while chosen, most important first
        self._ego_centre: list[str] = []
        self._ego_reach: list[str] = []
        self._target: QRectF | None = None  # kept fitted until the user zooms or pans
        self.user_view = False  # the user zoomed or panned since the last fit
        self._press_scroll: tuple[int, int] | None = None
        self.scene().selectionChanged.connect(self._on_scene_selection)

    # -- data ----------------------------------------------------------------------------------

    @property
    def aggregated(self) -> bool:
        return self.analysis is not None and self.analysis.group_positions is not None

    def set_analysis(self, analysis: NetworkAnalysis | None) -> None:
        self._syncing = True
        self.scene().clear()
        self.nodes = {}
        self._labelled, self._ego_centre, self._ego_reach = [], [], []
        self._edges, self._strong = _Edges(self._cached), _Edges(self._cached)
        self._edges.setZValue(0)
        self._strong.setZValue(0.5)
        self.scene().addItem(self._edges)
        self.scene().addItem(self._strong)
        self.analysis = analysis
        self._syncing = False
        if analysis is None:
            self._target = None
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

    def set_key_people(self, people: Sequence[str]) -> None:
        """The people named when nothing is chosen (most important first)."""
        self.key_people = list(dict.fromkeys(people))
        self.viewport().update()

    def mirror(self, other: NetworkMap) -> None:
        """Show what ``other`` shows (network, colours, sizes, filter, highlight), in this
        map's own look."""
        self.colour_by, self.size_by = other.colour_by, other.size_by
        self.department, self.min_weight = other.department, other.min_weight
        self.key_people = list(other.key_people)
        self.room_names = other.room_names
        self.set_analysis(other.analysis)
        if other.selected():
            self.select(other.selected(), labelled=other._labelled)

    def _tooltip(self, person: str) -> str:
        a = self.analysis
        data = a.graph.nodes[person]
        role = role_name(a.findings.roles.get(person) or "") or "no particular role"
        lines = [f"<b>{data.get('name') or person}</b> — {data.get('department') or '—'}",
                 f"Role in the network: {role}",
                 f"Community {a.metrics.partition.membership.get(person, '–')}"]
        for key in ("in_degree", "out_degree", "betweenness"):
            words = value_text(key, a.metrics.value(person, key))
            lines.append(words[:1].upper() + words[1:])
        return "<br>".join(lines)

    def name_of(self, key: str) -> str:
        """The dot's label: a person's name as the project shows it (a pseudonym when
        pseudonymised; on a map for a room, as ``room_names`` gives it, blank without
        them), or the group's name."""
        if self.aggregated or self.analysis is None:
            return key
        if self.room:
            return self.room_names(key) if self.room_names is not None else ""
        return str(self.analysis.graph.nodes[key].get("name") or key)

    # -- appearance ----------------------------------------------------------------------------

    def colours(self) -> dict[str, QColor]:
        """The map's colours on its theme (see :data:`~workbench.gui.style.MAP_COLOURS`)."""
        dark = is_dark(self.palette()) if self.dark is None else self.dark
        return {k: QColor(v) for k, v in MAP_COLOURS[dark].items()}

    def set_colour_by(self, mode: str) -> None:
        self.colour_by = mode
        self.restyle()

    def set_size_by(self, metric: str) -> None:
        self.size_by = metric
        self.restyle()

    def set_filter(self, department: str | None = None, min_weight: float = 0.0) -> None:
        """Show only ``department`` (None = all) and ties of at least ``min_weight`` (the map
        is drawn again only if that changes what it shows)."""
        if (department, min_weight) == (self.department, self.min_weight):
            return
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
        self._emphasise()
        self.legend_changed.emit(legend)

    def legend(self) -> list[tuple[str, str]]:
        """What each colour stands for: [(text, colour name)]."""
        return self._colours()[1] if self.analysis is not None else []

    def size_caption(self) -> str:
        """What the dot sizes show."""
        if self.aggregated:
            return "Dot size: people in the group"
        return f"Dot size: {label(self.size_by).lower()}"

    def colour_caption(self) -> str:
        return "Colour: group" if self.aggregated else COLOUR_CAPTIONS[self.colour_by]

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
            value = {p: role_name(a.findings.roles.get(p) or "") for p in self.nodes}
        else:
            value = {p: str(a.graph.nodes[p].get("department") or "(not set)")
                     for p in self.nodes}
        kinds = sorted(set(value.values()), key=lambda v: (v == "", _natural(v)))
        colour_of = {k: NO_ROLE if k == "" else PALETTE[i % len(PALETTE)]
                     for i, k in enumerate(kinds)}
        legend = [(k or "no particular role", colour_of[k]) for k in kinds]
        return {p: colour_of[value[p]] for p in self.nodes}, legend

    def _sizes(self) -> dict[str, float]:
        """Radii in scene units: dots a readable size whatever the number of people (the
        layout spreads them over a 2,000-unit square, so the room per dot shrinks with n)."""
        a = self.analysis
        if self.aggregated:
            biggest = max(a.group_positions.sizes.values())
            return {g: self.node_scale * (24 + 96 * math.sqrt(a.group_positions.sizes[g]
                                                              / biggest))
                    for g in self.nodes}
        room = min(2 * SCALE / math.sqrt(max(len(self.nodes), 1)), 160.0)
        values = {p: a.metrics.value(p, self.size_by) or 0.0 for p in self.nodes}
        values = {p: v if math.isfinite(v) else 0.0 for p, v in values.items()}
        top = max(values.values(), default=0.0) or 1.0
        return {p: self.node_scale * room * (0.12 + 0.32 * math.sqrt(max(v, 0.0) / top))
                for p, v in values.items()}

    # -- highlight -----------------------------------------------------------------------------

    def focus(self) -> set[str]:
        """The dots highlighted: the selection (empty: nobody, nothing fades)."""
        return {n.key for n in self.nodes.values() if n.isSelected()}

    def _near(self, focus: set[str]) -> set[str]:
        if not focus or self.aggregated:
            return set()
        G = self.analysis.graph
        near: set[str] = set()
        for person in focus:
            near.update(G.successors(person) if G.is_directed() else G[person])
            if G.is_directed():
                near.update(G.predecessors(person))
        return near - focus

    def _emphasise(self) -> None:
        """Fade everyone outside the highlight, ring the people it is about and draw the
        ties: strong within the highlight and from the people it is about (an ego view's
        centre, a finding's people), faint elsewhere."""
        if self.analysis is None:
            return
        colours = self.colours()
        focus = self.focus()
        about = set(self._labelled) & focus if focus else set()
        near = self._near(about)
        if len(near) > len(self.nodes) / 3:  # contacts of many: half the map would stay lit
            near = set()
        outline = QPen(colours["halo"], 0)  # a hairline that keeps touching dots apart
        ring = QPen(colours["ring"], 3)
        ring.setCosmetic(True)
        for key, node in self.nodes.items():
            chosen = key in focus
            node.setOpacity(1.0 if not focus or chosen else NEAR if key in near else FADED)
            node.setZValue(3 if chosen else 2 if key in near else 1)
            node.setPen(ring if key in about and self.ring else outline)
        self._draw_edges(focus, about, colours)
        self.viewport().update()

    def _draw_edges(self, focus: set[str], about: set[str], colours: dict[str, QColor]
                    ) -> None:
        faint, strong = [], []
        a = self.analysis

        def is_strong(u: str, v: str) -> bool:
            return (u in focus and v in focus) or u in about or v in about

        if self.aggregated:
            widest = max(a.group_positions.ties.values(), default=1)
            for (g1, g2), ties in a.group_positions.ties.items():
                if ties / widest >= 0.02 and (self._shown(g1) or self._shown(g2)):
                    line = QLineF(self.nodes[g1].pos(), self.nodes[g2].pos())
                    (strong if is_strong(g1, g2) else faint).append(line)
        else:
            at = {p: (n.pos().x(), n.pos().y()) for p, n in self.nodes.items()}
            for u, v, w in a.graph.edges(data="weight", default=1.0):
                if w >= self.min_weight and self._shown(u) and self._shown(v):
                    line = QLineF(*at[u], *at[v])
                    (strong if is_strong(u, v) else faint).append(line)
        tie = QColor(colours["tie"])
        tie.setAlpha(30 if focus else 90)
        bold = QColor(colours["tie_strong"])
        bold.setAlpha(170)
        bold_pen = QPen(bold, 1.3)
        bold_pen.setCosmetic(True)
        self._edges.set_lines(faint, QPen(tie, 0))
        self._strong.set_lines(strong, bold_pen)

    # -- selection -----------------------------------------------------------------------------

    def selected(self) -> list[str]:
        people = {p for node in self.scene().selectedItems() if isinstance(node, _Node)
                  for p in node.members}
        return sorted(people)

    def select(self, people: Sequence[str], centre: bool = False,
               labelled: Sequence[str] | None = None) -> None:
        """Select and highlight these people (or the groups holding them) without echoing
        the signal; ``labelled`` are the ones named (default: all of them, biggest first)."""
        wanted = set(people)
        self._syncing = True
        try:
            for node in self.nodes.values():
                node.setSelected(bool(wanted & set(node.members)))
        finally:
            self._syncing = False
        self._after_selection(labelled)
        chosen = [n for n in self.nodes.values() if n.isSelected()]
        if centre and chosen:
            self._bring_into_view(chosen)

    def _bring_into_view(self, chosen: list[_Node]) -> None:
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if any(visible.contains(n.pos()) for n in chosen):
            return
        if self.user_view:
            self.centerOn(chosen[0])
        else:  # zoomed on an ego network: back to the whole map
            self.fit()

    def ego(self, steps: int) -> list[str]:
        """Highlight the selection's neighbours up to ``steps`` ties away (either direction)
        and zoom on them; the people it started from stay the only ones named."""
        if self.analysis is None or self.aggregated:
            return self.selected()
        current = self.selected()
        if not (self._ego_centre and current == self._ego_reach):
            self._ego_centre = current  # a new ego view; "+1 step" again widens this one
        G = self.analysis.graph
        reach = set(current)
        frontier = set(reach)
        for _ in range(steps):
            nxt = set()
            for person in frontier:
                nxt.update(G.successors(person) if G.is_directed() else G[person])
                if G.is_directed():
                    nxt.update(G.predecessors(person))
            frontier = nxt - reach
            reach |= nxt
        centre = self._ego_centre
        self.select(sorted(reach), labelled=centre)
        self._ego_centre, self._ego_reach = centre, self.selected()
        self._zoom_on([self.nodes[p] for p in reach if p in self.nodes])
        self.selection_changed.emit(self.selected())
        return sorted(reach)

    def _zoom_on(self, nodes: list[_Node]) -> None:
        """Fit these dots (at least a quarter of the map across) into the view."""
        if not nodes:
            return
        area = QRectF()
        for node in nodes:
            area = area.united(node.sceneBoundingRect())
        whole = self.scene().sceneRect()
        side = max(area.width(), area.height(), whole.width() / 4) * 1.15
        centre = area.center()
        self._fit_to(QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side))

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

    def _after_selection(self, labelled: Sequence[str] | None = None) -> None:
        chosen = [n.key for n in self.nodes.values() if n.isSelected()]
        if labelled is None:  # the biggest dots are named first
            labelled = sorted(chosen, key=lambda k: -self.nodes[k].radius)
        self._labelled = [k for k in dict.fromkeys(labelled) if k in self.nodes]
        if not chosen:
            self._ego_centre, self._ego_reach = [], []
        self._emphasise()

    def label_order(self) -> list[str]:
        """The dots to name, most important first: the chosen ones, else the key people."""
        if self.focus():
            return self._labelled
        return [k for k in self.key_people if k in self.nodes][:self.idle_labels]

    # -- painting names and the legend -------------------------------------------------------

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt
        if self.analysis is None:
            return
        painter.save()
        painter.resetTransform()
        self.paint_labels(painter, self.viewportTransform(), QRectF(self.viewport().rect()),
                          self.colours())
        painter.restore()

    def paint_labels(self, painter: QPainter, transform: QTransform, bounds: QRectF,
                     colours: dict[str, QColor]) -> None:
        """Name the dots of :meth:`label_order` beside them (on a halo, inside ``bounds``),
        never over another name and, where there is room, not over a named or big dot;
        ``transform`` maps the scene to the painter's coordinates."""
        font = QFont(self.label_font or self.font())
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        scale = math.hypot(transform.m11(), transform.m12())
        halo = QColor(colours["halo"])
        halo.setAlpha(215)
        named = [self.nodes[k] for k in self.label_order() if self.nodes[k].isVisible()]
        big = sorted((n for n in self.nodes.values() if n.isVisible()),
                     key=lambda n: -n.radius)[:12]

        def dot(node: _Node) -> QRectF:
            at, r = transform.map(node.pos()), node.radius * scale
            return QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r)

        dots = [dot(n) for n in dict.fromkeys([*named, *big])]
        placed: list[QRectF] = []
        for node in named[:MAX_LABELS]:
            text = self.name_of(node.key)
            if not text:
                continue
            at = transform.map(node.pos())
            gap = node.radius * scale + 3
            w, h = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
            x, y = at.x(), at.y()
            side = gap * 0.7  # corners: diagonal of the dot
            spots = [QRectF(x + gap, y - h / 2, w, h), QRectF(x - gap - w, y - h / 2, w, h),
                     QRectF(x - w / 2, y - gap - h, w, h), QRectF(x - w / 2, y + gap, w, h),
                     QRectF(x + side, y - side - h, w, h), QRectF(x + side, y + side, w, h),
                     QRectF(x - side - w, y - side - h, w, h),
                     QRectF(x - side - w, y + side, w, h)]
            spots = [r for r in spots if bounds.contains(r)
                     and not any(r.intersects(p) for p in placed)]
            clear = [r for r in spots if not any(r.intersects(d) for d in dots)]
            if not spots:
                continue
            rect = (clear or spots)[0]
            placed.append(rect)
            painter.setPen(Qt.NoPen)
            painter.setBrush(halo)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(colours["text"])
            painter.drawText(rect, Qt.AlignCenter, text)

    def legend_rows(self) -> list[tuple[str, str, QColor | None]]:
        """The legend as rows: ("heading", text, None), ("colour", text, colour),
        ("sizes", text, None) or ("faded", text, None)."""
        rows: list[tuple[str, str, QColor | None]] = [("heading", self.colour_caption(), None)]
        entries = self.legend()
        rows += [("colour", text, QColor(c)) for text, c in entries[:LEGEND_ROWS]]
        if len(entries) > LEGEND_ROWS:
            rows.append(("note", f"and {len(entries) - LEGEND_ROWS} more", None))
        rows += [("heading", self.size_caption(), None), ("sizes", "lower → higher", None)]
        if self.focus():
            rows.append(("faded", "Faded: not part of the highlight", None))
        return rows

    # -- zoom, pan, fit ------------------------------------------------------------------------

    def fit(self) -> None:
        """Show the whole map, and keep it fitted when the view is resized."""
        self._fit_to(self.scene().sceneRect())

    def _fit_to(self, area: QRectF) -> None:
        self._target, self.user_view = area, False
        self.fitInView(area, Qt.KeepAspectRatio)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._target is not None and not self.user_view:
            self.fitInView(self._target, Qt.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        self.user_view = True
        self.scale(factor, factor)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom(1.25)
        elif event.key() == Qt.Key_Minus:
            self.zoom(0.8)
        elif event.key() == Qt.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def _scroll(self) -> tuple[int, int]:
        return self.horizontalScrollBar().value(), self.verticalScrollBar().value()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._press_scroll = self._scroll()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        if self._press_scroll is not None and self._press_scroll != self._scroll():
            self.user_view = True  # dragged the map: keep the user's view on resize
        self._press_scroll = None

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt override
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, _Node) and not self.aggregated:
            self.person_activated.emit(item.key)
        super().mouseDoubleClickEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override: the theme changed
        if event.type() in (QEvent.PaletteChange, QEvent.ApplicationPaletteChange):
            self._emphasise()
        super().changeEvent(event)

    # -- export --------------------------------------------------------------------------------

    def export(self, path: str | Path, title: str | None = None, caption: str = "") -> Path:
        """Write the map as a 1920×1080 slide (PNG or SVG by suffix) with a title, the
        network's date, a legend and the people the view names, labelled for a room
        (``room_names``); drawn light, from a clean copy (no selection rings, nothing
        hovered). ``caption`` is shown as given: the caller words it for a room."""
        path = Path(path)
        suffix = path.suffix.lower()
        title = title or self.default_title()
        if suffix == ".svg":
            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(SLIDE)
            generator.setViewBox(QRect(0, 0, SLIDE.width(), SLIDE.height()))
            generator.setTitle(title)
            generator.setDescription(caption)
            painter = QPainter(generator)
        elif suffix == ".png":
            image = QImage(SLIDE, QImage.Format_ARGB32)
            image.fill(QColor(MAP_COLOURS[False]["background"]))
            painter = QPainter(image)
        else:
            raise WorkbenchError(f"{path.name}: choose a .png or .svg file name.")
        try:
            self.paint_slide(painter, QRectF(0, 0, SLIDE.width(), SLIDE.height()), title,
                             caption)
        finally:
            painter.end()
        if suffix == ".png" and not image.save(str(path)):
            raise WorkbenchError(f"{path.name}: could not write the image.")
        return path

    def default_title(self) -> str:
        if self.analysis is None:
            return "Network map"
        info = self.analysis.network
        return info.name + (f" ({short_date(info.date)})" if info.date else "")

    def paint_slide(self, painter: QPainter, rect: QRectF, title: str, caption: str) -> None:
        """Title, caption, the map, its legend and a footer, laid out on ``rect``."""
        clean = NetworkMap(cached=False)
        clean.dark, clean.ring, clean.room, clean.idle_labels = False, False, True, 12
        clean.label_font = _pixel_font(self.font(), 20)
        clean.mirror(self)
        colours = clean.colours()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.TextAntialiasing)
        painter.fillRect(rect, colours["background"])
        margin = round(rect.width() * 0.03)
        left, top = rect.left() + margin, rect.top() + margin
        width = rect.width() - 2 * margin
        y = _text(painter, QRectF(left, top, width, 60), title, _pixel_font(self.font(), 44,
                  bold=True), colours["text"])
        if caption:
            y = _text(painter, QRectF(left, y + 6, width, 40), caption,
                      _pixel_font(self.font(), 26), colours["muted"], lines=2)
        footer_font = _pixel_font(self.font(), 18)
        footer_h = QFontMetricsF(footer_font).height()
        bottom = rect.bottom() - margin - footer_h - 12
        legend_w = rect.width() * 0.2
        area = QRectF(left, y + 24, width - legend_w - 32, bottom - y - 24)
        clean.paint_map(painter, area, colours)
        paint_legend(painter, QRectF(area.right() + 32, area.top(), legend_w, area.height()),
                     clean.legend_rows(), _pixel_font(self.font(), 22), colours)
        _text(painter, QRectF(left, rect.bottom() - margin - footer_h, width, footer_h),
              self._footer(), footer_font, colours["muted"])
        clean.deleteLater()

    def paint_map(self, painter: QPainter, area: QRectF, colours: dict[str, QColor]) -> None:
        """The visible dots and ties, fitted into ``area``, and their names."""
        shown = [n for n in self.nodes.values() if n.isVisible()]
        if not shown:
            return
        source = QRectF()
        for node in shown:
            source = source.united(node.sceneBoundingRect())
        source = source.adjusted(-10, -10, 10, 10)
        scale = min(area.width() / source.width(), area.height() / source.height())
        transform = QTransform()
        transform.translate(area.center().x(), area.center().y())
        transform.scale(scale, scale)
        transform.translate(-source.center().x(), -source.center().y())
        painter.save()
        painter.setWorldTransform(transform, True)
        self.scene().render(painter, source, source)
        painter.restore()
        self.paint_labels(painter, transform, area, colours)

    def _footer(self) -> str:
        a = self.analysis
        if a is None:
            return ""
        summary = a.metrics.network
        parts = [f"{count(summary['people'], 'person', 'people')}, "
                 f"{count(summary['ties'], 'tie')}"]
        if a.network.date:
            parts.append(f"data of {short_date(a.network.date)}")
        if self.department:
            parts.append(f"{self.department} only")
        parts.append(f"exported {short_date(dt.date.today())}")
        return " · ".join(parts)

    def sizeHint(self) -> QSize:
        return QSize(640, 520)


def paint_legend(painter: QPainter, area: QRectF, rows: list[tuple[str, str, QColor | None]],
                 font: QFont, colours: dict[str, QColor]) -> float:
    """Draw legend ``rows`` (see :meth:`NetworkMap.legend_rows`) from ``area``'s top-left
    corner; returns the height used."""
    metrics = QFontMetricsF(font)
    line = metrics.height() * 1.45
    dot = metrics.height() * 0.32
    heading = QFont(font)
    heading.setBold(True)
    width = area.width()
    x, y = area.left(), area.top()
    for i, (kind, text, colour) in enumerate(rows):
        if kind == "heading":
            y += line * 0.4 if i else 0
            painter.setFont(heading)
            painter.setPen(colours["text"])
            painter.drawText(QRectF(x, y, width, line), Qt.AlignVCenter | Qt.AlignLeft,
                             QFontMetricsF(heading).elidedText(text, Qt.ElideRight, width))
            painter.setFont(font)
            y += line
            continue
        mid = y + line / 2
        text_x = x + 3 * dot
        painter.setPen(QPen(colours["halo"], 1))
        if kind == "colour":
            painter.setBrush(colour)
            painter.drawEllipse(QPointF(x + dot, mid), dot, dot)
        elif kind == "sizes":
            painter.setBrush(colours["muted"])
            for step, r in enumerate((0.45, 0.75, 1.1)):
                painter.drawEllipse(QPointF(x + dot + step * 2.6 * dot, mid), r * dot, r * dot)
            text_x = x + 8 * dot
        elif kind == "faded":
            faded = QColor(colours["muted"])
            faded.setAlphaF(FADED * 2)
            painter.setBrush(faded)
            painter.drawEllipse(QPointF(x + dot, mid), dot, dot)
        painter.setPen(colours["text"] if kind == "colour" else colours["muted"])
        room = width - (text_x - x)
        painter.drawText(QRectF(text_x, y, room, line), Qt.AlignVCenter | Qt.AlignLeft,
                         metrics.elidedText(text, Qt.ElideRight, room))
        y += line
    return y - area.top()


def _pixel_font(base: QFont, pixels: int, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _text(painter: QPainter, rect: QRectF, text: str, font: QFont, colour: QColor,
          lines: int = 1) -> float:
    """Text wrapped to ``rect``'s width on at most ``lines`` lines (the last one elided);
    returns the y below it."""
    metrics = QFontMetricsF(font)
    painter.setFont(font)
    painter.setPen(colour)
    rows: list[str] = []
    words = text.split()
    while words and len(rows) < lines:
        row = words.pop(0)
        while words and metrics.horizontalAdvance(f"{row} {words[0]}") <= rect.width():
            row = f"{row} {words.pop(0)}"
        rows.append(row)
    if words:  # what did not fit ends the last line
        rows[-1] = metrics.elidedText(f"{rows[-1]} {' '.join(words)}", Qt.ElideRight,
                                      rect.width())
    y = rect.top()
    for row in rows:
        painter.drawText(QRectF(rect.left(), y, rect.width(), metrics.height()),
                         Qt.AlignLeft | Qt.AlignTop,
                         metrics.elidedText(row, Qt.ElideRight, rect.width()))
        y += metrics.height()
    return y


def _natural(text: str) -> tuple:
    head, _, tail = text.rpartition(" ")
    return (head, int(tail)) if tail.isdigit() else (text, 0)
