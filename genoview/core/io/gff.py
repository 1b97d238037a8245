"""GFF3 and GTF: 1-based closed coordinates become 0-based half-open here, once; errors name the line."""
from __future__ import annotations

import gzip
import os
import sys
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from genoview.core.errors import GenoViewInputError
from genoview.core.io.fasta import IndexedRecord, index_fasta_bytes
from genoview.core.io.features import Feature, FeatureTable, search_aliases

STRANDS = {"+": 1, "-": -1, ".": 0, "?": 0}
PHASES = {".": None, "0": 0, "1": 1, "2": 2}
# GTF features whose parent is the gene rather than the transcript
_GTF_GENE_CHILDREN = {"transcript", "mRNA"}


@dataclass
class Annotation:
    """What an annotation file holds: features, declared sequence lengths and any embedded sequences."""

    features: FeatureTable
    sequence_regions: dict[str, tuple[int, int]] = field(default_factory=dict)  # seqid -> (start, end), 0-based
    sequences: dict[str, IndexedRecord] = field(default_factory=dict)  # from a ##FASTA section


def _open_text(path: str):
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace", newline=None)
    return open(path, encoding="utf-8-sig", errors="replace", newline=None)


def parse_gff3_attributes(text: str, path: str | None = None, line: int | None = None) -> dict[str, str]:
    """Column 9 of GFF3 as a dict, unescaped (%3B -> ;); several values stay one comma-separated string."""
    if text == "." or not text:
        return {}
    attributes = None
    # fast path for the common, clean case; str searches rule out blank or space-padded keys
    if not (text[0] in " =" or "; " in text or " =" in text or ";=" in text or ";;" in text):
        try:
            attributes = dict(piece.split("=", 1) for piece in text.rstrip(";").split(";"))
        except ValueError:
            attributes = None
    if attributes is None:
        attributes = {}
        for piece in text.split(";"):
            key, sep, value = piece.strip().partition("=")
            if not piece.strip():
                continue
            if not sep or not key.strip():
                raise GenoViewInputError(
                    f"malformed attribute {piece.strip()!r}: column 9 must be key=value pairs separated by ';'",
                    path, line,
                )
            attributes[key.strip()] = value
    if "%" in text:
        attributes = {unquote(key) if "%" in key else key: unquote(value) if "%" in value else value
                      for key, value in attributes.items()}
    return attributes


