"""Settings as a biologist looks for them: the Predict dialog's device went back to "auto" every time (Help ▸ About
said to set it there), and nothing in the window said where the models, the prediction cache and the settings are."""
from __future__ import annotations

from genoview.gui.dialogs.predict import PredictDialog
from genoview.paths import model_library_dir
from genoview.settings import Settings


def test_the_device_chosen_is_offered_next_time(qtbot, session):
    settings = Settings()
    dialog = PredictDialog(None, session, settings)
    qtbot.addWidget(dialog)
    assert dialog.device_combo.currentText() == "auto"
    dialog.device_combo.setCurrentText("cpu")
    dialog.remember_model()
    assert settings.device == "cpu"
    again = PredictDialog(None, session, settings)
    qtbot.addWidget(again)
    assert again.device_combo.currentText() == "cpu"


def test_about_says_where_things_are_kept(qtbot, open_example_window):
    text = open_example_window().about_text()
    assert str(model_library_dir()) in text and "genoview.db" in text and "GENOVIEW_HOME" in text
