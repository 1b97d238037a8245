"""DNABERT's contiguous k-mer span masking for masked-LM pre-training, as a batch collator.

With overlapping k-mers a single masked token is trivial to recover: its neighbours hold all of its
bases. DNABERT therefore masks k consecutive tokens around each chosen centre (offsets
-(k-1)//2 .. k//2, its MASK_LIST), so the bases of the centre k-mer are hidden from every token.
Centres are drawn with the probability that makes about ``mlm_probability`` of the k-mer positions
masked; each masked position becomes [MASK] 80% of the time, a random k-mer 10%, itself 10%.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import torch

from genoview.core.models.kmer_bert.tokenization_kmer import KmerVocab

IGNORE_INDEX = -100


def span_offsets(k: int) -> np.ndarray:
    """Token offsets masked around a centre: k = 3 -> [-1, 0, 1], k = 6 -> [-2 .. 3] (DNABERT)."""
    first = -((k - 1) // 2)
    return np.arange(first, first + k)


class SpanMaskingCollator:
    """Pads ``input_ids`` and masks k-mer spans: returns input_ids, attention_mask, labels (-100 where unmasked)."""

    def __init__(self, vocab: KmerVocab, mlm_probability: float = 0.15, seed: int | None = None):
        if not 0.0 < mlm_probability < 1.0:
            raise ValueError("mlm_probability must lie between 0 and 1")
        self.vocab = vocab
        self.mlm_probability = mlm_probability
        # overlapping spans of k: 1 - (1 - p_centre)^k of the positions end up masked
        self.centre_probability = 1.0 - (1.0 - mlm_probability) ** (1.0 / vocab.k)
        self.offsets = span_offsets(vocab.k)
        self.rng = np.random.default_rng(seed)

    def __call__(self, examples: Sequence[dict[str, Any]]) -> dict[str, torch.Tensor]:
        ids = pad_input_ids([np.asarray(e["input_ids"], dtype=np.int64) for e in examples], self.vocab.pad_id)
        masked_ids, labels = self.mask(ids)
        return {
            "input_ids": torch.from_numpy(masked_ids),
            "attention_mask": torch.from_numpy((ids != self.vocab.pad_id).astype(np.int64)),
            "labels": torch.from_numpy(labels),
        }

    def mask(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(batch, length) token ids -> (masked ids, labels); special tokens are never masked."""
        maskable = ~np.isin(ids, self.vocab.special_ids)
        centres = maskable & (self.rng.random(ids.shape) < self.centre_probability)
        masked = np.zeros_like(centres)
        length = ids.shape[1]
        for offset in self.offsets:
            if offset >= 0:
                masked[:, offset:] |= centres[:, :length - offset]
            else:
                masked[:, :offset] |= centres[:, -offset:]
        masked &= maskable
        labels = np.where(masked, ids, IGNORE_INDEX)
        out = ids.copy()
        draw = self.rng.random(ids.shape)
        out[masked & (draw < 0.8)] = self.vocab.mask_id
        randomised = masked & (draw >= 0.8) & (draw < 0.9)
        out[randomised] = self.rng.choice(self.vocab.kmer_ids, size=int(randomised.sum()))
        return out, labels


def pad_input_ids(rows: Sequence[np.ndarray], pad_id: int) -> np.ndarray:
    """Right-pad 1-D token-id arrays into one (batch, longest) int64 array."""
    longest = max(len(r) for r in rows)
    out = np.full((len(rows), longest), pad_id, dtype=np.int64)
    for i, row in enumerate(rows):
        out[i, :len(row)] = row
    return out
