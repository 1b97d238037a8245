"""The model registry: name resolution, dispatch by the MODEL_TYPES table, tasks, broken folders, clear errors."""
from __future__ import annotations

import json
import sqlite3
import struct
import subprocess
import sys
import types

import pytest

from genoview import paths
from genoview.cli import main as cli_main
from genoview.core.errors import GenoViewInputError
from genoview.core.models import (
    MODEL_TYPES, ModelType, Task, TrackModel, default_model_name, list_models, load_model, register_model_type,
)
from genoview.core.models.registry import normalize_task, parse_task


class FakeTrackModel(TrackModel):
    def __init__(self, path, device, kind):
        self.path, self.device, self.kind = path, device, kind
        self.name, self.info = path.name, {}


def safetensors_bytes(n_floats: int = 2) -> bytes:
    """A valid safetensors file with one float32 tensor."""
    header = json.dumps({"w": {"dtype": "F32", "shape": [n_floats], "data_offsets": [0, 4 * n_floats]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\0" * (4 * n_floats)


def make_model_dir(root, name, model_type="fake-track", meta=None, weights=True, config=None):
    directory = root / name
    directory.mkdir(parents=True)
    (directory / "config.json").write_text(json.dumps({"model_type": model_type, **(config or {})}))
    if weights:
        (directory / "model.safetensors").write_bytes(safetensors_bytes())
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
def fake_types(monkeypatch):
    """Two architectures registered at run time, as a plug-in would: nothing in the dispatch code knows them."""
    track = types.ModuleType("fake_track_arch")
    track.load = lambda directory, *, device, task: FakeTrackModel(directory, device, "track")
    lm = types.ModuleType("fake_lm_arch")
    lm.load = lambda directory, *, device, task: types.SimpleNamespace(kind="lm", task=task, path=directory)
    monkeypatch.setitem(sys.modules, "fake_track_arch", track)
    monkeypatch.setitem(sys.modules, "fake_lm_arch", lm)
    register_model_type("fake-track", ModelType(module="fake_track_arch", architecture="faketrack",
                                                tasks=(Task.GENE_PROBABILITY,)))
    register_model_type("fake-lm", ModelType(module="fake_lm_arch", architecture="fakelm",
                                             tasks=(Task.LANGUAGE_MODEL,)))
    yield
    del MODEL_TYPES["fake-track"], MODEL_TYPES["fake-lm"]


def test_task_names_normalise():
    assert normalize_task("gene-track") is Task.GENE_PROBABILITY
    assert normalize_task("token-classification") is Task.GENE_PROBABILITY
    assert normalize_task("masked-lm") is Task.MASKED_LANGUAGE_MODEL
    assert normalize_task("Language-Model") is Task.LANGUAGE_MODEL
    assert normalize_task("poetry") is None
    with pytest.raises(GenoViewInputError, match="unknown task 'poetry'"):
        parse_task("poetry")
    assert json.dumps(Task.GENE_PROBABILITY) == '"gene-probability"' and str(Task.LANGUAGE_MODEL) == "language-model"


def test_resolution_order_and_dispatch(shipped, fake_types, tmp_path):
    make_model_dir(shipped, "genecnn-ecoli")
    make_model_dir(paths.model_library_dir(), "genecnn-ecoli", model_type="fake-lm")
    make_model_dir(paths.model_library_dir(), "my-lm", model_type="fake-lm")
    local = make_model_dir(tmp_path / "elsewhere", "local-cnn")

    assert load_model("prodigal").name == "prodigal"
    model = load_model("genecnn-ecoli", device="cpu")
    assert model.kind == "track" and model.path == shipped / "genecnn-ecoli" and model.device == "cpu"
    lm = load_model("my-lm", task=None, device="cpu")   # None: the model's own task
    assert lm.kind == "lm" and lm.task is Task.LANGUAGE_MODEL
    assert load_model(str(local), device="cpu").path == local.resolve()


def test_task_is_checked(shipped, fake_types):
    make_model_dir(shipped, "cnn")
    make_model_dir(shipped, "lm", model_type="fake-lm")
    assert load_model("cnn", task="gene-probability", device="cpu").kind == "track"
    assert load_model("lm", task=Task.LANGUAGE_MODEL, device="cpu").kind == "lm"
    with pytest.raises(GenoViewInputError, match="lm is a language-model model, but a gene-probability model is needed"):
        load_model("lm")   # gene-probability unless asked otherwise: track code never gets a language model
    with pytest.raises(GenoViewInputError, match="cnn is a gene-probability model"):
        load_model("cnn", task="masked-language-model")
    with pytest.raises(GenoViewInputError, match="prodigal is a gene-probability model"):
        load_model("prodigal", task=Task.LANGUAGE_MODEL)
    # genoview.json's task (an old name) decides over the row's first task
    make_model_dir(shipped, "old", meta={"task": "gene-track"})
    assert [m.task for m in list_models() if m.name == "old"] == ["gene-probability"]


def test_a_task_can_have_its_own_module(tmp_path, fake_types, monkeypatch):
    scorer = types.ModuleType("fake_mlm_scoring")
    scorer.load = lambda directory, *, device, task: types.SimpleNamespace(kind="scorer", task=task)
    monkeypatch.setitem(sys.modules, "fake_mlm_scoring", scorer)
    monkeypatch.setitem(MODEL_TYPES, "fake-bert", ModelType(
        module="fake_track_arch", architecture="fakebert", tasks=(Task.GENE_PROBABILITY, Task.MASKED_LANGUAGE_MODEL),
        head_tasks={"FakeForMaskedLM": Task.MASKED_LANGUAGE_MODEL},
        task_modules={Task.MASKED_LANGUAGE_MODEL: "fake_mlm_scoring"}))
    gene = make_model_dir(tmp_path, "gene", model_type="fake-bert", config={"architectures": ["FakeForTokens"]})
    mlm = make_model_dir(tmp_path, "mlm", model_type="fake-bert", config={"architectures": ["FakeForMaskedLM"]})
    assert load_model(str(gene), device="cpu").kind == "track"
    assert load_model(str(mlm), task="masked-language-model", device="cpu").kind == "scorer"


def test_a_registered_module_that_is_missing_is_a_message(tmp_path, monkeypatch):
    monkeypatch.setitem(MODEL_TYPES, "not-built", ModelType(module="genoview.core.models.not_built_yet",
                                                            architecture="nb", tasks=(Task.LANGUAGE_MODEL,)))
    directory = make_model_dir(tmp_path, "nb", model_type="not-built")
    with pytest.raises(GenoViewInputError, match=r"nb: the nb model could not be loaded \(ModuleNotFoundError"):
        load_model(str(directory), task="language-model", device="cpu")


def test_clear_errors(shipped, fake_types, tmp_path):
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
    with pytest.raises(GenoViewInputError, match="config.json, line 1: .*'llama'.*supported model types"):
        load_model(str(other), device="cpu")
    untyped = make_model_dir(tmp_path, "untyped", model_type=None)
    with pytest.raises(GenoViewInputError, match="no \"model_type\""):
        load_model(str(untyped))
    garbage_config = make_model_dir(tmp_path, "garbage-config")
    (garbage_config / "config.json").write_text('{\n  "model_type": "fake-track",\n  oops\n}')
    with pytest.raises(GenoViewInputError, match="config.json, line 3: not valid JSON"):
        load_model(str(garbage_config))
    broken = make_model_dir(tmp_path, "broken-meta")
    (broken / "genoview.json").write_text("{not json")
    with pytest.raises(GenoViewInputError, match="genoview.json, line 1: not valid JSON"):
        load_model(str(broken))


def test_damaged_weights(tmp_path, fake_types):
    truncated = make_model_dir(tmp_path, "truncated")
    (truncated / "model.safetensors").write_bytes(safetensors_bytes(100)[:-50])
    with pytest.raises(GenoViewInputError, match="model.safetensors: is truncated: .*copy the weights again"):
        load_model(str(truncated))
    tiny = make_model_dir(tmp_path, "tiny")
    (tiny / "model.safetensors").write_bytes(b"\x01\x02")
    with pytest.raises(GenoViewInputError, match="is truncated"):
        load_model(str(tiny))
    noise = make_model_dir(tmp_path, "noise")
    (noise / "model.safetensors").write_bytes(struct.pack("<Q", 5) + b"hello" + b"\0" * 10)
    with pytest.raises(GenoViewInputError, match="not a safetensors file"):
        load_model(str(noise))
    sharded = make_model_dir(tmp_path, "sharded", weights=False)
    (sharded / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"w": "part-1.safetensors"}}))
    with pytest.raises(GenoViewInputError, match="part-1.safetensors, which is missing"):
        load_model(str(sharded))
    (sharded / "part-1.safetensors").write_bytes(safetensors_bytes())
    assert load_model(str(sharded), device="cpu").kind == "track"


