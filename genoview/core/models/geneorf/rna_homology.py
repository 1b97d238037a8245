"""rRNA and tRNA genes found by homology to the RNA genes of other genomes, as barrnap and RNAmmer find rRNA.

16S, 23S and 5S rRNA are among the most conserved sequences of life: long stretches are shared across
bacteria and archaea, and whole genes are 75-95 % identical within a phylum; tRNAs of one anticodon are
alike across a phylum. The RNA head (rna.py) reads ~130 bases at a time and sees only pieces of a 1.5-2.9 kb
rRNA gene; a gene is better found whole, by aligning the genome to reference RNA genes of *other* genomes.
This module does that with exact k-mer seeds, as BLAST does: every k-mer of the genome shared with a
reference (either orientation) is a hit; hits of one reference that lie close together on the genome and on
a common diagonal (with room for indels) form a chain; a chain covering enough of its reference is a gene,
its ends the reference's ends carried along the chain's diagonal. Overlapping genes of one type and strand
found by several references keep the best-covered one.

The references are a small FASTA file (a model folder's ``rna_references.fasta``): one copy of each rRNA type
and every distinct tRNA of several annotated genomes (:func:`reference_records`), named
``genome|type|length``. Nothing of the genome being read is in it unless the user puts it there (a GeneORF
fine-tune adds the RNA genes annotated in its training part, ``<genome>:training|type|length``: ``genoview train``
option own_rna); the shipped file holds no E. coli sequence. Only numpy is needed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

REFERENCES_FILE = "rna_references.fasta"
K = 12                     # seed length (bases)
MAX_GAP = 300              # bases between consecutive seeds of one chain (at most half the reference's length)


@dataclass(frozen=True)
class TypeRule:
    """How a type of RNA gene is recognised: its length range, and how much of a reference a chain covers."""

    kind: str                 # GeneCall kind: rRNA or tRNA
    lengths: tuple            # (shortest, longest) bases of a complete gene of this type
    min_cover: float          # fraction of the reference's length covered by seeds for a call
    max_drift: int            # diagonal change (net indels, bases) allowed between consecutive seeds
    min_seed_bases: int       # and at least this many genome bases covered by seeds


# chosen on the training and tuning genomes, each read with the references of the others (never E. coli's
# last 30 % nor a held-out genome): rRNA base sensitivity >= 0.93 and precision >= 0.98 on every one
RNA_TYPES = {
    "5S": TypeRule("rRNA", (90, 160), 0.08, 150, 40),
    "16S": TypeRule("rRNA", (1200, 1800), 0.08, 150, 40),
    "23S": TypeRule("rRNA", (2500, 3400), 0.08, 150, 40),
    "tRNA": TypeRule("tRNA", (60, 100), 0.30, 6, 30),
}
PRODUCTS = {"5S": "5S ribosomal RNA", "16S": "16S ribosomal RNA", "23S": "23S ribosomal RNA", "tRNA": "transfer RNA"}


@dataclass
class Reference:
    name: str                 # genome|type|length
    rtype: str                # a key of RNA_TYPES
    codes: np.ndarray         # uint8 A0 C1 G2 T3 (4 = N), in the gene's own orientation


@dataclass
class RNAHit:
    """One RNA gene found: [start, end) on the forward strand, with the reference that found it."""

    start: int
    end: int
    strand: int
    rtype: str
    reference: str
    cover: float              # fraction of the reference's length covered by exact seeds
    seed_bases: int           # genome bases covered by seeds

    @property
    def kind(self) -> str:
        return RNA_TYPES[self.rtype].kind

    @property
    def score(self) -> float:
        """Log-odds-like confidence for GeneCall.score: 3 at the type's minimum cover, 9 at 0.25 above it."""
        low = RNA_TYPES[self.rtype].min_cover
        return float(3.0 + 6.0 * min(1.0, (self.cover - low) / 0.25))


