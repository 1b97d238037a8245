"""Resume draws the curves from the checkpoint's own history: walked under Xvfb (session 16), a wizard opened again to
Resume a paused run drew from step 25 on (steps 1-20 and the evaluation at 20 missing); one resumed on the same page
kept the steps after the checkpoint, which the run then drew a second time."""
from __future__ import annotations

HISTORY = [{"step": 10, "epoch": 0.1, "loss": 0.5, "learning_rate": 1e-3},
           {"step": 20, "epoch": 0.2, "loss": 0.3, "learning_rate": 1e-3},
           {"step": 20, "epoch": 0.2, "eval_loss": 0.25, "eval_mcc": 0.61, "eval_roc_auc": 0.93, "best": True}]


def test_resume_in_a_reopened_wizard_draws_the_run_so_far(qtbot, tmp_path, resumable_wizard):
    wizard, run, started = resumable_wizard({"folder": str(tmp_path), "step": 20, "total_steps": 60, "spec": None,
                                             "seconds": 52.0, "history": HISTORY})
    run.start(resume=True)
    assert started == [True]
    curves = run.curves
    assert curves.steps == [10, 20] and curves.losses == [0.5, 0.3]
    assert curves.eval_steps == [20] and curves.mcc == [0.61] and curves.auc == [0.93]
    assert curves.best == (20, 0.61)
    assert run.best_mcc == 0.61 and "validation MCC 0.6100" in run.metrics.text()


def test_resume_on_the_same_page_drops_the_steps_after_the_checkpoint(qtbot, tmp_path, resumable_wizard):
    wizard, run, started = resumable_wizard({"folder": str(tmp_path), "step": 20, "total_steps": 60, "spec": None,
                                             "seconds": 52.0, "history": HISTORY})
    for step, loss in ((10, 0.5), (20, 0.3), (25, 0.28)):   # drawn live before the pause at step 25
        run.curves.add_log(step, loss)
    run.start(resume=True)   # goes on from step 20: steps 21-25 are run (and drawn) again
    assert run.curves.steps == [10, 20]
