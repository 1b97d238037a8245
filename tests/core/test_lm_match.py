"""The match model (copy expert, core/lm_match.py): a hand-made match through a substitution, every next-token
distribution sums to one, hit rates fitted per state, variants equal full re-scoring, and a depth x match-state
gated mixture saved in an ensemble folder and loaded back (normalised, same numbers)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.lm import gene_tokens
from genoview.core.lm_match import (N_STATES, MatchIndex, MatchLM, MatchVariants, fit_hits, match_config,
                                    match_states)
from genoview.core.models.ngram import build_model, save as save_ngram
from tests.core.test_lm_gate import next_token_probabilities

RNG = np.random.default_rng(7)
TRAIN = ["".join(RNG.choice(list("ACGT"), 60)) for _ in range(6)]


def _targets(gene, reverse=False):
    return gene_tokens(gene, reverse)[1:].astype(np.int64) - 1


def _model(k=4, reverse=False):
    hit = np.linspace(0.3, 0.9, N_STATES)
    return MatchLM(MatchIndex([gene_tokens(g, reverse) for g in TRAIN], k), hit, reverse)


def test_a_match_by_hand_keeps_its_place_through_a_substitution():
    index = MatchIndex([gene_tokens("ACGTTGCAAC")], 4)
    query = "GACGTAGCAAC"        # ACGT seeds the match; the substituted A (T in training) is predicted T
    preds, states = match_states(_targets(query), index)
    # places: G A C G T A G C A A C end; the seed ACGT ends at place 4, the match predicts from place 5 on
    assert preds.tolist() == [-1] * 5 + [3, 2, 1, 0, 0, 1, 4]
    assert states[:5].tolist() == [0] * 5 and (states[5:] > 0).all()
    # 1 prediction made, 0 hits -> state 1; then 1 of 2 -> 1 + 17 // 3 = 6
    assert states[5] == 1 and states[6] == 1 and states[7] == 1 + (1 * 17) // 3


def test_no_match_is_uniform_and_a_match_closes_after_misses():
    index = MatchIndex([gene_tokens("ACGT" + "A" * 20)], 4)
    model = MatchLM(index, np.full(N_STATES, 0.9))
    assert np.allclose(model.token_logprobs(["GGGGGGGG"])[0], math.log(0.2))     # no seed: 1/5 each
    preds, states = match_states(_targets("ACGT" + "C" * 12), index)
    # the seed ends at place 3; 8 predictions (A, all missed) at places 4..11, then the match closes
    assert (states[4:12] > 0).all() and (states[12:] == 0).all() and (states[:4] == 0).all()
    assert (preds[4:12] == 0).all()


@pytest.mark.parametrize("reverse", [False, True])
def test_match_model_is_normalised(reverse):
    model = _model(reverse=reverse)
    for prefix in ["", "AC", TRAIN[1][:20], TRAIN[2][5:30] + "A" + TRAIN[2][31:40]]:
        assert sum(next_token_probabilities(model, prefix, reverse)) == pytest.approx(1.0, abs=1e-12)


def test_fit_hits_and_errors():
    index = MatchIndex([gene_tokens(g) for g in TRAIN], 4)
    hit = fit_hits([_targets(TRAIN[0][:30] + "G" + TRAIN[0][31:])], index)
    assert hit.shape == (N_STATES,) and ((hit >= 0.01) & (hit <= 0.99)).all() and hit[0] == 0.2
    assert hit.max() == 0.99          # the copied gene's matches hit almost always
    with pytest.raises(GenoViewInputError):
        MatchLM(index, np.ones(N_STATES))
    with pytest.raises(GenoViewInputError):
        MatchIndex([], 40)
    assert len(match_config(1, 4, hit)["hit"]) == N_STATES


@pytest.mark.parametrize("reverse", [False, True])
def test_variants_equal_full_rescoring(reverse):
    from genoview.core.lm_mutagenesis import DELETION, mutated_sequence

    model = _model(reverse=reverse)
    for sequence in (TRAIN[3][:45] + "T" + TRAIN[3][46:], TRAIN[4][10:] + TRAIN[5][:30], "ACGTA"):
        tokens = gene_tokens(sequence, reverse)
        scorer = MatchVariants(model, tokens)
        lps, states = model.logprobs_and_states([sequence])
        variants = [(i, c) for i in range(len(sequence)) for c in (DELETION, 1, 2, 3, 4)
                    if c == DELETION or "ACGT"[c - 1] != sequence[i]]
        rows = []
        for i, code in variants:
            u = (len(sequence) - 1 - i if reverse else i) + 1
            t = np.delete(tokens, u) if code == DELETION else tokens.copy()
            if code != DELETION:
                t[u] = code
            rows.append((u, code == DELETION, t.astype(np.int64)))
        for (i, code), (lp, st) in zip(variants, scorer.reading(rows)):
            full_lp, full_st = model.logprobs_and_states([mutated_sequence(sequence, (i, code))])
            order = (lambda a: np.concatenate([a[-2::-1], a[-1:]])) if reverse else (lambda a: a)
            assert np.allclose(order(lp), full_lp[0]) and (order(st) == full_st[0]).all(), (i, code)


def _gated(tmp_path=None, reverse=False):
    from genoview.core.lm_cache import CachedLM
    from genoview.core.lm_gate import GatedMixtureLM

    long = build_model(TRAIN, contexts=[0, 1, 2, 3, 5, 8], reverse=reverse, table_contexts=3)   # saves its genes
    long.train_tokens = [gene_tokens(g, reverse) for g in TRAIN]
    short = build_model(TRAIN, contexts=[0, 1, 2], reverse=reverse)
    match = MatchLM(MatchIndex(long.train_tokens, 4), np.linspace(0.3, 0.95, N_STATES), reverse)
    table = np.random.default_rng(3).uniform(0.05, 1.0, size=(3 * N_STATES, 3))
    return GatedMixtureLM([CachedLM(long, [2, 4], [2.0, 1.0]), short, match], 0, [3, 6], table, states=2), long


@pytest.mark.parametrize("reverse", [False, True])
def test_gated_mixture_with_match_states_is_normalised_and_variants_exact(reverse):
    from genoview.core.lm_mutagenesis import DELETION, mutated_sequence, prepare_variants

    model, _ = _gated(reverse=reverse)
    assert model.normalised and model.n_states == N_STATES
    prefix = TRAIN[1][:25] + "T" + TRAIN[1][26:40]
    if reverse:
        probs = [math.exp(model.token_logprobs([b + prefix])[0][0]) for b in "ACGT"]
    else:
        probs = [math.exp(model.token_logprobs([prefix + b])[0][len(prefix)]) for b in "ACGT"]
    probs.append(math.exp(model.token_logprobs([prefix])[0][-1]))
    assert sum(probs) == pytest.approx(1.0, abs=1e-9)
    sequence = TRAIN[2][:30] + "A" + TRAIN[2][31:50]
    scorer = prepare_variants(model, sequence)
    assert np.allclose(scorer.reference, model.token_logprobs([sequence])[0])
    variants = [(i, c) for i in (0, 1, 12, 30, 31, 48, 49) for c in (DELETION, 1, 3)]
    full = [model.token_logprobs([mutated_sequence(sequence, v)])[0] for v in variants]
    # the fast path: no mutated sequence is re-scored whole (neither by the mixture nor by the match model)
    from genoview.core.lm_gate import GatedMixtureLM

    def whole(*args, **kwargs):
        raise AssertionError("a mutated sequence was re-scored whole")

    with pytest.MonkeyPatch.context() as patch:
        for cls in (GatedMixtureLM, MatchLM):
            patch.setattr(cls, "token_logprobs", whole)
        patch.setattr(MatchLM, "logprobs_and_states", whole)
        fast = scorer(variants)
    for v, a, b in zip(variants, fast, full):
        assert np.allclose(a, b), v


def test_ensemble_folder_with_match_and_states_round_trip(tmp_path):
    from genoview.core.lm_match import match_config
    from genoview.core.models.lm_ensemble import load, write_ensemble

    model, long = _gated()
    save_ngram(long, tmp_path / "kn")
    save_ngram(build_model(TRAIN, contexts=[0, 1, 2]), tmp_path / "kn-short")
    folder = write_ensemble(tmp_path / "mix", ["kn", "kn-short"], combine="linear",
                            cache=[{"contexts": [2, 4], "alphas": [2.0, 1.0]}, None],
                            gate={"member": 0, "edges": [3, 6], "states": 2, "weights": model.table.tolist()},
                            match=[match_config(0, 4, model.members[2].hit)])
    config = json.loads((folder / "config.json").read_text())
    assert config["gate"]["states"] == 2 and config["match"][0]["source"] == 0
    loaded = load(folder)
    genes = [TRAIN[3][:40] + "GG" + TRAIN[3][42:], TRAIN[0]]
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(loaded.token_logprobs(genes), model.token_logprobs(genes)))
    config["match"][0]["source"] = 5
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(GenoViewInputError):
        load(folder)
