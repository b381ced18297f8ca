"""Show a core matplotlib Figure in Qt (in the theme's colours) and export it as PNG, SVG
or PDF (always in the light colours the core drew it in).

The figure is drawn at the view's size on a pool thread and shown as an image: a big chart
(a plan timeline of a hundred actions) drawn on the GUI thread froze the window for seconds.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QSizePolicy, QWidget

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


def render_figure(figure, width: int, height: int, ratio: float, dpi: float) -> QImage:
    """Draw ``figure`` at ``width`` × ``height`` logical pixels (``ratio`` device pixels each,
    ``dpi`` its own resolution), as a window resize would; on any thread."""
    from matplotlib.backend_bases import ResizeEvent
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    figure.set_dpi(dpi * ratio)
    figure.set_size_inches(width / dpi, height / dpi, forward=False)
    ResizeEvent("resize_event", canvas)._process()  # charts refit their labels to the size
    canvas.draw()
    pixels = canvas.buffer_rgba()
    image = QImage(bytes(pixels), pixels.shape[1], pixels.shape[0],
                   QImage.Format_RGBA8888).copy()
    figure.set_dpi(dpi)  # the figure keeps its own resolution (exports, the next drawing)
    image.setDevicePixelRatio(ratio)
    return image


class _Rendered(QObject):
    done = Signal(int, object, object)  # request number, figure, QImage


class FigureView(QWidget):
    """Holds one matplotlib Figure made by ``workbench.core`` (never pyplot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = None
        self.image: QImage | None = None  # the last drawing, shown until the next one is ready
        self._dpi = 100.0
        self._lock = threading.Lock()  # held while the figure is drawn or saved
        self._wanted = 0  # number of the latest drawing asked for
        self._drawn = 0  # ... and of the one on screen
        self._drawing = False
        self._rendered = _Rendered()  # no parent: outlives the view while a drawing runs
        self._rendered.done.connect(self._show_image)
        self._timer = QTimer(self, singleShot=True, interval=0)  # one drawing per burst
        self._timer.timeout.connect(self._draw)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_figure(self, figure) -> None:
        self.figure = figure
        self.image = None
        self._dpi = figure.dpi
        theme_figure(figure, is_dark(self.palette()))
        self._redraw()
        self.updateGeometry()
        self.update()

    def _redraw(self) -> None:
        self._wanted += 1
        self._timer.start()

    def _draw(self) -> None:
        """Draw the figure on a pool thread (one drawing at a time; the latest wins; a hidden
        view draws when shown)."""
        if self.figure is None or self._drawing or not self.isVisible() or self.width() < 2 \
                or self.height() < 2:
            return
        self._drawing = True
        figure, wanted, done, lock = self.figure, self._wanted, self._rendered.done, self._lock
        args = (self.width(), self.height(), self.devicePixelRatioF(), self._dpi)

        def work() -> None:
            image = None
            try:
                with lock:
                    image = render_figure(figure, *args)
            finally:  # a failed drawing leaves the view blank and ready for the next
                done.emit(wanted, figure, image)

        QThreadPool.globalInstance().start(work)  # a plain callable: no QRunnable wrapper

    def _show_image(self, wanted: int, figure, image: QImage | None) -> None:
        self._drawing = False
        if figure is not self.figure:
            self._timer.start()
            return
        if image is not None:
            self.image, self._drawn = image, wanted
            self.update()
        if wanted != self._wanted:
            self._timer.start()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.image is not None:
            QPainter(self).drawImage(0, 0, self.image)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.figure is not None:
            self._redraw()
        super().resizeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.figure is not None and self._drawn != self._wanted:
            self._timer.start()
        super().showEvent(event)

    def sizeHint(self) -> QSize:
        if self.figure is None:
            return super().sizeHint()
        width, height = self.figure.get_size_inches() * self._dpi
        return QSize(int(width), int(height))

    def minimumSizeHint(self) -> QSize:
        return QSize(10, 10)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override: the theme changed
        if event.type() in (QEvent.PaletteChange, QEvent.ApplicationPaletteChange) \
                and self.figure is not None:
            theme_figure(self.figure, is_dark(self.palette()))
            self._redraw()
        super().changeEvent(event)

    def clear(self) -> None:
        """Show nothing (the figure belonged to data that is gone)."""
        self.figure = None
        self.image = None
        self.update()

    def export_dialog(self, suggested: str = "figure.png") -> Path | None:
        """Ask for a file name and save the figure there; returns the path written."""
        if self.figure is None:
            return None
        path, _ = QFileDialog.getSaveFileName(self, "Export figure", suggested, FIGURE_FILTER)
        if not path:
            return None
        with self._lock:  # not while a pool thread draws it
            theme_figure(self.figure, False)  # files keep the light colours
            try:
                save_figure(self.figure, path)
            finally:
                theme_figure(self.figure, is_dark(self.palette()))
        return Path(path)
