"""Real vs mutated and saturation mutagenesis with a gene model that reads fixed-size chunks (the k-mer BERTs):
the window is tiled as the model's contract says (context + chunk_size + context per tile) instead of handing it
one tile of the window's length (ValueError 'chunks must hold N bases'); a model whose genes come from a
whole-genome decoder (kmer-bert-ecoli-orfs) is refused with a message saying what to use."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from test_kmer_bert_genomes import tiny_frame_track  # noqa: E402 - same folder (no packages in tests/)


def _text(n, seed=0):
    return "".join(np.random.default_rng(seed).choice(list("ACGT"), n))


def test_a_fixed_chunk_model_scores_windows_of_any_length():
    from genoview.core.inference import predict_region
    from genoview.core.variant_effects import gene_probability, saturation_gene_model

    model = tiny_frame_track()
    assert model.chunk_size < 1000
    text = _text(model.context + 1000 + model.context)
    body = text[model.context:model.context + 1000]
    left, right = text[:model.context], text[model.context + 1000:]
    probs = gene_probability(model, body, left, right)
    assert probs.shape == (1000,) and np.isfinite(probs).all()

    class Record:   # the flanked window as a sequence: the model's own tiling, from the window's first base
        id, length = "w", len(text)

        def fetch(self, a, b):
            return np.frombuffer(text[a:b].encode(), dtype=np.uint8)

    shifted = np.concatenate([np.full(model.chunk_size - model.context % model.chunk_size, 78, np.uint8),
                              np.frombuffer(text.encode(), dtype=np.uint8)])
    pad = len(shifted) - len(text)

    class Shifted(Record):   # the window's first base on the model's grid (a multiple of chunk_size)
        length = len(shifted)

        def fetch(self, a, b):
            return shifted[a:b]

    want = predict_region(model, Shifted(), pad + model.context, pad + model.context + 1000)
    assert np.allclose(probs, want, atol=1e-5)
    for n, kwargs in ((len(body), {}), (40, {"flank_left": left, "flank_right": right})):
        result = saturation_gene_model(model, body[:n], 3, 13, deletions=True, **kwargs)
        assert result.effects.shape == (10, 5) and np.isfinite(result.effects).sum() == 10 * 4


def test_a_model_with_a_whole_genome_gene_decoder_is_refused_with_a_message():
    from genoview.core.errors import GenoViewInputError
    from genoview.core.variant_effects import gene_probability, saturation_gene_model

    model = tiny_frame_track(orf_decoder={"coding_weight": 0.1})
    model.name = "tiny-orfs"
    with pytest.raises(GenoViewInputError, match="tiny-orfs.*whole genome"):
        saturation_gene_model(model, _text(60), 3, 13)
    with pytest.raises(GenoViewInputError, match="tiny-orfs.*whole genome"):
        gene_probability(model, _text(60))


def test_a_whole_sequence_model_without_windows_is_refused_with_a_message():
    """The built-in prodigal reads whole sequences only: NotImplementedError('') reached the user before."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.models import load_model
    from genoview.core.variant_effects import compare_gene_model, saturation_gene_model

    model = load_model("prodigal")
    with pytest.raises(GenoViewInputError, match="whole sequences only"):
        saturation_gene_model(model, _text(60), 3, 13)

    class Mutated:
        real, mutated = _text(60), _text(61)

    with pytest.raises(GenoViewInputError, match="whole sequences only"):
        compare_gene_model(model, Mutated())
