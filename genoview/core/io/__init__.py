"""Readers for genome files behind two calls: ``index(path)`` for sequences, ``read_annotation(path)`` for features.

The format is decided from the content (first non-blank line, after gzip), never from the extension alone.
"""
from __future__ import annotations

import gzip
import os
import zlib

from genoview.core.errors import GenoViewInputError, require_input_file
from genoview.core.io.features import Feature, FeatureTable
from genoview.core.io.report import AnnotationReport, ReportEntry
from genoview.core.io.sequence import SequenceRecord
from genoview.core.jobs import CancelToken, ProgressCallback

BIGWIG_MAGIC = (b"\x26\xfc\x8f\x88", b"\x88\x8f\xfc\x26")   # a bigWig's first 4 bytes: 0x888FFC26, either byte order

FASTA, GENBANK, GFF = "fasta", "genbank", "gff"

__all__ = ["FASTA", "GENBANK", "GFF", "AnnotationReport", "Feature", "FeatureTable", "ReportEntry", "SequenceRecord",
           "detect_format", "index", "read_annotation"]


def _head(path: str, size: int = 65536) -> bytes:
    try:
        with open(path, "rb") as handle:
            head = handle.read(size)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                head = handle.read(size)
    except FileNotFoundError:
        raise GenoViewInputError("file not found; check the path", path) from None
    except IsADirectoryError:
        raise GenoViewInputError("this is a folder, not a genome file", path) from None
    except (OSError, EOFError, zlib.error) as exc:
        raise GenoViewInputError(f"cannot read the file ({exc}); it is damaged or truncated", path) from None
    return head


ARCHIVES = ((b"PK\x03\x04", "zip archive"), (b"BZh", "bzip2 file"), (b"\xfd7zXZ\x00", "xz file"),
            (b"7z\xbc\xaf", "7-Zip archive"), (b"\x28\xb5\x2f\xfd", "Zstandard file"))
