"""Interpolated modified Kneser-Ney n-gram over nucleotides (Chen & Goodman 1998), vectorised with numpy.

Tokens: ``<`` (start, context only), A, C, G, T, ``>`` (end, predicted only). A context of h tokens is one
integer key, base 6 with digits 1..5 (``<`` 1, A 2, C 3, G 4, T 5) so contexts of different lengths never
collide (h <= 22 fits in int64); an n-gram is ``context_key * 5 + next`` (next: A0 C1 G2 T3 end4).

Counts per context length h (order h + 1), the adjusted counts of modified KN:
- the highest order, and any n-gram whose context begins with ``<``: how often it occurs;
- every other n-gram: how many distinct tokens precede it (continuation count).
Discounts D1, D2, D3+ per order from the counts of counts, optionally scaled (chosen on validation).

p_h(w) = max(c(h,w) - D(c), 0) / c(h) + gamma(h) * p_{h-1}(w), gamma(h) = sum_w min(D(c(h,w)), c(h,w)) / c(h);
an unseen context passes p_{h-1} through; p_{-1} = 1/5. Every distribution sums to one (tested).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

BASE = 6
N_NEXT = 5
MAX_CONTEXT = 22     # 6**22 * 5 < 2**63


def _digits(tokens: np.ndarray) -> np.ndarray:
    """Token codes (< 0, A..T 1..4, > 5) -> context digits (1..5; > is never context, given 0)."""
    d = tokens.astype(np.int64) + 1
    d[tokens == 5] = 0
    return d


def _corpus(token_arrays: Sequence[np.ndarray]):
    """Concatenated tokens, digits, and for each predicted position its index and its gene's start index."""
    lengths = np.fromiter((len(t) for t in token_arrays), dtype=np.int64, count=len(token_arrays))
    tokens = np.concatenate(token_arrays) if len(token_arrays) else np.zeros(0, np.uint8)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    gene_start = np.repeat(starts, lengths)
    positions = np.flatnonzero(np.arange(tokens.size) != gene_start)   # every token but each gene's '<'
    return tokens, _digits(tokens), positions, gene_start[positions]


@dataclass
class LevelCounts:
    """Adjusted counts of the n-grams whose context has ``context`` tokens: sorted n-gram keys and counts."""

    context: int
    keys: np.ndarray      # int64, sorted
    counts: np.ndarray    # uint32


def count_levels(token_arrays: Sequence[np.ndarray], contexts: Sequence[int] | int,
                 continuation: bool = True) -> list[LevelCounts]:
    """Adjusted (modified-KN) counts for the given context lengths (an int n: 0..n) from token arrays ``<...>``.

    The context lengths form the interpolation chain (each level backs off to the previous one); they need
    not be consecutive: a long level's continuation counts are then the distinct left extensions up to the
    next level's length, which keeps a high-order model small.
    """
    contexts = list(range(contexts + 1)) if isinstance(contexts, int) else sorted(set(contexts))
    if not contexts or contexts[0] != 0 or contexts[-1] > MAX_CONTEXT:
        raise ValueError(f"context lengths must start at 0 and stay <= {MAX_CONTEXT} (order up to {MAX_CONTEXT + 1})")
    tokens, digits, positions, gene_start = _corpus(token_arrays)
    nxt = tokens[positions].astype(np.int64) - 1
    raw_keys, raw_counts = {}, {}
    context = np.zeros(positions.size, dtype=np.int64)
    valid = np.ones(positions.size, dtype=bool)
    for h in range(contexts[-1] + 1):
        if h > 0:
            back = positions - h
            valid &= back >= gene_start
            context = np.where(valid, context + digits[np.maximum(back, 0)] * BASE ** (h - 1), context)
        if h in contexts:
            keys, counts = np.unique(context[valid] * N_NEXT + nxt[valid], return_counts=True)
            raw_keys[h], raw_counts[h] = keys, counts.astype(np.uint32)
    levels = []
    for k, h in enumerate(contexts):
        keys, counts = raw_keys[h], raw_counts[h].copy()
        if continuation and k + 1 < len(contexts):
            # continuation counts: distinct left extensions (to the next level's length) of each n-gram
            longer = raw_keys[contexts[k + 1]]
            ctx_long, w = np.divmod(longer, N_NEXT)
            reduced = (ctx_long % BASE ** h) * N_NEXT + w
            red_keys, red_counts = np.unique(reduced, return_counts=True)
            ext = np.zeros(keys.size, np.uint32)
            if red_keys.size:
                idx = np.searchsorted(red_keys, keys).clip(0, red_keys.size - 1)
                hit = red_keys[idx] == keys
                ext[hit] = red_counts[idx[hit]]
            # '<' is each gene's first token, so n-grams without a left extension (their context begins
            # with '<', or at a gap in the chain lies too near the start) keep their raw count
            counts = np.where(ext == 0, counts, ext)
        levels.append(LevelCounts(h, keys, counts.astype(np.uint32)))
    return levels


