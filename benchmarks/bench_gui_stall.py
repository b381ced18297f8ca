"""GUI responsiveness: the longest stall of the GUI thread while the real window works.

Usage: QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_stall.py [--size 10k] [--stacks]
       [--pause 2]

A heartbeat QTimer ticks every 10 ms on the GUI thread and records the gap between ticks. The
script starts the real MainWindow offscreen and drives it one operation at a time as a user
would: opens a new engagement, imports a seeded people CSV and ties CSV (10,000 people and
100,000 ties by default, written by bench_end_to_end.write_inputs) by clicking through the
import wizard, opens People & Network (analysis, map drawn), changes the map, switches tabs and
pages, opens the Plan page (a plan is added first, not timed), exports the plan workbook from
File > Export and builds and opens the demo engagement (a fresh data folder each run). Before
each operation the window is left alone for ``--pause`` seconds, as a user reads the screen
before the next click (the app's background work, such as loading the pages' libraries while no
task runs, happens then; ``--pause 0`` runs the operations back to back, the worst case). Each
operation runs until its result is on screen and no task runs, then 300 ms more (late redraws
count). For each: wall time, the longest stall (longest gap minus the interval), how many gaps
exceeded 100 ms (DESIGN.md section 5: never blocked > 100 ms) and the longest stall in the
pause before it.
``--stacks`` samples the GUI thread's Python stack every 5 ms while it is blocked > 40 ms and
prints the innermost workbench frames that took the most blocked time per operation (what to fix
first); when the GUI thread is in no workbench code it prints what the workers ran (a C
extension holding the GIL, such as an igraph call, blocks the GUI thread as surely as work on
it). It also explains each stall > 100 ms: the garbage collections inside it (gc.callbacks,
on any thread), what pool threads did for > 30 ms without a Python call or return during it
(a C call, or freeing a big structure as a function returns: either holds the GIL unless the
library releases it) and where the GUI thread was sampled.
Prints a table and writes benchmarks/results/gui_stall.json (gui_stall_pause_<s>.json for
another pause).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gc
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from bench_end_to_end import SIZES, write_inputs  # noqa: E402
from common import report  # noqa: E402

TICK_MS = 10
STALL_MS = 100
USUAL_PAUSE_S = 2.0
PAUSE_S = USUAL_PAUSE_S  # --pause: the window left alone before each operation
SETTLE_S = 0.3
TIMEOUT_S = 600
SAMPLE_S, BLOCKED_S = 0.005, 0.04  # --stacks: sample every 5 ms once blocked 40 ms
LONG_C_S = 0.03  # --stacks: C calls of pool threads reported when longer than this
Step = tuple[Callable[[], object], Callable[[], bool]]  # (do this, then wait until true)


class Heartbeat:
    """Ticks on the GUI thread; ``gaps`` holds (start, end) of each gap between ticks."""

    def __init__(self, stacks: bool) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[tuple[float, float]] = []
        self.cpu: list[float] = []  # the GUI thread's CPU seconds during each gap
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.timer = QTimer(interval=TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.samples: list[tuple[float, float, str]] = []  # (time, blocked seconds, where)
        self.tracer = Tracer() if stacks else None
        self._gui = threading.get_ident()
        if stacks:
            threading.Thread(target=self._watch, daemon=True).start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.gaps.append((self.last, now))
        self.cpu.append(cpu - self.last_cpu)
        self.last, self.last_cpu = now, cpu

    def reset(self) -> None:
        self.gaps, self.cpu, self.samples = [], [], []
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        if self.tracer is not None:
            self.tracer.reset()

    def _watch(self) -> None:
        """Sample the GUI thread's stack while it is blocked (innermost workbench frames),
        each sample weighted by the blocked time since the previous one."""
        previous = 0.0
        while True:
            time.sleep(SAMPLE_S)
            now, last = time.perf_counter(), self.last
            if now - last < BLOCKED_S:
                previous = 0.0
                continue
            frames = sys._current_frames()
            if self._gui not in frames:
                continue
            gui = frames.pop(self._gui)
            where = _where(gui, 4)
            if not where:  # in Qt or a library, or waiting for the GIL: say what ran where
                others = [_where(f, 2) or _where(f, 2, everything=True)
                          for ident, f in frames.items() if ident != threading.get_ident()]
                where = (f"(GUI: {_where(gui, 2, everything=True)}) | workers: "
                         + "; ".join(o for o in others if o))
            weight = now - max(previous, last + BLOCKED_S - SAMPLE_S)
            self.samples.append((now, weight, where))
            previous = now

    def explain(self, start: float, end: float) -> list[str]:
        """What happened during the stall from ``start`` to ``end``."""
        lines = []
        if self.tracer is not None:
            lines += self.tracer.explain(start, end)
        inside = collections.Counter()
        for t, weight, where in self.samples:
            if start <= t <= end + SAMPLE_S * 4:  # the sampler may wake just after the stall
                inside[where] += weight
        lines += [f"GUI {w * 1000:.0f} ms: {where}" for where, w in inside.most_common(3)]
        return lines


class Tracer:
    """Records garbage collections (any thread) and the long C calls of pool threads."""

    def __init__(self) -> None:
        from PySide6.QtCore import QThreadPool

        self.collections: list[tuple[float, float, int, bool]] = []  # start, end, gen, on GUI
        self.calls: list[tuple[float, float, str, str]] = []  # start, end, function, where
        self._gc_start: dict[int, float] = {}
        self._gui = threading.get_ident()
        gc.callbacks.append(self._on_gc)
        start, profile = QThreadPool.start, self._profile

        def traced_start(pool, work, *args):
            if not callable(work):
                return start(pool, work, *args)

            def run() -> None:
                sys.setprofile(profile())
                try:
                    work()
                finally:
                    sys.setprofile(None)

            return start(pool, run, *args)

        QThreadPool.start = traced_start

    def reset(self) -> None:
        self.collections, self.calls = [], []

    def _on_gc(self, phase: str, info: dict) -> None:
        ident = threading.get_ident()
        if phase == "start":
            self._gc_start[ident] = time.perf_counter()
        elif ident in self._gc_start:
            self.collections.append((self._gc_start.pop(ident), time.perf_counter(),
                                     info["generation"], ident == self._gui))

    def _profile(self) -> Callable:
        """A profile function for one pool thread: the stretches longer than LONG_C_S between
        two of its profile events (a C call that calls no Python, such as an igraph call, or
        what a line does without a call: freeing a big structure as a function returns)."""
        # time, CPU time, event, frame, arg
        last: list = [time.perf_counter(), time.thread_time(), "start", None, None]
        calls, clock, cpu = self.calls, time.perf_counter, time.thread_time

        def hook(frame, event: str, arg) -> None:
            now, used = clock(), cpu()
            # on a core most of the while: it ran (else it waited for the GIL or a core)
            if now - last[0] > LONG_C_S and used - last[1] > (now - last[0]) / 2:
                calls.append((last[0], now, _event_name(*last[2:]),
                               _where(frame, 1) or _where(frame, 1, everything=True)))
            last[:] = clock(), cpu(), event, frame, arg

        return hook

    def explain(self, start: float, end: float) -> list[str]:
        lines = []
        for began, ended, gen, on_gui in self.collections:
            if began < end and ended > start:
                lines.append(f"gc gen {gen} {(ended - began) * 1000:.0f} ms on "
                             + ("the GUI thread" if on_gui else "a worker"))
        for began, ended, name, where in self.calls:
            overlap = min(end, ended) - max(start, began)
            if overlap > 0.005:
                lines.append(f"worker {(ended - began) * 1000:.0f} ms ({overlap * 1000:.0f} "
                             f"inside) {name}, at {where}")
        return lines


def _event_name(event: str, frame, arg) -> str:
    """What a pool thread did after a profile event: the C function called, or the Python
    code it went on with."""
    if event == "c_call":
        name = getattr(arg, "__qualname__", None) or repr(arg)
        module = getattr(arg, "__module__", None) or type(getattr(arg, "__self__", None)).__name__
        return f"in C call {module}.{name}"
    if frame is None:
        return "from the start"
    return f"after {event} of {Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}"


def _where(frame, depth: int, everything: bool = False) -> str:
    """The innermost ``depth`` workbench frames of a stack (or any frames), innermost first."""
    ours = [f for f in traceback.extract_stack(frame)
            if everything or ("workbench" in f.filename and "bench_gui_stall" not in f.filename)]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                      for f in reversed(ours[-depth:]))


def longest_stall_ms(beat: Heartbeat) -> int:
    return round(max(0.0, max((end - begin for begin, end in beat.gaps), default=0) * 1000
                     - TICK_MS))


def drive(beat: Heartbeat, name: str, steps: list[Step], window) -> dict:
    """Leave the window alone for :data:`PAUSE_S` (a user reading the screen), then run the
    steps one after the other inside the event loop; time them and the stalls."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    beat.reset()
    if PAUSE_S:
        QTimer.singleShot(round(PAUSE_S * 1000), loop.quit)
        loop.exec()
    idle_stall = longest_stall_ms(beat)
    state = {"step": -1, "done_at": None, "error": None}
    poll = QTimer(interval=5)

    def settled() -> bool:
        return not window.tasks.busy

    def advance() -> None:
        try:
            if state["done_at"] is not None:
                if time.perf_counter() - state["done_at"] >= SETTLE_S:
                    loop.quit()
                return
            index = state["step"]
            if index >= 0 and not (steps[index][1]() and settled()):
                if time.perf_counter() - start > TIMEOUT_S:
                    raise TimeoutError(f"{name}: step {index + 1} did not finish")
                return
            if index + 1 == len(steps):
                state["done_at"] = time.perf_counter()
                return
            state["step"] = index + 1
            steps[index + 1][0]()
        except Exception as exc:  # noqa: BLE001 - reported in the row, the run goes on
            state["error"] = f"{type(exc).__name__}: {exc}"
            loop.quit()

    poll.timeout.connect(advance)
    beat.reset()
    start = time.perf_counter()
    poll.start()
    loop.exec()
    poll.stop()
    wall = (state["done_at"] or time.perf_counter()) - start
    gaps = [end - begin for begin, end in beat.gaps]
    row = {"operation": name, "wall_s": round(wall, 3),
           "longest_stall_ms": longest_stall_ms(beat),
           "stalls_over_100ms": sum(g * 1000 - TICK_MS > STALL_MS for g in gaps),
           "longest_stall_before_ms": idle_stall}
    if state["error"]:
        row["error"] = state["error"]
    print(f"  {name}: {row['wall_s']:.2f} s, longest stall {row['longest_stall_ms']} ms",
          flush=True)
    blocked = collections.Counter()
    for _t, weight, where in beat.samples:
        blocked[where] += weight
    for where, seconds in blocked.most_common(6):
        print(f"      {seconds * 1000:>6.0f} ms  {where}", flush=True)
    for (begin, end), cpu in zip(beat.gaps, beat.cpu, strict=True):
        if beat.tracer is None and (end - begin) * 1000 - TICK_MS > STALL_MS:
            print(f"    stall {(end - begin) * 1000 - TICK_MS:.0f} ms at "
                  f"+{begin - beat.gaps[0][0]:.2f} s, GUI thread on a core {cpu * 1000:.0f} ms",
                  flush=True)
    if beat.tracer is not None:
        long_gaps = sorted((g for g in zip(beat.gaps, beat.cpu, strict=True)
                            if (g[0][1] - g[0][0]) * 1000 - TICK_MS > STALL_MS),
                           key=lambda g: g[0][0] - g[0][1])
        for (begin, end), cpu in long_gaps[:4]:
            print(f"    stall {(end - begin) * 1000 - TICK_MS:.0f} ms at "
                  f"+{begin - beat.gaps[0][0]:.2f} s, GUI thread on a core {cpu * 1000:.0f} ms "
                  "(the rest: waiting for the GIL or a core):", flush=True)
            for line in beat.explain(begin, end):
                print(f"      {line}", flush=True)
    return row


