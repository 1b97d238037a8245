"""Gene calls a biologist can use: strand-aware gene models consistent with the reading frame.

Every open reading frame (ORF) on both strands, from a start codon (ATG, GTG, TTG; or the sequence
edge, a partial gene) to its in-frame stop, is a candidate gene. Each candidate gets a log-odds score from
features that adapt to the genome without its annotation, as Prodigal trains itself on the genome it
reads: dicodon (hexamer) coding statistics re-counted on the genome's own confident genes (first its long
ORFs), start-codon usage and an upstream (RBS) position weight matrix learnt the same way, and, when a
model's per-nucleotide probability track is given, the track's log-odds over the gene. A dynamic programme
then keeps the set of genes with the highest total score, allowing the small overlaps bacterial genes have.

The genetic code (11, or 4 where TGA reads tryptophan) is the user's or detected: under code 4 the long
ORFs of a code-11 genome barely change, while a code-4 genome's genes, which hold TGA codons every hundred
codons or so, break into pieces under code 11 (:func:`detect_genetic_code`).

Coordinates are 0-based half-open; GFF3 output is 1-based closed. Codes are A0 C1 G2 T3, anything else 4.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

N_HEX = 4096
START_NAMES = ("ATG", "GTG", "TTG", "Edge")
START_CODONS = {14: 0, 46: 1, 62: 2}       # ATG, GTG, TTG as 16*b0 + 4*b1 + b2
STOPS = {11: (48, 50, 56), 4: (48, 50)}    # TAA, TAG, TGA; code 4 reads TGA as Trp
UPSTREAM = 20                              # bases before the start codon in the start-context matrix
# start context: 20 bases upstream (RBS) and 12 after the start codon, relative to its first base
CONTEXT = np.concatenate([np.arange(-UPSTREAM, 0), np.arange(3, 15)])
SD_MOTIF = np.array([0, 2, 2, 0, 2, 2])    # AGGAGG, the Shine-Dalgarno consensus
MIN_GENE = 90                              # bases, stop codon included (Prodigal's minimum)
MAX_OVERLAP = 60                           # bases two kept genes may share
MIN_SELF_TRAINING = 20_000                 # bases: less is too little to learn a genome's statistics (Prodigal's)
FEATURES = ("coding", "coding_per_codon", "start_codon", "upstream", "log_length", "orf_chance", "partial",
            "track", "codon_usage", "frame_margin", "skipped_coding", "skipped_codons", "sd_motif",
            "antisense_margin", "head_coding", "before_coding")
# codons read after a start (head_coding) and before it inside its ORF (before_coding): a start too far upstream
# adds a stretch that does not read as coding, which the whole gene's coding score barely shows (40 chosen on the
# tuning genomes over 20 and 80; models/geneorf-bacteria/README.md)
HEAD_CODONS = 40
# log-odds = weights . features + bias; used until a model supplies a scorer learnt across genomes
DEFAULT_WEIGHTS = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.3, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
DEFAULT_BIAS = -4.0
# weight of a track's per-codon log-odds when decoding another model's track: the track says where genes
# are (strand-blind), the ORF statistics say which frame and strand
# (0.02 with bias -6: stop sensitivity/precision 0.949/0.935 decoding genecnn-ecoli on M. mazei, a tuning genome,
# against 0.948/0.891 at 0.1 / -4)
TRACK_WEIGHT = 0.02
TRACK_BIAS = -6.0

_AA = "KNKNTTTTRSRSIIMIQHQHPPPPRRRRLLLLEDEDAAAAGGGGVVVV*Y*YSSSS*CWCLFLF"


def codon_indices(codes: np.ndarray) -> np.ndarray:
    """Index 0..63 of the codon starting at each base (64 with N or past the end)."""
    c = codes.astype(np.int16)
    n = len(c)
    out = np.full(n, 64, dtype=np.int16)
    if n >= 3:
        a, b, d = c[:-2], c[1:-1], c[2:]
        idx = 16 * a + 4 * b + d
        idx[(a > 3) | (b > 3) | (d > 3)] = 64
        out[:n - 2] = idx
    return out


def _any_equal(values: np.ndarray, options) -> np.ndarray:
    """np.isin for a few options, without its sort (a pass per option)."""
    out = values == options[0]
    for option in options[1:]:
        out |= values == option
    return out


def reverse_complement(codes: np.ndarray) -> np.ndarray:
    return np.where(codes < 4, 3 - codes, codes)[::-1].astype(np.uint8)


def translate(codes: np.ndarray, genetic_code: int = 11, first_is_start: bool = True) -> str:
    """Protein of a coding sequence (codes), '*' for the stop; a start codon reads M, as Prodigal writes it."""
    idx = codon_indices(codes)[0:len(codes) - len(codes) % 3:3]
    table = np.frombuffer(_AA.encode(), dtype=np.uint8)
    aa = np.where(idx < 64, table[np.minimum(idx, 63)], ord("X")).astype(np.uint8)
    if genetic_code == 4:
        aa[idx == 56] = ord("W")
    if first_is_start and len(aa) and idx[0] in START_CODONS:
        aa[0] = ord("M")
    return aa.tobytes().decode()


# --------------------------------------------------------------------------- candidates

@dataclass
class StrandCandidates:
    """Candidate genes of one strand of one sequence, in that strand's coordinates (5' to 3')."""

    frame: np.ndarray        # 0..2
    k_start: np.ndarray      # codon index (within the frame) of the first codon
    k_stop: np.ndarray       # codon index of the stop codon (== codons in frame when it runs off the end)
    k_orf: np.ndarray        # codon index of the ORF's first codon (after the previous stop)
    start_type: np.ndarray   # 0 ATG, 1 GTG, 2 TTG, 3 edge (partial 5')
    partial3: np.ndarray     # bool: no stop before the sequence end
    codon_scores: list       # per frame: cumulative hexamer scores (filled by score_coding)
    usage_scores: list       # per frame: cumulative codon-usage scores (filled by score_coding)
    hexamers: list           # per frame: hexamer index of each codon (4096 = none)
    track_cum: list | None = None

    @property
    def start_nt(self) -> np.ndarray:
        return self.frame + 3 * self.k_start

    @property
    def end_nt(self) -> np.ndarray:
        return self.frame + 3 * self.k_stop + np.where(self.partial3, 0, 3)

    def __len__(self) -> int:
        return len(self.k_start)


