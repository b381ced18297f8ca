"""Garbage is collected on the GUI thread by the app's timer, never automatically elsewhere."""

import gc
import threading
import weakref

from workbench.gui.app import create_app


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_automatic_collection_is_off_and_the_timer_frees_cycles(qtbot):
    assert create_app().collector is not None  # as the app starts
    assert not gc.isenabled()
    collected_on: list[str] = []
    gc.callbacks.append(lambda phase, _info: phase == "stop" and collected_on.append(
        threading.current_thread().name))
    try:
        first = _Node()
        probe = weakref.ref(first)
        del first
        for _ in range(5_000):  # enough cyclic garbage to make the youngest generation due
            _Node()
        qtbot.waitUntil(lambda: probe() is None, timeout=5_000)
    finally:
        gc.callbacks.pop()
    assert collected_on and set(collected_on) == {threading.main_thread().name}


def _frozen(obj: object) -> bool:
    """Whether ``obj`` is in the permanent generation (tracked, yet in no generation)."""
    return gc.is_tracked(obj) and not any(o is obj for o in gc.get_objects())


def test_survivors_of_a_full_collection_are_frozen_and_their_cycles_freed_later(qtbot,
                                                                             monkeypatch):
    from workbench.gui import collector as module

    monkeypatch.setattr(module, "THAW_FROM", 0)  # as if the heap were big
    collector = create_app().collector
    survivor = _Node()
    probe = weakref.ref(survivor)
    collector.collect_old()
    assert _frozen(survivor)  # the next full collections do not scan it again
    del survivor
    collector.settled = collector.frozen = gc.get_freeze_count()  # they have not grown
    collector.collect_whole()
    assert probe() is not None  # a frozen cycle waits for the whole heap to be scanned
    collector.settled = gc.get_freeze_count() // 3  # they have grown (a margin: a frozen
    # object or two may be freed meanwhile)
    collector.frozen, collector.quiet = gc.get_freeze_count(), 0
    qtbot.waitUntil(lambda: probe() is None, timeout=10_000)  # once the app is quiet
    assert gc.get_freeze_count() > 0 and not gc.isenabled()


def _old_garbage() -> weakref.ref:
    node = _Node()
    gc.collect(1)  # alive through the young collections: now in the oldest generation
    probe = weakref.ref(node)
    del node  # garbage only the oldest generation's scan can free
    return probe


def test_a_large_pile_of_old_objects_is_frozen_unscanned(qtbot, monkeypatch):
    from workbench.gui import collector as module

    collector = create_app().collector
    probe = _old_garbage()
    collector.collect_old()  # a small pile: scanned, the cycle freed
    assert probe() is None
    monkeypatch.setattr(module, "SCAN_AT_MOST", 0)  # as if a worker's large result had arrived
    probe = _old_garbage()
    collector.collect_old()  # no pause for the scan: frozen as it is
    assert probe() is not None and _frozen(probe())


def test_old_objects_are_frozen_unscanned_while_a_worker_runs(qtbot):
    from PySide6.QtCore import QThreadPool

    collector = create_app().collector
    pool, release = QThreadPool.globalInstance(), threading.Event()
    pool.start(lambda: release.wait(10))
    try:
        qtbot.waitUntil(lambda: pool.activeThreadCount() > 0)
        probe = _old_garbage()
        collector.collect_old()  # the worker would lengthen the scan's pause: frozen
        assert probe() is not None and _frozen(probe())
    finally:
        release.set()
    pool.waitForDone(5_000)
    probe = _old_garbage()
    collector.collect_old()  # no worker: scanned again, the cycle freed
    assert probe() is None
