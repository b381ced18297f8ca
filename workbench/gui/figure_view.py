"""Show a core matplotlib Figure in Qt (in the theme's colours) and export it as PNG, SVG
or PDF (always in the light colours the core drew it in)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFileDialog, QSizePolicy, QVBoxLayout, QWidget

from workbench.gui.style import CHART_BACKGROUND, CHART_PALE, CHART_TEXT, is_dark

FIGURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
_LIGHT = "_workbench_light_colours"  # on a figure shown dark: (setter, light colour) pairs


def save_figure(figure, path: str | Path, protected: Path | None = None) -> None:
    """Write a figure atomically; the format follows the file suffix."""
    from workbench.core.xlsx_safety import atomic_output

    path = Path(path)
    with atomic_output(path, protected=protected) as tmp:
        figure.savefig(tmp, format=path.suffix.lstrip(".").lower() or "png", dpi=200,
                       bbox_inches="tight")


def theme_figure(figure, dark: bool) -> None:
    """Show ``figure`` in the dark theme's colours, or back in its own light ones.

    Only neutral colours change: black and dark-grey text and lines become light, white and
    pale-grey backgrounds dark; data colours, colour maps and labels written on heat-map
    cells (coloured for their cell) stay as they are.
    """
    from matplotlib.axes import Axes
    from matplotlib.colors import to_rgba
    from matplotlib.figure import FigureBase

    for setter, colour in reversed(getattr(figure, _LIGHT, None) or []):
        setter(colour)
    setattr(figure, _LIGHT, None)
    if not dark:
        return
    text, background, pale = to_rgba(CHART_TEXT), to_rgba(CHART_BACKGROUND), to_rgba(CHART_PALE)

    def swap(colour):
        if colour is None or isinstance(colour, str) and colour in ("none", "auto"):
            return None
        try:
            r, g, b, a = to_rgba(colour)
        except (ValueError, TypeError):
            return None
        if a == 0 or max(r, g, b) - min(r, g, b) > 0.12:  # invisible, or a data colour
            return None
        lightness = (max(r, g, b) + min(r, g, b)) / 2
        if lightness <= 0.45:
            return (*text[:3], a)
        if lightness >= 0.97:
            return (*background[:3], a)
        return (*pale[:3], a) if lightness >= 0.8 else None

    saved = []
    # a figure's and an axes' colours are those of their patch, visited on its own
    artists = [a for a in figure.findobj() if not isinstance(a, (FigureBase, Axes))]
    artists += [a.get_bbox_patch() for a in artists if hasattr(a, "get_bbox_patch")
                and a.get_bbox_patch() is not None]  # boxes behind text (radar scale)
    for artist in artists:
        if _on_heat_map(artist):
            continue
        colours = {}  # all read before any is set ("auto" marker colours follow the line)
        for name in ("color", "facecolor", "edgecolor", "markerfacecolor", "markeredgecolor"):
            getter = getattr(artist, f"get_{name}", None)
            if getter is not None and hasattr(artist, f"set_{name}"):
                try:
                    colours[name] = getter()
                except (AttributeError, TypeError):
                    continue
        for name, colour in colours.items():
            if hasattr(colour, "ndim") and colour.ndim == 2:  # a collection: one per item
                continue
            new = swap(colour if not hasattr(colour, "ndim") else tuple(colour))
            if new is not None:
                setter = getattr(artist, f"set_{name}")
                saved.append((setter, colour))
                setter(new)
    setattr(figure, _LIGHT, saved)


def _on_heat_map(artist) -> bool:
    """Text placed on the cells of an image (its colour chosen for the cell's colour)."""
    from matplotlib.text import Text

    axes = artist.axes if isinstance(artist, Text) else None
    return axes is not None and bool(axes.images) and artist in axes.texts


class FigureView(QWidget):
    """Holds one matplotlib Figure made by ``workbench.core`` (never pyplot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.canvas = None
        self.figure = None
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_figure(self, figure) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.figure = figure
        theme_figure(figure, is_dark(self.palette()))
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self._layout.addWidget(self.canvas)
        self.canvas.draw_idle()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override: the theme changed
        if event.type() in (QEvent.PaletteChange, QEvent.ApplicationPaletteChange) \
                and self.figure is not None:
            theme_figure(self.figure, is_dark(self.palette()))
            self.canvas.draw_idle()
        super().changeEvent(event)

    def clear(self) -> None:
        """Show nothing (the figure belonged to data that is gone)."""
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.canvas = None
        self.figure = None

    def export_dialog(self, suggested: str = "figure.png") -> Path | None:
        """Ask for a file name and save the figure there; returns the path written."""
        if self.figure is None:
            return None
        path, _ = QFileDialog.getSaveFileName(self, "Export figure", suggested, FIGURE_FILTER)
        if not path:
            return None
        theme_figure(self.figure, False)  # files keep the light colours
        try:
            save_figure(self.figure, path)
        finally:
            theme_figure(self.figure, is_dark(self.palette()))
        return Path(path)
