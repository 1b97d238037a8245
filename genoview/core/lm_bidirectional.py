"""A bidirectional score from two causal models: each base given the bases on BOTH sides (a pseudo-likelihood).

A causal model scores base i from the left only, so a substituted base in ordinary sequence costs little: the
model cannot know what comes after it. A masked LM scores each base given both sides (its pseudo-log-likelihood,
PLL). Two causal models, one reading left to right (F) and one right to left (R), give that conditional up to
one approximation (the right side is taken as independent of the left given the base):

    P(x_i = b | left, right)  ∝  P_F(b | left) * P_R(b | right) / P(b),     b in A, C, G, T

normalised over the four bases. :class:`BidirectionalLM` gives, per gene of n bases, n + 1 numbers in gene order:
``weights[0] * log P_F + weights[1] * log P_R - prior_weight * log P(b)``, normalised over the four bases, for
each base; the last slot (the gene's ends) is the mean of F's end and R's start log-probabilities. Their
per-token mean is a *pseudo*-log-likelihood: exp(-mean) is a pseudo-perplexity (a score for the perplexity rule
of real-vs-mutated verdicts), not the perplexity of a language model: the numbers of one gene do not multiply to
a distribution over genes. The exponents are chosen on validation pairs (``bench/lm_bench_bidir.py``).
It needs whole next-token distributions of both members (:meth:`LanguageModel.token_distributions`).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import ensure_progress
from genoview.core.lm import LanguageModel, gene_tokens


def bidirectional_logprobs(forward: np.ndarray, reverse: np.ndarray, bases: np.ndarray, weights=(1.0, 1.0),
                           prior=(0.25, 0.25, 0.25, 0.25), prior_weight: float = 1.0) -> np.ndarray:
    """Per-slot scores of one gene from the two members' (n + 1, 5) log-distributions (gene order) and its base
    codes (A0 C1 G2 T3, n of them): n base scores and the ends' score last."""
    f, r = np.asarray(forward, np.float64), np.asarray(reverse, np.float64)
    n = len(bases)
    s = weights[0] * f[:n, :4] + weights[1] * r[:n, :4] - prior_weight * np.log(np.asarray(prior, np.float64))
    top = s.max(axis=1, keepdims=True)
    norm = top[:, 0] + np.log(np.exp(s - top).sum(axis=1))
    out = np.empty(n + 1)
    out[:n] = s[np.arange(n), bases] - norm
    out[n] = 0.5 * (f[n, 4] + r[n, 4])
    return out


class BidirectionalLM(LanguageModel):
    """Each base scored given both sides, from a left-to-right and a right-to-left model (module docstring)."""

    causal = False

    def __init__(self, forward: LanguageModel, reverse: LanguageModel, weights: Sequence[float] = (1.0, 1.0),
                 prior: Sequence[float] = (0.25, 0.25, 0.25, 0.25), prior_weight: float = 1.0):
        if forward.reverse or not reverse.reverse:
            raise GenoViewInputError("a bidirectional score needs a left-to-right model first and a right-to-left "
                                     "model second")
        w = [float(v) for v in weights]
        p = np.asarray(prior, dtype=np.float64)
        if len(w) != 2 or min(w) < 0 or sum(w) <= 0:
            raise GenoViewInputError("bidirectional weights: two non-negative numbers, not both zero")
        if p.shape != (4,) or (p <= 0).any():
            raise GenoViewInputError("bidirectional prior: four positive base frequencies (A, C, G, T)")
        self.forward, self.backward = forward, reverse
        self.members = [forward, reverse]
        self.weights, self.prior, self.prior_weight = w, p / p.sum(), float(prior_weight)
        self.reverse = False
        self.normalised = False
        self.name = f"bidirectional({forward.name}, {reverse.name})"
        self.info = {"architecture": "bidirectional", "members": [forward.name, reverse.name], "weights": w,
                     "prior": self.prior.tolist(), "prior_weight": self.prior_weight}

    def token_logprobs(self, genes, progress=None, cancel=None):
        progress = ensure_progress(progress)
        f = self.forward.token_distributions(genes, progress=lambda x, m=None: progress(0.5 * x, m), cancel=cancel)
        r = self.backward.token_distributions(genes, progress=lambda x, m=None: progress(0.5 + 0.5 * x, m),
                                              cancel=cancel)
        out = []
        for gene, fd, rd in zip(genes, f, r):
            bases = gene_tokens(gene)[1:-1].astype(np.int64) - 1
            out.append(bidirectional_logprobs(fd, rd, bases, self.weights, self.prior, self.prior_weight))
        return out
