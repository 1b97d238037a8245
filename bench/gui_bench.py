#!/usr/bin/env python3
"""Genome-browser benchmark on E. coli: open-and-first-draw time, frame times of pan/zoom sweeps, GUI stalls while predicting.

Opens the real genome and annotation (../shared/data), adds three synthetic probability tracks over the
whole chromosome (the annotation's gene mask, smoothed, plus noise), then drives the view: a zoom from
the whole genome down to 100 bp and back, and pans at several zoom levels. Each step sets the range,
then processes events, which paints the view once; the step's wall time is one frame. Targets: open and
first draw < 2 s, median frame < 16 ms, 95th percentile < 33 ms.

Stall while predicting: the real main window (genome view, evaluation panel, status bar) predicts the
whole genome with the default gene model (the registry's, as `genoview predict` picks it) while a 10 ms timer ticks on
the GUI thread; the gaps between ticks are the GUI's pauses (target: none > 100 ms). Then the same
prediction again, which comes from the cache. Uses a throwaway GENOVIEW_HOME, so nothing is cached before.
Each gap also gets the GUI thread's own CPU time within it: on a busy machine a gap far longer than its CPU time
is the thread waiting (for a core or the interpreter lock), not work it did.

    QT_QPA_PLATFORM=offscreen python bench/gui_bench.py
    QT_QPA_PLATFORM=offscreen python bench/gui_bench.py --tracks 3 --steps 40 --width 1600 --height 1000
    QT_QPA_PLATFORM=offscreen python bench/gui_bench.py --only-stall --model prodigal

Draft genome (--draft, instead of the E. coli figures): the real window's pauses on an 87-contig draft
(../shared/data/bacteria/paracoccus_sp_SCN68-21, used for timing only: no figure of its genes is printed) in four
phases, each with the same 10 ms timer: start-up (the first 6 s after the window is shown), predicting all contigs
with the default model (no cache), switching the shown contig 8 times, and "Score all sequences".

    QT_QPA_PLATFORM=offscreen python bench/gui_bench.py --draft

Start-up as a user sees it (--startup [RUNS], instead of the other figures): `genoview gui` in fresh processes; when
the splash and the window are first painted, counted from the process start, and the shown window's longest pause.

    QT_QPA_PLATFORM=offscreen python bench/gui_bench.py --startup 3
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["GENOVIEW_HOME"] = tempfile.mkdtemp(prefix="genoview-gui-bench-")  # no cached predictions, no user settings

from genoview import paths  # noqa: E402

COLORS = ("#1f77b4", "#d62728", "#2ca02c")


def synthetic_track(mask: np.ndarray, smooth: int, noise: float, seed: int) -> np.ndarray:
    """A plausible model output: the gene mask, box-smoothed over ``smooth`` bases, plus Gaussian noise."""
    rng = np.random.default_rng(seed)
    cumulative = np.concatenate(([0.0], np.cumsum(mask, dtype=np.float64)))
    half = smooth // 2
    idx = np.arange(len(mask))
    lo, hi = np.clip(idx - half, 0, len(mask)), np.clip(idx + half + 1, 0, len(mask))
    smoothed = (cumulative[hi] - cumulative[lo]) / (hi - lo)
    values = smoothed + rng.normal(0.0, noise, size=len(mask))
    return np.clip(values, 0.0, 1.0).astype(np.float32)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def default_model() -> str:
    """The model `genoview predict` uses without --model (the registry's default gene model)."""
    from genoview.core.models import default_model_name

    return default_model_name()


def wait_for(app, condition, timeout_s: float) -> bool:
    """Process events until ``condition()`` or the timeout."""
    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)
    return bool(condition())


