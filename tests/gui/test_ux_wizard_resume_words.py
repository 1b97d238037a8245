"""Pause, then Resume on the Run page: the log says from which checkpoint the run goes on, and the time shown after
it says what it leaves out ("took 52 s" read as the whole run's time; it was the time since Resume)."""
from __future__ import annotations

import time


def test_resume_says_where_it_goes_on_and_the_time_in_all(qtbot, tmp_path, resumable_wizard):
    wizard, run, started = resumable_wizard({"folder": str(tmp_path), "step": 50, "total_steps": 600, "spec": None})
    run.start()
    run.started_at = time.monotonic() - 91
    run._on_ended("paused", 0)
    assert run.eta.text() == "took 1 min 31 s"
    run.start(resume=True)
    assert started == [False, True]
    assert "Resuming the training of resumed-run from its checkpoint at step 50 of 600…" in run.log.toPlainText()
    run.started_at = time.monotonic() - 52
    run._show_eta(600)
    assert run.eta.text().startswith("elapsed 52 s (2 min 23 s in all), ETA")
    run._on_ended("stopped", 0)
    assert run.eta.text() == "took 52 s (2 min 23 s in all)"
    wizard.reject()


def test_resumed_in_a_reopened_wizard_says_since_resume(qtbot, tmp_path, resumable_wizard):
    wizard, run, started = resumable_wizard({"folder": str(tmp_path), "step": 100, "total_steps": None, "spec": None})
    run.start(resume=True)   # what the Review page's "continue" starts: the earlier attempts' time is not known here
    assert "from its checkpoint at step 100…" in run.log.toPlainText()
    run.started_at = time.monotonic() - 30
    run._on_ended("stopped", 0)
    assert run.eta.text() == "took 30 s since Resume"
    wizard.reject()
