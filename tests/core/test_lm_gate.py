"""Depth-gated mixtures of language models: the n-gram's matched context depth by hand, every next-token
distribution of a same-direction gated mixture sums to one, EM per bucket, folders saved and loaded."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.lm import gene_tokens
from genoview.core.lm_cache import CachedLM
from genoview.core.lm_gate import GatedMixtureLM, depth_buckets, fit_gate, gate_perplexity, gated_logprobs
from genoview.core.models.ngram import build_model, save as save_ngram

RNG = np.random.default_rng(2)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT"]
TRAIN = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 5)) for _ in range(25)]
VALID = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 5)) for _ in range(6)]



def next_token_probabilities(model, prefix: str, reverse: bool) -> list[float]:
    """P(each base, then the end marker) after ``prefix`` in the model's reading direction."""
    if reverse:
        probs = [math.exp(model.token_logprobs([b + prefix])[0][0]) for b in "ACGT"]
    else:
        probs = [math.exp(model.token_logprobs([prefix + b])[0][len(prefix)]) for b in "ACGT"]
    return probs + [math.exp(model.token_logprobs([prefix])[0][-1])]

def test_depths_by_hand():
    model = build_model(["ACGT"], contexts=[0, 1, 2, 3])
    lps, depths = model.logprobs_and_depths(["ACGA"])
    assert np.allclose(lps[0], model.token_logprobs(["ACGA"])[0])
    # tokens A C G A > : contexts '<' '<A' '<AC' '<ACG' then 'ACGA'-ending ones
    # A after '<' (1 token, seen), C after '<A' (2), G after '<AC' (3), A after '<ACG' (3 = longest level),
    # the end after 'CGA': 'GA' never occurs in training, 'A' does (before C)
    assert depths[0].tolist() == [1, 2, 3, 3, 1]
    rev = build_model(["ACGT"], contexts=[0, 1, 2, 3], reverse=True)
    _, rdepths = rev.logprobs_and_depths(["ACGA"])
    # read right to left: training '<TGCA>', query '<AGCA>' -> depths 1 1 1 2 3 in reading order; gene order
    # puts the slot read last (the gene's start) at the end
    assert rdepths[0].tolist() == [2, 1, 1, 1, 3]


def test_depth_buckets():
    assert depth_buckets(np.array([-1, 0, 7, 8, 12, 13, 30]), [8, 13]).tolist() == [0, 0, 0, 1, 1, 2, 2]


def _members(reverse=False):
    short = build_model(TRAIN, contexts=[0, 1, 2], reverse=reverse)
    long = build_model(TRAIN, contexts=[0, 1, 2, 3, 5, 8], reverse=reverse)
    return [short, CachedLM(long, [2, 4], [2.0, 1.0])]


@pytest.mark.parametrize("reverse", [False, True])
def test_gated_mixture_is_normalised(reverse):
    members = _members(reverse)
    model = GatedMixtureLM(members, 1, [2, 5], [[0.9, 0.1], [0.5, 0.5], [0.1, 0.9]])
    assert model.normalised and model.reverse == reverse
    for prefix in ["", "A", VALID[0][:17], VALID[1]]:
        assert sum(next_token_probabilities(model, prefix, reverse)) == pytest.approx(1.0, abs=1e-9)


def test_gated_mixture_by_hand_and_fit():
    members = _members()
    table = np.array([[1.0, 0.0], [0.25, 0.75]])
    model = GatedMixtureLM(members, 1, [4], table)
    gene = VALID[2]
    p0, p1 = (np.exp(m.token_logprobs([gene])[0]) for m in members)
    _, depths = members[1].base.logprobs_and_depths([gene])
    high = depths[0] >= 4
    expected = np.where(high, 0.25 * p0 + 0.75 * p1, p0)
    assert np.allclose(np.exp(model.token_logprobs([gene])[0]), expected)
    # EM per bucket: better (or equal) validation perplexity than any fixed table it starts from
    parts = [np.concatenate(m.token_logprobs(VALID)) for m in members]
    buckets = depth_buckets(np.concatenate(members[1].base.logprobs_and_depths(VALID)[1]), [4])
    fitted = fit_gate(parts, buckets, 2)
    assert np.allclose(fitted.sum(axis=1), 1.0)
    assert gate_perplexity(parts, buckets, fitted) <= gate_perplexity(parts, buckets, np.full((2, 2), 0.5)) + 1e-9
    assert np.allclose(gated_logprobs([[p] for p in parts], [buckets], np.array([[1, 0], [1, 0.0]]))[0], parts[0])


def test_gate_errors():
    members = _members()
    with pytest.raises(GenoViewInputError):
        GatedMixtureLM(members, 0, [4], [[1, 1]])          # two buckets need two rows
    with pytest.raises(GenoViewInputError):
        GatedMixtureLM(members, 1, [4, 2], [[1, 1]] * 3)   # edges must increase
    from genoview.core.lm import EnsembleLM

    with pytest.raises(GenoViewInputError):
        GatedMixtureLM([EnsembleLM(members), members[0]], 0, [4], [[1, 1]] * 2)   # the gate is no n-gram


def test_gated_folder_round_trip(tmp_path):
    from genoview.core.models.lm_ensemble import load, write_ensemble

    members = _members()
    save_ngram(members[0], tmp_path / "short")
    save_ngram(members[1].base, tmp_path / "long")
    gate = {"member": 1, "edges": [3, 6], "weights": [[0.7, 0.3], [0.4, 0.6], [0.05, 0.95]]}
    folder = write_ensemble(tmp_path / "mix", ["short", "long"], [1.0, 1.0], "linear",
                            [None, {"contexts": [2, 4], "alphas": [2.0, 1.0]}], gate=gate)
    assert json.loads((folder / "config.json").read_text())["gate"]["edges"] == [3, 6]
    loaded = load(folder)
    direct = GatedMixtureLM(members, 1, [3, 6], gate["weights"])
    for a, b in zip(loaded.token_logprobs(VALID), direct.token_logprobs(VALID)):
        assert np.allclose(a, b)
    assert not any(p.suffix in (".pkl", ".pt", ".bin") for p in folder.iterdir())
    config = json.loads((folder / "config.json").read_text())
    config["gate"]["weights"] = [[1.0, 0.0]]
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(GenoViewInputError):
        load(folder)
    assert gene_tokens("AC").tolist() == [0, 1, 2, 5]