class GuiThreadSampler:
    """Samples the GUI thread's Python stack every ``interval_s`` from a daemon thread (``--profile-gaps``).

    The sampler needs the interpreter lock to look, so a sample also lands when the GUI thread only waits for it;
    the samples inside a long gap say which code the GUI thread was in (its own work or a wait)."""

    def __init__(self, interval_s: float = 0.001) -> None:
        import threading

        self.interval_s = interval_s
        self.main_id = threading.main_thread().ident
        self.samples: list[tuple[float, tuple[str, ...]]] = []
        self.others: list[tuple[float, tuple[str, ...]]] = []   # the other threads' innermost frames, same times
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _stack(frame, depth: int = 40) -> tuple[str, ...]:
        stack = []
        while frame is not None and len(stack) < depth:
            code = frame.f_code
            stack.append(f"{Path(code.co_filename).name}:{code.co_name}:{frame.f_lineno}")
            frame = frame.f_back
        return tuple(stack)

    def _run(self) -> None:
        import threading

        me = threading.get_ident()
        while not self._stop.is_set():
            frames = sys._current_frames()
            now = time.perf_counter()
            self.samples.append((now, self._stack(frames.get(self.main_id))))
            self.others.append((now, tuple(" <- ".join(self._stack(f, 3)) for ident, f in frames.items()
                                           if ident not in (self.main_id, me))))
            time.sleep(self.interval_s)

    def start(self) -> None:
        self.collections: list[tuple[float, float, int, str]] = []   # (start, seconds, generation, thread)
        self._collecting: dict[int, float] = {}
        gc.callbacks.append(self._on_gc)
        self._thread.start()

    def _on_gc(self, phase: str, info: dict) -> None:
        import threading

        if phase == "start":
            self._collecting[threading.get_ident()] = time.perf_counter()
        else:
            began = self._collecting.pop(threading.get_ident(), None)
            if began is not None:
                self.collections.append((began, time.perf_counter() - began, info["generation"],
                                         "GUI" if threading.get_ident() == self.main_id else "worker"))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        gc.callbacks.remove(self._on_gc)

    def report(self, start: float, end: float, top: int = 6) -> None:
        """Per slot the event loop ran (the frame under the bench's own loop), the samples between ``start`` and
        ``end`` (perf_counter) and the innermost frames; 'Qt' is C++ work (layout, painting) with no Python slot."""
        from collections import Counter, defaultdict

        for began, took, generation, thread in self.collections:
            if start <= began <= end and took > 0.002:
                print(f"    garbage collection of generation {generation} on the {thread} thread: {took * 1000:.0f} ms")
        inside = [stack for t, stack in self.samples if start <= t <= end]
        times = [t for t, _ in self.samples if start <= t <= end]
        # the sampler needs the interpreter lock: a long wait between samples is a thread holding it that long
        holds = sorted(((b - a, i) for i, (a, b) in enumerate(zip(times, times[1:]))), reverse=True)[:2]
        index = {t: i for i, (t, _) in enumerate(self.samples)}
        for wait, i in holds:
            if wait > 0.006:
                k = index[times[i + 1]]
                print(f"    no sample for {wait * 1000:.0f} ms; then GUI at {self.samples[k][1][:1]}, "
                      f"others {self.others[k][1]}")
        if not inside:
            print("    (no samples)")
            return
        slots: Counter = Counter()
        leaves: dict[str, Counter] = defaultdict(Counter)
        for stack in inside:
            below = [f for f in stack if not f.startswith("gui_bench.py")]
            slot = below[-1] if below else "Qt (no Python frame)"
            slots[slot] += 1
            leaves[slot][" <- ".join(below[:4])] += 1
        for slot, n in slots.most_common(top):
            print(f"    {n:3d} samples  {slot}")
            for leaf, m in leaves[slot].most_common(3):
                if leaf:
                    print(f"          {m:3d}  {leaf}")


def shown_window(width: int, height: int):
    """The real main window as `genoview gui` makes it (non-interactive, layout not remembered), resized and shown:
    (window, seconds to create it, seconds until shown), both from just before it is created."""
    from genoview.app import create_main_window
    from genoview.settings import Settings

    started = time.perf_counter()
    window = create_main_window(Settings())
    created = time.perf_counter() - started
    window.remember_layout = False
    window.interactive = False
    window.resize(width, height)
    window.show()
    return window, created, time.perf_counter() - started


