"""GenBank flat files through Biopython: sequences held in memory, features as GenoView Features.

Read as Biopython reads them: a release-file header before the first LOCUS is skipped; a feature whose
location Biopython cannot parse (it warns and sets it to None) is skipped and reported with its line and
location text (strict: the file is refused there). Protein records are refused: GenoView reads DNA.
"""
from __future__ import annotations

import gzip
import os
import warnings
import zlib

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.io.features import Feature, FeatureTable, search_aliases
from genoview.core.io.report import REPAIRED, SKIPPED, ProblemLog
from genoview.core.io.sequence import InMemoryRecord

# qualifiers copied into Feature.attributes (all others are kept too, joined with ',')
_NAME_QUALIFIERS = ("gene", "locus_tag")


def _qualifiers(qualifiers: dict) -> dict[str, str]:
    return {key: ",".join(str(v) for v in values) if isinstance(values, list) else str(values)
            for key, values in qualifiers.items() if key != "translation"}


def _value_lists(qualifiers: dict) -> dict[str, list[str]]:
    return {key: [str(v) for v in values] for key, values in qualifiers.items()
            if key != "translation" and isinstance(values, list) and len(values) > 1}


def _feature_lines(handle) -> list[list[tuple[int, str, str]]]:
    """Per record, each feature's (line number, key, location text) as written, in file order."""
    records: list[list[tuple[int, str, str]]] = []
    current: list[tuple[int, str, str]] | None = None
    in_features = in_location = False
    for number, raw in enumerate(handle, start=1):
        line = raw.rstrip("\r\n")
        if line.startswith("FT"):   # EMBL's feature table: GenBank's layout behind an 'FT' in place of two spaces
            line, in_features = "  " + line[2:], True
        if line.startswith("LOCUS") or line.startswith("ID   "):
            current = []
            records.append(current)
            in_features = in_location = False
        elif line.startswith("FEATURES") or line.startswith("FH"):
            in_features = True
        elif in_features and line[:1].strip():  # ORIGIN, CONTIG, BASE COUNT, //: the table has ended
            in_features = in_location = False
        elif in_features and current is not None:
            if len(line) > 5 and line[:5] == "     " and line[5] != " ":
                key, _, location = line[5:].partition(" ")
                current.append((number, key, location.strip()))
                in_location = True
            elif in_location and line.startswith(" " * 21) and not line[21:].startswith("/"):
                number0, key, location = current[-1]
                current[-1] = (number0, key, location + line.strip())
            else:
                in_location = False
    return records


def _convert(seqid: str, seq_feature, length: int, path: str) -> Feature:
    location = seq_feature.location
    strand = location.strand if location.strand in (1, -1) else 0
    parts = sorted((int(p.start), int(p.end)) for p in location.parts)
    attributes = _qualifiers(seq_feature.qualifiers)
    name = next((attributes[q].split(",")[0] for q in _NAME_QUALIFIERS if attributes.get(q)), None)
    feature_id = attributes.get("locus_tag") or None
    start, end = parts[0][0], max(p[1] for p in parts)
    phase = None
    if seq_feature.type == "CDS" and attributes.get("codon_start", "1") in ("1", "2", "3"):
        phase = int(attributes.get("codon_start", "1")) - 1
    feature = Feature(seqid, start, end, strand, seq_feature.type, feature_id, name, None, phase,
                      attributes, None, "GenBank", None, parts if len(parts) > 1 else None,
                      aliases=search_aliases(attributes, feature_id, name))
    feature.set_value_lists(_value_lists(seq_feature.qualifiers))
    return feature