KNOWN_BINARIES = ((b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
                  (b"%PDF", "PDF document"), (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"))


def refuse_binary(path: str, first: bytes) -> None:
    """Raise a message naming what ``first`` (a file's first bytes, not FASTA/GenBank/GFF) is when it is no text:
    an archive, a picture or document, a binary track, or other bytes."""
    archive = next((name for magic, name in ARCHIVES if first.startswith(magic)), None)
    if archive:   # "a binary file (a bigWig, BAM or other)" for a zip a collaborator sent
        raise GenoViewInputError(f"a {archive}, not a genome or annotation: unpack it first and open the FASTA, "
                                 "GenBank or GFF3/GTF file inside (plain or gzip)", path)
    kind_of = next((name for magic, name in KNOWN_BINARIES if first.startswith(magic)), None)
    if kind_of:   # a picture or a document saved under a genome's name: said "it starts with '\ufffdPNG'"
        raise GenoViewInputError(f"this is a {kind_of}, not a genome or annotation (whatever its name says); open "
                                 "the FASTA, GenBank or GFF3/GTF file", path)
    if first[:4] in BIGWIG_MAGIC:
        raise GenoViewInputError("a bigWig track (values along the genome), not a genome or annotation; open the "
                                 "FASTA, GenBank or GFF3/GTF file, and score the track against the annotation with "
                                 "`genoview evaluate --bedgraph TRACK.bw --gff ANNOTATION`", path)
    if b"\x00" in first[:200] or first[:4] == b"BAM\x01":   # BAM, ...
        raise GenoViewInputError("a binary file (a bigWig, BAM or other), not a genome or annotation; expected "
                                 "FASTA ('>'), GenBank ('LOCUS'), EMBL ('ID') or GFF3/GTF", path)
    if starts_as_binary(first):
        raise GenoViewInputError("unrecognised file: it starts with binary data (is it compressed, or another "
                                 "kind of file?); expected FASTA ('>'), GenBank ('LOCUS'), EMBL ('ID') or "
                                 "GFF3/GTF", path)


def starts_as_binary(first: bytes) -> bool:
    """Whether a file's first bytes are no UTF-8 text (a cut-off letter at the end of the 40 bytes read is text)."""
    try:
        first[:40].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < 36
    return False


def detect_format(path: str | os.PathLike) -> str:
    """``"fasta"``, ``"genbank"`` or ``"gff"`` (GFF3 or GTF), from the first non-blank line."""
    path = os.fspath(path)
    kind, first = _sniff(path)
    if not first:
        raise GenoViewInputError("the file is empty", path)
    if kind is None:
        refuse_binary(path, first)
        shown = first[:40].decode("utf-8", errors="replace")
        reads = ("; it looks like FASTQ sequencing reads: GenoView reads an assembled genome, so assemble the reads "
                 "first (or open the assembly's FASTA)" if first[:1] == b"@" else "")
        raise GenoViewInputError(
            f"unrecognised file: it starts with {shown!r}; expected FASTA ('>'), GenBank ('LOCUS'), EMBL ('ID') or "
            "GFF3/GTF"
            + reads, path, 1,
        )
    return kind


def _sniff(path: str) -> tuple[str | None, bytes]:
    head = _head(path).removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark some editors add
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    first = lines[0] if lines else b""
    if first.startswith(b">"):
        return FASTA, first
    if first.startswith(b"LOCUS") or (first.startswith(b"ID   ") and b";" in first):
        return GENBANK, first   # GenBank, or EMBL (ENA's text format; the same reader, Biopython's "embl" parser)
    data_line = next((line for line in lines if not line.startswith(b"#")), b"")
    if first.startswith(b"##gff-version") or data_line.count(b"\t") == 8:
        return GFF, first
    if any(line.startswith(b"LOCUS ") for line in lines):
        return GENBANK, first  # a release file's header before the first record, which Biopython skips
    return None, first


def index(path: str | os.PathLike, progress: ProgressCallback | None = None,
          cancel: CancelToken | None = None, strict: bool = False,
          ) -> tuple[dict[str, SequenceRecord], FeatureTable | None]:
    """Sequences of a FASTA, GenBank or GFF3-with-##FASTA file, plus the features the file itself carries.

    ``strict`` refuses features with any problem; otherwise ``features.report`` lists what was skipped."""
    kind = detect_format(path)
    if kind == FASTA:
        from genoview.core.io.fasta import index_fasta

        return dict(index_fasta(path, progress, cancel)), None
    if kind == GENBANK:
        from genoview.core.io.genbank import read_genbank

        sequences, features = read_genbank(path, strict=strict)
        return dict(sequences), features
    from genoview.core.io.gff import read_gff

    annotation = read_gff(path, strict=strict)
    if not annotation.sequences:
        raise GenoViewInputError(
            "this GFF file holds no sequences (no ##FASTA section); open the genome FASTA and add this "
            "file as its annotation", path,
        )
    return dict(annotation.sequences), annotation.features


def read_annotation(path: str | os.PathLike, strict: bool = False) -> tuple[FeatureTable, dict[str, tuple[int, int]]]:
    """Features of a GFF3, GTF or GenBank file and the sequence regions it declares (seqid -> (start, end)).

    ``strict`` refuses the file at its first problem (file and line); by default what is sound loads and
    ``features.report`` (an :class:`~genoview.core.io.report.AnnotationReport`) lists each skipped or
    repaired line."""
    path = os.fspath(path)
    require_input_file(path, "an annotation")   # a folder said "this is a folder, not a genome file"
    kind, _first = _sniff(path)  # anything else is read as GFF, whose reader names the first bad line
    if kind == GENBANK:
        from genoview.core.io.genbank import read_genbank

        sequences, features = read_genbank(path, strict=strict)
        return features, {seqid: (0, record.length) for seqid, record in sequences.items()}
    if kind == FASTA:
        raise GenoViewInputError("this is a FASTA file, not an annotation (GFF3, GTF or GenBank)", path)
    if kind is None and _first:   # a picture or a zip as the annotation: said "expected 9 tab-separated columns"
        refuse_binary(path, _first)
    from genoview.core.io.gff import read_gff

    annotation = read_gff(path, strict=strict)
    return annotation.features, annotation.sequence_regions
