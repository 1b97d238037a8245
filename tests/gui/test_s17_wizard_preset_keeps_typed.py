"""Training wizard (session 16 review): a preset sets what the user has not set and says what it changed (the GPU
preset put its 12,000-base window over a window the user had typed on the Task page, and its batch size over a typed
one, silently); the Data page counts windows for a model type not chosen yet as such ("If you train a genecnn"), since
the default model chosen next (GeneORF) reads whole genomes; the Hyperparameters page asks the Data page for its
fitted window (fitted_window()) instead of reading its private state."""
from __future__ import annotations

import inspect

from PySide6.QtCore import Qt

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.wizard import TrainingWizard
from genoview.gui.wizard import pages
from tests.gui.waits import fill_data_page


def test_a_preset_keeps_typed_values_and_says_what_it_set(qtbot):
    w = TrainingWizard()
    w.ask_before_closing = False
    w.remember_settings = False
    qtbot.addWidget(w)
    page = fill_data_page(qtbot, w, EXAMPLE_GENOME, EXAMPLE_ANNOTATION,
                          until=lambda page: page.preview is not None and page.preview["window"] == 2700)
    assert w.values.get("architecture") is None
    assert "If you train a genecnn (chosen on the Model page): each window reads 2,700 bases" in page.preview_label.text()
    assert page.fitted_window() == 2700
    w.next()
    w.task_page.window_spin.setValue(2000)   # the user's own window
    w.next()
    qtbot.waitUntil(lambda: w.model_page.loaded, timeout=60000)
    w.model_page.scratch_radio.setChecked(True)
    w.model_page.arch_combo.setCurrentIndex(w.model_page.arch_combo.findData("genecnn"))
    w.next()
    hp = w.hyper_page
    batch = hp.form.fields["batch_size"].editor
    batch.selectAll()
    qtbot.keyClicks(batch, "8")   # typed: the user's
    hp.apply_preset("GPU")
    assert w.values["window"] == 2000 and hp.form.fields["batch_size"].value() == 8
    assert hp.form.fields["learning_rate"].value() == 1e-3   # untouched: the preset's
    said = hp.preset_help.text()
    assert "Your window of 2,000 bases (Task page) is kept; the preset's is 12,000" in said
    assert "Kept as you typed: batch size 8 (the preset's: 32)" in said
    assert "Set: " in said and "learning rate" in said and "→ 0.001" in said
    assert w.spec_from(w.values).window == 2000
    hp.preset_combo.setCurrentIndex(0)
    hp.apply_preset(None)   # Architecture defaults: a reset, typed values too
    assert not hp.form.touched_values()
    hp.apply_preset("GPU")
    assert hp.form.fields["batch_size"].value() == 32 and "Kept as you typed" not in hp.preset_help.text()


def test_the_hyperparameters_page_reads_no_private_state_of_the_data_page():
    source = inspect.getsource(pages.HyperparametersPage)
    assert "_fitted\"" not in source and "data_page._" not in source and "fitted_window()" in source
