"""A per-call precision stage: after the genes are chosen, a small classifier reads each call beside its
neighbours and its shadows (the best ORFs of the other five frames over it) and the GC of its codon positions
(Prodigal's GC frame plot), and drops from the gene list the calls it finds unlikely to end at an annotated stop (the per-base track
is left as it was: see dropped_calls).

The classifier lives in the model folder's config.json (key ``call_filter``: feature means/scales, a one
hidden-layer MLP as lists, and the cut), so a child that copies the folder inherits it; a folder without
the key calls genes as before."""
from __future__ import annotations

import numpy as np

CALL_FEATURES = ("score", "coding", "coding_per_codon", "start_codon", "upstream", "log_length", "codon_usage",
                 "frame_margin", "antisense_margin", "head_coding", "sd_motif", "shadow_opposite", "shadow_same",
                 "overlap_left", "overlap_right", "gap", "gc3_margin", "gc3_minus_mean", "genome_gc")
_FROM_CANDIDATE = ("coding", "coding_per_codon", "start_codon", "upstream", "log_length", "codon_usage",
                   "frame_margin", "antisense_margin", "head_coding", "sd_motif")


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50.0, 50.0)))


def shadow_tables(cands, score, idx_orf) -> list:
    """Per frame 0-1-2 of one strand: (lo, hi, p, cum) of its ORFs (each by its longest form ``idx_orf``),
    sorted by lo, p their gene probability, cum the running area sum (ORFs of one frame never overlap)."""
    tables = []
    for f in range(3):
        k = idx_orf[cands.frame[idx_orf] == f]
        if not len(k):
            tables.append(None)
            continue
        lo, hi = cands.start_nt[k], cands.end_nt[k]
        order = np.argsort(lo)
        lo, hi, p = lo[order], hi[order], _sigmoid(score[k][order])
        tables.append((lo, hi, p, np.concatenate([[0.0], np.cumsum(p * (hi - lo))])))
    return tables


def shadow_area(table, a, b):
    """Sum over a frame's ORFs of gene probability x bases inside [a, b) (arrays or scalars)."""
    if table is None:
        return np.zeros(np.shape(a))
    lo, hi, p, cum = table

    def integral(x):
        i = np.searchsorted(lo, x, side="right") - 1
        ok = i >= 0
        ii = np.where(ok, i, 0)
        return np.where(ok, cum[ii] + p[ii] * np.clip(x - lo[ii], 0, hi[ii] - lo[ii]), 0.0)
    return integral(b) - integral(a)


def _shadow_means(cands, score, idx_orf, a, b):
    """Per call [a, b) (strand coordinates): for each of 3 frames, the mean over its bases of the gene
    probability of that frame's ORFs (each ORF by its longest form; ORFs of one frame never overlap)."""
    out = np.zeros((len(a), 3))
    for f, table in enumerate(shadow_tables(cands, score, idx_orf)):
        if table is not None:
            out[:, f] = shadow_area(table, a, b) / np.maximum(b - a, 1)
    return out


def gc_positions(is_gc_span: np.ndarray) -> tuple:
    """(gc3_margin, gc3_minus_mean) of one call from its bases' G/C flags (strand orientation): Prodigal's GC
    frame plot read at the call's codon positions."""
    seg = is_gc_span
    n = len(seg)
    if n % 3:
        seg = np.concatenate([seg, np.zeros(3 - n % 3, dtype=bool)])
    gc_pos = seg.reshape(-1, 3).sum(0) / max(n / 3.0, 1.0)
    return gc_pos[2] - max(gc_pos[0], gc_pos[1]), gc_pos[2] - gc_pos.mean()


def neighbour_features(spans: list, n: int) -> list:
    """[log1p(overlap left), log1p(overlap right), log1p(gap)] of call ``n`` among ``spans`` (sorted (lo, hi, ..)
    of every call of its sequence; only the 3 before and the 1 after are read)."""
    lo, hi = spans[n][0], spans[n][1]
    prev_right = max((spans[m][1] for m in range(max(0, n - 3), n)), default=-10**9)
    next_left = spans[n + 1][0] if n + 1 < len(spans) else 10**9
    ov_l = max(prev_right - lo, 0)
    ov_r = max(hi - next_left, 0)
    gap = max(min(lo - prev_right, next_left - hi), 0)
    return [np.log1p(ov_l), np.log1p(ov_r), np.log1p(min(gap, 10**5))]


def call_row(own: list, neighbours: list, gc3: tuple, genome_gc: float) -> list:
    """One call's CALL_FEATURES row: ``own`` = [score, the _FROM_CANDIDATE columns, shadow_opposite,
    shadow_same]."""
    return list(own) + list(neighbours) + [gc3[0], gc3[1]] + [float(genome_gc)]


