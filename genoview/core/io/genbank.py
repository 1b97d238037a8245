"""GenBank flat files through Biopython: sequences held in memory, features as GenoView Features."""
from __future__ import annotations

import gzip
import os
import warnings
import zlib

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.io.features import Feature, FeatureTable, search_aliases
from genoview.core.io.sequence import InMemoryRecord

# qualifiers copied into Feature.attributes (all others are kept too, joined with ',')
_NAME_QUALIFIERS = ("gene", "locus_tag")


def _qualifiers(qualifiers: dict) -> dict[str, str]:
    return {key: ",".join(str(v) for v in values) if isinstance(values, list) else str(values)
            for key, values in qualifiers.items() if key != "translation"}


def _convert(seqid: str, seq_feature, length: int, path: str) -> Feature:
    location = seq_feature.location
    if location is None:  # Biopython could not parse the location (it only warns)
        label = ",".join(seq_feature.qualifiers.get("locus_tag", seq_feature.qualifiers.get("gene", ["?"])))
        raise GenoViewInputError(
            f"record {seqid}: the location of a {seq_feature.type} feature ({label}) is malformed; fix it", path
        )
    strand = location.strand if location.strand in (1, -1) else 0
    parts = sorted((int(p.start), int(p.end)) for p in location.parts)
    attributes = _qualifiers(seq_feature.qualifiers)
    name = next((attributes[q].split(",")[0] for q in _NAME_QUALIFIERS if attributes.get(q)), None)
    feature_id = attributes.get("locus_tag") or None
    start, end = parts[0][0], max(p[1] for p in parts)
    phase = None
    if seq_feature.type == "CDS" and attributes.get("codon_start", "1") in ("1", "2", "3"):
        phase = int(attributes.get("codon_start", "1")) - 1
    return Feature(seqid, start, min(end, length), strand, seq_feature.type, feature_id, name, None, phase,
                   attributes, None, "GenBank", None, parts if len(parts) > 1 else None,
                   aliases=search_aliases(attributes, feature_id, name))


def read_genbank(path: str | os.PathLike) -> tuple[dict[str, InMemoryRecord], FeatureTable]:
    """Read every record of a GenBank file (plain or gzip): sequences and features."""
    from Bio import BiopythonParserWarning  # Biopython is only needed for this format

    path = os.fspath(path)
    try:
        with warnings.catch_warnings():
            # lenient-parsing notices (odd LOCUS spacing, ...) are not the user's problem
            warnings.simplefilter("ignore", BiopythonParserWarning)
            sequences, features = _parse(path)
    except GenoViewInputError:
        raise
    except (OSError, EOFError, zlib.error) as exc:
        raise GenoViewInputError(f"cannot read the GenBank file ({exc}); it is damaged or truncated", path) from None
    except ValueError as exc:  # Biopython reports malformed GenBank as ValueError
        raise GenoViewInputError(f"not a valid GenBank file: {exc}", path) from None
    if not sequences:
        raise GenoViewInputError("no GenBank record found (a record starts with a LOCUS line)", path)
    return sequences, FeatureTable(features)


def _parse(path: str) -> tuple[dict[str, InMemoryRecord], list[Feature]]:
    from Bio import SeqIO
    from Bio.Seq import UndefinedSequenceError

    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    sequences: dict[str, InMemoryRecord] = {}
    features: list[Feature] = []
    with (gzip.open(path, "rt", encoding="utf-8", errors="replace") if gzipped
          else open(path, encoding="utf-8", errors="replace")) as handle:
        for record in SeqIO.parse(handle, "genbank"):
            seqid = record.id if record.id and record.id != "<unknown id>" else record.name
            if seqid in sequences:
                raise GenoViewInputError(f"sequence id {seqid!r} appears twice", path)
            try:
                bases = bytes(record.seq)
            except UndefinedSequenceError:
                raise GenoViewInputError(
                    f"record {seqid!r} has no sequence (no ORIGIN section); use a full GenBank file", path
                ) from None
            if not bases:
                raise GenoViewInputError(f"record {seqid!r} has no bases", path)
            description = record.description if record.description != "." else ""
            sequences[seqid] = InMemoryRecord(seqid, description, np.frombuffer(bases, dtype=np.uint8))
            features.extend(_convert(seqid, f, len(bases), path) for f in record.features)
    return sequences, features