def read_genbank(path: str | os.PathLike, strict: bool = False) -> tuple[dict[str, InMemoryRecord], FeatureTable]:
    """Read every record of a GenBank file (plain or gzip): sequences and features.

    ``strict`` refuses a file with a malformed feature location (naming its line); by default that feature
    is skipped and listed in ``features.report``.
    """
    from Bio import BiopythonParserWarning  # Biopython is only needed for this format

    path = os.fspath(path)
    problem = ProblemLog(path, strict)
    try:
        with warnings.catch_warnings(record=True) as notices:
            # lenient-parsing notices (odd LOCUS spacing, ...) are not the user's problem; malformed
            # locations, which Biopython also only warns about, are reported below with their line
            warnings.simplefilter("always", BiopythonParserWarning)
            sequences, features = _parse(path, problem)
    except GenoViewInputError:
        raise
    except (OSError, EOFError, zlib.error) as exc:
        raise GenoViewInputError(f"cannot read the GenBank file ({exc}); it is damaged or truncated", path) from None
    except ValueError as exc:  # Biopython reports malformed GenBank as ValueError
        with _open(path) as handle:
            kind = "EMBL" if _first_line(handle).startswith("ID   ") else "GenBank"
        if (kind == "EMBL" and "Premature end of file" in str(exc)) or "Premature end of line" in str(exc):
            # Biopython's EMBL reader stops here where its GenBank reader only warns: the file ends inside a record;
            # its GenBank reader stops so inside the header or the features table ("Premature end of line during
            # features table", said as "not a valid GenBank file" with no line): named at the file's last line
            with _open(path) as handle:
                last = sum(1 for _ in handle)
            raise GenoViewInputError("the file ends inside a record (its sequence or the closing '//' is missing): "
                                     "it was cut short (a download or copy that stopped) or damaged; get it again",
                                     path, last or None) from None
        raise GenoViewInputError(f"not a valid {kind} file: {exc}", path) from None
    for notice in notices:
        if not issubclass(notice.category, BiopythonParserWarning):
            warnings.warn_explicit(notice.message, notice.category, notice.filename, notice.lineno)
    _refuse_cut_short([str(n.message) for n in notices if issubclass(n.category, BiopythonParserWarning)], path)
    if not sequences:
        with _open(path) as handle:
            first = _first_line(handle)
        if first.startswith(("LOCUS", "ID   ")):   # Biopython read no record from it: its first line is the cause
            raise GenoViewInputError(f"this {first.split()[0]} line is not in the layout Biopython reads (no record was "
                                     f"found): {first.strip()[:80]!r}; compare it with a file NCBI or ENA wrote",
                                     path, 1)
        raise GenoViewInputError("no GenBank record found (a record starts with a LOCUS line)", path)
    table = FeatureTable(features)
    table.report = problem.report
    origin = FileOrigin(path, sequences)
    for record in sequences.values():   # the file its records came from, as a FASTA record's byte source says
        record._source = origin
    return sequences, table


def _refuse_cut_short(notices: list[str], path: str) -> None:
    """A GenBank file cut short (a download or copy that stopped): Biopython reads the bases there are and only warns;
    GenoView then reported every later feature as 'past the end' (1,359 lines for a Mycoplasma file cut at 300 kB)."""
    import re

    for text in notices:
        match = re.match(r"Expected sequence length (\d+), found (\d+) \((.*)\)", text)
        if match:
            expected, found, seqid = int(match[1]), int(match[2]), match[3]
            raise GenoViewInputError(f"record {seqid}: its first line says {expected:,} bp but the file holds "
                                     f"{found:,} bases: the file was cut short (a download or copy that stopped) or "
                                     "damaged; get it again", path)
    # Biopython's "Premature end of file in sequence data" alone (no length mismatch above) is a last record with all
    # its bases and no closing '//' (hand-joined files, scripts): nothing is missing, so it opens (it was refused as
    # "cut short"); a file cut inside its bases says "Expected sequence length", one cut before them is an error


class FileOrigin:
    """The file a GenBank record was read from (``record._source.path``, as an indexed FASTA record has it): a
    whole-genome model reads the genome's every sequence, and keys its calls, by that file. Without it, `predict
    genome.gbk --gff-out` wrote a generic decoding of the track, not GeneORF's own calls (810 genes from the FASTA
    and in the window, 821 from the GenBank file of the same genome). ``records``: the file's records, already in
    memory, which such a model reads instead of parsing the file (features and all) a second time."""

    def __init__(self, path: str, records: dict | None = None) -> None:
        self.path = path
        self.records = records

    def close(self) -> None:   # the bases are in memory: nothing to close
        pass


def _first_line(handle) -> str:
    """The first non-blank line of a text handle, which is then rewound."""
    for line in handle:
        if line.strip():
            handle.seek(0)
            return line
    handle.seek(0)
    return ""


