"""Nucleotide language models as one interface: per-token log-probabilities of genes, totals, perplexity, ensembles.

Every language model GenoView loads (KN n-gram, LSTM, GPT-2-style transformer, the k-mer BERT's masked-LM
pseudo-log-likelihood) is a :class:`LanguageModel`. :meth:`LanguageModel.token_logprobs` gives, for each
gene of n bases, n + 1 natural-log probabilities *in the gene's own order*: entry i scores base i, entry n
the end of the gene (for a right-to-left model, the start: the token it predicts last). A model reading
right to left therefore lines up with a left-to-right one position by position, which is what an
ensemble averages (:class:`EnsembleLM`) and what the real-vs-mutated view draws.

Perplexity is exp(-mean log-probability) over those n + 1 tokens, as in the study (the end is predicted too).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress
from genoview.core.lm_data import encode_gene, strip_markers


class LanguageModel:
    """A loaded nucleotide language model."""

    name: str = "language model"
    path: Path | None = None
    info: dict[str, Any]
    device: str = "cpu"
    reverse: bool = False          # reads genes right to left
    causal: bool = True            # False: pseudo-log-likelihood of a masked LM

    def token_logprobs(self, genes: Sequence[str], progress: ProgressCallback | None = None,
                       cancel: CancelToken | None = None) -> list[np.ndarray]:
        """float64 log-probabilities, n + 1 per gene of n bases (markers optional in the input)."""
        raise NotImplementedError

    def token_distributions(self, genes: Sequence[str], progress: ProgressCallback | None = None,
                            cancel: CancelToken | None = None) -> list[np.ndarray]:
        """(n + 1, 5) log-probabilities of every token (A C G T, end) at each slot (gene order), for a model that
        gives whole distributions (causal models; what :mod:`genoview.core.lm_bidirectional` reads)."""
        raise GenoViewInputError(f"{self.name} does not give whole next-token distributions")

    def score(self, genes: Sequence[str], **kwargs) -> list["GeneScore"]:
        return [GeneScore.from_logprobs(lp) for lp in self.token_logprobs(genes, **kwargs)]


@dataclass
class GeneScore:
    """Total log-probability (natural log), token count and perplexity of one gene under one model."""

    total: float
    tokens: int

    @property
    def mean(self) -> float:
        return self.total / max(self.tokens, 1)

    @property
    def perplexity(self) -> float:
        return math.exp(-self.mean)

    @classmethod
    def from_logprobs(cls, logprobs: np.ndarray) -> "GeneScore":
        return cls(float(np.sum(logprobs)), int(len(logprobs)))


def perplexity(model: LanguageModel, genes: Sequence[str], **kwargs) -> float:
    """Corpus perplexity: exp(-(sum of log-probabilities) / (number of predicted tokens))."""
    scores = model.score(genes, **kwargs)
    return math.exp(-sum(s.total for s in scores) / sum(s.tokens for s in scores))


COMBINE_MODES = ("loglinear", "linear")


def combine_logprobs(parts: Sequence[Sequence[np.ndarray]], weights: Sequence[float],
                     combine: str = "loglinear") -> list[np.ndarray]:
    """Members' per-token log-probabilities (gene order) -> the ensemble's, weights normalised to sum 1.

    ``loglinear``: weighted mean of log-probabilities (a geometric mean, not renormalised: a score);
    ``linear``: log of the weighted mean of probabilities (a mixture: a true distribution when every member
    reads in the same direction; mixing directions token by token gives a score, not a distribution).
    """
    if combine not in COMBINE_MODES:
        raise GenoViewInputError(f"unknown ensemble combination {combine!r}; choose {' or '.join(COMBINE_MODES)}")
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    out = []
    for per_gene in zip(*parts):
        stacked = np.stack([np.asarray(p, dtype=np.float64) for p in per_gene])
        if combine == "loglinear":
            out.append(w @ stacked)
        else:   # log-sum-exp, stable; members with weight 0 drop out
            keep = w > 0
            logw = np.log(w[keep])[:, None] + stacked[keep]
            top = logw.max(axis=0)
            out.append(top + np.log(np.exp(logw - top).sum(axis=0)))
    return out


class EnsembleLM(LanguageModel):
    """Members' per-token log-probabilities combined by :func:`combine_logprobs` (weights default to equal)."""

    def __init__(self, members: Sequence[LanguageModel], weights: Sequence[float] | None = None,
                 combine: str = "loglinear"):
        if not members:
            raise GenoViewInputError("an ensemble needs at least one model")
        if combine not in COMBINE_MODES:
            raise GenoViewInputError(f"unknown ensemble combination {combine!r}; choose {' or '.join(COMBINE_MODES)}")
        self.members = list(members)
        w = np.ones(len(members)) if weights is None else np.asarray(weights, dtype=float)
        if w.shape != (len(members),) or (w < 0).any() or w.sum() <= 0:
            raise GenoViewInputError("ensemble weights: one non-negative number per member, not all zero")
        self.weights = w / w.sum()
        self.combine = combine
        self.name = "+".join(m.name for m in members)
        self.info = {"architecture": "ensemble", "members": [m.name for m in members],
                     "weights": self.weights.tolist(), "combine": combine}
        self.reverse = False

    def token_logprobs(self, genes, progress=None, cancel=None):
        progress = ensure_progress(progress)
        parts = []
        for k, (member, weight) in enumerate(zip(self.members, self.weights)):
            if weight == 0:
                parts.append([np.zeros(len(strip_markers(g)) + 1) for g in genes])
                continue
            parts.append(member.token_logprobs(
                genes, progress=lambda f, m=None, k=k: progress((k + f) / len(self.members), m), cancel=cancel))
        return combine_logprobs(parts, self.weights, self.combine)


