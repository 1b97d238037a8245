"""Training examples for the k-mer BERT cut from one genome region, and the maps from tokens back to bases.

A window of ``n`` k-mer tokens covers ``n + k - 1`` bases. Per-token labelling gives each token the label
of its k-mer's centre base (offset (k-1)//2); window classification gives the whole window one label
from its bases (majority, all or any genic).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import torch
from torch.utils.data import Dataset

from genoview.core.models.kmer_bert.masking import IGNORE_INDEX, pad_input_ids
from genoview.core.models.kmer_bert.tokenization_kmer import KmerVocab

WINDOW_RULES = ("majority", "all", "any")


def window_starts(length: int, window: int, stride: int, offset: int = 0) -> np.ndarray:
    """Starts of the windows of ``window`` positions, ``stride`` apart, that fit in ``length``."""
    if length - offset < window:
        return np.zeros(0, dtype=np.int64)
    return np.arange(offset, length - window + 1, stride, dtype=np.int64)


class _TokenWindows(Dataset):
    """Windows of ``window_tokens`` k-mer tokens over a region's base codes, tokenised once up front."""

    def __init__(self, codes: np.ndarray, vocab: KmerVocab, window_tokens: int, stride: int | None = None,
                 offset: int = 0):
        self.vocab = vocab
        self.window_tokens = int(window_tokens)
        self.ids = vocab.encode_codes(np.asarray(codes, dtype=np.uint8))
        self.starts = window_starts(len(self.ids), self.window_tokens, int(stride or window_tokens), offset)

    def __len__(self) -> int:
        return len(self.starts)

    def _input_ids(self, index: int) -> np.ndarray:
        start = self.starts[index]
        return self.vocab.with_specials(self.ids[start:start + self.window_tokens])


class MaskedLMWindows(_TokenWindows):
    """Unlabelled token windows for masked-LM pre-training (pair with :class:`SpanMaskingCollator`)."""

    def __getitem__(self, index: int) -> dict[str, Any]:
        return {"input_ids": self._input_ids(index)}


def reverse_complement_codes(codes: np.ndarray) -> np.ndarray:
    """Base codes (A0 C1 G2 T3, N4) of the reverse complement."""
    codes = np.asarray(codes)
    return np.where(codes < 4, 3 - codes, codes)[..., ::-1]


class TokenLabelWindows(_TokenWindows):
    """Token windows labelled per token with the label of each k-mer's centre base (-100 on [CLS]/[SEP]).

    With ``reverse_complement`` (a map from each label to its label on the other strand, e.g. identity for
    genic/non-genic) the set doubles: item ``len/2 + i`` is window ``i`` read on the other strand, its
    k-mers re-tokenised and its labels reversed and mapped. A model then learns both strands alike.
    """

    def __init__(self, codes: np.ndarray, labels: np.ndarray, vocab: KmerVocab, window_tokens: int,
                 stride: int | None = None, offset: int = 0, reverse_complement: np.ndarray | None = None):
        super().__init__(codes, vocab, window_tokens, stride, offset)
        self.centre = (vocab.k - 1) // 2
        self.token_labels = np.asarray(labels, dtype=np.int64)[self.centre:self.centre + len(self.ids)]
        self.reverse_map = None if reverse_complement is None else np.asarray(reverse_complement, dtype=np.int64)
        if self.reverse_map is not None:
            self.codes = np.asarray(codes, dtype=np.uint8)
            self.labels = np.asarray(labels, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.starts) * (1 if self.reverse_map is None else 2)

    def __getitem__(self, index: int) -> dict[str, Any]:
        if index >= len(self.starts):
            return self._reverse_item(index - len(self.starts))
        start = self.starts[index]
        labels = np.full(self.window_tokens + 2, IGNORE_INDEX, dtype=np.int64)
        labels[1:-1] = self.token_labels[start:start + self.window_tokens]
        return {"input_ids": self._input_ids(index), "labels": labels}

    def _reverse_item(self, index: int) -> dict[str, Any]:
        start = self.starts[index]
        end = start + self.window_tokens + self.vocab.k - 1             # the window's bases
        codes = reverse_complement_codes(self.codes[start:end])
        base_labels = self.reverse_map[self.labels[start:end][::-1]]
        labels = np.full(self.window_tokens + 2, IGNORE_INDEX, dtype=np.int64)
        labels[1:-1] = base_labels[self.centre:self.centre + self.window_tokens]
        return {"input_ids": self.vocab.with_specials(self.vocab.encode_codes(codes)), "labels": labels}


