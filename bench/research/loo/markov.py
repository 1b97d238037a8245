"""Idea A of DECISIONS.md: a genome-own, annotation-free periodic Markov coding measure (GeneMark's kind) as three
extra columns of the precision stage (precision.call_features), for research only (not product code).

Per decoded genome (the calls chosen before the stage, kept["chosen"]): coding model = 3-periodic order-4 Markov chain
counted on the chosen calls of >= 600 b in their strand's orientation; non-coding model = homogeneous order-4 chain
counted on both orientations of the bases no chosen call covers; pseudocount 1. Per call [a, b) (strand coordinates):
mk_per_codon = 3 x mean(log Pc(own frame) - log Pn), mk_total = the sum, mk_margin = sum log Pc(own frame) - the best of
the 5 other readings of the span (2 frames of its strand, 3 of the opposite strand).

columns.patch(this module) makes precision.call_features append them."""
import numpy as np

ORDER = 4
MIN_TRAIN = 600
NAMES = ("mk_per_codon", "mk_total", "mk_margin")


def _ctx(codes):
    """(context index 0..4^ORDER-1, valid) per base: the ORDER previous bases and the base itself are A/C/G/T."""
    c = codes.astype(np.int64)
    n = len(c)
    ok = c < 4
    ctx = np.zeros(n, np.int64)
    valid = ok.copy()
    valid[:ORDER] = False
    for j in range(1, ORDER + 1):
        sh = np.zeros(n, np.int64)
        sh[j:] = c[:-j]
        okj = np.zeros(n, bool)
        okj[j:] = ok[:-j]
        ctx = ctx * 4 + np.where(okj, sh, 0)
        valid &= okj
    return ctx, valid, np.where(ok, c, 0)


def _spans(kept, i, strand):
    picked = kept["chosen"].get((i, strand), np.zeros(0, np.int64))
    cands = kept["seqs"][i].strands[strand]
    return picked, cands.start_nt[picked].astype(np.int64), cands.end_nt[picked].astype(np.int64)


def fit_models(kept):
    """(log Pc[3, 4^k, 4], log Pn[4^k, 4]) from kept's chosen calls."""
    nc = 4 ** ORDER
    cod = np.zeros(3 * nc * 4)
    non = np.zeros(nc * 4)
    for i, s in enumerate(kept["seqs"]):
        covered = np.zeros(s.length, bool)
        for strand in (1, -1):
            codes = s.codes[strand]
            ctx, valid, base = _ctx(codes)
            _, a, b = _spans(kept, i, strand)
            phase = np.full(s.length, -1, np.int64)
            for lo, hi in zip(a.tolist(), b.tolist()):
                if strand > 0:
                    covered[lo:hi] = True
                else:
                    covered[s.length - hi:s.length - lo] = True
                if hi - lo >= MIN_TRAIN:
                    phase[lo:hi] = np.arange(hi - lo) % 3
            m = valid & (phase >= 0)
            cod += np.bincount((phase[m] * nc + ctx[m]) * 4 + base[m], minlength=3 * nc * 4)
        for strand in (1, -1):
            codes = s.codes[strand]
            ctx, valid, base = _ctx(codes)
            cov = covered if strand > 0 else covered[::-1]
            m = valid & ~cov
            non += np.bincount(ctx[m] * 4 + base[m], minlength=nc * 4)
    cod = cod.reshape(3, nc, 4) + 1.0
    non = non.reshape(nc, 4) + 1.0
    return np.log(cod / cod.sum(-1, keepdims=True)), np.log(non / non.sum(-1, keepdims=True))


def _cumulative(codes, lpc, lpn):
    """Cumulative log-probability per frame f (phase of base i = (i - f) % 3) and of the non-coding chain."""
    ctx, valid, base = _ctx(codes)
    pos = np.arange(len(codes))
    out = []
    for f in range(3):
        v = np.where(valid, lpc[(pos - f) % 3, ctx, base], 0.0)
        out.append(np.concatenate([[0.0], np.cumsum(v)]))
    v = np.where(valid, lpn[ctx, base], 0.0)
    out.append(np.concatenate([[0.0], np.cumsum(v)]))
    return out


def features(kept, keys):
    """(len(keys), 3) extra columns for precision.call_features' keys."""
    lpc, lpn = fit_models(kept)
    out = np.zeros((len(keys), len(NAMES)))
    by_seq = {}
    for n, (i, strand, j) in enumerate(keys):
        by_seq.setdefault(i, []).append((n, strand, j))
    for i, rows in by_seq.items():
        s = kept["seqs"][i]
        cum = {st: _cumulative(s.codes[st], lpc, lpn) for st in (1, -1)}
        for n, strand, j in rows:
            cands = s.strands[strand]
            a, b = int(cands.start_nt[j]), int(cands.end_nt[j])
            f = a % 3
            c = cum[strand]
            own = c[f][b] - c[f][a]
            non = c[3][b] - c[3][a]
            others = [c[g][b] - c[g][a] for g in range(3) if g != f]
            o = cum[-strand]
            oa, ob = s.length - b, s.length - a
            others += [o[g][ob] - o[g][oa] for g in range(3)]
            out[n] = [3.0 * (own - non) / max(b - a, 1), own - non, own - max(others)]
    return out
