"""H-ux7: the Review page's "Continue the unfinished run" box gave the step only; the checkpoint records the run's
training time up to it (``unfinished_run(...)["seconds"]``), which the Run page shows after a Resume ("3 min 00 s in
all"): the box shows it too, and says nothing of time where none is recorded."""
from __future__ import annotations


def _box_text(wizard, qtbot) -> str:
    page = wizard.review_page
    page.name_edit.setText("resumed-run")
    qtbot.waitUntil(lambda: page.unfinished_known("resumed-run"))   # read on a worker (rev13)
    assert page.resume_check.isVisibleTo(page)
    return page.resume_check.text()


def test_the_box_shows_the_recorded_training_time(qtbot, tmp_path, resumable_wizard):
    wizard, _, _ = resumable_wizard({"folder": str(tmp_path), "step": 100, "total_steps": 600, "seconds": 180.2,
                                     "spec": None})
    text = _box_text(wizard, qtbot)
    assert text.startswith("Continue the unfinished run of resumed-run (step 100 of 600, 3 min 00 s of training so far)")
    wizard.reject()


def test_without_a_record_the_box_says_no_time(qtbot, tmp_path, resumable_wizard):
    wizard, _, _ = resumable_wizard({"folder": str(tmp_path), "step": 100, "total_steps": None, "seconds": None,
                                     "spec": None})
    assert _box_text(wizard, qtbot).startswith("Continue the unfinished run of resumed-run (step 100);\nunticked")
    wizard.reject()