def open_in(app, window, fasta: Path, gff: Path, timeout_s: float = 120) -> bool:
    """Open a genome in the window through its loader (a worker) and wait until it is shown."""
    loaded = []
    window.genome_loaded.connect(loaded.append)
    window.open_genome(fasta, gff)
    return wait_for(app, lambda: loaded, timeout_s)


def stall_while_predicting(app, fasta: Path, gff: Path, model: str, width: int, height: int,
                           profile_gaps: bool = False) -> None:
    """Max and p99 gap between 10 ms GUI ticks while the real window predicts the whole genome, then reopens it from the cache."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    started = time.perf_counter()
    window, created, _ = shown_window(width, height)
    print(f"main window created in {created:.2f} s (torch imported first, before the window exists)")
    if not open_in(app, window, fasta, gff):
        print("stall while predicting: the genome did not open", file=sys.stderr)
        return
    controller = window.predict_controller
    wait_for(app, lambda: controller.device_text != "device: auto", 180)
    print(f"status bar shows {controller.device_text!r} {time.perf_counter() - started:.1f} s after start "
          "(model runtime imported in the background)")
    seqid = window.session.seqid
    for run in ("predict", "cache"):
        outcome, cached = [], []
        controller.finished.connect(outcome.append)
        controller.failed.connect(outcome.append)
        controller.cached.connect(cached.append)
        if run == "cache":
            window.session.remove_track(next(iter(window.session.tracks)))
        for _ in range(20):
            app.processEvents()
        gc.collect()
        gaps, cpu, clock, timer = [], [time.thread_time()], QElapsedTimer(), QTimer()
        stamps = [time.perf_counter()]
        timer.setInterval(10)
        timer.timeout.connect(lambda: (gaps.append(clock.restart()), cpu.append(time.thread_time()),
                                       stamps.append(time.perf_counter())))
        sampler = GuiThreadSampler() if profile_gaps else None
        if sampler:
            sampler.start()
        clock.start()
        timer.start()
        started = time.perf_counter()
        controller.predict(model, [seqid])
        returned = time.perf_counter() - started
        wait_for(app, lambda: outcome, 3600)
        took = time.perf_counter() - started
        wait_for(app, lambda: cached or run == "cache", 120)  # the cache write, in the background
        settle = time.monotonic() + 2.0  # the final evaluation of the evaluation panel
        wait_for(app, lambda: time.monotonic() > settle, 3)
        timer.stop()
        if sampler:
            sampler.stop()
        for signal, slot in ((controller.finished, outcome.append), (controller.failed, outcome.append),
                             (controller.cached, cached.append)):
            signal.disconnect(slot)
        if not outcome or outcome[0] != f"{Path(model).name} @ {seqid}":
            print(f"stall while predicting: {run} failed: {outcome}", file=sys.stderr)
            break
        gaps_ms = np.asarray(gaps, dtype=np.float64)
        busy_ms = np.diff(np.asarray(cpu, dtype=np.float64)) * 1000   # the GUI thread's CPU time within each gap
        what = "whole-genome prediction" if run == "predict" else "reopening it from the cache"
        print(f"stall while predicting ({what}, {Path(model).name}, {window.predict_controller.device_text}): "
              f"predict() returned in {returned * 1000:.1f} ms; done in {took:.1f} s; {len(gaps_ms)} ticks; "
              f"GUI gap max {gaps_ms.max():.0f} ms, p99 {np.percentile(gaps_ms, 99):.0f} ms, "
              f"{int((gaps_ms > 100).sum())} gaps > 100 ms (target: none); GUI-thread CPU in the longest gap "
              f"{busy_ms[int(gaps_ms.argmax())]:.0f} ms, most in any gap {busy_ms.max():.0f} ms "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        if sampler:
            for index in np.argsort(gaps_ms)[::-1][:5]:
                print(f"  gap {gaps_ms[index]:.0f} ms (GUI-thread CPU {busy_ms[index]:.0f} ms) "
                      f"at {stamps[index] - started:+.2f} s:")
                sampler.report(stamps[index], stamps[index + 1])
    window.close()


class PauseProbe:
    """Gaps between the ticks of a 10 ms timer on the GUI thread, and that thread's CPU time within each, by phase."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.phase = "start-up"
        self.gaps: dict[str, list[tuple[float, float]]] = {}
        self.clock, self.cpu = QElapsedTimer(), time.thread_time()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def start(self, phase: str) -> None:
        self.phase = phase
        self.clock.start()
        self.cpu = time.thread_time()
        self.timer.start()

    def _tick(self) -> None:
        cpu = time.thread_time()
        self.gaps.setdefault(self.phase, []).append((float(self.clock.restart()), (cpu - self.cpu) * 1000))
        self.cpu = cpu

    def report(self, phase: str, took: float) -> None:
        self.timer.stop()
        gaps = np.asarray([g for g, _ in self.gaps.get(phase, [(0.0, 0.0)])])
        cpu = np.asarray([c for _, c in self.gaps.get(phase, [(0.0, 0.0)])])
        print(f"  {phase:<28} {took:6.1f} s  {len(gaps):5d} ticks  longest gap {gaps.max():4.0f} ms "
              f"(GUI-thread CPU in it {cpu[int(gaps.argmax())]:3.0f} ms)  p99 {np.percentile(gaps, 99):3.0f} ms  "
              f"gaps > 100 ms: {int((gaps > 100).sum())}  load {os.getloadavg()[0]:.1f}", flush=True)


