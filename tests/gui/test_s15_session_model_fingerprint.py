"""A session saved each track's model by name and folder: a library model renamed, then a new model made under the
old name, got the same folder, and reopening the session predicted the track again with the new model without a
word. Sessions now keep the model's fingerprint (library.model_fingerprint: the library's created time, a hash of
config.json, the weights' size) and leave such a track out with one message; sessions without it open as before."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from genoview.core.library import import_model, model_fingerprint, rename_model, same_model
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME

SHIPPED_CNN = Path(__file__).resolve().parents[2] / "models" / "genecnn-ecoli"


def _predict(qtbot, window, model):
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        window.predict_controller.predict(model, [window.session.seqid], None)


def _reopen(qtbot, window, path, monkeypatch, predicts=True):
    errors = []
    monkeypatch.setattr(window, "report_error", lambda title, message: errors.append((title, message)))
    if predicts:
        with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
            with qtbot.waitSignal(window.genome_loaded, timeout=20000):
                assert window.open_session(path)
    else:
        with qtbot.waitSignal(window.genome_loaded, timeout=20000):
            assert window.open_session(path)
    return errors


def _another_model(folder: Path) -> None:
    """The shipped CNN with another config.json and time: a different model, as a new training run makes."""
    shutil.copytree(SHIPPED_CNN, folder)
    config = json.loads((folder / "config.json").read_text())
    config["genoview_note"] = "trained again"
    (folder / "config.json").write_text(json.dumps(config))
    os.utime(folder / "config.json", (1_700_000_000, 1_700_000_000))


def test_fingerprint_tells_models_apart(tmp_path):
    shutil.copytree(SHIPPED_CNN, tmp_path / "same")
    _another_model(tmp_path / "other")
    saved = model_fingerprint(SHIPPED_CNN)
    assert saved["weights_bytes"] == (SHIPPED_CNN / "model.safetensors").stat().st_size and saved["created"]
    assert same_model(saved, model_fingerprint(tmp_path / "same"))   # a copy (the library's import) is the model
    assert not same_model(saved, model_fingerprint(tmp_path / "other"))
    assert same_model(None, model_fingerprint(tmp_path / "other"))   # an older session: nothing to compare


def test_same_model_restored_and_a_new_model_under_the_old_name_is_not_used(qtbot, tmp_path, open_example_window,
                                                                           monkeypatch):
    shutil.copytree(SHIPPED_CNN, tmp_path / "lab-cnn")
    name = import_model(tmp_path / "lab-cnn", "lab-cnn").name
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    _predict(qtbot, window, name)
    _predict(qtbot, window, "prodigal")
    path = tmp_path / "s.genoview.json"
    assert window.save_session(path)
    state = json.loads(path.read_text())
    saved = [t for t in state["tracks"] if t["model"] == name][0]
    assert saved["model_fingerprint"]["config_sha1"] and "model_fingerprint" not in state["tracks"][1]

    assert not _reopen(qtbot, window, path, monkeypatch)   # the same model: both tracks back, no message
    qtbot.waitUntil(lambda: sorted(t.model_name for t in window.session.tracks.values()) == sorted([name, "prodigal"]),
                    timeout=20000)

    rename_model(name, "lab-cnn-v2")
    _another_model(tmp_path / "new")
    assert import_model(tmp_path / "new", "lab-cnn").name == name   # the same folder as the session's model
    errors = _reopen(qtbot, window, path, monkeypatch)   # prodigal's track comes back
    assert len(errors) == 1 and errors[0][0] == "Model changed", errors
    message = errors[0][1]
    assert "s.genoview.json" in message and f"the model '{name}' created {saved['model_fingerprint']['created']}" \
        in message
    assert "another model, created 2023-11-14" in message and "'lab-cnn-v2'" in message
    assert "Tools ▸ Predict" in message and "import the old model" in message
    qtbot.wait(300)
    assert [t.model_name for t in window.session.tracks.values()] == ["prodigal"]   # not re-predicted with the new
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_a_session_without_fingerprints_opens_as_before(qtbot, tmp_path, open_example_window, monkeypatch):
    shutil.copytree(SHIPPED_CNN, tmp_path / "lab-cnn")
    name = import_model(tmp_path / "lab-cnn", "lab-cnn").name
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    _predict(qtbot, window, name)
    path = tmp_path / "s.genoview.json"
    assert window.save_session(path)
    state = json.loads(path.read_text())
    for track in state["tracks"]:
        del track["model_fingerprint"]   # a session saved before fingerprints
    path.write_text(json.dumps(state))
    rename_model(name, "lab-cnn-v2")
    _another_model(tmp_path / "new")
    import_model(tmp_path / "new", "lab-cnn")
    assert not _reopen(qtbot, window, path, monkeypatch)   # as before: the model of that name now
    qtbot.waitUntil(lambda: [t.model_name for t in window.session.tracks.values()] == [name], timeout=20000)
    window.runner.cancel_all()
    window.runner.wait(20000)
