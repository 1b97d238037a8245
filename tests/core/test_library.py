"""The model library without Qt: import validation, zip export, rename, delete, details; the store's library
tables (migration from the previous schema, history, genomes) and a writer killed with SIGKILL."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
import sqlite_utils

from genoview import paths
from genoview.core import library
from genoview.core.errors import GenoViewInputError
from genoview.core.store import MIGRATIONS, SCHEMA_VERSION, Store, open_store

SHIPPED = paths.SHIPPED_MODELS_DIR / "genecnn-ecoli"


@pytest.fixture
def hf_folder(tmp_path) -> Path:
    """A valid Hugging Face model folder from elsewhere (a copy of the shipped GeneCNN)."""
    if not SHIPPED.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    folder = tmp_path / "downloaded-model"
    shutil.copytree(SHIPPED, folder)
    return folder


def test_import_validates_copies_and_lists_the_model(hf_folder):
    found = library.validate_model_folder(hf_folder)
    assert found["architecture"] == "genecnn" and found["parameters"] > 1000
    target = library.import_model(hf_folder, "my-cnn")
    assert target == paths.model_library_dir() / "my-cnn" and (target / "model.safetensors").is_file()
    assert json.loads((target / "genoview.json").read_text())["name"] == "my-cnn"
    rows = {row.name: row for row in library.library_rows()}
    assert rows["my-cnn"].editable and not rows["my-cnn"].shipped
    assert rows["genecnn-ecoli"].shipped and not rows["genecnn-ecoli"].editable
    assert rows["my-cnn"].metric("test", "mcc") == pytest.approx(rows["genecnn-ecoli"].metric("test", "mcc"))
    assert rows["my-cnn"].parameters == rows["genecnn-ecoli"].parameters
    assert "prodigal" in rows and rows["prodigal"].builtin
    stored = {row["name"]: row for row in open_store().library_models()}
    assert stored["my-cnn"]["architecture"] == "genecnn" and json.loads(stored["my-cnn"]["metrics"])["test"]
    with pytest.raises(GenoViewInputError, match="already exists"):
        library.import_model(hf_folder, "my-cnn")
    assert not [p for p in paths.model_library_dir().iterdir() if p.name.startswith(".")]


def test_a_pickle_only_checkpoint_is_refused_with_the_reason(hf_folder):
    (hf_folder / "model.safetensors").rename(hf_folder / "pytorch_model.bin")
    with pytest.raises(GenoViewInputError, match="pickle.*can run any code") as info:
        library.import_model(hf_folder, "pickled")
    assert "pytorch_model.bin" in str(info.value) and "safe_serialization=True" in str(info.value)
    assert not (paths.model_library_dir() / "pickled").exists()


def test_import_refuses_broken_folders_naming_the_file(hf_folder, tmp_path):
    with pytest.raises(GenoViewInputError, match="no config.json"):
        library.validate_model_folder(tmp_path)
    config = json.loads((hf_folder / "config.json").read_text())
    (hf_folder / "config.json").write_text(json.dumps({**config, "model_type": "no-such-model"}))
    with pytest.raises(GenoViewInputError, match="cannot run"):
        library.validate_model_folder(hf_folder)
    (hf_folder / "config.json").write_text(json.dumps(config))
    data = (hf_folder / "model.safetensors").read_bytes()
    (hf_folder / "model.safetensors").write_bytes(data[: len(data) // 2])
    with pytest.raises(GenoViewInputError, match="safetensors"):
        library.validate_model_folder(hf_folder)
    bert = tmp_path / "bert"
    bert.mkdir()
    (bert / "config.json").write_text(json.dumps({"model_type": "bert", "architectures": ["BertForTokenClassification"]}))
    shutil.copy(SHIPPED / "model.safetensors", bert / "model.safetensors")
    with pytest.raises(GenoViewInputError, match="tokenizer"):
        library.validate_model_folder(bert)
    with pytest.raises(GenoViewInputError, match="cannot be used"):
        library.check_new_name("../escape")


def test_export_rename_delete(hf_folder, tmp_path):
    library.import_model(hf_folder, "mine")
    archive = library.export_zip("mine", tmp_path / "mine.zip")
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
    assert {"mine/config.json", "mine/model.safetensors", "mine/genoview.json"} <= names
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

    moved = library.rename_model("mine", "renamed")
    assert moved.name == "renamed" and not (paths.model_library_dir() / "mine").exists()
    from genoview.core.models import resolve_model_dir

    assert resolve_model_dir("renamed") == moved
    assert json.loads((moved / "genoview.json").read_text())["name"] == "renamed"
    assert [r["name"] for r in open_store().library_models()] == ["renamed"]

    with pytest.raises(GenoViewInputError, match="shipped"):
        library.delete_model("genecnn-ecoli")
    with pytest.raises(GenoViewInputError, match="shipped"):
        library.rename_model("genecnn-ecoli", "other")
    with pytest.raises(GenoViewInputError, match="built into"):
        library.delete_model("prodigal")
    assert library.delete_model("renamed") is True
    assert not moved.exists() and open_store().library_models() == []
    assert SHIPPED.is_dir()


def test_a_registered_folder_is_only_taken_off_the_library(hf_folder):
    from genoview.core.models import register_model_dir

    register_model_dir(hf_folder, "elsewhere")
    assert library.delete_model("elsewhere") is False
    assert hf_folder.is_dir() and "elsewhere" not in {r.name for r in library.library_rows()}


def test_details_and_history_curves():
    if not SHIPPED.is_dir():
        pytest.skip("shipped model not present")
    details = library.model_details("genecnn-ecoli")
    assert details["card"].startswith("# genecnn-ecoli") and details["spec"]["window"] == 12000
    curves = library.history_curves(details["history"])
    assert {"loss", "validation mcc", "validation roc_auc"} <= set(curves)
    steps, values = curves["validation mcc"]
    assert steps == sorted(steps) and max(values) > 0.8


# ------------------------------------------------------------------------------------------ store
def test_migrates_the_previous_schema_keeping_rows(tmp_path):
    db_path = tmp_path / "v4.db"
    conn = sqlite3.connect(db_path)
    db = sqlite_utils.Database(conn)
    for migration in MIGRATIONS[:4]:
        migration(db)
    conn.execute("PRAGMA user_version = 4")
    conn.execute("INSERT INTO models (name, path, architecture, task, added, metadata) "
                 "VALUES ('old', '/x', 'genecnn', 'gene-probability', 't', '{}')")
    conn.commit()
    conn.close()
    store = Store(db_path)
    assert store.schema_version() == SCHEMA_VERSION >= 5
    assert [row["name"] for row in store.library_models()] == ["old"]
    store.record_model("old", "/x", {"architecture": "genecnn", "task": "gene-probability", "parent": "p",
                                      "metrics": {"test": {"mcc": 0.9}}, "training": {"spec": {"seed": 1}}})
    row = store.library_models()[0]
    assert row["parent"] == "p" and json.loads(row["spec"]) == {"seed": 1} and row["added"] == "t"
    run = store.start_run("train", "old", {})
    store.add_history(run, [{"step": 2, "epoch": 0.1, "loss": 0.5, "learning_rate": 0.1},
                            {"step": 4, "epoch": 0.2, "eval_mcc": 0.7, "eval_loss": 0.3, "best": True}])
    assert {(h["split"], h["metric"]) for h in store.history(run)} == {
        ("train", "loss"), ("train", "learning_rate"), ("validation", "mcc"), ("validation", "loss")}
    store.add_genome("/g.fa", "abc", {"chr": 10})
    assert store.genomes()[0]["sequences"] == {"chr": 10}


WRITER = """
import sys, os
os.environ["GENOVIEW_HOME"] = sys.argv[1]
from genoview.core.store import open_store
store = open_store()
print("ready", flush=True)
i = 0
while True:
    run = store.start_run("train", f"m{i}", {"i": i})
    store.add_history(run, [{"step": s, "loss": 1.0 / (s + 1), "eval_mcc": 0.5} for s in range(50)])
    store.finish_run(run, "finished", {"test_mcc": 0.5})
    i += 1