def gene_tokens(gene: str, reverse: bool = False) -> np.ndarray:
    """Token codes ``<bases>`` of a gene, its bases reversed first for a right-to-left model."""
    codes = encode_gene(strip_markers(gene))    # checked in gene order: a refusal names the gene's own position
    if not reverse:                             # (a -rev model named the reversed string's: 3 for base 8 of 10)
        return codes
    return np.concatenate([codes[:1], codes[-2:0:-1], codes[-1:]])


def to_gene_order(logprobs_read: np.ndarray, reverse: bool) -> np.ndarray:
    """Log-probabilities in reading order -> gene order (bases first, the closing marker's slot last)."""
    if not reverse:
        return logprobs_read
    return np.concatenate([logprobs_read[-2::-1], logprobs_read[-1:]])


def length_batches(lengths: Sequence[int], max_tokens: int, max_genes: int = 512) -> list[np.ndarray]:
    """Indices grouped into batches of similar length, each at most ``max_tokens`` padded tokens."""
    order = np.argsort(np.asarray(lengths), kind="stable")
    batches, current, longest = [], [], 0
    for index in order:
        longest_if = max(longest, lengths[index])
        if current and (longest_if * (len(current) + 1) > max_tokens or len(current) >= max_genes):
            batches.append(np.asarray(current))
            current, longest_if = [], lengths[index]
        current.append(index)
        longest = longest_if
    if current:
        batches.append(np.asarray(current))
    return batches


def pad_batch(token_arrays: Sequence[np.ndarray], pad: int = 6):
    """Inputs (tokens[:-1]) and targets (tokens[1:] - 1: A0 C1 G2 T3 end4), padded (targets with -100)."""
    import torch

    width = max(len(t) for t in token_arrays) - 1
    inputs = np.full((len(token_arrays), width), pad, dtype=np.int64)
    targets = np.full((len(token_arrays), width), -100, dtype=np.int64)
    for row, tokens in enumerate(token_arrays):
        inputs[row, :len(tokens) - 1] = tokens[:-1]
        targets[row, :len(tokens) - 1] = tokens[1:].astype(np.int64) - 1
    return torch.from_numpy(inputs), torch.from_numpy(targets)


class TorchCausalLM(LanguageModel):
    """A torch module returning next-token log-probabilities (batch, length, 5) as a LanguageModel."""

    def __init__(self, module, *, name: str, info: dict | None = None, device: str = "cpu",
                 reverse: bool = False, max_tokens: int = 65536):
        self.module = module.eval()
        self.name = name
        self.info = dict(info or {})
        self.device = device
        self.reverse = bool(reverse)
        self.max_tokens = max_tokens

    def token_logprobs(self, genes, progress=None, cancel=None):
        return self._run(genes, progress, cancel, every_next=False)

    def token_distributions(self, genes, progress=None, cancel=None):
        return self._run(genes, progress, cancel, every_next=True)

    def _run(self, genes, progress, cancel, every_next: bool):
        import torch

        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        tokens = [gene_tokens(g, self.reverse) for g in genes]
        out: list[np.ndarray | None] = [None] * len(tokens)
        batches = length_batches([len(t) for t in tokens], self.max_tokens)
        positions = getattr(getattr(self.module, "config", None), "n_positions", None)
        if positions:
            # longer than the position table: the module reads a batch in sliding windows laid out on the padded
            # width, so a long gene batched with a longer one got other windows (its total moved by 1.6 nats);
            # such genes go in batches of one length, giving each the windows it gets alone
            split = []
            for batch in batches:
                long = [i for i in batch if len(tokens[i]) - 1 > positions]
                short = [i for i in batch if len(tokens[i]) - 1 <= positions]
                split += [np.asarray(short)] if short else []
                for length in sorted({len(tokens[i]) for i in long}):
                    split.append(np.asarray([i for i in long if len(tokens[i]) == length]))
            batches = split
        done = 0
        with torch.inference_mode():
            for batch in batches:
                cancel.check()
                inputs, targets = pad_batch([tokens[i] for i in batch])
                logp = self.module(inputs.to(self.device))
                if every_next:
                    picked = logp.double().cpu().numpy()
                else:
                    safe = targets.clamp(min=0).to(self.device)
                    picked = logp.gather(-1, safe.unsqueeze(-1)).squeeze(-1).double().cpu().numpy()
                for row, index in enumerate(batch):
                    out[index] = to_gene_order(picked[row, :len(tokens[index]) - 1], self.reverse)
                done += len(batch)
                progress(done / len(tokens), None)
        return out
