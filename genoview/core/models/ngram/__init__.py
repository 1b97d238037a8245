"""Interpolated modified Kneser-Ney n-gram language model (task ``language-model``).

A model directory holds ``config.json`` (:class:`NgramLmConfig`), ``model.safetensors`` with, per context
length h, the sorted n-gram keys (``level{h}.keys``) and their adjusted counts (``level{h}.counts``) in the
narrowest unsigned integer type that holds them, plus the discounts (``discounts``, one row (D1, D2, D3+)
per order). No pickle: numpy arrays through safetensors.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from genoview.core.lm import LanguageModel, gene_tokens, to_gene_order
from genoview.core.models.ngram.configuration_ngram import MODEL_TYPE, NgramLmConfig
from genoview.core.models.ngram.modeling_ngram import (
    KneserNeyTables, LevelCounts, count_levels, kn_discounts,
)

__all__ = ["MODEL_TYPE", "NgramLmConfig", "NgramLM", "fit_ngram", "load", "save"]


def _narrow(values: np.ndarray) -> np.ndarray:
    top = int(values.max()) if values.size else 0
    for dtype in (np.uint8, np.uint16, np.uint32, np.uint64):
        if top <= np.iinfo(dtype).max:
            return values.astype(dtype)
    raise ValueError("value too large")


class NgramLM(LanguageModel):
    """A fitted KN model as a :class:`~genoview.core.lm.LanguageModel` (numpy only, no torch)."""

    def __init__(self, config: NgramLmConfig, levels: list[LevelCounts], discounts: np.ndarray,
                 name: str = "ngram", info: dict | None = None):
        self.config = config
        self.tables = KneserNeyTables(levels, discounts)
        self.name = name
        self.info = dict(info or {})
        self.reverse = bool(config.reverse)
        self.device = "cpu"

    @property
    def order(self) -> int:
        return self.tables.max_context + 1

    def token_logprobs(self, genes, progress=None, cancel=None, chunk: int = 2000):
        return self.logprobs_and_depths(genes, progress, cancel, chunk)[0]

    def token_distributions(self, genes, progress=None, cancel=None, chunk: int = 2000):
        """Per gene (gene order): (n + 1, 5) log-probabilities of every next token (A C G T end) at each slot."""
        return self.distributions_and_depths(genes, progress, cancel, chunk)[0]

    def logprobs_and_depths(self, genes, progress=None, cancel=None, chunk: int = 2000):
        """Per gene (gene order): token log-probabilities, and the longest context length of each token that
        the training counts hold (-1: none; high: the gene's words recur in training, e.g. a family member)."""
        return self._read(genes, progress, cancel, chunk, every_next=False)

    def distributions_and_depths(self, genes, progress=None, cancel=None, chunk: int = 2000):
        """As :meth:`logprobs_and_depths`, with whole (n + 1, 5) next-token distributions for the log-probabilities."""
        return self._read(genes, progress, cancel, chunk, every_next=True)

    def _read(self, genes, progress, cancel, chunk: int, every_next: bool):
        from genoview.core.jobs import ensure_cancel, ensure_progress

        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        out, depths = [], []
        for start in range(0, len(genes), chunk):
            cancel.check()
            tokens = [gene_tokens(g, self.reverse) for g in genes[start:start + chunk]]
            depth = np.full(sum(len(t) - 1 for t in tokens), -1, dtype=np.int64)
            flat = self.tables.logprobs(tokens, depth, every_next=every_next)
            bounds = np.cumsum([0] + [len(t) - 1 for t in tokens])
            out.extend(to_gene_order(flat[a:b], self.reverse) for a, b in zip(bounds[:-1], bounds[1:]))
            depths.extend(to_gene_order(depth[a:b], self.reverse) for a, b in zip(bounds[:-1], bounds[1:]))
            progress(min(1.0, (start + chunk) / len(genes)), None)
        return out, depths


DISCOUNT_CHOICES = (None, 0.5, 0.7, 0.85, 0.95, 1.0)   # None: Chen & Goodman's counts-of-counts estimate
DEFAULT_CHAIN = list(range(10)) + [11, 13, 15, 17, 21]


def build_model(train_genes: Sequence[str], order: int | None = None, reverse: bool = False,
                discount_scale: float = 1.0, levels: list[LevelCounts] | None = None,
                contexts: Sequence[int] | None = None, factors: Sequence[float | None] | None = None,
                table_contexts: int | None = None) -> NgramLM:
    """Count the n-grams of the genes and set discounts: per level the counts-of-counts estimate times
    ``discount_scale``, or where ``factors[i]`` is a number u, D = u x (1, 2, 3) (clipped to the count)."""
    contexts = list(contexts) if contexts is not None else list(range(order))
    if levels is None:
        levels = count_levels([gene_tokens(g, reverse) for g in train_genes], contexts)
    discounts = np.array([kn_discounts(level.counts) for level in levels]) * discount_scale
    for i, u in enumerate(factors or []):
        if u is not None:
            discounts[i] = u * np.array([1.0, 2.0, 3.0])
    discounts = np.clip(discounts, 0.0, [1.0, 2.0, 3.0])
    config = NgramLmConfig(order=contexts[-1] + 1, reverse=reverse, discount_scale=discount_scale,
                           contexts=contexts, table_contexts=table_contexts)
    model = NgramLM(config, levels, discounts)
    model.train_tokens = None
    return model


def _valid_perplexity(model: NgramLM, valid_tokens: list[np.ndarray]) -> float:
    lp = model.tables.logprobs(valid_tokens)
    return math.exp(-float(lp.mean()))


def fit_ngram(train_genes: Sequence[str], valid_genes: Sequence[str], out_dir: str | Path, *, reverse: bool = False,
              contexts: Sequence[int] | None = None, groups: Sequence[Sequence[int]] | None = None,
              sweeps: int = 2, table_contexts: int = 7, log: Callable[[str], None] = print, **_ignored) -> dict:
    """Fit on the training genes and choose each level group's discount (from :data:`DISCOUNT_CHOICES`) by
    coordinate descent on the validation genes' perplexity; save the model to ``out_dir``.

    Why tuned discounts: the counts-of-counts estimates describe the average training n-gram, but a held-out
    gene that matches a long training context is usually a relative of that gene; the right trust in long
    matches (and the distrust of chance matches at middle orders) is measured on held-out genes.
    """
    contexts = list(contexts or DEFAULT_CHAIN)
    train_tokens = [gene_tokens(g, reverse) for g in train_genes]
    valid_tokens = [gene_tokens(g, reverse) for g in valid_genes]
    levels = count_levels(train_tokens, contexts)
    if groups is None:
        low = [i for i, h in enumerate(contexts) if h <= 5]
        mid = [i for i, h in enumerate(contexts) if 5 < h <= 9]
        groups = [low, mid] + [[i] for i, h in enumerate(contexts) if h > 9]
    factors: list[float | None] = [None] * len(contexts)
    def evaluate(f):
        return _valid_perplexity(build_model([], reverse=reverse, levels=levels, contexts=contexts, factors=f),
                                 valid_tokens)
    best = evaluate(factors)
    trials = [{"factors": list(factors), "valid_perplexity": round(best, 4)}]
    log(f"counts-of-counts discounts: valid_perplexity={best:.4f}")
    for sweep in range(sweeps):
        for group in groups:
            for u in DISCOUNT_CHOICES:
                trial = list(factors)
                for i in group:
                    trial[i] = u
                if trial == factors:
                    continue
                ppl = evaluate(trial)
                trials.append({"factors": trial, "valid_perplexity": round(ppl, 4)})
                if ppl < best - 1e-5:
                    best, factors = ppl, trial
        log(f"sweep {sweep + 1}: valid_perplexity={best:.4f} factors={factors}")
    model = build_model([], reverse=reverse, levels=levels, contexts=contexts, factors=factors,
                        table_contexts=table_contexts)
    model.train_tokens = train_tokens
    save(model, out_dir)
    return {"chosen": {"contexts": contexts, "discount_factors": factors,
                       "discounts": model.tables.discounts.round(4).tolist()},
            "trials": len(trials), "best_valid_perplexity": round(best, 4),
            "tuning": "discount factor per level group chosen by coordinate descent on validation perplexity "
                      f"({sweeps} sweeps over {list(DISCOUNT_CHOICES)})"}


def save(model: NgramLM, directory: str | Path) -> None:
    """Count tables of the levels up to ``table_contexts`` (and the discounts) into model.safetensors; longer
    levels as the training tokens they are counted from (needs ``model.train_tokens``)."""
    from safetensors.numpy import save_file

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = model.config
    tensors = {"discounts": model.tables.discounts.astype(np.float64)}
    for level in model.tables.levels:
        if level.context <= config.table_contexts:
            tensors[f"level{level.context}.keys"] = _narrow(level.keys)
            tensors[f"level{level.context}.counts"] = _narrow(level.counts)
    if config.contexts[-1] > config.table_contexts:
        tokens = getattr(model, "train_tokens", None)
        if tokens is None:
            raise ValueError("saving counted-at-load levels needs the training tokens")
        tensors["train.tokens"] = np.concatenate(tokens).astype(np.uint8)
        tensors["train.lengths"] = _narrow(np.array([len(t) for t in tokens], dtype=np.int64))
    tmp = directory / ".model.safetensors.tmp"
    save_file(tensors, str(tmp), metadata={"format": "genoview-ngram-lm"})
    tmp.replace(directory / "model.safetensors")
    config.save_pretrained(directory)


def load(directory: str | Path, *, device: str = "cpu", task=None) -> NgramLM:
    from safetensors.numpy import load_file

    from genoview.core.lm_models import read_info

    directory = Path(directory)
    config = NgramLmConfig.from_pretrained(directory, local_files_only=True)
    tensors = load_file(str(directory / "model.safetensors"))
    levels = {h: LevelCounts(h, tensors[f"level{h}.keys"].astype(np.int64), tensors[f"level{h}.counts"].astype(np.uint32))
              for h in config.contexts if h <= config.table_contexts}
    counted = [h for h in config.contexts if h > config.table_contexts]
    tokens = None
    if counted:
        flat, lengths = tensors["train.tokens"], tensors["train.lengths"].astype(np.int64)
        tokens = np.split(flat, np.cumsum(lengths)[:-1])
        chain = [h for h in config.contexts if h >= counted[0] - 1] if counted[0] > 0 else counted
        chain = sorted(set([0] + chain))
        for level in count_levels(tokens, chain):
            if level.context in counted:
                levels[level.context] = level
    model = NgramLM(config, [levels[h] for h in config.contexts], tensors["discounts"], name=directory.name,
                    info=read_info(directory))
    model.train_tokens = tokens
    return model
