"""H-ux6: the wizard opened again to Resume a paused run showed "took 30 s since Resume"; the checkpoint it goes on
from records the run's training time up to it (``unfinished_run(...)["seconds"]``), so the time in all is shown, as
the wizard that ran it shows after a Resume on its page. Without that record it still says "since Resume"."""
from __future__ import annotations

import time


def test_a_reopened_wizard_shows_the_time_in_all_from_the_checkpoint(qtbot, tmp_path, resumable_wizard):
    wizard, run, _ = resumable_wizard({"folder": str(tmp_path), "step": 100, "total_steps": 600, "seconds": 150.4,
                                       "spec": None})
    run.start(resume=True)   # a newly opened wizard: nothing of the earlier attempts on this page
    run.started_at = time.monotonic() - 30
    run._show_eta(60)
    assert run.eta.text().startswith("elapsed 30 s (3 min 00 s in all), ETA")
    run._on_ended("paused", 0)
    assert run.eta.text() == "took 30 s (3 min 00 s in all)"
    run.start(resume=True)   # paused again and resumed on this page: the attempts add up
    run.started_at = time.monotonic() - 20
    run._on_ended("stopped", 0)
    assert run.eta.text() == "took 20 s (3 min 20 s in all)"
    wizard.reject()


def test_without_a_recorded_time_it_still_says_since_resume(qtbot, tmp_path, resumable_wizard):
    wizard, run, _ = resumable_wizard({"folder": str(tmp_path), "step": 100, "total_steps": None, "seconds": None,
                                       "spec": None})
    run.start(resume=True)
    run.started_at = time.monotonic() - 30
    run._on_ended("stopped", 0)
    assert run.eta.text() == "took 30 s since Resume"
    wizard.reject()
