"""A genome: its sequences (read lazily, ~1 byte per base), its features, label masks and train/test splits."""
from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.io import index, read_annotation
from genoview.core.io.features import Feature, FeatureTable
from genoview.core.io.sequence import (
    SequenceRecord,
    base_counts,
    encode,
    gc_fraction_of_counts,
    n_count_of_counts,
    windowed_gc,
)
from genoview.core.jobs import CancelToken, ProgressCallback, wrap_progress

GENE_TYPES = ("gene", "pseudogene")
# per-base classes of Genome.coding_frame_classes: genic bases refined by strand and codon position
CODING_FRAME_CLASSES = (
    "non-genic", "genic, no CDS",
    "CDS + codon position 1", "CDS + codon position 2", "CDS + codon position 3",
    "CDS - codon position 1", "CDS - codon position 2", "CDS - codon position 3",
)
# the class each class becomes when the sequence is read on the other strand (reverse complement): a CDS's
# codon position counts from its own 5' end, so + strand position p becomes - strand position p and back
CODING_FRAME_REVERSE = np.array([0, 1, 5, 6, 7, 2, 3, 4])

__all__ = [
    "CODING_FRAME_CLASSES", "CODING_FRAME_REVERSE", "GENE_TYPES", "Feature", "FeatureTable", "Genome", "SequenceRecord", "base_counts", "encode",
    "check_annotation", "check_features", "circular_sequences", "gc_fraction_of_counts", "genic_mask",
    "n_count_of_counts", "open_genome", "Region", "split_bounds", "split_sequences", "windowed_gc",
]


class Genome:
    """Sequences (``dict[str, SequenceRecord]`` in file order) and their annotation (a :class:`FeatureTable`)."""

    def __init__(self, path: str | None, sequences: dict[str, SequenceRecord],
                 features: FeatureTable | None = None, annotation_path: str | None = None):
        self.path = path
        self.sequences = sequences
        self.features = features if features is not None else FeatureTable()
        self.annotation_path = annotation_path

    def __repr__(self) -> str:
        return f"Genome({self.path!r}, {len(self.sequences)} sequences, {len(self.features)} features)"

    @property
    def total_length(self) -> int:
        return sum(record.length for record in self.sequences.values())

    def record(self, seqid: str) -> SequenceRecord:
        """The sequence ``seqid``, or an error listing the ids there are."""
        try:
            return self.sequences[seqid]
        except KeyError:
            known = ", ".join(list(self.sequences)[:5]) + (", ..." if len(self.sequences) > 5 else "")
            raise GenoViewInputError(f"no sequence {seqid!r} in this genome (it has: {known})", self.path) from None

    def load_annotation(self, path: str | os.PathLike, strict: bool = False) -> FeatureTable:
        """Read and check an annotation (GFF3, GTF, GenBank) and attach it; on error the genome is unchanged.

        ``strict`` refuses a file with any bad line; by default sound lines load and ``features.report``
        lists what was skipped or repaired (see :mod:`genoview.core.io.gff`)."""
        path = os.fspath(path)
        features, regions = read_annotation(path, strict=strict)
        check_annotation(self.sequences, features, regions, path)
        self.features, self.annotation_path = features, path
        return features

    def label_mask(self, seqid: str, types: Iterable[str] | str = GENE_TYPES, strand: int | None = None) -> np.ndarray:
        """Bases of ``seqid`` covered by a feature of ``types`` (on ``strand`` +1/-1, or either when None)."""
        return genic_mask(self.features, seqid, self.record(seqid).length, types, strand)

    def coding_frame_classes(self, seqid: str, genic: np.ndarray, cds_types: Iterable[str] = ("CDS",)) -> np.ndarray:
        """Per-base classes (int64, see :data:`CODING_FRAME_CLASSES`) refining a genic mask with reading frames.

        0 = not genic; 1 = genic but in no CDS (RNA genes, pseudogenes); 2..4 = in a CDS on the + strand at
        codon position 1..3 counted from the CDS's 5' end (after the GFF phase of a one-part CDS: phase 1 or 2
        means the CDS starts inside a codon); 5..7 the same on the - strand. A multi-part CDS counts its
        positions across its parts (spliced or wrapping the origin). Where CDSs overlap, the later one in the
        annotation wins. Genic = class > 0, so the union of genic classes is exactly ``genic``.
        """
        genic = np.asarray(genic, dtype=bool)
        classes = genic.astype(np.int64)
        for feature in self.features.on(seqid, tuple(cds_types)):
            parts = sorted(feature.parts, reverse=feature.strand < 0)
            # bases of this CDS already walked 5' to 3', less the phase (bases that finish a codon begun before)
            done = -int(feature.phase or 0) if len(parts) == 1 else 0
            for start, end in parts:
                positions = np.arange(start, end)
                if feature.strand < 0:
                    codon = (done + (end - 1 - positions)) % 3 + 5
                else:
                    codon = (done + (positions - start)) % 3 + 2
                classes[start:end] = codon
                done += end - start
        classes[~genic] = 0
        return classes

    def close(self) -> None:
        """Release the file handles the sequences hold."""
        for record in self.sequences.values():
            record.close()

    def __enter__(self) -> Genome:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()



