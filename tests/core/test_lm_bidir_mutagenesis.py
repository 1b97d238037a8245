"""Saturation mutagenesis with the bidirectional score (core/lm_bidirectional.py, lm-human-genes-bidir's shape):
each member's whole next-token distributions of a variant from its own fast path (lm_mutagenesis: n-gram,
prefix cache, match model, gated mixture, LSTM, GPT), then the formula. Equal to full re-scoring of every
mutated sequence; no mutated sequence is re-scored whole."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from test_lm_match import TRAIN as MATCH_TRAIN, _gated as _match_gated  # noqa: E402 - same folder
from test_variant_effects_lmfast import LONG, SHORT, _all_variants, _cached, _gpt, _lstm, _ngram  # noqa: E402


def _bidir_of_gated_mixtures():
    from genoview.core.lm_bidirectional import BidirectionalLM

    return BidirectionalLM(_match_gated(reverse=False)[0], _match_gated(reverse=True)[0], (0.5, 0.3),
                           (0.3, 0.2, 0.2, 0.3), 1.0)


def _bidir_of_networks():
    from genoview.core.lm_bidirectional import BidirectionalLM
    from genoview.core.lm_gate import GatedMixtureLM

    forward = GatedMixtureLM([_cached(_ngram(False)), _lstm(False)], 0, [2, 4],
                             np.random.default_rng(2).uniform(0.1, 1.0, size=(3, 2)))
    reverse = GatedMixtureLM([_gpt(True), _cached(_ngram(True))], 1, [2, 4],
                             np.random.default_rng(4).uniform(0.1, 1.0, size=(3, 2)))
    return BidirectionalLM(forward, reverse, (0.7, 0.4), (0.25, 0.25, 0.25, 0.25), 0.5)


def _check_exact(model, sequence, positions, monkeypatch, atol=2e-5):
    from genoview.core.lm import TorchCausalLM
    from genoview.core.lm_bidirectional import BidirectionalLM
    from genoview.core.lm_cache import CachedLM
    from genoview.core.lm_gate import GatedMixtureLM
    from genoview.core.lm_match import MatchLM
    from genoview.core.lm_mutagenesis import mutated_sequence, prepare_variants
    from genoview.core.models.ngram import NgramLM

    scorer = prepare_variants(model, sequence)
    assert type(scorer).__name__ == "_Bidirectional"
    assert np.allclose(scorer.reference, model.token_logprobs([sequence])[0], atol=atol)
    variants = _all_variants(sequence, positions)
    full = [model.token_logprobs([mutated_sequence(sequence, v)])[0] for v in variants]
    with monkeypatch.context() as patch:
        def whole(*args, **kwargs):
            raise AssertionError("a mutated sequence was re-scored whole")

        for cls in (GatedMixtureLM, BidirectionalLM, CachedLM, MatchLM, NgramLM, TorchCausalLM):
            for name in ("token_distributions", "token_logprobs"):
                patch.setattr(cls, name, whole)
        fast = scorer(variants)
    for v, a, b in zip(variants, fast, full):
        assert a.shape == b.shape, v
        assert np.allclose(a, b, atol=atol), (v, np.abs(a - b).max())


def test_bidirectional_over_gated_mixtures_with_match_states_equals_full_rescoring(monkeypatch):
    model = _bidir_of_gated_mixtures()
    sequence = MATCH_TRAIN[2][:30] + "A" + MATCH_TRAIN[2][31:50]     # a relative in training: match states open
    _check_exact(model, sequence, range(len(sequence)), monkeypatch)


def test_bidirectional_over_lstm_gpt_and_caches_equals_full_rescoring(monkeypatch):
    model = _bidir_of_networks()
    _check_exact(model, SHORT, range(len(SHORT)), monkeypatch)
    _check_exact(model, LONG, [0, 1, 31, 40, 80, 81], monkeypatch)       # the GPT's sliding windows


def test_bidirectional_edges_last_base_deleted_and_a_one_base_sequence():
    from genoview.core.lm_mutagenesis import DELETION, mutated_sequence, prepare_variants

    for model in (_bidir_of_gated_mixtures(), _bidir_of_networks()):
        for sequence, variant in ((SHORT, (len(SHORT) - 1, DELETION)), (SHORT, (0, DELETION)), ("G", (0, DELETION)),
                                  ("G", (0, 1))):
            fast = prepare_variants(model, sequence)([variant])[0]
            full = model.token_logprobs([mutated_sequence(sequence, variant)])[0]
            assert fast.shape == full.shape and np.allclose(fast, full, atol=2e-5), (sequence, variant)


def test_saturation_with_the_bidirectional_score_fast_equals_full():
    from genoview.core.variant_effects import saturation_lm

    model = _bidir_of_networks()
    fast = saturation_lm(model, LONG, 20, 45, deletions=True)
    full = saturation_lm(model, LONG, 20, 45, deletions=True, fast=False)
    assert fast.extra.get("fast") and np.isfinite(fast.effects).sum() == 25 * 4
    assert np.allclose(fast.effects, full.effects, atol=5e-5, equal_nan=True)


def test_shipped_bidirectional_model_fast_equals_full_on_a_slice():
    """lm-human-genes-bidir (two gated mixtures of n-gram + cache, LSTM, GPT and match model): a few variants."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.lm_models import load_language_model
    from genoview.core.lm_mutagenesis import mutated_sequence, prepare_variants

    try:
        model = load_language_model("lm-human-genes-bidir")
    except GenoViewInputError:
        pytest.skip("lm-human-genes-bidir not shipped")
    sequence = "".join(np.random.default_rng(3).choice(list("ACGT"), 120))
    scorer = prepare_variants(model, sequence)
    assert type(scorer).__name__ == "_Bidirectional"
    variants = _all_variants(sequence, [0, 60, 119])
    fast = scorer(variants)
    full = [model.token_logprobs([mutated_sequence(sequence, v)])[0] for v in variants]
    for a, b in zip(fast, full):
        assert np.allclose(a, b, atol=1e-4)
