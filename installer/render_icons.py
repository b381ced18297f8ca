"""Render the application icon (resources/icons/workbench.svg) to PNG and ICO files.

Run after editing the SVG: ``.venv/bin/python installer/render_icons.py``. Uses Qt's SVG
renderer offscreen for the PNGs and Pillow (a matplotlib dependency) for the Windows .ico.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "workbench.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / f"workbench-{size}.png"


def render_pngs() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE}: not a valid SVG file")
    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size))):
            raise SystemExit(f"cannot write {png_path(size)}")
        written.append(png_path(size))
    return written


def write_ico() -> Path:
    from PIL import Image

    target = ICONS / "workbench.ico"
    largest = Image.open(png_path(max(ICO_SIZES)))
    largest.save(target, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    return target


if __name__ == "__main__":
    for path in [*render_pngs(), write_ico()]:
        print(path.relative_to(ICONS.parent.parent.parent))
