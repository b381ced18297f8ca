"""The network map full screen, for a room: big dots, the key people named, the rest faded.

Opened from People & Network (Present, F5) on the second screen when one is connected.
→ and ← (or Page Down / Page Up, as a presentation clicker sends them) step from the key
people through the findings, each highlighting its people; F or 0 shows the whole map again;
+ and − zoom; Esc leaves. People appear as a room may see them (the map's ``room_names``, and
stops worded by the panel for a room): named (or by pseudonym) only when the privacy setting
lets individual labels stand beside them, otherwise by their department.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.gui.network_map import NetworkMap, paint_legend
from workbench.gui.style import SPACING
from workbench.gui.widgets import show_full_screen

NEXT_KEYS = (Qt.Key_Right, Qt.Key_Down, Qt.Key_PageDown, Qt.Key_Space)
BACK_KEYS = (Qt.Key_Left, Qt.Key_Up, Qt.Key_PageUp, Qt.Key_Backspace)
HINT = "→ next   ← back   F whole map   + − zoom   Esc leave"


@dataclass(frozen=True)
class Stop:
    """One view of the presentation: a heading, its sentence and the people it highlights."""

    title: str
    sentence: str
    people: tuple[str, ...] = ()


class Legend(QWidget):
    """The legend of a map (colours, sizes, fading), beside it, in the map's colours."""

    def __init__(self, source: NetworkMap) -> None:
        super().__init__()
        self.source = source
        self.setMinimumWidth(280)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(340, 400)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        paint_legend(painter, QRectF(self.rect()).adjusted(0, 8, 0, 0),
                     self.source.legend_rows(), self.source.label_font or self.font(),
                     self.source.colours())
        painter.end()


class PresentationWindow(QWidget):
    """Full-screen map of what ``source`` shows, stepping through ``stops``."""

    def __init__(self, source: NetworkMap, title: str, stops: Sequence[Stop],
                 start: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.Window)  # a window of its own, closed with its parent
        self.setWindowTitle(f"{title} — presentation")
        self.stops = list(stops) or [Stop("The whole network", "")]
        self.index = 0
        self.map = NetworkMap()
        self.map.node_scale, self.map.ring, self.map.room = 1.6, False, True
        self.map.idle_labels = 15
        self.map.label_font = _points(self.font(), 15)
        self.map.setFrameShape(QFrame.NoFrame)
        self.map.setFocusPolicy(Qt.NoFocus)  # the arrow keys step, they do not scroll
        self.map.mirror(source)
        colours = self.map.colours()
        self.setStyleSheet(f"PresentationWindow {{ background: {colours['background'].name()}; }}"
                           f"QLabel {{ color: {colours['text'].name()}; }}"
                           f"QLabel[role='dim'] {{ color: {colours['muted'].name()}; }}")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.heading = QLabel(title)
        self.heading.setFont(_points(self.font(), 26, bold=True))
        self.caption = QLabel(wordWrap=True, textFormat=Qt.RichText)
        self.caption.setFont(_points(self.font(), 17))
        self.hint = QLabel(HINT)
        self.hint.setProperty("role", "dim")
        self.hint.setFont(_points(self.font(), 12))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING * 5, SPACING * 4, SPACING * 5, SPACING * 2)
        layout.setSpacing(SPACING)
        layout.addWidget(self.heading)
        layout.addWidget(self.caption)
        self.legend = Legend(self.map)
        row = QHBoxLayout()
        row.setSpacing(SPACING * 3)
        row.addWidget(self.map, 1)
        row.addWidget(self.legend)
        layout.addLayout(row, 1)
        layout.addWidget(self.hint, 0, Qt.AlignRight)
        self.show_stop(min(max(start, 0), len(self.stops) - 1))

    def show_stop(self, index: int) -> None:
        """Highlight the people of stop ``index`` and show its heading and sentence."""
        self.index = index
        stop = self.stops[index]
        where = f"<span style='font-size:small'>{index + 1} of {len(self.stops)}</span>" \
            if len(self.stops) > 1 else ""
        self.caption.setText(f"<b>{stop.title}</b>" + (f" — {stop.sentence}" if stop.sentence
                                                       else "") + f"&nbsp;&nbsp;{where}")
        self.map.select(list(stop.people), labelled=list(stop.people))
        self.map.fit()
        self.legend.update()  # "faded" is listed while someone is highlighted

    def present(self) -> None:
        """Full screen on the projector (the second screen), else on this one."""
        show_full_screen(self)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key_Escape:
            self.close()
        elif key in NEXT_KEYS and self.index + 1 < len(self.stops):
            self.show_stop(self.index + 1)
        elif key in BACK_KEYS and self.index > 0:
            self.show_stop(self.index - 1)
        elif key in (Qt.Key_F, Qt.Key_0, Qt.Key_Home):
            self.map.fit()
        elif key in (Qt.Key_Plus, Qt.Key_Equal, Qt.Key_Minus):
            self.map.zoom(0.8 if key == Qt.Key_Minus else 1.25)
        else:
            super().keyPressEvent(event)


def _points(base: QFont, points: float, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font
