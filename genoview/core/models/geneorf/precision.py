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


def _shadow_means(cands, score, idx_orf, a, b):
    """Per call [a, b) (strand coordinates): for each of 3 frames, the mean over its bases of the gene
    probability of that frame's ORFs (each ORF by its longest form; ORFs of one frame never overlap)."""
    out = np.zeros((len(a), 3))
    for f in range(3):
        k = idx_orf[cands.frame[idx_orf] == f]
        if not len(k):
            continue
        lo, hi = cands.start_nt[k], cands.end_nt[k]
        order = np.argsort(lo)
        lo, hi, p = lo[order], hi[order], _sigmoid(score[k][order])
        cum = np.concatenate([[0.0], np.cumsum(p * (hi - lo))])

        def integral(x):
            i = np.searchsorted(lo, x, side="right") - 1
            ok = i >= 0
            ii = np.where(ok, i, 0)
            return np.where(ok, cum[ii] + p[ii] * np.clip(x - lo[ii], 0, hi[ii] - lo[ii]), 0.0)
        out[:, f] = (integral(b) - integral(a)) / np.maximum(b - a, 1)
    return out


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
            counts = np.zeros((len(picked), 3))
            for n, (lo, hi) in enumerate(zip(a.tolist(), b.tolist())):
                seg = is_gc[lo:hi]
                if len(seg) % 3:
                    seg = np.concatenate([seg, np.zeros(3 - len(seg) % 3, dtype=bool)])
                counts[n] = seg.reshape(-1, 3).sum(0)
            codons = np.maximum((b - a) / 3.0, 1.0)
            gc_pos = counts / codons[:, None]
            gc3_margin = gc_pos[:, 2] - np.maximum(gc_pos[:, 0], gc_pos[:, 1])
            gc3_mean = gc_pos[:, 2] - gc_pos.mean(1)
            base = np.column_stack([score[picked]] + [feats[picked, col[n]] for n in _FROM_CANDIDATE] +
                                   [opp.max(1), same.max(1)])
            for n, j in enumerate(picked.tolist()):
                seq_rows[(strand, j)] = [*base[n], gc3_margin[n], gc3_mean[n]]
                spans.append((int(left[j]), int(right[j]), (strand, j)))
        spans.sort()
        for n, (lo, hi, key) in enumerate(spans):
            prev_right = max((spans[m][1] for m in range(max(0, n - 3), n)), default=-10**9)
            next_left = spans[n + 1][0] if n + 1 < len(spans) else 10**9
            ov_l = max(prev_right - lo, 0)
            ov_r = max(hi - next_left, 0)
            gap = max(min(lo - prev_right, next_left - hi), 0)
            r = seq_rows[key]
            keys.append((i, key[0], key[1]))
            rows.append(r[:-2] + [np.log1p(ov_l), np.log1p(ov_r), np.log1p(min(gap, 10**5))] + r[-2:] + [genome_gc])
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


def without_dropped(calls: list, gone: set) -> list:
    """``calls`` less the protein-coding calls in ``gone`` (RNA genes are never dropped)."""
    if not gone:
        return calls
    return [c for c in calls if c.kind != "CDS" or (c.seqid, c.start, c.end, c.strand) not in gone]
