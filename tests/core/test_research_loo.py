"""bench/research/loo's two stage-feature ideas (session 16, research only) compute what their decision record says:
rbs.classes bins the longest AGGAGG piece by Prodigal's spacer bins; markov.features gives a genome's own
codon-biased genes a positive in-frame log-odds and a positive margin over the other five readings. Synthetic
sequences, no data, ~1 s."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from genoview.core import genecalls as gc

LOO = Path(__file__).resolve().parents[2] / "bench" / "research" / "loo"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"loo_{name}_research", LOO / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _codes(text):
    return np.array(["ACGT".index(c) for c in text], dtype=np.uint8)


@pytest.mark.parametrize("upstream, expected", [
    ("TTTTTTTTTT" + "AGGAGG" + "TTTTTTT", (6 - 3) * 4 + 1 + 1),     # whole motif, spacer 7 (bin 5-10)
    ("TTTTTTTTTTTTTT" + "AGGAGG" + "TTT", (6 - 3) * 4 + 0 + 1),     # spacer 3 (bin 3-4)
    ("TTTTTTTTTTTT" + "GGAG" + "TTTTTTT", (4 - 3) * 4 + 1 + 1),  # a 4-b piece, spacer 7
    ("AGGAGG" + "T" * 17, 0),                                       # too far: every piece ends > 15 b before
    ("T" * 23, 0),
])
def test_rbs_classes(upstream, expected):
    rbs = _load("rbs")
    seq = _codes(upstream + "ATG" + "T" * 30)
    assert rbs.classes(seq, [len(upstream)])[0] == expected


def test_markov_features_favour_own_genes():
    markov = _load("markov")
    rng = np.random.default_rng(1)
    favoured = ["GCT", "GAA", "CTG", "AAA", "GGC", "ATC", "CGT", "GAT"]   # a strong codon bias, no stop codon
    parts, genes = [], []
    pos = 0
    for _ in range(12):
        spacer = "".join(rng.choice(list("ACGT"), 150))
        gene = "ATG" + "".join(rng.choice(favoured, 299)) + "TAA"
        parts += [spacer, gene]
        genes.append((pos + len(spacer), pos + len(spacer) + len(gene)))
        pos += len(spacer) + len(gene)
    text = "".join(parts)
    seqs = gc.enumerate_candidates({"s": _codes(text)}, 11)
    cands = seqs[0].strands[1]
    picked = np.array([int(np.nonzero((cands.start_nt == a) & (cands.end_nt == b))[0][0]) for a, b in genes])
    kept = {"seqs": seqs, "chosen": {(0, 1): picked, (0, -1): np.zeros(0, np.int64)}}
    x = markov.features(kept, [(0, 1, int(j)) for j in picked])
    assert x.shape == (len(genes), 3)
    assert (x[:, 0] > 0).all() and (x[:, 2] > 0).all()
    np.testing.assert_allclose(x[:, 0], 3 * x[:, 1] / 903)


def test_diag_auc_gives_ties_their_midrank():
    """diag.auc is the Mann-Whitney AUC with tied scores at their mean rank (a true-false tie counts a half, whatever
    the order of the calls); session 16's version ranked ties by order (all-equal scores gave 0.25 or 0.75)."""
    diag = _load("diag")
    rng = np.random.default_rng(0)
    score = rng.integers(0, 4, 60).astype(float)   # many ties
    y = rng.random(60) < 0.4
    pairs = [(1.0 if s > t else 0.5 if s == t else 0.0) for s in score[y] for t in score[~y]]
    assert diag.auc(score, y) == pytest.approx(np.mean(pairs))
    assert diag.auc(score[::-1], y[::-1]) == pytest.approx(np.mean(pairs))   # the calls' order does not matter
    assert diag.auc([1, 1, 1, 1], [1, 0, 1, 0]) == 0.5 and diag.auc([0, 1, 2, 3], [0, 0, 1, 1]) == 1.0
    assert np.isnan(diag.auc([1, 2], [1, 1]))
