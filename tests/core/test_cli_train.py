"""`genoview train` on the tiny fixture genome: options, output directory or library, model card."""
from __future__ import annotations

import json

from genoview.cli import build_parser, main
from genoview.paths import model_library_dir


def tiny_args(data_dir, *extra):
    return ["train", "--fasta", str(data_dir / "engine_tiny.fa"), "--gff", str(data_dir / "engine_tiny.gff3"),
            "--window", "300", "--context", "90", "--model-option", "hidden_size=8", "--model-option", "dilations=[1,3]",
            "--max-steps", "4", "--eval-every", "2", "--eval-windows", "4", "--batch-size", "4", "--seed", "5",
            "--threads", "1", "--test-from", "0.8", *extra]


def test_train_writes_a_documented_model(data_dir, tmp_path, capsys):
    out = tmp_path / "model"
    assert main(tiny_args(data_dir, "--out", str(out), "--name", "tiny-cnn")) == 0
    assert "test MCC" in capsys.readouterr().out
    info = json.loads((out / "genoview.json").read_text())
    assert info["name"] == "tiny-cnn" and info["architecture"] == "genecnn" and info["seed"] == 5
    assert info["command"].startswith("genoview train --architecture genecnn --fasta ")
    assert "--model-option hidden_size=8" in info["command"] and info["training"]["spec"]["max_steps"] == 4
    assert set(info["metrics"]["test"]) >= {"mcc", "roc_auc", "accuracy", "f1"}
    assert 0.05 <= info["genecnn"]["threshold"] <= 0.95   # chosen on the validation slice, folded into the output
    card = (out / "README.md").read_text()
    assert "# tiny-cnn" in card and info["command"] in card
    from genoview.core.models.genecnn import load_track_model

    assert load_track_model(out, "cpu").name == "tiny-cnn"


def test_name_alone_saves_into_the_library_and_refuses_to_overwrite(data_dir, capsys):
    assert main(tiny_args(data_dir, "--name", "lib-cnn", "--max-steps", "2")) == 0
    assert (model_library_dir() / "lib-cnn" / "config.json").exists()
    assert main(tiny_args(data_dir, "--name", "lib-cnn", "--max-steps", "2")) == 2
    assert "--resume" in capsys.readouterr().err


def test_missing_output_and_bad_options_are_input_errors(data_dir, capsys):
    assert main(tiny_args(data_dir)) == 2
    assert "--out" in capsys.readouterr().err
    assert main(tiny_args(data_dir, "--out", "x", "--model-option", "nonsense")) == 2
    assert main(tiny_args(data_dir, "--out", "x", "--metric", "auc")) == 2
    assert "validation metric 'auc' is unknown" in capsys.readouterr().err


def test_architectures_include_kmer_bert():
    parser = build_parser()
    args = parser.parse_args(["train", "--architecture", "kmer-bert", "--fasta", "g.fa", "--out", "o"])
    assert args.architecture == "kmer-bert"


def test_json_eval_events_of_a_geneorf_fine_tune_name_their_candidate():
    import io

    from genoview.cli.train import _JsonLines

    out = io.StringIO()
    events = _JsonLines(out)
    events.log({"step": 2, "epoch": 2.0, "candidate": "adapt", "offset_delta": 0.0, "eval_mcc": 0.84,
                "total_steps": 7, "eta_seconds": None})
    events.log({"step": 3, "epoch": 3.0, "eval_mcc": 0.8, "best": True})   # a window model's: no candidate
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["event"] == "eval" and first["candidate"] == "adapt" and first["offset_delta"] == 0.0
    assert first["mcc"] == 0.84 and "candidate" not in second and second["best"] is True


def test_a_geneorf_fine_tune_names_its_kept_candidate_in_done_and_the_run_record(geneorf_parent, tmp_path, capsys):
    from genoview.core.store import open_store

    parent, fasta, gff = geneorf_parent
    out = tmp_path / "child"
    assert main(["train", "--init", str(parent), "--fasta", fasta, "--gff", gff, "--out", str(out), "--seed", "1",
                 "--threads", "1", "--max-minutes", "5", "--progress", "json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    done = [e for e in events if e["event"] == "done"][-1]
    kept = json.loads((out / "genoview.json").read_text())["fine_tuning"]["chosen"]
    assert done["chosen"] == kept and kept in {e.get("candidate") for e in events if e["event"] == "eval"}
    kept_offset = json.loads((out / "genoview.json").read_text())["fine_tuning"]["offset_delta"]
    assert done["chosen_offset_delta"] == kept_offset and any(
        e.get("candidate") == kept and e.get("offset_delta") == kept_offset for e in events if e["event"] == "eval")
    run = open_store().runs("train")[0]
    assert run["params"]["chosen"] == kept and f"kept candidate: {kept}" in run["message"]


def test_a_window_model_run_has_no_kept_candidate(data_dir, tmp_path, capsys):
    assert main(tiny_args(data_dir, "--out", str(tmp_path / "m"), "--max-steps", "2", "--progress", "json")) == 0
    done = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"event": "done"' in line][-1]
    assert done["chosen"] is None and done["chosen_offset_delta"] is None
