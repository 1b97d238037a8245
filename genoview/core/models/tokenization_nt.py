"""Nucleotide tokenizer shared by GenoView's causal language models: one token per character of ``<ACGT>``.

``<`` starts a gene, ``>`` ends it (as in the study's files); ``[PAD]`` pads batches. Codes match
:data:`genoview.core.lm_data.TOKENS` (< 0, A 1, C 2, G 3, T 4, > 5, pad 6).
"""
from __future__ import annotations

import json
import os

from transformers import PreTrainedTokenizer

VOCAB = {"<": 0, "A": 1, "C": 2, "G": 3, "T": 4, ">": 5, "[PAD]": 6}


class NucleotideTokenizer(PreTrainedTokenizer):
    vocab_files_names = {"vocab_file": "vocab.json"}
    model_input_names = ["input_ids", "attention_mask"]

    def __init__(self, vocab_file: str | None = None, **kwargs):
        self._vocab = dict(VOCAB)
        if vocab_file and os.path.isfile(vocab_file):
            with open(vocab_file, encoding="utf-8") as handle:
                self._vocab = json.load(handle)
        self._ids = {i: t for t, i in self._vocab.items()}
        kwargs.setdefault("pad_token", "[PAD]")
        kwargs.setdefault("bos_token", "<")
        kwargs.setdefault("eos_token", ">")
        super().__init__(**kwargs)

    @property
    def vocab_size(self) -> int:
        return len(self._vocab)

    def get_vocab(self) -> dict[str, int]:
        return dict(self._vocab)

    def _tokenize(self, text: str, **kwargs) -> list[str]:
        return [c for c in text.upper() if not c.isspace()]

    def _convert_token_to_id(self, token: str) -> int:
        return self._vocab.get(token, self._vocab["[PAD]"])

    def _convert_id_to_token(self, index: int) -> str:
        return self._ids.get(index, "[PAD]")

    def convert_tokens_to_string(self, tokens: list[str]) -> str:
        return "".join(t for t in tokens if t != "[PAD]")

    def save_vocabulary(self, save_directory: str, filename_prefix: str | None = None) -> tuple[str]:
        path = os.path.join(save_directory, (filename_prefix + "-" if filename_prefix else "") + "vocab.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self._vocab, handle)
        return (path,)
