"""Edge cases found in review (session 6): empty records and similar inputs the new code paths must survive."""
from __future__ import annotations

import numpy as np


def test_orf_decoder_genome_shift_of_an_empty_record():
    from genoview.core.models.kmer_bert import orfs

    decoder = orfs.OrfDecoder(centre="median")
    assert orfs.genome_shift({"empty": np.zeros((0, 8), np.float32)}, decoder) == 0.0
    both = orfs.genome_shift({"empty": np.zeros((0, 8), np.float32), "b": np.full((9, 8), 0.125, np.float32)},
                             decoder)
    assert both == orfs.genome_shift({"b": np.full((9, 8), 0.125, np.float32)}, decoder)
