"""Models ▸ Adapt to this genome: while "Predict with it now?" is asked, the adaptation has ended, and the window says
so: the status bar's job line (the adaptation's name, its bar and a Cancel button) stayed shown and enabled until the
question was answered, its Cancel cancelling nothing (or another job that had started meanwhile)."""
from __future__ import annotations

from pathlib import Path

import genoview.cli.adapt as cli_adapt


def test_no_job_line_or_cancel_while_the_prediction_is_offered(qtbot, open_example_window, monkeypatch):
    from genoview.gui.dialogs.adapt import start_adaptation

    window = open_example_window()
    window.interactive = True   # its progress dialog too
    window.show()

    def adapt_model(model, fasta, out, name, progress=None, cancel=None, **_):
        progress(0.5, "adapting the gene scorer")
        return cli_adapt.AdaptedModel(Path(out), name)

    monkeypatch.setattr(cli_adapt, "adapt_model", adapt_model)
    seen, progress = [], []

    def offer(name):
        job_line = window.job_status
        seen.append((name, job_line.isVisible() and job_line.cancel_button.isEnabled(), progress[0].isVisible()))
        return False

    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)   # the window's own start-up jobs
    with qtbot.waitSignal(window.runner.finished, timeout=20000):
        assert start_adaptation(window, "geneorf-bacteria", "geneorf-asked", offer_prediction=offer) is not None
        progress.append(window.adapt_progress_dialog)   # its own Cancel: closed before the question too
        qtbot.waitUntil(window.job_status.isVisible, timeout=20000)   # shown while it ran
    assert seen == [("geneorf-asked", False, False)]   # no Cancel to click: nothing runs while asking
    assert not window.job_status.isVisible()
