"""ModelMetadata: the one owner of genoview.json (types checked, unknown keys kept, atomic save, old task names)."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.models.metadata import METADATA_FILE, SCHEMA_VERSION, ModelMetadata
from genoview.core.models.registry import Task


def test_missing_file_gives_defaults(tmp_path):
    meta = ModelMetadata.load(tmp_path)
    assert meta == ModelMetadata() and meta.task is None and meta.metrics == {} and not meta.default
    assert meta.threshold("genecnn") == 0.5 and meta.setting("kmer_bert", "frame_window") is None


def test_round_trip_keeps_unknown_keys_and_normalises_the_task(tmp_path):
    original = {"training": {"steps": 3}, "name": "m", "architecture": "kmer-bert", "task": "token-classification",
                "kmer_bert": {"threshold": 0.3, "frame_window": 61}, "rna_memory": {"k": 24}, "seed": 2,
                "data": {"valid": [{"seqid": "c", "start": 0, "end": 10}]}, "history": [{"step": 1}],
                "from_the_future": [1, 2]}
    (tmp_path / METADATA_FILE).write_text(json.dumps(original))
    meta = ModelMetadata.load(tmp_path)
    assert meta.task is Task.GENE_PROBABILITY and meta.name == "m" and meta.seed == 2
    assert meta.threshold("kmer_bert") == 0.3 and meta.setting("kmer_bert", "frame_window") == 61
    meta.save(tmp_path)
    saved = json.loads((tmp_path / METADATA_FILE).read_text())
    assert saved["task"] == "gene-probability" and saved["schema_version"] == SCHEMA_VERSION
    assert {k: v for k, v in saved.items() if k not in ("task", "schema_version")} == \
        {k: v for k, v in original.items() if k != "task"}
    assert ModelMetadata.load(tmp_path).to_dict() == saved


@pytest.mark.parametrize("text, match", [
    ("{not json", "genoview.json, line 1: not valid JSON"),
    ('{\n "name": "x",\n "seed": "one"\n}', 'genoview.json, line 3: "seed" is a string'),
    ('{\n "default": "yes"\n}', 'line 2: "default" is a string .* expected true or false'),
    ('{"metrics": [1, 2]}', '"metrics" is a list'),
    ('{"seed": true}', '"seed" is true/false'),
    ('{"task": "poetry"}', "\"task\" is 'poetry', which GenoView does not know"),
    ('["a"]', "line 1: expected a JSON object"),
    ('{"schema_version": 99}', "written by a newer GenoView"),
])
def test_bad_files_are_messages_naming_file_and_line(tmp_path, text, match):
    (tmp_path / METADATA_FILE).write_text(text)
    with pytest.raises(GenoViewInputError, match=match) as caught:
        ModelMetadata.load(tmp_path)
    assert caught.value.path == str(tmp_path / METADATA_FILE)
    assert "fix" in str(caught.value) or "update GenoView" in str(caught.value)


def test_bad_threshold_and_section(tmp_path):
    (tmp_path / METADATA_FILE).write_text('{\n "genecnn": {\n  "threshold": 1.5\n },\n "kmer_bert": 3\n}')
    meta = ModelMetadata.load(tmp_path)
    with pytest.raises(GenoViewInputError, match="genoview.json, line 3: .*between 0 and 1"):
        meta.threshold("genecnn")
    with pytest.raises(GenoViewInputError, match='"kmer_bert" is a number; expected an object'):
        meta.section("kmer_bert")


def test_update_checks_types_and_converts_numpy(tmp_path):
    meta = ModelMetadata.update_file(tmp_path, name="m", task="masked-lm", seed=np.int64(3),
                                     metrics={"test": {"mcc": np.float32(0.5)}}, genecnn={"threshold": 0.4},
                                     data={"regions": (1, 2)})
    assert meta.task is Task.MASKED_LANGUAGE_MODEL and meta.seed == 3
    saved = json.loads((tmp_path / METADATA_FILE).read_text())
    assert saved["task"] == "masked-language-model" and saved["genecnn"] == {"threshold": 0.4}
    assert saved["data"] == {"regions": [1, 2]} and saved["metrics"] == {"test": {"mcc": 0.5}}
    with pytest.raises(GenoViewInputError, match='"seed" is a string'):
        meta.update(seed="x")
    ModelMetadata.update_file(tmp_path, command=None, training={"steps": 1})
    again = ModelMetadata.load(tmp_path)
    assert again.command is None and again.training == {"steps": 1} and again.name == "m"


def test_save_is_atomic(tmp_path, monkeypatch):
    ModelMetadata(name="before").save(tmp_path)

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(GenoViewInputError, match="genoview.json: cannot be written \\(No space left on device\\)"):
        ModelMetadata(name="after").save(tmp_path)
    monkeypatch.undo()
    assert ModelMetadata.load(tmp_path).name == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == [METADATA_FILE]   # no temporary file left behind


def test_concurrent_saves_use_unique_temporary_names(tmp_path, monkeypatch):
    import tempfile

    names = []
    real = tempfile.mkstemp

    def spy(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        names.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    ModelMetadata(name="a").save(tmp_path)
    ModelMetadata(name="b").save(tmp_path)
    assert len(set(names)) == 2 and all(os.path.dirname(n) == str(tmp_path) for n in names)
    assert ModelMetadata.load(tmp_path).name == "b"


def test_concurrent_updates_all_land(tmp_path):
    import threading

    ModelMetadata(name="m").save(tmp_path)

    def writer(i: int) -> None:
        for j in range(10):
            ModelMetadata.update_file(tmp_path, **{f"w{i}_{j}": j})

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    meta = ModelMetadata.load(tmp_path)
    assert meta.name == "m" and len(meta.sections) == 40


def test_editing_saves_on_leaving_and_not_on_an_error(tmp_path):
    with ModelMetadata.editing(tmp_path) as meta:
        meta.section("genecnn")["threshold"] = 0.4
    assert ModelMetadata.load(tmp_path).threshold("genecnn") == 0.4
    with pytest.raises(RuntimeError):
        with ModelMetadata.editing(tmp_path) as meta:
            meta.section("genecnn")["threshold"] = 0.9
            raise RuntimeError("stop")
    assert ModelMetadata.load(tmp_path).threshold("genecnn") == 0.4



def test_a_read_only_model_folder_is_a_message(tmp_path, monkeypatch):
    import tempfile

    ModelMetadata(name="m").save(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(GenoViewInputError, match="cannot be written \\(Permission denied\\).*copy a shipped"):
        ModelMetadata.update_file(tmp_path, seed=1)
    with pytest.raises(GenoViewInputError, match="cannot be opened"):
        ModelMetadata.update_file(tmp_path / "gone", seed=1)


def test_recorded_regions_are_checked(tmp_path):
    meta = ModelMetadata(data={"valid": [{"seqid": "c", "start": 5, "end": 9}], "test": [{"seqid": "c", "start": "x"}]})
    assert meta.regions("valid") == [("c", 5, 9)] and meta.regions("train") == []
    with pytest.raises(GenoViewInputError, match='"data": {"test": \\[...\\]} holds .*"start": N'):
        meta.regions("test")


def test_lines_point_at_the_top_level_key_not_a_nested_one(tmp_path):
    from genoview.core.models.metadata import json_key_line

    text = '{\n "training": {"seed": 1, "x": [{"seed": 2}]},\n "seed": "one",\n "genecnn": {\n  "threshold": 7}\n}'
    assert json_key_line(text, "seed") == 3 and json_key_line(text, "genecnn", "threshold") == 5
    assert json_key_line(text, "training", "threshold") is None and json_key_line(text, "seed", "x") is None
    (tmp_path / METADATA_FILE).write_text(text)
    with pytest.raises(GenoViewInputError, match='genoview.json, line 3: "seed" is a string'):
        ModelMetadata.load(tmp_path)