"""


def test_the_store_survives_kill_9_of_a_writer(tmp_path):
    """A process writing runs and histories in transactions, killed with SIGKILL: the database is intact, every
    history is whole (50 steps x 2 metrics or nothing), and its run left running is marked failed."""
    home = tmp_path / "home"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(home)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    try:
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 60
        db_path = home / "genoview.db"
        while time.monotonic() < deadline:
            with closing(sqlite3.connect(db_path, timeout=30)) as conn:
                if conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= 5:
                    break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    store = Store(home / "genoview.db")   # opening recovers
    with closing(sqlite3.connect(home / "genoview.db")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = conn.execute("SELECT run_id, COUNT(*) FROM history GROUP BY run_id").fetchall()
    assert counts and all(n == 100 for _, n in counts)
    runs = store.runs()
    assert len(runs) >= 5
    assert all(run["status"] in ("finished", "failed") for run in runs)
    for run in runs:
        if run["status"] == "failed":
            assert "ended before it finished" in run["message"]


def test_mutate_runs_are_recorded_in_the_store(tmp_path):
    import random

    from genoview.cli import main as cli_main

    rng = random.Random(0)
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(
        f"{i},<{''.join(rng.choice('ACGT') for _ in range(60))}>" for i in range(20)) + "\n")
    assert cli_main(["mutate", "--genes", str(genes), "--max-changes", "2", "--n", "5", "--seed", "1", "--out", str(tmp_path / "p.csv")]) == 0
    run = open_store().runs("mutate")[0]
    assert run["status"] == "finished" and run["metrics"]["pairs"] == 5 and run["params"]["seed"] == 1
