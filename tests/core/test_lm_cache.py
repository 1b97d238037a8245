"""Prefix caches and ensemble combinations of language models: hand-counted caches, normalisation of every
next-token distribution, linear vs log-linear mixtures, and ensemble folders saved and loaded without pickle."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.lm import EnsembleLM, combine_logprobs, gene_tokens
from genoview.core.lm_cache import CachedLM, fit_cache, prefix_counts
from genoview.core.models.ngram import build_model, save as save_ngram

RNG = np.random.default_rng(1)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT"]
TRAIN = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 6)) for _ in range(30)]
VALID = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 6)) for _ in range(8)]
CONTEXTS = [0, 1, 2, 3]


def next_token_probs(model, context: str) -> list[float]:
    """The model's probabilities of A, C, G, T and the end after ``context`` (a gene's first bases)."""
    probs = [math.exp(model.token_logprobs([context + b])[0][len(context)]) for b in "ACGT"]
    return probs + [math.exp(model.token_logprobs([context])[0][-1])]


def test_prefix_counts_by_hand():
    # gene ACAC: predicted tokens A C A C > ; contexts of length 1: < A C A C
    ctx, gram = prefix_counts([gene_tokens("ACAC")], 1)
    assert ctx.tolist() == [0, 0, 0, 1, 1]        # 'A' seen once before the 2nd C; 'C' once before the end
    assert gram.tolist() == [0, 0, 0, 1, 0]       # 'A C' seen before the 2nd C; 'C >' never
    ctx0, gram0 = prefix_counts([gene_tokens("ACAC")], 0)
    assert ctx0.tolist() == [0, 1, 2, 3, 4] and gram0.tolist() == [0, 0, 1, 1, 0]
    # counts never cross genes
    ctx2, _ = prefix_counts([gene_tokens("AC"), gene_tokens("AC")], 1)
    assert ctx2.tolist() == [0, 0, 0, 0, 0, 0]


def test_a_hand_computed_cache():
    base = build_model(TRAIN, contexts=CONTEXTS)
    cached = CachedLM(base, [1], [2.0])
    gene = "ACAC"
    p = np.exp(base.token_logprobs([gene])[0])
    q = np.exp(cached.token_logprobs([gene])[0])
    assert np.allclose(q[:3], p[:3])                          # no earlier occurrence of the context
    assert q[3] == pytest.approx((1 + 2.0 * p[3]) / (1 + 2.0))  # C after A: seen once, once followed by C
    assert q[4] == pytest.approx((0 + 2.0 * p[4]) / (1 + 2.0))  # end after C: C seen once, never followed by >


@pytest.mark.parametrize("reverse", [False, True])
def test_every_cached_distribution_sums_to_one(reverse):
    base = build_model(TRAIN, contexts=CONTEXTS, reverse=reverse)
    cached = CachedLM(base, [0, 2, 4, 8], [4.0, 1.0, 0.5, 0.25])
    repeat = VALID[0][:20] * 2
    for prefix in ["", "A", repeat[:15], repeat[:31], repeat]:
        if reverse:   # a right-to-left model's "context" is the gene's end: score genes ending in the prefix
            probs = [math.exp(cached.token_logprobs([b + prefix])[0][0]) for b in "ACGT"]
            probs.append(math.exp(cached.token_logprobs([prefix])[0][-1]))
        else:
            probs = next_token_probs(cached, prefix)
        assert math.isclose(sum(probs), 1.0, rel_tol=1e-9)


def test_the_cache_helps_on_repeats_and_fit_keeps_it_off_when_useless():
    base = build_model(TRAIN, contexts=CONTEXTS)
    genes = [v * 3 for v in VALID]            # internal repeats: the cache should learn them
    fit = fit_cache(base.token_logprobs(genes), genes, False, contexts=(4, 8), sweeps=1)
    assert fit["contexts"] and fit["cached_perplexity"] < fit["base_perplexity"]
    with pytest.raises(ValueError):
        CachedLM(base, [4], [0.0])


def test_linear_mixture_of_same_direction_models_is_normalised_and_loglinear_is_the_mean():
    a = build_model(TRAIN, contexts=CONTEXTS)
    b = build_model(TRAIN[:10], contexts=[0, 1])
    mix = EnsembleLM([a, b], [3.0, 1.0], combine="linear")
    for context in ["", VALID[1][:12]]:
        assert math.isclose(sum(next_token_probs(mix, context)), 1.0, rel_tol=1e-9)
        pa, pb = next_token_probs(a, context), next_token_probs(b, context)
        assert np.allclose(next_token_probs(mix, context), 0.75 * np.array(pa) + 0.25 * np.array(pb))
    la, lb = a.token_logprobs([VALID[2]])[0], b.token_logprobs([VALID[2]])[0]
    assert np.allclose(EnsembleLM([a, b], [1, 3]).token_logprobs([VALID[2]])[0], 0.25 * la + 0.75 * lb)
    assert np.allclose(combine_logprobs([[np.log([0.5])], [np.log([0.1])]], [1, 1], "linear")[0], np.log(0.3))
    with pytest.raises(GenoViewInputError):
        EnsembleLM([a, b], [1, 1], combine="max")
    with pytest.raises(GenoViewInputError):
        EnsembleLM([a, b], [0, 0])


def test_ensemble_folder_with_caches_saves_and_loads_without_pickle(tmp_path):
    from genoview.core.lm_models import load_language_model, write_metadata
    from genoview.core.models.lm_ensemble import write_ensemble

    fwd = build_model(TRAIN, contexts=CONTEXTS)
    rev = build_model(TRAIN, contexts=CONTEXTS, reverse=True)
    for model, name in ((fwd, "kn-f"), (rev, "kn-r")):
        save_ngram(model, tmp_path / name)
        write_metadata(tmp_path / name, name=name, architecture="ngram-lm", task="language-model")
    cache = [{"contexts": [2, 6], "alphas": [1.0, 0.5]}, None]
    folder = write_ensemble(tmp_path / "ens", ["kn-f", "kn-r"], [2.0, 1.0], "linear", cache)
    write_metadata(folder, name="ens", architecture="lm-ensemble", task="language-model")
    config = json.loads((folder / "config.json").read_text())
    assert config["combine"] == "linear" and config["cache"] == cache
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "genoview.json"]
    loaded = load_language_model(folder)
    assert isinstance(loaded.members[0], CachedLM) and not isinstance(loaded.members[1], CachedLM)
    genes = [v * 2 for v in VALID[:3]]
    expected = combine_logprobs([CachedLM(fwd, [2, 6], [1.0, 0.5]).token_logprobs(genes), rev.token_logprobs(genes)],
                                [2.0, 1.0], "linear")
    for got, want in zip(loaded.token_logprobs(genes), expected):
        assert np.allclose(got, want)
    (folder / "config.json").write_text(json.dumps({**config, "cache": [None]}))
    with pytest.raises(GenoViewInputError):
        load_language_model(folder)


def test_relatives_are_the_training_genes_sharing_most_kmers_and_keep_the_cache_normalised():
    from genoview.core.lm_cache import RelativeIndex

    train = ["ACGTTGCAAGCTTAGCATCG" * 2, "TTTTGGGGCCCCAAAATTTTGGGG", "GATTACAGATTACAGATTACA"]
    index = RelativeIndex(train, k=6, top=2)
    assert index.nearest("CCGATTACAGATTACTT")[0] == train[2]
    assert index.nearest("A" * 5) == ()                      # nothing shared: no relative
    base = build_model(TRAIN, contexts=CONTEXTS)
    assert RelativeIndex.from_token_arrays([gene_tokens(g, True) for g in train], True, k=6).genes == train
    cached = CachedLM(base, [2, 4], [1.0, 0.5], relatives=RelativeIndex(TRAIN, k=8, top=3))
    plain = CachedLM(base, [2, 4], [1.0, 0.5])
    gene = VALID[3]
    assert not np.allclose(cached.token_logprobs([gene])[0], plain.token_logprobs([gene])[0])
    # given the relatives, every next-token distribution sums to one (they are chosen from the whole sequence,
    # which is why a model with relatives is a score, not a left-to-right model)
    from genoview.core.lm_cache import cache_logprobs

    related = [TRAIN[0], TRAIN[5]]
    for prefix in ["", gene[:17]]:
        genes = [prefix + b for b in "ACGT"] + [prefix]
        lps = cache_logprobs(base.token_logprobs(genes), genes, False, [2, 4], [1.0, 0.5], [related] * 5)
        probs = [math.exp(lp[len(prefix)]) for lp in lps[:4]] + [math.exp(lps[4][-1])]
        assert math.isclose(sum(probs), 1.0, rel_tol=1e-9)