def test_pickle_only_weights_are_refused_except_for_dnabert(tmp_path, fake_types):
    pickled = make_model_dir(tmp_path, "pickled", weights=False)
    (pickled / "pytorch_model.bin").write_bytes(b"not read")
    with pytest.raises(GenoViewInputError, match="pytorch_model.bin: holds only pickled weights.*never unpickles"):
        load_model(str(pickled))
    # a BERT directory whose vocab.txt is not a k-mer vocabulary is refused by the k-mer BERT hook
    bert = make_model_dir(tmp_path, "plain-bert", model_type="bert", weights=False)
    (bert / "pytorch_model.bin").write_bytes(b"not read")
    (bert / "vocab.txt").write_text("[PAD]\nhello\n")
    with pytest.raises(GenoViewInputError, match="vocab.txt: .*not a DNABERT k-mer vocabulary"):
        load_model(str(bert), device="cpu")


def test_a_hook_failure_becomes_a_message(tmp_path, fake_types, monkeypatch):
    def explode(directory, *, device, task):
        raise RuntimeError("size mismatch for w")

    monkeypatch.setattr(sys.modules["fake_track_arch"], "load", explode)
    directory = make_model_dir(tmp_path, "mismatch")
    with pytest.raises(GenoViewInputError, match=r"config.json: does not match the weights .*size mismatch"):
        load_model(str(directory))
    monkeypatch.setattr(sys.modules["fake_track_arch"], "load", lambda directory, *, device, task: {}["w"])
    with pytest.raises(GenoViewInputError, match=r"mismatch: the faketrack model could not be loaded \(KeyError: 'w'\)"):
        load_model(str(directory))


