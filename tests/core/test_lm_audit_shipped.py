"""Audit of the shipped language models of human genes on a few short sequences: every next-token distribution
sums to one over A, C, G, T and the end; a token's log-probability is its entry there; no slot sees its own base
or the bases after it in the model's reading direction; right-to-left models read the reversed gene (not its
complement); perplexity is exp(-mean) over the n bases and the end; the bidirectional score is normalised over
the four bases at each position; letters other than ACGT are refused with the position."""
from __future__ import annotations

import math

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.lm import GeneScore
from genoview.core.lm_models import load_language_model

GENES = ["ATGGCGTACGATCGATCGATTTAGCACCGGTTAA", "ATGAAACCCGGGTTTTAG", "GCTAGCTAGGATCCATGCAT"]
CAUSAL = ["kn-human-genes", "kn-human-genes-rev", "lstm-human-genes", "lstm-human-genes-rev", "gpt-human-genes",
          "gpt-human-genes-rev", "lm-human-genes-causal"]
_LOADED: dict = {}


def model(name):
    if name not in _LOADED:
        _LOADED[name] = load_language_model(name)
    return _LOADED[name]


def _mutated(gene: str, j: int) -> str:
    return gene[:j] + {"A": "C", "C": "G", "G": "T", "T": "A"}[gene[j]] + gene[j + 1:]


