"""Saturation mutagenesis with a gated mixture (core/lm_gate.py, lm-human-genes-causal's shape): each member's
variants as the fast path computes them, mixed per token by the gate's depth bucket, recomputed only where a
variant changes the gate's contexts. Equal to full re-scoring; no mutated sequence is re-scored whole."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from test_variant_effects_lmfast import LONG, SHORT, _cached, _check, _gpt, _lstm, _ngram  # noqa: E402 - same folder


def _gated(gate_reverse=False, cached_gate=True):
    from genoview.core.lm_gate import GatedMixtureLM

    gate = _ngram(gate_reverse)
    members = [_cached(_gpt(False)), _cached(gate) if cached_gate else gate, _lstm(True)]
    table = np.random.default_rng(5).uniform(0.1, 1.0, size=(4, 3))
    table[0, 2] = 0.0   # a member left out of a bucket
    return GatedMixtureLM(members, 1, [0, 2, 4], table)


@pytest.mark.parametrize("gate_reverse", [False, True])
@pytest.mark.parametrize("cached_gate", [False, True])
def test_gated_mixture_variants_equal_full_rescoring_without_rescoring_whole_sequences(gate_reverse, cached_gate,
                                                                                       monkeypatch):
    from genoview.core.lm_gate import GatedMixtureLM
    from genoview.core.lm_mutagenesis import mutated_sequence, prepare_variants

    model = _gated(gate_reverse, cached_gate)
    for sequence, positions in ((SHORT, range(len(SHORT))), (LONG, [0, 1, 5, 40, 80, 81])):
        _check(model, sequence, positions)
        scorer = prepare_variants(model, sequence)
        full = model.token_logprobs([mutated_sequence(sequence, (3, 2))])[0]
        with monkeypatch.context() as patch:
            def whole(*args, **kwargs):
                raise AssertionError("a mutated sequence was re-scored whole")

            patch.setattr(GatedMixtureLM, "token_logprobs", whole)
            (fast,) = scorer([(3, 2)])
        assert np.allclose(fast, full, atol=2e-5)


def test_saturation_with_a_gated_mixture_equals_full():
    from genoview.core.variant_effects import saturation_lm

    model = _gated()
    fast = saturation_lm(model, SHORT, deletions=True)
    slow = saturation_lm(model, SHORT, deletions=True, fast=False)
    assert np.allclose(fast.effects, slow.effects, atol=1e-4, equal_nan=True)


def test_gated_mixture_edges_last_base_deleted_and_a_one_base_sequence():
    from genoview.core.lm_mutagenesis import DELETION, mutated_sequence, prepare_variants

    for gate_reverse in (False, True):
        model = _gated(gate_reverse)
        for sequence, variant in ((SHORT, (len(SHORT) - 1, DELETION)), (SHORT, (0, DELETION)), ("G", (0, DELETION)),
                                  ("G", (0, 1)), (LONG, (len(LONG) - 1, DELETION))):
            fast = prepare_variants(model, sequence)([variant])[0]
            full = model.token_logprobs([mutated_sequence(sequence, variant)])[0]
            assert fast.shape == full.shape and np.allclose(fast, full, atol=2e-5), (sequence, variant)


def test_shipped_gated_language_model_fast_equals_full_on_a_slice():
    """lm-human-genes-causal (three cached members, gated by the n-gram's depth): a few variants of 120 bases."""
    from test_variant_effects_lmfast import _all_variants

    from genoview.core.lm_gate import GatedMixtureLM
    from genoview.core.lm_models import load_language_model
    from genoview.core.lm_mutagenesis import mutated_sequence, prepare_variants
    from genoview.paths import SHIPPED_MODELS_DIR

    if not (SHIPPED_MODELS_DIR / "lm-human-genes-causal" / "config.json").is_file():
        pytest.skip("lm-human-genes-causal not present")
    model = load_language_model("lm-human-genes-causal")
    assert isinstance(model, GatedMixtureLM)
    sequence = "".join(np.random.default_rng(4).choice(list("ACGT"), 120))
    variants = _all_variants(sequence, [0, 60, 119])
    fast = prepare_variants(model, sequence)(variants)
    full = [model.token_logprobs([mutated_sequence(sequence, v)])[0] for v in variants]
    for a, b in zip(fast, full):
        assert np.allclose(a, b, atol=1e-4)

