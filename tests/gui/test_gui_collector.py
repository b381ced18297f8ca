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
