#!/usr/bin/env python3
"""GUI at human-chromosome scale (issue 9): a synthetic 250 Mb chromosome opened, a 1 Mb region predicted, browsed.

Makes (once, outside the repository: ``--data-dir``, default /tmp/genoview-scale-bench) a plain FASTA of one
random chromosome of ``--length`` bases (60 bases a line) and a small GFF3 (a gene every 50 kb, denser over the
region to predict). Then, in the real main window (``create_main_window``: genome view, evaluation panel, track
list, prediction controller) with a throwaway GENOVIEW_HOME (nothing cached):

1. open and first draw: ``window.open_genome`` (indexing on the background thread) until the view has painted
   the whole chromosome (target < 3 s);
2. a 1 Mb region predicted with the default model through the GUI's path (``PredictController.predict`` ->
   ``core.prediction.predict`` on the worker, tiles into the sparse track), with the GUI's longest pause while it runs;
3. two more tracks with 1 Mb regions (synthetic values, beside and over the predicted one), so the view shows
   three tracks as ``bench/gui_bench.py`` does on E. coli;
4. zoom and pan sweeps: whole chromosome <-> 100 bp centred on the region, pans at spans from the whole
   chromosome to 100 bp that cross the region's edge (predicted and not-predicted columns in one view);
   frame times as median / p95 / max, split into whole-chromosome views (span >= 50 Mb) and the rest;
5. memory: peak RSS (``resource.getrusage``) and the current RSS after each stage, the bytes the tracks and
   their envelope pyramids hold. A whole-chromosome float32 array would be ``length * 4`` bytes (1 GB).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_scale_bench.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_scale_bench.py --length 50_000_000 --no-predict
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["GENOVIEW_HOME"] = tempfile.mkdtemp(prefix="genoview-gui-scale-bench-")  # nothing cached before

SEQID = "chrSyn"
LINE = 60
WHOLE_VIEW_SHARE = 0.2   # frames of views at least this share of the chromosome count as "whole chromosome"


def rss_mb() -> float:
    """Resident memory of this process now (MB)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB; ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def memory(stage: str) -> None:
    print(f"  memory after {stage}: RSS {rss_mb():,.0f} MB, peak RSS {peak_rss_mb():,.0f} MB")


def make_fasta(path: Path, length: int, seed: int) -> None:
    """One random chromosome, ``LINE`` bases a line, written in slices (never the whole sequence in memory)."""
    rng = np.random.default_rng(seed)
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)
    lines_per_slice = 100_000
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as out:
        out.write(f">{SEQID} synthetic {length:,} bp chromosome (gui_scale_bench, seed {seed})\n".encode())
        for first in range(0, length, LINE * lines_per_slice):
            n = min(LINE * lines_per_slice, length - first)
            bases = letters[rng.integers(0, 4, n, dtype=np.uint8)]
            full, rest = divmod(n, LINE)
            block = np.empty((full, LINE + 1), dtype=np.uint8)
            block[:, :LINE] = bases[:full * LINE].reshape(full, LINE)
            block[:, LINE] = 10
            out.write(block.tobytes())
            if rest:
                out.write(bases[full * LINE:].tobytes() + b"\n")
    os.replace(tmp, path)


