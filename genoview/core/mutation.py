"""Mutated copies of genes: the study's seeded random generator, edits a user types, and VCF variants.

Every edit is a :class:`Edit` ``(position, ref, alt)`` on 0-based coordinates of the sequence it is
applied to: a substitution ``(p, "A", "G")``, a deletion ``(p, "A", "")``, an insertion before p
``(p, "", "T")``, an adjacent swap ``(p, "AC", "CA")``. :class:`MutatedSequence` keeps, for every base of
the mutated copy, the index of the real base it came from (-1: inserted), which is how real and mutated
line up position by position through insertions and deletions (:meth:`MutatedSequence.alignment`).

The study's pair files (:func:`make_pairs`): for each row a gene drawn uniformly with replacement, k
uniform in 1..K, then k edits one after another on the current sequence, each of a type drawn uniformly
(insertion: position uniform over 0..len, base uniform over ACGT; deletion: position uniform;
substitution: position uniform, one of the three other bases uniformly; swap, only when asked: two
different adjacent bases exchanged, position uniform among such pairs).
"""
from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from genoview.core.errors import GenoViewInputError, read_as_text, require_input_file
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress
from genoview.core.lm_data import BASES, Gene, strip_markers, with_markers

EDIT_TYPES = ("insertion", "deletion", "substitution")     # the published files
ALL_EDIT_TYPES = EDIT_TYPES + ("swap",)                     # the study's code also had adjacent swaps
PAIR_COLUMNS = ("NCBIGeneID", "RealNucleotideSequence", "MutatedNucleotideSequence")


@dataclass(frozen=True)
class Edit:
    """Replace ``ref`` at ``position`` (0-based, in the sequence the edit applies to) with ``alt``."""

    position: int
    ref: str
    alt: str

    @property
    def kind(self) -> str:
        if not self.ref:
            return "insertion"
        if not self.alt:
            return "deletion"
        if len(self.ref) == 2 and self.alt == self.ref[::-1]:
            return "swap"
        return "substitution" if len(self.ref) == len(self.alt) == 1 else "replacement"

    def describe(self) -> str:
        """1-based, HGVS-like: 12A>G, 12delA, 12_13insT (inserted before base 13), 12_13swap."""
        p = self.position + 1
        kind = self.kind
        if kind == "substitution":
            return f"{p}{self.ref}>{self.alt}"
        if kind == "deletion":
            return f"{p}del{self.ref}" if len(self.ref) == 1 else f"{p}_{p + len(self.ref) - 1}del{self.ref}"
        if kind == "insertion":
            return f"{p - 1}_{p}ins{self.alt}"
        if kind == "swap":
            return f"{p}_{p + 1}swap{self.ref}>{self.alt}"
        return f"{p}_{p + len(self.ref) - 1}{self.ref}>{self.alt}"


@dataclass
class MutatedSequence:
    """A real sequence, its mutated copy, the edits in the order applied, and each mutated base's origin."""

    real: str
    mutated: str
    edits: list[Edit] = field(default_factory=list)
    origin: np.ndarray | None = None     # int64 per mutated base: index in real, or -1 (inserted)

    def edits_on_real(self) -> list[Edit]:
        """The edits with their positions on the real sequence, in its order: ``edits`` when they read so (typed
        edits, a VCF's), else the blocks where the copy differs from the real sequence (the random generator's
        edits each apply to the sequence the ones before made: '295delC' after an insertion and a deletion further
        left was base 294 of the real gene, and typed back it deleted another base or was refused)."""
        try:
            if apply_edits(self.real, self.edits, sequential=False).mutated == self.mutated:
                return sorted(self.edits, key=lambda e: (e.position, len(e.ref)))
        except GenoViewInputError:   # overlapping, or a position the earlier edits made
            pass
        origin = self.origin if self.origin is not None else np.arange(len(self.mutated))
        out, next_real, alt = [], 0, []

        def block(end: int) -> None:   # real[next_real:end] became alt: one edit, the bases both share left out
            ref, new = self.real[next_real:end], "".join(alt)
            head = 0
            while head < min(len(ref), len(new)) and ref[head] == new[head]:
                head += 1
            tail = 0
            while tail < min(len(ref), len(new)) - head and ref[-1 - tail] == new[-1 - tail]:
                tail += 1
            ref, new = ref[head:len(ref) - tail], new[head:len(new) - tail]
            if ref or new:   # a base deleted and put back (the generator's edits can undo each other): no edit
                out.append(Edit(next_real + head, ref, new))

        for j, o in enumerate(origin.tolist()):
            if o >= next_real and self.mutated[j] == self.real[o]:   # a base kept where it was: the block ends
                block(o)
                next_real, alt = o + 1, []
            else:
                alt.append(self.mutated[j])
        block(len(self.real))
        return out

    def alignment(self) -> tuple[np.ndarray, np.ndarray]:
        """Two equal-length int arrays (real index or -1, mutated index or -1): columns of the side-by-side view,
        in real order, insertions placed where they were made, deleted bases facing a gap."""
        origin = self.origin if self.origin is not None else np.arange(len(self.mutated))
        real_cols, mut_cols = [], []
        next_real = 0
        for j, o in enumerate(origin.tolist()):
            if o >= 0:
                while next_real < o:                      # real bases deleted before this one
                    real_cols.append(next_real)
                    mut_cols.append(-1)
                    next_real += 1
                real_cols.append(o)
                mut_cols.append(j)
                next_real = max(next_real, o + 1)
            else:
                real_cols.append(-1)
                mut_cols.append(j)
        while next_real < len(self.real):
            real_cols.append(next_real)
            mut_cols.append(-1)
            next_real += 1
        return np.asarray(real_cols, dtype=np.int64), np.asarray(mut_cols, dtype=np.int64)


