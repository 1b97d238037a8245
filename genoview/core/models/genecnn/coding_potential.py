"""Start GeneCNN's dicodon (hexamer) scores from counts in the training part, as GeneMark's models do.

Column 0: log-odds of a hexamer read in the coding frame of an annotated CDS against all hexamers of
the training part (both strands, every frame). Column 1: coding frame against the other five frames
of the same genic stretches (what tells a gene from its shadow ORFs). Training then refines both.
"""
from __future__ import annotations

import numpy as np

from genoview.core.models.genecnn.features import N_HEXAMER

PSEUDOCOUNT = 1.0


def hexamer_indices(codes: np.ndarray) -> np.ndarray:
    """Index (0..4095, or 4096 with N/past the end) of the hexamer starting at each base."""
    n = len(codes)
    padded = np.concatenate([codes.astype(np.int64), np.full(6, 4, dtype=np.int64)])
    index = np.zeros(n, dtype=np.int64)
    bad = np.zeros(n, dtype=bool)
    for offset in range(6):
        base = padded[offset:offset + n]
        index = index * 4 + np.minimum(base, 3)
        bad |= base > 3
    index[bad] = N_HEXAMER
    return index


def _reverse_complement(codes: np.ndarray) -> np.ndarray:
    return np.where(codes < 4, 3 - codes, codes)[::-1]


def _log_odds(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    p = (numerator + PSEUDOCOUNT) / (numerator.sum() + PSEUDOCOUNT * N_HEXAMER)
    q = (denominator + PSEUDOCOUNT) / (denominator.sum() + PSEUDOCOUNT * N_HEXAMER)
    return np.log(p / q)


def hexamer_log_odds(genome, tracks, regions, types=("CDS",)) -> np.ndarray | None:
    """(4097, 2) float32 log-odds from the coding frames of ``types`` features inside ``regions``.

    Returns None when the training part holds no such features (the scores then start random).
    """
    coding = np.zeros(N_HEXAMER + 1)
    background = np.zeros(N_HEXAMER + 1)
    other = np.zeros(N_HEXAMER + 1)
    found = 0
    for region in regions:
        codes = tracks[region.seqid][0]
        length = len(codes)
        strands = {1: hexamer_indices(codes), -1: hexamer_indices(_reverse_complement(codes))}
        frame_masks = {1: np.zeros(length, dtype=bool), -1: np.zeros(length, dtype=bool)}
        genic = np.zeros(length, dtype=bool)
        for feature in genome.features.on(region.seqid, types):
            if feature.start < region.start or feature.end > region.end or feature.strand not in (1, -1):
                continue
            found += 1
            genic[feature.start:feature.end] = True
            if feature.strand == 1:
                frame_masks[1][feature.start:feature.end - 5:3] = True
            else:   # the same CDS read on the reverse complement
                rc_start = length - feature.end
                frame_masks[-1][rc_start:rc_start + feature.end - feature.start - 5:3] = True
        inside = np.zeros(length, dtype=bool)
        inside[region.start:region.end] = True
        for strand, index in strands.items():
            region_mask = inside if strand == 1 else inside[::-1]
            genic_mask = genic if strand == 1 else genic[::-1]
            coding += np.bincount(index[frame_masks[strand]], minlength=N_HEXAMER + 1)
            background += np.bincount(index[region_mask], minlength=N_HEXAMER + 1)
            other += np.bincount(index[genic_mask & ~frame_masks[strand]], minlength=N_HEXAMER + 1)
    if not found:
        return None
    coding, background, other = coding[:N_HEXAMER], background[:N_HEXAMER], other[:N_HEXAMER]
    scores = np.zeros((N_HEXAMER + 1, 2), dtype=np.float32)
    scores[:N_HEXAMER, 0] = _log_odds(coding, background)
    scores[:N_HEXAMER, 1] = _log_odds(coding, other)
    return scores