def make_gff(path: Path, length: int, region: tuple[int, int]) -> int:
    """Genes (gene + CDS) every 50 kb along the chromosome and every 1.5 kb over ``region``; returns their count."""
    starts = sorted(set(range(10_000, length - 2_000, 50_000)) | set(range(region[0] + 200, region[1] - 1_500, 1_500)))
    lines = ["##gff-version 3", f"##sequence-region {SEQID} 1 {length}"]
    for i, start in enumerate(starts):
        end, strand = start + 900, "+-"[i % 2]
        lines.append(f"{SEQID}\tbench\tgene\t{start + 1}\t{end}\t.\t{strand}\t.\tID=gene{i};Name=syn{i}")
        lines.append(f"{SEQID}\tbench\tCDS\t{start + 1}\t{end}\t.\t{strand}\t0\tID=cds{i};Parent=gene{i}")
    path.write_text("\n".join(lines) + "\n")
    return len(starts)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def wait_for(app, condition, timeout_s: float) -> bool:
    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)
    return bool(condition())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=lambda s: int(s.replace("_", "")), default=250_000_000)
    parser.add_argument("--region-mb", type=float, default=1.0, help="megabases to predict")
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "genoview-scale-bench"))
    parser.add_argument("--model", default=None, help="model to predict with (default: the default model)")
    parser.add_argument("--no-predict", action="store_true", help="a synthetic track stands in for the prediction")
    parser.add_argument("--steps", type=int, default=30, help="zoom steps each way (whole chromosome <-> 100 bp)")
    parser.add_argument("--pans", type=int, default=15, help="pan steps at each span")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--without-evaluation", action="store_true",
                        help="close the evaluation panel when it opens (as a user may): the genome view alone")
    args = parser.parse_args(argv)
    length = args.length
    region_start = int(length * 0.4) // 1000 * 1000
    region = (region_start, region_start + int(args.region_mb * 1_000_000))

    data = Path(args.data_dir)
    data.mkdir(parents=True, exist_ok=True)
    fasta = data / f"synthetic-{length}-seed{args.seed}.fa"
    gff = data / f"synthetic-{length}-seed{args.seed}.gff3"
    if not fasta.is_file():
        started = time.perf_counter()
        make_fasta(fasta, length, args.seed)
        print(f"wrote {fasta} ({fasta.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s")
    genes = make_gff(gff, length, region)
    load = os.getloadavg()[0]
    print(f"{SEQID}: {length:,} bp ({fasta}), {genes:,} genes in {gff.name}; region to predict "
          f"{region[0] + 1:,}-{region[1]:,}; load average {load:.1f} on {os.cpu_count()} CPUs")

    from genoview.app import application, create_main_window
    from genoview.gui.session import ProbabilityTrack
    from genoview.settings import Settings

    app = application()
    window = create_main_window(Settings())
    window.remember_layout = False
    window.interactive = False
    window.resize(args.width, args.height)
    window.show()
    controller = window.predict_controller
    from genoview.gui.predict_controller import DEVICE_PENDING_TEXT

    wait_for(app, lambda: controller.device_text != DEVICE_PENDING_TEXT, 300)   # start-up warms the model runtime
    for _ in range(20):
        app.processEvents()
    memory("start-up (model runtime warmed)")
    view = window.view
    if args.without_evaluation and getattr(window, "evaluation_panel", None) is not None:
        panel = window.evaluation_panel   # shown by the app when a track appears; closed at once, as by the user
        window.session.tracks_changed.connect(lambda: panel.isVisible() and panel.close())

    def frame() -> None:
        view.flush()
        app.processEvents()

    # 1. open and first draw
    loaded = []
    window.genome_loaded.connect(loaded.append)
    started, cpu_started = time.perf_counter(), time.process_time()
    window.open_genome(fasta, gff, confirm=False)
    if not wait_for(app, lambda: loaded, 300):
        print("the genome did not open", file=sys.stderr)
        return 1
    opened = time.perf_counter()
    frame()
    first_draw = time.perf_counter()
    seqid = window.session.seqid
    print(f"open (index FASTA + read GFF on the worker): {opened - started:.2f} s; first draw "
          f"{first_draw - opened:.2f} s; open-and-first-draw {first_draw - started:.2f} s (target < 3 s; process CPU "
          f"{time.process_time() - cpu_started:.2f} s); "
          f"{len(view.feature_item.features):,} features drawn")
    memory("open")

    # 2. a region predicted through the GUI's path
    margin = (region[1] - region[0]) // 2
    window.session.set_region(region[0] - margin, region[1] + margin)
    frame()
    if args.no_predict:
        key = "stand-in"
        track = ProbabilityTrack(key, "Stand-in", seqid, length=length)
        track.storage.set(region[0], np.random.default_rng(1).random(region[1] - region[0], dtype=np.float32))
        window.session.add_track(track)
        frame()
    else:
        from PySide6.QtCore import QElapsedTimer, QTimer

        from genoview.core.models import default_model_name

        model = args.model or default_model_name()
        outcome = []
        controller.finished.connect(outcome.append)
        controller.failed.connect(outcome.append)
        gaps, cpu_ticks, clock, timer = [], [time.thread_time()], QElapsedTimer(), QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: (gaps.append(clock.restart()), cpu_ticks.append(time.thread_time())))
        clock.start()
        timer.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        controller.predict(model, [seqid], region=region)
        wait_for(app, lambda: outcome, 3600)
        took = time.perf_counter() - started
        wait_for(app, lambda: not window.runner.busy, 60)
        settle = time.monotonic() + 1.0   # what follows the gene-calls job on the GUI thread (its row, its table)
        wait_for(app, lambda: time.monotonic() > settle, 2)
        timer.stop()
        key = outcome[0] if outcome else None
        if key not in window.session.tracks:
            print(f"prediction failed: {outcome}", file=sys.stderr)
            return 1
        gaps_ms = np.asarray(gaps, dtype=np.float64)
        busy_ms = np.diff(np.asarray(cpu_ticks, dtype=np.float64)) * 1000   # GUI-thread CPU time within each gap
        print(f"predicted {region[1] - region[0]:,} bp with {model} through the GUI in {took:.1f} s "
              f"(process CPU {time.process_time() - cpu_started:.1f} s) "
              f"({controller.device_text}); GUI gap max {gaps_ms.max():.0f} ms, "
              f"p99 {np.percentile(gaps_ms, 99):.0f} ms; "
              f"GUI-thread CPU in the longest gap {busy_ms[int(gaps_ms.argmax())]:.0f} ms, most in any gap "
              f"{busy_ms.max():.0f} ms (load average {os.getloadavg()[0]:.1f})")
    track = window.session.tracks[key]
    print(f"  track {key!r}: predicted intervals {track.predicted_intervals()}")
    memory("predicting")

    # 3. two more tracks, as bench/gui_bench.py shows three
    rng = np.random.default_rng(2)
    for i, offset in enumerate((region[1] - region[0], (region[1] - region[0]) // 2), start=2):
        extra = ProbabilityTrack(f"syn{i}", f"Synthetic {i}", seqid, length=length, color=("#d62728", "#2ca02c")[i % 2])
        a = region[0] + offset
        b = min(length, a + region[1] - region[0])
        smooth = np.convolve(rng.random(b - a + 999, dtype=np.float32), np.ones(1000, np.float32) / 1000, "valid")
        extra.storage.set(a, np.clip((smooth - 0.5) * 20 + 0.5, 0, 1))
        window.session.add_track(extra)
    for plot in view.track_plots.values():
        plot.take_in_all()
    frame()
    tracks_bytes = sum(t.storage.nbytes for t in window.session.tracks.values())
    pyramid_bytes = sum(p.pyramid.nbytes for p in view.track_plots.values())
    print(f"  {len(window.session.tracks)} tracks hold {tracks_bytes / 1e6:.1f} MB of values, their envelope "
          f"pyramids {pyramid_bytes / 1e6:.1f} MB (a whole-chromosome float32 array: {length * 4 / 1e6:,.0f} MB)")
    memory("three tracks")

    # 4. frame times
    frames: dict[str, list[float]] = {"whole": [], "region": []}
    cpu: dict[str, list[float]] = {"whole": [], "region": []}

    def timed(start: float, end: float) -> None:
        kind = "whole" if end - start >= WHOLE_VIEW_SHARE * length else "region"
        if np.allclose(view.master.viewRange()[0], (start, end), rtol=0, atol=1e-6 * (end - start)):
            return   # a pan stopped at the end of the chromosome: no frame
        t, c = time.perf_counter(), time.thread_time()
        view.master.setXRange(start, end, padding=0)
        frame()
        frames[kind].append(time.perf_counter() - t)
        cpu[kind].append(time.thread_time() - c)

    centre = (region[0] + region[1]) / 2
    spans = np.geomspace(length, 100, args.steps)
    for span in list(spans) + list(spans[::-1]):
        start = min(max(0.0, centre - span / 2), length - span)
        timed(start, start + span)
    for span in (length / 2, length / 5, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100):   # (no pan at length)
        start = min(max(0.0, region[0] - span / 2), length - span)   # across the region's left edge
        for _ in range(args.pans):
            start = min(start + span * 0.1, length - span)
            timed(start, start + span)
    load = os.getloadavg()[0]
    print(f"frame times at {args.width}x{args.height}, {len(view.track_plots)} tracks (wall clock; GUI-thread CPU "
          f"time in brackets; load average {load:.1f} on {os.cpu_count()} CPUs):")
    for kind in ("whole", "region", "all"):
        wall = frames[kind] if kind != "all" else frames["whole"] + frames["region"]
        busy = cpu[kind] if kind != "all" else cpu["whole"] + cpu["region"]
        if not wall:
            continue
        what = {"whole": f"whole-chromosome views (>= {WHOLE_VIEW_SHARE * length / 1e6:g} Mb)", "region": "in and around the region",
                "all": "all"}[kind]
        print(f"  {what:>36}: {len(wall):4d} frames, median {percentile(wall, 50) * 1000:6.1f} ms "
              f"[{percentile(busy, 50) * 1000:5.1f}], p95 {percentile(wall, 95) * 1000:6.1f} ms "
              f"[{percentile(busy, 95) * 1000:5.1f}], max {max(wall) * 1000:6.1f} ms")
    print("  README today (E. coli, 3 tracks, 1600x1000): median 14.4 ms, p95 24.3 ms")
    memory("browsing")
    panel = getattr(window, "evaluation_panel", None)
    if panel is not None:
        result = getattr(panel, "result", None)
        scope = getattr(result, "scope", None)
        print(f"  evaluation panel visible: {panel.isVisible()}; scored: "
              f"{scope.description if scope is not None else None} ({scope.length if scope is not None else 0:,} bases)")
    print(f"peak RSS {peak_rss_mb():,.0f} MB for a {length / 1e6:,.0f} Mb chromosome "
          f"(one whole-chromosome float32 array: {length * 4 / 1e6:,.0f} MB)")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
