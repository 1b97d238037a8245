"""GeneORF candidate features added in session 5 (antisense margin); older models still score."""
from __future__ import annotations

import numpy as np

from tests.core.test_genecalls import _synthetic_genome


def _features(codes):
    from genoview.core import genecalls as gc

    seqs = gc.enumerate_candidates({"chr": codes}, 11)
    stats = gc.self_train(seqs, 11, rounds=1)
    gc.score_coding(seqs, stats.coding, stats.codon_usage)
    return seqs, stats, gc._all_scored(seqs, stats, None)


def test_new_features_are_finite_and_on_the_candidate_rows():
    from genoview.core import genecalls as gc

    codes, planted = _synthetic_genome(seed=3, genes=10)
    seqs, stats, scored = _features(codes)
    for name in ("antisense_margin",):
        col = gc.FEATURES.index(name)
        for feats, *_ in scored.values():
            assert feats.shape[1] == len(gc.FEATURES)
            assert np.isfinite(feats[:, col]).all(), name



def test_antisense_margin_reads_the_same_from_either_strand_layout():
    """A sequence whose strands were not built by enumerate_candidates (joined slices, as the mutagenesis
    fast path builds them) reads its antisense from its own reverse complement: the same values."""
    from genoview.core import genecalls as gc

    codes, _ = _synthetic_genome(seed=6, genes=8)
    seqs, stats, scored = _features(codes)
    s = seqs[0]
    unpaired = gc.SequenceCandidates(s.seqid, s.length, s.strands, s.codes)
    assert not unpaired.paired and s.paired
    col = gc.FEATURES.index("antisense_margin")
    for strand in (1, -1):
        np.testing.assert_allclose(gc.candidate_features(unpaired, strand, stats)[:, col],
                                   scored[(0, strand)][0][:, col])


def test_a_model_fitted_on_fewer_features_still_scores():
    """A GeneORF saved before features were appended (n_features < len(FEATURES)) reads its own columns."""
    import torch

    from genoview.core import genecalls as gc
    from genoview.core.models.geneorf import GeneORFConfig, GeneORFModel
    from genoview.core.models.geneorf.track import GeneORFTrackModel

    torch.manual_seed(0)
    model = GeneORFModel(GeneORFConfig(n_features=13, hidden=4, rna_channels=4, rna_dilations=[1, 2]))
    codes, _ = _synthetic_genome(seed=4, genes=6)
    calls, stats, tracks = GeneORFTrackModel(model, None, {}).call_genome({"chr": codes})
    assert len(tracks["chr"]) == len(codes)
    assert len(gc.FEATURES) > 13