def _record_line(path: str, index: int) -> int | None:
    """The line (1-based) that starts record ``index`` (0-based) of a GenBank (LOCUS) or EMBL (ID) file."""
    with _open(path) as handle:
        seen = -1
        for number, line in enumerate(handle, start=1):
            if line.startswith(("LOCUS", "ID   ")):
                seen += 1
                if seen == index:
                    return number
    return None


def _open(path: str):
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return (gzip.open(path, "rt", encoding="utf-8", errors="replace") if gzipped
            else open(path, encoding="utf-8", errors="replace"))


def _parse(path: str, problem: ProblemLog) -> tuple[dict[str, InMemoryRecord], list[Feature]]:
    from Bio import SeqIO
    from Bio.Seq import UndefinedSequenceError
    from Bio.SeqFeature import CompoundLocation

    sequences: dict[str, InMemoryRecord] = {}
    features: list[Feature] = []
    written: list[list[tuple[int, str, str]]] | None = None
    with _open(path) as handle:
        kind = "embl" if _first_line(handle).startswith("ID   ") else "genbank"   # ENA's EMBL files: one reader
        for index, record in enumerate(SeqIO.parse(handle, kind)):
            seqid = record.id if record.id and record.id != "<unknown id>" else record.name
            if record.annotations.get("molecule_type", "").lower() == "protein":
                raise GenoViewInputError(
                    f"record {seqid!r} is a protein sequence (its LOCUS line says aa); GenoView reads DNA genomes: "
                    "open the genome's nucleotide GenBank or FASTA file", path,
                )
            if seqid in sequences:   # named at both records' first lines (the message had no line)
                first = list(sequences).index(seqid)
                raise GenoViewInputError(f"sequence id {seqid!r} appears twice (records {first + 1} and {index + 1}; "
                                         f"the first starts at line {_record_line(path, first)}); every record needs "
                                         "its own id", path, _record_line(path, index))
            try:
                bases = bytes(record.seq)
            except UndefinedSequenceError:
                raise GenoViewInputError(
                    f"record {seqid!r} has no sequence (no ORIGIN section); use a full GenBank file", path,
                    _record_line(path, index),
                ) from None
            if not bases:
                raise GenoViewInputError(f"record {seqid!r} has no bases", path, _record_line(path, index))
            description = record.description if record.description != "." else ""
            sequences[seqid] = InMemoryRecord(seqid, description, np.frombuffer(bases, dtype=np.uint8))
            for number, seq_feature in enumerate(record.features):
                location = seq_feature.location
                remote = sorted({part.ref for part in location.parts if part.ref}) if location is not None else []
                if remote:
                    # parts on other records ('U18267.1:1..270'), which Biopython reads as such: they are not
                    # on this sequence, so only the local parts are drawn (none: the feature is left out),
                    # and the report says so; a valid file, so strict mode reads on too
                    if written is None:
                        with _open(path) as again:
                            written = _feature_lines(again)
                    lines = written[index] if index < len(written) else []
                    line, key, text = lines[number] if number < len(lines) else (None, seq_feature.type, "?")
                    local = [part for part in location.parts if not part.ref]
                    where = ", ".join(remote)
                    problem.report.add(line, f"     {key:<16}{text}", f"record {seqid}: this {seq_feature.type} has "
                                       f"parts on other records ({where})",
                                       f"{REPAIRED}: only its parts on {seqid} are drawn" if local
                                       else f"{SKIPPED}: none of it is on {seqid}")
                    if not local:
                        continue
                    seq_feature.location = location = local[0] if len(local) == 1 else CompoundLocation(local)
                # Biopython could not parse it (it only warns), or it runs past the sequence
                past_end = location is not None and max(int(p.end) for p in location.parts) > len(bases)
                if location is None or past_end:
                    if written is None:
                        with _open(path) as again:
                            written = _feature_lines(again)
                    lines = written[index] if index < len(written) else []
                    line, key, text = lines[number] if number < len(lines) else (None, seq_feature.type, "?")
                    what = f"runs past the end of the sequence ({len(bases):,} bases)" if past_end else "is malformed"
                    problem(line, f"     {key:<16}{text}", f"record {seqid}: the location {text!r} of this "
                            f"{seq_feature.type} feature {what}; fix it")
                    continue
                features.append(_convert(seqid, seq_feature, len(bases), path))
    return sequences, features
