"""A called gene's track runs from the first start of its ORF (start_posterior_track spreads the start posterior
over every start), so it can reach a window far before the chosen start: saturation mutagenesis keeps such genes
(the window's reference and variant tracks equal a full re-run there)."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.genome import encode
from tests.core.test_variant_effects_orf import _full_rerun


@pytest.fixture(scope="module")
def geneorf():
    from genoview.core.models import load_model

    return load_model("geneorf-bacteria", device="cpu")


def test_windows_before_a_chosen_start_match_a_full_rerun(geneorf, ecoli_fasta):
    from genoview.core.genome import open_genome
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    from genoview.core.models.geneorf.chunked import train_statistics

    with open_genome(ecoli_fasta) as genome:
        record = next(iter(genome.sequences.values()))
        stats = train_statistics(geneorf, {record.id: encode(record.fetch(0, record.length))})
        codes = encode(record.fetch(1_400_000, 1_460_000))
    # the whole genome's statistics: a gene there (1,432,186-1,432,411) reaches 3 kb before its chosen start
    reference = OrfMutagenesis(geneorf, {"g": codes}, "g", stats=stats)
    full = _full_rerun(geneorf, codes, reference.stats, 0, len(codes))
    cp = reference.chosen_pos
    windows = []   # 60 bases, 150 bases before the chosen start of a gene whose ORF reaches 300+ bases further
    for lo, hi, left, right in zip(reference.reach_lo, reference.reach_hi, reference.sL[cp], reference.sR[cp]):
        if left - lo > 300:
            windows.append((int(left) - 210, int(left) - 150))
        elif hi - right > 300:
            windows.append((int(right) + 150, int(right) + 210))
    reached = [(w0, w1) for w0, w1 in windows if full[w0:w1].max() >= 0.5]
    assert reached, "no window in a gene's reach before its chosen start: pick another stretch"
    for w0, w1 in windows:
        np.testing.assert_allclose(reference.prepare_window(w0, w1), full[w0:w1], atol=1e-5, err_msg=f"{w0}-{w1}")
    w0, w1 = reached[0]
    reference.prepare_window(w0, w1)
    variants = [(q, (int(codes[q]) + 1) % 4) for q in (w0 + 5, w0 + 30, w1 - 3)]
    for (q, base), track in zip(variants, reference.variant_tracks(variants)):
        mutated = codes.copy()
        mutated[q] = base
        np.testing.assert_allclose(track, _full_rerun(geneorf, mutated, reference.stats, w0, w1), atol=1e-5,
                                   err_msg=f"{q} -> {'ACGT'[base]}")
