"""Overlapping k-mer tokens as DNABERT uses them: a fast numpy path and an HF-compatible tokenizer.

The vocabulary is DNABERT's ``vocab.txt``: the five special tokens ``[PAD] [UNK] [CLS] [SEP] [MASK]``
on the first lines, then every k-mer, one a line. ``ACGTAC`` with k = 3 becomes the tokens
``ACG CGT GTA TAC`` (one token per base, less k - 1); a k-mer holding anything other than A, C, G, T
becomes ``[UNK]``. The numpy path works on GenoView's base codes (A0 C1 G2 T3, N4) and reads each
k-mer's id from the vocabulary file, so a downloaded DNABERT vocabulary in any k-mer order works.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
from transformers import PreTrainedTokenizer

from genoview.core.errors import GenoViewInputError

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
MIN_K, MAX_K = 3, 6
VOCAB_FILE = "vocab.txt"
_CODE_OF_BASE = {"A": 0, "C": 1, "G": 2, "T": 3}


def dnabert_kmers(k: int) -> list[str]:
    """All 4^k k-mers in DNABERT's vocab.txt order (bases ranked A, T, C, G)."""
    _check_k(k)
    return ["".join(p) for p in itertools.product("ATCG", repeat=k)]


def _check_k(k: int) -> None:
    if not MIN_K <= k <= MAX_K:
        raise GenoViewInputError(f"k-mer size {k} is not supported; choose k from {MIN_K} to {MAX_K}")


class KmerVocab:
    """The token ids of a k-mer vocabulary, with a table from each k-mer's base-4 index to its id."""

    def __init__(self, tokens: list[str], path: str | os.PathLike | None = None):
        self.tokens = list(tokens)
        self.path = path
        self.ids = {token: i for i, token in enumerate(self.tokens)}
        missing = [s for s in SPECIAL_TOKENS if s not in self.ids]
        if missing:
            raise GenoViewInputError(f"the k-mer vocabulary lacks the special tokens {missing}; "
                                     "use DNABERT's vocab.txt layout", path)
        kmers = [t for t in self.tokens if t not in SPECIAL_TOKENS]
        k = len(kmers[0]) if kmers else 0
        if not MIN_K <= k <= MAX_K or len(kmers) != 4 ** k or len(set(kmers)) != len(kmers):
            raise GenoViewInputError(
                f"{len(self.tokens)} tokens do not make a k-mer vocabulary (expected 5 special tokens "
                f"and all 4^k k-mers for k = 3..6, e.g. 69 tokens for k = 3, 4101 for k = 6)", path)
        self.k = k
        self.pad_id, self.unk_id, self.cls_id, self.sep_id, self.mask_id = (self.ids[s] for s in SPECIAL_TOKENS)
        self.special_ids = np.array([self.ids[s] for s in SPECIAL_TOKENS], dtype=np.int64)
        self.kmer_ids = np.array([self.ids[t] for t in kmers], dtype=np.int64)
        self.id_of_index = np.empty(4 ** k, dtype=np.int64)
        for token in kmers:
            index = 0
            for base in token:
                if base not in _CODE_OF_BASE:
                    raise GenoViewInputError(f"vocabulary token {token!r} is not a DNA k-mer", path,
                                             self.ids[token] + 1)
                index = index * 4 + _CODE_OF_BASE[base]
            self.id_of_index[index] = self.ids[token]

    @classmethod
    def for_k(cls, k: int) -> "KmerVocab":
        """A fresh DNABERT-ordered vocabulary for k-mers of size ``k``."""
        return cls(list(SPECIAL_TOKENS) + dnabert_kmers(k))

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "KmerVocab":
        """Read a DNABERT vocab.txt (one token a line); k follows from the number of k-mers."""
        path = Path(path)
        if not path.is_file():
            raise GenoViewInputError("no k-mer vocabulary here; a DNABERT model directory holds vocab.txt", path)
        tokens = path.read_text(encoding="utf-8").splitlines()
        while tokens and not tokens[-1].strip():
            tokens.pop()
        return cls([t.strip() for t in tokens], path)

    def __len__(self) -> int:
        return len(self.tokens)

    def write(self, path: str | os.PathLike) -> Path:
        path = Path(path)
        path.write_text("\n".join(self.tokens) + "\n", encoding="utf-8")
        return path

    def encode_codes(self, codes: np.ndarray) -> np.ndarray:
        """Base codes (..., L) uint8 -> k-mer token ids (..., L - k + 1) int64; k-mers with N -> [UNK]."""
        codes = np.asarray(codes)
        k = self.k
        n_tokens = codes.shape[-1] - k + 1
        if n_tokens <= 0:
            return np.zeros(codes.shape[:-1] + (0,), dtype=np.int64)
        index = np.zeros(codes.shape[:-1] + (n_tokens,), dtype=np.int64)
        unknown = np.zeros(index.shape, dtype=bool)
        for offset in range(k):
            part = codes[..., offset:offset + n_tokens]
            unknown |= part > 3
            index = index * 4 + np.minimum(part, 3)
        ids = self.id_of_index[index]
        ids[unknown] = self.unk_id
        return ids

    def with_specials(self, ids: np.ndarray) -> np.ndarray:
        """Add [CLS] in front and [SEP] at the end of the last axis, as BERT expects."""
        shape = ids.shape[:-1] + (1,)
        return np.concatenate([np.full(shape, self.cls_id, np.int64), ids,
                               np.full(shape, self.sep_id, np.int64)], axis=-1)


