"""H-cli19: the wizard's Advanced model options for GeneCNN list only the run's options, as for GeneORF (eaecc7e):
from scratch without a fine-tune's codon_table and rna_memory (they were offered, and the run then stopped on them),
a fine-tune of genecnn-ecoli with them and without the shape options; the options typed stay across the switch."""
from __future__ import annotations

from tests.gui.waits import fill_data_page

FINE_TUNE_ONLY = {"codon_table", "rna_memory"}


def test_genecnn_options_follow_from_scratch_and_fine_tune(qtbot, wizard, data_dir):
    w = wizard
    fill_data_page(qtbot, w, data_dir / "engine_tiny.fa", data_dir / "engine_tiny.gff3")
    w.next()
    w.task_page.window_spin.setValue(300)
    w.next()
    w.model_page.scratch_radio.setChecked(True)
    w.model_page.arch_combo.setCurrentIndex(w.model_page.arch_combo.findData("genecnn"))
    w.next()
    hp = w.hyper_page
    names = set(hp.options_form.fields)
    assert {"hidden_size", "train_dicodons"} <= names and not names & FINE_TUNE_ONLY
    hp.options_box.setChecked(True)
    hp.options_form.set_values({"train_dicodons": True})
    w.back()
    w.model_page.select_model("genecnn-ecoli")
    w.next()
    names = set(hp.options_form.fields)
    assert FINE_TUNE_ONLY | {"train_dicodons"} <= names and "hidden_size" not in names
    assert hp.options_form.values(only_changed=True) == {"train_dicodons": True}