@pytest.mark.parametrize("name", CAUSAL)
def test_distributions_are_normalised_causal_and_give_the_token_scores(name):
    lm = model(name)
    tol = 1e-5 if "gpt" in name or "lstm" in name or "causal" in name else 1e-10
    dists = lm.token_distributions(GENES)
    picked = lm.token_logprobs(GENES)
    for gene, dist, lp in zip(GENES, dists, picked):
        n = len(gene)
        assert dist.shape == (n + 1, 5) and lp.shape == (n + 1,)
        assert np.allclose(np.exp(dist).sum(axis=1), 1.0, atol=tol)          # A, C, G, T, end
        targets = ["ACGT".index(b) for b in gene] + [4]                       # slot n: the gene's other end
        assert np.allclose(lp, dist[np.arange(n + 1), targets], atol=tol)
        assert GeneScore.from_logprobs(lp).tokens == n + 1
        assert GeneScore.from_logprobs(lp).perplexity == pytest.approx(math.exp(-sum(lp) / (n + 1)))
        # no peeking: base j changed, the slots that read only the other side keep their distributions
        for j in (0, n // 2, n - 1):
            other = lm.token_distributions([_mutated(gene, j)])[0]
            same = slice(j, n) if lm.reverse else slice(0, j + 1)
            assert np.allclose(other[same], dist[same], atol=tol), (name, j)
            changed = slice(0, j) if lm.reverse else slice(j + 1, n + 1)
            assert other[changed].size == 0 or not np.allclose(other[changed], dist[changed], atol=1e-9)


@pytest.mark.parametrize("name", ["lstm-human-genes-rev", "gpt-human-genes-rev"])
def test_right_to_left_networks_read_the_reversed_gene(name):
    import torch

    lm = model(name)
    for gene in GENES:
        read = gene[::-1]                                    # reversed, not complemented (the cards' "right to left")
        tokens = torch.tensor([[0] + ["ACGT".index(b) + 1 for b in read]])     # '<' then the bases; '>' predicted
        with torch.inference_mode():
            logp = lm.module(tokens)[0].double().numpy()      # (n + 1, 5): reading order
        targets = ["ACGT".index(b) for b in read] + [4]
        in_read_order = logp[np.arange(len(read) + 1), targets]
        n = len(gene)
        want = np.array([in_read_order[n - 1 - i] for i in range(n)] + [in_read_order[n]])   # base i, then the end
        assert np.allclose(lm.token_logprobs([gene])[0], want, atol=1e-5)


def test_bidirectional_score_is_normalised_over_the_four_bases_and_blind_to_its_own_base():
    bidir = model("lm-human-genes-bidir")
    forward, backward = bidir.forward, bidir.backward
    gene = GENES[0]
    for j in (0, 7, len(gene) - 1):
        variants = [gene[:j] + b + gene[j + 1:] for b in "ACGT"]
        scores = np.array([lp[j] for lp in bidir.token_logprobs(variants)])
        assert np.exp(scores).sum() == pytest.approx(1.0, abs=1e-9)
        # P(b | left, right) ∝ P_F(b | left)^wf P_R(b | right)^wr / P(b)^wp, from the members' own distributions
        f = forward.token_distributions([gene])[0][j, :4]
        r = backward.token_distributions([gene])[0][j, :4]
        s = bidir.weights[0] * f + bidir.weights[1] * r - bidir.prior_weight * np.log(bidir.prior)
        assert np.allclose(scores, s - np.log(np.exp(s).sum()), atol=1e-6)


@pytest.mark.parametrize("name", ["kn-human-genes", "kn-human-genes-rev", "gpt-human-genes-rev"])
@pytest.mark.parametrize("text, where", [("ACGTNACG", "5 holds 'N'"), ("ACGRT", "4 holds 'R'"),
                                         ("AC-GTNA", "3 holds '-'")])
def test_letters_other_than_acgt_are_refused_with_their_position(name, text, where):
    # the gene's own 1-based position, the first one, whatever the model's reading direction
    with pytest.raises(GenoViewInputError, match=f"position {where}"):
        model(name).token_logprobs([text])


def test_a_gene_longer_than_the_gpt_position_table_scores_the_same_whatever_it_is_batched_with():
    # the GPT reads past its 1,024 positions in sliding windows; they were laid out on the batch's padded width,
    # so a 1,100-base gene scored with a 2,000-base one got other windows (total -1616.04 against -1617.62 alone)
    rng = np.random.default_rng(0)
    gene, longer = ("".join("ACGT"[i] for i in rng.integers(0, 4, n)) for n in (1100, 2000))
    lm = model("gpt-human-genes")
    alone = lm.token_logprobs([gene])[0]
    batched = lm.token_logprobs([GENES[0], gene, longer])
    assert np.allclose(batched[1], alone, atol=1e-5)
    assert np.allclose(batched[0], lm.token_logprobs([GENES[0]])[0], atol=1e-5)


@pytest.mark.parametrize("name", ["lm-human-genes-causal", "lm-human-genes-causal-rev"])
def test_mixtures_stay_causal_where_their_match_model_and_caches_fire(name):
    # a training gene's stretch: the match model and the n-gram's long contexts recall it, the prefix caches fill
    lm = model(name)
    kn = model("kn-human-genes")
    tokens = kn.train_tokens[5]
    gene = "".join("ACGT"[t - 1] for t in tokens[1:-1][:150])
    dist = lm.token_distributions([gene])[0]
    assert np.allclose(np.exp(dist).sum(axis=1), 1.0, atol=1e-9)
    assert np.exp(dist[np.arange(40, 150), ["ACGT".index(b) for b in gene[40:150]]]).mean() > 0.6   # it recalls
    n = len(gene)
    for j in (30, 75, 120):
        other = lm.token_distributions([_mutated(gene, j)])[0]
        same = slice(j, n) if lm.reverse else slice(0, j + 1)
        assert np.allclose(other[same], dist[same], atol=1e-9), (name, j)


def test_masked_lm_scores_are_normalised_and_its_heat_map_cells_are_its_position_scores():
    from genoview.core.variant_effects import ALTERNATIVES, saturation_lm

    mlm = model("kmer-bert-ecoli-mlm")
    gene = GENES[0] + GENES[2]
    ref = mlm.token_logprobs([gene])[0]
    assert ref[-1] == pytest.approx(ref[:-1].mean())          # its end slot: the mean, a per-base pseudo-perplexity
    result = saturation_lm(mlm, gene, 0, len(gene))
    for j in (0, 3, 20, len(gene) - 1):
        variants = [gene[:j] + b + gene[j + 1:] for b in "ACGT"]
        scores = np.array([lp[j] for lp in mlm.token_logprobs(variants)])    # base j masked: blind to it
        assert np.exp(scores).sum() == pytest.approx(1.0, abs=1e-6)
        cells = result.effects[j, :4]
        assert np.isnan(cells["ACGT".index(gene[j])]) and np.isfinite(cells).sum() == 3
        for b, alt in enumerate("ACGT"):
            if alt != gene[j]:
                assert cells[b] == pytest.approx(scores[b] - ref[j], abs=1e-5)
    assert result.measure == "masked-marginal log-ratio" and ALTERNATIVES[4] == "del"
