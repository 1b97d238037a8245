"""GeneORF candidate features added in session 5 (antisense margin) and session 8 (head/before coding);
older models still score."""
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
    for name in ("antisense_margin", "head_coding", "before_coding"):
        col = gc.FEATURES.index(name)
        for feats, *_ in scored.values():
            assert feats.shape[1] == len(gc.FEATURES)
            assert np.isfinite(feats[:, col]).all(), name


def test_head_and_before_coding_are_the_hexamer_sums_next_to_the_start():
    """head_coding: the in-frame hexamer scores of the HEAD_CODONS codons from the start (at most to the stop);
    before_coding: those of up to HEAD_CODONS codons before the start inside its ORF (0 at the ORF's first codon)."""
    from genoview.core import genecalls as gc

    codes, _ = _synthetic_genome(seed=5, genes=8)
    seqs, stats, scored = _features(codes)
    table = np.append(stats.coding[:gc.N_HEX], 0.0)
    head, before = gc.FEATURES.index("head_coding"), gc.FEATURES.index("before_coding")
    for strand in (1, -1):
        cands = seqs[0].strands[strand]
        feats = scored[(0, strand)][0]
        for j in range(0, len(cands), 7):
            per_codon = table[cands.hexamers[cands.frame[j]]]
            ks, ke, ko = int(cands.k_start[j]), int(cands.k_stop[j]), int(cands.k_orf[j])
            ke = min(ke, len(per_codon))
            assert np.isclose(feats[j, head], per_codon[ks:min(ks + gc.HEAD_CODONS, ke)].sum())
            assert np.isclose(feats[j, before], per_codon[max(ks - gc.HEAD_CODONS, ko):ks].sum())


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
