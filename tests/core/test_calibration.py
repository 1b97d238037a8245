"""Decision thresholds chosen on validation data, folded into GeneCNN and k-mer BERT outputs."""
from __future__ import annotations

import json

import numpy as np
import pytest

from genoview.cli import main
from genoview.core.models.base import fold_threshold, logit
from genoview.core.training.calibration import best_threshold, compose_thresholds


def test_fold_threshold_maps_the_threshold_to_one_half_and_keeps_the_order():
    probs = np.array([0.1, 0.3, 0.55, 0.9])
    folded = fold_threshold(probs, 0.55)
    assert folded.dtype == np.float32 and folded[2] == pytest.approx(0.5, abs=1e-6)
    assert np.all(np.diff(folded) > 0)
    assert np.array_equal(fold_threshold(probs, 0.5), probs.astype(np.float32))


def test_composed_threshold_equals_folding_twice():
    probs = np.linspace(0.01, 0.99, 50)
    twice = fold_threshold(fold_threshold(probs, 0.3), 0.6)
    once = fold_threshold(probs, compose_thresholds(0.3, 0.6))
    assert np.allclose(twice, once, atol=1e-6)
    assert compose_thresholds(0.5, 0.7) == pytest.approx(0.7) and logit(0.5) == 0.0


def test_best_threshold_finds_the_separating_line():
    rng = np.random.default_rng(0)
    labels = rng.random(5000) < 0.7
    probs = np.where(labels, rng.uniform(0.62, 1.0, 5000), rng.uniform(0.0, 0.6, 5000))
    threshold, mcc = best_threshold(labels, probs)
    assert 0.6 <= threshold <= 0.62 and mcc == pytest.approx(1.0)


def tiny_genecnn(directory):
    from tests.core.test_genecnn import tiny_model

    tiny_model().save_pretrained(directory)
    (directory / "genoview.json").write_text(json.dumps({"name": "tiny", "architecture": "genecnn"}))


def test_calibrate_command_stores_a_threshold_the_loader_folds_in(data_dir, tmp_path, capsys):
    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region
    from genoview.core.models.genecnn import load_track_model

    tiny_genecnn(tmp_path)
    fasta, gff = str(data_dir / "engine_tiny.fa"), str(data_dir / "engine_tiny.gff3")
    with open_genome(fasta) as genome:
        record = next(iter(genome.sequences.values()))
        raw = predict_region(load_track_model(tmp_path, "cpu"), record, 0, record.length)
    args = ["calibrate", "--model", str(tmp_path), "--fasta", fasta, "--gff", gff, "--from", "0.5", "--to", "0.8", "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    stored = json.loads((tmp_path / "genoview.json").read_text())["genecnn"]["threshold"]
    assert result["threshold"] == stored == pytest.approx(result["chosen"], abs=1e-4)
    assert result["mcc_after"] >= result["mcc_before"]
    track = load_track_model(tmp_path, "cpu")
    assert track.threshold == stored
    folded = predict_region(track, record, 0, record.length)
    assert np.allclose(folded, fold_threshold(raw, stored), atol=1e-5)
    assert np.argsort(folded, kind="stable").tolist() == np.argsort(fold_threshold(raw, stored), kind="stable").tolist()
    # calibrating again on the same data keeps the decision point (0.5 of the folded output is already best)
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["chosen"] == pytest.approx(0.5, abs=0.011)


def test_calibrate_refuses_prodigal_and_missing_regions(data_dir, tmp_path, capsys):
    fasta, gff = str(data_dir / "engine_tiny.fa"), str(data_dir / "engine_tiny.gff3")
    assert main(["calibrate", "--model", "prodigal", "--fasta", fasta, "--gff", gff]) == 2
    assert "no adjustable decision threshold" in capsys.readouterr().err
    tiny_genecnn(tmp_path)
    assert main(["calibrate", "--model", str(tmp_path), "--fasta", fasta, "--gff", gff]) == 2
    assert "--from" in capsys.readouterr().err