def draft_pauses(app, fasta: Path, gff: Path, model: str, width: int, height: int) -> None:
    """The window's pauses on a draft genome in many contigs (target: none > 100 ms), phase by phase."""
    window, _, shown = shown_window(width, height)
    print(f"draft genome {fasta.parent.name}: window shown {shown:.2f} s after start "
          f"({os.cpu_count()} CPUs); the window's pauses (10 ms timer):")
    probe = PauseProbe()
    probe.start("start-up (6 s after shown)")
    wait_for(app, lambda: False, 6.0)
    probe.report("start-up (6 s after shown)", 6.0)
    if not open_in(app, window, fasta, gff):
        print("draft: the genome did not open", file=sys.stderr)
        return
    seqids = list(window.session.genome.sequences)
    window.go_to(f"{seqids[4 % len(seqids)]}:1-40000")
    wait_for(app, lambda: False, 1.0)
    controller, runner = window.predict_controller, window.runner
    outcome = []
    controller.finished.connect(outcome.append)
    controller.failed.connect(outcome.append)
    phase = f"predict all {len(seqids)} contigs"
    probe.start(phase)
    t0 = time.perf_counter()
    controller.predict(model, seqids)
    wait_for(app, lambda: outcome, 3600)
    wait_for(app, lambda: not runner.busy, 600)   # gene calls, disagreements, evaluation that follow
    wait_for(app, lambda: False, 1.0)
    probe.report(phase, time.perf_counter() - t0)
    probe.start("switch contig (x8)")
    t0 = time.perf_counter()
    for seqid in seqids[9:89:10][:8]:
        window.session.set_sequence(seqid)
        wait_for(app, lambda: False, 0.3)
        wait_for(app, lambda: not runner.busy, 120)
        wait_for(app, lambda: False, 0.3)
    probe.report("switch contig (x8)", time.perf_counter() - t0)
    panel = window.evaluation_panel
    probe.start("score all sequences")
    t0 = time.perf_counter()
    panel.score_all_sequences()
    wait_for(app, lambda: "on all" in panel.all_label.text(), 300)
    wait_for(app, lambda: False, 1.0)
    probe.report("score all sequences", time.perf_counter() - t0)
    window.close()