def rna_type(length: int, kind: str = "rRNA") -> str | None:
    """The RNA_TYPES key of a complete ``kind`` gene of this length, or None."""
    for name, rule in RNA_TYPES.items():
        if rule.kind == kind and rule.lengths[0] <= length <= rule.lengths[1]:
            return name
    return None


def reference_records(genomes, max_rrna: int = 1) -> list[Reference]:
    """References from annotated genomes: ``genomes`` = [(name, Genome, {seqid: codes})]. Per genome, the first
    ``max_rrna`` complete copies of each rRNA type (length within its RNA_TYPES range) and every distinct tRNA."""
    from genoview.core.genecalls import reverse_complement

    out = []
    for name, genome, sequences in genomes:
        taken: dict[str, int] = {}
        seen: set = set()
        for seqid, codes in sequences.items():
            for f in genome.features.on(seqid, ("rRNA", "tRNA")):
                length = f.end - f.start
                rtype = rna_type(length, f.type)
                if rtype is None or f.start < 0 or f.end > len(codes):
                    continue
                if f.type == "rRNA" and taken.get(rtype, 0) >= max_rrna:
                    continue
                piece = np.asarray(codes[f.start:f.end], dtype=np.uint8)
                if f.strand < 0:
                    piece = reverse_complement(piece)
                if (piece > 3).mean() > 0.01 or piece.tobytes() in seen:
                    continue
                seen.add(piece.tobytes())
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


class ReferenceList(list):
    """References with their seed index made once (:attr:`seed_index`), as a loaded model keeps them."""

    _seed_index = None

    @property
    def seed_index(self) -> "ReferenceIndex":
        if self._seed_index is None:
            self._seed_index = ReferenceIndex(self)
        return self._seed_index