def apply_edits(sequence: str, edits: Iterable[Edit], *, sequential: bool = True) -> MutatedSequence:
    """Apply edits. ``sequential``: each edit's position refers to the sequence after the previous edits (the
    study's generator); otherwise all positions refer to the original and must not overlap (typed edits, VCF)."""
    sequence = strip_markers(sequence)
    edits = list(edits)
    if not sequential:
        order = sorted(range(len(edits)), key=lambda i: (edits[i].position, len(edits[i].ref)))
        last_end = -1
        for i in order:
            e = edits[i]
            if e.position < last_end:
                raise GenoViewInputError(f"edits {edits[order[max(0, order.index(i) - 1)]].describe()} and "
                                         f"{e.describe()} overlap; give each base one edit")
            last_end = max(last_end, e.position + len(e.ref))
        edits_to_apply = [edits[i] for i in reversed(order)]   # right to left: earlier positions stay valid
    else:
        edits_to_apply = edits
    bases = list(sequence)
    origin = list(range(len(sequence)))
    for e in edits_to_apply:
        if not 0 <= e.position <= len(bases) or e.position + len(e.ref) > len(bases):
            raise GenoViewInputError(f"edit {e.describe()} lies outside the sequence ({len(bases)} bases)")
        here = "".join(bases[e.position:e.position + len(e.ref)])
        if here != e.ref:
            raise GenoViewInputError(f"edit {e.describe()}: the sequence has {here or '-'} there, not {e.ref}")
        keep = min(len(e.ref), len(e.alt)) if e.kind in ("substitution", "replacement") else 0
        if e.kind == "swap":
            new_origin = [origin[e.position + 1], origin[e.position]]
        else:
            new_origin = origin[e.position:e.position + keep] + [-1] * (len(e.alt) - keep)
        bases[e.position:e.position + len(e.ref)] = list(e.alt)
        origin[e.position:e.position + len(e.ref)] = new_origin
    return MutatedSequence(sequence, "".join(bases), edits, np.asarray(origin, dtype=np.int64))


# ---------------------------------------------------------------- the study's random generator