@dataclass(frozen=True)
class Region:
    """0-based half-open ``[start, end)`` of one sequence (training parts, evaluation scopes)."""

    seqid: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return max(0, self.end - self.start)

    def overlap(self, seqid: str, start: int, end: int) -> int:
        """How many bases of ``seqid:[start, end)`` lie in this region."""
        return max(0, min(end, self.end) - max(start, self.start)) if seqid == self.seqid else 0

def genic_mask(features: FeatureTable, seqid: str, length: int, types: Iterable[str] | str = GENE_TYPES,
               strand: int | None = None, window: tuple[int, int] | None = None) -> np.ndarray:
    """The one definition of genic labels: bases of ``seqid`` covered by a feature of ``types`` (on ``strand``
    +1/-1, or either when None), every part of it (both pieces of a feature across a circular origin).
    ``window`` (start, end): the labels of those bases only (a region of a long chromosome, not all of it)."""
    lo, hi = (0, length) if window is None else (max(0, int(window[0])), min(length, int(window[1])))
    mask = np.zeros(max(0, hi - lo), dtype=bool)
    for feature in features.on(seqid, types):
        if strand is None or feature.strand == strand:
            for start, end in feature.parts:
                if end > lo and start < hi:
                    mask[max(start, lo) - lo:min(end, hi) - lo] = True
    return mask


def circular_sequences(features: FeatureTable) -> set[str]:
    """Sequences the annotation declares circular: a ``region`` feature with ``Is_circular=true`` (as NCBI writes)."""
    return {f.seqid for f in features if f.type == "region" and f.attributes.get("Is_circular", "").lower() == "true"}


def check_annotation(sequences: Mapping[str, SequenceRecord], features: FeatureTable,
                     regions: dict[str, tuple[int, int]], path: str) -> None:
    """Every feature must lie on a known sequence and within it; declared regions must match the lengths."""
    check_features({seqid: record.length for seqid, record in sequences.items()}, features, regions, path)


