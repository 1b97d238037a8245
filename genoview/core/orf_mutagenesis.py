"""Saturation mutagenesis with a self-training ORF gene finder (GeneORF), exact and local.

The genome's self-trained statistics stay fixed (a variant does not retrain them), so a substitution at a
base changes only the candidate ORFs that read it: those whose ORF (previous stop to stop, both strands)
holds the base, whose start context (20 bases upstream) reaches it, or whose other-frame shadow covers it.
For each variant those ORFs are re-enumerated and re-scored on a short slice of the mutated strand (the
slice reaches, in all three frames, a stop codon on each side, so every ORF that reads the base lies in it
whole); many variants' slices are joined, N-separated, and scored in one pass. The gene set is then
re-decoded locally: the dynamic programme of :func:`genecalls.choose_genes` is re-run from the first changed
candidate until its values differ from the reference's by a constant over everything later candidates read
(after that every decision is the reference's), and traced back until it meets the reference's genes again
(under a folder's strand-aware ``overlap_rules`` the same with genecalls.rules_dp's per-strand values,
:meth:`OrfMutagenesis._decode_rules`).
The window's track is rebuilt as :meth:`GeneORFTrackModel.call_genome` builds it (called genes with their
start posterior, graded candidates outside genes, the RNA head outside confident genes), so the result equals
a full re-run with the same statistics (``tests/core/test_variant_effects_orf.py`` checks it).
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np

from genoview.core import genecalls as gc
from genoview.core.jobs import ensure_cancel, ensure_progress, wrap_progress
from genoview.core.models.geneorf.track import OUTSIDE_CEILING, RNA_SKIP_SCORE

UPSTREAM_READ = 20      # a candidate reads this many bases before its start (start context, Shine-Dalgarno)
OUTSIDE_FLOOR = -8.0    # genecalls.candidate_track's floor
SPACER = 6              # N bases between joined slices (an N codon ends every ORF)
CHUNK = 400             # variants scored in one joined pass
TOL = 1e-7              # two DP values are "the same" (sums of a few thousand scores in float64)


def _sigmoid_clipped(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-min(max(score, -50.0), 50.0)))


def _merge_step(i: int, a: int, m: int, rem_set, add: list, s_key) -> tuple[int, bool | None]:
    """One step of the local re-decoding's merge of the reference candidates (less the removed ones, ``rem_set``)
    with the added ones, in sort-key order: (the next reference index kept, whether the next candidate is
    ``add[a]``), or (i, None) when both are used up. The plain and the overlap-rules re-decoding share it."""
    while i < m and i in rem_set:
        i += 1
    take_add = a < len(add) and (i >= m or add[a][0] <= s_key[i])
    if not take_add and i >= m:
        return i, None
    return i, take_add


@dataclass
class _Groups:
    """Candidate ORFs grouped by stop (one group = one ORF with its alternative starts), one strand."""

    strand: int
    starts: list          # per group: member start positions (strand coordinates), ascending
    scores: list          # per group: member scores, in the same order
    end: np.ndarray       # per group: end (strand coordinates, stop included)
    lo: np.ndarray        # per group: first base any member reads (strand coordinates)
    hi: np.ndarray        # per group: one past the last base any member reads


def _group_spans(frame, k_orf, start_nt, end_nt, key):
    """Group index of each candidate, and per group (first base read, one past the last base read)."""
    uniq, group = np.unique(key, return_inverse=True)
    lo = np.full(len(uniq), np.iinfo(np.int64).max)
    prev_stop = frame + 3 * (k_orf - 1)
    np.minimum.at(lo, group, np.minimum(prev_stop, start_nt - UPSTREAM_READ))
    hi = np.zeros(len(uniq), dtype=np.int64)
    np.maximum.at(hi, group, end_nt + 3)     # the other frames' shadow reads one codon past the stop
    return group, lo, hi


def _members(group: np.ndarray, n_groups: int, start_nt: np.ndarray) -> list:
    """Per group: candidate indices ordered by start."""
    order = np.lexsort((start_nt, group))
    bounds = np.searchsorted(group[order], np.arange(n_groups + 1))
    return [order[bounds[g]:bounds[g + 1]] for g in range(n_groups)]


class OrfMutagenesis:
    """The reference state of one sequence of a genome under a GeneORF model, and its variants' window tracks.

    ``sequences``: {seqid: codes} of the whole genome (self-training reads all of it); ``stats``: fixed
    statistics (None: the model's stored ones, else self-trained here, as ``call_genome`` does)."""

    def __init__(self, model, sequences: dict, seqid: str, stats=None, progress=None, cancel=None):
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        self.model = model
        self.seqid = seqid
        self.codes = np.asarray(sequences[seqid], dtype=np.uint8)
        self.n = n = len(self.codes)
        self.scorer = model.model.scorer()
        from genoview.core.models.geneorf import track as geneorf_track

        if hasattr(geneorf_track, "own_columns"):   # score only the features the model was fitted on, as call_genome
            self.scorer = geneorf_track.own_columns(self.scorer, model.model.config.n_features)
        if stats is None:
            stats = model.model.stored_statistics()
        kept: dict = {}
        code = model.model.config.genetic_code
        self.max_overlap = gc.max_overlap_of(model.model.config)
        ref_calls, self.stats = gc.call_genes(sequences, genetic_code=code, weights=self.scorer, stats=stats,
                                              **gc.self_training_of(model.model.config), progress=progress,
                                              cancel=cancel, keep=kept)   # as call_genome calls them
        self.homology = self._homology_genes(sequences, ref_calls)
        self.genetic_code = self.stats.genetic_code
        index = [s.seqid for s in kept["seqs"]].index(seqid)
        seq = kept["seqs"][index]
        self.strand_codes = {1: self.codes, -1: seq.codes[-1]}
        self.score, self.group, self.group_lo, self.group_hi, self.members = {}, {}, {}, {}, {}
        self.start_nt, self.end_nt = {}, {}      # StrandCandidates computes these on every access
        self._groups_cache, self._genes_cache = {}, {}
        self.boundaries = {}
        lefts, rights, scores = [], [], []
        for strand in (1, -1):
            cands = seq.strands[strand]
            _, score, left, right = kept["scored"][(index, strand)]
            self.score[strand] = np.asarray(score, dtype=np.float64)
            self.start_nt[strand], self.end_nt[strand] = cands.start_nt, cands.end_nt
            key = cands.frame * (1 << 40) + cands.k_stop
            group, lo, hi = _group_spans(cands.frame, cands.k_orf, self.start_nt[strand], self.end_nt[strand], key)
            self.group[strand], self.group_lo[strand], self.group_hi[strand] = group, lo, hi
            self.members[strand] = _members(group, len(lo), self.start_nt[strand])
            lefts.append(left)
            rights.append(right)
            scores.append(self.score[strand])
            codon = gc.codon_indices(self.strand_codes[strand])
            bnd = np.isin(codon, gc.STOPS[self.genetic_code]) | (codon == 64)
            bnd[max(n - 2, 0):] = False
            pos = np.flatnonzero(bnd)
            self.boundaries[strand] = [pos[pos % 3 == f] for f in range(3)]
        self.n_plus = len(lefts[0])
        # the reference decoding, as genecalls.choose_genes runs it over both strands
        left, right, score = np.concatenate(lefts), np.concatenate(rights), np.concatenate(scores)
        keep = np.nonzero(score > 0)[0]
        order = keep[np.lexsort((left[keep], right[keep]))]
        self.sid, self.sL, self.sR, self.sS = order, left[order], right[order], score[order]
        self.sKey = self.sR * (n + 1) + self.sL
        m = len(order)
        self.rules = self.max_overlap if isinstance(self.max_overlap, gc.OverlapRules) else None
        if self.rules is not None:   # strand-aware overlap rules (genecalls.rules_dp)
            # reach: below every candidate's length (a variant's re-enumerated ORFs are as long: min_length)
            self.reach = min(int((self.sR - self.sL).min()) if m else gc.MIN_GENE, gc.MIN_GENE) - 1
            strand = np.where(order < self.n_plus, 1, -1)
            self.rdp = gc.rules_dp(self.sL, self.sR, self.sS, strand, self.rules, self.reach)
            chosen = gc.rules_traceback(self.rdp)
            sp, _, sm, _ = self.rdp["reads"]
            self.fromp = np.minimum(np.array(sp, dtype=np.int64), np.array(sm, dtype=np.int64))   # first read
            self.R_l = self.sR.tolist()
        else:
            pred = np.searchsorted(self.sR, self.sL + self.max_overlap, side="right") - 1
            self.fromp = np.minimum(pred, np.arange(m) - 1) + 1
            bu, bua = [0.0] * (m + 1), [-1] * (m + 1)
            sc, fp = self.sS.tolist(), self.fromp.tolist()
            for j in range(m):
                with_j = sc[j] + bu[fp[j]]
                if with_j > bu[j]:
                    bu[j + 1], bua[j + 1] = with_j, j
                else:
                    bu[j + 1], bua[j + 1] = bu[j], bua[j]
            self.bu, self.bua = np.array(bu), np.array(bua, dtype=np.int64)
            self.fromp_l, self.bu_l, self.bua_l = fp, bu, bua
            chosen = []
            j = bua[m]
            while j >= 0:
                chosen.append(j)
                j = bua[fp[j]]
            chosen = chosen[::-1]
        self.chosen_pos = np.array(chosen, dtype=np.int64)
        self.chosen_flag = np.zeros(m, dtype=bool)
        self.chosen_flag[self.chosen_pos] = True
        self.sufmin = np.append(np.minimum.accumulate(self.fromp[::-1])[::-1], m + 1)
        # each chosen gene's reach on the forward strand: start_posterior_track spreads its start posterior over
        # every start of its ORF, so its track can run far before the chosen start (the longest form's start)
        self.reach_lo, self.reach_hi = self.sL[self.chosen_pos].copy(), self.sR[self.chosen_pos].copy()
        for k, q in enumerate(self.chosen_pos.tolist()):
            strand, idx = self._split(int(self.sid[q]))
            first = int(self.start_nt[strand][self.members[strand][int(self.group[strand][idx])][0]])
            if strand > 0:
                self.reach_lo[k] = first
            else:
                self.reach_hi[k] = n - first
        self.position_of = {int(c): p for p, c in enumerate(order.tolist())}
        # the precision stage, when its dropped calls leave the track (precision.in_track): per-call features
        from genoview.core.models.geneorf import precision

        spec = getattr(model.model.config, "call_filter", None)
        self.filter = spec if precision.in_track(spec) else None
        if self.filter:
            self._prepare_filter(kept, index, seq)
        progress(1.0, None)

    def _prepare_filter(self, kept: dict, index: int, seq) -> None:
        """The reference's dropped calls of this sequence and what a variant's calls' features are read from:
        the candidate columns of every positively scored candidate, each strand's ORF shadow tables (longest
        forms), the G/C flags of each strand."""
        from genoview.core.models.geneorf import precision

        gone = precision.dropped_calls(self.filter, kept, self.stats.gc)
        self.ref_dropped = {(a, b, st) for sid, a, b, st in gone if sid == self.seqid}
        self.filter_cols = [gc.FEATURES.index(name) for name in precision._FROM_CANDIDATE]
        self.filter_rows, self.shadow = {}, {}
        for strand in (1, -1):
            cands = seq.strands[strand]
            feats = kept["scored"][(index, strand)][0]
            pos = np.flatnonzero(self.score[strand] > 0)
            self.filter_rows[strand] = (pos, feats[pos][:, self.filter_cols])
            self.shadow[strand] = precision.shadow_tables(cands, self.score[strand], gc._longest_per_orf(cands, 0))
        self.is_gc = {s: gc._any_equal(self.strand_codes[s], (1, 2)) for s in (1, -1)}
        self._area_cache: dict = {}

    # ------------------------------------------------------------------ helpers
    def _homology_genes(self, sequences: dict, calls: list) -> list:
        """[(start, end, confidence)] of the RNA genes found by homology on this sequence, as call_genome
        finds them (rna_homology.apply_rna_homology: outside protein calls scoring above 3). A variant's are
        :meth:`_variant_homology`'s: a substitution that changes a seed can move a gene's end or change its
        cover (confidence), so those are found again around it; the protein calls that decide which bases are
        read stay the reference's."""
        references = getattr(self.model, "rna_references", None)
        if not references:
            return []
        from genoview.core.models.geneorf.rna_homology import SubstitutionHomology, protein_covered

        covered = protein_covered(calls, self.seqid, self.n, RNA_SKIP_SCORE)   # as call_genome's apply_rna_homology
        # as rna_gene_calls finds them; a substitution that changes a seed moves or rescores a gene: found again
        # near it (SubstitutionHomology.after, exact)
        self._homology_local = SubstitutionHomology(self.codes, references, covered)
        return self._as_track_genes(self._homology_local.genes)

    @staticmethod
    def _as_track_genes(hits) -> list:
        return [(h.start, h.end, np.float32(gc.GeneCall("", 0, 0, 1, h.score, "").confidence)) for h in hits]

    def _variant_homology(self, p: int, base: int) -> list:
        """[(start, end, confidence)] of the RNA genes by homology with base p changed."""
        local = getattr(self, "_homology_local", None)
        if local is None:
            return self.homology
        genes = local.after(p, base)
        if genes is local.genes:
            return self.homology
        return self._as_track_genes(genes)

    def chosen_candidates(self) -> list[tuple[int, int]]:
        """(strand, candidate index) of the reference's genes of this sequence."""
        return [self._split(int(self.sid[p])) for p in self.chosen_pos]

    def _split(self, cid: int) -> tuple[int, int]:
        return (1, cid) if cid < self.n_plus else (-1, cid - self.n_plus)

    def _forward(self, strand: int, a, b):
        return (a, b) if strand > 0 else (self.n - b, self.n - a)

    def _rna_head_off(self) -> bool:
        return float(self.model.model.config.rna_threshold) >= 1.0

    def _rna_p0(self, codes: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """P(no RNA gene) from the RNA head for bases [lo, hi) of ``codes`` (the genome, possibly mutated)."""
        from genoview.core.models.geneorf.rna import rna_probabilities

        if self._rna_head_off():   # its evidence is never used (call_genome does not run it either)
            return np.ones(hi - lo, dtype=np.float32)
        head = self.model.model.rna
        r = head.radius + 8
        a, b = max(0, lo - r), min(self.n, hi + r)
        return rna_probabilities(head, codes[a:b])[0, lo - a:hi - a]

    # ------------------------------------------------------------------ windows
    def _ref_gene(self, pos: int) -> tuple:
        """A reference decoding element (sorted position) as a gene: (strand, member starts, member scores,
        end, score, left, right); starts/end in strand coordinates, left/right on the forward strand."""
        gene = self._genes_cache.get(pos)
        if gene is None:
            strand, idx = self._split(int(self.sid[pos]))
            starts, scores, end = self._ref_group(strand, int(self.group[strand][idx]))
            gene = (strand, starts, scores, end, float(self.score[strand][idx]), int(self.sL[pos]), int(self.sR[pos]),
                    ("ref", strand, idx))
            self._genes_cache[pos] = gene
        return gene

    def _ref_group(self, strand: int, g: int):
        """(member starts, member scores, end) of a reference group, strand coordinates, by start."""
        found = self._groups_cache.get((strand, g))
        if found is None:
            m = self.members[strand][g]
            found = (self.start_nt[strand][m], self.score[strand][m], int(self.end_nt[strand][m[0]]))
            self._groups_cache[(strand, g)] = found
        return found

    def prepare_window(self, start: int, end: int) -> np.ndarray:
        """Reference pieces for the window [start, end) of the forward strand; returns its reference track."""
        self.w0, self.w1 = start, end
        self.region = ra, rb = (max(0, start - 90), min(self.n, end + 90))   # what the RNA rule looks at
        self.near, self.region_groups = {}, {}
        for strand in (1, -1):
            ws, we = (start, end) if strand > 0 else (self.n - end, self.n - start)
            self.near[strand] = np.flatnonzero((self.group_lo[strand] <= we) & (self.group_hi[strand] > ws))
            sa, sb = (ra, rb) if strand > 0 else (self.n - rb, self.n - ra)
            first = np.array([m[0] for m in self.members[strand]], dtype=np.int64)
            if len(first):
                gs, ge = self.start_nt[strand][first], self.end_nt[strand][first]
                self.region_groups[strand] = np.flatnonzero((gs < sb) & (ge > sa)).tolist()
            else:
                self.region_groups[strand] = []
        overlap = ((self.sL[self.chosen_pos] < rb) & (self.sR[self.chosen_pos] > ra)) | \
            ((self.reach_lo < end) & (self.reach_hi > start))
        self.region_chosen = self.chosen_pos[overlap].tolist()
        self.ref_p0 = self._rna_p0(self.codes, start, end)
        genes = [self._ref_gene(p) for p in self.region_chosen]
        posterior = genes if not self.filter else [g for g in genes if (g[5], g[6], g[0]) not in self.ref_dropped]
        self.reference_track = self._assemble(set(), [], posterior, self._pieces(genes), self.ref_p0)
        return self.reference_track

    def _reaches_window(self, gene: tuple) -> bool:
        """Whether a gene's track (its start posterior over every start of its ORF: from the longest form's start
        to the stop, start_posterior_track) reaches the window."""
        a, b = self._forward(gene[0], int(gene[1][0]), int(gene[3]))
        return b > self.w0 and a < self.w1

    def _pieces(self, genes: list) -> np.ndarray:
        """Bool per window base: read by the RNA head (rna_probabilities_outside: runs of at least 60 bases
        outside genes called above RNA_SKIP_SCORE, 30 bases around)."""
        from genoview.core.inference import runs_above

        w0, w1 = self.w0, self.w1
        ra, rb = self.region
        covered = np.zeros(rb - ra, dtype=bool)
        for gene in genes:
            score, left, right = gene[4], gene[5], gene[6]
            if score > RNA_SKIP_SCORE:
                lo, hi = max(left, ra), min(right, rb)
                if hi > lo:
                    covered[lo - ra:hi - ra] = True
        pieces = np.zeros(w1 - w0, dtype=bool)
        starts_, ends_ = runs_above((~covered).astype(np.float32), 0.5)
        wide = ends_ - starts_ >= 60
        for a, b in zip((starts_[wide] + ra - 30).tolist(), (ends_[wide] + ra + 30).tolist()):
            lo, hi = max(a, w0), min(b, w1)
            if hi > lo:
                pieces[lo - w0:hi - w0] = True
        return pieces

    def _assemble(self, affected: set, new_groups: list, genes: list, pieces: np.ndarray, p0: np.ndarray,
                  homology: list | None = None) -> np.ndarray:
        """The window's float32 track as ``call_genome`` makes it: ``affected`` (strand, group) reference
        groups replaced by ``new_groups`` [(strand, starts, scores, end)]; ``genes``: the decoded genes that
        overlap the region or reach the window (see :meth:`_ref_gene`); ``p0``: the RNA head's P(none) over the
        window."""
        w0, w1 = self.w0, self.w1
        track = np.zeros(w1 - w0, dtype=np.float32)
        outside = np.zeros(w1 - w0, dtype=np.float32)
        groups = [(s, *self._ref_group(s, g)) for s in (1, -1) for g in self.region_groups[s]
                  if (s, g) not in affected]
        for strand, starts, scores, end, *_ in groups + new_groups:   # each ORF's longest form (candidate_track)
            if scores[0] > OUTSIDE_FLOOR:
                a, b = self._forward(strand, int(starts[0]), end)
                lo, hi = max(a, w0), min(b, w1)
                if hi > lo:
                    p = np.float32(1.0 / (1.0 + np.exp(-scores[0])))
                    np.maximum(outside[lo - w0:hi - w0], p, out=outside[lo - w0:hi - w0])
        for strand, starts, scores, end, score, left, right, *_ in genes:   # start_posterior_track
            if not self._reaches_window((strand, starts, scores, end)):
                continue
            z = scores - scores.max()
            w = np.exp(z)
            w /= w.sum()
            cover = np.cumsum(w) * _sigmoid_clipped(score)
            bounds = np.append(starts, end)
            for k in range(len(starts)):
                a, b = int(bounds[k]), int(bounds[k + 1])
                if b <= a:
                    continue
                a, b = self._forward(strand, a, b)
                lo, hi = max(a, w0), min(b, w1)
                if hi > lo:
                    np.maximum(track[lo - w0:hi - w0], np.float32(cover[k]), out=track[lo - w0:hi - w0])
        inside = track >= 0.5
        graded = np.minimum(np.maximum(outside, 0.0), OUTSIDE_CEILING)
        track[~inside] = graded[~inside]
        threshold = float(self.model.model.config.rna_threshold)
        if threshold < 1.0:   # the RNA head, read only outside confident genes (rna_probabilities_outside)
            probs0 = np.where(pieces, p0, np.float32(1.0))
            p = np.clip(1.0 - probs0, 1e-6, 1 - 1e-6)
            shift = np.log(threshold / (1 - threshold))
            p_rna = (1.0 / (1.0 + np.exp(-(np.log(p / (1 - p)) - shift)))).astype(np.float32)
            np.maximum(track, p_rna, out=track)
        for a, b, confidence in self.homology if homology is None else homology:   # call_genome's last step
            lo, hi = max(a, w0), min(b, w1)
            if hi > lo:
                np.maximum(track[lo - w0:hi - w0], confidence, out=track[lo - w0:hi - w0])
        return track

    # ------------------------------------------------------------------ variants
    def _slice(self, strand: int, q: int) -> tuple[int, int]:
        """[La, Ra) of the strand holding every ORF that can read base q: in each frame the last boundary
        (stop or N codon) at least 6 bases before q and the first at least 21 bases after (those are not
        changed by q), with room for the start context and the shadow read."""
        lefts, rights = [], []
        for pos in self.boundaries[strand]:
            i = np.searchsorted(pos, q - 6, side="right") - 1
            lefts.append(int(pos[i]) if i >= 0 else None)
            k = np.searchsorted(pos, q + 21, side="left")
            rights.append(int(pos[k]) if k < len(pos) else None)
        la = 0 if None in lefts else max(0, min(lefts) - UPSTREAM_READ - 4)
        la -= la % 3
        ra = self.n if None in rights else min(self.n, max(rights) + 12)
        return la, ra

    def _score_slices(self, jobs: list, alone: bool = False) -> list:
        """Per job (strand, La, Ra, q, base): the groups of the mutated strand that read q, as
        [(strand, member starts, member scores, end)] in strand coordinates, scored in one joined pass."""
        pieces = {1: [], -1: []}
        offsets = {1: [], -1: []}
        which = {1: [], -1: []}
        at = {1: 0, -1: 0}
        for k, (strand, la, ra, q, base) in enumerate(jobs):
            piece = self.strand_codes[strand][la:ra].copy()
            piece[q - la] = base
            offsets[strand].append(at[strand])
            which[strand].append(k)
            pieces[strand].append(piece)
            gap = 0 if alone else SPACER + (-(len(piece) + SPACER)) % 3
            pieces[strand].append(np.full(gap, 4, dtype=np.uint8))
            at[strand] += len(piece) + gap
        codes = {s: np.concatenate(pieces[s]) if pieces[s] else np.zeros(0, np.uint8) for s in (1, -1)}
        cands = {s: gc.strand_candidates(codes[s], self.genetic_code) for s in (1, -1)}
        joined = gc.SequenceCandidates("variants", len(codes[1]), cands, codes)
        gc.score_coding([joined], self.stats.coding, self.stats.codon_usage)
        scored = gc._all_scored([joined], self.stats, self.scorer)
        out = [[] for _ in jobs]
        for s in (1, -1):
            c = cands[s]
            if not len(c) or not which[s]:
                continue
            score = np.asarray(scored[(0, s)][1], dtype=np.float64)
            offs = np.array(offsets[s])
            la = np.array([jobs[k][1] for k in which[s]])
            q = np.array([jobs[k][3] for k in which[s]])
            start_nt, end_nt = c.start_nt, c.end_nt
            v = np.searchsorted(offs, start_nt, side="right") - 1
            key = c.frame * (1 << 40) + c.k_stop
            group, lo, hi = _group_spans(c.frame, c.k_orf, start_nt, end_nt, key)
            gv = np.zeros(len(lo), dtype=np.int64)
            gv[group] = v
            shift = (la - offs)[gv]
            hit = np.flatnonzero((lo + shift <= q[gv]) & (q[gv] < hi + shift))
            if not len(hit):
                continue
            members = _members(group, len(lo), start_nt)
            feats = scored[(0, s)][0] if self.filter else None
            for g in hit.tolist():
                m = members[g]
                d = int(shift[g])
                rows = feats[m][:, self.filter_cols] if feats is not None else None
                out[which[s][gv[g]]].append((s, start_nt[m] + d, score[m], int(end_nt[m[0]]) + d, rows))
        return out

    def _rna_p0_batch(self, variants: list, need: list) -> list:
        """P(no RNA gene) over the window for each variant (p, base): the reference's except within the RNA
        head's reach of p, recomputed there. Interior variants' tiles are joined end to end and read in one
        pass: an output more than the head's radius from its tile's ends reads only its own tile."""
        from genoview.core.models.geneorf.rna import rna_probabilities

        head = self.model.model.rna
        r = head.radius + 8
        w0, w1 = self.w0, self.w1
        out = [self.ref_p0.copy() for _ in variants]
        if self._rna_head_off():
            return out
        tiles, where = [], []
        for k, (p, base) in enumerate(variants):
            if not need[k]:
                continue
            lo, hi = max(w0, p - r), min(w1, p + r + 1)
            if p - 2 * r >= 0 and p + 2 * r + 1 <= self.n:
                tile = self.codes[p - 2 * r:p + 2 * r + 1].copy()
                tile[2 * r] = base
                tiles.append(tile)
                where.append((k, lo, hi))
            else:
                a, b = max(0, lo - r), min(self.n, hi + r)
                local = self.codes[a:b].copy()
                local[p - a] = base
                out[k][lo - w0:hi - w0] = rna_probabilities(head, local)[0, lo - a:hi - a]
        if tiles:
            probs = rna_probabilities(head, np.concatenate(tiles))[0]
            size = 4 * r + 1
            for t, (k, lo, hi) in enumerate(where):
                first = variants[k][0] - 2 * r        # genome position of the tile's first base
                out[k][lo - w0:hi - w0] = probs[t * size + lo - first:t * size + hi - first]
        return out

    def variant_tracks(self, variants: list, progress=None, cancel=None) -> list:
        """Window tracks (float32) of the mutated genome for each substitution (position, base code)."""
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        out = []
        for b in range(0, len(variants), CHUNK):
            cancel.check()
            part = variants[b:b + CHUNK]
            jobs, edge = [], []
            for k, (p, base) in enumerate(part):
                two = []
                for strand in (1, -1):
                    q, code = (p, base) if strand > 0 else (self.n - 1 - p, 3 - base)
                    la, ra = self._slice(strand, q)
                    two.append((strand, la, ra, q, code))
                if any(j[1] == 0 or j[2] == self.n for j in two):
                    edge.append((k, two))
                else:
                    jobs += two
            scored = self._score_slices(jobs) if jobs else []
            groups = [[] for _ in part]
            k = 0
            for i in range(len(part)):
                if edge and any(e[0] == i for e in edge):
                    continue
                groups[i] = scored[2 * k] + scored[2 * k + 1]
                k += 1
            for i, two in edge:
                res = [self._score_slices([j], alone=True)[0] for j in two]
                groups[i] = res[0] + res[1]
            r = self.model.model.rna.radius + 8
            decoded = [self._variant_genes(p, groups[i], base) for i, (p, base) in enumerate(part)]
            need = [bool(pieces[max(0, p - r - self.w0):max(0, p + r + 1 - self.w0)].any())
                    for (p, _), (_, _, _, pieces) in zip(part, decoded)]
            p0s = self._rna_p0_batch(part, need)
            for (affected, new_groups, genes, pieces), p0, (p, base) in zip(decoded, p0s, part):
                out.append(self._assemble(affected, new_groups, genes, pieces, p0, self._variant_homology(p, base)))
            progress(min(1.0, (b + len(part)) / max(len(variants), 1)),
                     f"{b + len(part):,}/{len(variants):,} variants")
        return out

    def _variant_genes(self, p: int, new_groups: list, new_base: int | None = None) -> tuple:
        """(replaced reference groups, the variant's groups, decoded genes near the window that stay after the
        precision stage when it shapes the track, RNA pieces (read from every decoded gene))."""
        affected, rem = set(), []
        for strand in (1, -1):
            q = p if strand > 0 else self.n - 1 - p
            near = self.near[strand]
            hit = near[(self.group_lo[strand][near] <= q) & (q < self.group_hi[strand][near])]
            base = 0 if strand > 0 else self.n_plus
            for g in hit.tolist():
                affected.add((strand, g))
                for m in self.members[strand][g].tolist():
                    pos = self.position_of.get(base + m)
                    if pos is not None:
                        rem.append(pos)
        add = []
        for strand, starts, scores, end, *rows in new_groups:
            for k in np.flatnonzero(scores > 0).tolist():
                left, right = self._forward(strand, int(starts[k]), end)
                row = rows[0][k] if rows and rows[0] is not None else None
                add.append((right * (self.n + 1) + left, left, right, float(scores[k]),
                            (strand, starts, scores, end, float(scores[k]), left, right, ("new", row))))
        add.sort(key=lambda a: a[0])
        self._walk = None
        genes = self._decode(sorted(rem), add)
        posterior = genes
        if self.filter:
            posterior = self._after_filter(genes, affected, new_groups, p, new_base)
        return affected, new_groups, posterior, self._pieces(genes)

    # ------------------------------------------------------------------ the precision stage of a variant
    def _after_filter(self, genes: list, affected: set, new_groups: list, p: int, base: int) -> list:
        """``genes`` less those the precision stage drops in the variant (precision.call_features read for the
        genes that reach the window: their candidate columns, the shadows of the variant's ORFs over them,
        their neighbours among the variant's calls, the G/C of their codon positions with base p changed)."""
        from genoview.core.models.geneorf import precision

        near = [g for g in genes if self._reaches_window(g)]
        if not near:
            return genes
        spans = self._variant_spans()
        old = {1: [[], [], []], -1: [[], [], []]}   # per strand and frame: (lo, hi, p) of replaced longest forms
        new = {1: [[], [], []], -1: [[], [], []]}
        for strand, g in affected:
            m0 = int(self.members[strand][g][0])
            lo, hi = int(self.start_nt[strand][m0]), int(self.end_nt[strand][m0])
            old[strand][lo % 3].append((lo, hi, float(precision._sigmoid(self.score[strand][m0]))))
        for strand, starts, scores, end, *_ in new_groups:
            lo = int(starts[0])
            new[strand][lo % 3].append((lo, int(end), float(precision._sigmoid(scores[0]))))
        rows = []
        for g in near:
            strand, left, right, ident = g[0], g[5], g[6], g[7]
            if ident[0] == "ref":
                pos, table = self.filter_rows[strand]
                cand = table[int(np.searchsorted(pos, ident[2]))]
            else:
                cand = ident[1]
            a, b = (left, right) if strand > 0 else (self.n - right, self.n - left)
            areas = self._reference_areas(strand, a, b)
            same = [self._shadow_mean(strand, f, a, b, areas[f], old, new) for f in range(3)]
            same[a % 3] = 0.0
            opp = [self._shadow_mean(-strand, f, self.n - b, self.n - a, areas[3 + f], old, new) for f in range(3)]
            own = [g[4], *cand.tolist(), max(opp), max(same)]
            flags = self.is_gc[strand][a:b]
            q = p if strand > 0 else self.n - 1 - p
            if base is not None and a <= q < b:
                flags = flags.copy()
                flags[q - a] = (base if strand > 0 else 3 - base) in (1, 2)
            n = spans.index((left, right, strand))
            rows.append(precision.call_row(own, precision.neighbour_features(spans, n),
                                           precision.gc_positions(flags), self.stats.gc))
        x = np.nan_to_num(np.array(rows, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        drop = precision.filter_probability(self.filter, x) < float(self.filter["cut"])
        gone = {id(g) for g, d in zip(near, drop.tolist()) if d}
        return [g for g in genes if id(g) not in gone]

    def _reference_areas(self, strand: int, a: int, b: int) -> list:
        """The reference's ORF area over the call [a, b) (strand coordinates) in each frame of its strand, then
        of the opposite strand (cached: a window's variants read the same calls again and again)."""
        from genoview.core.models.geneorf import precision

        key = (strand, a, b)
        found = self._area_cache.get(key)
        if found is None:
            if len(self._area_cache) > 100_000:
                self._area_cache.clear()
            found = [float(precision.shadow_area(self.shadow[strand][f], a, b)) for f in range(3)]
            found += [float(precision.shadow_area(self.shadow[-strand][f], self.n - b, self.n - a)) for f in range(3)]
            self._area_cache[key] = found
        return found

    def _shadow_mean(self, strand: int, f: int, a: int, b: int, area: float, old: dict, new: dict) -> float:
        """Mean gene probability over [a, b) of the frame's ORFs in the variant: the reference's ``area``, less
        the ORFs it replaced, plus its own (precision._shadow_means)."""
        for sign, items in ((-1.0, old[strand][f]), (1.0, new[strand][f])):
            for lo, hi, prob in items:
                overlap = min(hi, b) - max(lo, a)
                if overlap > 0:
                    area += sign * prob * overlap
        return area / max(b - a, 1)

    def _variant_spans(self) -> list:
        """Sorted (left, right, strand) of the variant's calls around the window: the reference's outside the
        stretch the local decoding rewrote, and the genes it traced there (``self._walk`` from _decode)."""
        cp = self.chosen_pos
        if not len(cp):
            idx = [0, 0]
        else:
            idx = [int(np.searchsorted(cp, self.region_chosen[0])) if self.region_chosen else
                   int(np.searchsorted(self.sR[cp], self.region[0]))]
            idx.append(int(np.searchsorted(cp, self.region_chosen[-1])) + 1 if self.region_chosen else idx[0])
        rejoin, ic, walked = self._walk if self._walk is not None else (None, None, [])
        if rejoin is not None:
            idx[0] = min(idx[0], int(np.searchsorted(cp, max(rejoin, 0))))
            idx[1] = max(idx[1], int(np.searchsorted(cp, ic)))
        spans = []
        for q in cp[max(0, idx[0] - 4):idx[1] + 4].tolist():
            if rejoin is None or q <= rejoin or q >= ic:
                strand = 1 if int(self.sid[q]) < self.n_plus else -1
                spans.append((int(self.sL[q]), int(self.sR[q]), strand))
        spans += [(g[5], g[6], g[0]) for g in walked]
        spans.sort()
        return spans

    def _decode(self, rem: list, add: list) -> list:
        """The decoded genes overlapping the region (or reaching the window) after removing reference elements
        ``rem`` (sorted positions) and adding ``add`` [(key, left, right, score, gene)], sorted by key."""
        ra, rb = self.region
        if not rem and not add:
            return [self._ref_gene(p) for p in self.region_chosen]
        if self.rules is not None:
            return self._decode_rules(rem, add)
        sR, sL, sS, sKey = self.sR, self.sL, self.sS, self.sKey
        bu, bua, fromp = self.bu_l, self.bua_l, self.fromp_l
        m = len(sR)
        rem_set = set(rem)
        rem_r = [int(sR[p]) for p in rem]
        add_r = [a[2] for a in add]
        ins = [int(np.searchsorted(sKey, a[0], side="left")) for a in add]
        j0 = min(rem[0] if rem else m, ins[0] if ins else m)
        last_change = max(rem[-1] + 1 if rem else 0, ins[-1] if ins else 0)

        def count_new(x):
            return (int(np.searchsorted(sR, x, side="right")) - bisect.bisect_right(rem_r, x)
                    + bisect.bisect_right(add_r, x))

        nbu, nbua, nfromp, nid = [bu[j0]], [bua[j0]], [], []

        def bu_new(x):
            return bu[x] if x <= j0 else nbu[x - j0]

        i, a, j = j0, 0, j0
        shift = None
        run_start, prev_d = None, None
        jc = ic = None
        while True:
            i, take_add = _merge_step(i, a, m, rem_set, add, sKey)
            if take_add is None:
                break
            if take_add:
                _, left, right, score, gene = add[a]
                ident = ("new", a)
                a += 1
            else:
                left, right, score = int(sL[i]), int(sR[i]), float(sS[i])
                ident = ("ref", i)
            pred = count_new(left + self.max_overlap) - 1
            fp = min(pred, j - 1) + 1
            with_j = score + bu_new(fp)
            cur = nbu[-1]
            if with_j > cur:
                nbu.append(with_j)
                nbua.append(j)
            else:
                nbu.append(cur)
                nbua.append(nbua[-1])
            nfromp.append(fp)
            nid.append(ident)
            j += 1
            if not take_add:
                i += 1
                if a >= len(add) and i >= last_change:
                    shift = j - i
                    d = nbu[-1] - bu[i]
                    if prev_d is None or abs(d - prev_d) > TOL:
                        run_start = j
                    prev_d = d
                    if self.sufmin[i] + shift >= run_start:
                        jc, ic = j, i
                        break
        if jc is None:           # ran to the end: everything after j0 was recomputed
            jc, ic = j, m
            shift = j - m

        def bua_new(x):
            if x <= j0:
                return bua[x]
            if x <= jc:
                return nbua[x - j0]
            r = bua[x - shift]
            return r + shift if r >= ic else nbua[jc - j0]

        tail = self.chosen_pos[self.chosen_pos >= ic]
        x = fromp[int(tail[0])] + shift if len(tail) else m + shift
        walked = []
        rejoin = -1
        jj = bua_new(x)
        while jj >= 0:
            if jj < j0:
                if self.chosen_flag[jj]:
                    rejoin = jj
                    break
                walked.append(("ref", jj))
                jj = bua[fromp[jj]]
            elif jj < jc:
                walked.append(nid[jj - j0])
                jj = bua_new(nfromp[jj - j0])
            else:
                walked.append(("ref", jj - shift))
                jj = bua_new(fromp[jj - shift] + shift)
        genes = [self._ref_gene(p) for p in self.region_chosen if not rejoin < p < ic]
        traced = []
        for kind, k in walked:
            gene = self._ref_gene(k) if kind == "ref" else add[k][4]
            traced.append(gene)
            if (gene[5] < rb and gene[6] > ra) or self._reaches_window(gene):
                genes.append(gene)
        self._walk = (rejoin, ic, traced)   # the precision stage reads the variant's calls around the window
        return genes

    def _decode_rules(self, rem: list, add: list) -> list:
        """_decode under strand-aware overlap rules (genecalls.rules_dp): the same local re-run, with chain values G
        and per-strand prefix maxima Fp/Fm in place of one best-so-far. From the first changed candidate the DP is
        re-run until, past the last change, G, Fp and Fm all differ from the reference's by one constant d over
        everything the later candidates read (their first read, self.sufmin); after that every later value is
        the reference's + d and every decision the reference's. Traced back from the first reference gene after
        that point (its predecessor read again) until it meets the reference's genes."""
        ra, rb = self.region
        rd = self.rdp
        G, P, Fp, Fpa, Fm, Fma, Lr, Dr = (rd[k] for k in ("G", "P", "Fp", "Fpa", "Fm", "Fma", "L", "D"))
        Rr, Sr, sKey, rules = self.R_l, rd["S"], self.sKey, self.rules
        m = len(Rr)
        rem_set = set(rem)
        rem_r = [Rr[p] for p in rem]
        add_r = sorted(a[2] for a in add)
        ins = [int(np.searchsorted(sKey, a[0], side="left")) for a in add]
        j0 = min(rem[0] if rem else m, ins[0] if ins else m)
        last_change = max(rem[-1] + 1 if rem else 0, ins[-1] if ins else 0)
        reach = self.reach
        shortest = min((a[2] - a[1] for a in add), default=reach + 1)
        early = shortest > reach          # else: run to the end (reads would differ from the reference's)
        if not early:
            reach = shortest - 1

        def count_new(x):
            return bisect.bisect_right(Rr, x) - bisect.bisect_right(rem_r, x) + bisect.bisect_right(add_r, x)

        nG, nP, nL, nD, nid = [], [], [], [], []
        nFp, nFpa, nFm, nFma = [Fp[j0]], [Fpa[j0]], [Fm[j0]], [Fma[j0]]
        state = {"jc": None, "ic": None, "shift": 0, "d": 0.0}

        def F_at(s, x):
            pf, pa, nf, na = (Fp, Fpa, nFp, nFpa) if s > 0 else (Fm, Fma, nFm, nFma)
            if x <= j0:
                return pf[x], pa[x]
            if x - j0 < len(nf):
                return nf[x - j0], na[x - j0]
            jc, ic, shift = state["jc"], state["ic"], state["shift"]
            r = pa[x - shift]
            return pf[x - shift] + state["d"], (r + shift if r >= ic else na[jc - j0])

        def at(ref, new, plus=False):
            def get(p):
                if p < j0:
                    return ref[p]
                if p - j0 < len(new):
                    return new[p - j0]
                v = ref[p - state["shift"]]
                return v + state["d"] if plus else v
            return get

        G_at, L_at, D_at = at(G, nG, True), at(Lr, nL), at(Dr, nD)

        def reads_of(left, right, strand):
            before = count_new(right - 1)
            out = []
            for s in (1, -1):
                al = rules.allowance(s, strand)
                full = min(count_new(left + al), before)
                out += [min(count_new(left + min(al, reach)), full), full]
            return out

        i, a, j = j0, 0, j0
        run_start, prev_d = None, None
        jc = ic = None
        while True:
            i, take_add = _merge_step(i, a, m, rem_set, add, sKey)
            if take_add is None:
                break
            if take_add:
                _, left, right, score, gene = add[a]
                strand = gene[0]
                ident = ("new", a)
                a += 1
            else:
                left, right, score, strand = Lr[i], Rr[i], Sr[i], Dr[i]
                ident = ("ref", i)
            best, arg = gc.rules_best(left, reads_of(left, right, strand), F_at, G_at, L_at, D_at)
            g = score + best
            nG.append(g)
            nP.append(arg)
            nL.append(left)
            nD.append(strand)
            nid.append(ident)
            up, ua, other, oa = (nFp, nFpa, nFm, nFma) if strand > 0 else (nFm, nFma, nFp, nFpa)
            if g > up[-1]:
                up.append(g)
                ua.append(j)
            else:
                up.append(up[-1])
                ua.append(ua[-1])
            other.append(other[-1])
            oa.append(oa[-1])
            j += 1
            if not take_add:
                i += 1
                if early and a >= len(add) and i >= last_change:
                    shift = j - i
                    d = g - G[i - 1]
                    same = abs(nFp[-1] - Fp[i] - d) <= TOL and abs(nFm[-1] - Fm[i] - d) <= TOL
                    if not same or prev_d is None or abs(d - prev_d) > TOL:
                        run_start = j if same else None
                    prev_d = d if same else None
                    if run_start is not None and self.sufmin[i] + shift >= run_start:
                        jc, ic = j, i
                        break
        if jc is None:           # ran to the end: everything after j0 was recomputed
            jc, ic = j, m
            prev_d = 0.0
        state.update(jc=jc, ic=ic, shift=jc - ic, d=prev_d)
        shift = jc - ic

        def pred_new(jj):       # a candidate past jc: the reference's (ic + k) read again in the variant
            k = jj - shift
            return gc.rules_best(Lr[k], reads_of(Lr[k], Rr[k], Dr[k]), F_at, G_at, L_at, D_at)[1]

        tail = self.chosen_pos[self.chosen_pos >= ic]
        if len(tail):
            jj = pred_new(int(tail[0]) + shift)
        else:
            M = m + shift
            jj = gc.rules_end(*F_at(1, M), *F_at(-1, M))
        walked = []
        rejoin = -1
        while jj >= 0:
            if jj < j0:
                if self.chosen_flag[jj]:
                    rejoin = jj
                    break
                walked.append(("ref", jj))
                jj = P[jj]
            elif jj < jc:
                walked.append(nid[jj - j0])
                jj = nP[jj - j0]
            else:
                walked.append(("ref", jj - shift))
                jj = pred_new(jj)
        genes = [self._ref_gene(p) for p in self.region_chosen if not rejoin < p < ic]
        traced = []
        for kind, k in walked:
            gene = self._ref_gene(k) if kind == "ref" else add[k][4]
            traced.append(gene)
            if (gene[5] < rb and gene[6] > ra) or self._reaches_window(gene):
                genes.append(gene)
        self._walk = (rejoin, ic, traced)
        return genes




def geneorf_saturation(model, sequences: dict, seqid: str, start: int, end: int, *, reference=None,
                       progress=None, cancel=None):
    """(reference window track, effects (n, 4) change of the window's mean gene probability per
    substitution, NaN at the reference base, the OrfMutagenesis used)."""
    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    if reference is None:
        reference = OrfMutagenesis(model, sequences, seqid, progress=wrap_progress(progress, 0.0, 0.5),
                                   cancel=cancel)
    ref_track = reference.prepare_window(start, end)
    ref_mean = float(ref_track.astype(np.float64).mean())
    codes = reference.codes
    variants = [(p, b) for p in range(start, end) for b in range(4) if codes[p] < 4 and b != codes[p]]
    tracks = reference.variant_tracks(variants, progress=wrap_progress(progress, 0.5, 1.0), cancel=cancel)
    effects = np.full((end - start, 4), np.nan)
    for (p, b), t in zip(variants, tracks):
        effects[p - start, b] = float(t.astype(np.float64).mean()) - ref_mean
    progress(1.0, None)
    return ref_track, effects, reference
