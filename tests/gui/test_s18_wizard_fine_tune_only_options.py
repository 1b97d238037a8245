"""The wizard's Advanced model options show what the run reads (session 18, H-left18): GeneORF from scratch without
the fine-tune's recipe, its options and own_rna (a run from scratch ignored them; the run now refuses them), a
fine-tune without hidden; going back to the Model page and switching between the two rebuilds the form (it was built
once per architecture: a fine-tune switched to from scratch offered no hidden) and keeps the options typed."""
from __future__ import annotations

from tests.gui.waits import fill_data_page


def test_the_option_form_follows_from_scratch_and_fine_tune(qtbot, wizard, data_dir):
    w = wizard
    fill_data_page(qtbot, w, data_dir / "engine_tiny.fa", data_dir / "engine_tiny.gff3")
    w.next()
    w.task_page.window_spin.setValue(300)
    w.next()
    w.model_page.scratch_radio.setChecked(True)
    w.model_page.arch_combo.setCurrentIndex(w.model_page.arch_combo.findData("geneorf"))
    w.next()
    assert w.currentId() == w.HYPERPARAMETERS
    hp = w.hyper_page
    names = set(hp.options_form.fields)
    assert {"hidden", "start_scorer"} <= names and not names & {"recipe", "margin", "anchor", "own_rna"}
    hp.options_box.setChecked(True)
    hp.options_form.set_values({"start_scorer": False})
    w.back()
    w.model_page.select_model("geneorf-bacteria")
    w.next()
    names = set(hp.options_form.fields)
    assert {"recipe", "margin", "own_rna", "start_scorer"} <= names and "hidden" not in names
    assert hp.options_form.values(only_changed=True) == {"start_scorer": False}
    w.back()
    w.model_page.scratch_radio.setChecked(True)
    w.model_page.arch_combo.setCurrentIndex(w.model_page.arch_combo.findData("geneorf"))
    w.next()
    assert "hidden" in hp.options_form.fields and "margin" not in hp.options_form.fields
