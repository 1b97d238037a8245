"""Dynamic cache of a gene's own prefix on top of any language model (dynamic evaluation without gradients).

Genes repeat motifs internally; a static model cannot know which ones this gene uses. :class:`CachedLM` reads
each gene in its base model's direction and, at every token, backs the base model's probability off through
a chain of prefix n-gram counts (a hierarchical Dirichlet / PPM-style cache, one level per context length h):

    p_h(w) = (c_h(ctx, w) + alpha_h * p_{h-1}(w)) / (c_h(ctx) + alpha_h),    p_{-1} = the base model's p(w)

where c_h counts what followed the last h tokens *earlier in the same gene*; a context never seen before
passes p_{h-1} through. Each level is a proper distribution over (A, C, G, T, end) whenever the base is, so
the cached model's perplexity is a true perplexity (tested), and it needs only the base model's probability
of the token that occurred (never the other four), hence it wraps any model in one vectorised pass.
The alphas are chosen on validation genes (:func:`fit_cache`).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from genoview.core.jobs import ensure_cancel, ensure_progress
from genoview.core.lm import LanguageModel, gene_tokens, to_gene_order
from genoview.core.models.ngram.modeling_ngram import BASE, MAX_CONTEXT, N_NEXT, _corpus


def prefix_counts(token_arrays: Sequence[np.ndarray], h: int) -> tuple[np.ndarray, np.ndarray]:
    """For every predicted token (all but each gene's '<', concatenated, reading order): how often its
    h-token context, and that context followed by this token, occurred earlier in the same gene."""
    if not 0 <= h <= MAX_CONTEXT:
        raise ValueError(f"context length {h} outside 0..{MAX_CONTEXT}")
    tokens, digits, positions, gene_start = _corpus(token_arrays)
    n = positions.size
    nxt = tokens[positions].astype(np.int64) - 1
    context = np.zeros(n, dtype=np.int64)
    valid = np.ones(n, dtype=bool)
    for j in range(1, h + 1):
        back = positions - j
        valid &= back >= gene_start
        context += np.where(valid, digits[np.maximum(back, 0)], 0) * BASE ** (j - 1)
    ctx_count = np.zeros(n, dtype=np.int64)
    gram_count = np.zeros(n, dtype=np.int64)
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return ctx_count, gram_count
    gene = gene_start[idx]
    for key, out in ((context[idx], ctx_count), (context[idx] * N_NEXT + nxt[idx], gram_count)):
        _, rank = np.unique(key, return_inverse=True)
        # one integer per (gene, key); a stable sort keeps positions in reading order inside each group,
        # so a token's place in its group is the number of earlier occurrences
        combined = gene * (int(rank.max()) + 1) + rank.ravel()
        order = np.argsort(combined, kind="stable")
        sorted_keys = combined[order]
        first = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
        group_start = np.repeat(first, np.diff(np.concatenate([first, [sorted_keys.size]])))
        earlier = np.empty(idx.size, dtype=np.int64)
        earlier[order] = np.arange(sorted_keys.size) - group_start
        out[idx] = earlier
    return ctx_count, gram_count


def apply_cache(base_logprobs: np.ndarray, token_arrays: Sequence[np.ndarray], contexts: Sequence[int],
                alphas: Sequence[float], counts: dict | None = None) -> np.ndarray:
    """Cached log-probabilities (reading order, concatenated) from the base model's, through the chain."""
    prob = np.exp(np.asarray(base_logprobs, dtype=np.float64))
    for h, alpha in zip(contexts, alphas):
        if alpha is None or not math.isfinite(alpha):
            continue   # level switched off
        c_ctx, c_gram = counts[h] if counts is not None else prefix_counts(token_arrays, h)
        seen = c_ctx > 0
        prob[seen] = (c_gram[seen] + alpha * prob[seen]) / (c_ctx[seen] + alpha)
    return np.log(prob)


class CachedLM(LanguageModel):
    """``base`` with a prefix cache (see the module docstring); reads in the base model's direction."""

    def __init__(self, base: LanguageModel, contexts: Sequence[int], alphas: Sequence[float]):
        if len(contexts) != len(alphas):
            raise ValueError("one alpha per cache context length")
        self.base = base
        self.contexts = [int(h) for h in contexts]
        self.alphas = [float(a) for a in alphas]
        if any(a <= 0 for a in self.alphas):
            raise ValueError("cache alphas must be > 0")
        self.reverse = base.reverse
        self.causal = base.causal
        self.device = base.device
        self.name = f"{base.name}+cache"
        self.info = {**getattr(base, "info", {}), "cache": {"contexts": self.contexts, "alphas": self.alphas}}

    def token_logprobs(self, genes, progress=None, cancel=None):
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        base = self.base.token_logprobs(genes, progress=lambda f, m=None: progress(0.9 * f, m), cancel=cancel)
        cancel.check()
        out = cache_logprobs(base, genes, self.reverse, self.contexts, self.alphas)
        progress(1.0, None)
        return out


def cache_logprobs(base_logprobs: Sequence[np.ndarray], genes: Sequence[str], reverse: bool,
                   contexts: Sequence[int], alphas: Sequence[float], chunk: int = 4000) -> list[np.ndarray]:
    """Per-gene log-probabilities (gene order) of a model reading in direction ``reverse``, with the cache."""
    out = []
    for start in range(0, len(genes), chunk):
        part = base_logprobs[start:start + chunk]
        tokens = [gene_tokens(g, reverse) for g in genes[start:start + chunk]]
        # gene order -> reading order (to_gene_order is its own inverse)
        flat = np.concatenate([to_gene_order(np.asarray(lp, np.float64), reverse) for lp in part])
        cached = apply_cache(flat, tokens, contexts, alphas)
        bounds = np.cumsum([0] + [len(lp) for lp in part])
        out.extend(to_gene_order(cached[a:b], reverse) for a, b in zip(bounds[:-1], bounds[1:]))
    return out


ALPHA_CHOICES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, math.inf)   # inf: level off


def fit_cache(base_logprobs: Sequence[np.ndarray], genes: Sequence[str], reverse: bool,
              contexts: Sequence[int] = (4, 6, 8, 10, 12, 16, 20), sweeps: int = 2) -> dict:
    """Alphas of the cache levels by coordinate descent on the (validation) genes' perplexity, given the base
    model's per-token log-probabilities of those genes (gene order)."""
    tokens = [gene_tokens(g, reverse) for g in genes]
    flat = np.concatenate([to_gene_order(lp, reverse) for lp in base_logprobs])
    counts = {h: prefix_counts(tokens, h) for h in contexts}
    alphas = [math.inf] * len(contexts)

    def ppl(a):
        return math.exp(-float(apply_cache(flat, tokens, contexts, a, counts).mean()))

    best = base = ppl(alphas)
    for _ in range(sweeps):
        for i in range(len(contexts)):
            for a in ALPHA_CHOICES:
                trial = list(alphas)
                trial[i] = a
                value = ppl(trial)
                if value < best - 1e-6:
                    best, alphas = value, trial
    kept = [(h, a) for h, a in zip(contexts, alphas) if math.isfinite(a)]
    return {"contexts": [h for h, _ in kept], "alphas": [a for _, a in kept],
            "base_perplexity": round(base, 4), "cached_perplexity": round(best, 4)}
