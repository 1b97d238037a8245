"""rRNA genes found by homology to the rRNA genes of other genomes, as barrnap and RNAmmer find them.

16S, 23S and 5S rRNA are among the most conserved sequences of life: long stretches are shared across
bacteria and archaea, and whole genes are 75-95 % identical within a phylum. The RNA head (rna.py) reads ~130
bases at a time and sees only pieces of a 1.5-2.9 kb rRNA gene; a gene is better found whole, by aligning the
genome to reference rRNA genes of *other* genomes. This module does that with exact k-mer seeds, as BLAST does:
every k-mer of the genome shared with a reference (either orientation) is a hit; hits of one reference that
lie close together on the genome and on a common diagonal (with room for indels) form a chain; a chain
covering enough of its reference is an rRNA gene, its ends the reference's ends carried along the chain's
diagonal. Overlapping genes of one type and strand found by several references keep the best-covered one.

The references are a small FASTA file (a model folder's ``rna_references.fasta``): one copy of each rRNA type
from each of several annotated genomes (:func:`reference_records`), named ``genome|type|length``. Nothing of
the genome being read is in it unless the user puts it there; the shipped file holds no E. coli sequence.
Only numpy is needed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

REFERENCES_FILE = "rna_references.fasta"
# rRNA type from a gene's length (bases): 5S ~120, 16S ~1,500, 23S ~2,900 (5.8S and 18S/28S do not occur here)
RRNA_LENGTHS = {"5S": (90, 160), "16S": (1200, 1800), "23S": (2500, 3400)}
K = 12                     # seed length (bases)
MAX_GAP = 300              # bases between consecutive seeds of one chain (at most half the reference's length)
MAX_DRIFT = 150            # diagonal change (net indels, bases) allowed between consecutive seeds of a chain
MIN_COVER = 0.08           # fraction of the reference's length covered by seeds for a call
MIN_SEED_BASES = 40        # and at least this many genome bases covered by seeds


@dataclass
class Reference:
    name: str                 # genome|type|length
    rtype: str                # 5S, 16S, 23S
    codes: np.ndarray         # uint8 A0 C1 G2 T3 (4 = N), in the gene's own orientation


@dataclass
class RRNAHit:
    """One rRNA gene found: [start, end) on the forward strand, with the reference that found it."""

    start: int
    end: int
    strand: int
    rtype: str
    reference: str
    cover: float              # fraction of the reference's length covered by exact seeds
    seed_bases: int           # genome bases covered by seeds

    @property
    def score(self) -> float:
        """Log-odds-like confidence for GeneCall.score: 3 at the minimum cover, 9 when a third is covered."""
        return float(3.0 + 6.0 * min(1.0, (self.cover - MIN_COVER) / max(1e-9, 0.33 - MIN_COVER)))


def rrna_type(length: int) -> str | None:
    for name, (lo, hi) in RRNA_LENGTHS.items():
        if lo <= length <= hi:
            return name
    return None


# --------------------------------------------------------------------------- references

def reference_records(genomes, max_per_type: int = 1) -> list[Reference]:
    """References from annotated genomes: ``genomes`` = [(name, Genome, {seqid: codes})]. Per genome and rRNA
    type, the first ``max_per_type`` complete copies (length within RRNA_LENGTHS) annotated as ``rRNA``."""
    from genoview.core.genecalls import reverse_complement

    out = []
    for name, genome, sequences in genomes:
        taken: dict[str, int] = {}
        for seqid, codes in sequences.items():
            for f in genome.features.on(seqid, ("rRNA",)):
                length = f.end - f.start
                rtype = rrna_type(length)
                if rtype is None or taken.get(rtype, 0) >= max_per_type or f.start < 0 or f.end > len(codes):
                    continue
                piece = np.asarray(codes[f.start:f.end], dtype=np.uint8)
                if f.strand < 0:
                    piece = reverse_complement(piece)
                if (piece > 3).mean() > 0.01:
                    continue
                taken[rtype] = taken.get(rtype, 0) + 1
                out.append(Reference(f"{name}|{rtype}|{length}", rtype, piece))
    return out


_BASES = np.frombuffer(b"ACGTN", dtype=np.uint8)


def write_references(path, references: list[Reference]) -> None:
    with open(path, "w") as handle:
        for ref in references:
            handle.write(f">{ref.name}\n")
            text = _BASES[np.minimum(ref.codes, 4)].tobytes().decode()
            for i in range(0, len(text), 80):
                handle.write(text[i:i + 80] + "\n")


def read_references(path) -> list[Reference]:
    """References from a FASTA file written by :func:`write_references` (type from the name or the length)."""
    from genoview.core.genome import encode

    out, name, chunks = [], None, []

    def flush():
        if name is None:
            return
        codes = encode(np.frombuffer("".join(chunks).upper().encode(), dtype=np.uint8))
        parts = name.split("|")
        rtype = parts[1] if len(parts) > 1 and parts[1] in RRNA_LENGTHS else rrna_type(len(codes))
        if rtype is not None:
            out.append(Reference(name, rtype, codes))

    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith(">"):
                flush()
                name, chunks = line[1:].split()[0] if line[1:].strip() else "reference", []
            elif line:
                chunks.append(line)
    flush()
    return out


def model_references(model_dir) -> list[Reference] | None:
    """The references of a model folder (``rna_references.fasta``), or None when it has none."""
    if model_dir is None:
        return None
    path = Path(model_dir) / REFERENCES_FILE
    return read_references(path) if path.is_file() else None


# --------------------------------------------------------------------------- search

def kmer_codes(codes: np.ndarray, k: int = K) -> np.ndarray:
    """int64 code of the k-mer starting at each base (-1 where it holds an N or runs past the end)."""
    c = np.asarray(codes, dtype=np.uint8)
    n = len(c)
    out = np.full(n, -1, dtype=np.int64)
    if n < k:
        return out
    m = n - k + 1
    acc = np.zeros(m, dtype=np.uint32 if k <= 16 else np.uint64)   # 2 bits a base, in place
    bad = np.zeros(m, dtype=bool)
    for j in range(k):
        part = c[j:j + m]
        acc <<= 2
        acc |= np.minimum(part, 3)
        bad |= part > 3
    out[:m] = acc
    out[:m][bad] = -1
    return out


class ReferenceIndex:
    """Every k-mer of every reference in both orientations: sorted codes with (reference, orientation, position)."""

    def __init__(self, references: list[Reference], k: int | None = None):
        from genoview.core.genecalls import reverse_complement

        k = K if k is None else k
        self.references, self.k = references, k
        codes, refs, pos = [], [], []
        for i, ref in enumerate(references):
            for orient, seq in ((0, ref.codes), (1, reverse_complement(ref.codes))):
                km = kmer_codes(seq, k)
                ok = np.nonzero(km >= 0)[0]
                codes.append(km[ok])
                refs.append(np.full(len(ok), 2 * i + orient, dtype=np.int64))
                pos.append(ok.astype(np.int64))
        codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
        order = np.argsort(codes, kind="stable")
        self.codes = codes[order]
        self.ref = np.concatenate(refs)[order] if refs else np.zeros(0, dtype=np.int64)
        self.pos = np.concatenate(pos)[order] if pos else np.zeros(0, dtype=np.int64)
        # membership of every possible k-mer (4^k bools, 16 MB at k = 12): one gather per genome base, so only
        # the few shared k-mers are looked up in the sorted codes
        self.present = np.zeros(4 ** k, dtype=bool) if k <= 13 else None
        if self.present is not None:
            self.present[self.codes] = True

    def hits(self, codes: np.ndarray):
        """(genome position, reference*2+orientation, reference position) of every shared k-mer."""
        km = kmer_codes(codes, self.k)
        if not len(self.codes):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        if self.present is not None:
            q = np.nonzero(self.present[np.maximum(km, 0)] & (km >= 0))[0]
        else:
            q = np.nonzero(km >= 0)[0]
        lo = np.searchsorted(self.codes, km[q], side="left")
        hi = np.searchsorted(self.codes, km[q], side="right")
        keep = hi > lo
        q, lo, hi = q[keep], lo[keep], hi[keep]
        counts = hi - lo
        qpos = np.repeat(q, counts)
        starts = np.repeat(lo, counts)
        offsets = np.arange(len(qpos)) - np.repeat(np.cumsum(counts) - counts, counts)
        j = starts + offsets
        return qpos.astype(np.int64), self.ref[j], self.pos[j]


def _free_pieces(covered: np.ndarray, min_gap: int = 60, margin: int = 30) -> list[tuple[int, int]]:
    """[a, b) runs of at least ``min_gap`` bases not ``covered``, widened by ``margin`` and merged."""
    from genoview.core.inference import runs_above

    starts, ends = runs_above((~covered).astype(np.float32), 0.5)
    wide = ends - starts >= min_gap
    out: list[tuple[int, int]] = []
    for a, b in zip((starts[wide] - margin).tolist(), (ends[wide] + margin).tolist()):
        a, b = max(a, 0), min(b, len(covered))
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _hits_outside(codes: np.ndarray, index: ReferenceIndex, covered: np.ndarray | None):
    """index.hits of ``codes``, reading only the pieces not ``covered`` (joined with N spacers, so no seed
    spans two pieces); genome positions."""
    if covered is None:
        return index.hits(codes)
    pieces = _free_pieces(covered)
    if not pieces:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    spacer = np.full(index.k, 4, dtype=np.uint8)
    joined, offsets, at = [], [], 0
    for a, b in pieces:
        joined += [codes[a:b], spacer]
        offsets.append((at, a, b - a))
        at += b - a + len(spacer)
    qpos, key, rpos = index.hits(np.concatenate(joined))
    starts = np.array([o[0] for o in offsets], dtype=np.int64)
    shift = np.array([o[1] - o[0] for o in offsets], dtype=np.int64)
    piece = np.searchsorted(starts, qpos, side="right") - 1
    return qpos + shift[piece], key, rpos


def find_rrna(codes: np.ndarray, index: ReferenceIndex, min_cover: float | None = None,
              max_gap: int | None = None, max_drift: int | None = None,
              covered: np.ndarray | None = None) -> list[RRNAHit]:
    """rRNA genes of one sequence (codes), found by chains of seeds shared with the references.

    ``covered`` (bool per base, e.g. inside confident protein genes) is not read, as the RNA head does:
    rRNA genes lie between protein genes, and a tenth of a bacterial genome reads ten times faster."""
    min_cover = MIN_COVER if min_cover is None else min_cover
    max_gap = MAX_GAP if max_gap is None else max_gap
    max_drift = MAX_DRIFT if max_drift is None else max_drift
    qpos, key, rpos = _hits_outside(np.asarray(codes, dtype=np.uint8), index, covered)
    n = len(codes)
    k = index.k
    found = []
    if not len(qpos):
        return found
    order = np.lexsort((qpos, key))
    qpos, key, rpos = qpos[order], key[order], rpos[order]
    diag = qpos - rpos
    bounds = np.nonzero(np.diff(key))[0] + 1
    for a, b in zip(np.concatenate([[0], bounds]).tolist(), np.concatenate([bounds, [len(key)]]).tolist()):
        ref_i, orient = divmod(int(key[a]), 2)
        ref = index.references[ref_i]
        length = len(ref.codes)
        q, r, d = qpos[a:b], rpos[a:b], diag[a:b]
        gap_limit = min(max_gap, max(length // 2, 30))
        # a chain breaks where consecutive seeds are far apart on the genome or off the diagonal
        brk = np.nonzero((np.diff(q) > gap_limit) | (np.abs(np.diff(d)) > max_drift))[0] + 1
        for s, e in zip(np.concatenate([[0], brk]).tolist(), np.concatenate([brk, [len(q)]]).tolist()):
            if e - s < 2:
                continue
            cq, cr = q[s:e], r[s:e]
            # genome bases covered by seeds (union of [q, q + k))
            seed_bases = int(k + np.minimum(np.diff(cq), k).sum())
            cover = seed_bases / length
            if cover < min_cover or seed_bases < min(MIN_SEED_BASES, length // 3):
                continue
            first, last = 0, len(cq) - 1   # sorted by genome position
            start = int(cq[first] - cr[first])
            end = int(cq[last] + (length - cr[last]))
            start, end = max(0, start), min(n, end)
            if end - start < 0.5 * length or end - start > 1.5 * length:
                continue
            strand = 1 if orient == 0 else -1
            found.append(RRNAHit(start, end, strand, ref.rtype, ref.name, cover, seed_bases))
    return _best_per_locus(found)


def _best_per_locus(found: list[RRNAHit]) -> list[RRNAHit]:
    """Of overlapping genes of one type and strand, the best covered (by seeds) one."""
    kept: list[RRNAHit] = []
    for h in sorted(found, key=lambda h: (-h.seed_bases, h.start)):
        if any(o.strand == h.strand and o.rtype == h.rtype and o.start < h.end and h.start < o.end for o in kept):
            continue
        kept.append(h)
    # a smaller type inside a larger one's gene (a 5S seed chain within a 23S) is dropped
    out = [h for h in kept if not any(o is not h and o.start <= h.start and h.end <= o.end and
                                       RRNA_LENGTHS[o.rtype][0] > RRNA_LENGTHS[h.rtype][1] for o in kept)]
    return sorted(out, key=lambda h: h.start)


def rrna_gene_calls(sequences: dict, references: list[Reference], index: ReferenceIndex | None = None,
                    covered: dict | None = None):
    """genecalls.GeneCall (kind ``rRNA``) of every rRNA gene found in ``sequences`` ({seqid: codes});
    ``covered`` ({seqid: bool per base}): bases not read (see find_rrna)."""
    from genoview.core.genecalls import GeneCall

    index = index or ReferenceIndex(references)
    calls = []
    for seqid, codes in sequences.items():
        skip = None if covered is None else covered.get(seqid)
        for h in find_rrna(np.asarray(codes, dtype=np.uint8), index, covered=skip):
            calls.append(GeneCall(seqid, h.start, h.end, h.strand, h.score, "", "00", kind="rRNA"))
    return calls


def merge_rrna_calls(calls: list, tracks: dict, rrna: list, inside: float = 0.5) -> list:
    """Add homology rRNA calls to a genome's calls and track: RNA-head rRNA calls and protein-gene calls lying
    mostly (> ``inside``) within a homology rRNA gene are dropped (an rRNA gene holds no protein gene); the
    track over each rRNA gene is raised to the gene's confidence. Returns the new call list (tracks in place)."""
    if not rrna:
        return calls
    by_seq: dict[str, list] = {}
    for r in rrna:
        by_seq.setdefault(r.seqid, []).append(r)
    kept = []
    for c in calls:
        overlap = 0
        for r in by_seq.get(c.seqid, ()):
            overlap = max(overlap, min(c.end, r.end) - max(c.start, r.start))
        if c.kind in ("CDS", "rRNA") and overlap > inside * (c.end - c.start):
            continue
        kept.append(c)
    for r in rrna:
        t = tracks.get(r.seqid)
        if t is not None:
            np.maximum(t[r.start:r.end], np.float32(r.confidence), out=t[r.start:r.end])
    return kept + list(rrna)