def random_edit(sequence: str, rng: np.random.Generator, types: Sequence[str] = EDIT_TYPES) -> Edit:
    """One random edit of the given types (drawn uniformly), as the study's generator makes them."""
    n = len(sequence)
    bad = [t for t in types if t not in ALL_EDIT_TYPES]
    if bad:
        raise GenoViewInputError(f"unknown edit type {bad[0]!r}; choose from {', '.join(ALL_EDIT_TYPES)}")
    # a type that cannot apply is drawn again (the RNG stream, hence every seed's file, stays as it was);
    # when none can, say so instead of drawing forever (deletions only, on a gene cut down to one base)
    if not any(t == "insertion" or (t == "deletion" and n > 1) or (t == "substitution" and n > 0)
               or (t == "swap" and len(set(sequence)) > 1) for t in types):
        raise GenoViewInputError(
            f"no {' or '.join(sorted(set(types)))} edit applies to the sequence as it stands, {n} base(s) "
            f"({sequence[:20] or 'empty'}): a deletion needs 2 bases, a swap two different neighbours; "
            "add an edit type (--types; an insertion always applies) or allow fewer edits (--max-changes)")
    while True:
        kind = types[int(rng.integers(len(types)))]
        if kind == "insertion":
            return Edit(int(rng.integers(n + 1)), "", BASES[int(rng.integers(4))])
        if kind == "deletion" and n > 1:
            p = int(rng.integers(n))
            return Edit(p, sequence[p], "")
        if kind == "substitution" and n > 0:
            p = int(rng.integers(n))
            others = [b for b in BASES if b != sequence[p]]
            return Edit(p, sequence[p], others[int(rng.integers(3))])
        if kind == "swap":
            seq = np.frombuffer(sequence.encode(), dtype=np.uint8)
            candidates = np.flatnonzero(seq[:-1] != seq[1:])
            if candidates.size:
                p = int(candidates[int(rng.integers(candidates.size))])
                return Edit(p, sequence[p:p + 2], sequence[p + 1] + sequence[p])


def mutate_randomly(sequence: str, n_edits: int, rng: np.random.Generator,
                    types: Sequence[str] = EDIT_TYPES) -> MutatedSequence:
    """``n_edits`` random edits applied one after another to the current sequence."""
    current = strip_markers(sequence)
    edits = []
    for _ in range(n_edits):
        edit = random_edit(current, rng, types)
        edits.append(edit)
        current = current[:edit.position] + edit.alt + current[edit.position + len(edit.ref):]
    return apply_edits(sequence, edits, sequential=True)


@dataclass
class Pair:
    gene_id: str
    real: str
    mutated: str
    edits: list[Edit] = field(default_factory=list)


def make_pairs(genes: Sequence[Gene], n: int, max_changes: int, seed: int, types: Sequence[str] = EDIT_TYPES,
               progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> list[Pair]:
    """The study's pair file: n rows, each a gene drawn with replacement, k ~ U{1..max_changes} sequential edits."""
    if not genes:
        raise GenoViewInputError("no genes to mutate")
    if max_changes < 1 or n < 1:
        raise GenoViewInputError("--max-changes and --n must be at least 1")
    bad = [t for t in types if t not in ALL_EDIT_TYPES]
    if bad:
        raise GenoViewInputError(f"unknown edit type {bad[0]!r}; choose from {', '.join(ALL_EDIT_TYPES)}")
    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    rng = np.random.default_rng(seed)
    pairs = []
    for row in range(n):
        if row % 100 == 0:
            cancel.check()
            progress(row / n, None)
        gene = genes[int(rng.integers(len(genes)))]
        k = int(rng.integers(1, max_changes + 1))
        try:
            mutated = mutate_randomly(gene.sequence, k, rng, types)
        except GenoViewInputError as exc:
            # the gene's own length and the options to change (it read "gene g1, 5 edits: ... 1 base(s)")
            raise GenoViewInputError(f"gene {gene.id} ({len(strip_markers(gene.sequence)):,} bases), {k} edit"
                                     f"{'s' if k > 1 else ''} drawn: {exc.reason}") from None
        pairs.append(Pair(gene.id, gene.sequence, mutated.mutated, mutated.edits))
    progress(1.0, None)
    return pairs


def write_pairs(path: str | Path, pairs: Sequence[Pair], with_edits: bool = False,
                progress: ProgressCallback | None = None) -> None:
    """The study's CSV (both sequences with markers); ``with_edits`` adds an Edits column (1-based, ';'-joined);
    ``progress`` every 1,000 rows (a recorded run's heartbeat)."""
    progress = ensure_progress(progress)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    from genoview.core.io.gz import text_out

    try:   # pairs.csv.gz is gzip (its header naming pairs.csv), as read_pairs reads it
        with text_out(tmp, path) as handle:
            writer = csv.writer(handle)
            writer.writerow(PAIR_COLUMNS + (("Edits",) if with_edits else ()))
            for i, p in enumerate(pairs):
                if i % 1000 == 0:
                    progress(i / len(pairs), None)
                row = [p.gene_id, with_markers(p.real), with_markers(p.mutated)]
                if with_edits:
                    row.append(";".join(e.describe() for e in p.edits))
                writer.writerow(row)
    except BaseException:   # interrupted or failed: no half-written temporary file stays behind
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)