def check_features(lengths: Mapping[str, int], features: FeatureTable, regions: dict[str, tuple[int, int]],
                   path: str, what: str = "the genome") -> None:
    """:func:`check_annotation` against sequence lengths (the CLI may take them from ``##sequence-region`` lines).

    On a circular sequence (a ``region`` with ``Is_circular=true``, as NCBI writes) a feature may run
    past the end across the origin, as GFF3 allows: it is cut at the end and its rest added as a part
    from 0, so label masks cover both pieces while ``start``..``end`` stays the piece before the origin.
    A feature on a sequence not in ``lengths``, or past the end of a linear one, is an error (never
    silently dropped or clipped).
    """
    circular = circular_sequences(features)
    for seqid, (start, end) in regions.items():
        length = lengths.get(seqid)
        if length is not None and start == 0 and end != length:
            raise GenoViewInputError(
                f"##sequence-region says {seqid} has {end:,} bases but the sequence has {length:,}; "
                "the annotation is for another assembly", path,
            )
    for feature in features:
        length = lengths.get(feature.seqid)
        if length is None:
            known = ", ".join(list(lengths)[:5]) + (", ..." if len(lengths) > 5 else "")
            error = GenoViewInputError(
                f"sequence {feature.seqid!r} is not in {what} (it has: {known}); "
                + renaming_hint(feature.seqid, lengths, features, path), path, feature.line,
            )
            # the names the hint proposes, for a window to offer a renamed copy (write_renamed_annotation)
            error.renaming = sequence_renaming(lengths, features)
            # sequences the FASTA lacks beside ones it has: {name: None}, a copy without their features to offer
            error.dropping = {} if error.renaming else missing_sequences(lengths, features)
            raise error
        if feature.end > length and feature.seqid in circular and feature.end <= 2 * length:
            _wrap_across_origin(feature, length)
        if feature.end > length:
            # in a GTF the GFF3 words (Is_circular=true) are a malformed attribute: its own line, tab-separated
            region = (f'a region line carrying Is_circular "true" and a gene_id, in GTF: {feature.seqid} . region 1 '
                      f'{length} . + . gene_id "{feature.seqid}"; Is_circular "true";'
                      if getattr(features, "gtf", False) else "a region line carrying Is_circular=true")
            hint = ("" if feature.seqid in circular else
                    f"; if the sequence is circular and the feature crosses its origin, declare it with {region}")
            raise GenoViewInputError(
                f"feature ends at {feature.end:,}, past the end of {feature.seqid} ({length:,} bases){hint}",
                path, feature.line,
            )


def _plain_name(name: str) -> str:
    """A sequence name without what often differs between a FASTA and its annotation: case, 'chr', '.version'."""
    name = name.lower()
    name = name[3:] if name.startswith("chr") else name
    return name.rsplit(".", 1)[0] if "." in name and name.rsplit(".", 1)[1].isdigit() else name


def sequence_renaming(lengths: Mapping[str, int], features) -> dict[str, str]:
    """{annotation's name: genome's name} for every sequence the annotation names that the genome lacks, when each
    stands for exactly one of the genome's (as :func:`renaming_hint` finds it); {} when any does not."""
    unknown = list(dict.fromkeys(f.seqid for f in features if f.seqid not in lengths))
    named = {f.seqid for f in features if f.seqid in lengths}   # a name in use: never renamed onto (merged)
    renaming = {}
    for seqid in unknown:
        match = [name for name in lengths if _plain_name(name) == _plain_name(seqid) and name not in named]
        if len(match) != 1 and len(lengths) == 1 and len(unknown) == 1 and not named:
            match = list(lengths)
        if len(match) != 1:
            return {}
        renaming[seqid] = match[0]
    return renaming if len(set(renaming.values())) == len(renaming) else {}


def missing_sequences(lengths: Mapping[str, int], features) -> dict[str, None]:
    """{name: None} for each sequence the annotation names that the genome lacks, when the annotation also names the
    genome's own sequences and none of the missing ones stands for one of them (a plasmid or chromosome missing from
    the FASTA, :func:`renaming_hint`'s case); {} otherwise. For write_renamed_annotation: their lines are left out."""
    named = {f.seqid for f in features if f.seqid in lengths}
    unknown = list(dict.fromkeys(f.seqid for f in features if f.seqid not in lengths))
    if not named or not unknown or any(_plain_name(name) == _plain_name(seqid) for seqid in unknown
                                       for name in lengths if name not in named):
        return {}
    return {seqid: None for seqid in unknown}


