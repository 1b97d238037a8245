"""The shared training loop on a tiny synthetic genome: epochs, early stopping, checkpoints, resume, cancel."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from genoview.core.errors import Cancelled, GenoViewInputError
from genoview.core.genome import open_genome
from genoview.core.jobs import CancelToken
from genoview.core.training.architectures import get_architecture
from genoview.core.training.datasets import load_tracks, split_regions
from genoview.core.training.loop import list_checkpoints, set_seed, train_model
from genoview.core.training.spec import TrainingSpec

TINY_MODEL = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}


def make_spec(data_dir, **overrides) -> TrainingSpec:
    values = {
        "fasta": str(data_dir / "engine_tiny.fa"), "annotation": str(data_dir / "engine_tiny.gff3"),
        "window": 300, "windows_per_epoch": 40, "batch_size": 8, "learning_rate": 5e-3, "epochs": 2,
        "eval_windows": 8, "num_threads": 1, "seed": 3, "log_every": 2, "model_options": dict(TINY_MODEL),
    }
    values.update(overrides)
    return TrainingSpec(**values)


def prepare(spec):
    set_seed(spec.seed)   # as the runner does: the initial weights are part of the run
    genome = open_genome(spec.fasta, spec.annotation)
    lengths = {s: r.length for s, r in genome.sequences.items()}
    split = split_regions(lengths, spec)
    tracks = load_tracks(genome, [r.seqid for r in split.train + split.valid + split.test], spec.feature_types)
    return get_architecture("genecnn").prepare(spec, genome, tracks, split)


def run(spec, out, **kwargs):
    p = prepare(spec)
    return train_model(p.model, p.train_dataset, p.eval_dataset, spec, output_dir=out,
                       compute_metrics=p.compute_metrics, **kwargs), p.model


def no_partial_dirs(out) -> bool:
    return not [p for p in out.iterdir() if p.name.startswith(".")]


def test_spec_round_trips_through_json_and_rejects_nonsense(tmp_path):
    spec = TrainingSpec(fasta="g.fa", epochs=3, model_options={"hidden_size": 16})
    spec.save(tmp_path / "spec.json")
    assert TrainingSpec.load(tmp_path / "spec.json") == spec
    assert TrainingSpec.from_json(spec.to_flat()) == spec      # the flat form older models record
    with pytest.raises(GenoViewInputError, match="labelling"):
        TrainingSpec(labelling="most")
    with pytest.raises(GenoViewInputError, match="unknown training setting"):
        TrainingSpec.from_json({"epoch": 2})
    with pytest.raises(GenoViewInputError, match="training part"):
        TrainingSpec(train_from=0.7, train_to=0.7)


def test_split_keeps_validation_inside_the_training_part():
    split = split_regions({"a": 1000, "b": 10}, TrainingSpec(train_to=0.7, valid_fraction=0.2))
    a_train, a_valid, a_test = split.train[0], split.valid[0], split.test[0]
    assert (a_train.start, a_train.end, a_valid.start, a_valid.end) == (0, 560, 560, 700)
    assert (a_test.start, a_test.end) == (700, 1000)
    held = split_regions({"a": 100, "b": 50, "c": 70}, TrainingSpec(split="sequences", test_seqids=["c"], valid_seqids=["b"]))
    assert [r.seqid for r in held.train] == ["a"] and [r.seqid for r in held.test] == ["c"]
    with pytest.raises(GenoViewInputError, match="not in the genome"):
        split_regions({"a": 100}, TrainingSpec(seqids=["x"]))


def test_two_epochs_save_checkpoints_history_and_metadata(data_dir, tmp_path):
    fractions, logs = [], []
    result, _ = run(make_spec(data_dir), tmp_path, progress=lambda f, m=None: fractions.append(f), on_log=logs.append)
    assert result.steps == 10 and result.stopped_because == "finished"
    assert fractions[-1] == 1.0
    evals = [r for r in result.history if "eval_mcc" in r]
    assert [r["step"] for r in evals] == [5, 10] and any("loss" in r for r in logs)
    assert [p.name for p in list_checkpoints(tmp_path)] == ["checkpoint-5", "checkpoint-10"]
    assert (tmp_path / "model.safetensors").exists() and no_partial_dirs(tmp_path)
    info = json.loads((tmp_path / "genoview.json").read_text())
    assert info["training"]["steps"] == 10 and info["history"] == json.loads((tmp_path / "history.json").read_text())
    assert result.best_metrics["mcc"] == max(r["eval_mcc"] for r in evals)


def test_early_stopping_when_validation_stops_improving(data_dir, tmp_path):
    result, _ = run(make_spec(data_dir, learning_rate=1e-12, epochs=6, patience=1, warmup_fraction=0.0), tmp_path)
    assert result.stopped_because == "early stopping" and result.steps == 10


def test_cancel_then_resume_matches_an_uninterrupted_run(data_dir, tmp_path):
    spec = make_spec(data_dir, epochs=1, max_steps=10, eval_every=4)
    _, reference = run(spec, tmp_path / "straight")

    token = CancelToken()
    with pytest.raises(Cancelled):
        run(spec, tmp_path / "cut", cancel=token,
            progress=lambda f, m=None: token.cancel() if f >= 0.6 else None)
    assert [p.name for p in list_checkpoints(tmp_path / "cut")] == ["checkpoint-4"]
    assert no_partial_dirs(tmp_path / "cut") and not (tmp_path / "cut" / "model.safetensors").exists()

    spec.resume = True
    result, resumed = run(spec, tmp_path / "cut")
    assert result.steps == 10
    for name, value in reference.state_dict().items():
        assert torch.equal(resumed.state_dict()[name], value), name   # bit for bit


def test_a_failed_checkpoint_write_leaves_nothing_half_written(data_dir, tmp_path, monkeypatch):
    spec = make_spec(data_dir, max_steps=4, eval_every=2)
    p = prepare(spec)
    calls = []

    def broken_save(directory, **kwargs):
        calls.append(directory)
        (directory / "model.safetensors").write_bytes(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(p.model, "save_pretrained", broken_save)
    with pytest.raises(OSError, match="disk full"):
        train_model(p.model, p.train_dataset, p.eval_dataset, spec, output_dir=tmp_path, compute_metrics=p.compute_metrics)
    assert calls and list(tmp_path.iterdir()) == []


def test_time_limit_keeps_the_best_model(data_dir, tmp_path):
    spec = make_spec(data_dir, epochs=100, max_minutes=0.002)
    result, _ = run(spec, tmp_path)
    assert result.stopped_because == "time limit" and result.steps < 500
    assert (tmp_path / "model.safetensors").exists()


def test_windows_ignore_flank_labels(data_dir):
    p = prepare(make_spec(data_dir))
    item = p.train_dataset[0]           # served from precomputed features: flanks of the CNN's reach only
    labels = item["labels"].numpy()
    margin = p.model.config.receptive_radius() + p.model.config.downsample
    assert item["features"].shape[0] == labels.shape[0] == 300 + 2 * margin
    assert (labels[:margin] == -100).all() and set(np.unique(labels[margin:margin + 300])) <= {0.0, 1.0}
    assert not p.model.hexamer_scores.weight.requires_grad

    p = prepare(make_spec(data_dir, model_options={**TINY_MODEL, "train_dicodons": True}))
    item = p.train_dataset[0]
    context = p.model.config.context
    assert item["input_ids"].shape == item["labels"].shape == (300 + 2 * context,)
    assert (item["labels"][:context] == -100).all() and p.model.hexamer_scores.weight.requires_grad
