"""A GENOVIEW_HOME whose database or cache folder cannot be written (a shared install, a read-only cluster mount, a
full disk) no longer stops `predict`, `evaluate`, `score-pairs`, `mutate`, `calibrate` or `adapt` (session 15 refused
them): they run and write their outputs, with ONE warning on stderr naming the path and saying the run is not
recorded and nothing cached; the store and the cache are left as they were. Read-only as SQLite sees it (a mode=ro
connection, as test_batch_store), so it holds under root too."""
from __future__ import annotations

import json

from genoview.cli import main as cli_main
from genoview.core import store as store_module
from genoview.core.store import open_store
from genoview.paths import user_data_dir
from tests.core.test_cli_predict_evaluate import gc_model  # noqa: F401 (a fixture)
from tests.core.test_hsmall_runs_recorded import _genes, _pairs


def _snapshot():
    """Every file of the home but the training-k-mer cache (lm_training_overlap: here the folder is writable, only
    SQLite is read-only; on a read-only home its write is skipped, OSError)."""
    home = user_data_dir()
    return {p.relative_to(home): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file() and "training-kmers" not in p.parts}


def _one_warning(err: str, command: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith(f"genoview {command}: warning:")
             and "genoview.db" in line]
    assert len(lines) == 1, err
    assert str(user_data_dir() / "genoview.db") in lines[0] and "not recorded" in lines[0]
    assert "not cached" in lines[0] and "GENOVIEW_HOME" in lines[0] and "Traceback" not in err


def test_predict_and_evaluate_run_on_a_read_only_home_with_one_warning(tmp_path, data_dir, gc_model, monkeypatch,
                                                                       capsys, read_only_home):
    fasta, gff = data_dir / "eval_tiny.fa", data_dir / "eval_tiny.gff3"
    read_only_home()
    before = _snapshot()
    out = tmp_path / "track.bedgraph"
    assert cli_main(["predict", str(fasta), "--model", "gc-model", "--bedgraph", str(out)]) == 0
    _one_warning(capsys.readouterr().err, "predict")
    assert out.read_text().count("\n") > 1
    assert cli_main(["evaluate", str(fasta), "--gff", str(gff), "--model", "gc-model", "--json"]) == 0
    captured = capsys.readouterr()
    assert "mcc" in json.loads(captured.out)
    # said once per process: the predict above already said it
    assert "warning:" not in "\n".join(line for line in captured.err.splitlines() if "genoview.db" in line)
    assert _snapshot() == before   # nothing recorded, nothing cached, nothing touched


def test_a_cache_folder_that_cannot_be_written_is_said_and_predict_runs(tmp_path, data_dir, gc_model, monkeypatch,
                                                                        capsys):
    store = open_store()
    monkeypatch.setattr(store_module.Path, "write_bytes",
                        lambda self, data: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    out = tmp_path / "track.bedgraph"
    assert cli_main(["predict", str(data_dir / "eval_tiny.fa"), "--model", "gc-model", "--bedgraph", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and f"{store.cache_dir}: the prediction cache folder cannot be written" in err
    assert out.is_file() and not any(store.cache_dir.iterdir())


def test_score_pairs_and_mutate_run_unrecorded_on_a_read_only_home(tmp_path, monkeypatch, capsys, read_only_home):
    lm = tmp_path / "my-lm"
    assert cli_main(["train-lm", "--architecture", "ngram", "--genes", str(_genes(tmp_path)), "--out", str(lm)]) == 0
    capsys.readouterr()
    read_only_home()
    before = _snapshot()
    scores = tmp_path / "scores.csv"
    assert cli_main(["score-pairs", "--model", str(lm), "--pairs", str(_pairs(tmp_path)), "--out", str(scores)]) == 0
    _one_warning(capsys.readouterr().err, "score-pairs")
    assert scores.read_text().count("\n") > 1
    store_module._warned_unwritable.clear()   # as a new process
    pairs = tmp_path / "made.csv"
    assert cli_main(["mutate", "--genes", str(_genes(tmp_path)), "--max-changes", "2", "--n", "3", "--seed", "1", "--out",
                     str(pairs)]) == 0
    _one_warning(capsys.readouterr().err, "mutate")
    assert pairs.read_text().count("\n") == 4
    assert _snapshot() == before


def test_adapt_writes_its_model_and_says_it_is_not_in_the_library(tmp_path, monkeypatch, capsys, read_only_home):
    from genoview.cli.adapt import adapt_model
    from tests.core.test_adapt import _tiny_geneorf
    from tests.core.test_genecalls import _synthetic_genome

    codes, _ = _synthetic_genome(seed=5, genes=12)
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr\n" + "".join("ACGTN"[c] for c in codes) + "\n")
    parent = _tiny_geneorf(tmp_path / "parent")
    read_only_home()
    before = _snapshot()
    adapted = adapt_model(str(parent), str(fasta), tmp_path / "adapted", name="tiny-adapted", command="genoview adapt")
    out = adapted.path
    assert (out / "config.json").is_file() and adapted.listed_as is None
    err = capsys.readouterr().err
    assert f"use it as --model {out}" in err and "not in your library" in err
    assert _snapshot() == before


def test_calibrate_stores_its_threshold_unrecorded_on_a_read_only_home(tmp_path, data_dir, monkeypatch, capsys,
                                                                       read_only_home):
    from tests.core.test_calibration import tiny_genecnn

    model = tmp_path / "tiny"
    model.mkdir()
    tiny_genecnn(model)
    read_only_home()
    before = _snapshot()
    assert cli_main(["calibrate", "--model", str(model), "--fasta", str(data_dir / "engine_tiny.fa"), "--gff",
                     str(data_dir / "engine_tiny.gff3"), "--from", "0.5", "--to", "0.8", "--json"]) == 0
    captured = capsys.readouterr()
    _one_warning(captured.err, "calibrate")
    stored = json.loads((model / "genoview.json").read_text())["genecnn"]["threshold"]
    assert stored == json.loads(captured.out)["threshold"]
    assert _snapshot() == before