def write_renamed_annotation(path: str | os.PathLike, renaming: Mapping[str, str | None], folder: str | os.PathLike
                             ) -> str:
    """A copy of the GFF3/GTF file ``path`` with its sequence names as ``renaming`` says (the first column and the
    ``##sequence-region`` lines; every other byte as written), what :func:`renaming_hint`'s command makes. Written
    beside the file as NAME.renamed.gff3 (a free name), else in ``folder`` when that folder is read-only; returns
    its path. The file itself is never changed. A copy already there with the very same bytes is reused, and a copy
    renamed again keeps one '.renamed' (each reopening wrote NAME.renamed-2, -3, ...; NAME.renamed.renamed.gff3)."""
    import gzip
    import hashlib
    import re

    from genoview.core.io.atomic import write_atomically

    path = os.fspath(path)
    name = os.path.basename(path)
    for suffix in (".gz", ".bgz"):
        name = name[: -len(suffix)] if name.lower().endswith(suffix) else name
    stem, ext = os.path.splitext(name)
    stem = re.sub(r"\.(renamed|kept)(-\d+)?$", "", stem)   # a copy renamed again: NAME.renamed.gff3, not .renamed.renamed
    kind = "kept" if any(value is None for value in renaming.values()) else "renamed"   # None: lines left out
    ext = ext if ext.lower() in (".gff", ".gff3", ".gtf") else ".gff3"
    here = os.path.dirname(os.path.abspath(path))
    folders = ([here] if os.access(here, os.W_OK) else []) + [os.fspath(folder)]

    with open(path, "rb") as handle:
        opener = gzip.open if handle.read(2) == b"\x1f\x8b" else open

    def renamed_lines():
        # a line left out is left empty (GFF3 and GTF skip empty lines): every other line keeps its number, so what
        # a report says of the copy's line 7 is line 7 of the file the user edits (it was line 8 after one dropped)
        with opener(path, "rt", encoding="utf-8", errors="surrogateescape", newline="") as source:
            for line in source:
                if line.startswith("##sequence-region"):
                    head, name, tail = re.match(r"(##sequence-region\s+)(\S*)(.*)", line, re.S).groups()
                    if name in renaming and renaming[name] is None:
                        yield "\n" if line.endswith("\n") else ""
                        continue
                    line = head + renaming.get(name, name) + tail
                elif not line.startswith("#"):
                    seqid, tab, rest = line.partition("\t")
                    if tab and seqid in renaming:
                        if renaming[seqid] is None:
                            yield "\n" if line.endswith("\n") else ""
                            continue
                        line = renaming[seqid] + tab + rest
                yield line

    def digest(lines) -> tuple[int, bytes]:
        hashed, size = hashlib.sha256(), 0
        for chunk in lines:
            hashed.update(chunk)
            size += len(chunk)
        return size, hashed.digest()

    wanted = None

    def same_copy(target: str) -> bool:
        """``target`` holds exactly the renamed copy (the user opened the same file and renaming again)."""
        nonlocal wanted
        try:
            size = os.path.getsize(target)
            if wanted is None:
                wanted = digest(line.encode("utf-8", "surrogateescape") for line in renamed_lines())
            if size != wanted[0]:
                return False
            with open(target, "rb") as handle:
                return digest(iter(lambda: handle.read(1 << 20), b"")) == wanted
        except OSError:
            return False

    def free_name(where: str) -> tuple[str, bool]:
        target, number = os.path.join(where, f"{stem}.{kind}{ext}"), 1
        while os.path.exists(target):
            if same_copy(target):
                return target, True
            number += 1
            target = os.path.join(where, f"{stem}.{kind}-{number}{ext}")
        return target, False

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape", newline="") as out:
            out.writelines(renamed_lines())

    for i, where in enumerate(folders):
        try:
            os.makedirs(where, exist_ok=True)
            target, there = free_name(where)
            if not there:
                write_atomically(target, write)
            return target
        except PermissionError:   # a folder the system refused after all (a read-only mount): GenoView's own
            if i == len(folders) - 1:
                raise
    raise AssertionError("unreachable")