class WindowLabelSet(Dataset):
    """Windows of ``window`` bases, each labelled from its bases by ``rule`` (majority, all or any genic)."""

    def __init__(self, codes: np.ndarray, labels: np.ndarray, vocab: KmerVocab, window: int,
                 stride: int | None = None, rule: str = "majority", offset: int = 0):
        if rule not in WINDOW_RULES:
            raise ValueError(f"window rule must be one of {WINDOW_RULES}, not {rule!r}")
        self.vocab = vocab
        self.window = int(window)
        self.ids = vocab.encode_codes(np.asarray(codes, dtype=np.uint8))
        self.starts = window_starts(len(codes), self.window, int(stride or window), offset)
        genic = np.concatenate([[0], np.cumsum(np.asarray(labels, dtype=np.int64))])
        counts = genic[self.starts + self.window] - genic[self.starts]
        if rule == "majority":
            self.labels = (2 * counts > self.window).astype(np.int64)
        elif rule == "all":
            self.labels = (counts == self.window).astype(np.int64)
        else:
            self.labels = (counts > 0).astype(np.int64)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> dict[str, Any]:
        start = self.starts[index]
        ids = self.vocab.with_specials(self.ids[start:start + self.window - self.vocab.k + 1])
        return {"input_ids": ids, "labels": self.labels[index]}


class FineTuneCollator:
    """Pads input_ids (and per-token labels with -100) into tensors with an attention mask."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, examples: Sequence[dict[str, Any]]) -> dict[str, torch.Tensor]:
        ids = pad_input_ids([np.asarray(e["input_ids"]) for e in examples], self.pad_id)
        first = np.asarray(examples[0]["labels"])
        if first.ndim == 0:
            labels = np.array([int(e["labels"]) for e in examples], dtype=np.int64)
        else:
            labels = pad_input_ids([np.asarray(e["labels"]) for e in examples], IGNORE_INDEX)
        return {
            "input_ids": torch.from_numpy(ids),
            "attention_mask": torch.from_numpy((ids != self.pad_id).astype(np.int64)),
            "labels": torch.from_numpy(labels),
        }


def token_probs_to_bases(token_probs: np.ndarray, k: int) -> np.ndarray:
    """(..., n) per-k-mer probabilities -> (..., n + k - 1) per-base, each base the mean of the k-mers covering it."""
    token_probs = np.asarray(token_probs, dtype=np.float64)
    n = token_probs.shape[-1]
    total = np.zeros(token_probs.shape[:-1] + (n + k - 1,))
    count = np.zeros(n + k - 1)
    for offset in range(k):
        total[..., offset:offset + n] += token_probs
        count[offset:offset + n] += 1
    return (total / count).astype(np.float32)


def window_probs_to_bases(window_probs: np.ndarray, starts: np.ndarray, window: int, length: int) -> np.ndarray:
    """(..., n_windows) window probabilities -> (..., length) per-base means over the windows covering each base.

    Bases no window covers get NaN (callers give every base they keep enough flank to be covered).
    """
    window_probs = np.asarray(window_probs, dtype=np.float64)
    diff = np.zeros(window_probs.shape[:-1] + (length + 1,))
    count = np.zeros(length + 1)
    np.add.at(diff, (..., starts), window_probs)
    np.add.at(diff, (..., starts + window), -window_probs)
    np.add.at(count, starts, 1)
    np.add.at(count, starts + window, -1)
    total = np.cumsum(diff, axis=-1)[..., :length]
    covered = np.cumsum(count)[:length]
    with np.errstate(invalid="ignore", divide="ignore"):
        return (total / covered).astype(np.float32)
