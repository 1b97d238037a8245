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

Optionally the cache also holds the gene's nearest *training* relative (:class:`RelativeIndex`: the training
gene sharing the most distinct 12-mers with it), read before the gene as if it were its first part: human genes
come in families (pseudogenes of real genes, repeat elements), and a relative diverged beyond the split's
near-copy rule still tells which family's words come next. The relative is chosen from the whole scored
sequence, so a model with relatives is a scoring function (a sequence's probability given its relative), not
a left-to-right language model: its "perplexity" is not a true perplexity (the benchmark marks it).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from genoview.core.jobs import ensure_cancel, ensure_progress
from genoview.core.lm import LanguageModel, gene_tokens, to_gene_order
from genoview.core.lm_data import kmer_codes, strip_markers
from genoview.core.models.ngram.modeling_ngram import BASE, MAX_CONTEXT, N_NEXT, _corpus

RELATIVE_K = 12


class RelativeIndex:
    """Training genes by their distinct k-mers: :meth:`nearest` gives the training gene sharing the most."""

    def __init__(self, genes: Sequence[str], k: int = RELATIVE_K, top: int = 1):
        self.genes = [strip_markers(g) for g in genes]
        self.k, self.top = k, top
        codes = [kmer_codes(g, k) for g in self.genes]
        owner = np.repeat(np.arange(len(codes)), [c.size for c in codes])
        flat = np.concatenate(codes) if codes else np.zeros(0, np.uint64)
        order = np.argsort(flat, kind="stable")
        self.codes, self.owner = flat[order], owner[order]
        self._memo: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_token_arrays(cls, token_arrays: Sequence[np.ndarray], reverse: bool, k: int = RELATIVE_K, top: int = 1):
        """From training tokens ``<bases>`` in a model's reading order (an n-gram model's ``train_tokens``)."""
        genes = ["".join("ACGT"[t - 1] for t in tokens[1:-1].tolist()) for tokens in token_arrays]
        return cls([g[::-1] for g in genes] if reverse else genes, k, top)

    def nearest(self, gene: str) -> tuple[str, ...]:
        """Bases of the ``top`` training genes sharing the most distinct k-mers with ``gene``, most first
        (fewer where fewer share any)."""
        bases = strip_markers(gene)
        if bases in self._memo:
            return self._memo[bases]
        query = kmer_codes(bases, self.k)
        lo, hi = np.searchsorted(self.codes, query), np.searchsorted(self.codes, query, side="right")
        hits = hi > lo
        best: tuple[str, ...] = ()
        if hits.any():
            owners = np.concatenate([self.owner[a:b] for a, b in zip(lo[hits], hi[hits])])
            shared = np.bincount(owners)
            ranked = np.argsort(-shared, kind="stable")[:self.top]
            best = tuple(self.genes[int(i)] for i in ranked if shared[i] > 0)
        if len(self._memo) > 100_000:
            self._memo.clear()
        self._memo[bases] = best
        return best


def _contexts(token_arrays: Sequence[np.ndarray], h: int):
    """(positions, gene_start, next-token codes, h-token context codes, valid) of every predicted token: valid
    where the whole context lies in the token's gene and the token is not a '<' read in the middle."""
    if not 0 <= h <= MAX_CONTEXT:
        raise ValueError(f"context length {h} outside 0..{MAX_CONTEXT}")
    tokens, digits, positions, gene_start = _corpus(token_arrays)
    nxt = tokens[positions].astype(np.int64) - 1
    context = np.zeros(positions.size, dtype=np.int64)
    valid = nxt >= 0          # a '<' read in the middle (a relative read first) is context only
    for j in range(1, h + 1):
        back = positions - j
        valid &= back >= gene_start
        context += np.where(valid, digits[np.maximum(back, 0)], 0) * BASE ** (j - 1)
    return positions, gene_start, nxt, context, valid


def prefix_counts(token_arrays: Sequence[np.ndarray], h: int) -> tuple[np.ndarray, np.ndarray]:
    """For every predicted token (all but each gene's '<', concatenated, reading order): how often its
    h-token context, and that context followed by this token, occurred earlier in the same gene."""
    positions, gene_start, nxt, context, valid = _contexts(token_arrays, h)
    n = positions.size
    ctx_count = np.zeros(n, dtype=np.int64)
    gram_count = np.zeros(n, dtype=np.int64)
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return ctx_count, gram_count
    gene = gene_start[idx]
    local = idx - np.searchsorted(positions, gene_start[idx])        # a token's place among its gene's
    span = int(local.max()) + 1
    genes_rank = np.concatenate([[0], np.cumsum(gene[1:] != gene[:-1])])   # genes are in order
    for key, space, out in ((context[idx], BASE ** h, ctx_count), (context[idx] * N_NEXT + nxt[idx],
                                                                   BASE ** h * N_NEXT, gram_count)):
        if (int(genes_rank.max()) + 1) * space * span < 2 ** 62:
            # one integer per (gene, key, place): a plain sort puts each group's tokens in reading order
            combined = (genes_rank * space + key) * span + local
            order = np.argsort(combined)
            sorted_keys = combined[order] // span
        else:   # long contexts: rank the keys first (slower)
            _, rank = np.unique(key, return_inverse=True)
            combined = genes_rank * (int(rank.max()) + 1) + rank.ravel()
            order = np.argsort(combined, kind="stable")
            sorted_keys = combined[order]
        first = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
        group_start = np.repeat(first, np.diff(np.concatenate([first, [sorted_keys.size]])))
        earlier = np.empty(idx.size, dtype=np.int64)
        earlier[order] = np.arange(sorted_keys.size) - group_start
        out[idx] = earlier
    return ctx_count, gram_count


def prefix_counts_every_next(token_arrays: Sequence[np.ndarray], h: int) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`prefix_counts`, but the second array is (tokens, 5): how often the context was followed earlier
    in the same gene by each token (A C G T end), for whole cached distributions."""
    _, gene_start, nxt, context, valid = _contexts(token_arrays, h)
    n = nxt.size
    ctx_count = np.zeros(n, dtype=np.int64)
    gram_counts = np.zeros((n, N_NEXT), dtype=np.int64)
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return ctx_count, gram_counts
    gene = gene_start[idx]
    order = np.lexsort((idx, context[idx], gene))          # by gene, then context, then place
    g_sorted, k_sorted = gene[order], context[idx][order]
    first = np.flatnonzero(np.concatenate([[True], (g_sorted[1:] != g_sorted[:-1]) | (k_sorted[1:] != k_sorted[:-1])]))
    onehot = np.zeros((idx.size, N_NEXT), dtype=np.int64)
    onehot[np.arange(idx.size), nxt[idx][order]] = 1
    earlier = np.cumsum(onehot, axis=0) - onehot
    earlier -= np.repeat(earlier[first], np.diff(np.concatenate([first, [idx.size]])), axis=0)
    gram_counts[idx[order]] = earlier
    ctx_count[idx[order]] = earlier.sum(axis=1)
    return ctx_count, gram_counts


def cache_distributions(base_distributions: Sequence[np.ndarray], genes: Sequence[str], reverse: bool,
                        contexts: Sequence[int], alphas: Sequence[float], chunk: int = 4000) -> list[np.ndarray]:
    """Whole next-token distributions (gene order, (n + 1, 5) log-probabilities) through the cache chain, from
    the base model's (no relatives)."""
    out = []
    for start in range(0, len(genes), chunk):
        part = base_distributions[start:start + chunk]
        tokens = [gene_tokens(g, reverse) for g in genes[start:start + chunk]]
        prob = np.exp(np.concatenate([to_gene_order(np.asarray(d, np.float64), reverse) for d in part]))
        for h, alpha in zip(contexts, alphas):
            if alpha is None or not math.isfinite(alpha):
                continue
            c_ctx, c_gram = prefix_counts_every_next(tokens, h)
            seen = c_ctx > 0
            prob[seen] = (c_gram[seen] + alpha * prob[seen]) / (c_ctx[seen] + alpha)[:, None]
        logp = np.log(prob)
        bounds = np.cumsum([0] + [len(d) for d in part])
        out.extend(to_gene_order(logp[a:b], reverse) for a, b in zip(bounds[:-1], bounds[1:]))
    return out


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

    def __init__(self, base: LanguageModel, contexts: Sequence[int], alphas: Sequence[float],
                 relatives: RelativeIndex | None = None):
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
        self.relatives = relatives
        self.name = f"{base.name}+cache"
        self.info = {**getattr(base, "info", {}), "cache": {"contexts": self.contexts, "alphas": self.alphas,
                                                            "relatives": relatives is not None}}

    def token_logprobs(self, genes, progress=None, cancel=None):
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        base = self.base.token_logprobs(genes, progress=lambda f, m=None: progress(0.9 * f, m), cancel=cancel)
        cancel.check()
        relatives = [self.relatives.nearest(g) for g in genes] if self.relatives is not None else None
        out = cache_logprobs(base, genes, self.reverse, self.contexts, self.alphas, relatives)
        progress(1.0, None)
        return out


    def token_distributions(self, genes, progress=None, cancel=None):
        if self.relatives is not None:
            return super().token_distributions(genes, progress, cancel)
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        base = self.base.token_distributions(genes, progress=lambda f, m=None: progress(0.9 * f, m), cancel=cancel)
        cancel.check()
        out = cache_distributions(base, genes, self.reverse, self.contexts, self.alphas)
        progress(1.0, None)
        return out


def cached_tokens(genes: Sequence[str], reverse: bool, relatives: Sequence[Sequence[str]] | None = None):
    """Token arrays the cache counts over (reading order) and, per gene, how many leading predicted tokens
    belong to its relatives (read first: their bases and the '<' after each)."""
    tokens, lead = [], []
    for i, g in enumerate(genes):
        own = gene_tokens(g, reverse)
        related = relatives[i] if relatives is not None else ()
        if related:
            # '<' + each relative's bases (no end), in reading order; the gene's '<' follows
            before = np.concatenate([gene_tokens(r, reverse)[:-1] for r in related])
            tokens.append(np.concatenate([before, own]))
            lead.append(before.size)
        else:
            tokens.append(own)
            lead.append(0)
    return tokens, lead


def cache_logprobs(base_logprobs: Sequence[np.ndarray], genes: Sequence[str], reverse: bool,
                   contexts: Sequence[int], alphas: Sequence[float], relatives: Sequence[Sequence[str]] | None = None,
                   chunk: int = 4000) -> list[np.ndarray]:
    """Per-gene log-probabilities (gene order) of a model reading in direction ``reverse``, with the cache
    (and each gene's relative read first, where ``relatives`` gives one)."""
    out = []
    for start in range(0, len(genes), chunk):
        part = base_logprobs[start:start + chunk]
        tokens, lead = cached_tokens(genes[start:start + chunk], reverse,
                                     relatives[start:start + chunk] if relatives is not None else None)
        # gene order -> reading order (to_gene_order is its own inverse); the relative's tokens get a dummy 0
        flat = np.concatenate([np.concatenate([np.zeros(n), to_gene_order(np.asarray(lp, np.float64), reverse)])
                               for lp, n in zip(part, lead)])
        cached = apply_cache(flat, tokens, contexts, alphas)
        bounds = np.cumsum([0] + [len(lp) + n for lp, n in zip(part, lead)])
        out.extend(to_gene_order(cached[a + n:b], reverse) for a, b, n in zip(bounds[:-1], bounds[1:], lead))
    return out


ALPHA_CHOICES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, math.inf)   # inf: level off


def fit_cache(base_logprobs: Sequence[np.ndarray], genes: Sequence[str], reverse: bool,
              contexts: Sequence[int] = (4, 6, 8, 10, 12, 16, 20), sweeps: int = 2,
              relatives: Sequence[Sequence[str]] | None = None) -> dict:
    """Alphas of the cache levels by coordinate descent on the (validation) genes' perplexity, given the base
    model's per-token log-probabilities of those genes (gene order) and optionally their relatives."""
    tokens, lead = cached_tokens(genes, reverse, relatives)
    flat = np.concatenate([np.concatenate([np.zeros(n), to_gene_order(np.asarray(lp, np.float64), reverse)])
                           for lp, n in zip(base_logprobs, lead)])
    own = np.concatenate([np.arange(n, n + len(lp)) + start for lp, n, start in
                          zip(base_logprobs, lead, np.cumsum([0] + [len(lp) + n for lp, n in
                                                                   zip(base_logprobs, lead)])[:-1])])
    counts = {h: prefix_counts(tokens, h) for h in contexts}
    alphas = [math.inf] * len(contexts)

    def ppl(a):
        return math.exp(-float(apply_cache(flat, tokens, contexts, a, counts)[own].mean()))

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
