"""rev16d (session 16): on the shipped example genome the Data page fits GeneCNN's window to 2,700 bases (its 7 kb
validation stretch holds no 4,000-base window with context), but the Fast CPU preset then put its own 4,000 into the
spec: walked under Xvfb, the run started and ended at once ('the validation part holds no whole window ...', exit 2).
A preset now keeps the fitted window (and says so); a window the user set on the Task page is theirs."""
from __future__ import annotations

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.wizard import TrainingWizard
from tests.gui.waits import fill_data_page


def test_the_fast_cpu_preset_keeps_the_window_fitted_to_the_example_genome(qtbot):
    w = TrainingWizard()
    w.ask_before_closing = False
    w.remember_settings = False
    qtbot.addWidget(w)
    page = fill_data_page(qtbot, w, EXAMPLE_GENOME, EXAMPLE_ANNOTATION,
                          until=lambda page: page.preview is not None and page.preview["window"] == 2700)
    w.next()
    w.next()
    qtbot.waitUntil(lambda: w.model_page.loaded, timeout=60000)
    w.model_page.scratch_radio.setChecked(True)
    w.model_page.arch_combo.setCurrentIndex(w.model_page.arch_combo.findData("genecnn"))
    w.next()
    hp = w.hyper_page
    hp.apply_preset("Fast CPU")
    assert w.values["window"] == 2700
    assert "window stays 2,700 bases" in hp.preset_help.text()
    assert w.spec_from(w.values).window == 2700   # what Start training runs
    w.back()
    w.back()
    w.task_page.window_spin.setValue(2000)   # the user's own window: no fit is kept for it (the preset's 4,000 goes)
    w.next()
    w.next()
    hp.apply_preset("Fast CPU")
    assert "window stays" not in hp.preset_help.text()
