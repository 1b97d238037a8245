"""rev16d (session 16): a train run paused in the wizard (25948e1: status "paused") or stopped by Ctrl-C with its
checkpoints kept ("cancelled; continue with --resume") stayed so in `genoview runs` and the library's Training runs
tab after a Resume finished it: a "paused" row next to the finished run that continued it, as if a run still waited.
The resume now marks the attempt it continues "resumed", naming the run that continued it."""
from __future__ import annotations

import json

import pytest

from genoview.core.errors import Cancelled
from genoview.core.jobs import CancelToken
from genoview.core.store import open_store
from genoview.core.training.runner import run_training
from genoview.core.training.spec import TrainingSpec

TINY_MODEL = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}


def test_a_resumed_run_marks_the_attempt_it_continues(data_dir, tmp_path, capsys):
    spec = TrainingSpec(fasta=str(data_dir / "engine_tiny.fa"), annotation=str(data_dir / "engine_tiny.gff3"),
                        architecture="genecnn", window=300, windows_per_epoch=40, batch_size=8, learning_rate=5e-3,
                        epochs=1, max_steps=10, eval_every=4, eval_windows=8, num_threads=1, seed=3,
                        model_options=dict(TINY_MODEL))
    store = open_store()
    other = store.start_run("train", "other", {"output": str(tmp_path / "other")})
    store.finish_run(other, "paused", message="paused in the training wizard")   # another model: left as it is
    token = CancelToken()
    with pytest.raises(Cancelled):
        run_training(spec, tmp_path / "cut", name="cut", cancel=token,
                     progress=lambda f, m=None: token.cancel() if f >= 0.6 else None)
    first = store.runs(kind="train", limit=1)[0]
    assert first["status"] == "cancelled" and "--resume" in first["message"]
    import dataclasses

    run_training(dataclasses.replace(spec, resume=True), tmp_path / "cut", name="cut")
    rows = {row["id"]: row for row in store.runs(kind="train")}
    resumed = max(rows)
    assert rows[resumed]["status"] == "finished"
    assert rows[first["id"]]["status"] == "resumed"
    assert f"run {resumed} continued it" in rows[first["id"]]["message"]
    assert rows[other]["status"] == "paused"

    from genoview.cli import main

    assert main(["runs", "--status", "resumed", "--json"]) == 0   # the states it lists can be asked for
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == [first["id"]]
    assert main(["runs", "--status", "paused", "--json"]) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == [other]


def test_a_run_started_again_closes_the_paused_attempt(data_dir, tmp_path):
    """Resume before the first checkpoint (and any GeneORF fine-tune) starts the run again: the paused row said
    'Resume continues it' next to the new run."""
    store = open_store()
    target = str(tmp_path / "again")
    paused = store.start_run("train", "again", {"output": target})
    store.finish_run(paused, "paused", message="paused in the training wizard")
    fresh = store.start_run("train", "again", {"output": target})
    assert store.mark_resumed(fresh, target, continued=False) == [paused]
    row = {r["id"]: r for r in store.runs(kind="train")}[paused]
    assert row["status"] == "cancelled" and f"run {fresh} started it again" in row["message"]


def test_train_overwrite_after_ctrl_c_says_the_attempt_is_not_continued(data_dir, tmp_path):
    spec = TrainingSpec(fasta=str(data_dir / "engine_tiny.fa"), annotation=str(data_dir / "engine_tiny.gff3"),
                        architecture="genecnn", window=300, windows_per_epoch=40, batch_size=8, learning_rate=5e-3,
                        epochs=1, max_steps=10, eval_every=4, eval_windows=8, num_threads=1, seed=3,
                        model_options=dict(TINY_MODEL))
    token = CancelToken()
    with pytest.raises(Cancelled):
        run_training(spec, tmp_path / "cut", name="cut", cancel=token,
                     progress=lambda f, m=None: token.cancel() if f >= 0.6 else None)
    store = open_store()
    first = store.runs(kind="train", limit=1)[0]["id"]
    run_training(spec, tmp_path / "cut", name="cut", overwrite=True)
    row = {r["id"]: r for r in store.runs(kind="train")}[first]
    assert row["status"] == "cancelled" and "started it again from the beginning" in row["message"]
