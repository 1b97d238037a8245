"""The library does not delete or rename a model while a prediction with it is running (H-walk19 under Xvfb: my-cnn
deleted from the library as it predicted the example genome; the delete went through and the prediction ended
'Gene calls failed: no model named my-cnn and no such directory', its track left without a model). It says why."""
from __future__ import annotations

from pathlib import Path

from genoview.core.library import import_model
from genoview.paths import SHIPPED_MODELS_DIR


def test_a_model_predicting_is_not_deleted_or_renamed_until_it_ends(qtbot, open_example_window):
    target = Path(import_model(str(SHIPPED_MODELS_DIR / "genecnn-ecoli"), "my-cnn"))
    window = open_example_window()
    library = window.open_model_library()
    library.quiet = True
    qtbot.waitUntil(lambda: library.loaded and library.select("my-cnn"), timeout=60000)
    job = window.predict_controller.predict("my-cnn")
    assert job is not None
    library.delete("my-cnn")
    assert library.message.text().count("my-cnn is not deleted: a prediction with it is running")
    library.rename("my-cnn", "other")
    assert "my-cnn is not renamed: a prediction with it is running" in library.message.text()
    assert target.is_dir()
    qtbot.waitUntil(lambda: not window.predict_controller.busy, timeout=120000)
    assert job.state == "done", job.state
    library.delete("my-cnn")
    qtbot.waitUntil(lambda: "Deleted my-cnn." in library.message.text(), timeout=30000)
    assert not target.exists()
