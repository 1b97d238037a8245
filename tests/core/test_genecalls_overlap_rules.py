"""Strand-aware overlap rules in the gene choice (genecalls.OverlapRules, choose_genes(..., rules=...)): the
dynamic programme equals exhaustive search over every subset of small random candidate sets on both strands, and
without rules the choice is today's (max_overlap for every pair)."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest

from genoview.core import genecalls as gc
from genoview.core.errors import GenoViewInputError
from genoview.core.genecalls import OverlapRules


def _allowed(i, j, left, right, strand, rules):
    """May candidates i and j both be kept (the definition, pair by pair)?"""
    if (right[i], left[i]) > (right[j], left[j]):
        i, j = j, i
    if not (left[i] < left[j] and right[i] < right[j]):     # one inside the other (or the same span)
        return False
    return right[i] - left[j] <= rules.allowance(int(strand[i]), int(strand[j]))


def _exhaustive(left, right, score, strand, rules):
    idx = [k for k in range(len(score)) if score[k] > 0]
    ok = {(i, j): _allowed(i, j, left, right, strand, rules) for i in idx for j in idx if i < j}
    best = 0.0
    for size in range(1, len(idx) + 1):
        for subset in itertools.combinations(idx, size):
            if all(ok[pair] for pair in itertools.combinations(subset, 2)):
                best = max(best, float(score[list(subset)].sum()))
    return best


def _random_set(rng, n):
    length = rng.choice([90, 90, 93, 120, 150, 240, 400], size=n)    # 90 = the shortest candidate (MIN_GENE)
    left = rng.integers(0, 600, size=n)
    if n > 3:                                                     # shared left and right ends
        left[1] = left[0]
        left[3], length[3] = left[2] + length[2] - 90, 90
    right = left + length
    score = rng.normal(1.0, 1.5, size=n)
    strand = rng.choice([1, -1], size=n)
    return left, right, score, strand


@pytest.mark.parametrize("rules", [OverlapRules(90, 90, 0), OverlapRules(60, 200, 0), OverlapRules(90, 0, 90),
                                   OverlapRules(30, 30, 30), OverlapRules(0, 0, 0), OverlapRules(100, 150, 60)])
def test_rules_choice_equals_exhaustive_search(rules):
    rng = np.random.default_rng(sum(rules.to_json().values()))
    for _ in range(150):
        left, right, score, strand = _random_set(rng, int(rng.integers(1, 11)))
        picked = gc.choose_genes(left, right, score, rules=rules, strand=strand)
        assert all(_allowed(i, j, left, right, strand, rules) for i, j in itertools.combinations(picked, 2))
        assert all(score[picked] > 0)
        assert float(score[picked].sum()) == pytest.approx(_exhaustive(left, right, score, strand, rules), abs=1e-9)


def test_rules_can_be_given_as_max_overlap_and_through_decode():
    rng = np.random.default_rng(7)
    left, right, score, strand = _random_set(rng, 10)
    rules = OverlapRules(90, 90, 0)
    assert list(gc.choose_genes(left, right, score, rules, strand=strand)) == \
        list(gc.choose_genes(left, right, score, rules=rules, strand=strand))
    with pytest.raises(ValueError, match="strand"):
        gc.choose_genes(left, right, score, rules=rules)


def test_without_rules_the_choice_is_todays():
    """rules=None is the strand-blind choice bit for bit (pinned on a fixed set: a 60 b overlap kept whatever the
    strands, a 90 b candidate at the start of a longer one kept beside it)."""
    left = np.array([0, 250, 400, 400, 1000, 1300])
    right = np.array([300, 700, 490, 900, 1360, 1800])
    score = np.array([2.0, 3.0, 1.0, 2.5, 1.0, 2.0])
    strand = np.array([-1, 1, -1, 1, 1, -1])
    assert list(gc.choose_genes(left, right, score, 60)) == [0, 1, 4, 5]
    assert list(gc.choose_genes(left, right, score, 90)) == [0, 2, 3, 4, 5]   # 2 (90 b) shares 3's left end
    assert list(gc.choose_genes(left, right, score, 90, rules=None, strand=strand)) == [0, 2, 3, 4, 5]
    # 0 (-) then 1 (+) head to head: 50 b of 5'-5' overlap, none allowed; 2 inside 3's span: never
    assert list(gc.choose_genes(left, right, score, rules=OverlapRules(90, 90, 0), strand=strand)) == [0, 3, 4, 5]


def test_rules_validation_and_config():
    with pytest.raises(ValueError, match="at least the smaller"):
        OverlapRules(30, 90, 60)
    with pytest.raises(ValueError, match="whole number"):
        OverlapRules(-1, 0, 0)
    with pytest.raises(ValueError, match="overlap_rules must be"):
        OverlapRules.from_value({"same": 90})
    assert OverlapRules.from_value({"same": 90.0, "convergent": 90, "divergent": 0}) == OverlapRules(90, 90, 0)
    for bad in (90.5, float("inf"), float("nan"), "90", None, True, 1e30):   # json.loads reads Infinity and NaN
        with pytest.raises(ValueError, match="whole number"):
            OverlapRules.from_value({"same": bad, "convergent": 0, "divergent": 0})
    rules = gc.max_overlap_of(SimpleNamespace(max_overlap=90, overlap_rules={"same": 90, "convergent": 90,
                                                                            "divergent": 0}))
    assert rules == OverlapRules(90, 90, 0) and rules.to_json() == {"same": 90, "convergent": 90, "divergent": 0}
    assert gc.max_overlap_of(SimpleNamespace(max_overlap=90, overlap_rules=None)) == 90
    assert gc.self_training_of(SimpleNamespace(overlap_rules=rules.to_json()))["max_overlap"] == rules


def test_a_folder_with_the_key_decodes_by_its_rules(tmp_path):
    """config.json's "overlap_rules" reaches the app's loaded model (weights.GeneORFWeights) and every decoding
    it runs (genecalls.self_training_of); a folder without the key decodes with max_overlap as before."""
    import json
    import shutil
    from pathlib import Path

    from genoview.core.models.geneorf.weights import GeneORFWeights

    shipped = Path(__file__).resolve().parents[2] / "models" / "geneorf-bacteria"
    folder = tmp_path / "geneorf-rules"
    shutil.copytree(shipped, folder)
    config = json.loads((folder / "config.json").read_text())
    assert "overlap_rules" not in config
    assert gc.self_training_of(GeneORFWeights(folder).config)["max_overlap"] == config["max_overlap"]
    config["overlap_rules"] = {"same": 90, "convergent": 90, "divergent": 0}
    (folder / "config.json").write_text(json.dumps(config))
    assert gc.self_training_of(GeneORFWeights(folder).config)["max_overlap"] == OverlapRules(90, 90, 0)
    config["overlap_rules"] = {"same": 30, "convergent": 90, "divergent": 60}
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(GenoViewInputError, match=r"config\.json: overlap rules: same \(30\) must be at least") as err:
        GeneORFWeights(folder)
    assert err.value.path == str(folder / "config.json") and "delete the key" in str(err.value)
    # through the app's loader (genoview predict, the window): the message reaches the user unchanged, with the fix
    from genoview.core.models import load_model

    config["overlap_rules"] = {"same": 90, "convergent": 90}
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(GenoViewInputError, match=r'overlap_rules must be .*geneorf-rules.*"divergent": 0\} with same'):
        load_model(folder, device="cpu")
    # training from the folder reads it through transformers (GeneORFModel.from_pretrained): named there too
    from genoview.core.models.geneorf import GeneORFModel

    with pytest.raises(GenoViewInputError, match="overlap_rules must be .*delete the key") as err:
        gc.self_training_of(GeneORFModel.from_pretrained(str(folder), local_files_only=True).config)
    assert err.value.path == str(folder / "config.json")
    with pytest.raises(ValueError, match="overlap_rules must be"):   # a config from no folder: the plain fault
        gc.max_overlap_of(SimpleNamespace(overlap_rules={"same": 90}))


def test_rules_with_tied_scores_and_edge_genes_do_not_depend_on_reach():
    """Whole-number scores (many chains of equal total) and genes at both sequence edges (left end 0, right end the
    last base): the choice still has the exhaustive search's total, and it is the same set whatever ``reach`` (where
    rules_dp splits each candidate's reads into safe and checked ones) — saturation mutagenesis re-decodes with its
    own reach (orf_mutagenesis), so a tie broken by the split would differ from a full re-run."""
    rng = np.random.default_rng(11)
    for rules in (OverlapRules(90, 90, 0), OverlapRules(60, 200, 0), OverlapRules(100, 150, 60)):
        for _ in range(300):
            n = int(rng.integers(2, 11))
            left, right, _, strand = _random_set(rng, n)
            left[-1], right[-1] = 0, int(rng.choice([90, 120, 240]))            # a 5'/3'-partial gene at base 0
            right[-2] = int(right.max()) + 40                                    # one reaching the sequence end
            score = rng.integers(-1, 4, size=n).astype(float)
            picked = gc.choose_genes(left, right, score, rules=rules, strand=strand)
            assert float(score[picked].sum()) == _exhaustive(left, right, score, strand, rules)
            keep = np.nonzero(score > 0)[0]
            if not len(keep):
                continue
            order = keep[np.lexsort((left[keep], right[keep]))]
            args = (left[order].astype(np.int64), right[order].astype(np.int64), score[order],
                    np.where(strand[order] > 0, 1, -1), rules)
            shortest = int((right[order] - left[order]).min())
            chains = {tuple(gc.rules_traceback(gc.rules_dp(*args, reach))) for reach in (0, 45, shortest - 1)}
            assert len(chains) == 1


def test_rules_on_empty_and_non_positive_input():
    none = np.array([], dtype=np.int64)
    assert len(gc.choose_genes(none, none, np.array([]), rules=OverlapRules(90, 90, 0), strand=none)) == 0
    left, right = np.array([0, 200]), np.array([300, 500])
    for score in (np.array([0.0, -1.0]), np.array([-2.0, -0.5])):
        picked = gc.choose_genes(left, right, score, rules=OverlapRules(90, 90, 0), strand=np.array([1, -1]))
        assert len(picked) == 0 and picked.dtype.kind == "i"


def test_equal_allowances_below_the_shortest_gene_choose_todays_set():
    """OverlapRules(m, m, m) with m < 90 (the shortest candidate) forbids what max_overlap m forbids (a gene inside
    another would share all its >= 90 bases): on sets of up to 40 candidates, too many for exhaustive search, the
    two dynamic programmes keep the same genes."""
    rng = np.random.default_rng(3)
    for m in (0, 30, 60, 89):
        for _ in range(300):
            left, right, score, strand = _random_set(rng, int(rng.integers(1, 41)))
            today = gc.choose_genes(left, right, score, m)
            assert sorted(gc.choose_genes(left, right, score, rules=OverlapRules(m, m, m), strand=strand)) == \
                sorted(today)