def renaming_hint(seqid: str, lengths: Mapping[str, int], features, path) -> str:
    """How to fix an annotation whose sequence names do not match the genome's: the one the name stands for (the
    same but for case, 'chr' or a '.1' version; or the genome's only sequence), with a command that renames it;
    else "use the annotation made for this genome". A newcomer saw only the refusal."""
    unknown = list(dict.fromkeys(f.seqid for f in features if f.seqid not in lengths))
    named = list(dict.fromkeys(f.seqid for f in features if f.seqid in lengths))
    match = [name for name in lengths if _plain_name(name) == _plain_name(seqid) and name not in named]
    if named and not match:   # chromosome 2 (or a plasmid) missing from the FASTA: renaming it onto chromosome 1,
        return _missing_sequences_hint(unknown, named, features, path)   # as was offered, merged their genes
    if len(match) == 1:
        chr_only = seqid.lower().startswith("chr") != match[0].lower().startswith("chr")   # chrNC_002951.2 / NC_002951.2
        kind = ("the version suffix" if seqid.split('.')[0] == match[0].split('.')[0]
                else "a 'chr' prefix" if chr_only and _plain_name(seqid) == _plain_name(match[0]) else "spelling")
        why = f"the names differ only in {kind}"
    elif len(lengths) == 1 and len(unknown) == 1 and not named:
        match, why = list(lengths), "the genome has one sequence and the annotation names one other"
    else:
        names = ", ".join(repr(n) for n in unknown[:3]) + (", ..." if len(unknown) > 3 else "")
        return (f"the annotation names {len(unknown)} sequence(s) the genome lacks ({names}): use the annotation "
                "made for this genome, or rename its first column to the genome's names")
    target = match[0]
    file = os.path.basename(os.fspath(path)) if path else "annotation.gff3"
    # awk, an exact match of the first column: sed's '\t' in a pattern is 't' to macOS's BSD sed (the file came out
    # unchanged), and a name's '.' or '|' ('gi|49175990|ref|NC_002951.2|') are pattern letters to sed
    stem, ext = os.path.splitext(file)
    packed = ext.lower() in (".gz", ".bgz")
    if packed:   # awk read genes.gff3.gz's compressed bytes and wrote garbage to 'renamed.gz': unpack in the pipe
        ext = os.path.splitext(stem)[1]
    out = f"renamed{ext or '.gff3'}"
    out = out if out != file else f"renamed-names{ext}"   # '> renamed.gff3' emptied renamed.gff3
    # its ##sequence-region line too (a copy renamed in the first column only kept the old name there, and the
    # lengths read from those lines then named the renamed features unknown): the line rebuilt with single spaces
    rename = (f"awk -F'\\t' -v OFS='\\t' '/^##sequence-region[ \\t]/ {{ n = split($0, w, /[ \\t]+/); "
              f"if (w[2] == \"{seqid}\") {{ $0 = w[1] \" {target}\"; for (i = 3; i <= n; i++) $0 = $0 \" \" w[i] }} "
              f"print; next }} $1 == \"{seqid}\" {{ $1 = \"{target}\" }} 1'")
    command = (f"gzip -dc {shlex.quote(file)} | {rename} > {out}" if packed else f"{rename} {shlex.quote(file)} > {out}")
    return f"{why}: if {seqid!r} is {target!r}, rename it in the annotation's first column, e.g. {command}"


