"""Pause before the training's first checkpoint, then Resume: the run starts again (same seed, same model) and says
so; before, Resume ran `--resume` and failed with "there is no checkpoint to resume from" after the user had done
exactly what the page told them."""
from __future__ import annotations

from types import SimpleNamespace

from genoview.core.training.runner import work_dir_for
from genoview.gui.wizard import TrainingWizard


def test_resume_before_the_first_checkpoint_starts_again_and_says_why(qtbot, tmp_path, monkeypatch):
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    wizard.values.update(name="paused-early", task="gene-track")
    run = wizard.run_page
    out = wizard.output_dir()
    work_dir_for(out).mkdir(parents=True)   # the run's folder, no checkpoint in it yet
    started = []
    wizard.spec = SimpleNamespace(eval_every=50)   # what the Review page built
    monkeypatch.setattr(wizard, "save_spec_file", lambda spec, probe=False: tmp_path / "spec.json")
    monkeypatch.setattr(run.process, "start", lambda spec, out, name, resume=False: started.append(resume))
    run.progress.setValue(20)
    run._on_ended("paused", 0)
    assert run.eta.text().startswith("took")
    assert "before the first checkpoint" in run.status.text() and "every 50 steps" in run.status.text()
    assert "starts the run again" in run.status.text()
    run.start(resume=True)
    assert started == [False]                       # a fresh run, not --resume
    assert run.progress.value() == 0 and run.eta.text() == ""   # not the stopped attempt's 2% and "took 1 min"
    assert "first evaluation (every 50 steps)" in run.metrics.text()   # why the validation plot is still empty
    assert "starts again from the beginning" in run.status.text()
    assert "same seed" in run.log.toPlainText()
    assert not work_dir_for(out).exists()           # the empty unfinished folder was cleared for the fresh run
    # the Review page does not offer to "continue" a run that has nothing to continue from
    work_dir_for(out).mkdir(parents=True)
    wizard.review_page.name_edit.setText("paused-early")
    qtbot.waitUntil(lambda: wizard.review_page.unfinished_known("paused-early"))   # read on a worker
    assert wizard.review_page.resume_check.isHidden()


def test_paused_while_reading_the_genome_can_resume(qtbot, tmp_path, monkeypatch):
    """Paused before the run's folder exists (still reading the genome): Resume was grey though the page said
    "Resume starts the run again"; only Finish or Cancel were left."""
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    wizard.values.update(name="paused-reading", task="gene-track")
    run = wizard.run_page
    assert not work_dir_for(wizard.output_dir()).exists()
    run._on_ended("paused", 0)
    assert "starts the run again" in run.status.text()
    assert run.resume_button.isEnabled()
    run._on_ended("cancelled", 0)
    assert not run.resume_button.isEnabled()


def test_the_default_gene_model_is_offered_first(qtbot):
    from genoview.core.models import default_model_name

    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.model_page.loaded, timeout=20000)   # the library is read on a worker
    combo = wizard.model_page.shipped_combo
    assert combo.itemData(0) == default_model_name() and "the default" in combo.itemText(0)
