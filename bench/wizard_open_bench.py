"""GUI pause while Models > Train a model… opens the training wizard: the longest gap between ticks of a 10 ms
QTimer on the GUI thread, for three openings in one window, after start-up has finished.

    OMP_NUM_THREADS=1 QT_QPA_PLATFORM=offscreen python bench/wizard_open_bench.py [--openings 3]

The window opens the bundled example genome first and waits 4 s (the model runtime's warm-up, first paints).
Prints one line per opening and one JSON line: the longest pause of each opening in ms and the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openings", type=int, default=3, help="how many times the wizard is opened (default 3)")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from genoview.app import create_main_window
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
    from genoview.settings import Settings

    window = create_main_window(Settings())
    window.interactive = False
    window.remember_layout = False
    window.resize(1400, 900)
    window.show()
    loaded = []
    window.genome_loaded.connect(lambda *_: loaded.append(1))
    window.open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)

    def spin(ms: float) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)

    while not loaded:
        spin(50)
    spin(4000)   # start-up finished: the warm-up thread and the first paints
    longest = []
    for opening in range(args.openings):
        gaps, clock, last = [], QElapsedTimer(), [0]
        clock.start()
        timer = QTimer()
        timer.setInterval(10)

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now
        timer.timeout.connect(tick)
        timer.start()
        spin(200)
        window.open_training_wizard({})
        spin(1500)
        timer.stop()
        wizard = window.training_wizards[-1] if window.training_wizards else None
        if wizard is not None:
            wizard.ask_before_closing = False
            wizard.reject()
            spin(200)
        longest.append(max(gaps))
        print(f"opening {opening + 1}: longest GUI pause {max(gaps)} ms ({len(gaps)} ticks)")
    print(json.dumps({"longest_pause_ms": longest, "load_average": os.getloadavg()[0]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
