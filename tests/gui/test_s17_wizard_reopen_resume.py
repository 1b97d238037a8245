"""Close the wizard while its run is paused, open it again: Resume works (session 16 review). Walked for real: a tiny
GeneCNN trains in its child process, is paused after a checkpoint, the wizard closes (its settings kept), a new wizard
opens with them, the Review page offers to continue the run, and the run goes on from the checkpoint with the
curves of the steps before it, then Stop keeps a usable model and the store records the run as stopped/finished."""
from __future__ import annotations

import os

from genoview import paths
from genoview.core.training.runner import unfinished_run
from genoview.gui.wizard import TrainingWizard

from test_wizard import TIMEOUT, fill_to_review   # noqa: E402 - the tiny genome's pages, one place
from tests.gui.waits import PREVIEW_MS


def test_close_while_paused_then_reopen_and_resume(qtbot, data_dir, tmp_path):
    first = TrainingWizard()
    first.ask_before_closing = False
    qtbot.addWidget(first)
    w = fill_to_review(qtbot, first, data_dir, name="reopened", epochs="200", eval_every="5")
    w.review_page.stop_probe()
    w.next()
    run = w.run_page
    out = paths.model_library_dir() / "reopened"
    qtbot.waitUntil(lambda: len(run.curves.eval_steps) >= 1 and unfinished_run(out) is not None
                    and unfinished_run(out)["step"] > 0, timeout=TIMEOUT)
    run.pause()
    qtbot.waitUntil(lambda: run.outcome == "paused", timeout=TIMEOUT)
    step = unfinished_run(out)["step"]
    first.reject()   # closed while paused: the run and the settings are kept
    assert not first.isVisible() and unfinished_run(out)["step"] == step

    again = TrainingWizard()   # opens with the last settings
    again.ask_before_closing = False
    qtbot.addWidget(again)
    again.show()
    assert again.data_page.fasta_edit.text().endswith("engine_tiny.fa")
    for _ in range(4):   # Data, Task, Model, Hyperparameters as they were left
        if again.currentId() == again.MODEL:
            qtbot.waitUntil(lambda: again.model_page.loaded, timeout=60000)
        if again.currentId() == again.DATA:
            qtbot.waitUntil(lambda: again.data_page.preview is not None, timeout=PREVIEW_MS)
        again.next()
    assert again.currentId() == again.REVIEW, again.hyper_page.error.text()
    review = again.review_page
    review.stop_probe()
    assert review.name_edit.text() == "reopened"
    qtbot.waitUntil(lambda: review.unfinished_known("reopened"), timeout=20000)
    assert not review.resume_check.isHidden() and review.resume_check.isChecked()
    assert f"step {step}" in review.resume_check.text()
    again.next()
    resumed = again.run_page
    assert "Resuming" in resumed.log.toPlainText()
    assert resumed.curves.steps and max(resumed.curves.steps) <= step   # the run so far, from the checkpoint
    qtbot.waitUntil(lambda: any(s > step for s in resumed.curves.eval_steps), timeout=TIMEOUT)

    def drawn_after_checkpoint() -> bool:   # the throttled redraw has drawn the new evaluation beside the old ones
        xs = resumed.curves.mcc_curve.getData()[0]
        return xs is not None and len(xs) >= 2 and min(xs) <= step < max(xs)

    qtbot.waitUntil(drawn_after_checkpoint, timeout=10000)
    if os.environ.get("GENOVIEW_S17_SHOT"):   # the walk's picture of the curves after Resume
        again.grab().save(os.environ["GENOVIEW_S17_SHOT"])
    resumed.stop()
    qtbot.waitUntil(lambda: resumed.outcome is not None, timeout=TIMEOUT)
    assert resumed.outcome == "stopped", resumed.log.toPlainText()
    assert (out / "model.safetensors").is_file()
    from genoview.core.store import open_store

    statuses = [r["status"] for r in open_store().runs("train")]
    assert statuses[:2] == ["finished", "resumed"]   # the resumed attempt; the paused one, marked continued
