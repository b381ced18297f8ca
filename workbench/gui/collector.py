"""Python's garbage collection on the GUI thread only, in short pauses.

When the collector runs on a worker thread while Python objects wrap Qt objects in a reference
cycle, deleting them there can deadlock PySide (the interpreter lock against Qt's own). So the
app turns automatic collection off and collects from a timer on the GUI thread instead, once
the youngest generation holds more new objects than the interpreter's threshold.

A collection pauses the GUI thread for as long as it takes to scan its generations, so all are
kept small. The timer runs often, so that the youngest generation never holds more than a short
while of a worker's allocations; the middle one is collected after :data:`MIDDLE_AFTER`
collections of the youngest; and what survives it (imported modules, an open project, its
analysis, whatever lives longer than a moment) is frozen (:func:`gc.freeze`) instead of being
scanned again and again in full collections (a pile of more than :data:`SCAN_AT_MOST` is frozen
unscanned). Frozen objects freed by reference counting go as usual; those kept alive only by a
reference cycle are reclaimed when the frozen objects have grown by :data:`THAW_GROWTH` since
the last time everything was scanned and number at least :data:`THAW_FROM`, once the app is
idle (no background task, nothing new for :data:`QUIET_MS`; never while an export or an
analysis briefly holds many): only that rare collection scans the whole heap.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QThreadPool, QTimer

CHECK_EVERY_MS = 50
MIDDLE_AFTER = 3  # collections of the youngest generation between two of the middle one
SCAN_AT_MOST = 25_000  # objects of the oldest generation scanned in one pause (~10 ms)
THAW_GROWTH = 2.0  # scan everything once the frozen objects have grown this much
THAW_FROM = 500_000  # ... and are at least this many (a few tenths of a second to scan)
QUIET_MS = 2_000  # ... once nothing was due for this long


class GuiThreadCollector(QObject):
    """Disables automatic collection while alive; collects due generations on a timer."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.young = gc.get_threshold()[0]
        self.settled = 0  # objects frozen after the last collection of the whole heap
        self.frozen = 0  # objects frozen since, at most (some may have been freed)
        self.quiet = 0  # checks in a row that found nothing due
        gc.disable()
        self.timer = QTimer(self, interval=CHECK_EVERY_MS)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()
        self.destroyed.connect(_restore)

    def collect_due(self) -> None:
        """Collect the youngest generation once it holds more than the interpreter's
        threshold of new objects; every :data:`MIDDLE_AFTER` times, the middle one too."""
        young, middle, _old = gc.get_count()
        if young <= self.young:
            self.quiet += 1
            if (self.quiet * CHECK_EVERY_MS >= QUIET_MS
                    and not QThreadPool.globalInstance().activeThreadCount()):
                self.collect_whole()
            return
        self.quiet = 0
        if middle < MIDDLE_AFTER:
            gc.collect(0)
        else:
            self.collect_old()

    def collect_old(self) -> None:
        """Collect what is not frozen yet and freeze the survivors. When more than
        :data:`SCAN_AT_MOST` objects have piled up in the oldest generation (a worker's large
        result has just arrived), or while a worker runs (the finalizers of a scan let it
        take the interpreter, and its long calls lengthen the pause), they are frozen
        unscanned: their cycles wait for the idle collection of the whole heap rather than
        pause the window now."""
        gc.collect(1)
        older = len(gc.get_objects(generation=2))  # counting the frozen ones takes longer
        if older <= SCAN_AT_MOST and not QThreadPool.globalInstance().activeThreadCount():
            gc.collect(2)
            older = len(gc.get_objects(generation=2))
        self.frozen += older
        gc.freeze()

    def collect_whole(self) -> None:
        """Collect the whole heap, frozen objects included, when they have grown by
        :data:`THAW_GROWTH` since it last was and number at least :data:`THAW_FROM`."""
        if self.frozen < max(THAW_GROWTH * self.settled, THAW_FROM):
            return
        self.quiet = 0  # not again before the next quiet spell
        self.frozen = gc.get_freeze_count()  # fewer if some were freed since
        if self.frozen >= max(THAW_GROWTH * self.settled, THAW_FROM):
            gc.unfreeze()
            gc.collect(2)
            gc.freeze()
            self.settled = self.frozen = gc.get_freeze_count()


def _restore(*_args: object) -> None:
    gc.unfreeze()
    gc.enable()