def strand_candidates(codes: np.ndarray, genetic_code: int = 11, min_length: int = MIN_GENE) -> StrandCandidates:
    """Every start (or 5' edge) to in-frame stop (or 3' edge) of at least ``min_length`` bases on this strand."""
    codon = codon_indices(codes)
    stops = STOPS[genetic_code]
    parts = {k: [] for k in ("frame", "k_start", "k_stop", "k_orf", "start_type", "partial3")}
    hexamers = []
    for f in range(3):
        n = max((len(codes) - f) // 3, 0)   # whole codons of this frame
        c = np.ascontiguousarray(codon[f::3][:n])
        nxt = np.empty_like(c)   # the next codon (64 past the end)
        nxt[:n - 1] = c[1:]
        nxt[n - 1:] = 64
        # c * 64 + nxt, N_HEX where either has an N (int64, as np.where made it)
        hexamer = c.astype(np.int64)
        hexamer *= 64
        hexamer += nxt
        hexamer[(c == 64) | (nxt == 64)] = N_HEX
        hexamers.append(hexamer)
        if n == 0:
            continue
        is_stop = _any_equal(c, stops)
        boundary = is_stop | (c == 64)
        idx = np.arange(n)
        # next boundary at or after k (n when none: runs off the 3' end)
        nb = np.where(boundary, idx, n)
        nb = np.minimum.accumulate(nb[::-1])[::-1]
        # previous boundary before k (-1 when none: runs off the 5' end)
        pb = np.where(boundary, idx, -1)
        pb = np.maximum.accumulate(pb)
        pb = np.concatenate([[-1], pb[:-1]])
        start_type = np.full(n, -1, dtype=np.int8)
        for cod, t in START_CODONS.items():
            start_type[c == cod] = t
        is_start = start_type >= 0
        # 5' partial: the first codon of an ORF reaching the sequence start (not itself a start codon)
        edge5 = (pb == -1) & ~boundary & (idx == 0) & ~is_start
        start_type[edge5] = 3
        cand = np.nonzero((is_start | edge5) & ~boundary)[0]
        stop_k = nb[cand]
        partial3 = stop_k >= n
        # a stop that is really an N codon ends nothing we can call: drop those
        ok = partial3 | is_stop[np.minimum(stop_k, n - 1)]
        length = (stop_k - cand) * 3 + np.where(partial3, 0, 3)
        ok &= length >= min_length
        cand, stop_k, partial3 = cand[ok], stop_k[ok], partial3[ok]
        parts["k_orf"].append(pb[cand].astype(np.int64) + 1)
        parts["frame"].append(np.full(len(cand), f, dtype=np.int64))
        parts["k_start"].append(cand.astype(np.int64))
        parts["k_stop"].append(stop_k.astype(np.int64))
        parts["start_type"].append(start_type[cand].astype(np.int64))
        parts["partial3"].append(partial3)
    arrays = {k: (np.concatenate(v) if v else np.zeros(0, dtype=np.int64)) for k, v in parts.items()}
    return StrandCandidates(arrays["frame"], arrays["k_start"], arrays["k_stop"], arrays["k_orf"], arrays["start_type"],
                            arrays["partial3"].astype(bool), [None] * 3, [None] * 3, hexamers)


# --------------------------------------------------------------------------- self-trained statistics

@dataclass
class GenomeStatistics:
    """What a genome teaches about its own genes, learnt without its annotation."""

    genetic_code: int = 11
    coding: np.ndarray = field(default_factory=lambda: np.zeros(N_HEX + 1))       # hexamer log-odds
    codon_usage: np.ndarray = field(default_factory=lambda: np.zeros(65))          # codon log-odds
    start_codon: np.ndarray = field(default_factory=lambda: np.zeros(4))           # ATG GTG TTG edge
    upstream: np.ndarray = field(default_factory=lambda: np.zeros((len(CONTEXT), 5)))  # position x base log-odds
    gc: float = 0.5
    rounds: int = 0
    stop_chance: float = 0.05     # probability that a random codon of the genome's composition is a stop
    # how start codons are weighed (not stored with the arrays): 0 = chosen starts against the other starts
    # of their ORFs, 1 = against every candidate start of the genome (as Prodigal), between = a mix
    start_background: float = 0.0

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"coding": self.coding.astype(np.float32), "codon_usage": self.codon_usage.astype(np.float32),
                "start_codon": self.start_codon.astype(np.float32),
                "upstream": self.upstream.astype(np.float32),
                "scalars": np.array([self.genetic_code, self.gc, self.rounds, self.stop_chance], dtype=np.float32)}

    @classmethod
    def from_arrays(cls, arrays: dict) -> "GenomeStatistics":
        scalars = np.asarray(arrays["scalars"], dtype=np.float64)
        return cls(int(scalars[0]), np.asarray(arrays["coding"], np.float64),
                   np.asarray(arrays["codon_usage"], np.float64),
                   np.asarray(arrays["start_codon"], np.float64), np.asarray(arrays["upstream"], np.float64),
                   float(scalars[1]), int(scalars[2]), float(scalars[3]))


def _log_odds(counts: np.ndarray, background: np.ndarray, pseudo: float = 1.0) -> np.ndarray:
    p = (counts + pseudo) / (counts.sum() + pseudo * len(counts))
    q = (background + pseudo) / (background.sum() + pseudo * len(background))
    return np.log(p / q)


@dataclass
class SequenceCandidates:
    seqid: str
    length: int
    strands: dict                 # +1 / -1 -> StrandCandidates
    codes: dict                   # +1 / -1 -> codes in that strand's orientation
    paired: bool = False          # codes[-1] is the reverse complement of codes[1] (enumerate_candidates)


def enumerate_candidates(sequences: dict, genetic_code: int, min_length: int = MIN_GENE) -> list[SequenceCandidates]:
    out = []
    for seqid, codes in sequences.items():
        codes = np.asarray(codes, dtype=np.uint8)
        rc = reverse_complement(codes)
        out.append(SequenceCandidates(seqid, len(codes), {
            1: strand_candidates(codes, genetic_code, min_length),
            -1: strand_candidates(rc, genetic_code, min_length)}, {1: codes, -1: rc}, paired=True))
    return out


def _background_hexamers(seqs: list[SequenceCandidates]) -> np.ndarray:
    counts = np.zeros(N_HEX + 1)
    for s in seqs:
        for strand in (1, -1):
            for h in s.strands[strand].hexamers:
                counts += np.bincount(h, minlength=N_HEX + 1)
    return counts[:N_HEX]


def _gene_hexamer_counts(seqs, chosen) -> np.ndarray:
    """In-frame hexamer counts of chosen candidates: ``chosen`` maps (seq index, strand) -> candidate indices."""
    counts = np.zeros(N_HEX + 1)
    for (i, strand), picked in chosen.items():
        cands = seqs[i].strands[strand]
        for f in range(3):
            sel = picked[cands.frame[picked] == f]
            if not len(sel):
                continue
            mark = np.zeros(len(cands.hexamers[f]) + 1, dtype=np.int32)
            np.add.at(mark, cands.k_start[sel], 1)
            np.add.at(mark, np.minimum(cands.k_stop[sel], len(cands.hexamers[f])), -1)
            inside = np.cumsum(mark)[:-1] > 0
            counts += np.bincount(cands.hexamers[f][inside], minlength=N_HEX + 1)
    return counts[:N_HEX]