def codes_from_text(sequence: str) -> np.ndarray:
    """A DNA string -> base codes (A0 C1 G2 T3, anything else 4), case-insensitive."""
    table = np.full(256, 4, dtype=np.uint8)
    for base, code in _CODE_OF_BASE.items():
        table[ord(base)] = table[ord(base.lower())] = code
    return table[np.frombuffer(sequence.encode("ascii", "replace"), dtype=np.uint8)]


def sequence_to_kmers(sequence: str, k: int) -> list[str]:
    """'ACGTA' -> ['ACG', 'CGT', 'GTA'] for k = 3 (DNABERT's seq2kmer)."""
    return [sequence[i:i + k] for i in range(len(sequence) - k + 1)]


class DNAKmerTokenizer(PreTrainedTokenizer):
    """DNABERT's DNATokenizer for current transformers: raw DNA or space-separated k-mers -> k-mer ids.

    Loads from a directory holding ``vocab.txt`` (and optionally ``tokenizer_config.json`` with ``k``);
    k is inferred from the vocabulary when not given, so downloaded DNABERT directories load as they are.
    """

    vocab_files_names = {"vocab_file": VOCAB_FILE}
    model_input_names = ["input_ids", "token_type_ids", "attention_mask"]

    def __init__(self, vocab_file: str, k: int | None = None, **kwargs):
        self.kmer_vocab = KmerVocab.from_file(vocab_file)
        if k is not None and int(k) != self.kmer_vocab.k:
            raise GenoViewInputError(f"tokenizer_config.json says k = {k}, but the vocabulary holds "
                                     f"{self.kmer_vocab.k}-mers", vocab_file)
        self.k = self.kmer_vocab.k
        self.vocab = dict(self.kmer_vocab.ids)
        self.ids_to_tokens = dict(enumerate(self.kmer_vocab.tokens))
        kwargs.setdefault("model_max_length", 512)
        kwargs.setdefault("special_tokens_pattern", "cls_sep")
        kwargs.setdefault("token_type_ids_pattern", "bert_style")
        for name, token in zip(("pad_token", "unk_token", "cls_token", "sep_token", "mask_token"), SPECIAL_TOKENS):
            kwargs.setdefault(name, token)
        kwargs.pop("k", None)
        super().__init__(k=self.k, **kwargs)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def get_vocab(self) -> dict[str, int]:
        return dict(self.vocab)

    def _tokenize(self, text: str, **kwargs) -> list[str]:
        words = text.split()
        if len(words) == 1 and len(words[0]) != self.k:
            return sequence_to_kmers(words[0].upper(), self.k)
        return [w.upper() for w in words]

    def _convert_token_to_id(self, token: str) -> int:
        return self.vocab.get(token, self.kmer_vocab.unk_id)

    def _convert_id_to_token(self, index: int) -> str:
        return self.ids_to_tokens.get(index, "[UNK]")

    def convert_tokens_to_string(self, tokens: list[str]) -> str:
        """k-mers back to the DNA they cover (the first base of each, then the last k-mer whole)."""
        kmers = [t for t in tokens if t not in SPECIAL_TOKENS]
        if not kmers:
            return ""
        return "".join(t[0] for t in kmers[:-1]) + kmers[-1]

    def save_vocabulary(self, save_directory: str, filename_prefix: str | None = None) -> tuple[str]:
        name = (f"{filename_prefix}-" if filename_prefix else "") + VOCAB_FILE
        return (str(self.kmer_vocab.write(Path(save_directory) / name)),)
