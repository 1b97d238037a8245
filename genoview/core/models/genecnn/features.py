"""Reading-frame features of DNA computed in torch, so a GeneCNN directory needs no outside code.

Bacterial genes are open reading frames: a start codon, a run of codons without a stop, a stop. For
every base and each of the six reading frames that contain it (three codon positions on each strand)
we describe the stop-to-stop open reading frame (ORF) around it: its length, the distance to its stop
and to the previous stop, whether and how far upstream an in-frame start codon lies, and coding-potential
sums of a learned dicodon (hexamer) table over the ORF, downstream and upstream of the base, in the spirit
of GeneMark's Markov models. Everything is vectorised with cumulative max/min and cumulative sums along
each frame. Sequence ends and N bases end an ORF, so features only use the bases a window holds.

Codes are A0 C1 G2 T3, anything else 4 (N).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

N_CODE = 4
N_CODON = 64           # index of a codon that holds an N or runs past the end
N_HEXAMER = 64 * 64    # index of a hexamer that does
STOP_CODONS = (48, 50, 56)      # TAA, TAG, TGA as 16*b0 + 4*b1 + b2
START_CODONS = (14, 46, 62)     # ATG, GTG, TTG
GEOMETRY_FEATURES = 7           # stop, start, ORF length, to stop, from stop, start upstream, start->stop length
LENGTH_SCALE = 1.0 / 8.0        # log1p(bases) of a 3 kb ORF is ~8


def squash(x: torch.Tensor) -> torch.Tensor:
    """Sign-keeping compression of summed scores (like asinh, cheaper): ~x near 0, ~log|x| far out."""
    return torch.sign(x) * torch.log1p(x.abs())


def reverse_complement(codes: torch.Tensor) -> torch.Tensor:
    """Reverse complement of (batch, length) base codes; N stays N."""
    rc = torch.where(codes < N_CODE, 3 - codes, codes)
    return rc.flip(-1)


def codon_index(codes: torch.Tensor) -> torch.Tensor:
    """(batch, length) codes -> index of the codon starting at each base (64 when incomplete or with N)."""
    codes = codes.long()
    padded = F.pad(codes, (0, 2), value=N_CODE)
    b0, b1, b2 = padded[:, :-2], padded[:, 1:-1], padded[:, 2:]
    index = 16 * b0 + 4 * b1 + b2
    has_n = (b0 >= N_CODE) | (b1 >= N_CODE) | (b2 >= N_CODE)
    return torch.where(has_n, torch.full_like(index, N_CODON), index)


def _isin(values: torch.Tensor, members: tuple[int, ...]) -> torch.Tensor:
    out = values == members[0]
    for member in members[1:]:
        out |= values == member
    return out


def _by_frame(x: torch.Tensor, fill) -> torch.Tensor:
    """(batch, L) -> (batch, R, 3): column f holds the positions of reading frame f in order."""
    length = x.shape[-1]
    pad = (-length) % 3
    return F.pad(x, (0, pad), value=fill).view(x.shape[0], -1, 3)


def strand_features(codes: torch.Tensor, hexamer_weights: torch.Tensor, reach: int) -> torch.Tensor:
    """Per-codon-start features on the forward strand: (batch, length, 7 + 3 * D) float32 (a channels-last view).

    Entry ``[:, i]`` describes the reading frame of the codon that starts at base ``i``, looking at
    most ``reach`` bases up- and downstream: an ORF that runs further is cut there. That keeps every
    feature local, so a prediction does not depend on where a tile happens to end.
    ``hexamer_weights``: (4097, D) learned scores of the codon pair starting at a codon (row 4096 = none).
    """
    length = codes.shape[-1]
    codon = codon_index(codes)
    stop = _isin(codon, STOP_CODONS)
    start = _isin(codon, START_CODONS)
    ends_orf = stop | (codon == N_CODON)
    next_codon = F.pad(codon[:, 3:], (0, 3), value=N_CODON)
    hexamer = torch.where((codon == N_CODON) | (next_codon == N_CODON), N_HEXAMER, codon * 64 + next_codon)
    score = hexamer_weights[hexamer]                                      # (batch, L, D)

    ends = _by_frame(ends_orf, True)                                      # (batch, R, 3)
    starts = _by_frame(start, False)
    batch, rows, _ = ends.shape
    row = torch.arange(rows, device=codes.device).view(1, rows, 1).expand(batch, rows, 3)
    none_before = torch.full_like(row, -1)
    none_after = torch.full_like(row, rows)
    # the ORF around row r runs from the row after `prev` to `nxt` (the stop, or the boundary),
    # both clipped to `reach`
    rows_reach = max(1, reach // 3)
    last_end = torch.cummax(torch.where(ends, row, none_before), dim=1).values
    prev = torch.maximum(F.pad(last_end[:, :-1], (0, 0, 1, 0), value=-1), row - rows_reach - 1)
    nxt = torch.minimum(torch.cummin(torch.where(ends, row, none_after).flip(1), dim=1).values.flip(1),
                        row + rows_reach)
    next_start = torch.cummin(torch.where(starts, row, none_after).flip(1), dim=1).values.flip(1)
    next_start = F.pad(next_start, (0, 0, 0, 1), value=rows)
    first_start = torch.gather(next_start, 1, prev + 1)                   # first start codon of the ORF
    start_upstream = first_start <= row

    dims = score.shape[-1]
    # features channels first (batch, channel, R, 3): every channel is written contiguously
    out = score.new_empty(batch, GEOMETRY_FEATURES + 3 * dims, rows, 3)
    out[:, 0] = _by_frame(stop, False)
    out[:, 1] = starts
    out[:, 2] = torch.log1p((nxt - prev).float() * 3.0) * LENGTH_SCALE          # ORF length
    out[:, 3] = torch.log1p((nxt - row).float() * 3.0) * LENGTH_SCALE           # to its stop
    out[:, 4] = torch.log1p((row - prev).float() * 3.0) * LENGTH_SCALE          # from the previous stop
    out[:, 5] = start_upstream
    gene_len = torch.where(start_upstream, (nxt - first_start + 1).float() * 3.0, torch.zeros_like(out[:, 2]))
    out[:, 6] = torch.log1p(gene_len) * LENGTH_SCALE

    score = F.pad(score, (0, 0, 0, (-length) % 3)).view(batch, rows, 3, dims).permute(0, 3, 1, 2)
    total = F.pad(torch.cumsum(score, dim=2), (0, 0, 1, 0)).contiguous()  # total[r] = sum of rows < r
    def span(lo, hi):  # sum of score rows lo..hi-1 (rows clamped to the window)
        lo = lo.clamp(0, rows).unsqueeze(1).expand(-1, dims, -1, -1)
        hi = hi.clamp(0, rows).unsqueeze(1).expand(-1, dims, -1, -1)
        return torch.gather(total, 2, hi) - torch.gather(total, 2, lo)
    begin = torch.where(start_upstream, first_start, prev + 1)
    spans = (span(prev + 1, nxt), span(row, nxt), span(begin, row + 1))   # ORF, downstream, upstream
    for k, part in enumerate(spans):
        lo = GEOMETRY_FEATURES + k * dims
        out[:, lo:lo + dims] = squash(part)
    return out.view(batch, -1, rows * 3)[:, :, :length].transpose(1, 2)


def frame_features(codes: torch.Tensor, hexamer_weights: torch.Tensor, reach: int) -> torch.Tensor:
    """(batch, length) codes -> (batch, 5 + 6 * (7 + 3 * D), length) per-base features.

    Channels: one-hot A, C, G, T, N; then for each strand (forward, reverse) and each codon position
    p = 0, 1, 2 of the base, the strand features of the frame in which the base is codon position p.
    """
    length = codes.shape[-1]
    codes = codes.long()
    onehot = F.one_hot(codes.clamp(max=N_CODE), N_CODE + 1).transpose(1, 2).float()
    forward = strand_features(codes, hexamer_weights, reach).transpose(1, 2)
    reverse = strand_features(reverse_complement(codes), hexamer_weights, reach).flip(1).transpose(1, 2)
    parts = [onehot]
    for p in range(3):
        # forward: the codon holding base j as position p starts at j - p
        parts.append(F.pad(forward, (p, 0))[..., :length])
    for p in range(3):
        # reverse: that codon starts at reverse index L-1-j-p, i.e. flipped index j + p
        parts.append(F.pad(reverse, (0, p))[..., p:])
    return torch.cat(parts, dim=1)


def feature_count(score_dims: int) -> int:
    return N_CODE + 1 + 6 * (GEOMETRY_FEATURES + 3 * score_dims)
