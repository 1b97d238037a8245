"""The SQLite store: migrations from older schema versions, runs and metrics, atomic prediction cache."""
from __future__ import annotations

import os
import sqlite3
import threading

import numpy as np
import pytest

from genoview import paths
from genoview.core import store as store_module
from genoview.core.errors import GenoViewInputError
from genoview.core.store import MIGRATIONS, SCHEMA_VERSION, Store, open_store, prediction_key
from genoview.core.tracks import round_trip


class FakeRecord:
    def __init__(self, seqid: str, text: str):
        self.id, self.length = seqid, len(text)
        self._codes = np.frombuffer(text.encode(), dtype=np.uint8)

    def fetch(self, start, end):
        return self._codes[start:end]


class FakeModel:
    def __init__(self, name="fake", path=None):
        self.name, self.path, self.info = name, path, {"version": "1"}


def _tables(db_path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    return tables


def test_new_store_has_current_schema_in_user_data_dir():
    store = open_store()
    assert store.path == paths.user_data_dir() / "genoview.db"
    assert store.schema_version() == SCHEMA_VERSION
    assert {"models", "runs", "metrics", "predictions"} <= _tables(store.path)
    assert open_store() is store


def test_migrates_a_version_1_database_keeping_its_rows(tmp_path):
    db_path = tmp_path / "old.db"
    conn = sqlite3.connect(db_path)
    import sqlite_utils

    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO runs (kind, model, params, status, started) VALUES ('training', 'm', '{}', 'finished', 'x')")
    conn.commit()
    conn.close()
    assert "predictions" not in _tables(db_path)

    store = Store(db_path)
    assert store.schema_version() == SCHEMA_VERSION
    assert "predictions" in _tables(db_path)
    assert [run["model"] for run in store.runs()] == ["m"]
    Store(db_path)   # opening again applies nothing twice
    assert store.schema_version() == SCHEMA_VERSION


def test_refuses_a_database_from_a_newer_genoview(tmp_path):
    db_path = tmp_path / "new.db"
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(GenoViewInputError, match="newer GenoView"):
        Store(db_path)


def test_a_failing_migration_leaves_the_old_version(tmp_path, monkeypatch):
    db_path = tmp_path / "v1.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:1])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 1)
    Store(db_path)

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_module, "MIGRATIONS", [MIGRATIONS[0], broken])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    with pytest.raises(RuntimeError):
        Store(db_path)
    monkeypatch.undo()
    assert "half_done" not in _tables(db_path)
    assert Store(db_path).schema_version() == SCHEMA_VERSION


def test_runs_metrics_and_library_models(tmp_path):
    store = Store(tmp_path / "s.db")
    run = store.start_run("prediction", "genecnn-ecoli", {"seqid": "chr1", "start": 0})
    store.finish_run(run, "finished", {"mcc": 0.8, "roc_auc": 0.95, "note": "ignored"})
    [row] = store.runs("prediction")
    assert row["status"] == "finished" and row["params"] == {"seqid": "chr1", "start": 0}
    assert row["metrics"] == {"mcc": 0.8, "roc_auc": 0.95}
    assert store.runs("training") == []
    store.add_model("mine", tmp_path / "mine", "genecnn", "gene-track", {"seed": 1})
    store.add_model("mine", tmp_path / "mine2", "genecnn", "gene-track")
    [model] = store.library_models()
    assert model["path"].endswith("mine2") and model["metadata"] == {}
    store.remove_model("mine")
    assert store.library_models() == []


def test_store_works_from_several_threads(tmp_path):
    store = Store(tmp_path / "threads.db")
    errors = []

    def work(i):
        try:
            store.finish_run(store.start_run("prediction", f"m{i}"), metrics={"i": i})
        except Exception as exc:   # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(store.runs()) == 8


def test_prediction_cache_roundtrip_and_damaged_file(tmp_path):
    store = Store(tmp_path / "c.db")
    probs = np.linspace(0, 1, 1000, dtype=np.float32)
    assert store.cached_prediction("k1") is None
    path = store.save_prediction("k1", probs, seqid="chr1", start=0, end=1000, model="fake")
    assert path.parent == tmp_path / "cache"
    cached = store.cached_prediction("k1")
    assert cached.dtype == np.float32 and np.array_equal(cached, round_trip(probs))   # uint16, 2 bytes a base
    assert np.abs(cached - probs).max() <= 0.5 / 65534 + 1e-7
    path.write_bytes(b"not an npy file")
    assert store.cached_prediction("k1") is None
    store.save_prediction("k1", probs)
    path.unlink()
    assert store.cached_prediction("k1") is None


def test_cache_write_is_atomic(tmp_path, monkeypatch):
    store = Store(tmp_path / "a.db")
    old = np.zeros(10, dtype=np.float32)
    store.save_prediction("k", old)

    def crash(*args, **kwargs):
        raise OSError("power cut")

    monkeypatch.setattr(store_module.os, "replace", crash)
    with pytest.raises(OSError):
        store.save_prediction("k", np.ones(10, dtype=np.float32))
    monkeypatch.undo()
    assert np.array_equal(store.cached_prediction("k"), old)   # the old entry is intact
    assert sorted(os.listdir(tmp_path / "cache")) == ["k.npy"]   # no temporary file left behind


def test_prediction_key_changes_with_everything_that_changes_the_values(tmp_path):
    record = FakeRecord("chr1", "ACGT" * 100)
    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "ACGT" * 100 + "\n")
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "model.safetensors").write_bytes(b"weights-1")
    model = FakeModel(path=model_dir)
    key = prediction_key(model, record, 0, 100, fasta)
    assert key == prediction_key(model, record, 0, 100, fasta)
    assert key != prediction_key(model, record, 0, 101, fasta)
    assert key != prediction_key(model, record, 0, 100, fasta, params={"strand": "+"})
    assert key == prediction_key(model, record, 0, 100)   # the sequence's checksum, wherever it was read from
    assert key != prediction_key(model, FakeRecord("chr1", "ACGA" * 100), 0, 100)
    assert prediction_key(FakeModel("prodigal"), record, 0, 100) != prediction_key(model, record, 0, 100)
    (model_dir / "genoview.json").write_text('{"kmer_bert": {"threshold": 0.3}}')
    with_settings = prediction_key(model, record, 0, 100, fasta)
    assert with_settings != key
    (model_dir / "model.safetensors").write_bytes(b"weights-2")
    os.utime(model_dir / "model.safetensors", ns=(1, 1))
    assert prediction_key(model, record, 0, 100, fasta) not in (key, with_settings)
