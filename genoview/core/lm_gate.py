"""A mixture of language models whose weights depend on how much an n-gram member recalls at each token.

Linear interpolation with one weight per member trusts the n-gram model equally whether its longest matching
training context is 6 bases (a chance match: the neural models know better) or 21 bases (the gene's words recur
in a training gene, a family member: the n-gram model predicts them almost surely). :class:`GatedMixtureLM`
keeps one weight vector per *depth bucket*: the depth of a token is the longest context the gate's n-gram
member holds in its training counts (:meth:`~genoview.core.models.ngram.NgramLM.logprobs_and_depths`), a
function of the tokens before it in that member's reading direction. When every member reads in the same
direction as the gate, the weights depend on the context only, so the mixture is a normalised language model
(its perplexity is a true perplexity; tested). This is the classic count-bucketed interpolation of n-gram
smoothing, applied between models; the weights are fitted by EM on validation genes (:func:`fit_gate`).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import ensure_progress
from genoview.core.lm import LanguageModel


def depth_buckets(depths: np.ndarray, edges: Sequence[int]) -> np.ndarray:
    """Bucket of each depth: 0 below ``edges[0]``, i for ``edges[i-1] <= depth < edges[i]``, len(edges) above."""
    return np.searchsorted(np.asarray(edges, dtype=np.int64), np.asarray(depths), side="right")


def gate_buckets(depths: np.ndarray, edges: Sequence[int], states: np.ndarray | None = None) -> np.ndarray:
    """Row of a gate's weight table of each token: its depth bucket, x the match state (``states``) when the gate
    reads one (row = bucket * N_STATES + state, :mod:`genoview.core.lm_match`)."""
    buckets = depth_buckets(depths, edges)
    if states is None:
        return buckets
    from genoview.core.lm_match import N_STATES

    return buckets * N_STATES + np.asarray(states).astype(np.int64)


def gated_logprobs(parts: Sequence[Sequence[np.ndarray]], buckets: Sequence[np.ndarray],
                   table: np.ndarray) -> list[np.ndarray]:
    """log sum_m table[bucket, m] p_m per token (rows of ``table`` normalised to sum 1), per gene."""
    table = np.asarray(table, dtype=np.float64)
    table = table / table.sum(axis=1, keepdims=True)
    out = []
    for gene, bucket in enumerate(buckets):
        stacked = np.stack([np.asarray(p[gene], dtype=np.float64) for p in parts])    # members x tokens
        w = table[np.asarray(bucket)].T                                                # members x tokens
        with np.errstate(divide="ignore"):
            logw = np.where(w > 0, np.log(np.where(w > 0, w, 1.0)), -np.inf) + stacked
        top = logw.max(axis=0)
        out.append(top + np.log(np.exp(logw - top).sum(axis=0)))
    return out


def gated_distributions(parts: Sequence[Sequence[np.ndarray]], buckets: Sequence[np.ndarray],
                        table: np.ndarray) -> list[np.ndarray]:
    """Whole next-token distributions mixed as :func:`gated_logprobs` mixes picked ones: per gene, parts' (tokens,
    5) log-probabilities of each member, ``table`` rows summing to 1."""
    table = np.asarray(table, dtype=np.float64)
    out = []
    for gene, bucket in enumerate(buckets):
        w = table[np.asarray(bucket)]                                                   # tokens x members
        stacked = np.stack([np.asarray(p[gene], dtype=np.float64) for p in parts], axis=1)   # tokens x members x 5
        with np.errstate(divide="ignore"):
            logw = np.log(w)[:, :, None] + stacked
        top = logw.max(axis=1, keepdims=True)
        out.append((top + np.log(np.exp(logw - top).sum(axis=1, keepdims=True)))[:, 0, :])
    return out


def fit_gate(member_logprobs: Sequence[np.ndarray], buckets: np.ndarray, n_buckets: int,
             iters: int = 200) -> np.ndarray:
    """Per-bucket mixture weights maximising the likelihood of validation tokens (EM; each bucket its own
    mixture). ``member_logprobs``: one flat array per member (every validation token), ``buckets`` their
    buckets. A bucket no token falls in keeps equal weights."""
    probs = np.exp(np.stack([np.asarray(lp, dtype=np.float64) for lp in member_logprobs]))
    buckets = np.asarray(buckets)
    table = np.full((n_buckets, probs.shape[0]), 1.0 / probs.shape[0])
    for _ in range(iters):
        resp = table[buckets].T * probs
        total = resp.sum(axis=0)
        resp = np.divide(resp, total, out=np.zeros_like(resp), where=total > 0)   # a token no member allows: no say
        sums = np.stack([np.bincount(buckets, r, minlength=n_buckets) for r in resp], axis=1)  # buckets x members
        norm = sums.sum(axis=1)
        keep = norm > 0
        table[keep] = sums[keep] / norm[keep, None]   # the mean responsibility of the bucket's (scorable) tokens
    return table


def _ngram_base(model: LanguageModel):
    """The n-gram model behind ``model`` (itself, or the base of a prefix cache without relatives), else None."""
    from genoview.core.lm_cache import CachedLM
    from genoview.core.models.ngram import NgramLM

    if isinstance(model, NgramLM):
        return model
    if isinstance(model, CachedLM) and model.relatives is None and isinstance(model.base, NgramLM):
        return model.base
    return None


class GatedMixtureLM(LanguageModel):
    """Members mixed with weights ``table[bucket]``, the bucket of each token from member ``gate``'s depth."""

    def __init__(self, members: Sequence[LanguageModel], gate: int, edges: Sequence[int], table,
                 states: int | None = None):
        from genoview.core.lm_match import N_STATES, MatchLM

        if not members:
            raise GenoViewInputError("a gated mixture needs at least one model")
        self.members = list(members)
        if not 0 <= gate < len(self.members) or _ngram_base(self.members[gate]) is None:
            raise GenoViewInputError("the gate of a gated mixture must be an n-gram member (with or without a "
                                     "prefix cache, without relatives)")
        self.gate = int(gate)
        self.edges = [int(e) for e in edges]
        if self.edges != sorted(set(self.edges)):
            raise GenoViewInputError("gate edges must increase")
        self.states = None if states is None else int(states)
        if self.states is not None and not (0 <= self.states < len(self.members)
                                            and isinstance(self.members[self.states], MatchLM)):
            raise GenoViewInputError("the gate's states must come from a match-model member")
        self.n_states = 1 if self.states is None else N_STATES
        rows = (len(self.edges) + 1) * self.n_states
        table = np.asarray(table, dtype=np.float64)
        if table.shape != (rows, len(self.members)) or (table < 0).any() or \
                (table.sum(axis=1) <= 0).any():
            raise GenoViewInputError(f"gate weights: {rows} rows (one per depth bucket"
                                     f"{' x match state' if self.states is not None else ''}) of "
                                     f"{len(self.members)} non-negative numbers, none all zero")
        self.table = table / table.sum(axis=1, keepdims=True)
        directions = {m.reverse for m in self.members}
        self.reverse = self.members[gate].reverse
        self.causal = all(m.causal for m in self.members)
        self.normalised = len(directions) == 1 and self.causal   # else a score (see the module docstring)
        self.name = "gated(" + "+".join(m.name for m in self.members) + ")"
        self.info = {"architecture": "gated-mixture", "members": [m.name for m in self.members],
                     "gate": self.gate, "edges": self.edges, "states": self.states, "weights": self.table.tolist()}

    def buckets(self, depths: Sequence[np.ndarray], states: Sequence[np.ndarray] | None) -> list[np.ndarray]:
        """Row of the weight table of each token: depth bucket (x match state when the gate reads one)."""
        if self.states is None:
            return [depth_buckets(d, self.edges) for d in depths]
        return [gate_buckets(d, self.edges, s) for d, s in zip(depths, states)]

    def token_logprobs(self, genes, progress=None, cancel=None):
        from genoview.core.lm_cache import CachedLM, cache_logprobs

        progress = ensure_progress(progress)
        parts, depths, states = [], None, None
        for k, member in enumerate(self.members):
            step = lambda f, m=None, k=k: progress((k + f) / len(self.members), m)  # noqa: E731
            if k == self.gate:   # one n-gram pass gives the member's scores and the gate's depths
                base = _ngram_base(member)
                lps, depths = base.logprobs_and_depths(genes, progress=step, cancel=cancel)
                if isinstance(member, CachedLM):
                    lps = cache_logprobs(lps, genes, member.reverse, member.contexts, member.alphas)
                parts.append(lps)
            elif k == self.states:
                lps, states = member.logprobs_and_states(genes, progress=step, cancel=cancel)
                parts.append(lps)
            else:
                parts.append(member.token_logprobs(genes, progress=step, cancel=cancel))
        return gated_logprobs(parts, self.buckets(depths, states), self.table)


    def token_distributions(self, genes, progress=None, cancel=None):
        """Whole next-token distributions of the mixture (the weights depend on the context only)."""
        from genoview.core.lm_cache import CachedLM, cache_distributions

        progress = ensure_progress(progress)
        if not self.normalised:
            return super().token_distributions(genes, progress, cancel)
        parts, depths, states = [], None, None
        for k, member in enumerate(self.members):
            step = lambda f, m=None, k=k: progress((k + f) / len(self.members), m)  # noqa: E731
            if k == self.gate:   # one n-gram pass gives the member's distributions and the gate's depths
                dists, depths = _ngram_base(member).distributions_and_depths(genes, progress=step, cancel=cancel)
                if isinstance(member, CachedLM):
                    dists = cache_distributions(dists, genes, member.reverse, member.contexts, member.alphas)
            elif k == self.states:
                dists, states = member.distributions_and_states(genes, progress=step, cancel=cancel)
            else:
                dists = member.token_distributions(genes, progress=step, cancel=cancel)
            parts.append(dists)
        return gated_distributions(parts, self.buckets(depths, states), self.table)


def gate_perplexity(member_logprobs: Sequence[np.ndarray], buckets: np.ndarray, table: np.ndarray) -> float:
    """Perplexity of flat per-member token log-probabilities mixed by ``table`` (a check of :func:`fit_gate`)."""
    return math.exp(-float(np.mean(gated_logprobs([[np.asarray(lp)] for lp in member_logprobs],
                                                  [np.asarray(buckets)], table)[0])))