def kn_discounts(counts: np.ndarray) -> np.ndarray:
    """Modified KN discounts (D1, D2, D3+) from counts of counts (Chen & Goodman's estimates)."""
    n = [int((counts == k).sum()) for k in (1, 2, 3, 4)]
    if min(n) == 0:
        return np.array([0.5, 1.0, 1.5])
    y = n[0] / (n[0] + 2 * n[1])
    d = np.array([1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]])
    return np.clip(d, 0.05, [1.0, 2.0, 3.0])


class KneserNeyTables:
    """Query structure of a fitted model: per level the sorted n-gram keys, counts, and per-n-gram cumulative
    totals and discounted mass, so each context's total and gamma come from two reads."""

    def __init__(self, levels: list[LevelCounts], discounts: np.ndarray):
        self.levels = levels
        self.discounts = np.asarray(discounts, dtype=np.float64)     # (levels, 3)
        self.cum_total, self.cum_mass = [], []
        for level, d in zip(levels, self.discounts):
            c = level.counts.astype(np.float64)
            disc = np.where(c >= 3, d[2], np.where(c == 2, d[1], d[0]))
            mass = np.minimum(disc, c)
            self.cum_total.append(np.concatenate([[0], np.cumsum(level.counts, dtype=np.int64)]))
            self.cum_mass.append(np.concatenate([[0.0], np.cumsum(mass)]))

    @property
    def contexts(self) -> list[int]:
        return [level.context for level in self.levels]

    @property
    def max_context(self) -> int:
        return self.levels[-1].context

    def logprobs(self, token_arrays: Sequence[np.ndarray], depths: np.ndarray | None = None,
                 every_next: bool = False) -> np.ndarray:
        """Natural-log probability of every predicted token (all but each gene's '<'), concatenated.

        ``depths`` (int array, one per predicted token), when given, receives the longest context length the
        training counts hold for each token (-1: none): how much the model recalls there (a gate's feature).
        ``every_next``: the whole next-token distribution instead, (tokens, 5) log-probabilities (A C G T end).
        """
        tokens, digits, positions, gene_start = _corpus(token_arrays)
        nxt = tokens[positions].astype(np.int64) - 1
        prob = np.full((positions.size, N_NEXT) if every_next else positions.size, 1.0 / N_NEXT)
        active = np.arange(positions.size)           # queries whose context was seen at the last level
        context = np.zeros(positions.size, dtype=np.int64)
        by_context = {level.context: i for i, level in enumerate(self.levels)}
        for h in range(self.max_context + 1):
            if h > 0:
                back = positions[active] - h
                ok = back >= gene_start[active]
                active, back = active[ok], back[ok]
                context[active] += digits[back] * BASE ** (h - 1)
            if active.size == 0:
                break
            i = by_context.get(h)
            if i is None:
                continue
            keys, counts, d = self.levels[i].keys, self.levels[i].counts, self.discounts[i]
            base_key = context[active] * N_NEXT
            # sorted queries make the binary searches walk memory in order (several times faster)
            order = np.argsort(base_key, kind="stable")
            left = np.empty_like(order)
            left[order] = np.searchsorted(keys, base_key[order])
            # a context's n-grams are at most 5 consecutive keys from `left`
            right = left.copy()
            last = keys.size - 1
            for k in range(N_NEXT):
                more = (right == left + k) & (left + k <= last)
                more &= keys[np.minimum(left + k, last)] < base_key + N_NEXT
                right += more
            seen = right > left
            active, left, right, base_key = active[seen], left[seen], right[seen], base_key[seen]
            if active.size == 0:
                break
            if depths is not None:
                depths[active] = h
            total = (self.cum_total[i][right] - self.cum_total[i][left]).astype(np.float64)
            gamma = (self.cum_mass[i][right] - self.cum_mass[i][left]) / total
            if every_next:   # the context's n-grams are keys left..right-1; each adds its count to its column
                count = np.zeros((active.size, N_NEXT))
                for k in range(N_NEXT):
                    j = np.minimum(left + k, keys.size - 1)
                    hit = np.flatnonzero(left + k < right)
                    count[hit, keys[j[hit]] % N_NEXT] = counts[j[hit]]
                disc = np.where(count >= 3, d[2], np.where(count == 2, d[1], d[0]))
                prob[active] = np.maximum(count - disc, 0.0) / total[:, None] + gamma[:, None] * prob[active]
                continue
            target = base_key + nxt[active]           # the n-gram lies among at most 5 keys from `left`
            count = np.zeros(active.size)
            for k in range(N_NEXT):
                j = np.minimum(left + k, keys.size - 1)
                hit = (left + k < right) & (keys[j] == target)
                count[hit] = counts[j[hit]]
            disc = np.where(count >= 3, d[2], np.where(count == 2, d[1], d[0]))
            prob[active] = np.maximum(count - disc, 0.0) / total + gamma * prob[active]
        return np.log(prob)
