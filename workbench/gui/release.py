"""Free a large result a slice at a time, so that letting it go never pauses the window.

Dropping the last reference to a network's analysis frees hundreds of thousands of small
objects in one go (its graph's dictionaries, each person's figures and records): 60-80 ms at
10,000 people, during which the window cannot repaint. :func:`release_later` takes such a
result instead and, on the next turns of the event loop, empties its containers a few thousand
items at a time. Only what nothing else holds is emptied (counted with :func:`sys.getrefcount`);
a part still in use elsewhere is merely let go, as a plain ``del`` would.
"""

from __future__ import annotations

import gc
import sys
from types import ModuleType

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from shiboken6 import Shiboken

STEP_ITEMS = 12_000  # objects freed per turn of the event loop (3-4 ms)
SMALL = 64  # containers of at most this many items are freed whole


def _holders(obj: object) -> int:
    return sys.getrefcount(obj)


def _calibrate() -> int:
    probe: list = []
    return _holders(probe)


ALONE = _calibrate()  # the count of an object held by one local variable only


CONTAINERS = (dict, list, set)
LEAVES = (str, int, float, bool, bytes, tuple, type(None))  # nothing inside to empty


def _attributes(obj: object) -> dict | None:
    """A plain Python object's attribute dictionary (never a Qt wrapper's, a class's or a
    module's); None when it has none."""
    if isinstance(obj, (type, ModuleType, Shiboken.Object)):
        return None
    attributes = getattr(obj, "__dict__", None)
    return attributes if type(attributes) is dict else None


def _alone(obj: object) -> bool:
    """Whether ``obj`` is held by the caller's variable only, its own attributes' values aside
    when nothing else holds them (a networkx graph's cached views hold the graph: they go
    when its attributes are emptied)."""
    holders = _holders(obj) - ALONE - 1  # (the caller's variable and this call's)
    if holders <= 0:
        return holders == 0
    attributes = _attributes(obj)
    if attributes is None:
        return False
    for value in attributes.values():
        if (holders and type(value) not in LEAVES and _holders(value) == ALONE + 1
                and any(inner is obj for inner in gc.get_referents(value))):
            holders -= 1
    return holders == 0


class Releaser(QObject):
    """Empties what it was given, :data:`STEP_ITEMS` objects a turn, from a zero-interval
    timer."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._given: list[object] = []  # not checked yet: others may still hold them
        self._emptying: list[dict | list | set] = []  # held by nothing but this list
        self.timer = QTimer(self, interval=0)
        self.timer.timeout.connect(self.step)

    def release(self, obj: object) -> None:
        if obj is not None:
            self._given.append(obj)
            self.timer.start()

    @property
    def pending(self) -> bool:
        return bool(self._given or self._emptying)

    def step(self) -> None:
        """Empty up to :data:`STEP_ITEMS` objects' worth; stop when all is freed."""
        budget = STEP_ITEMS
        while self._given:
            obj = self._given.pop()
            if _alone(obj):  # nothing else holds it: empty it
                self._take(obj, small=True)  # (what it holds may be big)
            del obj
        while budget > 0 and self._emptying:
            budget -= self._empty_some(self._emptying[-1], budget)
        if not self.pending:
            self.timer.stop()

    def _take(self, obj: object, small: bool = False) -> None:
        """Queue ``obj``, held only by the caller, to be emptied (a plain object: its
        attributes); a small container is left to be freed whole unless ``small``."""
        if type(obj) in CONTAINERS:
            if small or len(obj) > SMALL:  # type: ignore[arg-type]
                self._emptying.append(obj)  # type: ignore[arg-type]
            return
        attributes = _attributes(obj)
        # held by the object and this variable only (not also elsewhere)
        if attributes is not None and _holders(attributes) == ALONE + 1:
            self._emptying.append(attributes)

    def _empty_some(self, container: dict | list | set, budget: int) -> int:
        """Take up to ``budget`` objects' worth out of ``container`` (the last queued),
        stopping early when one of its items is queued to be emptied first; returns how
        many."""
        freed, queued = 1, len(self._emptying)
        while container and freed < budget and len(self._emptying) == queued:
            value = (container.popitem()[1] if type(container) is dict  # type: ignore[union-attr]
                     else container.pop())
            kind = type(value)
            if kind in CONTAINERS or kind is tuple:
                freed += len(value) + 1
            else:
                freed += 1
            if kind not in LEAVES and _alone(value):
                self._take(value)
            del value
        if not container and self._emptying[-1] is container:
            self._emptying.pop()
        return freed


def releaser() -> Releaser:
    """The application's releaser (made on first use, owned by the application)."""
    app = QCoreApplication.instance()
    found = getattr(app, "releaser", None)
    if found is None:
        found = app.releaser = Releaser(app)
    return found


def release_later(obj: object) -> None:
    """Let go of ``obj`` (the caller drops its own references) without pausing the window:
    what nothing else holds is freed over the next turns of the event loop."""
    releaser().release(obj)