def _gtf_attributes(text: str, path: str, line: int) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for piece in text.split(";"):
        piece = piece.strip()
        if not piece:
            continue
        key, sep, value = piece.partition(" ")
        if not sep or not key:
            raise GenoViewInputError(
                f"malformed GTF attribute {piece!r}: expected key \"value\" pairs separated by ';'", path, line
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        # GTF repeats keys (several tags); keep them all, comma-separated like GFF3 multiple values
        attributes[key] = f"{attributes[key]},{value}" if key in attributes else value
    return attributes


def _looks_like_gtf(path: str, column9: str) -> bool:
    name = path.lower()
    if name.endswith((".gtf", ".gtf.gz", ".gff2", ".gff2.gz")):
        return True
    return "=" not in column9 and '"' in column9


def _int(text: str, what: str, path: str, line: int) -> int:
    try:
        return int(text)
    except ValueError:
        raise GenoViewInputError(f"{what} {text!r} is not a whole number", path, line) from None


def read_gff(path: str | os.PathLike) -> Annotation:
    """Read a GFF3 (or GTF) file, gzip or plain, including ##sequence-region and an embedded ##FASTA."""
    path = os.fspath(path)
    features: list[Feature] = []
    by_id: dict[str, Feature] = {}
    regions: dict[str, tuple[int, int]] = {}
    sequences: dict[str, IndexedRecord] = {}
    gtf: bool | None = None
    number = 0
    try:
        with _open_text(path) as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.rstrip("\r\n")
                if not line or line.isspace():
                    continue
                if line[0] == "#":
                    if line.startswith("##FASTA"):
                        text = handle.read().encode("utf-8")
                        sequences = index_fasta_bytes(text, path, line_offset=number)
                        break
                    if line.startswith("##sequence-region"):
                        regions.update([_sequence_region(line, path, number)])
                    continue
                if line.startswith(">"):
                    raise GenoViewInputError(
                        "a FASTA header inside the GFF without a '##FASTA' line before it", path, number
                    )
                columns = line.split("\t")
                if len(columns) > 9 and not "".join(columns[9:]).strip():
                    columns = columns[:9]  # trailing tabs, as some tools write
                if len(columns) != 9:
                    hint = " (columns must be separated by tabs, not spaces)" if len(columns) < 9 and " " in line \
                        else ""
                    raise GenoViewInputError(
                        f"expected 9 tab-separated columns, found {len(columns)}{hint}", path, number
                    )
                if gtf is None:
                    gtf = _looks_like_gtf(path, columns[8])
                feature = _feature(columns, path, number, gtf)
                if feature.id is not None and not gtf:
                    first = by_id.get(feature.id)
                    if first is not None and first.seqid == feature.seqid and first.type == feature.type:
                        first.add_part(feature.start, feature.end)  # one feature written over several lines
                        continue
                    by_id.setdefault(feature.id, feature)
                features.append(feature)
    except (OSError, EOFError, zlib.error) as exc:
        raise GenoViewInputError(
            f"cannot read the annotation ({exc}); the file is damaged, truncated or not text", path,
            number or None,
        ) from None
    if not features and not sequences and not regions:
        raise GenoViewInputError("no features found: this does not look like a GFF3/GTF file", path)
    return Annotation(FeatureTable(features), regions, sequences)


def _sequence_region(line: str, path: str, number: int) -> tuple[str, tuple[int, int]]:
    parts = line.split()
    if len(parts) != 4:
        raise GenoViewInputError("##sequence-region needs: seqid start end", path, number)
    start = _int(parts[2], "sequence-region start", path, number)
    end = _int(parts[3], "sequence-region end", path, number)
    if end < start:
        raise GenoViewInputError(f"sequence-region end ({end}) is before its start ({start})", path, number)
    return unquote(parts[1]), (start - 1, end)


def _feature(columns: list[str], path: str, number: int, gtf: bool) -> Feature:
    seqid, source, type_, start_text, end_text, score_text, strand_text, phase_text, attribute_text = columns
    start = _int(start_text, "start", path, number)
    end = _int(end_text, "end", path, number)
    if start < 1:
        raise GenoViewInputError(f"start ({start}) must be 1 or more: GFF coordinates are 1-based", path, number)
    if end < start:
        raise GenoViewInputError(f"end ({end}) is before start ({start}); fix the coordinates", path, number)
    strand = STRANDS.get(strand_text)
    if strand is None:
        raise GenoViewInputError(f"strand {strand_text!r} must be one of + - . ?", path, number)
    if phase_text not in PHASES:
        raise GenoViewInputError(f"phase {phase_text!r} must be one of 0 1 2 .", path, number)
    score = None
    if score_text != ".":
        try:
            score = float(score_text)
        except ValueError:
            raise GenoViewInputError(f"score {score_text!r} is not a number or '.'", path, number) from None
    if not seqid or not type_:
        raise GenoViewInputError("the seqid and type columns must not be empty", path, number)
    if gtf:
        attributes = _gtf_attributes(attribute_text, path, number)
        parents = None
        if type_ == "gene":
            feature_id, parent = attributes.get("gene_id"), None
        elif type_ in _GTF_GENE_CHILDREN:
            feature_id, parent = attributes.get("transcript_id"), attributes.get("gene_id")
        else:
            feature_id, parent = None, attributes.get("transcript_id") or attributes.get("gene_id")
        name = attributes.get("gene_name") or attributes.get("gene_id")
    else:
        attributes = parse_gff3_attributes(attribute_text, path, number)
        feature_id = attributes.get("ID")
        parent_text = attributes.get("Parent")
        parents = tuple(parent_text.split(",")) if parent_text else None
        parent = parents[0] if parents else None
        name = attributes.get("Name") or attributes.get("gene") or attributes.get("locus_tag")
    if "%" in seqid:
        seqid = unquote(seqid)
    # one shared string per distinct seqid, source and type rather than one per line
    seqid, source, type_ = sys.intern(seqid), sys.intern(source), sys.intern(type_)
    return Feature(seqid, start - 1, end, strand, type_, feature_id, name, parent, PHASES[phase_text],
                   attribute_text if not gtf else attributes, number, source, score,
                   aliases=search_aliases(attributes, feature_id, name), parents=parents)
