"""GUI stall benchmark while a training child runs: the longest gap between ticks of a 10 ms QTimer.

The training wizard's Run page starts `genoview train --spec ... --progress json` as a child process and
draws its JSON lines as live curves; the GUI thread must stay responsive (target: no gap > 100 ms).

    QT_QPA_PLATFORM=offscreen python bench/train_gui_bench.py [--seconds 60] [--spec SPEC.json]

Without --spec it trains a small GeneCNN on tests/data/engine_tiny.fa, logging every step (many events).
Prints one JSON line: ticks, max/p99/p50 gap in ms, gaps over 100 ms, events received, outcome.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def tiny_spec(path: Path) -> None:
    data = ROOT / "tests" / "data"
    spec = {"data": {"genomes": [{"fasta": str(data / "engine_tiny.fa"), "annotation": str(data / "engine_tiny.gff3")}],
                     "split": {"test_from": 0.8}},
            "task": {"window": 300},
            "model": {"architecture": "genecnn", "options": {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90,
                                                             "chunk_size": 600}},
            "hyperparameters": {"windows_per_epoch": 400, "batch_size": 4, "epochs": 20, "eval_windows": 8,
                                "eval_every": 20},
            "seed": 1, "run": {"num_threads": 1, "log_every": 1}}
    path.write_text(json.dumps(spec))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="measure this long (or until the run ends)")
    parser.add_argument("--spec", help="training spec to run (default: a small GeneCNN on the tiny test genome)")
    args = parser.parse_args()
    os.environ.setdefault("GENOVIEW_HOME", tempfile.mkdtemp(prefix="genoview-bench-"))
    Path(os.environ["GENOVIEW_HOME"]).mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from genoview.app import application
    from genoview.core.training.spec import TrainingSpec
    from genoview.gui.wizard import TrainingWizard

    app = application()
    spec_path = Path(args.spec) if args.spec else Path(os.environ["GENOVIEW_HOME"]) / "bench-spec.json"
    if not args.spec:
        tiny_spec(spec_path)
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    wizard.spec = TrainingSpec.load(spec_path)
    from genoview.gui.library import free_name

    name = free_name("bench-model")
    wizard.values.update(name=name, task="gene-track")   # a free name: train refuses to write over a model
    wizard.show()
    run = wizard.run_page
    events = [0]
    run.process.event.connect(lambda record: events.__setitem__(0, events[0] + 1))
    gaps: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(10)
    last = [None]

    stalls: list[tuple[float, float]] = []   # (ms since start, gap ms) of gaps over 100 ms
    marks: dict[str, float] = {}

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        if last[0] is not None:
            gaps.append(now - last[0])
            if now - last[0] > 100:
                stalls.append((round(now), round(now - last[0], 1)))
        last[0] = now

    run.process.event.connect(lambda record: record["event"] in ("start", "done") and marks.setdefault(
        record["event"], round(clock.nsecsElapsed() / 1e6)))
    run.process.ended.connect(lambda *_: marks.setdefault("ended", round(clock.nsecsElapsed() / 1e6)))

    ticker.timeout.connect(tick)
    clock.start()
    ticker.start()
    run.start()
    loop = QEventLoop()
    QTimer.singleShot(int(args.seconds * 1000), loop.quit)
    run.process.ended.connect(lambda *_: QTimer.singleShot(0, loop.quit))
    loop.exec()
    outcome = run.outcome or "still running"
    if run.process.running:
        run.process.cancel()
        run.process.wait(30000)
    ticker.stop()
    gaps.sort()
    result = {"ticks": len(gaps), "max_gap_ms": round(gaps[-1], 1) if gaps else None,
              "p99_gap_ms": round(gaps[int(0.99 * (len(gaps) - 1))], 1) if gaps else None,
              "p50_gap_ms": round(gaps[len(gaps) // 2], 1) if gaps else None,
              "gaps_over_100ms": sum(g > 100 for g in gaps), "events": events[0], "outcome": outcome,
              "stalls_at_ms": stalls, "marks_ms": marks,
              "load_average": os.getloadavg()[0]}
    print(json.dumps(result))
    wizard.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