def test_wrong_config_types_name_the_line(tmp_path):
    directory = make_model_dir(tmp_path, "cnn", model_type="genoview-genecnn")
    (directory / "config.json").write_text('{\n "model_type": "genoview-genecnn",\n "hidden_size": "big"\n}')
    with pytest.raises(GenoViewInputError, match=r'config.json, line 3: "hidden_size" is "big", expected an integer'):
        load_model(str(directory), device="cpu")


def test_a_bad_stored_threshold_names_the_metadata_line(tmp_path):
    directory = make_model_dir(tmp_path, "cnn", model_type="genoview-genecnn")
    (directory / "genoview.json").write_text('{\n "name": "cnn",\n "genecnn": {"threshold": 2}\n}')
    with pytest.raises(GenoViewInputError, match="genoview.json, line 3: .*must be a number between 0 and 1"):
        load_model(str(directory), device="cpu")


def test_list_models_and_the_one_default(shipped, fake_types):
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
        "task": "gene-probability", "default": False, "metrics": {"mcc": 0.7}, "description": "", "broken": None}
    assert infos["prodigal"].architecture == "pyrodigal"
    (paths.model_library_dir() / "mine" / "genoview.json").write_text(json.dumps({"default": True}))
    assert default_model_name() == "mine"
    # a language model marked default is never the default for gene prediction
    make_model_dir(shipped, "a-lm", model_type="fake-lm", meta={"default": True})
    assert default_model_name() == "mine"
    assert [m.name for m in list_models(task="language-model")] == ["a-lm"]
    assert "a-lm" not in [m.name for m in list_models(task=Task.GENE_PROBABILITY)]


def test_a_broken_folder_does_not_break_listing_or_the_default(shipped, fake_types):
    make_model_dir(shipped, "genecnn-ecoli", meta={"default": True})
    garbage = make_model_dir(shipped, "aaa-garbage-meta")
    (garbage / "genoview.json").write_text("{not json")
    truncated = make_model_dir(shipped, "bbb-truncated")
    (truncated / "model.safetensors").write_bytes(safetensors_bytes()[:-3])
    make_model_dir(shipped, "ccc-wrong-type", meta={"default": "yes", "metrics": [1]})
    make_model_dir(shipped, "ddd-bad-config", model_type="genoview-genecnn", config={"separable": "no"})
    make_model_dir(shipped, "eee-bad-bert", model_type="bert", config={"hidden_dropout_prob": "high"})
    infos = {m.name: m for m in list_models()}
    assert 'config.json, line 1: "separable" is "no", expected true or false' in infos["ddd-bad-config"].broken
    assert '"hidden_dropout_prob" is "high", expected a number' in infos["eee-bad-bert"].broken
    assert "genoview.json, line 1: not valid JSON" in infos["aaa-garbage-meta"].broken
    assert "is truncated" in infos["bbb-truncated"].broken
    assert '"default" is a string' in infos["ccc-wrong-type"].broken
    assert not infos["genecnn-ecoli"].broken and default_model_name() == "genecnn-ecoli"
    # what a broken folder's readable files say is kept, so filtering by task still shows it
    assert (infos["bbb-truncated"].architecture, infos["bbb-truncated"].task) == ("faketrack", "gene-probability")
    assert "bbb-truncated" in [m.name for m in list_models(task="gene-probability")]
    # a broken folder marked default is passed over
    (truncated / "genoview.json").write_text(json.dumps({"default": True}))
    assert default_model_name() == "genecnn-ecoli"