def read_references(path) -> list[Reference]:
    """References from a FASTA file written by :func:`write_references` (type from the name or the length).
    RNA-alphabet files (SILVA, Rfam: U for T) and lower case read as DNA."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.genome import encode

    out, name, chunks = ReferenceList(), None, []

    def flush():
        if name is None:
            return
        text = "".join(chunks).upper().replace("U", "T")
        codes = encode(np.frombuffer(text.encode(), dtype=np.uint8))
        parts = name.split("|")
        rtype = parts[1] if len(parts) > 1 and parts[1] in RNA_TYPES else rna_type(len(codes))
        if rtype is not None:
            out.append(Reference(name, rtype, codes))

    with open(path) as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if line.startswith(">"):
                flush()
                name, chunks = line[1:].split()[0] if line[1:].strip() else "reference", []
            elif line:
                if name is None:
                    raise GenoViewInputError("sequence before the first '>name' header: RNA references are FASTA "
                                             "(write them with `python -m genoview.core.models.geneorf.rna_homology`)",
                                             path, number)
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
        # every reference in both orientations, joined with N spacers (no seed spans two), read at once
        pieces, owner, first = [], [], []
        spacer = np.full(k, 4, dtype=np.uint8)
        at = 0
        for i, ref in enumerate(references):
            for orient, seq in ((0, ref.codes), (1, reverse_complement(ref.codes))):
                pieces += [np.asarray(seq, dtype=np.uint8), spacer]
                owner.append(2 * i + orient)
                first.append(at)
                at += len(seq) + k
        joined = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint8)
        km = kmer_codes(joined, k)
        ok = np.nonzero(km >= 0)[0]
        piece = np.searchsorted(np.array(first, dtype=np.int64), ok, side="right") - 1
        codes = km[ok]
        order = np.argsort(codes, kind="stable")
        self.codes = codes[order]
        self.ref = np.array(owner, dtype=np.int64)[piece][order] if len(ok) else np.zeros(0, dtype=np.int64)
        self.pos = (ok - np.array(first, dtype=np.int64)[piece])[order] if len(ok) else np.zeros(0, dtype=np.int64)
        # membership of every possible k-mer as one bit (2 MB at k = 12): the genome's k-mers are tested with
        # one gather each, and only the few shared ones are looked up in the sorted codes
        self.present = None
        if k <= 14:
            bits = np.zeros(4 ** k, dtype=bool)
            bits[self.codes] = True
            self.present = np.packbits(bits, bitorder="little")

    def hits(self, codes: np.ndarray):
        """(genome position, reference*2+orientation, reference position) of every shared k-mer."""
        km = kmer_codes(codes, self.k)
        if not len(self.codes):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        q = np.nonzero(km >= 0)[0]
        if self.present is not None:
            v = km[q]
            q = q[(self.present[v >> 3] >> (v & 7).astype(np.uint8)) & 1 == 1]
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
    edges = np.flatnonzero(np.diff(np.concatenate([[True], np.asarray(covered, dtype=bool), [True]]).view(np.int8)))
    starts, ends = edges[0::2], edges[1::2]
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


def find_rna(codes: np.ndarray, index: ReferenceIndex, min_cover: float | None = None,
             max_gap: int | None = None, max_drift: int | None = None,
             covered: np.ndarray | None = None) -> list[RNAHit]:
    """RNA genes of one sequence (codes), found by chains of seeds shared with the references.

    ``min_cover``/``max_drift`` override every type's RNA_TYPES rule. ``covered`` (bool per base, e.g. inside
    confident protein genes) is not read, as the RNA head does: RNA genes lie between protein genes, and a
    tenth of a bacterial genome reads ten times faster."""
    max_gap = MAX_GAP if max_gap is None else max_gap
    qpos, key, rpos = _hits_outside(np.asarray(codes, dtype=np.uint8), index, covered)
    n, k = len(codes), index.k
    if not len(qpos):
        return []
    refs = index.references
    # per reference: its length and its type's rule (overrides for every type when given)
    length = np.array([len(r.codes) for r in refs], dtype=np.int64)
    rules = [RNA_TYPES[r.rtype] for r in refs]
    need = np.array([r.min_cover if min_cover is None else min_cover for r in rules])
    drift = np.array([r.max_drift if max_drift is None else max_drift for r in rules], dtype=np.int64)
    seeds_needed = np.minimum([r.min_seed_bases for r in rules], length // 3)
    gap_limit = np.minimum(max_gap, np.maximum(length // 2, 30))
    order = np.lexsort((qpos, key))
    qpos, key, rpos = qpos[order], key[order], rpos[order]
    ref_i, orient = key // 2, key % 2
    diag = qpos - rpos
    # chains: runs of one reference's seeds, consecutive ones close on the genome and on the diagonal
    brk = np.ones(len(qpos), dtype=bool)
    brk[1:] = ((key[1:] != key[:-1]) | (qpos[1:] - qpos[:-1] > gap_limit[ref_i[1:]])
               | (np.abs(diag[1:] - diag[:-1]) > drift[ref_i[1:]]))
    first = np.nonzero(brk)[0]
    last = np.append(first[1:], len(qpos)) - 1
    # genome bases covered by the chain's seeds: the union of [q, q + k)
    step = np.zeros(len(qpos), dtype=np.int64)
    step[1:] = np.minimum(qpos[1:] - qpos[:-1], k)
    step[brk] = k
    seed_bases = np.add.reduceat(step, first)
    ri = ref_i[first]
    cover = seed_bases / length[ri]
    start = np.maximum(qpos[first] - rpos[first], 0)
    end = np.minimum(qpos[last] + (length[ri] - rpos[last]), n)
    span = end - start
    ok = ((last > first) & (cover >= need[ri]) & (seed_bases >= seeds_needed[ri])
          & (span >= 0.5 * length[ri]) & (span <= 1.5 * length[ri]))
    found = [RNAHit(int(start[j]), int(end[j]), 1 if orient[first[j]] == 0 else -1, refs[ri[j]].rtype,
                    refs[ri[j]].name, float(cover[j]), int(seed_bases[j])) for j in np.nonzero(ok)[0].tolist()]
    return _best_per_locus(found)


def _best_per_locus(found: list[RNAHit]) -> list[RNAHit]:
    """Of overlapping genes of one type and strand, the best covered (by seeds) one."""
    kept: list[RNAHit] = []
    for h in sorted(found, key=lambda h: (-h.seed_bases, h.start)):
        if any(o.strand == h.strand and o.rtype == h.rtype and o.start < h.end and h.start < o.end for o in kept):
            continue
        kept.append(h)
    # a smaller type inside a larger one's gene (a 5S seed chain within a 23S) is dropped
    out = [h for h in kept if not any(o is not h and o.start <= h.start and h.end <= o.end and
                                       RNA_TYPES[o.rtype].lengths[0] > RNA_TYPES[h.rtype].lengths[1] for o in kept)]
    return sorted(out, key=lambda h: h.start)


class SubstitutionHomology:
    """RNA genes by homology of one sequence and of its single-base substitutions (the mutagenesis panel's local
    track), each exactly as :func:`find_rna` reads the whole mutated sequence with the same ``covered`` bases.

    Seeds are the only input to the chains, and a substitution at p changes only the k-mers through p: when none
    of them is a seed before or after the change, the genes are the reference's. Otherwise the genes near p are
    found again on a slice around it: a chain the change touches makes a gene of at most 1.5 reference lengths
    (L) through p, or breaks one whose seeds lie within MAX_GAP of it; so genes overlapping p +- (2L + MAX_GAP +
    2K) are taken from a slice of p +- (4L + MAX_GAP + 2K), where a chain cut by the slice's edge spans more than
    L (no gene, as in the whole sequence), and the reference's genes elsewhere are kept."""

    def __init__(self, codes: np.ndarray, references: list[Reference], covered: np.ndarray | None = None):
        self.codes = np.asarray(codes, dtype=np.uint8)
        self.covered = covered
        self.index = references.seed_index if isinstance(references, ReferenceList) else ReferenceIndex(references)
        self.genes = find_rna(self.codes, self.index, covered=covered)
        qpos, _, _ = _hits_outside(self.codes, self.index, covered)
        self.seeds = np.unique(qpos)
        span = int(1.5 * max((len(r.codes) for r in references), default=0)) + 1
        k = self.index.k
        self.zone = 2 * span + MAX_GAP + 2 * k
        self.reach = 4 * span + MAX_GAP + 2 * k + 64

    def _touches(self, p: int, base: int) -> bool:
        """Whether a k-mer through p is a seed before or after the substitution."""
        k = self.index.k
        i = np.searchsorted(self.seeds, p - k + 1)
        if i < len(self.seeds) and self.seeds[i] <= p:
            return True
        if not len(self.index.codes):   # references shorter than a seed: nothing is ever found
            return False
        a = max(0, p - k + 1)
        piece = self.codes[a:p + k].copy()
        piece[p - a] = base
        km = kmer_codes(piece, k)
        km = km[km >= 0]
        if not len(km):
            return False
        at = np.searchsorted(self.index.codes, km)
        return bool((self.index.codes[np.minimum(at, len(self.index.codes) - 1)] == km).any())

    def after(self, p: int, base: int) -> list[RNAHit]:
        """The genes of the sequence with base ``p`` changed to ``base`` (a code 0-3)."""
        if int(self.codes[p]) == int(base) or not self._touches(p, base):
            return self.genes
        n = len(self.codes)
        a, b = max(0, p - self.reach), min(n, p + self.reach + 1)
        piece = self.codes[a:b].copy()
        piece[p - a] = base
        skip = None if self.covered is None else self.covered[a:b]
        local = find_rna(piece, self.index, covered=skip)
        z0, z1 = p - self.zone, p + self.zone + 1
        kept = [h for h in self.genes if h.end <= z0 or h.start >= z1]
        moved = [RNAHit(h.start + a, h.end + a, h.strand, h.rtype, h.reference, h.cover, h.seed_bases)
                 for h in local if h.start + a < z1 and h.end + a > z0]
        return sorted(kept + moved, key=lambda h: h.start)


