"""The wizard's language-model task on an open genome (S. aureus slice): the Review page's words were empty (only the
command, with a bare relative --out), the finished run still said "Starting the training process…", and the new
language model was then run as a gene model on the genome, whose failure box blocked the window."""
from __future__ import annotations

from genoview.gui.wizard.pages import lm_plain_summary
from genoview.gui.wizard.run_page import lm_finished_words
from genoview.paths import model_library_dir


def test_review_and_finish_words_of_a_language_model(qtbot):
    from genoview.gui.wizard import TrainingWizard

    text = lm_plain_summary({"lm_architecture": "ngram", "fasta": "/d/staph250k.fa", "lm_minutes": 0.5})
    assert "new <b>ngram</b> language model on the annotated genes of <b>staph250k.fa</b>" in text
    assert "first 70%" in text and "never sees" in text and "Real vs mutated" in text
    log = 'train 126 genes\n{\n"metrics": {\n"validation": {\n"perplexity": 3.8729\n},\n"test": {\n"perplexity": 3.8827,'
    assert lm_finished_words(log) == ("Finished. Test perplexity 3.8827 on the held-out genes (lower is better; 1 to 4 "
                                      "for DNA).")
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    wizard.values.update(fasta="/d/g.fa", lm_architecture="ngram")
    wizard.run_page.curves.explain_no_curves("no curves")
    assert wizard.run_page.curves.loss_plot.isHidden() and wizard.run_page.curves.metric_plot.isHidden()
    args = wizard.lm_arguments("my-kn")
    assert args[args.index("--out") + 1] == str(model_library_dir() / "my-kn")


def test_a_trained_language_model_goes_to_real_vs_mutated(qtbot, open_example_window, errors):
    window = open_example_window()
    wizard = window.open_training_wizard({})
    wizard.ask_before_closing = False
    wizard.values["task"] = "language-model"
    wizard.model_trained.emit("/nowhere/kn-ecoli-genes", "kn-ecoli-genes")
    assert window.mutation_panel.lm_names.text() == "kn-ecoli-genes" and window.mutation_panel.isVisibleTo(window)
    # no prediction queued (predict() files its job at once; waiting 50 ms for a "started" proved little)
    assert not errors and not window.predict_controller._jobs
    wizard.close()


def geneorf_run_page(qtbot):
    """A training wizard's run page after the start event of a GeneORF fine-tune."""
    from genoview.gui.wizard import TrainingWizard

    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    run = wizard.run_page
    run._on_event({"event": "start", "architecture": "geneorf", "seed": 1})
    return run


def test_the_finished_line_of_a_geneorf_fine_tune_speaks_of_candidates(qtbot):
    run = geneorf_run_page(qtbot)
    run._on_event({"event": "done", "steps": 7, "stopped_because": "finished", "test": {}})
    # not "the best kept": the adapted candidate stays unless another leads it on both halves (lead_check halves)
    assert run.status.text() == "Finished: 7 candidates scored, one kept (the log's 'chosen:' line)."
    run.curves.candidates = False
    run._on_event({"event": "done", "steps": 74, "stopped_because": "stopped by the user", "test": {}})
    assert run.status.text() == "Finished after 74 steps (stopped by the user)."


def test_a_geneorf_fine_tune_is_said_without_passes_or_steps():
    from genoview.core.training.spec import TrainingSpec
    from genoview.gui.wizard.pages import plain_summary

    spec = TrainingSpec(fasta="/d/hflu250k.fa", annotation="a.gff3", architecture="geneorf",
                        init_from="geneorf-bacteria", epochs=16.0, patience=4)
    text = plain_summary(spec)
    assert "It tries a few candidates, each scored on the training part by two-fold cross-fitting, and keeps an " \
           "average of the best adapted ones' weights unless another scores better by at " \
           "least 0.004 MCC and on both halves of it (seed" in text and "passes" not in text and "has not improved" not in text
    # (the kept one: session 13's default anchor, soup_greedy)
    assert "It trains for" in plain_summary(TrainingSpec(fasta="/d/g.fa", annotation="a.gff3", max_steps=600))


def test_geneorf_candidates_are_named_when_the_events_name_them(qtbot):
    run = geneorf_run_page(qtbot)
    run._on_event({"event": "eval", "step": 2, "mcc": 0.9252, "candidate": "adapt"})
    assert run.metrics.text().startswith("candidate 2 (adapt)   cross-fitted MCC 0.9252")
    assert run.curves.candidate_names == {2: "adapt"}
    run._on_event({"event": "eval", "step": 3, "mcc": 0.93})   # events without names: numbers, as before
    assert run.metrics.text().startswith("candidate 3   cross-fitted MCC 0.9300")


def test_a_geneorf_fine_tune_names_no_separate_validation_part():
    # its choice is cross-fitted inside 0-70 % (train and validation read together): "checks itself on 63%-70%"
    # described a validation part the run does not hold apart
    from genoview.core.training.spec import TrainingSpec
    from genoview.gui.wizard.pages import plain_summary

    spec = TrainingSpec(fasta="/d/hflu250k.fa", annotation="a.gff3", architecture="geneorf",
                        init_from="geneorf-bacteria")
    text = plain_summary(spec)
    assert "learns on 0%–70% of each sequence (it checks its choices inside that part" in text
    assert "(validation)" not in text and "tested on 70%–100%" in text
    # a window model keeps its validation part
    assert "(validation)" in plain_summary(TrainingSpec(fasta="/d/g.fa", annotation="a.gff3", max_steps=600))
