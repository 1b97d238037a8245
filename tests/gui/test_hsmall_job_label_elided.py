"""The status bar's running-job label in a narrow window ends with '…' and holds its whole text in its tooltip; it was
cut mid-word ("Gene calls of prodigal: Prodigal's genes, t"). In a wide window it is shown whole, no tooltip."""
from __future__ import annotations

import threading

from genoview.gui.workers import Job


def test_running_job_label_is_elided_in_a_narrow_window(qtbot, open_example_window):
    window = open_example_window(size=(640, 500))
    release = threading.Event()

    def work(progress, cancel):
        progress(0.3, "Prodigal's genes, training on the genome's longest ORFs and scoring every candidate start")
        release.wait(20)

    job = Job("Gene calls of prodigal", work)
    label = window.job_status.label
    full = "Gene calls of prodigal: Prodigal's genes, training on the genome's longest ORFs and scoring every " \
           "candidate start"
    try:
        window.runner.submit(job)
        qtbot.waitUntil(lambda: label.full_text() == full and label.isVisible(), timeout=10000)
        qtbot.waitUntil(lambda: label.text().endswith("…"), timeout=5000)
        shown = label.text()
        assert full.startswith(shown[:-1]) and label.toolTip() == full
        assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
        assert window.job_status.cancel_button.isVisible()   # the Cancel button keeps its room
        window.resize(1900, 500)   # room for it all: whole, no tooltip
        qtbot.waitUntil(lambda: label.text() == full, timeout=5000)
        assert label.toolTip() == ""
    finally:
        release.set()
        window.runner.wait()
