"""The wizard's Run page makes only the plots its run draws: a GeneORF fine-tune (the default) and a language model
draw no training loss, yet its plot and slider were made and hidden, half of the ~90 ms the page's curves took on
the GUI thread when Start training was clicked (made and first shown: 180 ms -> 76 ms median, load ~2.6); a later
run of steps on the same page (Reset to defaults, then a GeneCNN) gets its loss plot then."""
from __future__ import annotations

from genoview.gui.wizard import TrainingWizard


def run_page(qtbot, monkeypatch, **values):
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    wizard.values.update({"name": "plots-needed", "task": "gene-track", **values})
    page = wizard.run_page
    started = []
    monkeypatch.setattr(page.process, "start", lambda *a, **k: started.append(a))
    monkeypatch.setattr(page.process, "start_command", lambda *a, **k: started.append(a))
    monkeypatch.setattr(wizard, "save_spec_file", lambda spec, probe=False: "spec.json")
    return wizard, page, started


def test_a_geneorf_fine_tune_makes_no_loss_plot(qtbot, monkeypatch):
    wizard, page, started = run_page(qtbot, monkeypatch, architecture="geneorf")
    page.initializePage()
    assert started and page.curves.loss_plot is None and page.curves.metric_plot is not None
    page._on_event({"event": "start", "architecture": "geneorf", "seed": 1})
    page._on_event({"event": "eval", "step": 1, "mcc": 0.84, "best": True})
    page.curves.redraw()
    assert page.curves.mcc == [0.84] and not page.curves.smoothing.isVisibleTo(page)
    wizard.values.update(architecture="genecnn")   # the page again, for a run of steps
    page.start()
    curves = page.curves
    assert curves.loss_plot is not None and curves.loss_plot.isVisibleTo(page) and curves.smoothing.isVisibleTo(page)
    page._on_event({"event": "log", "step": 10, "loss": 0.41})
    curves.redraw()
    assert list(curves.raw_curve.getData()[1]) == [0.41]


def test_a_language_model_makes_no_loss_plot_and_a_genecnn_run_has_one(qtbot, monkeypatch):
    _, page, _ = run_page(qtbot, monkeypatch, task="language-model", architecture="ngram")
    monkeypatch.setattr(page.wizard_, "lm_arguments", lambda name: ["train-lm"], raising=False)
    page.initializePage()
    assert page.curves.loss_plot is None and not page.curves.metric_plot.isVisibleTo(page)
    _, page, _ = run_page(qtbot, monkeypatch, architecture="genecnn")
    page.initializePage()
    assert page.curves.loss_plot is not None and page.curves.loss_plot.isVisibleTo(page)