def read_pairs(path: str | Path) -> list[Pair]:
    path = Path(path)
    require_input_file(path, "a pair file")
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"   # by content: a plain pairs.csv.gz (older mutate) reads too
    opener = gzip.open if gzipped else open
    with read_as_text(path, "a pair file"), opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in PAIR_COLUMNS[1:] if c not in (reader.fieldnames or [])]
        if missing:
            first = (reader.fieldnames or [""])[0] or ""
            if first.startswith(">"):   # a FASTA (genes, a genome) said "missing column(s) RealNucleotideSequence, ..."
                raise GenoViewInputError("this is a FASTA file, not a pair file (CSV of "
                                         f"{','.join(PAIR_COLUMNS)}): make pairs from genes first, `genoview mutate "
                                         f"--genes {path.name} --max-changes 5 --n 1000 --seed 1 --out pairs.csv`, "
                                         "then score pairs.csv", path, 1)
            if "NucleotideSequence" in (reader.fieldnames or []):   # the genes file itself, given for its pairs
                raise GenoViewInputError("this is a file of genes (a NucleotideSequence column), not of real/mutated "
                                         "pairs: make pairs from it first, `genoview mutate --genes "
                                         f"{path.name} --held-out --max-changes 5 --n 1000 --seed 1 --out "
                                         "pairs.csv`, then score pairs.csv", path, 1)
            raise GenoViewInputError(f"missing column(s) {', '.join(missing)}; a pair file has "
                                     f"{','.join(PAIR_COLUMNS)} (as `genoview mutate` writes)", path, 1)
        pairs = []
        for line, row in enumerate(reader, 2):
            real, mutated = strip_markers(row["RealNucleotideSequence"] or ""), strip_markers(
                row["MutatedNucleotideSequence"] or "")
            if not real or not mutated or set(real + mutated) - set(BASES):
                where = next(((column, i + 1, base) for column, text in (("real", real), ("mutated", mutated))
                              for i, base in enumerate(text) if base not in BASES), None)
                said = f"; the {where[0]} sequence has {where[2]!r} at position {where[1]:,}" if where else ""
                raise GenoViewInputError("sequences must be non-empty and of A, C, G, T (markers < > allowed)"
                                         + said, path, line)
            pairs.append(Pair(row.get("NCBIGeneID") or f"row{line}", real, mutated))
    if not pairs:
        raise GenoViewInputError("no pairs in this file", path)
    return pairs


# ---------------------------------------------------------------- typed edits

_EDIT_RE = re.compile(
    r"^\s*(?P<pos>\d+)(?:_(?P<end>\d+))?\s*(?:(?:swap)?(?P<ref>[ACGT]+)\s*>\s*(?P<alt>[ACGT]+)|del(?P<dref>[ACGT]*)"
    r"|ins(?P<ins>[ACGT]+))\s*$",
    re.IGNORECASE)


def parse_edits(text: str, sequence: str) -> list[Edit]:
    """Edits typed by a user, 1-based on the real sequence, separated by commas, semicolons or new lines:
    ``12A>G`` (substitution; ``12AC>GT`` replaces several), ``12del`` or ``12delA`` (deletion of base 12),
    ``12insT`` (insertion before base 12; n+1 appends); also as :meth:`Edit.describe` writes them (the panel's status
    line), so a shown edit can be typed back: ``12_13insT``, ``12_14delACG``, ``12_13swapAC>CA``, ``12_13AC>GT``."""
    sequence = strip_markers(sequence)
    edits = []
    for item in filter(None, (part.strip() for part in re.split(r"[,;\n]", text))):
        match = _EDIT_RE.match(item)
        if not match:
            raise GenoViewInputError(f"cannot read the edit {item!r}; write 12A>G, 12del, 12delA or 12insT "
                                     "(1-based positions on the real sequence), or as the status line shows edits "
                                     "(12_13insT, 12_14delACG)")
        pos = int(match["pos"]) - 1
        end = int(match["end"]) if match["end"] else None   # 1-based, inclusive (HGVS ranges)
        if end is not None and match["ins"]:
            if end != pos + 2:
                raise GenoViewInputError(f"edit {item!r}: an insertion goes between two neighbouring bases "
                                         f"({pos + 1}_{pos + 2}ins...)")
            pos = end - 1   # between bases p and p+1 is before base p+1
        ref = (match["ref"] or match["dref"] or "").upper()
        length = len(ref) or 1
        if end is not None and not match["ins"]:
            if end <= pos or (ref and len(ref) != end - pos):
                raise GenoViewInputError(f"edit {item!r}: {pos + 1}_{end} spans {max(0, end - pos)} bases"
                                         + (f", not the {len(ref)} of {ref}" if ref else ""))
            length = end - pos   # 12_14del: the bases the range covers (checked against the sequence below)
        if match["ins"]:
            if not 0 <= pos <= len(sequence):
                raise GenoViewInputError(f"edit {item!r}: position {pos + 1} is outside 1..{len(sequence) + 1}")
            edits.append(Edit(pos, "", match["ins"].upper()))
            continue
        if not 0 <= pos < len(sequence) or pos + length > len(sequence):
            raise GenoViewInputError(f"edit {item!r}: position {pos + 1} is outside 1..{len(sequence)}")
        here = sequence[pos:pos + length]
        if ref and here != ref:
            raise GenoViewInputError(f"edit {item!r}: the sequence has {here} at {pos + 1}, not {ref}")
        alt = (match["alt"] or "").upper()
        if match["alt"] and alt == here:   # 100G>G: the "mutated" copy was the real one, scored as if changed
            raise GenoViewInputError(f"edit {item!r} changes nothing: the sequence has {here} at {pos + 1}; write "
                                     f"the base{'s' if len(here) > 1 else ''} it becomes after the >")
        edits.append(Edit(pos, here, alt))
    if not edits:   # Mutate & compare with an empty field compared the real sequence with itself
        raise GenoViewInputError("no edits typed; write 12A>G, 12del, 12delA or 12insT (1-based positions on the real "
                                 "sequence), separated by commas")
    return edits


