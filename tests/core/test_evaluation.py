"""Evaluation agrees with ../shared/tools/score_track.py (the independent referee) and with brute force."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from itertools import product

import numpy as np
import pytest

from genoview.core.evaluation import (
    Confusion,
    ThresholdSweep,
    confusion,
    confusion_at,
    error_intervals,
    evaluate,
    evaluate_sequences,
    pr_auc,
    roc_auc,
)

COMPARED = ("n", "tp", "tn", "fp", "fn", "accuracy", "precision", "recall", "f1", "mcc", "roc_auc",
            "genic_fraction", "uncovered")


def write_bedgraph(path, tracks: dict[str, np.ndarray]) -> None:
    """A test-side bedGraph writer: runs of equal values, NaN runs left out (uncovered)."""
    with open(path, "w") as fh:
        fh.write("track type=bedGraph\n")
        for seqid, values in tracks.items():
            change = np.flatnonzero((values[1:] != values[:-1]) & ~(np.isnan(values[1:]) & np.isnan(values[:-1]))) + 1
            starts = np.concatenate(([0], change))
            ends = np.concatenate((change, [len(values)]))
            for a, b in zip(starts, ends):
                if not np.isnan(values[a]):
                    fh.write(f"{seqid}\t{a}\t{b}\t{float(values[a])!r}\n")


def run_score_track(script, track, gff, *args) -> dict:
    done = subprocess.run([sys.executable, str(script), str(track), str(gff), *map(str, args)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout[: done.stdout.rindex("}") + 1])


def assert_agrees(report, reference: dict) -> None:
    mine = report.to_json()
    for key in COMPARED:
        assert mine[key] == pytest.approx(reference[key], abs=1e-4), key


def brute_force_auc(y, p) -> float:
    pos, neg = p[y], p[~y]
    wins = sum((a > b) + 0.5 * (a == b) for a, b in product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_metrics_at_one_threshold():
    labels = np.array([1, 1, 1, 0, 0, 0, 1, 0], dtype=bool)
    probs = np.array([0.9, 0.6, 0.2, 0.7, 0.1, 0.5, 0.5, 0.49], dtype=np.float32)
    c = confusion(labels, probs, 0.5)
    assert (c.tp, c.tn, c.fp, c.fn) == (3, 2, 2, 1)
    assert c.accuracy == pytest.approx(5 / 8)
    assert c.precision == pytest.approx(3 / 5)
    assert c.recall == pytest.approx(3 / 4)
    assert c.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert c.mcc == pytest.approx((3 * 2 - 2 * 1) / np.sqrt(5 * 4 * 4 * 3))
    assert evaluate(labels, probs).confusion == c


def test_mcc_and_precision_are_zero_when_undefined():
    c = Confusion(tp=0, tn=10, fp=0, fn=5)
    assert c.mcc == 0.0 and c.precision == 0.0 and c.f1 == 0.0
    assert Confusion(0, 0, 0, 0).accuracy == 0.0


def test_roc_auc_uses_average_ranks_for_ties():
    rng = np.random.default_rng(1)
    y = rng.random(300) < 0.4
    p = np.round(rng.random(300) * 4) / 4 + 0.1 * y   # many ties
    assert roc_auc(y, p) == pytest.approx(brute_force_auc(y, p), abs=1e-12)
    assert np.isnan(roc_auc(np.ones(5, bool), np.linspace(0, 1, 5)))


def test_pr_auc_is_average_precision():
    assert pr_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.8333333, abs=1e-6)
    assert pr_auc([1, 0, 1], [0.5, 0.5, 0.5]) == pytest.approx(2 / 3)
    assert pr_auc([1, 1, 0], [0.9, 0.8, 0.1]) == pytest.approx(1.0)


def test_confusion_at_many_thresholds_is_exact():
    rng = np.random.default_rng(2)
    y = rng.random(2000) < 0.7
    p = rng.random(2000).astype(np.float32)
    p[::7] = np.float32(0.1)   # a threshold that equals data values exactly
    thresholds = [0.0, 0.1, float(np.float32(0.1)), 0.25, 0.5, float(p[3]), 0.999, 1.0, 2.0]
    for t, counts in zip(thresholds, confusion_at(y, p, thresholds)):
        assert counts == confusion(y, p, t), t


def test_nan_is_uncovered_and_counts_as_zero():
    y = np.array([1, 0, 1, 0], dtype=bool)
    p = np.array([np.nan, np.nan, 0.8, 0.2], dtype=np.float32)
    report = evaluate(y, p, threshold=0.0)
    assert report.uncovered == 2
    assert report.tp == 2 and report.fp == 2   # 0 >= 0: uncovered bases are predicted at threshold 0
    assert evaluate(y, p).to_json()["uncovered"] == 2
    assert evaluate(y, p).tp == 1


def test_report_json_curves_and_histogram():
    rng = np.random.default_rng(3)
    y = rng.random(5000) < 0.5
    p = np.clip(0.3 * y + rng.random(5000) * 0.7, 0, 1)
    report = evaluate(y, p, threshold=0.4)
    out = json.loads(json.dumps(report.to_json(curves=True)))
    assert set(COMPARED) | {"pr_auc", "threshold", "curves", "histogram"} == set(out)
    curves = out["curves"]
    assert (curves["fpr"][0], curves["tpr"][0]) == (0.0, 0.0)
    assert (curves["fpr"][-1], curves["tpr"][-1]) == (1.0, 1.0)
    assert np.all(np.diff(curves["fpr"]) >= 0)
    # the trapezoid under the 1001-point curve is close to the exact AUC
    assert np.trapezoid(curves["tpr"], curves["fpr"]) == pytest.approx(report.roc_auc, abs=2e-3)
    hist = out["histogram"]
    assert sum(hist["genic"]) == y.sum() and sum(hist["nongenic"]) == (~y).sum()
    assert report.at(0.9) == confusion(y, p, 0.9)
    assert evaluate(np.zeros(0, bool), np.zeros(0)).to_json()["roc_auc"] is None


def test_error_intervals():
    y = np.array([0, 0, 1, 1, 1, 0, 0, 1, 0], dtype=bool)
    p = np.array([0.9, 0.9, 0.9, 0.1, 0.1, 0.2, 0.8, 0.1, 0.6])
    assert error_intervals(y, p, 0.5, "fp") == [(0, 2), (6, 7), (8, 9)]
    assert error_intervals(y, p, 0.5, "fn", offset=100) == [(103, 105), (107, 108)]
    with pytest.raises(ValueError):
        error_intervals(y, p, 0.5, "tp")


def test_sweep_of_many_equal_values():
    sweep = ThresholdSweep(np.array([1, 0, 1, 0], bool), np.full(4, 0.5))
    assert sweep.values.tolist() == [0.5]
    assert sweep.roc_auc() == 0.5


def _score_track_module(script):
    spec = importlib.util.spec_from_file_location("score_track_ref", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_agrees_with_score_track_on_tiny_fixture(tmp_path, data_dir, score_track_script):
    gff = data_dir / "eval_tiny.gff3"
    ref = _score_track_module(score_track_script)
    lengths = ref.sequence_lengths(str(gff))
    labels = ref.gene_labels(str(gff), lengths, {"gene", "pseudogene"})
    rng = np.random.default_rng(4)
    tracks = {}
    for seqid, y in labels.items():
        p = np.round(np.clip(0.35 * y + rng.random(len(y)) * 0.65, 0, 1), 2).astype(np.float32)
        p[len(p) // 3: len(p) // 3 + 17] = np.nan   # a gap in the track: uncovered
        tracks[seqid] = p
    track_path = tmp_path / "tiny.bedGraph"
    write_bedgraph(track_path, tracks)
    for frac_from, frac_to, threshold in ((0.0, 1.0, 0.5), (0.25, 0.9, 0.42), (0.7, 1.0, 0.61)):
        expected = run_score_track(score_track_script, track_path, gff, "--from", frac_from, "--to", frac_to,
                                   "--threshold", threshold)
        report = evaluate_sequences(labels, tracks, frac_from, frac_to, threshold)
        assert_agrees(report, expected)
    # a sequence the track does not mention is entirely uncovered
    only_a = evaluate_sequences(labels, {"chrA": tracks["chrA"]})
    assert only_a.uncovered == int(np.isnan(tracks["chrA"]).sum()) + len(labels["chrB"])


@pytest.mark.realdata
def test_agrees_with_score_track_on_ecoli_slice(tmp_path, ecoli_gff, score_track_script):
    """A synthetic noisy track over ~300 kb of E. coli's test part, scored by both."""
    ref = _score_track_module(score_track_script)
    lengths = ref.sequence_lengths(str(ecoli_gff))
    labels = ref.gene_labels(str(ecoli_gff), lengths, {"gene", "pseudogene"})
    y = labels["NC_000913.3"]
    lo, hi = int(len(y) * 0.7), int(len(y) * 0.765)
    rng = np.random.default_rng(5)
    p = np.full(len(y), np.nan, dtype=np.float32)
    noise = np.repeat(rng.normal(0, 0.3, (hi - lo) // 20 + 1), 20)[: hi - lo]   # 20-base steps: a short file
    p[lo:hi] = np.clip(0.5 + 0.25 * (2 * y[lo:hi] - 1) + noise, 0, 1).round(3)
    p[lo + 1000: lo + 1500] = np.nan
    track_path = tmp_path / "ecoli_slice.bedGraph"
    write_bedgraph(track_path, {"NC_000913.3": p})
    expected = run_score_track(score_track_script, track_path, ecoli_gff, "--from", 0.7, "--to", 0.765)
    report = evaluate_sequences(labels, {"NC_000913.3": p}, 0.7, 0.765)
    assert_agrees(report, expected)
    assert 0.3 < report.mcc < 0.99 and report.uncovered == 500