def call_features(kept: dict, genome_gc: float | None = None):
    """([(seq index, strand, candidate index)], features (n, len(CALL_FEATURES))) of the chosen calls in
    ``kept`` (what genecalls.call_genes(keep=...) saved). ``genome_gc``: the genome's GC as its statistics
    hold it (GenomeStatistics.gc), so a chunk of a large genome reads the same value as the whole; None =
    counted on ``kept``'s sequences."""
    from genoview.core import genecalls as gc

    col = {name: gc.FEATURES.index(name) for name in _FROM_CANDIDATE}
    seqs, scored, chosen = kept["seqs"], kept["scored"], kept["chosen"]
    if genome_gc is None:
        gc_all = sum(int(gc._any_equal(s.codes[1], (1, 2)).sum()) for s in seqs)
        known = sum(int((s.codes[1] < 4).sum()) for s in seqs)
        genome_gc = gc_all / max(known, 1)
    genome_gc = float(genome_gc)
    keys, rows = [], []
    for i, s in enumerate(seqs):
        spans = []   # (left, right, row) of every call of the sequence, for the neighbour features
        seq_rows = {}
        for strand in (1, -1):
            picked = chosen[(i, strand)]
            if not len(picked):
                continue
            cands = s.strands[strand]
            feats, score, left, right = scored[(i, strand)]
            a, b = cands.start_nt[picked], cands.end_nt[picked]
            same = _shadow_means(cands, score, gc._longest_per_orf(cands, 0), a, b)
            own_frame = cands.frame[picked]
            same[np.arange(len(picked)), own_frame] = 0.0
            other = s.strands[-strand]
            _, o_score, _, _ = scored[(i, -strand)]
            # the opposite strand's coordinates run the other way
            opp = _shadow_means(other, o_score, gc._longest_per_orf(other, 0), s.length - b, s.length - a)
            # G/C at codon positions 1-3 of each call (a slice per call: no genome-sized temporaries)
            is_gc = gc._any_equal(s.codes[strand], (1, 2))
            base = np.column_stack([score[picked]] + [feats[picked, col[n]] for n in _FROM_CANDIDATE] +
                                   [opp.max(1), same.max(1)])
            for n, (j, lo, hi) in enumerate(zip(picked.tolist(), a.tolist(), b.tolist())):
                seq_rows[(strand, j)] = (list(base[n]), gc_positions(is_gc[lo:hi]))
                spans.append((int(left[j]), int(right[j]), (strand, j)))
        spans.sort()
        for n, (lo, hi, key) in enumerate(spans):
            own, gc3 = seq_rows[key]
            keys.append((i, key[0], key[1]))
            rows.append(call_row(own, neighbour_features(spans, n), gc3, genome_gc))
    x = np.array(rows, dtype=np.float64).reshape(-1, len(CALL_FEATURES))
    return keys, np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)


def filter_probability(spec: dict, x: np.ndarray) -> np.ndarray:
    """P(call ends at an annotated stop) from the stored classifier ``spec`` (config.json ``call_filter``)."""
    z = (x - np.asarray(spec["mean"])) / np.asarray(spec["scale"])
    h = np.maximum(z @ np.asarray(spec["w1"]) + np.asarray(spec["b1"]), 0.0)
    return _sigmoid(h @ np.asarray(spec["w2"]) + float(spec["b2"]))


def dropped_calls(spec: dict | None, kept: dict, genome_gc: float | None = None) -> set:
    """(seqid, start, end, strand) of the chosen calls in ``kept`` the classifier ``spec`` puts below its cut
    (empty when ``spec`` is None). Only the gene list loses them: the per-base track is made before this stage,
    so it stays what orf_mutagenesis reproduces exactly, and a dropped call's bases keep their probability."""
    if not spec or not kept.get("chosen"):
        return set()
    keys, x = call_features(kept, genome_gc)
    if not keys:
        return set()
    prob = filter_probability(spec, x)
    seqs, scored = kept["seqs"], kept["scored"]
    gone = set()
    for (i, strand, j), p in zip(keys, prob):
        if p < float(spec["cut"]):
            _, _, left, right = scored[(i, strand)]
            gone.add((seqs[i].seqid, int(left[j]), int(right[j]), strand))
    return gone


def in_track(spec: dict | None) -> bool:
    """Whether the stage's dropped calls also leave the per-base track (config.json ``call_filter["track"]``;
    folders made before session 9 lack the key and keep their track as it was)."""
    return bool(spec) and bool(spec.get("track", False))


def kept_without(kept: dict, gone: set) -> dict:
    """``kept`` (call_genes(keep=...)) with the calls in ``gone`` taken out of its chosen genes, so that
    start_posterior_track makes the track of the calls that remain (the candidates' scores are untouched)."""
    if not gone:
        return kept
    seqs, scored = kept["seqs"], kept["scored"]
    chosen = {}
    for (i, strand), picked in kept["chosen"].items():
        _, _, left, right = scored[(i, strand)]
        sid = seqs[i].seqid
        ok = np.array([(sid, int(left[j]), int(right[j]), strand) not in gone for j in picked.tolist()], dtype=bool)
        chosen[(i, strand)] = picked[ok] if len(picked) else picked
    return dict(kept, chosen=chosen)


def without_dropped(calls: list, gone: set) -> list:
    """``calls`` less the protein-coding calls in ``gone`` (RNA genes are never dropped)."""
    if not gone:
        return calls
    return [c for c in calls if c.kind != "CDS" or (c.seqid, c.start, c.end, c.strand) not in gone]
