"""Training that repeats and is honest about its state: seeds, exact resume (also after kill -9), a model
folder that appears only when finished, refused overwrites, empty validation and non-finite losses."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from genoview.cli import main
from genoview.core.errors import Cancelled, GenoViewInputError
from genoview.core.jobs import CancelToken
from genoview.core.training import runner
from genoview.core.training.loop import list_checkpoints, set_seed, train_model
from genoview.core.training.runner import run_training, work_dir_for
from genoview.core.training.spec import TrainingSpec

TINY_MODEL = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}
ROOT = Path(__file__).resolve().parents[2]
GENOVIEW = [sys.executable, "-c", "import sys; from genoview.cli import main; sys.exit(main())"]


def tiny_spec(data_dir, **overrides) -> TrainingSpec:
    values = {
        "fasta": str(data_dir / "engine_tiny.fa"), "annotation": str(data_dir / "engine_tiny.gff3"),
        "window": 300, "windows_per_epoch": 40, "batch_size": 8, "learning_rate": 5e-3, "epochs": 2,
        "eval_windows": 8, "num_threads": 1, "seed": 3, "log_every": 2, "test_from": 0.8,
        "model_options": dict(TINY_MODEL),
    }
    values.update(overrides)
    return TrainingSpec(**values)


def cli_args(data_dir, out, *extra):
    return ["train", "--fasta", str(data_dir / "engine_tiny.fa"), "--gff", str(data_dir / "engine_tiny.gff3"),
            "--window", "300", "--context", "90", "--model-option", "hidden_size=8", "--model-option",
            "dilations=[1,3]", "--eval-windows", "4", "--batch-size", "4", "--seed", "5", "--threads", "1",
            "--test-from", "0.8", "--out", str(out), *extra]


def weights(directory) -> dict[str, torch.Tensor]:
    return load_file(str(Path(directory) / "model.safetensors"))


def assert_same_weights(a, b) -> None:
    wa, wb = weights(a), weights(b)
    assert wa.keys() == wb.keys()
    for name in wa:
        assert torch.equal(wa[name], wb[name]), name


def test_same_seed_and_data_give_bit_identical_weights(data_dir, tmp_path):
    run_training(tiny_spec(data_dir), tmp_path / "a")
    run_training(tiny_spec(data_dir), tmp_path / "b")
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()
    run_training(tiny_spec(data_dir, seed=4), tmp_path / "c")
    assert (tmp_path / "a" / "model.safetensors").read_bytes() != (tmp_path / "c" / "model.safetensors").read_bytes()


def test_stopped_then_resumed_run_is_bit_identical_to_a_straight_run(data_dir, tmp_path):
    spec = tiny_spec(data_dir, epochs=None, max_steps=12, eval_every=4)
    run_training(spec, tmp_path / "straight")

    token = CancelToken()
    with pytest.raises(Cancelled):
        run_training(spec, tmp_path / "cut", cancel=token,
                     on_log=lambda record: token.cancel() if record["step"] >= 6 else None)
    work = work_dir_for(tmp_path / "cut")
    assert not (tmp_path / "cut").exists()              # nothing that looks like a model
    assert [p.name for p in list_checkpoints(work)] == ["checkpoint-4"]
    unfinished = runner.unfinished_run(tmp_path / "cut")
    assert unfinished["step"] == 4 and unfinished["spec"]["max_steps"] == 12
    spec.resume = True
    result = run_training(spec, tmp_path / "cut")
    assert result.steps == 12 and not work.exists() and runner.unfinished_run(tmp_path / "cut") is None
    assert_same_weights(tmp_path / "straight", tmp_path / "cut")
    assert not list_checkpoints(tmp_path / "cut")       # a finished model carries no checkpoints


def test_resume_restores_dropout_and_collator_random_states(tmp_path):
    """A k-mer BERT with dropout and span masking (both random): resumed == straight, exactly."""
    from genoview.core.models.kmer_bert.data import MaskedLMWindows
    from genoview.core.models.kmer_bert.masking import SpanMaskingCollator
    from genoview.core.models.kmer_bert.modeling import TASK_MASKED_LM, build_config, model_class
    from genoview.core.models.kmer_bert.tokenization_kmer import KmerVocab

    vocab = KmerVocab.for_k(3)
    codes = np.random.default_rng(0).integers(0, 4, 3000).astype(np.uint8)
    spec = TrainingSpec(batch_size=4, max_steps=9, eval_every=3, num_threads=1, seed=7, log_every=1,
                        learning_rate=1e-3)

    def train(out, **kwargs):
        set_seed(spec.seed)
        model = model_class(TASK_MASKED_LM)(build_config(vocab, hidden_size=16, num_layers=1, num_heads=2,
                                                          max_tokens=66, dropout=0.3))
        windows = MaskedLMWindows(codes, vocab, 64, stride=32)
        return train_model(model, windows, MaskedLMWindows(codes[:400], vocab, 64, stride=64), spec, output_dir=out,
                           collate_fn=SpanMaskingCollator(vocab, 0.15, seed=spec.seed), **kwargs)

    train(tmp_path / "straight")
    token = CancelToken()
    with pytest.raises(Cancelled):
        train(tmp_path / "cut", cancel=token, on_log=lambda r: token.cancel() if r["step"] >= 5 else None)
    spec.resume = True
    train(tmp_path / "cut")
    assert_same_weights(tmp_path / "straight", tmp_path / "cut")


def test_resume_refuses_other_settings_naming_them(data_dir, tmp_path):
    spec = tiny_spec(data_dir, epochs=None, max_steps=12, eval_every=4)
    token = CancelToken()
    with pytest.raises(Cancelled):
        run_training(spec, tmp_path / "m", cancel=token, on_log=lambda r: token.cancel() if r["step"] >= 6 else None)
    changed = tiny_spec(data_dir, epochs=None, max_steps=12, eval_every=4, learning_rate=1e-3, batch_size=4,
                        resume=True, max_minutes=5, num_threads=2)
    with pytest.raises(GenoViewInputError) as err:
        run_training(changed, tmp_path / "m")
    assert "learning_rate: 0.005 -> 0.001" in str(err.value) and "batch_size" in str(err.value)
    assert "max_minutes" not in str(err.value) and "num_threads" not in str(err.value)   # allowed to change
    with pytest.raises(GenoViewInputError, match="unfinished run .* --resume"):
        run_training(spec, tmp_path / "m")           # a new run would silently discard the old one
    with pytest.raises(GenoViewInputError, match="no unfinished run to resume"):
        run_training(tiny_spec(data_dir, resume=True), tmp_path / "other")
    assert runner.discard_unfinished(tmp_path / "m") and not work_dir_for(tmp_path / "m").exists()
    run_training(spec, tmp_path / "m")                # after Cancel (discard) a new run starts cleanly


def test_killed_in_the_final_phase_leaves_no_finished_looking_folder(data_dir, tmp_path, monkeypatch):
    from genoview.core.models import load_model

    def killed(*args, **kwargs):
        raise KeyboardInterrupt   # as if the process died while testing the finished weights

    from genoview.core.models import list_models
    from genoview.paths import model_library_dir

    monkeypatch.setattr(runner, "evaluate_on_regions", killed)
    spec = tiny_spec(data_dir)
    with pytest.raises(KeyboardInterrupt):
        run_training(spec, tmp_path / "m")
    assert not (tmp_path / "m").exists()
    with pytest.raises(GenoViewInputError):
        load_model(tmp_path / "m")
    assert (work_dir_for(tmp_path / "m") / "model.safetensors").exists()   # trained, but not marked complete
    from genoview.core.store import open_store

    assert open_store().runs("train")[0]["status"] == "cancelled"           # never "finished"
    with pytest.raises(KeyboardInterrupt):
        run_training(spec, model_library_dir() / "lib-m")
    assert not [m.name for m in list_models() if "lib-m" in m.name]      # the library lists no unfinished run
    monkeypatch.undo()
    spec.resume = True
    run_training(spec, tmp_path / "m")
    info = json.loads((tmp_path / "m" / "genoview.json").read_text())
    assert info["metrics"]["test"]["mcc"] is not None and 0.05 <= info["genecnn"]["threshold"] <= 0.95
    run_training(tiny_spec(data_dir), tmp_path / "straight")
    assert_same_weights(tmp_path / "straight", tmp_path / "m")


def test_existing_folders_and_inputs_are_never_overwritten(data_dir, tmp_path):
    out = tmp_path / "m"
    run_training(tiny_spec(data_dir, max_steps=2, eval_every=2), out)
    before = (out / "model.safetensors").read_bytes()
    with pytest.raises(GenoViewInputError, match="--overwrite"):
        run_training(tiny_spec(data_dir, max_steps=2, eval_every=2, seed=9), out)
    assert (out / "model.safetensors").read_bytes() == before
    run_training(tiny_spec(data_dir, max_steps=2, eval_every=2, seed=9), out, overwrite=True)
    assert (out / "model.safetensors").read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]          # no temporary folder left
    with pytest.raises(GenoViewInputError, match="overwrite the genome"):
        run_training(tiny_spec(data_dir), data_dir / "engine_tiny.fa", overwrite=True)
    with pytest.raises(GenoViewInputError, match="overwrite the genome"):
        run_training(tiny_spec(data_dir), data_dir, overwrite=True)
    with pytest.raises(GenoViewInputError, match="overwrite the initial model"):
        run_training(tiny_spec(data_dir, init_from=str(out), model_options={}), out, overwrite=True)


def test_empty_validation_and_non_finite_loss_are_clear_errors(data_dir, tmp_path):
    with pytest.raises(GenoViewInputError, match="validation part holds no whole window"):
        run_training(tiny_spec(data_dir, valid_fraction=0.01), tmp_path / "a")
    with pytest.raises(GenoViewInputError, match="validation part is empty"):
        run_training(tiny_spec(data_dir, valid_fraction=1e-6), tmp_path / "b")
    assert not (tmp_path / "a").exists() and not work_dir_for(tmp_path / "a").exists()

    from genoview.core.training.architectures import get_architecture
    from genoview.core.training.datasets import load_tracks, split_regions
    from genoview.core.genome import open_genome

    spec = tiny_spec(data_dir, max_steps=4)
    genome = open_genome(spec.fasta, spec.annotation)
    split = split_regions({s: r.length for s, r in genome.sequences.items()}, spec)
    tracks = load_tracks(genome, list(genome.sequences), spec.feature_types)
    prepared = get_architecture("genecnn").prepare(spec, genome, tracks, split)

    def nan_loss(model, batch):
        outputs = model(**{k: v for k, v in batch.items() if k != "labels"})
        return outputs.logits.sum() * float("nan"), outputs

    with pytest.raises(GenoViewInputError, match="training loss is nan at step 1.*lower the learning rate"):
        train_model(prepared.model, prepared.train_dataset, prepared.eval_dataset, spec, output_dir=tmp_path / "c",
                    compute_loss=nan_loss, compute_metrics=prepared.compute_metrics)
    with pytest.raises(GenoViewInputError, match="validation set is empty"):
        train_model(prepared.model, prepared.train_dataset, [], spec, output_dir=tmp_path / "d")


def test_kill_9_during_training_then_resume_matches_a_straight_run(data_dir, tmp_path):
    """A real process killed with SIGKILL mid-training: no model folder; --resume ends where a straight run does."""
    extra = ["--max-steps", "60", "--eval-every", "5", "--patience", "100", "--progress", "none"]
    out = tmp_path / "killed"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    work = work_dir_for(out)
    with open(tmp_path / "stderr.txt", "w") as stderr, \
            subprocess.Popen([*GENOVIEW, *cli_args(data_dir, out, *extra)], env=env, stdout=subprocess.DEVNULL,
                             stderr=stderr) as proc:
        deadline = time.monotonic() + 120
        try:
            while not any(int(p.name.split("-")[1]) >= 10 for p in list_checkpoints(work)):
                assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
                assert time.monotonic() < deadline, "no checkpoint within 120 s"
                time.sleep(0.02)
        finally:
            proc.send_signal(signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists() and list_checkpoints(work)
    steps_done = max(int(p.name.split("-")[1]) for p in list_checkpoints(work))
    assert steps_done < 60
    (work / f".checkpoint-{steps_done + 5}.999.tmp").mkdir()     # as if killed while writing a checkpoint
    (work / f".checkpoint-{steps_done + 5}.999.tmp" / "model.safetensors").write_bytes(b"partial")
    assert main(cli_args(data_dir, out, *extra, "--resume")) == 0
    assert main(cli_args(data_dir, tmp_path / "straight", *extra)) == 0
    assert_same_weights(out, tmp_path / "straight")
    assert json.loads((out / "genoview.json").read_text())["training"]["steps"] == 60
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_sigterm_finishes_the_best_model(data_dir, tmp_path):
    """Stop from a GUI (SIGTERM to the child process): the run ends early and is still a usable model."""
    from genoview.core.models import load_model

    out = tmp_path / "stopped"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    events = []
    with open(tmp_path / "stderr.txt", "w") as stderr, \
            subprocess.Popen([*GENOVIEW, *cli_args(data_dir, out, "--max-steps", "100000", "--eval-every", "5",
                                                   "--progress", "json")],
                             env=env, stdout=subprocess.PIPE, stderr=stderr, text=True) as proc:
        try:
            for line in proc.stdout:
                events.append(json.loads(line))
                if events[-1]["event"] == "eval":
                    proc.send_signal(signal.SIGTERM)
                    break
            events += [json.loads(line) for line in proc.stdout]
        finally:
            proc.wait(timeout=120)
    assert proc.returncode == 0, (tmp_path / "stderr.txt").read_text()
    done = events[-1]
    assert done["event"] == "done" and done["stopped_because"] == "stopped by the user"
    assert done["steps"] < 100000 and done["model_dir"] == str(out)
    assert load_model(out).threshold == json.loads((out / "genoview.json").read_text())["genecnn"]["threshold"]
