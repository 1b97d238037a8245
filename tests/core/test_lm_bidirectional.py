"""Whole next-token distributions (n-gram, prefix cache, match model, gated mixture) agree with the per-token
log-probabilities and sum to one; the bidirectional score (core/lm_bidirectional.py) equals its formula worked
by hand, punishes a base its right side contradicts, and round-trips through an ensemble folder."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.lm import gene_tokens
from genoview.core.lm_bidirectional import BidirectionalLM, bidirectional_logprobs
from genoview.core.lm_cache import CachedLM
from genoview.core.models.ngram import build_model, save as save_ngram
from tests.core.test_lm_match import TRAIN, _gated

GENES = [TRAIN[2][:30] + "A" + TRAIN[2][31:50], "ACGTTGCA", TRAIN[0], "G"]


def _picked(dist, gene):
    codes = gene_tokens(gene)[1:].astype(np.int64) - 1
    return dist[np.arange(len(codes)), codes]


@pytest.mark.parametrize("reverse", [False, True])
def test_distributions_agree_with_token_logprobs_and_sum_to_one(reverse):
    gated, long = _gated(reverse=reverse)
    models = [long, CachedLM(long, [2, 4], [2.0, 1.0]), gated.members[2], gated]
    for model in models:
        dists, lps = model.token_distributions(GENES), model.token_logprobs(GENES)
        for d, lp, gene in zip(dists, lps, GENES):
            assert d.shape == (len(gene) + 1, 5)
            assert np.allclose(_picked(d, gene), lp, atol=1e-12), model.name
            assert np.allclose(np.exp(d).sum(axis=1), 1.0, atol=1e-9), model.name


def test_bidirectional_formula_by_hand():
    f = np.log(np.array([[0.4, 0.3, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.2, 0.05], [0.1, 0.1, 0.1, 0.1, 0.6]]))
    r = np.log(np.array([[0.1, 0.6, 0.1, 0.1, 0.1], [0.7, 0.1, 0.1, 0.05, 0.05], [0.2, 0.2, 0.2, 0.2, 0.2]]))
    prior = np.array([0.3, 0.2, 0.2, 0.3])
    out = bidirectional_logprobs(f, r, np.array([1, 0]), (1.0, 1.0), prior, 1.0)
    q0 = np.exp(f[0, :4] + r[0, :4]) / prior
    q1 = np.exp(f[1, :4] + r[1, :4]) / prior
    assert out[0] == pytest.approx(math.log(q0[1] / q0.sum()))
    assert out[1] == pytest.approx(math.log(q1[0] / q1.sum()))
    assert out[2] == pytest.approx(0.5 * (math.log(0.6) + math.log(0.2)))


def test_a_base_the_right_side_contradicts_scores_lower_than_from_the_left_alone():
    train = [TRAIN[1]] * 3
    fwd = build_model(train, contexts=[0, 1, 2, 3, 4])
    rev = build_model(train, contexts=[0, 1, 2, 3, 4], reverse=True)
    model = BidirectionalLM(fwd, rev, prior=(0.25,) * 4)
    real = TRAIN[1][:40]
    i = 20
    alt = "ACGT"[("ACGT".index(real[i]) + 1) % 4]
    mutated = real[:i] + alt + real[i + 1:]
    both, left = model.token_logprobs([real, mutated]), fwd.token_logprobs([real, mutated])
    assert both[0].mean() > both[1].mean() and left[0].mean() > left[1].mean()
    # the mutated base itself: both sides know it is wrong, so it costs more than from the left only
    assert both[0][i] - both[1][i] > left[0][i] - left[1][i]
    assert not model.causal and not model.normalised


def test_bidirectional_folder_round_trip_and_errors(tmp_path):
    from genoview.core.models.lm_ensemble import load, write_ensemble

    fwd, rev = build_model(TRAIN, contexts=[0, 1, 2, 3]), build_model(TRAIN, contexts=[0, 1, 2, 3], reverse=True)
    save_ngram(fwd, tmp_path / "kn")
    save_ngram(rev, tmp_path / "kn-rev")
    spec = {"weights": [1.0, 0.8], "prior": [0.3, 0.2, 0.2, 0.3], "prior_weight": 0.5}
    folder = write_ensemble(tmp_path / "both", ["kn", "kn-rev"], bidirectional=spec)
    loaded = load(folder)
    direct = BidirectionalLM(fwd, rev, spec["weights"], spec["prior"], spec["prior_weight"])
    assert isinstance(loaded, BidirectionalLM)
    assert all(np.allclose(a, b) for a, b in zip(loaded.token_logprobs(GENES), direct.token_logprobs(GENES)))
    with pytest.raises(GenoViewInputError):
        BidirectionalLM(rev, fwd)
    config = json.loads((folder / "config.json").read_text())
    config["members"] = ["kn"]
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(GenoViewInputError):
        load(folder)