def wizard_steps(window, kind: str, path: Path) -> list[Step]:
    """Open an import wizard from the File menu and click through it up to Import."""
    import shiboken6
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from workbench.gui.import_wizard import ImportWizard

    action = {"people": 0, "ties": 1}[kind]
    found: dict[str, ImportWizard] = {}

    def open_wizard() -> None:
        before = set(QApplication.topLevelWidgets())
        window.data_actions[action].trigger()
        found["w"] = next(w for w in QApplication.topLevelWidgets()
                          if isinstance(w, ImportWizard) and w not in before)
        found["w"].file_edit.setText(str(path))

    def click(button: str) -> Callable[[], None]:
        return lambda: QTest.mouseClick(getattr(found["w"], button), Qt.LeftButton)

    def on(page: str) -> Callable[[], bool]:
        return lambda: found["w"].pages.currentWidget() is getattr(found["w"], page) \
            and not found["w"].busy

    steps: list[Step] = [(open_wizard, lambda: True),
                         (click("next_button"), on("preview_page")),
                         (click("next_button"), on("columns_page"))]
    if kind == "ties":
        steps.append((click("next_button"), on("relation_page")))
    steps += [(click("next_button"), on("check_page")),
              (click("import_button"),
               lambda: not shiboken6.isValid(found["w"]) or not found["w"].isVisible())]
    return steps


