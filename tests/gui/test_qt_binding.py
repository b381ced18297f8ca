"""Guard against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 drops one reference to ``None`` on every call of a method returning void; on
Python 3.11 the app then dies ("none_dealloc") after enough clicks. pyproject.toml excludes it;
this test fails if such a binding is installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QGraphicsEllipseItem, QLabel


def test_void_calls_keep_the_reference_count_of_none(qapp):
    label = QLabel("x")
    item = QGraphicsEllipseItem(0, 0, 1, 1)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("y")
        item.setVisible(True)
    assert sys.getrefcount(None) - before > -50
