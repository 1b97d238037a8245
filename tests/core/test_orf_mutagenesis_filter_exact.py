"""Saturation mutagenesis with GeneORF when the precision stage shapes the track (``call_filter["track"]``):
a variant's calls are judged again (their features: scores, shadows, neighbours, G/C at codon positions), so
the local re-scoring still equals a full re-run. The cut is set just above or below a call's probability so
that substitutions in and around it flip the stage's decision (the check is not vacuous)."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.genome import encode
from tests.core.test_variant_effects_orf import _full_rerun


@pytest.fixture(scope="module")
def geneorf():
    from genoview.core.models import load_model

    return load_model("geneorf-bacteria", device="cpu")


def test_variants_follow_the_precision_stage_exactly(geneorf, ecoli_fasta):
    from genoview.core import genecalls as gc
    from genoview.core.genome import open_genome
    from genoview.core.models.geneorf import precision
    from genoview.core.models.geneorf.track import own_columns
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    spec = dict(geneorf.model.config.call_filter or {})
    if not spec:
        pytest.skip("the shipped model has no precision stage")
    with open_genome(ecoli_fasta) as genome:
        record = next(iter(genome.sequences.values()))
        codes = encode(record.fetch(1_000_000, 1_040_000))
    kept: dict = {}
    scorer = own_columns(geneorf.model.scorer(), geneorf.model.config.n_features)
    _, stats = gc.call_genes({"g": codes}, weights=scorer, stats=geneorf.model.stored_statistics(), keep=kept)
    keys, x = precision.call_features(kept, stats.gc)
    prob = precision.filter_probability(spec, x)
    rng = np.random.default_rng(0)
    flipped = 0
    config = geneorf.model.config
    try:
        for (i, strand, j), p in sorted(zip(keys, prob), key=lambda t: t[1])[:1]:
            _, _, left, right = kept["scored"][(i, strand)]
            a, b = int(left[j]), int(right[j])
            for cut in (float(p) + 1e-3, float(p) - 1e-3):
                config.call_filter = dict(spec, cut=cut, track=True)
                reference = OrfMutagenesis(geneorf, {"g": codes}, "g")
                w0, w1 = a - 40, b + 40
                ref_track = reference.prepare_window(w0, w1)
                np.testing.assert_allclose(ref_track, _full_rerun(geneorf, codes, reference.stats, w0, w1), atol=1e-5)
                variants = [(int(q), base) for q in rng.integers(w0, w1, 5) for base in range(4) if base != codes[q]]
                for (q, base), track in zip(variants, reference.variant_tracks(variants)):
                    mutated = codes.copy()
                    mutated[q] = base
                    slow = _full_rerun(geneorf, mutated, reference.stats, w0, w1)
                    np.testing.assert_allclose(track, slow, atol=1e-5, err_msg=f"cut {cut}: {q} -> {'ACGT'[base]}")
                    flipped += np.abs(track - ref_track).max() > 0.3
    finally:
        config.call_filter = spec
    assert flipped > 0
