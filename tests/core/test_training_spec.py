"""Typed training specs and model options, `genoview train --spec/--save-spec`, time-bounded runs,
fine-tuning that re-learns genome-specific parts, JSON progress, stop requests, runs in the store."""
from __future__ import annotations

import json

import pytest

from genoview.cli import main
from genoview.core.errors import GenoViewInputError
from genoview.core.training.options import check_options, options_schema
from genoview.core.training.runner import run_training
from genoview.core.training.spec import TrainingSpec, spec_schema

TINY_MODEL = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}


def tiny_spec(data_dir, **overrides) -> TrainingSpec:
    values = {
        "fasta": str(data_dir / "engine_tiny.fa"), "annotation": str(data_dir / "engine_tiny.gff3"),
        "window": 300, "windows_per_epoch": 24, "batch_size": 8, "learning_rate": 5e-3, "epochs": 2,
        "eval_windows": 8, "num_threads": 1, "seed": 3, "log_every": 1, "test_from": 0.8,
        "model_options": dict(TINY_MODEL),
    }
    values.update(overrides)
    return TrainingSpec(**values)


def cli_args(data_dir, *extra):
    return ["train", "--fasta", str(data_dir / "engine_tiny.fa"), "--gff", str(data_dir / "engine_tiny.gff3"),
            "--window", "300", "--context", "90", "--model-option", "hidden_size=8", "--model-option",
            "dilations=[1,3]", "--max-steps", "4", "--eval-every", "2", "--eval-windows", "4", "--batch-size", "4",
            "--seed", "5", "--threads", "1", "--test-from", "0.8", *extra]


def test_spec_file_is_sectioned_and_typed(tmp_path):
    spec = TrainingSpec(fasta="g.fa", annotation="g.gff3", init_from="parent", model_options={"hidden_size": 16},
                        epochs=None, max_minutes=10, seed=7)
    data = spec.to_json()
    assert data["data"]["genomes"] == [{"fasta": "g.fa", "annotation": "g.gff3", "role": "train"}]
    assert data["data"]["split"]["method"] == "fraction" and data["data"]["split"]["train_to"] == 0.7
    assert data["model"] == {"architecture": "genecnn", "init": "parent", "options": {"hidden_size": 16}}
    assert data["hyperparameters"]["epochs"] is None and data["hyperparameters"]["max_minutes"] == 10
    assert data["seed"] == 7 and data["task"]["labelling"] == "majority"
    assert TrainingSpec.from_json(data) == spec
    with pytest.raises(GenoViewInputError, match="hyperparameters.lr"):
        TrainingSpec.from_json({**data, "hyperparameters": {"lr": 0.1}})
    with pytest.raises(GenoViewInputError, match="batch_size is \"16\"; expected a whole number"):
        TrainingSpec.from_json({**data, "hyperparameters": {"batch_size": "16"}})
    with pytest.raises(GenoViewInputError, match="valid_fraction 1.5 is out of range; allowed: 0.0 to 0.99"):
        TrainingSpec(valid_fraction=1.5)
    with pytest.raises(GenoViewInputError, match="unbounded"):
        TrainingSpec(epochs=None)
    (tmp_path / "bad.json").write_text('{"data": {"genomes": [}')
    with pytest.raises(GenoViewInputError, match="bad.json, line 1: not valid JSON"):
        TrainingSpec.load(tmp_path / "bad.json")
    rows = {row["name"]: row for row in spec_schema()}
    assert rows["batch_size"]["type"] == "int" and rows["batch_size"]["min"] == 1 and rows["batch_size"]["help"]
    assert rows["labelling"]["choices"] == ["majority", "all", "any"] and rows["init_from"]["key"] == "init"


