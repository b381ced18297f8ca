"""Show a core matplotlib Figure in Qt and export it as PNG, SVG or PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QSizePolicy, QVBoxLayout, QWidget

FIGURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"


def save_figure(figure, path: str | Path, protected: Path | None = None) -> None:
    """Write a figure atomically; the format follows the file suffix."""
    from workbench.core.xlsx_safety import atomic_output

    path = Path(path)
    with atomic_output(path, protected=protected) as tmp:
        figure.savefig(tmp, format=path.suffix.lstrip(".").lower() or "png", dpi=200,
                       bbox_inches="tight")


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
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self._layout.addWidget(self.canvas)
        self.canvas.draw_idle()

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
        save_figure(self.figure, path)
        return Path(path)
