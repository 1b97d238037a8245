"""The Predict dialog says what each model is and how well it did where it never trained, and what Device and Batch
size mean: a newcomer saw six names and two technical fields."""
from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt

from genoview.gui.dialogs.predict import BROWSE, PredictDialog, model_blurb


def test_model_blurb_is_short_and_scored():
    info = SimpleNamespace(description="GeneORF: self-training ORF gene finder (codon statistics re-learnt). Then "
                                       "more details. And more.", metrics={"held_out_mean_mcc": 0.8227})
    text = model_blurb(info)
    assert text.startswith("GeneORF: self-training ORF gene finder. MCC") and "details" not in text
    assert "MCC 0.82 on average on genomes it never saw" in text
    info = SimpleNamespace(description="k-mer BERT (kmer-bert-ecoli's E. coli weights) as a scorer. More.",
                           metrics={"test": {"mcc": 0.64}})
    assert model_blurb(info) == ("k-mer BERT as a scorer. MCC 0.64 on the held-out part of the genome it was "
                                 "trained on (1 = perfect).")
    assert model_blurb(SimpleNamespace(description="Prodigal gene finder (pyrodigal)", metrics={})) == \
        "Prodigal gene finder."


def test_dialog_shows_the_chosen_models_note_and_field_help(qtbot, session):
    dialog = PredictDialog(None, session)
    qtbot.addWidget(dialog)
    dialog.show()
    default = dialog.model_combo.currentData()
    assert dialog.model_note.isVisible() and dialog.model_note.text() == dialog._blurbs[default]
    assert dialog.model_combo.itemData(0, Qt.ItemDataRole.ToolTipRole) == dialog._blurbs[dialog.model_combo.itemData(0)]
    browse = dialog.model_combo.findData(BROWSE)
    dialog.model_combo.setCurrentIndex(browse)
    assert not dialog.model_note.isVisible()
    assert "GPU" in dialog.device_combo.toolTip() and "memory" in dialog.batch_spin.toolTip()