def test_model_options_are_declared_and_checked():
    rows = {row["name"]: row for row in options_schema("genecnn")}
    assert rows["hidden_size"]["type"] == "int" and rows["hidden_size"]["default"] == 32
    assert rows["train_dicodons"]["default"] is False and rows["codon_table"]["default"] == "recount"
    assert check_options("genecnn", {"hidden_size": 16.0, "dilations": [1, 2]}) == {"hidden_size": 16, "dilations": [1, 2]}
    with pytest.raises(GenoViewInputError, match="unknown genecnn option.*hidden_sise.*known: .*hidden_size"):
        check_options("genecnn", {"hidden_sise": 8})
    with pytest.raises(GenoViewInputError, match="hidden_size takes a whole number from 4 to 512"):
        check_options("genecnn", {"hidden_size": "big"})
    with pytest.raises(GenoViewInputError, match="dilations"):
        check_options("genecnn", {"dilations": [1, "a"]})
    with pytest.raises(GenoViewInputError, match="rna_memory takes one of"):
        check_options("genecnn", {"rna_memory": "forget"})
    with pytest.raises(GenoViewInputError, match="stage takes one of \"pretrain\", \"finetune\""):
        check_options("kmer-bert", {"stage": "train"})
    assert {row["name"] for row in options_schema("kmer-bert")} >= {"stage", "labels", "hidden_size", "dropout"}


def test_cli_checks_options_and_lists_them(data_dir, tmp_path, capsys):
    assert main(cli_args(data_dir, "--out", str(tmp_path / "m"), "--model-option", "hidden_size=2")) == 2
    assert "hidden_size takes a whole number from 4 to 512" in capsys.readouterr().err
    assert main(cli_args(data_dir, "--out", str(tmp_path / "m"), "--model-option", "nonsense=1")) == 2
    assert "unknown genecnn option(s) nonsense" in capsys.readouterr().err
    assert main(["train", "--list-options"]) == 0
    out = capsys.readouterr().out
    assert "train_dicodons" in out and "rna_memory" in out and "hidden_size (a whole number from 4 to 512" in out
    assert not (tmp_path / "m").exists()


def test_saved_spec_runs_the_same_training_as_the_flags(data_dir, tmp_path, capsys):
    assert main(cli_args(data_dir, "--save-spec", str(tmp_path / "spec.json"))) == 0
    saved = json.loads((tmp_path / "spec.json").read_text())
    assert saved["hyperparameters"]["max_steps"] == 4 and saved["model"]["options"]["hidden_size"] == 8
    assert main(cli_args(data_dir, "--out", str(tmp_path / "flags"))) == 0
    assert main(["train", "--spec", str(tmp_path / "spec.json"), "--out", str(tmp_path / "spec")]) == 0
    assert (tmp_path / "flags" / "model.safetensors").read_bytes() == (tmp_path / "spec" / "model.safetensors").read_bytes()
    # a short hand-written spec: what it leaves out comes from the architecture's defaults
    (tmp_path / "short.json").write_text(json.dumps({"data": {"genomes": [{"fasta": "g.fa"}]}, "seed": 4}))
    from genoview.cli import build_parser
    from genoview.cli.train import build_spec

    short = build_spec(build_parser().parse_args(["train", "--spec", str(tmp_path / "short.json"), "--lr", "0.01"]))
    assert (short.fasta, short.seed, short.learning_rate, short.batch_size, short.patience) == ("g.fa", 4, 0.01, 4, 4)


def test_max_minutes_bounds_time_not_epochs(data_dir, tmp_path):
    from genoview.cli import build_parser
    from genoview.cli.train import build_spec

    spec = build_spec(build_parser().parse_args(["train", "--fasta", "g.fa", "--max-minutes", "10"]))
    assert spec.epochs is None and spec.max_minutes == 10
    spec = build_spec(build_parser().parse_args(["train", "--fasta", "g.fa", "--max-minutes", "10", "--epochs", "3"]))
    assert spec.epochs == 3
    result = run_training(tiny_spec(data_dir, epochs=None, max_minutes=0.02, windows_per_epoch=8, eval_every=4),
                          tmp_path / "m")
    assert result.stopped_because == "time limit" and result.steps > 2     # more than the 1-step epoch
    assert (tmp_path / "m" / "model.safetensors").exists()


