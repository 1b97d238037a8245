"""rev12: a paused training run is not finished, so the wizard's Finish is grey while it is paused (it was enabled and
closed the wizard as if the run had ended, with no model); the status line says why and what to do. Finished,
stopped, failed and cancelled runs still end the wizard with Finish."""
from __future__ import annotations

from genoview.core.training.runner import work_dir_for
from genoview.gui.wizard import TrainingWizard


def test_finish_is_grey_while_a_run_is_paused(qtbot, monkeypatch):
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    wizard.values.update(name="paused-run", task="gene-track")
    run = wizard.run_page
    work_dir_for(wizard.output_dir()).mkdir(parents=True)
    monkeypatch.setattr(run, "initializePage", lambda: None)   # no training process
    wizard.setStartId(wizard.RUN)
    wizard.show()
    finish = wizard.button(wizard.WizardButton.FinishButton)
    with qtbot.waitSignal(run.completeChanged):
        run._on_ended("paused", 0)
    assert not run.isComplete() and not finish.isEnabled()
    assert "Finish waits for a finished run" in run.status.text() and run.resume_button.isEnabled()
    for outcome in ("stopped", "failed", "cancelled"):
        run.status.setText("Training…")   # what Resume's start() shows
        run._on_ended(outcome, 0 if outcome != "failed" else 1)
        assert run.isComplete() and finish.isEnabled(), outcome
        assert "Finish waits" not in run.status.text()
    wizard.reject()
