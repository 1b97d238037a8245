"""The model registry: name resolution order, dispatch by config.json, clear errors, the one default."""
from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest

from genoview import paths
from genoview.core.errors import GenoViewInputError
from genoview.core.models import TrackModel, default_model_name, list_models, load_model


class FakeTrackModel(TrackModel):
    def __init__(self, path, device, kind):
        self.path, self.device, self.kind = path, device, kind
        self.name, self.info = path.name, {}


def make_model_dir(root, name, model_type="genoview-genecnn", meta=None, weights=True):
    directory = root / name
    directory.mkdir(parents=True)
    (directory / "config.json").write_text(json.dumps({"model_type": model_type}))
    if weights:
        (directory / "model.safetensors").write_bytes(b"\0")
    if meta is not None:
        (directory / "genoview.json").write_text(json.dumps(meta))
    return directory


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    root = tmp_path / "shipped"
    root.mkdir()
    monkeypatch.setattr(paths, "SHIPPED_MODELS_DIR", root)
    return root


@pytest.fixture
def fake_architectures(monkeypatch):
    genecnn = types.ModuleType("genoview.core.models.genecnn")
    genecnn.MODEL_TYPE = "genoview-genecnn"
    genecnn.load_track_model = lambda path, device: FakeTrackModel(path, device, "genecnn")
    kmer_bert = types.ModuleType("genoview.core.models.kmer_bert")
    kmer_bert.is_kmer_bert_dir = lambda path: json.loads((path / "config.json").read_text())["model_type"] == "genoview-kmer-bert"
    kmer_bert.load_track_model = lambda path, device: FakeTrackModel(path, device, "kmer-bert")
    monkeypatch.setitem(sys.modules, "genoview.core.models.genecnn", genecnn)
    monkeypatch.setitem(sys.modules, "genoview.core.models.kmer_bert", kmer_bert)


def test_resolution_order_and_dispatch(shipped, fake_architectures, tmp_path):
    make_model_dir(shipped, "genecnn-ecoli")
    make_model_dir(paths.model_library_dir(), "genecnn-ecoli", model_type="genoview-kmer-bert")
    make_model_dir(paths.model_library_dir(), "my-bert", model_type="genoview-kmer-bert")
    local = make_model_dir(tmp_path / "elsewhere", "local-cnn")

    assert load_model("prodigal").name == "prodigal"
    model = load_model("genecnn-ecoli", device="cpu")
    assert model.kind == "genecnn" and model.path == shipped / "genecnn-ecoli" and model.device == "cpu"
    assert load_model("my-bert", device="cpu").kind == "kmer-bert"
    assert load_model(str(local), device="cpu").path == local.resolve()


def test_clear_errors(shipped, fake_architectures, tmp_path):
    make_model_dir(shipped, "genecnn-ecoli")
    with pytest.raises(GenoViewInputError, match="available models: prodigal, genecnn-ecoli"):
        load_model("no-such-model")
    (tmp_path / "empty").mkdir()
    with pytest.raises(GenoViewInputError, match="no config.json"):
        load_model(str(tmp_path / "empty"))
    no_weights = make_model_dir(tmp_path, "no-weights", weights=False)
    with pytest.raises(GenoViewInputError, match="no model.safetensors"):
        load_model(str(no_weights))
    other = make_model_dir(tmp_path, "other", model_type="llama")
    with pytest.raises(GenoViewInputError, match="'llama'"):
        load_model(str(other), device="cpu")
    broken = make_model_dir(shipped, "broken-meta")
    (broken / "genoview.json").write_text("{not json")
    with pytest.raises(GenoViewInputError, match="genoview.json, line 1"):
        list_models()


def test_list_models_and_the_one_default(shipped):
    assert [(m.name, m.default) for m in list_models()] == [("prodigal", True)]
    make_model_dir(shipped, "kmer-bert-ecoli", meta={"architecture": "kmer-bert", "task": "gene-track",
                                                     "metrics": {"mcc": 0.7}})
    assert default_model_name() == "kmer-bert-ecoli"
    make_model_dir(shipped, "genecnn-ecoli", meta={"architecture": "genecnn", "metrics": {"mcc": 0.8}})
    make_model_dir(paths.model_library_dir(), "mine", meta={"architecture": "genecnn"})
    infos = {m.name: m for m in list_models()}
    assert list(infos) == ["genecnn-ecoli", "kmer-bert-ecoli", "mine", "prodigal"]
    assert [m.name for m in infos.values() if m.default] == ["genecnn-ecoli"]
    assert infos["kmer-bert-ecoli"].to_json() == {
        "name": "kmer-bert-ecoli", "path": str(shipped / "kmer-bert-ecoli"), "architecture": "kmer-bert",
        "task": "gene-track", "default": False, "metrics": {"mcc": 0.7}}
    assert infos["prodigal"].architecture == "pyrodigal"
    (paths.model_library_dir() / "mine" / "genoview.json").write_text(json.dumps({"default": True}))
    assert default_model_name() == "mine"


def test_importing_the_registry_stays_light():
    code = ("import sys, genoview.core.models; genoview.core.models.list_models(); "
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_registered_folders_join_the_library(shipped, fake_architectures, tmp_path):
    from genoview.core.models import register_model_dir

    outside = make_model_dir(tmp_path / "projects", "field-model", meta={"architecture": "genecnn"})
    info = register_model_dir(outside, name="field")
    assert (info.name, info.architecture) == ("field", "genecnn")
    assert "field" in [m.name for m in list_models()]
    assert load_model("field", device="cpu").path == outside
    make_model_dir(shipped, "genecnn-ecoli")
    with pytest.raises(GenoViewInputError, match="already used"):
        register_model_dir(outside, name="genecnn-ecoli")
    with pytest.raises(GenoViewInputError, match="no config.json"):
        register_model_dir(tmp_path)
    import shutil

    shutil.rmtree(outside)   # a registered folder that was deleted is no longer offered
    assert "field" not in [m.name for m in list_models()]
