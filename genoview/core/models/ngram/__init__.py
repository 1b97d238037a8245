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
        from genoview.core.jobs import ensure_cancel, ensure_progress

        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        out = []
        for start in range(0, len(genes), chunk):
            cancel.check()
            tokens = [gene_tokens(g, self.reverse) for g in genes[start:start + chunk]]
            flat = self.tables.logprobs(tokens)
            bounds = np.cumsum([0] + [len(t) - 1 for t in tokens])
            out.extend(to_gene_order(flat[a:b], self.reverse) for a, b in zip(bounds[:-1], bounds[1:]))
            progress(min(1.0, (start + chunk) / len(genes)), None)
        return out


def build_model(train_genes: Sequence[str], order: int, reverse: bool = False, discount_scale: float = 1.0,
                levels: list[LevelCounts] | None = None) -> NgramLM:
    """Count the n-grams of the genes and estimate discounts (scaled, clipped to the count they discount)."""
    if levels is None:
        levels = count_levels([gene_tokens(g, reverse) for g in train_genes], order - 1)
    discounts = np.array([kn_discounts(level.counts) for level in levels]) * discount_scale
    discounts = np.clip(discounts, 0.0, [1.0, 2.0, 3.0])
    config = NgramLmConfig(order=order, reverse=reverse, discount_scale=discount_scale)
    return NgramLM(config, levels, discounts)


def fit_ngram(train_genes: Sequence[str], valid_genes: Sequence[str], out_dir: str | Path, *, reverse: bool = False,
              order: int | list[int] | None = None, discount_scale: float | list[float] | None = None,
              log: Callable[[str], None] = print) -> dict:
    """Fit, choosing the order and discount scale with the lowest validation perplexity, and save."""
    orders = [order] if isinstance(order, int) else list(order or range(4, 15))
    scales = [discount_scale] if isinstance(discount_scale, (int, float)) else list(discount_scale or [0.8, 1.0, 1.2])
    valid_tokens = sum(len(g) + 1 for g in valid_genes)
    trials, best = [], None
    for n in orders:
        levels = count_levels([gene_tokens(g, reverse) for g in train_genes], n - 1)
        for scale in scales:
            model = build_model(train_genes, n, reverse, scale, levels=levels)
            total = sum(float(lp.sum()) for lp in model.token_logprobs(list(valid_genes)))
            ppl = math.exp(-total / valid_tokens)
            trials.append({"order": n, "discount_scale": scale, "valid_perplexity": round(ppl, 4)})
            log(f"order={n} discount_scale={scale} valid_perplexity={ppl:.4f}")
            if best is None or ppl < best[0]:
                best = (ppl, n, scale)
    _, n, scale = best
    model = build_model(train_genes, n, reverse, scale)
    save(model, out_dir)
    return {"chosen": {"order": n, "discount_scale": scale}, "trials": trials,
            "best_valid_perplexity": round(best[0], 4)}


def save(model: NgramLM, directory: str | Path) -> None:
    from safetensors.numpy import save_file

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tensors = {"discounts": model.tables.discounts.astype(np.float64)}
    for h, level in enumerate(model.tables.levels):
        tensors[f"level{h}.keys"] = _narrow(level.keys)
        tensors[f"level{h}.counts"] = _narrow(level.counts)
    tmp = directory / ".model.safetensors.tmp"
    save_file(tensors, str(tmp), metadata={"format": "genoview-ngram-lm"})
    tmp.replace(directory / "model.safetensors")
    model.config.save_pretrained(directory)


def load(directory: str | Path, *, device: str = "cpu", task=None) -> NgramLM:
    from safetensors.numpy import load_file

    from genoview.core.lm_models import read_info

    directory = Path(directory)
    config = NgramLmConfig.from_pretrained(directory, local_files_only=True)
    tensors = load_file(str(directory / "model.safetensors"))
    levels = [LevelCounts(tensors[f"level{h}.keys"].astype(np.int64), tensors[f"level{h}.counts"].astype(np.uint32))
              for h in range(config.order)]
    return NgramLM(config, levels, tensors["discounts"], name=directory.name, info=read_info(directory))
