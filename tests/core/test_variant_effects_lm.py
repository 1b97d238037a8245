"""Language models on sequences longer than their position table (real genes in the Real vs mutated panel)."""
from __future__ import annotations

import numpy as np
import pytest


def test_gpt_scores_a_gene_longer_than_its_positions_with_sliding_windows():
    torch = pytest.importorskip("torch")
    from genoview.core.lm import TorchCausalLM
    from genoview.core.models.gpt_lm import build

    torch.manual_seed(0)
    module = build(n_embd=16, n_layer=1, n_head=2, n_positions=64, dropout=0.0)
    model = TorchCausalLM(module, name="gpt")
    rng = np.random.default_rng(0)
    gene = "".join(rng.choice(list("ACGT"), 200))
    long_lp = model.token_logprobs([gene])[0]
    assert long_lp.shape == (201,) and np.isfinite(long_lp).all() and (long_lp < 0).all()
    short_lp = model.token_logprobs([gene[:50]])[0]      # within the table: unchanged, and the same prefix
    assert np.allclose(long_lp[:50], short_lp[:50], atol=1e-5)