def test_fine_tuning_relearns_genome_specific_parts_by_default(data_dir, tmp_path):
    from genoview.core.models.metadata import ModelMetadata

    run_training(tiny_spec(data_dir, max_steps=2, eval_every=2), tmp_path / "parent")
    said = []
    result = run_training(tiny_spec(data_dir, init_from=str(tmp_path / "parent"), model_options={}, max_steps=2,
                                    eval_every=2), tmp_path / "child", on_message=said.append)
    relearned = result.extra["fine_tuning"]["relearned"]
    assert any("counted from this genome" in item for item in relearned)
    assert any("RNA memory" in item for item in relearned)
    assert said and "re-learned on this genome" in said[0] and "codon" in said[0]
    meta = ModelMetadata.load(tmp_path / "child")
    assert meta.parent == str(tmp_path / "parent")
    assert meta.sections["fine_tuning"]["relearned"] == relearned
    assert "re-learned on this genome" in (tmp_path / "child" / "README.md").read_text()

    kept = run_training(tiny_spec(data_dir, init_from=str(tmp_path / "parent"), max_steps=2, eval_every=2,
                                  model_options={"codon_table": "parent", "rna_memory": "keep"}), tmp_path / "kept")
    assert not kept.extra["fine_tuning"]["relearned"] and len(kept.extra["fine_tuning"]["kept"]) == 2
    trained = run_training(tiny_spec(data_dir, init_from=str(tmp_path / "parent"), max_steps=2, eval_every=2,
                                     model_options={"codon_table": "parent", "train_dicodons": True}),
                           tmp_path / "trained")
    assert any("table is trained" in item for item in trained.extra["fine_tuning"]["relearned"])
    with pytest.raises(GenoViewInputError, match="option codon_table applies only to a fine-tune"):
        run_training(tiny_spec(data_dir, model_options={**TINY_MODEL, "codon_table": "parent"}), tmp_path / "x")
    with pytest.raises(GenoViewInputError, match="applies only to training from scratch: a fine-tune keeps the shape"):
        run_training(tiny_spec(data_dir, init_from=str(tmp_path / "parent")), tmp_path / "shape")


def test_json_progress_lines_and_a_stop_file(data_dir, tmp_path, capsys):
    stop = tmp_path / "stop"
    stop.touch()     # asked to stop at once: one step, evaluated, finished into a usable model
    assert main(cli_args(data_dir, "--out", str(tmp_path / "m"), "--progress", "json", "--stop-file", str(stop),
                         "--max-steps", "1000")) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "done" and "eval" in kinds
    evaluation = next(e for e in events if e["event"] == "eval")
    assert evaluation["split"] == "validation" and {"step", "epoch", "loss", "mcc", "roc_auc", "eta_seconds"} <= set(evaluation)
    assert events[-1]["stopped_because"] == "stopped by the user" and events[-1]["steps"] == 1
    assert (tmp_path / "m" / "genoview.json").exists()
    assert main(cli_args(data_dir, "--out", str(tmp_path / "m"), "--progress", "json")) == 2
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert error["event"] == "error" and "--overwrite" in error["message"]


def test_train_and_calibrate_are_recorded_and_the_model_registered(data_dir, tmp_path):
    from genoview.core.models import list_models
    from genoview.core.store import open_store

    out = tmp_path / "elsewhere" / "tiny"
    out.parent.mkdir()   # outputs go in existing folders (every command's rule)
    assert main(cli_args(data_dir, "--out", str(out), "--name", "tiny-registered")) == 0
    runs = open_store().runs("train")
    assert runs[0]["status"] == "finished" and runs[0]["model"] == "tiny-registered"
    assert "test_mcc" in runs[0]["metrics"] and runs[0]["params"]["spec"]["seed"] == 5
    assert "tiny-registered" in [m.name for m in list_models()]
    assert main(cli_args(data_dir, "--out", str(tmp_path / "bad"), "--valid-fraction", "0.001")) == 2
    assert open_store().runs("train")[0]["status"] == "failed"
    assert main(["calibrate", "--model", str(out), "--fasta", str(data_dir / "engine_tiny.fa"), "--gff",
                 str(data_dir / "engine_tiny.gff3")]) == 0
    calibration = open_store().runs("calibrate")[0]
    assert calibration["status"] == "finished" and "threshold" in calibration["metrics"]
