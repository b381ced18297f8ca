"""Build the pages not opened yet while the window has nothing else to do.

The first click on a page imports its module, makes its widgets and lets Qt create the Python
enums they use: 100–150 ms on People & Network, the window frozen on the click. Once a project
is open, :class:`PageWarmUp` does that ahead for the pages of :data:`PAGES`, one step per quiet
moment: a page's module in one step, the page itself (hidden, with no data yet: a page fills
itself when shown) in the next. A step waits until the background preload of the core
libraries has finished (an import here would wait for it), no task runs, no menu is open or
mouse button down, for :data:`QUIET_MS`. After the last page, once the window has been quiet
for :data:`DONE_AFTER_MS`, it calls ``done`` (the app preloads the other pages' libraries: a
second and a half of imports that hold up the window now and then). A click on a page not
built yet builds it at once.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from workbench.gui.preload import loading

QUIET_MS = 200
DONE_AFTER_MS = 2000
# the pages built ahead, most used first; Customer learning and Workshop are not (building
# one takes 250 ms at first: longer than a click may freeze the window)
PAGES = ("network", "plan", "maturity", "questionnaires", "engagement")


class PageWarmUp(QObject):
    """Builds the pages of :data:`PAGES` (``modules`` gives each sidebar row's module) with
    ``build(row)`` while ``busy()`` is false; :meth:`start` once a project is open,
    :meth:`stop` when it closes."""

    def __init__(self, modules: Sequence[str], build: Callable[[int], object],
                 built: Callable[[int], bool], busy: Callable[[], bool],
                 done: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._modules = list(modules)
        self._rows = [self._modules.index(name) for name in PAGES]
        self._build, self._built, self._busy, self._done = build, built, busy, done
        self._quiet_for = 0  # ms the window has been quiet
        self._timer = QTimer(self, singleShot=True, interval=QUIET_MS)
        self._timer.timeout.connect(self._step)

    @property
    def pending(self) -> list[int]:
        """The sidebar rows still to build, in order."""
        return [row for row in self._rows if not self._built(row)]

    def start(self) -> None:
        self._quiet_for = 0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _quiet(self) -> bool:
        app = QApplication.instance()
        return not (loading() or self._busy() or app.activePopupWidget() is not None
                    or app.mouseButtons() != Qt.NoButton)

    def _step(self) -> None:
        self._quiet_for = self._quiet_for + QUIET_MS if self._quiet() else 0
        rows = self.pending
        if self._quiet_for and rows:
            name = f"workbench.gui.panels.{self._modules[rows[0]]}"
            if name in sys.modules:
                self._build(rows[0])
            else:
                importlib.import_module(name)
        elif self._quiet_for >= DONE_AFTER_MS and not rows:
            self._done()
            return
        self._timer.start()
