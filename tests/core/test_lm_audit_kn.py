"""Audit: the Kneser-Ney n-gram's probabilities against a plain reference written from Chen & Goodman (1998),
on toy corpora: counts, continuation counts, the `<` rule, counts-of-counts discounts, unseen contexts, backoff."""
from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest

from genoview.core.models.ngram import build_model

NEXT = "ACGT>"


def reference_kn(train: list[str], contexts: list[int]):
    """Interpolated modified KN over `<bases>` strings, by dictionaries: returns prob(history, w) and discounts."""
    seqs = ["<" + g + ">" for g in train]
    adjusted, discounts = {}, []
    for k, h in enumerate(contexts):
        raw = Counter((s[p - h:p], s[p]) for s in seqs for p in range(1, len(s)) if p - h >= 0)
        if k + 1 < len(contexts):   # lower levels: distinct left extensions (to the next level's length)
            h2, left = contexts[k + 1], defaultdict(set)
            for s in seqs:
                for p in range(h2, len(s)):
                    left[(s[p - h:p], s[p])].add(s[p - h2:p - h])
            # an n-gram never extended (its context starts with '<') keeps its plain count
            raw = Counter({key: len(left[key]) if left.get(key) else c for key, c in raw.items()})
        adjusted[h] = raw
        n1, n2, n3, n4 = (sum(1 for c in raw.values() if c == j) for j in (1, 2, 3, 4))
        if min(n1, n2, n3, n4) == 0:
            d = [0.5, 1.0, 1.5]
        else:
            y = n1 / (n1 + 2 * n2)
            d = [1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3]
            d = [min(max(d[0], 0.05), 1.0), min(max(d[1], 0.05), 2.0), min(max(d[2], 0.05), 3.0)]
        discounts.append(d)

    def prob(history: str, w: str) -> float:
        """P(w | history), history = '<' + the bases before."""
        p = 1.0 / len(NEXT)
        for k, h in enumerate(contexts):
            if h > len(history):
                break
            ctx = history[len(history) - h:]
            counts = {x: adjusted[h].get((ctx, x), 0) for x in NEXT}
            total = sum(counts.values())
            if total == 0:          # unseen context: the lower order passes through
                continue
            d = discounts[k]
            disc = {x: (0.0 if c == 0 else d[0] if c == 1 else d[1] if c == 2 else d[2]) for x, c in counts.items()}
            gamma = sum(min(disc[x], counts[x]) for x in NEXT) / total
            p = max(counts[w] - disc[w], 0.0) / total + gamma * p
        return p

    return prob, np.array(discounts)


RNG = np.random.default_rng(7)
RANDOM = ["".join("ACGT"[i] for i in RNG.integers(0, 4, RNG.integers(20, 60))) for _ in range(60)]
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT"]
MOTIF = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 5)) for _ in range(30)]
QUERIES = ["ACGTTGCA", "GGGGGGGGGG", MOTIF[0][:17], "T", "ATGGCCAAGTTTAGGCTACGNN".replace("N", "C"), RANDOM[3][:30]]


@pytest.mark.parametrize("corpus", [RANDOM, MOTIF], ids=["random", "motifs"])
@pytest.mark.parametrize("contexts", [[0], [0, 1, 2], [0, 1, 2, 3, 4, 5], [0, 1, 2, 4, 7]])
def test_kneser_ney_matches_a_plain_reference(corpus, contexts):
    model = build_model(corpus, contexts=contexts)
    prob, discounts = reference_kn(corpus, contexts)
    assert np.allclose(model.tables.discounts, discounts, atol=1e-12)
    unseen = 0
    for gene in QUERIES:
        want = [np.log(prob("<" + gene[:i], (gene + ">")[i])) for i in range(len(gene) + 1)]
        assert np.allclose(model.token_logprobs([gene])[0], want, atol=1e-12)
        dists = model.token_distributions([gene])[0]
        for i in range(len(gene) + 1):
            ref = [prob("<" + gene[:i], x) for x in NEXT]
            assert sum(ref) == pytest.approx(1.0, abs=1e-12)          # the reference is a distribution ...
            assert np.allclose(np.exp(dists[i]), ref, atol=1e-12)     # ... and so is the model, the same one
            unseen += not any(("<" + gene[:i])[-2:] in "<" + g for g in corpus)
    if corpus is MOTIF and len(contexts) > 2:
        assert unseen > 0          # the motif corpus does exercise unseen contexts (backoff to lower orders)


def test_a_right_to_left_model_is_the_reference_on_reversed_genes_in_gene_order():
    contexts = [0, 1, 2, 3]
    model = build_model(RANDOM, contexts=contexts, reverse=True)
    prob, _ = reference_kn([g[::-1] for g in RANDOM], contexts)     # reversed, not complemented
    for gene in QUERIES:
        read = gene[::-1]
        in_read_order = [np.log(prob("<" + read[:i], (read + ">")[i])) for i in range(len(read) + 1)]
        n = len(gene)
        want = [in_read_order[n - 1 - i] for i in range(n)] + [in_read_order[n]]   # base i given bases i+1.., end
        assert np.allclose(model.token_logprobs([gene])[0], want, atol=1e-12)
