"""Training nucleotide language models on genes: the neural ones (LSTM, GPT-2-style) with a time bound, early
stopping on validation perplexity and checkpoints of the best weights; the n-gram by counting."""
from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress
from genoview.core.lm import gene_tokens, length_batches, pad_batch


def save_checkpoint(module, directory: Path) -> None:
    """config.json + model.safetensors into ``directory``, each file replaced atomically (no half-written weights)."""
    directory.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=directory, prefix=".checkpoint-"))
    try:
        module.save_pretrained(tmp, safe_serialization=True)
        for item in tmp.iterdir():
            os.replace(item, directory / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def corpus_nll(module, token_arrays: Sequence[np.ndarray], max_tokens: int = 32768) -> tuple[float, int]:
    """Summed negative log-likelihood (nats) and predicted-token count of token arrays under a causal module."""
    import torch

    total, count = 0.0, 0
    module.eval()
    with torch.inference_mode():
        for batch in length_batches([len(t) for t in token_arrays], max_tokens):
            inputs, targets = pad_batch([token_arrays[i] for i in batch])
            logp = module(inputs)
            mask = targets >= 0
            picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)
            total -= float(picked[mask].double().sum())
            count += int(mask.sum())
    return total, count


def _check_positions(module, token_arrays: Sequence[np.ndarray]) -> None:
    """A GPT learns a position table of n_positions places: a longer gene stopped training with torch's
    'IndexError: index out of range in self' (scoring reads long genes in windows; training reads whole genes)."""
    from genoview.core.errors import GenoViewInputError

    n = getattr(getattr(module, "config", None), "n_positions", None)
    if not n:
        return
    inputs = [len(t) - 1 for t in token_arrays]          # '<' and the bases: the end is predicted, never read
    long = [k for k in inputs if k > n]
    if long:
        wanted = -(-max(long) // 64) * 64
        raise GenoViewInputError(
            f"{len(long):,} of the {len(inputs):,} training and validation genes are longer than the {n - 1:,} bases "
            f"this GPT reads at once (n_positions {n:,}; the longest gene: {max(long) - 1:,} bases): give a new model "
            f"--option n_positions={wanted} (memory and time grow with its square), or genes without the long ones")


def train_causal_lm(module, train_genes: Sequence[str], valid_genes: Sequence[str], out_dir: str | Path, *,
                    reverse: bool = False, lr: float = 2e-3, weight_decay: float = 0.01, batch_tokens: int = 12000,
                    max_epochs: int = 200, max_seconds: float = 3600.0, patience: int = 4, seed: int = 0,
                    max_steps: int | None = None,
                    log: Callable[[str], None] = print, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> dict:
    """Train ``module`` (tokens -> next-token log-probs, ``module(inputs, labels)`` -> loss) on whole genes.

    Adam with decoupled weight decay; the learning rate halves when validation perplexity does not improve
    and training stops after ``patience`` epochs without improvement, at ``max_epochs`` or once
    ``max_seconds`` have passed or ``max_steps`` optimiser steps are done (checked between batches; a step
    bound makes the run independent of machine load). The best weights by validation perplexity are
    saved to ``out_dir`` after each improvement. Returns the history and the best validation perplexity.
    """
    import torch

    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    out_dir = Path(out_dir)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    train_tokens = [gene_tokens(g, reverse) for g in train_genes]
    valid_tokens = [gene_tokens(g, reverse) for g in valid_genes]
    _check_positions(module, train_tokens + valid_tokens)
    optimizer = torch.optim.AdamW(module.parameters(), lr=lr, weight_decay=weight_decay)
    batches = length_batches([len(t) for t in train_tokens], batch_tokens, max_genes=256)
    started = time.monotonic()
    best, bad_epochs, history, stop_reason = math.inf, 0, [], "max_epochs"
    steps = 0
    for epoch in range(1, max_epochs + 1):
        module.train()
        order = rng.permutation(len(batches))
        loss_sum, token_sum = 0.0, 0
        timed_out = False
        for k, b in enumerate(order):
            cancel.check()
            if time.monotonic() - started > max_seconds or (max_steps is not None and steps >= max_steps):
                timed_out = True
                break
            inputs, targets = pad_batch([train_tokens[i] for i in batches[b]])
            loss = module(inputs, labels=targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            optimizer.step()
            steps += 1
            n = int((targets >= 0).sum())
            loss_sum += loss.item() * n
            token_sum += n
            progress(min(1.0, (time.monotonic() - started) / max_seconds), f"epoch {epoch} batch {k + 1}/{len(order)}")
        nll, count = corpus_nll(module, valid_tokens)
        valid_ppl = math.exp(nll / count)
        train_ppl = math.exp(loss_sum / max(token_sum, 1)) if token_sum else float("nan")
        elapsed = time.monotonic() - started
        row = {"epoch": epoch, "steps": steps, "train_perplexity": round(train_ppl, 4),
               "valid_perplexity": round(valid_ppl, 4), "lr": optimizer.param_groups[0]["lr"],
               "seconds": round(elapsed, 1), "partial_epoch": timed_out}
        history.append(row)
        if valid_ppl < best - 1e-4:
            best, bad_epochs = valid_ppl, 0
            row["saved"] = True
            save_checkpoint(module, out_dir)
        else:
            bad_epochs += 1
            for group in optimizer.param_groups:
                group["lr"] *= 0.5
        log(" ".join(f"{k}={v}" for k, v in row.items()))
        if timed_out:
            stop_reason = "max_steps" if max_steps is not None and steps >= max_steps else "time"
            break
        if bad_epochs >= patience:
            stop_reason = "early_stopping"
            break
    return {"history": history, "best_valid_perplexity": round(best, 4), "stop_reason": stop_reason,
            "epochs": len(history), "steps": steps, "seconds": round(time.monotonic() - started, 1)}
