"""A language model selected in the library: "Use in Real vs mutated" (or a double click) opens that panel with the
model filled in; Predict stayed grey with only a tooltip, a dead end."""
from __future__ import annotations

import pytest

from genoview.paths import SHIPPED_MODELS_DIR


def test_language_model_goes_to_real_vs_mutated(qtbot):
    if not (SHIPPED_MODELS_DIR / "kn-human-genes").is_dir():
        pytest.skip("shipped language model kn-human-genes not present")
    from genoview.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    library = window.open_model_library()
    library.quiet = True
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    assert library.select("kn-human-genes")
    assert library.use_lm_action.isVisible() and library.use_lm_action.isEnabled()
    assert not library.predict_action.isEnabled()
    library.use_lm_action.trigger()
    panel = window.mutation_panel
    assert panel.isVisible() and panel.lm_names.text() == "kn-human-genes"
    assert "Real vs mutated scores with kn-human-genes" in window.statusBar().currentMessage()
    if (SHIPPED_MODELS_DIR / "genecnn-ecoli").is_dir():
        library.select("genecnn-ecoli")
        assert not library.use_lm_action.isVisible() and library.predict_action.isEnabled()
    library.close()
    window.close()
