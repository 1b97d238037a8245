"""Features -> GFF3 text that :func:`genoview.core.io.gff.read_gff` reads back to equal features.

0-based half-open becomes 1-based closed here; a feature of several parts is written as one line per
part with one ID (the GFF3 way), with CDS phases that follow from the part before, as readers check them.
"""
from __future__ import annotations

import os
from typing import IO, Iterable
from urllib.parse import quote

from genoview.core.io.features import Feature

STRAND_TEXT = {1: "+", -1: "-", 0: "."}
# printable ASCII a GFF3 value may hold as is; ; = & , % tab and newline are percent-encoded
_VALUE_SAFE = " !\"#$'()*+-./:<>?@[\\]^_`{|}~"
_SEQID_SAFE = ".:^*$@!+_?-|"


def escape_value(text: str) -> str:
    """One column-9 value, percent-encoded where GFF3 requires it (and for anything not printable ASCII)."""
    return quote(text, safe=_VALUE_SAFE)


def escape_seqid(text: str) -> str:
    return quote(text, safe=_SEQID_SAFE)


def _column9(feature: Feature) -> str:
    values: dict[str, list[str]] = {key: feature.attribute_values(key) for key in feature.attributes}
    if feature.id is not None and "ID" not in values:
        values = {"ID": [feature.id], **values}
    parents = list(feature.parents) if feature.parents else ([feature.parent] if feature.parent else [])
    if parents and "Parent" not in values:
        values["Parent"] = parents
    if feature.name and not any(values.get(key) for key in ("Name", "gene", "locus_tag")):
        values["Name"] = [feature.name]
    pairs = [f"{escape_value(key)}={','.join(escape_value(v) for v in vals)}" for key, vals in values.items() if vals]
    return ";".join(pairs) or "."


def _part_phases(feature: Feature, parts: list[tuple[int, int]]) -> list[int | None]:
    """Phases for each part (sorted by start): the first line keeps ``feature.phase``; along a CDS each
    following part's phase is what the length before it implies, 5' to 3'."""
    if feature.type != "CDS" or feature.phase is None or len(parts) == 1:
        return [feature.phase] * len(parts)
    order = list(range(len(parts)))[::-1] if feature.strand < 0 else list(range(len(parts)))
    for five_prime in (0, 1, 2):  # the 5' part's phase that gives the first line ``feature.phase``
        phases: list[int] = [0] * len(parts)
        phase = five_prime
        for i in order:
            phases[i] = phase
            start, end = parts[i]
            phase = (3 - (end - start - phase) % 3) % 3
        if phases[0] == feature.phase:
            return phases
    return [feature.phase] * len(parts)


def feature_lines(feature: Feature) -> list[str]:
    """The GFF3 lines of one feature, one per part."""
    parts = sorted(feature.parts)
    score = "." if feature.score is None else repr(float(feature.score))
    column9 = _column9(feature)
    lines = []
    for (start, end), phase in zip(parts, _part_phases(feature, parts)):
        lines.append("\t".join([escape_seqid(feature.seqid), feature.source or ".", feature.type, str(start + 1),
                                str(end), score, STRAND_TEXT.get(feature.strand, "."),
                                "." if phase is None else str(phase), column9]))
    return lines


def write_gff3(path_or_file: str | os.PathLike | IO[str], features: Iterable[Feature],
               sequence_regions: dict[str, tuple[int, int]] | None = None) -> int:
    """Write ``##gff-version 3``, the sequence regions and every feature; returns the number of features.

    A feature of several parts needs an ID (it is how GFF3 joins the lines of one feature).
    """
    lines = ["##gff-version 3"]
    for seqid, (start, end) in (sequence_regions or {}).items():
        lines.append(f"##sequence-region {escape_seqid(seqid)} {start + 1} {end}")
    count = 0
    for feature in features:
        if len(feature.parts) > 1 and feature.id is None:
            raise ValueError(f"{feature!r} has several parts but no ID: GFF3 joins the lines of a feature by its ID")
        lines.extend(feature_lines(feature))
        count += 1
    text = "\n".join(lines) + "\n"
    if hasattr(path_or_file, "write"):
        path_or_file.write(text)
    else:
        with open(path_or_file, "w", encoding="utf-8") as handle:
            handle.write(text)
    return count
