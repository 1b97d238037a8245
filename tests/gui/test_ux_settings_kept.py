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
    from genoview.core.store import Store
    from genoview.paths import user_data_dir

    assert str(Store(user_data_dir() / "genoview.db").cache_dir) in text   # the tracks, not only the database


def test_every_prediction_of_the_window_runs_on_the_kept_device(qtbot, open_example_window, monkeypatch):
    """The library's Predict and a re-predict ran on auto whatever the Predict dialog had kept (About says it is kept
    for the next prediction); an explicit choice still wins."""
    window = open_example_window()
    controller = window.predict_controller
    queued = []
    monkeypatch.setattr(controller.job_runner, "submit", queued.append)   # the device asked for, nothing run
    try:
        window.settings.device = "cpu"
        controller.predict("prodigal")   # as the library's "Predict with this model" calls it
        controller.predict("prodigal", device="auto")   # the dialog's own choice
        window.settings.device = ""
        controller.predict("prodigal")
        assert [job.context.params["device"] for job in queued] == ["cpu", "auto", "auto"]
        assert [job.context.params["device_kept"] for job in queued] == [True, False, True]
    finally:
        for job in queued:
            controller._jobs.pop(job.id, None)


def test_a_kept_device_this_machine_lacks_is_auto(monkeypatch):
    """GENOVIEW_SETTING_DEVICE=cuda (or a GPU gone) on a machine without one: the kept choice falls back to auto, as the
    Predict dialog does; a device asked for explicitly is passed on for the service to refuse in words."""
    import torch

    from genoview.gui.predict_controller import usable_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert usable_device("cuda", kept=True) is None and usable_device("cuda", kept=False) == "cuda"
    assert usable_device("cpu", kept=True) == "cpu" and usable_device("auto", kept=False) is None
