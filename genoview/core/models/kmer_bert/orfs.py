"""The k-mer BERT as the coding scorer of an ORF gene finder (issue 12 item 5).

The BERT labels every base with one of 8 classes (non-genic, genic without CDS, codon position 1-3 of a CDS
on + or -). Read per base, those calls rank bases poorly on genomes unlike its training genome; read along an
open reading frame they add up. Every candidate gene (start codon, or the sequence edge, to the in-frame stop,
both strands, genetic code 11 or 4 detected: ``genoview.core.genecalls``) gets the BERT's frame-consistent
coding evidence, the sum over its bases of log((P(the codon position this ORF gives the base) + e) /
(P(non-genic) + e)), plus an ORF-length prior (how unlikely an open frame that long is by chance at the
genome's GC) and a start-codon prior; the dynamic programme of ``genecalls.choose_genes`` keeps the set of
genes with the largest total score, with bacterial overlaps. No coding statistics are counted on the genome
and nothing is learnt from an annotation: the only coding scorer is the BERT (as Balrog's is its CNN).

Per-genome self-training (``self_training`` rounds, ``hexamer_weight``; issue 12 item 5): the BERT's calls
on the genome teach it the genome's own in-frame hexamer statistics (counted on those calls against all of the
genome's hexamers, both strands, every frame: no annotation), and each round adds ``hexamer_weight`` x a
candidate's summed hexamer log-odds to its BERT score and decodes again, as Prodigal and GeneORF self-train
from long ORFs. With ``upstream_weight``/``start_weight`` each round then also learns the start codons and
the bases around the starts of those calls (against the other starts of their ORFs, ``genecalls._learn_starts``)
and decodes once more with them. The BERT is the teacher (its calls choose what is counted) and remains about
half of every called gene's score (``report["bert_share"]``).

The track: inside a called gene 0.5 + 0.5 x its confidence, elsewhere 0.49 x the BERT's frame-decoded
probability (so 0.5 is the decision point and bases outside the calls are still ranked).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EPSILON = 1e-3           # floor of the class probabilities (as the frame decoder's)


@dataclass
class OrfDecoder:
    """Weights of a candidate gene's score (chosen on the tuning genomes; see the model card)."""

    coding_weight: float = 1.0        # x the BERT's summed coding log-odds over the gene's bases
    centre: str = "none"              # per-genome shift of the per-base log-odds: "none" | "median" (a quantile:)
    centre_quantile: float = 0.5      # which quantile "median" subtracts (0.5: the median; shipped: 0.2)
    length_weight: float = 0.0        # x -log P(an open frame this long by chance)
    start_bonus: tuple = (0.0, -1.0, -1.5, -2.0)   # ATG, GTG, TTG, edge (partial)
    bias: float = 0.0
    clip: float = 4.0                 # per-base log-odds clipped to +-clip
    max_overlap: int = 60
    self_training: int = 0            # rounds of hexamer statistics counted on the genome's own calls (0: none)
    hexamer_weight: float = 0.0       # x a candidate's summed in-frame hexamer log-odds of those statistics
    upstream_weight: float = 0.0      # x the start's upstream (RBS) log-odds learnt on those calls
    start_weight: float = 0.0         # x the start codon's log-odds learnt on those calls (ATG/GTG/TTG)

    @classmethod
    def from_dict(cls, d: dict | None) -> "OrfDecoder":
        d = dict(d or {})
        if "start_bonus" in d:
            d["start_bonus"] = tuple(float(x) for x in d["start_bonus"])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def record_classes(model, codes: np.ndarray, progress=None, cancel=None) -> np.ndarray:
    """(n, 8) float32 class probabilities of every base of ``codes`` (a frame-class KmerBertTrackModel; both
    strands when the model reads both), in chunks of the model's chunk size with its flank."""
    out = np.zeros((len(codes), 8), dtype=np.float32)
    for fraction in iter_record_classes(model, codes, out, cancel=cancel):
        if progress is not None:
            progress(fraction)
    return out


