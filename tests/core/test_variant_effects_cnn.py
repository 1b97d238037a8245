"""Saturation mutagenesis with the gene CNN: the cropped fast path equals full tiles through predict_chunk."""
from __future__ import annotations

import numpy as np


def test_genecnn_fast_path_equals_full_tiles(monkeypatch):
    import genoview.core.variant_effects as effects
    from genoview.core.models import load_model

    model = load_model("genecnn-ecoli", device="cpu")
    rng = np.random.default_rng(11)
    n = 9
    # a long open frame through the window (ATG then codons without stops), so substitutions make and break stops
    body = "ATG" + "".join(rng.choice(["GCT", "AAA", "CTG", "GAA", "TTA", "CAG"], 400))
    text = "".join(rng.choice(list("ACGT"), model.context - 600)) + body
    text += "".join(rng.choice(list("ACGT"), 2 * model.context + n - len(text)))
    window = text[model.context:model.context + n]
    kwargs = dict(flank_left=text[:model.context], flank_right=text[model.context + n:], deletions=True)
    calls = []
    original = effects._cropped_genecnn
    monkeypatch.setattr(effects, "_cropped_genecnn", lambda *a: calls.append(1) or original(*a))
    fast = effects.saturation_gene_model(model, window, **kwargs)
    assert calls and fast.extra["cropped"]
    monkeypatch.setattr(effects, "_cropped_genecnn", lambda *args: None)
    full = effects.saturation_gene_model(model, window, **kwargs)
    assert np.isfinite(fast.effects).sum() == n * 4
    np.testing.assert_allclose(fast.effects, full.effects, atol=2e-6)
    assert np.abs(full.effects[np.isfinite(full.effects)]).max() > 1e-3