def test_models_command_lists_broken_folders_and_filters_by_task(shipped, fake_types, capsys):
    make_model_dir(shipped, "genecnn-ecoli", meta={"architecture": "genecnn", "metrics": {"test": {"mcc": 0.81}}})
    make_model_dir(shipped, "lm", model_type="fake-lm", meta={"task": "language-model",
                                                               "metrics": {"test": {"perplexity": 3.91}}})
    garbage = make_model_dir(shipped, "garbage")
    (garbage / "genoview.json").write_text("[]")
    assert cli_main(["models", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"genecnn-ecoli", "lm", "garbage", "prodigal"}
    assert rows["garbage"]["broken"].endswith("fix or delete the file") and rows["genecnn-ecoli"]["default"]
    assert cli_main(["models", "--task", "language-model", "--json"]) == 0
    assert [row["name"] for row in json.loads(capsys.readouterr().out)] == ["lm"]
    assert cli_main(["models"]) == 0
    out = capsys.readouterr().out
    assert "* genecnn-ecoli" in out and "0.8100" in out and "broken" in out and "garbage" in out
    assert "perplexity" in out.splitlines()[0] and "3.9100" in out
    assert cli_main(["models", "--task", "poetry"]) == 2
    assert "unknown task 'poetry'" in capsys.readouterr().err


def test_locked_database_is_a_message(shipped, monkeypatch, capsys):
    from genoview.core import store

    class Locked:
        def library_models(self):
            raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "open_store", lambda: Locked())
    with pytest.raises(GenoViewInputError, match="genoview.db: the model library database is locked"):
        list_models()
    assert cli_main(["models"]) == 2
    assert "locked by another GenoView process" in capsys.readouterr().err


def test_config_types_come_from_the_config_class_source():
    from genoview.core.models.checks import source_kinds

    bert = source_kinds("transformers.models.bert.configuration_bert:BertConfig")
    assert bert["hidden_size"] == {"integer"} and bert["eos_token_id"] == {"integer", "list", "null"}
    assert bert["hidden_dropout_prob"] >= {"number"}
    genecnn = source_kinds(MODEL_TYPES["genoview-genecnn"].config_class)
    assert genecnn["dilations"] == {"list", "null"} and genecnn["separable"] == {"boolean"}
    assert source_kinds("no_such_package.module:Config") == {}


def test_the_shipped_models_pass_the_checks():
    from genoview.core.models import inspect_model_dir

    for directory in sorted(paths.SHIPPED_MODELS_DIR.iterdir()):
        if (directory / "config.json").is_file():
            inspect_model_dir(directory)


def test_importing_the_registry_stays_light():
    code = ("import sys, genoview.core.models; genoview.core.models.list_models(); "
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_training_reads_the_same_names():
    from genoview.core.models.registry import trainable_architectures
    from genoview.core.training.architectures import architecture_names

    assert set(trainable_architectures()) <= set(architecture_names())
    assert {"genecnn", "kmer-bert"} <= set(architecture_names())
    assert {row.architecture for row in MODEL_TYPES.values()} >= {"genecnn", "kmer-bert"}
    from genoview.core.training.architectures import Architecture, register_architecture

    with pytest.raises(ValueError, match="'cnn2' has no row in genoview.core.models.registry.MODEL_TYPES"):
        register_architecture(Architecture(name="cnn2", description="a second name", prepare=lambda *a: None))


def test_registered_folders_join_the_library(shipped, fake_types, tmp_path):
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


def test_the_shipped_default_gene_model_is_geneorf_bacteria():
    """Without a model marked default, `genoview predict` uses GeneORF (issue 12: genomes it never saw)."""
    from genoview.core import models

    assert models.PREFERRED_DEFAULT == "geneorf-bacteria"
    if (paths.SHIPPED_MODELS_DIR / "geneorf-bacteria" / "config.json").is_file():
        assert default_model_name() == "geneorf-bacteria"
