"""Training a GPT on genes longer than its position table was a torch IndexError traceback ('index out of range
in self'); it is an input error saying how many genes, the longest, and the n_positions that fits them."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.lm_training import train_causal_lm
from genoview.core.models.gpt_lm import build


def _genes(lengths, seed=0):
    rng = np.random.default_rng(seed)
    return ["".join("ACGT"[i] for i in rng.integers(0, 4, n)) for n in lengths]


def test_genes_longer_than_the_position_table_are_refused_before_training(tmp_path):
    module = build(n_embd=8, n_layer=1, n_head=2, n_positions=64)
    with pytest.raises(GenoViewInputError, match=r"2 of the 5 training and validation genes are longer than the 63 "
                                                 r"bases .*longest gene: 100 bases.*n_positions=128"):
        train_causal_lm(module, _genes([30, 100, 40]), _genes([64, 20]), tmp_path / "out", max_steps=1,
                        log=lambda text: None)
    assert not (tmp_path / "out").exists()
    # 63 bases ('<' and 63 bases: 64 inputs) fit and train
    result = train_causal_lm(module, _genes([30, 63, 40]), _genes([63, 20]), tmp_path / "out", max_steps=1,
                             max_epochs=1, log=lambda text: None)
    assert result["steps"] == 1