def add_plan(project) -> None:
    """A plan for every gap of the library (as bench_report builds it), so that the Plan page
    and the workbook have actions to show."""
    from workbench.core.method.gaps import Gap
    from workbench.core.plan.apply import stored_action
    from workbench.core.plan.builder import propose_plan
    from workbench.core.plan.library import gap_items, load_library

    gaps = [Gap(i.ref, i.label, i.step, 1.5, 1.5, rank=rank)
            for rank, i in enumerate(gap_items(), start=1)]
    start = dt.date(2026, 1, 5)
    actions = propose_plan(gaps, load_library(), 5, start)
    project.plans.create_plan("100-day plan", 5, start, [stored_action(a) for a in actions])


def run(size: str, stacks: bool) -> list[dict]:
    from PySide6.QtWidgets import QFileDialog

    from workbench.core.project import Project
    from workbench.gui.app import create_app
    from workbench.gui.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix="gui-stall-"))
    os.environ["WORKBENCH_DATA_DIR"] = str(folder / "userdata")
    people_path, ties_path = write_inputs(folder, *SIZES[size])
    create_app()
    window = MainWindow()
    # an error is printed, not shown in a dialog that would wait for a click forever
    window.show_error = lambda message, details="": print(f"  ERROR: {message}\n{details}",
                                                          flush=True)
    window.show()
    beat = Heartbeat(stacks)
    exported = folder / "plan.xlsx"
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(exported), ""))
    project_path = folder / "client.owb"
    Project.create(project_path, client="Client").close()

    def page(title: str) -> Step:
        from workbench.gui.main_window import PANELS

        row = [t for t, _m, _n in PANELS].index(title)
        return (lambda: window.go_to(title),
                lambda: window.stack.currentWidget() is window.panel(row))

    def network():
        return window.panel(4)

    def repaint() -> None:
        network().map.viewport().repaint()

    def analysed() -> list[Step]:
        """People & Network until its result is on screen, then the map drawn at once."""
        show, shown = page("People & Network")
        return [(show, lambda: shown() and network().analysis is not None),
                (repaint, lambda: True)]

    rows = [drive(beat, "open a new engagement", [
        (lambda: window.open_path(project_path), lambda: window.session is not None)], window)]
    rows.append(drive(beat, f"import people ({size}) in the wizard",
                      wizard_steps(window, "people", people_path), window))
    rows.append(drive(beat, "import ties in the wizard",
                      wizard_steps(window, "ties", ties_path), window))
    project = window.session.project
    print(f"  imported {project.people.count():,} people, "
          f"{sum(n.tie_count for n in project.networks.list()):,} ties", flush=True)
    rows.append(drive(beat, "People & Network: analysis, map drawn", analysed(), window))
    rows.append(drive(beat, "map: colours, sizes, fit, redraw", [
        (lambda: network().colour_box.setCurrentIndex(1), lambda: True),
        (lambda: network().size_box.setCurrentIndex(2), lambda: True),
        (lambda: network().map.fit(), lambda: True), (repaint, lambda: True)], window))
    rows.append(drive(beat, "tabs: People, Comparisons, back", [
        (lambda: network().side.setCurrentIndex(1), lambda: True),
        (lambda: network().tabs.setCurrentIndex(1), lambda: True),
        (lambda: network().tabs.setCurrentIndex(0), lambda: True),
        (lambda: network().side.setCurrentIndex(0), lambda: True)], window))
    rows.append(drive(beat, "pages: Engagement, Maturity, back", [
        page("Engagement"), page("Maturity"), page("People & Network")], window))
    add_plan(window.session.project)  # setup, not a user operation: not measured
    plan = page("Plan")  # done once the timeline (started after the page is drawn) is shown
    rows.append(drive(beat, "Plan page", [
        (plan[0], lambda: plan[1]() and window.stack.currentWidget().timeline.figure is not None)],
        window))
    rows.append(drive(beat, "File > Export > plan workbook", [
        (window.act_export_plan.trigger, lambda: exported.exists())], window))
    rows.append(drive(beat, "build and open the demo engagement", [
        (window.act_demo.trigger,
         lambda: window.session is not None and window.session.path.name.startswith(
             "Harbourview"))], window))
    rows.append(drive(beat, "demo: People & Network", analysed(), window))
    window.close()
    return rows


def main() -> None:
    global PAUSE_S
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k", choices=list(SIZES))
    parser.add_argument("--stacks", action="store_true",
                        help="print where the GUI thread was while blocked")
    parser.add_argument("--pause", type=float, default=USUAL_PAUSE_S,
                        help="seconds the window is left alone before each operation "
                             f"(default {USUAL_PAUSE_S}; 0: back to back, the worst case)")
    args = parser.parse_args()
    PAUSE_S = args.pause
    rows = run(args.size, args.stacks)
    report("gui_stall" if args.pause == USUAL_PAUSE_S else f"gui_stall_pause_{args.pause:g}", rows)
    worst = max(rows, key=lambda r: r["longest_stall_ms"])
    print(f"longest GUI stall: {worst['longest_stall_ms']} ms ({worst['operation']}); "
          f"target <= {STALL_MS} ms")


if __name__ == "__main__":
    main()