def _missing_sequences_hint(unknown: list, named: list, features, path) -> str:
    """The annotation covers the genome's sequences and others the FASTA lacks: say which (with their feature counts),
    and how to keep only the features of the sequences the genome has (an exact awk filter, gzip unpacked)."""
    counts = {seqid: 0 for seqid in unknown}
    for feature in features:
        if feature.seqid in counts:
            counts[feature.seqid] += 1
    missing = ", ".join(f"{seqid!r} ({count:,} features)" for seqid, count in list(counts.items())[:3])
    missing += f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
    text = (f"the annotation also describes {len(unknown)} sequence(s) this genome file lacks: {missing} (a "
            "chromosome or plasmid missing from the FASTA?); open the genome file that has every sequence, or an "
            "annotation of the genome's sequences only")
    if len(named) > 20 or any(c.isspace() or c in "'\"\\" for name in named for c in name):
        return text
    file = os.path.basename(os.fspath(path)) if path else "annotation.gff3"
    stem, ext = os.path.splitext(file)
    packed = ext.lower() in (".gz", ".bgz")
    ext = os.path.splitext(stem)[1] if packed else ext
    # a ##FASTA section is kept as it is (the filter dropped its lines: the copy ended at '##FASTA' and would not
    # open, "the FASTA file is empty"), so the command writes what write_renamed_annotation's kept copy holds
    keep = (f"awk -F'\\t' 'BEGIN {{ n = split(\"{' '.join(named)}\", k, \" \"); for (i = 1; i <= n; i++) keep[k[i]] = 1 }} "
            "/^##FASTA/ { fasta = 1 } fasta { print; next } "
            "/^##sequence-region/ { split($0, w, \" \"); print ((w[2] in keep) ? $0 : \"\"); next } "
            "{ print ((/^#/ || ($1 in keep)) ? $0 : \"\") }'")
    out = f"kept{ext or '.gff3'}"
    out = out if out != file else f"kept-features{ext}"   # 'awk ... kept.gff3 > kept.gff3' emptied the annotation
    command = f"gzip -dc {shlex.quote(file)} | {keep} > {out}" if packed else f"{keep} {shlex.quote(file)} > {out}"
    return f"{text}, e.g. {command}"


def _wrap_across_origin(feature: Feature, length: int) -> None:
    parts = []
    for start, end in feature.parts:
        if end <= length:
            parts.append((start, end))
        elif start >= length:
            parts.append((start - length, end - length))
        else:
            parts += [(start, length), (0, end - length)]
    feature.end = min(feature.end, length)
    feature._parts = sorted(parts)


def open_genome(fasta_path: str | os.PathLike, annotation_path: str | os.PathLike | None = None, *,
                progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                strict: bool = False) -> Genome:
    """Open a FASTA (plain/gzip/bgzip), GenBank or GFF3-with-##FASTA file, with an optional annotation file.

    ``strict`` refuses annotations with any bad line; by default they load with ``genome.features.report``."""
    path = os.fspath(fasta_path)
    sequences, features = index(path, wrap_progress(progress, 0.0, 0.9), cancel, strict=strict)
    genome = Genome(path, sequences, features, path if features is not None else None)
    if features is not None:
        check_annotation(sequences, features, {}, path)
    if annotation_path is not None:
        try:
            genome.load_annotation(annotation_path, strict=strict)
        except BaseException:
            genome.close()
            raise
    if progress is not None:
        progress(1.0, "genome open")
    return genome


def split_bounds(length: int, frac_from: float, frac_to: float) -> tuple[int, int]:
    """The [start, end) of a fraction of a sequence: ``int(length * frac)``, exactly as score_track.py does.

    The one place split bounds are computed: training, calibration, evaluation and the GUI all call it.
    """
    if not 0.0 <= frac_from <= frac_to <= 1.0:
        raise ValueError(f"split fractions must satisfy 0 <= from <= to <= 1, not {frac_from}..{frac_to}")
    return int(length * frac_from), int(length * frac_to)


def split_sequences(genome: Genome, held_out_ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """(training ids, held-out ids) for a split by whole sequences, both in file order."""
    held_out = set(held_out_ids)
    unknown = held_out - set(genome.sequences)
    if unknown:
        raise GenoViewInputError(f"held-out sequences not in the genome: {', '.join(sorted(unknown))}", genome.path)
    train = [seqid for seqid in genome.sequences if seqid not in held_out]
    return train, [seqid for seqid in genome.sequences if seqid in held_out]
