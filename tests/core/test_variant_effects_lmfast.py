"""Saturation mutagenesis with language models: the fast path (genoview.core.lm_mutagenesis) equals full
re-scoring of every mutated sequence, for each member type, both reading directions, prefix caches and
ensembles, with substitutions and deletions."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(11)
TRAIN = ["".join(RNG.choice(list("ACGT"), RNG.integers(30, 90))) for _ in range(40)]
SHORT = "".join(RNG.choice(list("ACGT"), 24))       # within the tiny GPT's position table
LONG = "ACGTTGCA" * 3 + "".join(RNG.choice(list("ACGT"), 58))   # 82 bases: sliding windows, repeats for caches


def _ngram(reverse):
    from genoview.core.models.ngram import build_model

    model = build_model(TRAIN, reverse=reverse, contexts=[0, 1, 2, 3, 5])
    model.name = "kn-rev" if reverse else "kn"
    return model


def _lstm(reverse):
    from genoview.core.lm import TorchCausalLM
    from genoview.core.models.lstm_lm import build

    torch.manual_seed(1 + reverse)
    module = build(embedding_size=8, hidden_size=12, num_layers=2, dropout=0.0, reverse=reverse)
    return TorchCausalLM(module, name="lstm", reverse=reverse)


def _gpt(reverse):
    from genoview.core.lm import TorchCausalLM
    from genoview.core.models.gpt_lm import build

    torch.manual_seed(3 + reverse)
    module = build(reverse=reverse, n_embd=16, n_layer=2, n_head=2, n_positions=32, dropout=0.0)
    return TorchCausalLM(module, name="gpt", reverse=reverse)


def _cached(base):
    from genoview.core.lm_cache import CachedLM

    return CachedLM(base, [1, 3, 4], [2.0, 1.0, 0.5])


MEMBERS = {"ngram": _ngram, "lstm": _lstm, "gpt": _gpt}


def _all_variants(sequence, positions, deletions=True):
    from genoview.core.lm_mutagenesis import DELETION

    out = []
    for i in positions:
        out += [(i, c) for c in (1, 2, 3, 4) if "ACGT"[c - 1] != sequence[i]]
        if deletions:
            out.append((i, DELETION))
    return out


def _check(model, sequence, positions, atol=2e-5):
    from genoview.core.lm_mutagenesis import mutated_sequence, prepare_variants

    scorer = prepare_variants(model, sequence)
    assert np.allclose(scorer.reference, model.token_logprobs([sequence])[0], atol=atol)
    variants = _all_variants(sequence, positions)
    fast = scorer(variants)
    # one sequence at a time: a GPT reads a padded batch's shorter rows in the longest row's windows
    full = [model.token_logprobs([mutated_sequence(sequence, v)])[0] for v in variants]
    for v, a, b in zip(variants, fast, full):
        assert a.shape == b.shape, v
        assert np.allclose(a, b, atol=atol), (v, np.abs(a - b).max())


@pytest.mark.parametrize("kind", sorted(MEMBERS))
@pytest.mark.parametrize("reverse", [False, True])
def test_each_member_type_equals_full_rescoring(kind, reverse):
    model = MEMBERS[kind](reverse)
    for sequence in (SHORT, LONG):
        # the ends, the middle, and (LONG) either side of the GPT's window boundaries (32 places, stride 16)
        positions = sorted({0, 1, len(sequence) // 2, len(sequence) - 2, len(sequence) - 1, 14, 15, 16, 17, 31})
        _check(model, sequence, [p for p in positions if p < len(sequence)])


@pytest.mark.parametrize("reverse", [False, True])
def test_gpt_through_transformers_own_forward_with_a_cache_equals_full_rescoring(reverse):
    """The GPT normally runs its blocks directly (checked against transformers); its fallback path too."""
    from genoview.core.lm_mutagenesis import mutated_sequence, prepare_variants

    model = _gpt(reverse)
    variants = _all_variants(LONG, [0, 15, 16, 40, 81])
    for direct in (True, False):
        scorer = prepare_variants(model, LONG)
        scorer.inner.direct = direct
        for v, a in zip(variants, scorer(variants)):
            assert np.allclose(a, model.token_logprobs([mutated_sequence(LONG, v)])[0], atol=2e-5), (direct, v)


@pytest.mark.parametrize("kind", sorted(MEMBERS))
def test_edges_alone_last_base_deleted_and_a_one_base_sequence(kind):
    from genoview.core.lm_mutagenesis import DELETION, mutated_sequence, prepare_variants

    for reverse in (False, True):
        model = MEMBERS[kind](reverse)
        for sequence, variant in ((SHORT, (len(SHORT) - 1, DELETION)), (SHORT, (0, DELETION)), ("G", (0, DELETION)),
                                  ("G", (0, 1)), (LONG, (len(LONG) - 1, DELETION))):
            fast = prepare_variants(model, sequence)([variant])[0]
            full = model.token_logprobs([mutated_sequence(sequence, variant)])[0]
            assert fast.shape == full.shape and np.allclose(fast, full, atol=2e-5), (sequence, variant)


@pytest.mark.parametrize("kind", sorted(MEMBERS))
@pytest.mark.parametrize("reverse", [False, True])
def test_prefix_cache_over_each_member_equals_full_rescoring(kind, reverse):
    _check(_cached(MEMBERS[kind](reverse)), LONG, [0, 3, 9, 40, 80, 81])


def test_prefix_cache_with_training_relatives_equals_full_rescoring():
    """Relatives are chosen from the whole (mutated) sequence: each variant gets its own."""
    from genoview.core.lm_cache import CachedLM, RelativeIndex

    relatives = RelativeIndex(TRAIN + [LONG[:40] + "A" + LONG[41:70], LONG[30:]], k=6, top=2)
    for reverse in (False, True):
        model = CachedLM(_ngram(reverse), [1, 3, 4], [2.0, 1.0, 0.5], relatives)
        _check(model, LONG, [0, 35, 40, 81])


@pytest.mark.parametrize("combine", ["linear", "loglinear"])
def test_ensemble_of_both_directions_with_caches_equals_full_rescoring(combine):
    from genoview.core.lm import EnsembleLM

    members = [_cached(MEMBERS[k](r)) if (k, r) != ("gpt", False) else MEMBERS[k](r)
               for k in sorted(MEMBERS) for r in (False, True)]
    weights = [1.0, 2.0, 0.5, 1.0, 0.0, 1.0]
    model = EnsembleLM(members, weights, combine)
    _check(model, LONG, [0, 2, 17, 33, 60, 81])


def test_saturation_lm_fast_equals_full_and_reports_progress_and_cancels():
    from genoview.core.jobs import Cancelled, CancelToken
    from genoview.core.lm import EnsembleLM
    from genoview.core.variant_effects import saturation_lm

    model = EnsembleLM([_cached(_ngram(False)), _lstm(True), _gpt(False)], [1.0, 1.0, 2.0], "linear")
    seen = []
    fast = saturation_lm(model, LONG, 10, 50, deletions=True, progress=lambda f, m=None: seen.append(f))
    full = saturation_lm(model, LONG, 10, 50, deletions=True, fast=False)
    assert fast.extra.get("fast") and np.isfinite(fast.effects).sum() == 40 * 4
    assert np.allclose(fast.effects, full.effects, atol=5e-5, equal_nan=True)
    assert seen[-1] == 1.0 and len(seen) > 2
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        saturation_lm(model, LONG, 10, 50, cancel=token)


def test_shipped_default_language_model_fast_equals_full_on_a_slice():
    """lm-human-genes (six members, both directions, caches): a few variants of a 120-base sequence."""
    from genoview.core.lm_models import default_language_model_name, load_language_model
    from genoview.core.lm_mutagenesis import mutated_sequence, prepare_variants

    name = default_language_model_name()
    if name is None:
        pytest.skip("no shipped language model")
    model = load_language_model(name)
    sequence = "".join(np.random.default_rng(3).choice(list("ACGT"), 120))
    scorer = prepare_variants(model, sequence)
    variants = _all_variants(sequence, [0, 60, 119])
    fast = scorer(variants)
    full = [model.token_logprobs([mutated_sequence(sequence, v)])[0] for v in variants]
    for a, b in zip(fast, full):
        assert np.allclose(a, b, atol=1e-4)