def rna_gene_calls(sequences: dict, references: list[Reference], index: ReferenceIndex | None = None,
                   covered: dict | None = None):
    """genecalls.GeneCall (kind ``rRNA``/``tRNA``) of every RNA gene found in ``sequences`` ({seqid: codes});
    ``covered`` ({seqid: bool per base}): bases not read (see find_rna)."""
    from genoview.core.genecalls import GeneCall

    if index is None:
        index = references.seed_index if isinstance(references, ReferenceList) else ReferenceIndex(references)
    calls = []
    for seqid, codes in sequences.items():
        skip = None if covered is None else covered.get(seqid)
        for h in find_rna(np.asarray(codes, dtype=np.uint8), index, covered=skip):
            calls.append(GeneCall(seqid, h.start, h.end, h.strand, h.score, "", "00", kind=h.kind,
                                  product=PRODUCTS.get(h.rtype, "")))
    return calls


def merge_rna_calls(calls: list, tracks: dict, found: list, inside: float = 0.5) -> list:
    """Add homology RNA calls to a genome's calls and track: RNA-head calls and protein-gene calls lying mostly
    (> ``inside`` of their length) within a homology RNA gene are dropped (an rRNA gene holds no protein gene,
    and the RNA head's piece of a gene is the same gene); the track over each gene is raised to its
    confidence. Returns the new call list (tracks in place)."""
    if not found:
        return calls
    drop = set()
    for seqid in {r.seqid for r in found}:
        fa = np.array([r.start for r in found if r.seqid == seqid])
        fb = np.array([r.end for r in found if r.seqid == seqid])
        mine = [i for i, c in enumerate(calls) if c.seqid == seqid]
        if not mine:
            continue
        ca = np.array([calls[i].start for i in mine])
        cb = np.array([calls[i].end for i in mine])
        overlap = (np.minimum(cb[:, None], fb[None, :]) - np.maximum(ca[:, None], fa[None, :])).max(axis=1)
        drop.update(np.array(mine)[overlap > inside * (cb - ca)].tolist())
    kept = [c for i, c in enumerate(calls) if i not in drop]
    for r in found:
        t = tracks.get(r.seqid)
        if t is not None:
            np.maximum(t[r.start:r.end], np.float32(r.confidence), out=t[r.start:r.end])
    return kept + list(found)


