"""Load the pages' heavy libraries in the background once a project is open.

The sidebar pages are imported when first shown (start-up stays fast), but People & Network,
Maturity and Plan pull in igraph, networkx, SciPy and matplotlib: importing them on the GUI
thread when the user first clicks such a page froze the window for seconds. Once a project is
open, :func:`preload` imports the Qt-free core modules those pages need on a pool thread; a page
opened meanwhile only waits for what is still loading. Before that, while the start page waits
for the user, it loads :data:`OPENING`: what opening a project needs (its file, its services and
the Engagement page's), which otherwise held up the window as the project opened.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading

from PySide6.QtCore import QThreadPool

log = logging.getLogger(__name__)
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
# pages, then the Plan page's own.
MODULES = (
    "workbench.core.importing",
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


class _Counter:
    """How many preloads are under way (changed on pool threads, read on the GUI thread)."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.value += n


_running = _Counter()


def loading() -> bool:
    """Whether a preload is still importing (an import on the GUI thread would wait for it)."""
    return _running.value > 0


def _import_all(names: tuple[str, ...]) -> None:
    try:
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - the page that needs it reports it
                log.warning("Could not preload %s (%s)", name, exc)
                return  # most likely the app is quitting
    finally:
        _running.add(-1)


def preload(pool: QThreadPool | None = None, modules: tuple[str, ...] = MODULES) -> bool:
    """Start importing the ``modules`` not loaded yet on ``pool`` (the global one); returns
    whether there was anything to load."""
    missing = tuple(name for name in modules if name not in sys.modules)
    if missing:
        _running.add(1)
        # a plain callable, not QRunnable.create: a C++-deleted runnable's Python wrapper
        # could be handed out again for a new Qt object at the same address
        (pool or QThreadPool.globalInstance()).start(lambda: _import_all(missing))
    return bool(missing)
