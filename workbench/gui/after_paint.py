"""Start background work once a page has been drawn, not while it is being laid out.

A worker running Python slows every step of the window's first layout and painting of a page
(each step waits for the interpreter), so a page that started its background work as it was
filled stayed blank for a few tenths of a second. :class:`AfterPaint` starts that work on the
event-loop turn after the page's widget was painted (or at once on the next turn when it is
hidden, or after :data:`FALLBACK_MS` when no paint comes).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 250  # start anyway if the widget is not painted by then (a minimised window)


class AfterPaint(QObject):
    """Runs the callback last given to :meth:`call` once ``widget`` has been painted; a call
    made before the previous one ran replaces it, :meth:`cancel` drops it."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        self._pending: Callable[[], object] | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._run)

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def call(self, callback: Callable[[], object]) -> None:
        self._pending = callback
        if not self.widget.isVisible():
            self._timer.start(0)
            return
        self.widget.installEventFilter(self)
        self._timer.start(FALLBACK_MS)

    def cancel(self) -> None:
        self._pending = None
        self._timer.stop()
        self.widget.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._timer.start(0)  # the next turn: once this paint (and the rest of it) is done
        return False

    def _run(self) -> None:
        self.widget.removeEventFilter(self)
        callback, self._pending = self._pending, None
        if callback is not None:
            callback()