def protein_covered(calls: list, seqid: str, length: int, skip_score: float) -> np.ndarray:
    """Bases of ``seqid`` inside protein-gene (CDS) calls scoring above ``skip_score``: not read for RNA genes."""
    covered = np.zeros(length, dtype=bool)
    for c in calls:
        if c.seqid == seqid and c.kind == "CDS" and c.score > skip_score:
            covered[c.start:c.end] = True
    return covered


def apply_rna_homology(sequences: dict, calls: list, tracks: dict, references: list[Reference] | None,
                       skip_score: float | None = 3.0) -> list:
    """GeneORF's hook: the calls with RNA genes found by homology added (and the protein/RNA-head calls inside
    them dropped); ``tracks`` raised over them in place. No references: the calls unchanged.
    Protein-gene calls scoring above ``skip_score`` are not read (None: the whole genome is read)."""
    if not references:
        return calls
    covered = None
    if skip_score is not None:
        covered = {seqid: protein_covered(calls, seqid, len(codes), skip_score) for seqid, codes in sequences.items()}
    found = rna_gene_calls(sequences, references, covered=covered)
    return merge_rna_calls(calls, tracks, found)


# --------------------------------------------------------------------------- building the reference file

# annotated genomes whose rRNA and tRNA genes make the shipped references: GeneORF's training and tuning genomes less
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