def iter_record_classes(model, codes: np.ndarray, out: np.ndarray, cancel=None):
    """Fill ``out`` ((n, 8) float32) with :func:`record_classes`' probabilities batch by batch, yielding the
    fraction done after each batch (progress while a whole genome is read); ``cancel`` is checked between."""
    from genoview.core.models.kmer_bert.modeling import padded_chunk

    codes = np.asarray(codes, dtype=np.uint8)
    n = len(codes)
    half = model.frame_window // 2
    chunk, batch = model.chunk_size, model.default_batch_size
    starts = list(range(0, n, chunk))
    for i in range(0, len(starts), batch):
        if cancel is not None:
            cancel.check()
        part = starts[i:i + batch]
        x = np.stack([padded_chunk(codes, s, chunk, model.context) for s in part])
        c = model.strand_classes(x)[:, half:half + chunk]
        for row, s in zip(c, part):
            m = min(chunk, n - s)
            out[s:s + m] = row[:m]
        yield min(1.0, (i + len(part)) / max(len(starts), 1))


def _strand_evidence(classes: np.ndarray, strand: int, clip: float) -> np.ndarray:
    """(3, n) per-base log-odds, in that strand's 5'->3' coordinates, that the base is codon position 0/1/2 of
    a CDS on that strand (against non-genic)."""
    c = classes if strand > 0 else classes[::-1]
    first = 2 if strand > 0 else 5
    non = np.log(c[:, 0].astype(np.float64) + EPSILON)
    ev = np.stack([np.log(c[:, first + j].astype(np.float64) + EPSILON) - non for j in range(3)])
    return np.clip(ev, -clip, clip)


def _codon_cumulative(ev: np.ndarray, n_codons: list[int], shift: float) -> list[np.ndarray]:
    """Per frame f: [0, cumsum over codons k of the codon's summed log-odds (bases f+3k..f+3k+2 at positions
    0, 1, 2)] (one more than the frame's codons)."""
    out = []
    for f in range(3):
        m = n_codons[f]
        s = ev[0, f:f + 3 * m:3][:m] + ev[1, f + 1:f + 1 + 3 * m:3][:m] + ev[2, f + 2:f + 2 + 3 * m:3][:m]
        s = s - 3.0 * shift
        cum = np.empty(m + 1)
        cum[0] = 0.0
        np.cumsum(s, out=cum[1:])
        out.append(cum)
    return out