def seconds_since_process_start() -> float:
    """Seconds since this process started (Linux /proc; 10 ms ticks), NaN elsewhere."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            return float(f.read().split()[0]) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def startup_child() -> int:
    """Run `genoview gui` (no genome) and print when the splash and the window were first painted, counted from the
    process start, and the shown window's longest pause over the next 6 s (one line; --startup runs this)."""
    process_start = time.perf_counter() - seconds_since_process_start()
    from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow

    import genoview.gui.startup as startup
    from genoview.cli import main as cli_main

    painted: dict[str, float] = {}
    gaps: list[int] = []
    clock = QElapsedTimer()

    class FirstPaints(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "main" not in painted and hasattr(obj, "window"):
                top = obj.window()
                kind = "main" if isinstance(top, QMainWindow) else "splash" if isinstance(top, startup.StartSplash) else None
                if kind and kind not in painted:
                    painted[kind] = time.perf_counter() - process_start
                    if kind == "main":   # from now on, the shown window's pauses (10 ms timer)
                        app = startup.QApplication.instance()
                        ticker = QTimer(app)
                        ticker.setInterval(10)
                        ticker.timeout.connect(lambda: gaps.append(clock.restart()))
                        clock.start()
                        ticker.start()
                        QTimer.singleShot(6000, app.quit)
            return False

    application, watcher = startup.application, FirstPaints()

    def watched_application():
        app = application()
        app.installEventFilter(watcher)
        QTimer.singleShot(60_000, app.quit)   # a start that never shows a window ends too
        return app

    startup.application = watched_application
    cli_main(["gui"])
    print(f"splash painted {painted.get('splash', float('nan')):.2f} s, window painted "
          f"{painted.get('main', float('nan')):.2f} s after the process started; then the shown window's longest "
          f"pause {max(gaps, default=0)} ms in 6 s ({sum(g > 100 for g in gaps)} > 100 ms), "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    return 0


def startup_figures(runs: int) -> None:
    """What a user sees after `genoview gui`: each run a fresh process (see startup_child)."""
    import subprocess

    print(f"start-up as a user sees it (`genoview gui`, {runs} fresh processes):")
    for _ in range(runs):
        child = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--startup-child"],
                               capture_output=True, text=True, timeout=180)
        lines = child.stdout.strip().splitlines()
        print("  " + (lines[-1] if lines else f"failed (exit {child.returncode}): {child.stderr.strip()[-300:]}"),
              flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=3)
    parser.add_argument("--steps", type=int, default=40, help="zoom steps each way (whole genome <-> 100 bp)")
    parser.add_argument("--pans", type=int, default=20, help="pan steps at each zoom level")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--model", default=None, help="model for the stall figure (default: the default gene model)")
    parser.add_argument("--only-stall", action="store_true", help="only the stall-while-predicting figure")
    parser.add_argument("--no-stall", action="store_true", help="skip the stall-while-predicting figure")
    parser.add_argument("--draft", action="store_true",
                        help="the window's pauses on an 87-contig draft genome (start-up, predict all, switch, score all)")
    parser.add_argument("--profile-gaps", action="store_true",
                        help="sample the GUI thread's stack and print what it ran in the five longest gaps")
    parser.add_argument("--startup", type=int, nargs="?", const=3, default=0, metavar="RUNS",
                        help="only the start-up as a user sees it: `genoview gui` in RUNS fresh processes (default 3): "
                        "when the splash and the window are first painted after the process starts")
    parser.add_argument("--startup-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.startup_child:
        return startup_child()
    if args.startup:
        startup_figures(args.startup)
        return 0

    data = paths.shared_data_dir()
    if data is None:
        print("gui_bench: ../shared/data not found (set GENOVIEW_SHARED_DATA)", file=sys.stderr)
        return 2
    base = data / "ecoli-k12-mg1655" / "GCF_000005845.2_ASM584v2_genomic"
    fasta, gff = Path(f"{base}.fna.gz"), Path(f"{base}.gff.gz")

    from genoview.app import application

    app = application()
    if args.draft:
        draft = data / "bacteria" / "paracoccus_sp_SCN68-21"
        draft_pauses(app, draft / "genome.fna.gz", draft / "annotation.gff3.gz", args.model or default_model(),
                     args.width, args.height)
        return 0
    if not args.only_stall:
        frame_times(app, fasta, gff, args)
    if not args.no_stall:
        stall_while_predicting(app, fasta, gff, args.model or default_model(), args.width, args.height,
                               args.profile_gaps)
    return 0


def frame_times(app, fasta: Path, gff: Path, args) -> None:
    """Open-and-first-draw time and the frame times of zoom and pan sweeps over synthetic tracks."""
    from genoview.core.genome import open_genome
    from genoview.gui.main_window import MainWindow
    from genoview.gui.session import ProbabilityTrack, Session
    from genoview.gui.workers import JobRunner
    from genoview.settings import Settings

    window = MainWindow(Session(), JobRunner(), Settings())
    window.remember_layout = False
    window.resize(args.width, args.height)
    window.show()
    app.processEvents()
    view = window.view

    def frame() -> None:
        """Deliver the range change and process events: the scene's pending update paints the view once."""
        view.flush()
        app.processEvents()

    started = time.perf_counter()
    genome = open_genome(fasta, gff)
    opened = time.perf_counter()
    window.session.set_genome(genome)
    frame()
    first_draw = time.perf_counter()
    seqid = window.session.seqid
    length = window.session.sequence_length()
    print(f"open genome+annotation: {opened - started:.2f} s; first draw: {first_draw - opened:.2f} s; "
          f"open-and-first-draw: {first_draw - started:.2f} s (target < 2 s)")
    print(f"{seqid}: {length:,} bp, {len(view.feature_item.features):,} features drawn, "
          f"{view.feature_item.row_count} rows")

    mask = genome.label_mask(seqid).astype(np.float32)
    tracks = [
        ProbabilityTrack(f"syn{i}", f"Synthetic {i + 1}", seqid,
                         synthetic_track(mask, smooth=100 + 200 * i, noise=0.08 + 0.04 * i, seed=i), color=COLORS[i % 3])
        for i in range(args.tracks)
    ]
    t0 = time.perf_counter()
    for track in tracks:
        window.session.add_track(track)
    frame()
    print(f"{args.tracks} probability tracks of {length:,} values added and drawn: {time.perf_counter() - t0:.2f} s")

    frames: dict[str, list[float]] = {"zoom": [], "pan": []}
    cpu: dict[str, list[float]] = {"zoom": [], "pan": []}

    def timed(kind: str, start: float, end: float) -> None:
        t, c = time.perf_counter(), time.thread_time()
        view.master.setXRange(start, end, padding=0)
        frame()
        frames[kind].append(time.perf_counter() - t)
        cpu[kind].append(time.thread_time() - c)

    centre = length * 0.37
    spans = np.geomspace(length, 100, args.steps)
    for span in list(spans) + list(spans[::-1]):
        start = min(max(0.0, centre - span / 2), length - span)
        timed("zoom", start, start + span)
    for span in (length, 1_000_000, 100_000, 10_000, 1_000, 100):
        start = min(centre, length - span)
        for _ in range(args.pans):
            start = min(start + span * 0.1, length - span)
            timed("pan", start, start + span)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"frame times (wall clock; GUI-thread CPU time in brackets, what an idle machine would see; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs):")
    for kind in ("zoom", "pan", "all"):
        wall = frames[kind] if kind != "all" else frames["zoom"] + frames["pan"]
        busy = cpu[kind] if kind != "all" else cpu["zoom"] + cpu["pan"]
        print(f"{kind:>4}: {len(wall):4d} frames, median {percentile(wall, 50) * 1000:6.1f} ms "
              f"[{percentile(busy, 50) * 1000:5.1f}], p95 {percentile(wall, 95) * 1000:6.1f} ms "
              f"[{percentile(busy, 95) * 1000:5.1f}], max {max(wall) * 1000:6.1f} ms")
    print("targets: median < 16 ms, p95 < 33 ms")
    window.close()


if __name__ == "__main__":
    sys.exit(main())
