"""Recognise copies of the training part's rRNA and tRNA genes by exact k-mer matches.

RNA genes have no reading frame, so the frame features cannot see them; but bacterial rRNA operons
and many tRNAs come in near-identical copies. The canonical k-mers (the smaller of a k-mer and its
reverse complement, 2 bits a base) of the training part's rRNA/tRNA features are kept, sorted, in
the model's weights; a base covered by a matching k-mer is called genic.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

RNA_TYPES = ("rRNA", "tRNA")
FILTER_BITS = 20
FILTER_MASK = (1 << FILTER_BITS) - 1
RNA_LOGIT = 4.0   # probability ~0.98 for bases inside a known RNA gene copy


def canonical_kmers(codes: torch.Tensor, k: int) -> torch.Tensor:
    """(batch, length) codes -> int64 canonical k-mer starting at each base (-1 if it holds N or runs off).

    Built by doubling (1-, 2-, 4-, 8-mers, ...) and joining the powers of two that sum to ``k``, so a
    24-mer takes a handful of whole-tensor steps instead of 24.
    """
    codes = codes.long()
    batch, length = codes.shape
    n = length - k + 1
    out = torch.full((batch, length), -1, dtype=torch.int64, device=codes.device)
    if n <= 0:
        return out
    base = codes.clamp(max=3)
    forward_parts, reverse_parts = {1: base}, {1: 3 - base}   # m -> m-mers (forward, reverse complement)
    size = 1
    while size * 2 <= k:
        f, r = forward_parts[size], reverse_parts[size]
        forward_parts[2 * size] = f[:, :-size] * 4 ** size + f[:, size:]
        reverse_parts[2 * size] = r[:, :-size] + r[:, size:] * 4 ** size
        size *= 2
    forward = reverse = None
    offset = 0
    for size in sorted(forward_parts, reverse=True):
        if not k - offset >= size:
            continue
        f, r = forward_parts[size][:, offset:offset + n], reverse_parts[size][:, offset:offset + n]
        forward = f if forward is None else forward * 4 ** size + f
        reverse = r if reverse is None else reverse + r * 4 ** offset
        offset += size
    n_count = F.pad(torch.cumsum(codes > 3, dim=1), (1, 0))
    bad = (n_count[:, k:] - n_count[:, :n]) > 0
    kmers = torch.minimum(forward, reverse)
    out[:, :n] = torch.where(bad, torch.full_like(kmers, -1), kmers)
    return out


def covered_by(codes: torch.Tensor, table: torch.Tensor, k: int) -> torch.Tensor:
    """(batch, length) bool: the base lies in a k-mer found in the sorted ``table``.

    A bitmap of the table's low ``FILTER_BITS`` bits rules out almost every k-mer with one lookup;
    only the few left are searched in the table.
    """
    kmers = canonical_kmers(codes, k)
    bitmap = torch.zeros(1 << FILTER_BITS, dtype=torch.bool, device=codes.device)
    bitmap[table & FILTER_MASK] = True
    candidates = torch.nonzero((kmers >= 0) & bitmap[kmers & FILTER_MASK], as_tuple=True)
    found = kmers[candidates]
    index = torch.searchsorted(table, found).clamp(max=table.numel() - 1)
    hits = torch.zeros_like(kmers, dtype=torch.int32)
    hits[candidates] = (table[index] == found).int()
    counts = F.pad(torch.cumsum(hits, dim=1), (1, 0))
    length = codes.shape[1]
    # base j is covered when a hit starts in [j - k + 1, j]
    before = F.pad(counts[:, :max(length - k + 1, 0)], (min(k - 1, length), 0))
    return (counts[:, 1:] - before) > 0


def rna_kmer_table(genome, tracks, regions, k: int, types=RNA_TYPES) -> np.ndarray:
    """Sorted unique canonical k-mers of the ``types`` features lying wholly inside ``regions``."""
    found = []
    for region in regions:
        codes = torch.from_numpy(tracks[region.seqid][0])
        for feature in genome.features.on(region.seqid, types):
            if feature.start >= region.start and feature.end <= region.end and feature.end - feature.start >= k:
                kmers = canonical_kmers(codes[None, feature.start:feature.end], k)[0].numpy()
                found.append(kmers[kmers >= 0])
    if not found:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(found))
