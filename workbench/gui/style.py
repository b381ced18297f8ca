"""One restrained palette (light and dark), Fusion style, 8-px spacing, shared chart colours."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

SPACING = 8
ACCENT = "#2563a8"
# Colour-blind-safe categorical colours (Okabe–Ito), shared with the charts.
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
               "#000000", "#999999"]

_LIGHT = {
    QPalette.Window: "#f5f6f8", QPalette.Base: "#ffffff", QPalette.AlternateBase: "#f0f2f5",
    QPalette.Text: "#1f2328", QPalette.WindowText: "#1f2328", QPalette.Button: "#eef0f3",
    QPalette.ButtonText: "#1f2328", QPalette.Highlight: ACCENT,
    QPalette.HighlightedText: "#ffffff", QPalette.ToolTipBase: "#ffffff",
    QPalette.ToolTipText: "#1f2328", QPalette.PlaceholderText: "#6b7280",
}
_LIGHT_DISABLED = "#a0a6ae"  # text of disabled buttons, labels and fields
_DARK = {
    QPalette.Window: "#1e2126", QPalette.Base: "#16181c", QPalette.AlternateBase: "#23272e",
    QPalette.Text: "#e6e8eb", QPalette.WindowText: "#e6e8eb", QPalette.Button: "#2a2f37",
    QPalette.ButtonText: "#e6e8eb", QPalette.Highlight: "#4a8fdc",
    QPalette.HighlightedText: "#ffffff", QPalette.ToolTipBase: "#2a2f37",
    QPalette.ToolTipText: "#e6e8eb", QPalette.PlaceholderText: "#9aa0a6",
}
_DARK_DISABLED = "#5f6670"
# The network map on each theme: background, label text and the halo behind it, ties (all,
# and those of the highlighted people), the ring around a selected dot, and muted text.
MAP_COLOURS = {
    False: {"background": "#ffffff", "text": "#1f2328", "halo": "#ffffff", "tie": "#7b838d",
            "tie_strong": "#3b4350", "ring": ACCENT, "muted": "#5b6370"},
    True: {"background": "#16181c", "text": "#e6e8eb", "halo": "#16181c", "tie": "#8f98a3",
           "tie_strong": "#d5dae0", "ring": "#7fb6f0", "muted": "#a3acb8"},
}
# Charts on the dark theme: black text and lines become CHART_TEXT, white backgrounds
# CHART_BACKGROUND (the dark base colour); data colours stay as they are.
CHART_TEXT = _DARK[QPalette.Text]
CHART_BACKGROUND = _DARK[QPalette.Base]
CHART_PALE = "#3a4049"  # where the light theme has pale grey (grid lines, light patches)

STYLESHEET = """
QListWidget#sidebar { border: none; padding: 8px 0; font-size: 11pt; outline: 0; }
QListWidget#sidebar::item { padding: 8px 14px; border-radius: 6px; margin: 2px 8px;
                            border: 2px solid transparent; }
QListWidget#sidebar::item:selected { background: ACCENT_COLOUR; color: white; }
QListWidget#sidebar::item:selected:focus { border: 2px solid #9cc3ee; }
QListWidget#sidebar::item:hover:!selected { background: palette(alternate-base); }
QLabel[role="title"] { font-size: 18pt; font-weight: 600; }
QLabel[role="subtitle"] { font-size: 11pt; color: palette(placeholder-text); }
QLabel[role="section"] { font-size: 12pt; font-weight: 600; margin-top: 8px; }
QLabel[role="figure"] { font-size: 20pt; font-weight: 600; }
QLabel[role="hint"] { color: palette(placeholder-text); }
QFrame[role="card"] { background: palette(base); border: 1px solid palette(mid);
                      border-radius: 8px; }
QPushButton[role="primary"] { background: ACCENT_COLOUR; color: white; border-radius: 6px;
                              padding: 8px 16px; font-weight: 600; }
QPushButton[role="primary"]:hover { background: #1d4f88; }
QPushButton[role="primary"]:disabled { background: DISABLED_BACK; color: DISABLED_TEXT; }
*[role="error"] { color: ERROR_COLOUR; font-weight: 600; }
""".replace("ACCENT_COLOUR", ACCENT)
# Colours the palette cannot express, per theme: a disabled primary button and error text,
# each chosen to stay readable (contrast >= 4.5:1) on that theme's window colour.
_SHEET_COLOURS = {
    False: {"DISABLED_BACK": "#c9d6e6", "DISABLED_TEXT": "#4b5563", "ERROR_COLOUR": "#b42318"},
    True: {"DISABLED_BACK": "#2c3a4d", "DISABLED_TEXT": "#a3acb8", "ERROR_COLOUR": "#ff8a80"},
}


def stylesheet(dark: bool = False) -> str:
    """The application stylesheet with the colours of the light or dark theme."""
    sheet = STYLESHEET
    for name, colour in _SHEET_COLOURS[dark].items():
        sheet = sheet.replace(name, colour)
    return sheet


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the application's) is the dark theme's."""
    palette = palette if palette is not None else QApplication.palette()
    return palette.color(QPalette.Window).lightness() < 128


def apply_style(app: QApplication, dark: bool = False) -> None:
    """Fusion style with the light or dark palette and the matching stylesheet."""
    app.setStyle("Fusion")
    palette = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    muted = QColor(_DARK_DISABLED if dark else _LIGHT_DISABLED)
    for role in (QPalette.Text, QPalette.WindowText, QPalette.ButtonText):
        palette.setColor(QPalette.Disabled, role, muted)
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(dark))