def _upstream_codes(cands: StrandCandidates, codes: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """(len(idx), len(CONTEXT)) uint8 base codes around each candidate's start (4 = N/outside); the matrix
    of every candidate is made once per strand (self-training asks for it every round)."""
    every = getattr(cands, "_up_all", None)
    if every is None:
        every = np.empty((len(cands), len(CONTEXT)), dtype=np.uint8)
        starts = cands.start_nt
        for a in range(0, len(cands), 1 << 16):   # bounded temporaries
            pos = starts[a:a + (1 << 16), None] + CONTEXT[None, :]
            inside = (pos >= 0) & (pos < len(codes))
            every[a:a + (1 << 16)] = np.where(inside, codes[np.clip(pos, 0, len(codes) - 1)], 4)
        cands._up_all = every
    return every[idx]


def _sd_runs(cands: StrandCandidates, codes: np.ndarray) -> np.ndarray:
    """Per base: length of the longest piece of AGGAGG (3-6 bases) that starts there (0 if none); cached."""
    cached = getattr(cands, "_sd_at", None)
    if cached is not None:
        return cached
    n = len(codes)
    # run[i] for motif position f: bases matching AGGAGG[f:] from base i on (6 - f at most), built from f = 5
    # down; run[n] stays 0 (nothing matches past the end)
    run = np.zeros(n + 1, dtype=np.int8)
    out = np.zeros(n, dtype=np.int8)
    for f in range(len(SD_MOTIF) - 1, -1, -1):
        longer = run[1:] + np.int8(1)
        longer *= codes == SD_MOTIF[f]
        run[:n] = longer
        if len(SD_MOTIF) - f >= 3:   # a run from here can reach 3 bases
            longer *= longer >= 3
            np.maximum(out, longer, out=out)
    cands._sd_at = out
    return out


def _sd_upstream(cands: StrandCandidates, codes: np.ndarray) -> np.ndarray:
    """Per candidate: the longest piece of AGGAGG starting 4-20 bases before its start (0-6); cached."""
    cached = getattr(cands, "_sd_up", None)
    if cached is not None:
        return cached
    sd_at = _sd_runs(cands, codes)
    starts = cands.start_nt
    sd = np.zeros(len(cands))
    for back in range(4, UPSTREAM + 1):
        pos = starts - back
        sd = np.maximum(sd, np.where(pos >= 0, sd_at[np.maximum(pos, 0)], 0))
    cands._sd_up = sd
    return sd


def orf_groups(cands: StrandCandidates) -> tuple:
    """(ORF group of each candidate (frame and stop; groups numbered in that order), number of groups); cached:
    every round, the start statistics and the scorers' tables ask."""
    cached = getattr(cands, "_orf_group", None)
    if cached is not None:
        return cached
    key = cands.frame * (1 << 40) + cands.k_stop
    _, group = np.unique(key, return_inverse=True)
    cands._orf_group = (group, group.max() + 1 if len(group) else 0)
    return cands._orf_group


def _first_start(cands: StrandCandidates) -> np.ndarray:
    """Per candidate: the codon index of its ORF's first start (candidates sharing frame and stop); cached."""
    cached = getattr(cands, "_k_first", None)
    if cached is not None:
        return cached
    group, n_groups = orf_groups(cands)
    first = np.full(n_groups, np.iinfo(np.int64).max)
    np.minimum.at(first, group, cands.k_start)
    cands._k_first = first[group]
    return cands._k_first


def score_coding(seqs: list[SequenceCandidates], coding: np.ndarray, codon_usage: np.ndarray | None = None) -> None:
    """Cumulative in-frame hexamer and codon scores per strand and frame (a gene's sum = a difference)."""
    table = np.append(coding[:N_HEX], 0.0)
    usage = np.zeros(65) if codon_usage is None else np.append(codon_usage[:64], 0.0)
    for s in seqs:
        for strand in (1, -1):
            cands = s.strands[strand]
            if getattr(cands, "_codons", None) is None:   # the codon of each hexamer (64: none), made once
                cands._codons = [np.minimum(h // 64, 64).astype(np.int16) for h in cands.hexamers]
            # the same tables as the last call on these candidates (call_genes after self_train's last
            # round): the cumulative arrays it made are still this strand's, unless replaced since
            key = (table.tobytes(), usage.tobytes())
            made = getattr(cands, "_scored_with", None)
            same = made is not None and made[0] == key and made[1] is cands.codon_scores \
                and made[2] is cands.usage_scores and made[3] is cands.hexamers
            made = None
            if same:
                continue
            cands._scored_with = None   # no reference left to the old arrays: they go as they are replaced
            cands.codon_scores = [_cumulative(table, h) for h in cands.hexamers]
            cands.usage_scores = [_cumulative(usage, c) for c in cands._codons]
            cands._scored_with = (key, cands.codon_scores, cands.usage_scores, cands.hexamers)


def _cumulative(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """[0, cumsum(table[index])...] (float64, one more than ``index``), without the concatenation's copy."""
    out = np.empty(len(index) + 1)
    out[0] = 0.0
    np.cumsum(table[index], out=out[1:])
    return out


def _clip_index(x: np.ndarray, top: int) -> np.ndarray:
    """np.clip(x, 0, top) of an integer temporary, in place (np.clip's wrapper costs more than the work)."""
    np.maximum(x, 0, out=x)
    np.minimum(x, top, out=x)
    return x


def _frame_selectors(frame: np.ndarray) -> list:
    """Per frame 0-1-2: the candidates of that frame, a slice when ``frame`` is sorted (strand_candidates
    makes them frame by frame), else a boolean mask."""
    if len(frame) < 2 or bool(np.all(frame[1:] >= frame[:-1])):
        bounds = np.searchsorted(frame, np.arange(4))
        return [slice(int(bounds[f]), int(bounds[f + 1])) for f in range(3)]
    return [frame == f for f in range(3)]


def candidate_features(s: SequenceCandidates, strand: int, stats: GenomeStatistics,
                       idx: np.ndarray | None = None) -> np.ndarray:
    """(n, len(FEATURES)) features of candidates ``idx`` (all when None) of one strand."""
    cands = s.strands[strand]
    if idx is None:
        idx = np.arange(len(cands))
    feats = np.zeros((len(idx), len(FEATURES)))
    frame, ks, ke = cands.frame[idx], cands.k_start[idx], cands.k_stop[idx]
    coding = np.zeros(len(idx))
    usage = np.zeros(len(idx))
    other = np.full(len(idx), -np.inf)
    track = np.zeros(len(idx))
    start_nt, end_nt = frame + 3 * ks, frame + 3 * ke
    sels = _frame_selectors(frame)
    for f in range(3):
        sel = sels[f]
        cum = cands.codon_scores[f]
        coding[sel] = cum[np.minimum(ke[sel], len(cum) - 1)] - cum[ks[sel]]
        if cands.usage_scores[f] is not None:
            uc = cands.usage_scores[f]
            usage[sel] = uc[np.minimum(ke[sel], len(uc) - 1)] - uc[ks[sel]]
        # the same stretch read in frame f (for candidates of the other frames): the best shadow
        lo = _clip_index((start_nt - f + 2) // 3, len(cum) - 1)
        hi = _clip_index((end_nt - f) // 3, len(cum) - 1)
        shadow = cum[np.maximum(hi, lo)] - cum[lo]
        shadow[sel] = -np.inf
        other = np.maximum(other, shadow)
        if cands.track_cum is not None:
            tc = cands.track_cum[f]
            track[sel] = tc[np.minimum(ke[sel], len(tc) - 1)] - tc[ks[sel]]
    st = cands.start_type[idx]
    up = _upstream_codes(cands, s.codes[strand], idx)
    upstream = stats.upstream[np.arange(len(CONTEXT))[None, :], up].sum(axis=1)
    upstream[st == 3] = 0.0
    # longest piece of the Shine-Dalgarno consensus AGGAGG starting 4-20 bases upstream (0-6)
    sd = _sd_upstream(cands, s.codes[strand])[idx]
    codons = np.maximum(ke - ks, 1)
    feats[:, 0] = coding
    feats[:, 1] = coding / codons
    feats[:, 2] = stats.start_codon[st]
    feats[:, 3] = upstream
    feats[:, 4] = np.log(codons / 300.0)
    # how unlikely an open frame this long is by chance: -log P(no stop in the ORF's codons)
    feats[:, 5] = (ke - cands.k_orf[idx]) * -np.log1p(-stats.stop_chance)
    feats[:, 6] = (st == 3) | cands.partial3[idx]
    feats[:, 7] = track
    feats[:, 8] = usage
    feats[:, 9] = coding - other
    # what this start leaves out of its ORF: coding score and codons from the ORF's first start to it
    k_first = _first_start(cands)[idx]
    skipped = np.zeros(len(idx))
    for f in range(3):
        sel = sels[f]
        cum = cands.codon_scores[f]
        skipped[sel] = cum[ks[sel]] - cum[k_first[sel]]
    feats[:, 10] = skipped
    feats[:, 11] = np.log1p(ks - k_first)
    feats[:, 12] = np.where(st == 3, 0.0, sd)
    # margin over the best antisense reading of the same stretch (the other strand's three frames): in
    # GC-rich genomes a real gene's antisense shadow is a long ORF too. Read from this strand's own codes
    # (their reverse complement) unless the other strand is known to be exactly that (enumerate_candidates)
    anti = np.full(len(idx), -np.inf)
    n_strand = len(s.codes[strand])
    a_lo, a_hi = n_strand - end_nt, n_strand - start_nt
    opposite = s.strands[-strand].codon_scores if s.paired else _antisense_scores(s.codes[strand], stats)
    for f in range(3):
        cum = opposite[f]
        if cum is None or len(cum) < 2:
            continue
        lo = _clip_index((a_lo - f + 2) // 3, len(cum) - 1)
        hi = _clip_index((a_hi - f) // 3, len(cum) - 1)
        anti = np.maximum(anti, cum[np.maximum(hi, lo)] - cum[lo])
    feats[:, 13] = coding - np.where(np.isfinite(anti), anti, 0.0)
    k_orf = cands.k_orf[idx]
    for f in range(3):
        sel = sels[f]
        cum = cands.codon_scores[f]
        k0, k1 = ks[sel], np.minimum(ke[sel], len(cum) - 1)
        feats[sel, 14] = cum[np.minimum(k0 + HEAD_CODONS, k1)] - cum[k0]
        feats[sel, 15] = cum[k0] - cum[np.maximum(k0 - HEAD_CODONS, k_orf[sel])]
    return feats


def _antisense_scores(codes: np.ndarray, stats: GenomeStatistics) -> list:
    """Cumulative in-frame hexamer scores of the reverse complement of ``codes``, per frame (as score_coding)."""
    rc = reverse_complement(codes)
    codon = codon_indices(rc)
    table = np.append(stats.coding[:N_HEX], 0.0)
    out = []
    for f in range(3):
        c = codon[f::3][:max((len(rc) - f) // 3, 0)]
        nxt = np.append(c[1:], 64)
        h = np.where((c < 64) & (nxt < 64), c.astype(np.int32) * 64 + nxt, N_HEX)
        out.append(np.concatenate([[0.0], np.cumsum(table[h])]))
    return out


def attach_track(s: SequenceCandidates, probs: np.ndarray, clip: float = 4.0) -> None:
    """Cumulative per-codon log-odds of a per-nucleotide probability track, per strand and frame.

    A codon's value is the mean log-odds of its three bases, so a gene's track feature is the sum over
    its codons (it grows with length as the coding score does).
    """
    p = np.clip(np.nan_to_num(np.asarray(probs, dtype=np.float64), nan=0.0), 1e-4, 1 - 1e-4)
    lo = np.clip(np.log(p / (1 - p)), -clip, clip)
    per_base = {1: lo, -1: lo[::-1]}
    for strand in (1, -1):
        v = per_base[strand]
        trip = np.convolve(v, np.ones(3) / 3.0, mode="full")[2:]     # mean of bases i..i+2 at i
        cands = s.strands[strand]
        cands.track_cum = [np.concatenate([[0.0], np.cumsum(trip[f::3][:len(cands.hexamers[f])])])
                           for f in range(3)]


# --------------------------------------------------------------------------- choosing genes

@dataclass(frozen=True)
class OverlapRules:
    """Strand-aware overlap allowances of the gene choice (Prodigal's dprog.c kind): bases two kept genes may
    share when both lie on the same strand (``same``), when a forward gene is followed by a reverse one (3'-3',
    tail to tail: ``convergent``) and when a reverse gene is followed by a forward one (5'-5', head to head:
    ``divergent``); no gene is ever kept inside another. ``same`` must be at least the smaller of the other two
    (then checking each kept gene against the one before it checks every pair)."""

    same: int = MAX_OVERLAP
    convergent: int = MAX_OVERLAP
    divergent: int = MAX_OVERLAP

    def __post_init__(self):
        for name in ("same", "convergent", "divergent"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value <= 10**9:
                raise ValueError(f"overlap rules: {name} must be a whole number of bases from 0 to 1,000,000,000, "
                                 f"not {value!r}")   # beyond int64 the decoding's left end + allowance overflows
        if self.same < min(self.convergent, self.divergent):
            raise ValueError(f"overlap rules: same ({self.same}) must be at least the smaller of convergent "
                             f"({self.convergent}) and divergent ({self.divergent})")

    def allowance(self, first: int, second: int) -> int:
        """Bases a gene on strand ``first`` may share with the next gene (to its right) on strand ``second``."""
        if first == second:
            return int(self.same)
        return int(self.convergent if first > 0 else self.divergent)

    @classmethod
    def from_value(cls, value) -> "OverlapRules | None":
        """From a config value: None, an OverlapRules or a {"same", "convergent", "divergent"} mapping."""
        if value is None or isinstance(value, OverlapRules):
            return value
        if not isinstance(value, dict) or set(value) != {"same", "convergent", "divergent"}:
            raise ValueError('overlap_rules must be {"same": B, "convergent": B, "divergent": B} (bases), '
                             f"not {value!r}")
        return cls(**{k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in value.items()})

    def to_json(self) -> dict:
        return {"same": int(self.same), "convergent": int(self.convergent), "divergent": int(self.divergent)}


def choose_genes(left: np.ndarray, right: np.ndarray, score: np.ndarray, max_overlap=MAX_OVERLAP,
                 strand: np.ndarray | None = None, rules: "OverlapRules | None" = None) -> np.ndarray:
    """Indices of the non-overlapping (up to ``max_overlap`` bases) set with the largest total score.

    Weighted interval scheduling: candidates sorted by right end; a gene may follow any gene ending at
    most ``max_overlap`` bases after its own left end. Only positive scores are worth keeping.
    With ``rules`` (an :class:`OverlapRules`, or given as ``max_overlap``) the allowance depends on the two genes'
    strands (``strand``: +1/-1 per candidate) and no gene is kept inside another (:func:`_choose_by_rules`).
    """
    if isinstance(max_overlap, OverlapRules):
        rules = max_overlap
    if rules is not None:
        if strand is None:
            raise ValueError("choose_genes: overlap rules need each candidate's strand")
        return _choose_by_rules(left, right, score, np.asarray(strand), rules)
    keep = np.nonzero(score > 0)[0]
    if not len(keep):
        return keep
    order = keep[np.lexsort((left[keep], right[keep]))]
    r = right[order]
    l = left[order]
    sc = score[order]
    pred = np.searchsorted(r, l + max_overlap, side="right") - 1   # last candidate ending early enough
    n = len(order)
    best_upto = np.zeros(n + 1)          # best total using candidates [0, j)
    take = np.zeros(n, dtype=bool)
    from_pred = np.zeros(n, dtype=np.int64)
    best_upto_arg = np.full(n + 1, -1, dtype=np.int64)  # index of last taken candidate in that best
    pred_l = pred.tolist()
    sc_l = sc.tolist()
    bu = [0.0] * (n + 1)
    bua = [-1] * (n + 1)
    for j in range(n):
        p = pred_l[j]
        p = min(p, j - 1)
        with_j = sc_l[j] + bu[p + 1]
        if with_j > bu[j]:
            bu[j + 1] = with_j
            bua[j + 1] = j
        else:
            bu[j + 1] = bu[j]
            bua[j + 1] = bua[j]
        from_pred[j] = p + 1
    best_upto[:] = bu
    best_upto_arg[:] = bua
    chosen = []
    j = bua[n]
    while j >= 0:
        chosen.append(order[j])
        take[j] = True
        j = bua[from_pred[j]]
    return np.array(chosen[::-1], dtype=np.int64)



def _choose_by_rules(left: np.ndarray, right: np.ndarray, score: np.ndarray, strand: np.ndarray,
                     rules: OverlapRules) -> np.ndarray:
    """choose_genes under strand-aware ``rules``: the positively scored set of largest total in which, for every
    two kept genes p, j with p first by (right end, left end), p starts and ends before j (no gene inside
    another) and p's right end lies at most ``rules.allowance(strand p, strand j)`` bases past j's left end
    (:func:`rules_dp`)."""
    keep = np.nonzero(score > 0)[0]
    if not len(keep):
        return keep
    order = keep[np.lexsort((left[keep], right[keep]))]
    L = left[order].astype(np.int64)
    R = right[order].astype(np.int64)
    dp = rules_dp(L, R, score[order].astype(np.float64), np.where(strand[order] > 0, 1, -1), rules,
                  int((R - L).min()) - 1)
    return order[np.array(rules_traceback(dp), dtype=np.int64)]


def rules_reads(L: np.ndarray, R: np.ndarray, D: np.ndarray, rules: OverlapRules, reach: int) -> list:
    """Where each candidate of a list sorted by (right, left) end reads its predecessors under ``rules``, per
    predecessor strand (+, then -): [safe, full] as lists. Every gene ending before the candidate's right end and
    at most allowance(its strand, the candidate's) past its left end may precede it; those among the first
    ``safe`` (right end at most ``reach`` past the left end, ``reach`` < every candidate's length) start before it
    too, those from ``safe`` to ``full`` are checked one by one (rules_best)."""
    before = np.searchsorted(R, R, side="left")
    out = []
    for s in (1, -1):
        a = np.where(D > 0, rules.allowance(s, 1), rules.allowance(s, -1))
        f = np.minimum(np.searchsorted(R, L + a, side="right"), before)
        out += [np.minimum(np.searchsorted(R, L + np.minimum(a, reach), side="right"), f).tolist(), f.tolist()]
    return out


def rules_best(lj: int, reads, F, G, L, D) -> tuple:
    """(value, arg) of the best gene allowed just before a candidate with left end ``lj`` and ``reads`` (safe_p,
    full_p, safe_m, full_m): F(strand, x) = (prefix maximum of G over that strand's genes among the first x, its
    index; 0, -1 for none), G/L/D(p) the p-th candidate's chain value, left end, strand. The comparisons are
    rules_dp's: the largest G, equal ones to the lowest index, so the choice does not depend on ``reach`` (where
    the reads split into safe and checked ones) and a local re-decoding ties as the whole one does."""
    sp, fp, sm, fm = reads
    best, arg = F(1, sp)
    v, a = F(-1, sm)
    if v > best or (v == best and a < arg):
        best, arg = v, a
    for t, top, s in ((sp, fp, 1), (sm, fm, -1)):
        for p in range(t, top):
            if D(p) == s and L(p) < lj and (G(p) > best or (G(p) == best and p < arg)):
                best, arg = G(p), p
    return best, arg


def rules_dp(L: np.ndarray, R: np.ndarray, S: np.ndarray, D: np.ndarray, rules: OverlapRules, reach: int) -> dict:
    """The dynamic programme of strand-aware overlap rules over candidates sorted by (right, left) end (left and
    right ends ``L``, ``R``, scores ``S``, strands ``D`` +1/-1; ``reach`` < every candidate's length): G[j] = S[j] +
    the best G of a gene allowed just before j (0: none; equal ones: the lowest index), P[j] that gene (-1: none),
    Fp/Fm[x] (and Fpa/Fma) the largest G of a forward/reverse gene among the first x (0 and -1 for none; the first
    of equal ones), and each candidate's reads (rules_reads). One pass; checking each kept gene against the one
    before it checks every pair when same >= min(convergent, divergent) (OverlapRules ensures it): a gene k before p
    before j overlaps j less than it overlaps p and less than p overlaps j."""
    n = len(L)
    reads = rules_reads(L, R, D, rules, reach)
    safe_p, full_p, safe_m, full_m = reads
    Ll, Sl, Dl = L.tolist(), S.tolist(), D.tolist()
    G = [0.0] * n
    P = [-1] * n
    Fp, Fpa = [0.0] * (n + 1), [-1] * (n + 1)
    Fm, Fma = [0.0] * (n + 1), [-1] * (n + 1)
    for j in range(n):   # rules_best, inlined
        t = safe_p[j]
        best, arg = Fp[t], Fpa[t]
        u = safe_m[j]
        if Fm[u] > best or (Fm[u] == best and Fma[u] < arg):
            best, arg = Fm[u], Fma[u]
        if full_p[j] > t or full_m[j] > u:
            lj = Ll[j]
            for t, top, s in ((t, full_p[j], 1), (u, full_m[j], -1)):
                for p in range(t, top):          # right end close to the allowance: does p start before j?
                    if Dl[p] == s and Ll[p] < lj and (G[p] > best or (G[p] == best and p < arg)):
                        best, arg = G[p], p
        g = Sl[j] + best
        G[j], P[j] = g, arg
        if Dl[j] > 0:
            Fp[j + 1], Fpa[j + 1] = (g, j) if g > Fp[j] else (Fp[j], Fpa[j])
            Fm[j + 1], Fma[j + 1] = Fm[j], Fma[j]
        else:
            Fm[j + 1], Fma[j + 1] = (g, j) if g > Fm[j] else (Fm[j], Fma[j])
            Fp[j + 1], Fpa[j + 1] = Fp[j], Fpa[j]
    return {"G": G, "P": P, "Fp": Fp, "Fpa": Fpa, "Fm": Fm, "Fma": Fma, "reads": reads, "L": Ll, "D": Dl, "S": Sl}


def rules_end(Fp_n: float, Fpa_n: int, Fm_n: float, Fma_n: int) -> int:
    """The last gene of the best chain from the prefix maxima over all candidates (-1: none)."""
    return Fpa_n if Fp_n >= Fm_n else Fma_n


def rules_traceback(dp: dict) -> list:
    """Sorted positions of rules_dp's best chain."""
    n = len(dp["G"])
    j = rules_end(dp["Fp"][n], dp["Fpa"][n], dp["Fm"][n], dp["Fma"][n])
    chosen = []
    while j >= 0:
        chosen.append(j)
        j = dp["P"][j]
    return chosen[::-1]


RNA_LABELS = {"5S ribosomal RNA": "5S rRNA", "16S ribosomal RNA": "16S rRNA", "23S ribosomal RNA": "23S rRNA",
              "transfer RNA": "tRNA"}


@dataclass
class GeneCall:
    """One called gene: 0-based half-open [start, end) on the forward strand, stop codon included."""

    seqid: str
    start: int
    end: int
    strand: int
    score: float                 # log-odds that this is a gene with this start
    start_codon: str             # ATG, GTG, TTG or Edge
    partial: str = "00"          # Prodigal's: 5' then 3' runs off the sequence (left/right in strand terms)
    upstream_score: float = 0.0
    coding_score: float = 0.0
    kind: str = "CDS"            # CDS, or an RNA type for RNA genes
    product: str = ""            # RNA genes found by homology: "16S ribosomal RNA", "transfer RNA", ...

    @property
    def label(self) -> str:
        """A short name for a view: '16S rRNA', 'tRNA', or the kind."""
        return RNA_LABELS.get(self.product, self.kind)

    @property
    def confidence(self) -> float:
        return 1.0 / (1.0 + math.exp(-min(max(self.score, -50.0), 50.0)))

    @property
    def stop_key(self) -> tuple:
        """(seqid, strand, position of the stop end): how gene finders match a call to a gene."""
        return (self.seqid, self.strand, self.end if self.strand > 0 else self.start)

    @property
    def start_key(self) -> tuple:
        return (self.seqid, self.strand, self.start if self.strand > 0 else self.end)


def score_features(feats: np.ndarray, weights=None) -> np.ndarray:
    """Log-odds of candidates from their features: ``weights`` is a callable (a learnt scorer),
    a (vector over FEATURES, bias) pair, or None for the defaults."""
    if callable(weights):
        out = weights(feats)
        return tuple(np.asarray(o, dtype=np.float64) for o in out) if isinstance(out, tuple) else \
            np.asarray(out, dtype=np.float64)
    w, b = (DEFAULT_WEIGHTS, DEFAULT_BIAS) if weights is None else weights
    return feats @ np.asarray(w, dtype=np.float64) + float(b)


def _all_scored(seqs, stats, weights):
    """Per (seq index, strand): (features, score, left, right) of every candidate."""
    out = {}
    for i, s in enumerate(seqs):
        for strand in (1, -1):
            cands = s.strands[strand]
            feats = candidate_features(s, strand, stats)
            score = score_features(feats, weights)
            if isinstance(score, tuple):   # (gene log-odds of the ORF, start log-odds): best start keeps all
                gene_score, start_score = score
                group, n_groups = orf_groups(cands)
                orf = np.full(n_groups, -np.inf)
                np.maximum.at(orf, group, gene_score)
                best = np.full(n_groups, -np.inf)
                np.maximum.at(best, group, start_score)
                score = orf[group] + start_score - best[group]
            start, end = cands.start_nt, cands.end_nt
            if strand > 0:
                left, right = start, end
            else:
                left, right = s.length - end, s.length - start
            out[(i, strand)] = (feats, score, left, right)
    return out


def overlap_rules_message(exc: Exception, folder) -> str:
    """What a user reads about a wrong ``overlap_rules`` in the config.json of model ``folder``: the fault and the
    fix."""
    return (f"{exc} (model folder {os.path.basename(os.path.normpath(os.fspath(folder)))}); write \"overlap_rules\" "
            'as whole bases, e.g. {"same": 90, "convergent": 90, "divergent": 0} with same at least the smaller of '
            'the other two, or delete the key (then "max_overlap" holds for every pair)')


def max_overlap_of(config) -> "int | OverlapRules":
    """The decoding's allowed overlap for a gene model's ``config``: its ``overlap_rules`` (strand-aware, an
    OverlapRules) when it has them, else its ``max_overlap`` (None or absent = MAX_OVERLAP) for every pair; the
    same wherever that model decodes (calls, adaptation, mutagenesis). choose_genes, _decode, self_train and
    call_genes take either as their ``max_overlap``. A wrong ``overlap_rules`` of a config read from a folder
    (transformers' ``_name_or_path``: training from a model) is a GenoViewInputError naming its config.json."""
    try:
        rules = OverlapRules.from_value(getattr(config, "overlap_rules", None))
    except ValueError as exc:
        folder = getattr(config, "_name_or_path", None)
        if not folder:
            raise
        from genoview.core.errors import GenoViewInputError

        raise GenoViewInputError(overlap_rules_message(exc, folder), os.path.join(folder, "config.json")) from None
    if rules is not None:
        return rules
    value = getattr(config, "max_overlap", None)
    return MAX_OVERLAP if value is None else int(value)


def start_background_of(config) -> float:
    """How self-training weighs start codons for a gene model's ``config`` (its ``start_background``, None or
    absent = 0): passed to self_train where a model's calls start, so a scorer wrapper need not carry it."""
    return float(getattr(config, "start_background", 0.0) or 0.0)


SELF_TRAIN_ROUNDS = 3   # rounds of a gene model's self-training on each genome it predicts on (call_genes' default)


def self_training_of(config) -> dict:
    """How a gene model with ``config`` self-trains on a genome it predicts on: the keyword arguments of
    self_train (and call_genes) — rounds, its max_overlap (max_overlap_of) and start_background
    (start_background_of). The one place that says it: the model's calls (track.call_genome), a large genome's
    statistics (chunked) and the fine-tune tables (fit.genome_table(model=...)) all pass these."""
    return {"rounds": SELF_TRAIN_ROUNDS, "max_overlap": max_overlap_of(config),
            "start_background": start_background_of(config)}


def _decode(seqs, scored, max_overlap):
    """Chosen candidates per (seq index, strand), from one DP over both strands of each sequence."""
    chosen = {}
    for i, s in enumerate(seqs):
        f_, sp, lp, rp = scored[(i, 1)]
        _, sm, lm, rm = scored[(i, -1)]
        strand = np.concatenate([np.ones(len(sp), dtype=np.int8), -np.ones(len(sm), dtype=np.int8)]) \
            if isinstance(max_overlap, OverlapRules) else None
        picked = choose_genes(np.concatenate([lp, lm]), np.concatenate([rp, rm]), np.concatenate([sp, sm]),
                              max_overlap, strand=strand)
        n_plus = len(sp)
        chosen[(i, 1)] = picked[picked < n_plus]
        chosen[(i, -1)] = picked[picked >= n_plus] - n_plus
    return chosen


def _longest_per_orf(cands: StrandCandidates, min_length: int) -> np.ndarray:
    """Index of the longest candidate of each ORF (first start) at least ``min_length`` long."""
    key = cands.frame * (1 << 40) + cands.k_stop
    order = np.lexsort((cands.k_start, key))
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    idx = order[first]
    length = (cands.k_stop[idx] - cands.k_start[idx]) * 3
    return idx[length >= min_length]


def _learn_starts(seqs, chosen, stats: GenomeStatistics) -> None:
    """Start-codon usage and upstream matrix: chosen starts against the other starts of the same ORFs.

    With ``stats.start_background`` = m > 0 the start-codon log-odds are (1 - m) x that plus m x the chosen
    starts against every candidate start of the genome (Prodigal's background). Against the other starts of
    the chosen ORFs alone, the odds follow the calls' own start choices (on the tuning genome B. melitensis
    TTG came out above GTG and was over-called, GTG under-called); every start of the genome is a
    background the calls do not choose."""
    true_types = np.zeros(4)
    alt_types = np.zeros(4)
    all_types = np.zeros(4)
    mix = float(getattr(stats, "start_background", 0.0) or 0.0)
    if mix > 0:
        for s in seqs:
            for strand in (1, -1):
                all_types += np.bincount(s.strands[strand].start_type, minlength=4)
    true_up = np.zeros((len(CONTEXT), 5))
    alt_up = np.zeros((len(CONTEXT), 5))
    for (i, strand), picked in chosen.items():
        s = seqs[i]
        cands = s.strands[strand]
        if not len(picked):
            continue
        group, n_groups = orf_groups(cands)
        chosen_orf = np.zeros(n_groups, dtype=bool)
        chosen_orf[group[picked]] = True
        alt = np.nonzero(chosen_orf[group])[0]   # every start of the chosen ORFs
        alt = np.setdiff1d(alt, picked)
        true_types += np.bincount(cands.start_type[picked], minlength=4)
        alt_types += np.bincount(cands.start_type[alt], minlength=4)
        for idx, acc in ((picked, true_up), (alt, alt_up)):
            up = _upstream_codes(cands, s.codes[strand], idx)
            for pos in range(len(CONTEXT)):
                acc[pos] += np.bincount(up[:, pos], minlength=5)
    stats.start_codon = np.zeros(4)
    stats.start_codon[:3] = _log_odds(true_types[:3], alt_types[:3], pseudo=5.0)
    if mix > 0:
        stats.start_codon[:3] = (1.0 - mix) * stats.start_codon[:3] + mix * _log_odds(true_types[:3], all_types[:3],
                                                                                      pseudo=5.0)
    up = np.zeros((len(CONTEXT), 5))
    for pos in range(len(CONTEXT)):
        up[pos, :4] = _log_odds(true_up[pos, :4], alt_up[pos, :4], pseudo=5.0)
    stats.upstream = up


def self_train(seqs: list[SequenceCandidates], genetic_code: int, weights=None, rounds: int = 3,
               max_overlap: "int | OverlapRules" = MAX_OVERLAP, seed_min_length: int = 600,
               start_background: float | None = None) -> GenomeStatistics:
    """Learn coding, start and upstream statistics from the genome's own sequence (no annotation).

    Round 0 counts hexamers in the longest ORFs against all hexamers of the genome (both strands, every
    frame); each later round decodes genes with the current statistics and re-counts on the calls.
    """
    if start_background is None:   # the scorer's model says (config start_background), else 0
        start_background = float(getattr(weights, "start_background", 0.0) or 0.0)
    stats = GenomeStatistics(genetic_code=genetic_code, start_background=start_background)
    total = sum(s.length for s in seqs)
    gc = sum(int(_any_equal(s.codes[1], (1, 2)).sum()) for s in seqs)
    known = sum(int((s.codes[1] < 4).sum()) for s in seqs)
    stats.gc = gc / max(known, 1)
    stats.stop_chance = stop_chance(stats.gc, genetic_code)
    background = _background_hexamers(seqs)
    min_len = seed_min_length if total > 200_000 else 300
    chosen = {(i, strand): _longest_per_orf(s.strands[strand], min_len)
              for i, s in enumerate(seqs) for strand in (1, -1)}
    for r in range(rounds):
        counts = _gene_hexamer_counts(seqs, chosen)
        stats.coding = np.append(_log_odds(counts, background), 0.0)
        stats.codon_usage = np.append(_log_odds(counts.reshape(64, 64).sum(1), background.reshape(64, 64).sum(1)), 0.0)
        if r > 0:
            _learn_starts(seqs, chosen, stats)
        score_coding(seqs, stats.coding, stats.codon_usage)
        scored = _all_scored(seqs, stats, weights)
        chosen = _decode(seqs, scored, max_overlap)
        stats.rounds = r + 1
    _learn_starts(seqs, chosen, stats)
    return stats


def calls_from(seqs, scored, chosen) -> list[GeneCall]:
    calls = []
    for (i, strand), picked in chosen.items():
        s = seqs[i]
        cands = s.strands[strand]
        feats, score, left, right = scored[(i, strand)]
        for j in picked:
            st = int(cands.start_type[j])
            p5, p3 = st == 3, bool(cands.partial3[j])
            # Prodigal's partial flag is left edge then right edge of the forward strand
            partial = f"{int(p5)}{int(p3)}" if strand > 0 else f"{int(p3)}{int(p5)}"
            calls.append(GeneCall(s.seqid, int(left[j]), int(right[j]), strand, float(score[j]),
                                  START_NAMES[st], partial, float(feats[j, 3]), float(feats[j, 0])))
    order = {s.seqid: i for i, s in enumerate(seqs)}
    calls.sort(key=lambda c: (order[c.seqid], c.start, c.end))
    return calls


def stop_chance(gc: float, genetic_code: int = 11) -> float:
    """Probability that a codon of random sequence with this GC content is a stop codon."""
    at, g = (1 - gc) / 2, gc / 2
    chance = at * at * at + at * at * g     # TAA, TAG
    if genetic_code != 4:
        chance += at * g * at               # TGA
    return chance


def detect_genetic_code(sequences: dict, min_orf: int = 1500, ratio: float = 2.5, max_gc: float = 0.40) -> int:
    """11, or 4 when reading TGA as a stop breaks most long ORFs (TGA = Trp, as in Mycoplasma).

    Counts bases in ORFs of at least ``min_orf`` under both codes. In a low-GC code-11 genome code 4
    lets only the TGA-ended genes read on into the next stop, so the count barely grows (1.04-1.09 on
    the low-GC training genomes); in a code-4 genome, whose genes hold a TGA about every hundred codons,
    code 11 cuts almost every long gene and code 4 holds several times more. In GC-rich genomes stops are
    rare and code 4 lengthens random ORFs too (ratio 2-4 on code-11 training genomes), so the test is
    only made below ``max_gc``: the bacteria known to read TGA as Trp (Mycoplasmatales,
    Entomoplasmatales) are all AT-rich.
    """
    known = sum(int((np.asarray(c) < 4).sum()) for c in sequences.values())
    gc = sum(int(_any_equal(np.asarray(c), (1, 2)).sum()) for c in sequences.values()) / max(known, 1)
    if gc >= max_gc:
        return 11
    return 4 if long_orf_ratio(sequences, min_orf) > ratio else 11


def long_orf_ratio(sequences: dict, min_orf: int = 1500) -> float:
    """Bases in long ORFs under code 4 over those under code 11 (both strands, stop to stop)."""
    totals = {}
    for code in (11, 4):
        bases = 0
        for codes in sequences.values():
            codes = np.asarray(codes, dtype=np.uint8)
            for strand_codes in (codes, reverse_complement(codes)):
                codon = codon_indices(strand_codes)
                for f in range(3):
                    c = codon[f::3]
                    stop = np.nonzero(_any_equal(c, STOPS[code]) | (c == 64))[0]
                    gaps = np.diff(np.concatenate([[-1], stop, [len(c)]])) - 1
                    bases += int(gaps[gaps * 3 >= min_orf].sum()) * 3
        totals[code] = bases
    return totals[4] / max(totals[11], 1)


def call_genes(sequences: dict, *, genetic_code: int | None = None, tracks: dict | None = None,
               weights=None, stats: GenomeStatistics | None = None, rounds: int = 3,
               max_overlap: "int | OverlapRules" = MAX_OVERLAP, min_length: int = MIN_GENE, progress=None, cancel=None,
               keep: dict | None = None, start_background: float | None = None
               ) -> tuple[list[GeneCall], GenomeStatistics]:
    """Gene calls on ``sequences`` ({seqid: codes}), self-trained on them unless ``stats`` is given.

    ``tracks`` ({seqid: per-base probability}) adds a model's evidence to each candidate (the ``track``
    feature); ``weights`` = (vector over FEATURES, bias), learnt across genomes by a gene model.
    ``start_background``: self_train's (None: the scorer's attribute, else 0).
    """
    from genoview.core.jobs import ensure_cancel, ensure_progress

    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    if genetic_code is None:
        genetic_code = stats.genetic_code if stats is not None else detect_genetic_code(sequences)
    progress(0.05, f"finding open reading frames (genetic code {genetic_code})")
    seqs = enumerate_candidates(sequences, genetic_code, min_length)
    cancel.check()
    if tracks is not None:
        for s in seqs:
            if s.seqid in tracks:
                attach_track(s, tracks[s.seqid])
    if weights is None and tracks is not None:
        w = DEFAULT_WEIGHTS.copy()
        w[FEATURES.index("track")] = TRACK_WEIGHT
        weights = (w, TRACK_BIAS)
    if stats is None:
        progress(0.2, "learning the genome's coding statistics from its own sequence")
        stats = self_train(seqs, genetic_code, weights, rounds, max_overlap, start_background=start_background)
        cancel.check()
    progress(0.8, "choosing genes")
    score_coding(seqs, stats.coding, stats.codon_usage)
    scored = _all_scored(seqs, stats, weights)
    chosen = _decode(seqs, scored, max_overlap)
    calls = calls_from(seqs, scored, chosen)
    if keep is not None:   # the scored candidates, for candidate_track and start_posterior_track
        keep.update(seqs=seqs, scored=scored, chosen=chosen)
    progress(1.0, f"{len(calls):,} genes")
    return calls, stats


# --------------------------------------------------------------------------- outputs

def genes_track(calls: list[GeneCall], lengths: dict) -> dict:
    """Per-base value of the highest-confidence call covering each base (0 outside calls)."""
    out = {seqid: np.zeros(n, dtype=np.float32) for seqid, n in lengths.items()}
    for c in sorted(calls, key=lambda c: c.score):
        out[c.seqid][c.start:c.end] = np.float32(c.confidence)
    return out


def candidate_track(sequences: dict, stats: GenomeStatistics, weights, lengths: dict, floor: float = -8.0,
                    kept: dict | None = None) -> dict:
    """Per-base gene probability of the best candidate ORF covering each base (its longest form), for
    ranking the bases outside the called genes. ``kept``: what call_genes(keep=...) saved (no recount)."""
    if kept:
        seqs, scored = kept["seqs"], kept["scored"]
    else:
        seqs = enumerate_candidates(sequences, stats.genetic_code)
        score_coding(seqs, stats.coding, stats.codon_usage)
        scored = _all_scored(seqs, stats, weights)
    out = {seqid: np.zeros(n, dtype=np.float32) for seqid, n in lengths.items()}
    for (i, strand), (feats, score, left, right) in scored.items():
        s = seqs[i]
        idx = _longest_per_orf(s.strands[strand], 0)
        idx = idx[score[idx] > floor]
        idx = idx[np.argsort(score[idx])]
        track = out[s.seqid]
        prob = (1.0 / (1.0 + np.exp(-score[idx]))).astype(np.float32)
        for a, b, p in zip(left[idx].tolist(), right[idx].tolist(), prob.tolist()):
            track[a:b] = np.maximum(track[a:b], p)
    return out


def start_posterior_track(kept: dict, lengths: dict, temperature: float = 1.0) -> dict:
    """Per-base gene probability of the called genes with their start uncertainty.

    A gene's starts (every start of its ORF) get posterior weights from their scores (softmax); a base of
    the ORF counts as genic with the called gene's confidence times the weight of the starts at or before it.
    At 0.5 this keeps the bases before the median start rather than only those after the single best one,
    which is what a per-base score rewards; the gene calls keep their best start."""
    out = {seqid: np.zeros(n, dtype=np.float32) for seqid, n in lengths.items()}
    seqs, scored, chosen = kept["seqs"], kept["scored"], kept["chosen"]
    for (i, strand), picked in chosen.items():
        if not len(picked):
            continue
        s = seqs[i]
        cands = s.strands[strand]
        feats, score, left, right = scored[(i, strand)]
        key = cands.frame * (1 << 40) + cands.k_stop
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        starts_nt, ends_nt = cands.start_nt, cands.end_nt
        los = np.searchsorted(sorted_keys, key[picked], side="left").tolist()
        his = np.searchsorted(sorted_keys, key[picked], side="right").tolist()
        seg_a, seg_b, seg_v = [], [], []
        for j, lo, hi in zip(picked.tolist(), los, his):
            members = order[lo:hi]
            members = members[np.argsort(starts_nt[members])]
            z = score[members] / temperature
            w = np.exp(z - z.max())
            w /= w.sum()
            conf = 1.0 / (1.0 + np.exp(-min(max(score[j], -50.0), 50.0)))
            seg_v.append((np.cumsum(w) * conf).astype(np.float32))
            seg_a.append(starts_nt[members])
            seg_b.append(np.append(starts_nt[members][1:], ends_nt[j]))
        # each start's stretch (to the next start, the last to the stop) gets the weight of the starts at or
        # before it; stretches of different genes may overlap: the larger value wins
        a, b, v = np.concatenate(seg_a), np.concatenate(seg_b), np.concatenate(seg_v)
        keep = b > a
        a, b, v = a[keep], b[keep], v[keep]
        if strand < 0:
            a, b = s.length - b, s.length - a
        _max_over_intervals(out[s.seqid], a, b, v)
    return out


def _max_over_intervals(track: np.ndarray, a: np.ndarray, b: np.ndarray, v: np.ndarray) -> None:
    """track[a_k:b_k] = max(track[a_k:b_k], v_k) for every k, in one pass (v_k float32)."""
    lengths = (b - a).astype(np.int64)
    if not len(lengths) or lengths.sum() == 0:
        return
    starts = np.repeat(a.astype(np.int64) - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    positions = starts + np.arange(int(lengths.sum()), dtype=np.int64)
    np.maximum.at(track, positions, np.repeat(v, lengths))


def write_gff3(handle, calls: list[GeneCall], lengths: dict, source: str = "GenoView",
               genetic_code: int = 11) -> int:
    """GFF3: a ``gene`` and its ``CDS`` (phase from the 5' edge) per call, 1-based closed; returns genes."""
    handle.write("##gff-version 3\n")
    for seqid, n in lengths.items():
        handle.write(f"##sequence-region {seqid} 1 {n}\n")
    count = {}
    for c in calls:
        count[c.seqid] = count.get(c.seqid, 0) + 1
        gid = f"{c.seqid}_{count[c.seqid]}"
        strand = "+" if c.strand > 0 else "-"
        score = f"{c.score:.2f}"
        if c.kind != "CDS":
            named = f";Name={c.label.replace(' ', '_')};product={c.product}" if c.product else ""
            handle.write(f"{c.seqid}\t{source}\tgene\t{c.start + 1}\t{c.end}\t{score}\t{strand}\t.\t"
                         f"ID={gid};gene_biotype={c.kind}{named}\n")
            handle.write(f"{c.seqid}\t{source}\t{c.kind}\t{c.start + 1}\t{c.end}\t{score}\t{strand}\t.\t"
                         f"ID={gid}_{c.kind};Parent={gid}{named}\n")
            continue
        handle.write(f"{c.seqid}\t{source}\tgene\t{c.start + 1}\t{c.end}\t{score}\t{strand}\t.\t"
                     f"ID={gid};gene_biotype=protein_coding\n")
        attrs = (f"ID={gid}_cds;Parent={gid};partial={c.partial};start_type={c.start_codon};"
                 f"conf={100 * c.confidence:.2f};score={c.score:.2f};cscore={c.coding_score:.2f};"
                 f"sscore={c.upstream_score:.2f};transl_table={genetic_code}")
        # a 5'-partial CDS starting mid-codon would need phase 1/2; ours start on the frame, so phase 0
        handle.write(f"{c.seqid}\t{source}\tCDS\t{c.start + 1}\t{c.end}\t{score}\t{strand}\t0\t{attrs}\n")
    return sum(1 for c in calls)


def write_proteins(handle, calls: list[GeneCall], sequences: dict, genetic_code: int = 11) -> int:
    """Protein FASTA as Prodigal writes it: '>seqid_N # start # end # strand # attributes', stop as '*'."""
    count = {}
    written = 0
    for c in calls:
        count[c.seqid] = count.get(c.seqid, 0) + 1
        if c.kind != "CDS":
            continue
        codes = np.asarray(sequences[c.seqid][c.start:c.end], dtype=np.uint8)
        if c.strand < 0:
            codes = reverse_complement(codes)
        protein = translate(codes, genetic_code, first_is_start=c.start_codon != "Edge")
        gc = float(np.isin(codes, (1, 2)).mean()) if len(codes) else 0.0
        handle.write(f">{c.seqid}_{count[c.seqid]} # {c.start + 1} # {c.end} # {c.strand} # "
                     f"ID={c.seqid}_{count[c.seqid]};partial={c.partial};start_type={c.start_codon};"
                     f"score={c.score:.2f};gc_cont={gc:.3f}\n")
        for i in range(0, len(protein), 60):
            handle.write(protein[i:i + 60] + "\n")
        written += 1
    return written


def calls_for_regions(genome, region_values, model=None, genetic_code: int | None = None, progress=None,
                      cancel=None) -> tuple[list[GeneCall], int]:
    """Gene calls for predicted regions: ``region_values`` = [(seqid, start, float32 values)].

    A model that calls genes itself (GeneORF: ``call_genome``) gives its own calls (those in the regions);
    any other model's track is decoded here (the track joins the self-trained ORF scores). Returns the
    calls in sequence coordinates and the genetic code used."""
    from genoview.core.genome import encode

    sequences, offsets, tracks = {}, {}, {}
    for seqid, start, values in region_values:
        record = genome.sequences[seqid]
        key = seqid if (start == 0 and len(values) == record.length) else f"{seqid}:{start}-{start + len(values)}"
        sequences[key] = encode(record.fetch(start, start + len(values)))
        offsets[key] = (seqid, start)
        tracks[key] = np.asarray(values, dtype=np.float32)
    if hasattr(model, "call_genome"):
        calls, stats, _ = model.call_genome(sequences, genetic_code=genetic_code, progress=progress, cancel=cancel)
    else:
        calls, stats = call_genes(sequences, genetic_code=genetic_code, tracks=tracks, progress=progress,
                                  cancel=cancel)
    for c in calls:
        seqid, start = offsets[c.seqid]
        c.seqid, c.start, c.end = seqid, c.start + start, c.end + start
    return calls, stats.genetic_code


class GeneCallSink:
    """Collects a prediction's values (``add`` as tiles come) and writes strand-aware gene calls at the end.

    A GeneORF model's own calls are written when this process just made them on the same genome file;
    any other model's track is decoded with the ORF statistics (:func:`calls_for_regions`)."""

    def __init__(self, genome, model=None, fallback=None):
        self.genome, self.model, self.fallback = genome, model, fallback
        self.parts: dict[str, list] = {}

    def add(self, seqid: str, start: int, values: np.ndarray) -> None:
        self.parts.setdefault(seqid, []).append((start, np.array(values, dtype=np.float32)))
        if self.fallback is not None:
            self.fallback.add(seqid, start, values)

    def region_values(self) -> list:
        out = []
        for seqid, parts in self.parts.items():
            parts.sort(key=lambda p: p[0])
            start, chunks, end = parts[0][0], [], parts[0][0]
            for a, v in parts:
                if a != end:   # a gap: close this region
                    out.append((seqid, start, np.concatenate(chunks)))
                    start, chunks = a, []
                chunks.append(v)
                end = a + len(v)
            out.append((seqid, start, np.concatenate(chunks)))
        return out

    def write(self, gff_path, source: str = "GenoView", proteins_path=None) -> int:
        regions = self.region_values()
        if self.fallback is not None and sum(len(v) for _, _, v in regions) < MIN_SELF_TRAINING:
            return self._write_runs(gff_path, source)
        calls = code = None
        model_dir = _geneorf_dir(self.model)
        if model_dir is not None:
            from genoview.core.models.geneorf.track import cached_calls

            whole = all(start == 0 and len(v) == self.genome.sequences[s].length for s, start, v in regions)
            found = cached_calls(model_dir, self.genome.path) if whole else None
            if found is not None:
                wanted = {s for s, _, _ in regions}
                calls, code = [c for c in found[0] if c.seqid in wanted], found[1]
        if calls is None:
            calls, code = calls_for_regions(self.genome, regions)
        return write_gene_calls(gff_path, calls, self.genome, code, source, proteins_path)


    def _write_runs(self, gff_path, source: str) -> int:
        """Too little sequence to learn its statistics from: the runs above the threshold, unstranded."""
        import io

        from genoview.core.inference import write_gene_gff

        genes = self.fallback.finish()
        count = 0
        with open(gff_path, "w") as handle:
            handle.write("##gff-version 3\n")
            for seqid in self.parts:
                text = io.StringIO()
                count += write_gene_gff(text, seqid, genes.get(seqid, []), source=source)
                handle.write(text.getvalue().split("\n", 1)[1])   # one ##gff-version line, at the top
        return count


def _geneorf_dir(model):
    """The directory of a GeneORF model given by name, path or loaded model; None for anything else."""
    if model is None:
        return None
    path = getattr(model, "path", None)
    if path is None and isinstance(model, (str, os.PathLike)):
        try:
            from genoview.core.models import inspect_model_dir, resolve_model_dir

            path = resolve_model_dir(model)
            if path is None or inspect_model_dir(path)[1].architecture != "geneorf":
                return None
        except Exception:  # noqa: BLE001 - not a loadable model directory: decode its track instead
            return None
    elif path is None or not hasattr(model, "call_genome"):
        return None
    return str(path)


def write_gene_calls(gff_path=None, calls=(), genome=None, genetic_code: int = 11, source: str = "GenoView",
                     proteins_path=None) -> int:
    """Write calls as GFF3 (every sequence's length from ``genome``) and optionally their proteins (FASTA)."""
    lengths = {seqid: r.length for seqid, r in genome.sequences.items()}
    seqids = {c.seqid for c in calls}
    if gff_path is not None:
        with open(gff_path, "w") as handle:
            write_gff3(handle, calls, {s: n for s, n in lengths.items() if s in seqids} or lengths, source,
                       genetic_code)
    if proteins_path is not None:
        from genoview.core.genome import encode

        sequences = {s: encode(genome.sequences[s].fetch(0, lengths[s])) for s in seqids}
        with open(proteins_path, "w") as handle:
            write_proteins(handle, calls, sequences, genetic_code)
    return sum(1 for c in calls)
