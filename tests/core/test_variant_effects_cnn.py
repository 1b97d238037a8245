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
    calls, strands = [], {"tiles": 0, "full": 0, "exact": set()}
    original = effects._cropped_genecnn
    monkeypatch.setattr(effects, "_cropped_genecnn", lambda *a: calls.append(1) or original(*a))
    apply = effects._FeatureDeltas.apply

    def counted(self, codes, single):
        out, full = apply(self, codes, single)
        strands["tiles"] += codes.shape[0]
        strands["full"] += len(full)
        strands["exact"].add(self.exact)
        return out, full

    monkeypatch.setattr(effects._FeatureDeltas, "apply", counted)
    fast = effects.saturation_gene_model(model, window, **kwargs)
    assert calls and fast.extra["cropped"] and strands["exact"] == {True}
    # both ways are exercised: strands whose codons keep their kind (changes of two hexamer scores), and
    # substitutions that make or break a stop or start codon, and deletions (recomputed in full)
    assert 0 < strands["full"] < strands["tiles"]
    monkeypatch.setattr(effects, "_cropped_genecnn", lambda *args: None)
    full = effects.saturation_gene_model(model, window, **kwargs)
    assert np.isfinite(fast.effects).sum() == n * 4
    np.testing.assert_allclose(fast.effects, full.effects, atol=2e-6)
    assert np.abs(full.effects[np.isfinite(full.effects)]).max() > 1e-3