def genome_shift(classes_by_seqid: dict, decoder: OrfDecoder) -> float:
    """Per-genome centre of the per-base coding log-odds (no annotation): with ``centre="median"`` the median
    (``centre_quantile``) over every base, each of its codon positions and both strands: most of those
    readings are not coding in any genome, so the centre is where the BERT puts a genome's non-coding bases."""
    if decoder.centre != "median":
        return 0.0
    values = []
    for classes in classes_by_seqid.values():
        step = max(1, len(classes) // 200_000)
        sample = classes[::step]
        for strand in (1, -1):
            values.append(_strand_evidence(sample, strand, decoder.clip).ravel())
    values = [v for v in values if v.size]   # an empty record (or genome) has no bases to centre on
    return float(np.quantile(np.concatenate(values), decoder.centre_quantile)) if values else 0.0


def call_genes_bert(sequences: dict, classes_by_seqid: dict, decoder: OrfDecoder, genetic_code: int,
                    shift: float | None = None, report: dict | None = None):
    """Gene calls ([genecalls.GeneCall]) from the BERT's class probabilities along every candidate ORF, then
    ``decoder.self_training`` rounds of hexamer statistics counted on the genome's own calls (module doc).
    ``report`` (a dict) receives what the genome taught: rounds run, genes per decoding and each learnt term's
    share (``bert_share``, ``hexamer_share``, ``start_share``: its part of the summed absolute BERT, hexamer and
    start terms over the final calls)."""
    from genoview.core.genecalls import (
        MIN_SELF_TRAINING, _any_equal, _background_hexamers, _gene_hexamer_counts, _log_odds, enumerate_candidates,
        score_coding, stop_chance,
    )

    if shift is None:
        shift = genome_shift(classes_by_seqid, decoder)
    known = sum(int((np.asarray(c) < 4).sum()) for c in sequences.values())
    gc = sum(int(_any_equal(np.asarray(c), (1, 2)).sum()) for c in sequences.values()) / max(known, 1)
    per_codon_stop = -math.log1p(-stop_chance(gc, genetic_code))
    bonus = np.asarray(decoder.start_bonus, dtype=np.float64)
    seqs = enumerate_candidates(sequences, genetic_code)
    scored = {}    # (seq index, strand) -> (BERT score, BERT coding, left, right)
    for i, s in enumerate(seqs):
        classes = classes_by_seqid[s.seqid]
        for strand in (1, -1):
            cands = s.strands[strand]
            ev = _strand_evidence(classes, strand, decoder.clip)
            cum = _codon_cumulative(ev, [len(h) for h in cands.hexamers], shift)
            coding = _orf_sums(cands, cum)
            orf_chance = (cands.k_stop - cands.k_orf) * per_codon_stop
            score = (decoder.coding_weight * coding + decoder.length_weight * orf_chance
                     + bonus[cands.start_type] + decoder.bias)
            start, end = cands.start_nt, cands.end_nt
            left, right = (start, end) if strand > 0 else (s.length - end, s.length - start)
            scored[(i, strand)] = (score, coding, left, right)
    totals = {key: v[0] for key, v in scored.items()}
    chosen = _choose(seqs, scored, totals, decoder.max_overlap)
    rounds = int(decoder.self_training) if decoder.hexamer_weight else 0
    if known < MIN_SELF_TRAINING:   # too little sequence to count a genome's statistics on (as genecalls)
        rounds = 0
    genes = [sum(len(v) for v in chosen.values())]
    hexamer, starts = {}, {}
    if rounds:
        background = _background_hexamers(seqs)
        for _ in range(rounds):
            table = np.append(_log_odds(_gene_hexamer_counts(seqs, chosen), background), 0.0)
            score_coding(seqs, table)
            hexamer = {(i, strand): decoder.hexamer_weight * _orf_sums(cands, cands.codon_scores)
                       for i, s in enumerate(seqs) for strand, cands in s.strands.items()}
            totals = {key: scored[key][0] + hexamer[key] for key in scored}
            chosen = _choose(seqs, scored, totals, decoder.max_overlap)
            genes.append(sum(len(v) for v in chosen.values()))
            if decoder.upstream_weight or decoder.start_weight:
                starts = _start_terms(seqs, chosen, decoder, genetic_code)
                totals = {key: totals[key] + starts[key] for key in scored}
                chosen = _choose(seqs, scored, totals, decoder.max_overlap)
                genes.append(sum(len(v) for v in chosen.values()))
    if report is not None:
        parts = [sum(float(np.abs(term[k][idx]).sum()) for k, idx in chosen.items()) if term else 0.0
                 for term in ({k: decoder.coding_weight * v[1] for k, v in scored.items()}, hexamer, starts)]
        total = max(sum(parts), 1e-12)
        report.update(self_training_rounds=rounds, genes_per_round=genes,
                      **{f"{name}_share": round(part / total, 4)
                         for name, part in zip(("bert", "hexamer", "start"), parts)})
    return _calls(seqs, scored, totals, chosen)


def _start_terms(seqs, chosen: dict, decoder: OrfDecoder, genetic_code: int) -> dict:
    """{(seq index, strand): per-candidate start score}: start-codon and upstream log-odds learnt on the chosen
    genes' starts against the other starts of their ORFs (``genecalls._learn_starts``, as GeneORF's rounds)."""
    from genoview.core.genecalls import CONTEXT, GenomeStatistics, _learn_starts, _upstream_codes

    stats = GenomeStatistics(genetic_code=genetic_code)
    _learn_starts(seqs, chosen, stats)
    out = {}
    for i, s in enumerate(seqs):
        for strand in (1, -1):
            cands = s.strands[strand]
            up = _upstream_codes(cands, s.codes[strand], np.arange(len(cands)))
            upstream = stats.upstream[np.arange(len(CONTEXT))[None, :], up].sum(axis=1)
            upstream[cands.start_type == 3] = 0.0     # a sequence edge has no start to read
            out[(i, strand)] = (decoder.upstream_weight * upstream
                                + decoder.start_weight * stats.start_codon[cands.start_type])
    return out


def _orf_sums(cands, cumulative: list) -> np.ndarray:
    """Per candidate of one strand: its codons' sum of a per-frame cumulative score (start codon to stop)."""
    out = np.zeros(len(cands))
    for f in range(3):
        sel = cands.frame == f
        c = cumulative[f]
        out[sel] = c[np.minimum(cands.k_stop[sel], len(c) - 1)] - c[cands.k_start[sel]]
    return out


def _choose(seqs, scored: dict, totals: dict, max_overlap: int) -> dict:
    """{(seq index, strand): chosen candidate indices}: one DP over both strands of each sequence."""
    from genoview.core.genecalls import choose_genes

    chosen = {}
    for i, _ in enumerate(seqs):
        (_, _, lp, rp), (_, _, lm, rm) = scored[(i, 1)], scored[(i, -1)]
        picked = choose_genes(np.concatenate([lp, lm]), np.concatenate([rp, rm]),
                              np.concatenate([totals[(i, 1)], totals[(i, -1)]]), max_overlap)
        n_plus = len(lp)
        chosen[(i, 1)] = picked[picked < n_plus]
        chosen[(i, -1)] = picked[picked >= n_plus] - n_plus
    return chosen


def _calls(seqs, scored: dict, totals: dict, chosen: dict) -> list:
    from genoview.core.genecalls import START_NAMES, GeneCall

    calls = []
    for (i, strand), idx in chosen.items():
        s, cands = seqs[i], seqs[i].strands[strand]
        _, coding, left, right = scored[(i, strand)]
        for j in idx:
            st = int(cands.start_type[j])
            p5, p3 = st == 3, bool(cands.partial3[j])
            partial = f"{int(p5)}{int(p3)}" if strand > 0 else f"{int(p3)}{int(p5)}"
            calls.append(GeneCall(s.seqid, int(left[j]), int(right[j]), strand, float(totals[(i, strand)][j]),
                                  START_NAMES[st], partial, 0.0, float(coding[j])))
    calls.sort(key=lambda c: (c.seqid, c.start, c.end))
    return calls


def calls_track(calls, length: int, fallback: np.ndarray) -> np.ndarray:
    """Per-base track: 0.5 + 0.5 x confidence of the best call covering the base, else 0.49 x ``fallback``."""
    out = (0.49 * np.clip(np.asarray(fallback, dtype=np.float32), 0.0, 1.0)).astype(np.float32)
    for c in sorted(calls, key=lambda c: c.score):
        out[c.start:c.end] = np.float32(0.5 + 0.5 * c.confidence)
    return out


def decoded_fallback(classes: np.ndarray, frame_window: int, block: int = 262_144) -> np.ndarray:
    """The frame decoder's probability (modeling.decode_frames) of every base, for bases outside calls; in
    blocks of ``block`` bases read with half a window of flank (N-like non-genic padding beyond the ends), so
    memory stays bounded on a whole chromosome."""
    from genoview.core.models.kmer_bert.modeling import decode_frames

    half = frame_window // 2
    n = len(classes)
    out = np.empty(n, dtype=np.float32)
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        padded = np.zeros((hi - lo + 2 * half, 8))
        padded[:, 0] = 1.0
        a, b = max(0, lo - half), min(n, hi + half)
        padded[a - (lo - half):b - (lo - half)] = classes[a:b]
        x = decode_frames(padded[None], frame_window)[0]
        out[lo:hi] = 1.0 / (1.0 + np.exp(-x))
    return out
