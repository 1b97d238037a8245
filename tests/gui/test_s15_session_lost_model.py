"""A session whose model GenoView no longer has (renamed or deleted in the library, or a session from another
computer): reopening it said "Prediction failed: no model named 'x' ..., available models: <19 names>" per track and
dropped the track without saying it was the session's; now one message names the tracks and their model and what to
do, the rest of the session opens, and a model the session saved from a folder is read from that folder."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from genoview.core.library import import_model, rename_model
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME

SHIPPED_CNN = Path(__file__).resolve().parents[2] / "models" / "genecnn-ecoli"


def _predict(qtbot, window, model):
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        window.predict_controller.predict(model, [window.session.seqid], None)


def test_a_renamed_model_is_named_and_the_rest_opens(qtbot, tmp_path, open_example_window, monkeypatch):
    shutil.copytree(SHIPPED_CNN, tmp_path / "lab-cnn")
    name = import_model(tmp_path / "lab-cnn", "lab-cnn").name
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    _predict(qtbot, window, name)
    _predict(qtbot, window, "prodigal")
    path = tmp_path / "s.genoview.json"
    assert window.save_session(path)
    rename_model(name, "lab-cnn-v2")
    errors = []
    monkeypatch.setattr(window, "report_error", lambda title, message: errors.append((title, message)))
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):   # prodigal's track comes back
        with qtbot.waitSignal(window.genome_loaded, timeout=20000):
            assert window.open_session(path)
    assert len(errors) == 1 and errors[0][0] == "Model not found"
    assert f"with the model '{name}'" in errors[0][1] and "s.genoview.json" in errors[0][1]
    assert "Import the model" in errors[0][1] and "Tools ▸ Predict" in errors[0][1]
    assert [t.model_name for t in window.session.tracks.values()] == ["prodigal"]
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_a_model_gone_from_the_library_is_read_from_its_saved_folder(qtbot, tmp_path, open_example_window,
                                                                     monkeypatch):
    folder = tmp_path / "lab" / "cnn"
    shutil.copytree(SHIPPED_CNN, folder)
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    _predict(qtbot, window, str(folder))
    path = tmp_path / "s.genoview.json"
    assert window.save_session(path)
    state = json.loads(path.read_text())
    assert state["tracks"][0]["model_path"] == str(folder)
    state["tracks"][0]["model"] = "cnn-registered-once"   # a name this GenoView does not know
    state["tracks"][0]["label"] = "my CNN"
    path.write_text(json.dumps(state))
    errors = []
    monkeypatch.setattr(window, "report_error", lambda title, message: errors.append((title, message)))
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        with qtbot.waitSignal(window.genome_loaded, timeout=20000):
            assert window.open_session(path)
    qtbot.waitUntil(lambda: [t.label for t in window.session.tracks.values()] == ["my CNN"], timeout=10000)
    assert not errors
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_a_name_that_now_stands_for_another_folder_is_not_used_silently(tmp_path):
    # the session's model was saved from one folder; its name now stands for another (a model registered since
    # under that name, or the shipped one): the track was predicted again with that other model, without a word
    from genoview.gui.session_file import TrackState, model_folder, usable_model

    folder = tmp_path / "lab" / "genecnn-ecoli"
    shutil.copytree(SHIPPED_CNN, folder)
    saved = TrackState("genecnn-ecoli", "chrEx", [(0, 100)], "genecnn-ecoli", "#1f77b4", True, str(folder))
    assert model_folder("genecnn-ecoli") != str(folder)
    assert usable_model(saved) == str(folder)   # the model that made the track
    same = TrackState("genecnn-ecoli", "chrEx", [(0, 100)], "genecnn-ecoli", "#1f77b4", True,
                      model_folder("genecnn-ecoli"))
    assert usable_model(same) == "genecnn-ecoli"   # the name's own folder: the name, as before
    shutil.rmtree(folder)
    assert usable_model(saved) == "genecnn-ecoli"   # the saved folder gone: the name (nothing else to go by)
