"""Load the pages' heavy libraries in the background once a project is open.

The sidebar pages are imported when first shown (start-up stays fast), but People & Network,
Maturity and Plan pull in igraph, networkx, SciPy and matplotlib: importing them on the GUI
thread when the user first clicks such a page froze the window for seconds. Once a project is
open, :func:`preload` imports the Qt-free core modules those pages need on a pool thread, one
module at a time and only while none of the user's tasks runs (an import holds the interpreter
for tens of milliseconds at a time: beside an import or analysis worker it held up the window
for over 100 ms); a page opened meanwhile only waits for what is still loading. Before that,
while the start page waits for the user, it loads :data:`OPENING`: what opening a project
needs (its file, its services and the Engagement page's), which otherwise held up the window as
the project opened.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)
WAIT_MS = 100  # how often a preload held back by the user's tasks looks again
OPENING = (
    "workbench.core.project",
    "workbench.core.services.engagement",
    "workbench.core.services.settings",
    "workbench.core.services.people",
    "workbench.core.services.networks",
    "workbench.core.services.assessments",
    "workbench.core.services.plans",
    "workbench.core.method.settings",
)
# Qt-free modules only (never GUI modules: their widgets belong to the GUI thread), in the order
# they are likely needed: the import wizard (a new engagement starts with File > Import), the
# pages' libraries one by one (a user's task starting meanwhile waits for one, not all), the
# pages, then the Plan page's own.
MODULES = (
    "workbench.core.importing",
    "numpy",
    "matplotlib.figure",
    "matplotlib.pyplot",  # igraph's drawing imports it
    "igraph",
    "networkx",
    "workbench.core.analysis",
    "workbench.core.network.explain",
    "workbench.core.network.headline",
    "workbench.core.report.assemble",
    "workbench.core.report.network_story",
    "workbench.core.questionnaire.rounds",
    "workbench.core.questionnaire.charts",
    "workbench.core.plan.builder",
    "workbench.core.plan.evidence",
    "workbench.core.services.plans",
    "workbench.core.plan.owners",
    "workbench.core.plan.apply",
    "workbench.core.report.timeline",
)
# the Workshop and Customer learning pages' (SciPy's statistics, the phones' web server): loaded
# once the other pages are built (see page_warm_up); opening one of them before imports them
WORKSHOP = (
    "workbench.core.services.workshop",
    "workbench.core.workshop.session",
    "workbench.core.workshop.reveal",
    "workbench.core.workshop.predictions",
    "workbench.core.workshop.phones",
)


_under_way: set[_Preload] = set()  # kept alive here until their last module is loaded


def loading() -> bool:
    """Whether a preload is still importing (an import on the GUI thread would wait for it)."""
    return bool(_under_way)


def _import_one(name: str) -> bool:
    """Import ``name`` (on a pool thread); whether it could be."""
    try:
        importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - the page that needs it reports it
        log.warning("Could not preload %s (%s)", name, exc)
        return False  # most likely the app is quitting
    return True


class _Preload(QObject):
    """Imports ``names`` one at a time on ``pool``, each only while ``busy()`` is false."""

    loaded = Signal(bool)  # emitted on the pool thread: whether the module could be imported

    def __init__(self, names: tuple[str, ...], pool: QThreadPool,
                 busy: Callable[[], bool]) -> None:
        super().__init__()
        self._names, self._pool, self._busy = list(names), pool, busy
        self._timer = QTimer(self, singleShot=True, interval=WAIT_MS)
        self._timer.timeout.connect(self._next)
        self.loaded.connect(self._after)
        _under_way.add(self)

    def _next(self) -> None:
        if self._busy():
            self._timer.start()
            return
        name = self._names.pop(0)
        # a plain callable, not QRunnable.create: a C++-deleted runnable's Python wrapper
        # could be handed out again for a new Qt object at the same address
        self._pool.start(lambda: self._load(name))

    def _load(self, name: str) -> None:
        ok = _import_one(name)
        with contextlib.suppress(RuntimeError):  # the app quit meanwhile
            self.loaded.emit(ok)

    def _after(self, ok: bool) -> None:
        if ok and self._names:
            self._next()
            return
        _under_way.discard(self)


def preload(pool: QThreadPool | None = None, modules: tuple[str, ...] = MODULES,
            busy: Callable[[], bool] = lambda: False) -> bool:
    """Start importing the ``modules`` not loaded yet on ``pool`` (the global one), one at a
    time and each only once ``busy()`` (the user's tasks run) is false, so that the imports
    never compete with the user's work for the interpreter; returns whether there was anything
    to load."""
    missing = tuple(name for name in modules if name not in sys.modules)
    if missing:
        _Preload(missing, pool or QThreadPool.globalInstance(), busy)._next()
    return bool(missing)
