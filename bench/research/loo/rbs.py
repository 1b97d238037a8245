"""Idea B of DECISIONS.md: a genome-own RBS motif x spacer score (Prodigal's kind) as two extra columns of the
precision stage (precision.call_features), for research only (not product code).

Each start's class: the longest exact piece (3-6 b) of AGGAGG ending 3-15 b before the start codon, spacer binned
3-4 / 5-10 / 11-12 / 13-15 (ties: longer piece, then bin 5-10, then nearer); 17 classes with "none". Per decoded genome:
log-odds of each class at the starts of the chosen calls >= 600 b against every candidate start (pseudocount 1).
rbs = the call's class log-odds (0 for an edge start); rbs_genome = share of those confident starts with a piece >= 4 b
minus that share at every candidate start."""
import numpy as np

MIN_TRAIN = 600
NAMES = ("rbs", "rbs_genome")
SD = "AGGAGG"
CODE = {"A": 0, "C": 1, "G": 2, "T": 3}
PIECES = {L: sorted({SD[i:i + L] for i in range(len(SD) - L + 1)}) for L in (6, 5, 4, 3)}
SPACERS = (5, 6, 7, 8, 9, 10, 3, 4, 11, 12, 13, 14, 15)
WIN = 21


def _bin(s):
    return 0 if s <= 4 else 1 if s <= 10 else 2 if s <= 12 else 3


def classes(codes, starts):
    """Class 0..16 of each start (strand coordinates of its start codon's first base)."""
    starts = np.asarray(starts, np.int64)
    cols = starts[:, None] - WIN + np.arange(WIN)[None, :]
    ok = cols >= 0
    up = np.where(ok, codes[np.clip(cols, 0, len(codes) - 1)], 4)
    out = np.zeros(len(starts), np.int64)
    for L in (6, 5, 4, 3):
        for s in SPACERS:
            c0 = WIN - s - L
            hit = np.zeros(len(starts), bool)
            for piece in PIECES[L]:
                m = np.ones(len(starts), bool)
                for k, ch in enumerate(piece):
                    m &= up[:, c0 + k] == CODE[ch]
                hit |= m
            new = hit & (out == 0)
            out[new] = (L - 3) * 4 + _bin(s) + 1
    return out


def features(kept, keys):
    conf = np.zeros(17)
    allc = np.zeros(17)
    cls_of = {}
    for i, s in enumerate(kept["seqs"]):
        for strand in (1, -1):
            cands = s.strands[strand]
            real = np.nonzero(cands.start_type < 3)[0]
            cl = np.zeros(len(cands.start_nt), np.int64)
            cl[real] = classes(s.codes[strand], cands.start_nt[real])
            cls_of[(i, strand)] = cl
            allc += np.bincount(cl[real], minlength=17)
            picked = kept["chosen"].get((i, strand), np.zeros(0, np.int64))
            long_ = picked[((cands.end_nt[picked] - cands.start_nt[picked]) >= MIN_TRAIN) & (cands.start_type[picked] < 3)]
            conf += np.bincount(cl[long_], minlength=17)
    fc = (conf + 1) / (conf + 1).sum()
    fa = (allc + 1) / (allc + 1).sum()
    lo = np.log(fc / fa)
    strong = np.array([c >= 5 for c in range(17)])   # classes of a piece >= 4 b: (L - 3) * 4 + bin + 1 >= 5
    genome = conf[strong].sum() / max(conf.sum(), 1) - allc[strong].sum() / max(allc.sum(), 1)
    out = np.zeros((len(keys), len(NAMES)))
    for n, (i, strand, j) in enumerate(keys):
        st = kept["seqs"][i].strands[strand].start_type[j]
        out[n] = [0.0 if st == 3 else lo[cls_of[(i, strand)][j]], genome]
    return out