def apply_rrna_homology(sequences: dict, calls: list, tracks: dict, references: list[Reference] | None,
                        skip_score: float | None = 3.0) -> list:
    """GeneORF's hook: the calls with rRNA genes found by homology added (and the protein/RNA-head calls inside
    them dropped); ``tracks`` raised over them in place. No references: the calls unchanged.
    Protein-gene calls scoring above ``skip_score`` are not read (None: the whole genome is read)."""
    if not references:
        return calls
    covered = None
    if skip_score is not None:
        covered = {seqid: np.zeros(len(codes), dtype=bool) for seqid, codes in sequences.items()}
        for c in calls:
            if c.kind == "CDS" and c.score > skip_score and c.seqid in covered:
                covered[c.seqid][c.start:c.end] = True
    found = rrna_gene_calls(sequences, references, covered=covered)
    return merge_rrna_calls(calls, tracks, found)


# --------------------------------------------------------------------------- building the reference file

# annotated genomes whose rRNA genes make the shipped references: GeneORF's training and tuning genomes less
# E. coli (whose last 30 % is a test part) and never a held-out genome (genoview/core/models/geneorf/fit.py)
REFERENCE_GENOMES = ("staphylococcus_aureus_COL", "haemophilus_influenzae_RdKW20", "yersinia_pestis_KIM",
                     "neisseria_meningitidis_MC58", "methanococcus_maripaludis_S2", "methanosarcina_mazei_S-6",
                     "brucella_melitensis_16M")


def main(argv=None) -> int:
    """Write a references FASTA from annotated genomes (default: REFERENCE_GENOMES under --shared)."""
    import argparse

    from genoview.core.models.geneorf import fit

    p = argparse.ArgumentParser(description=main.__doc__)
    p.add_argument("--shared", default="../shared/data")
    p.add_argument("--genomes", default=",".join(REFERENCE_GENOMES))
    p.add_argument("--out", required=True, help=f"FASTA to write (a model folder's {REFERENCES_FILE})")
    args = p.parse_args(argv)
    names = [g for g in args.genomes.split(",") if g]
    refused = [g for g in names if g in fit.HELD_OUT_GENOMES or g == "ecoli"]
    if refused:
        p.error(f"{', '.join(refused)}: held out or a test genome; never a reference")
    genomes = [(name,) + tuple(fit._load(args.shared, name)) for name in names]
    refs = reference_records(genomes)
    write_references(args.out, refs)
    print(f"wrote {len(refs)} references to {args.out}: " + ", ".join(r.name for r in refs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
