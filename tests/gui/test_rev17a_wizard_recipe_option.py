"""The wizard refuses a GeneORF option of another recipe on its Hyperparameters page, naming both (1d9591c said so for
the wizard but tested the CLI and spec files only; rev17a, session 17): anchor changed with recipe 'continue' keeps
the page, with the message; anchor back at its default lets it go on."""
from __future__ import annotations

from tests.gui.waits import fill_data_page


def test_an_option_of_another_recipe_is_refused_on_the_page(qtbot, wizard, data_dir):
    w = wizard
    fill_data_page(qtbot, w, data_dir / "engine_tiny.fa", data_dir / "engine_tiny.gff3")
    w.next()
    w.task_page.window_spin.setValue(300)
    w.next()
    w.model_page.select_model("geneorf-bacteria")
    w.next()
    assert w.currentId() == w.HYPERPARAMETERS
    hp = w.hyper_page
    hp.options_box.setChecked(True)
    hp.options_form.set_values({"recipe": "continue", "anchor": "adapt"})
    w.next()
    assert w.currentId() == w.HYPERPARAMETERS
    assert "option anchor applies only under recipe 'select'" in hp.error.text()
    assert "recipe is 'continue'" in hp.error.text() and 'its default, "soup_greedy"' in hp.error.text()
    hp.options_form.set_values({"anchor": "soup_greedy"})   # the default again: nothing of another recipe
    w.next()
    assert w.currentId() == w.REVIEW, hp.error.text()
