"""The Predict dialog says that a bacterial gene model does not find a eukaryote's genes when the model is chosen,
before Predict (session 16 review: core's warning came only once the run had started). The guess and the words are
core's (genome_kind.eukaryote_warning), made on the worker that reads the models; the example bacterium gets none."""
from __future__ import annotations

import os

from genoview.core import genome_kind as gk
from genoview.gui.dialogs.predict import PredictDialog, read_model_choices
from test_s16_eukaryote_gene_model_mark import _human_like   # noqa: E402 - the human-like sequence, one place


def test_the_dialog_warns_when_a_bacterial_model_is_chosen_for_a_eukaryote(qtbot, tmp_path, open_example_window,
                                                                           human_genes_csv):
    window = open_example_window(_human_like(human_genes_csv, tmp_path))
    assert gk.genome_kind(window.session.genome, read_sequence=False)[0] == "eukaryote"
    choices = read_model_choices(window.session.genome)   # what Tools ▸ Predict… reads on its worker
    dialog = PredictDialog(window, window.session, None, choices)
    qtbot.addWidget(dialog)
    dialog.show()
    prodigal = dialog.model_combo.findData("prodigal")
    assert prodigal >= 0 and "prodigal" in choices.warnings
    dialog.model_combo.setCurrentIndex(prodigal)
    assert dialog.kind_warning.isVisible()
    text = dialog.kind_warning.text()
    assert "bacteria and archaea" in text and "eukaryote" in text and "AUGUSTUS" in text
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()   # a warning, not a refusal
    if os.environ.get("GENOVIEW_S17_SHOT"):
        dialog.grab().save(os.environ["GENOVIEW_S17_SHOT"])


def test_no_warning_on_the_example_bacterium(qtbot, open_example_window):
    window = open_example_window()
    choices = read_model_choices(window.session.genome)
    assert choices.warnings == {}
    dialog = PredictDialog(window, window.session, None, choices)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.kind_warning.isVisible()
