"""Python's garbage collection on the GUI thread only.

When the collector runs on a worker thread while Python objects wrap Qt objects in a reference
cycle, deleting them there can deadlock PySide (the interpreter lock against Qt's own). So the
app turns automatic collection off and collects from a timer on the GUI thread instead, with
the interpreter's own thresholds deciding which generations are due.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_EVERY_MS = 500


class GuiThreadCollector(QObject):
    """Disables automatic collection while alive; collects due generations on a timer."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self, interval=CHECK_EVERY_MS)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()
        self.destroyed.connect(lambda *_: gc.enable())

    def collect_due(self) -> None:
        """Collect the youngest generation when it is full, older ones as their counts say."""
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= self.thresholds[generation]:
                break
            gc.collect(generation)