# ---------------------------------------------------------------- VCF

@dataclass(frozen=True)
class Variant:
    seqid: str
    position: int       # 0-based
    ref: str
    alt: str
    line: int
    id: str = "."
    alternatives: tuple[str, ...] = ()   # every ALT of a multi-allelic line ('alt' is the first)


def read_vcf(path: str | Path) -> list[Variant]:
    """Variants of a VCF (plain or gzip): CHROM, POS, ID, REF, ALT; the first ALT of a multi-allelic line."""
    path = Path(path)
    require_input_file(path, "a VCF", "check the VCF's path")
    with open(path, "rb") as raw:
        opener = gzip.open if raw.read(2) == b"\x1f\x8b" else open   # by content (bgzip is gzip), not by name
    variants = []
    with read_as_text(path, "a VCF"), opener(path, "rt", encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 5:
                cols = line.split()
            if len(cols) < 5:
                raise GenoViewInputError("expected tab-separated CHROM POS ID REF ALT", path, line_no)
            chrom, pos, vid, ref, alt = cols[:5]
            if not pos.isdigit() or int(pos) < 1:
                raise GenoViewInputError(f"POS {pos!r} is not a positive integer", path, line_no)
            alternatives = tuple(a.upper() for a in alt.split(","))
            alt = alternatives[0]
            ref = ref.upper()
            if not re.fullmatch(r"[ACGTN]+", ref) or not re.fullmatch(r"[ACGTN]*|\*", alt) or alt.startswith("<"):
                raise GenoViewInputError(f"REF {ref!r} / ALT {alt!r}: only sequence alleles are supported "
                                         "(no symbolic <DEL> or breakends)", path, line_no)
            variants.append(Variant(chrom, int(pos) - 1, ref, "" if alt == "*" else alt, line_no, vid,
                                    alternatives if len(alternatives) > 1 else ()))
    return variants


def vcf_chrom_alias(variants: Sequence[Variant], seqid: str) -> str | None:
    """The VCF's CHROM name for ``seqid`` when it differs only by a 'chr' prefix ("chr7" for "7", "7" for "chr7",
    "chrKRAS" for a FASTA record "KRAS"), the most common mismatch between a hand-written or UCSC VCF and a FASTA;
    None when the VCF names ``seqid`` itself, or no such name, or two of them."""
    names = {v.seqid for v in variants}
    if seqid in names:
        return None
    bare = seqid[3:] if seqid.lower().startswith("chr") else seqid
    candidates = {n for n in names if (n[3:] if n.lower().startswith("chr") else n) == bare}
    return candidates.pop() if len(candidates) == 1 else None


def vcf_edits(variants: Sequence[Variant], reference: str, seqid: str, start: int, path: str | Path | None = None,
              notes: list[str] | None = None) -> list[Edit]:
    """Edits (0-based on ``reference`` = the genome's bases from ``start``) of the variants on ``seqid`` lying in it.

    REF must match the genome: otherwise an input error naming the VCF line. A shared first base (VCF's
    anchor of indels) is kept as it is. A CHROM differing from ``seqid`` only by a 'chr' prefix is read as it,
    and a multi-allelic line gives its first ALT; both are said in ``notes`` (no silent change). Two lines
    changing the same base (a multi-allelic site split into lines) are an error naming both lines.
    """
    edits = []
    lines = []
    end = start + len(reference)
    chrom = vcf_chrom_alias(variants, seqid) or seqid
    if chrom != seqid and notes is not None:
        notes.append(f"the VCF's CHROM {chrom} read as {seqid} (this sequence's name)")
    for v in variants:
        if v.seqid != chrom or v.position < start or v.position + len(v.ref) > end:
            continue
        here = reference[v.position - start:v.position - start + len(v.ref)].upper()
        if here != v.ref:
            raise GenoViewInputError(f"REF {v.ref} does not match the genome at {seqid}:{v.position + 1} "
                                     f"({here}); is the VCF for this genome?", path, v.line)
        if v.alternatives and notes is not None:
            notes.append(f"line {v.line}: {v.ref}>{','.join(v.alternatives)} is multi-allelic; its first ALT, "
                         f"{v.alt or '*'}, was applied (a copy carries one allele)")
        ref, alt, pos = v.ref, v.alt, v.position - start
        while ref and alt and ref[0] == alt[0]:          # drop the anchor base(s)
            ref, alt, pos = ref[1:], alt[1:], pos + 1
        if ref or alt:
            edits.append(Edit(pos, ref, alt))
            lines.append(v.line)
    # apply_edits' overlap rule, said with the VCF's lines (it named only the edits, not where they came from)
    order = sorted(range(len(edits)), key=lambda i: (edits[i].position, len(edits[i].ref)))
    last_end, last = -1, None
    for i in order:
        if last is not None and edits[i].position < last_end:
            raise GenoViewInputError(
                f"lines {lines[last]} and {lines[i]} change the same bases ({edits[last].describe()} and "
                f"{edits[i].describe()} in the real sequence); a mutated copy carries one allele per base: "
                "keep one of the two lines",
                path, lines[i])
        if edits[i].position + len(edits[i].ref) >= last_end:
            last_end, last = edits[i].position + len(edits[i].ref), i
    return edits


def letters_models_cannot_read(bases: str) -> tuple[list[tuple[int, int]], list[str], tuple[int, int]]:
    """Where ``bases`` holds letters other than A, C, G, T (a draft's N runs, IUPAC codes), for a refusal that says
    where they are and what to take instead: (their runs as [start, end) offsets, the letters, the longest stretch
    without them as (start, end)); no runs: ([], [], (0, len)). The window's pasted or chosen sequence and
    `genoview mutate --vcf`'s region are refused with it before any language model reads them."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"[^ACGT]+", bases)]
    letters = sorted(set("".join(bases[a:b] for a, b in runs)))
    edges = [0] + [x for run in runs for x in run] + [len(bases)]
    clean = max(zip(edges[::2], edges[1::2]), key=lambda ab: ab[1] - ab[0])
    return runs, letters, clean


def check_vcf_alt_bases(variants: Sequence[Variant], seqid: str, start: int, end: int,
                        path: str | Path | None = None) -> None:
    """Refuse, naming its VCF line, an ALT holding letters other than A, C, G, T (N, IUPAC codes, '*') among the
    lines :func:`vcf_edits` applies on ``seqid`` in [start, end) (REF wholly inside): the mutated copy would hold them
    and a language model refuses it afterwards, naming a position in the copy rather than the line to fix
    (``genoview mutate --vcf`` and the Real vs mutated panel's VCF mode)."""
    chrom = vcf_chrom_alias(variants, seqid) or seqid
    for v in variants:
        if v.seqid == chrom and start <= v.position and v.position + len(v.ref) <= end and set(v.alt) - set("ACGT"):
            raise GenoViewInputError(f"ALT {v.alt} holds letters other than A, C, G, T; language models read A, C, "
                                     "G and T only: give that line a base, or leave it out", path, v.line)


def iter_pairs_chunks(pairs: Sequence[Pair], size: int) -> Iterator[Sequence[Pair]]:
    for i in range(0, len(pairs), size):
        yield pairs[i:i + size]
