"""GFF3 and GTF, checked as genometools' ``gt gff3`` / ``gt gtf_to_gff3`` check them.

1-based closed coordinates become 0-based half-open here, once. Every problem names its line:
``strict=True`` refuses the file at the first one (as ``gt gff3`` does); the default, lenient, loads
everything sound, skips or repairs the rest (much as ``gt gff3 -tidy`` does) and lists each such line in
``Annotation.report`` (also ``features.report``), so nothing is changed silently.

What is checked: 9 tab-separated columns; numeric 1-based coordinates with start <= end; strand, phase and
score values; ``##gff-version 3``; ``##sequence-region`` lines (1-based, before their features, not repeated)
and features inside them (unless the sequence is circular); column 9 per the GFF3 specification
(tag=value pairs, percent-encoding, several values comma-separated, repeated tags, uppercase tags reserved,
``Is_circular`` true/false, no empty tag or value); IDs naming one feature on one sequence (a feature may
span several lines with one ID, with the same type, strand and source); ``Parent`` ids defined, not the
feature itself, on the same sequence and without cycles; CDS phases present and, along a multi-part CDS,
following from the length before (genometools' ``cds_check``); GTF transcripts and genes on one strand, no
stop codon inside the CDS and none without a CDS.
"""
from __future__ import annotations

import gzip
import itertools
import os
import re
import sys
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from genoview.core.errors import GenoViewInputError
from genoview.core.io.fasta import IndexedRecord, index_fasta_bytes
from genoview.core.io.features import Feature, FeatureTable, search_aliases
from genoview.core.io.report import KEPT, REPAIRED, SKIPPED, AnnotationReport, ProblemLog

STRANDS = {"+": 1, "-": -1, ".": 0, "?": 0}
PHASES = {".": None, "0": 0, "1": 1, "2": 2}
# GTF features whose parent is the gene rather than the transcript
_GTF_GENE_CHILDREN = {"transcript", "mRNA"}
# tags the GFF3 specification reserves; any other tag starting with a capital letter is illegal
RESERVED_TAGS = frozenset(("ID", "Name", "Alias", "Parent", "Target", "Gap", "Derives_from", "Note", "Dbxref",
                           "Ontology_term", "Is_circular"))
_VERSION = re.compile(r"^##gff-version\s+(\S+)")
# column 9 with nothing to report: tag=value pairs, tags lowercase or reserved (Is_circular aside: its value is
# checked), values non-empty without '=' or ';'. Most lines match, and skip the pair-by-pair checks.
_TAG = r"(?:[^A-Z=;\s][^=;]*|ID|Name|Alias|Parent|Gap|Derives_from|Note|Dbxref|Ontology_term)"  # no Target: checked
_TARGET = re.compile(r"\S+ [1-9]\d* [1-9]\d*(?: [+-])?")
# GTF lines that belong to a transcript and so need its transcript_id
_GTF_TRANSCRIPT_PARTS = {"transcript", "mRNA", "exon", "CDS", "start_codon", "stop_codon", "UTR", "5UTR", "3UTR",
                         "five_prime_utr", "three_prime_utr", "Selenocysteine"}
_CLEAN_COLUMN9 = re.compile(rf"{_TAG}=[^=;]+(?:;{_TAG}=[^=;]+)*;?")


@dataclass
class Annotation:
    """What an annotation file holds: features, declared sequence lengths, embedded sequences, what was changed."""

    features: FeatureTable
    sequence_regions: dict[str, tuple[int, int]] = field(default_factory=dict)  # seqid -> (start, end), 0-based
    sequences: dict[str, IndexedRecord] = field(default_factory=dict)  # from a ##FASTA section
    report: AnnotationReport = field(default_factory=AnnotationReport)


def _open_text(path: str):
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace", newline=None)
    return open(path, encoding="utf-8-sig", errors="replace", newline=None)


def parse_gff3_attributes(text: str, path: str | None = None, line: int | None = None) -> dict[str, str]:
    """Column 9 of GFF3 as a dict, unescaped (%3B -> ;); several values stay one comma-separated string.

    This is the quick parse of text already checked by :func:`check_gff3_attributes` (features keep their
    column 9 as text and parse it on first access); a malformed pair raises.
    """
    if text == "." or not text:
        return {}
    attributes: dict[str, str] = {}
    for piece in text.split(";"):
        if not piece.strip():
            continue
        key, sep, value = piece.partition("=")
        key = key.strip()
        if not sep or not key:
            piece = piece.strip()
            raise GenoViewInputError(
                f"malformed attribute {piece!r}: column 9 must be tag=value pairs separated by ';'", path, line
            )
        attributes[key] = f"{attributes[key]},{value}" if key in attributes else value
    if "%" in text:
        attributes = {unquote(key) if "%" in key else key: unquote(value) if "%" in value else value
                      for key, value in attributes.items()}
    return attributes


def parse_gff3_value_lists(text: str) -> dict[str, list[str]]:
    """Column 9 of GFF3 with every value as a list, each unescaped (``a%2Cb`` stays one value ``a,b``)."""
    lists: dict[str, list[str]] = {}
    if not text or text == ".":
        return lists
    for piece in text.split(";"):
        tag, sep, value = piece.partition("=")
        tag = tag.strip()
        if sep and tag:
            lists.setdefault(unquote(tag) if "%" in tag else tag, []).extend(
                unquote(v) if "%" in v else v for v in value.split(","))
    return lists


def check_gff3_attributes(text: str, problem, number: int, line: str) -> tuple[str, dict[str, str]]:
    """Check column 9 per the GFF3 specification; returns the text to keep and the unescaped dict.

    Malformed pairs, empty tags or values and repeated tags are problems (strict: refused; lenient: the
    pair dropped, repeated values joined, as ``gt gff3 -tidy`` does); illegal uppercase tags and an
    ``Is_circular`` other than true/false are problems kept as written in lenient mode.
    """
    if text == "." or not text:
        return text, {}
    if _CLEAN_COLUMN9.fullmatch(text):
        split = [piece.split("=", 1) for piece in text.rstrip(";").split(";")]
        attributes = dict(split)
        if len(attributes) == len(split) and (" " not in text or not any(k[-1] == " " for k in attributes)):
            if "%" in text:
                attributes = {unquote(key) if "%" in key else key: unquote(value) if "%" in value else value
                              for key, value in attributes.items()}
            return text, attributes
    pairs: dict[str, list[str]] = {}
    changed = False
    for piece in text.split(";"):
        stripped = piece.strip()
        if not stripped:
            continue
        key, sep, value = piece.partition("=")  # values keep their spaces, as gt keeps them
        key = key.strip()
        if not sep or not key:
            problem(number, line, f"malformed attribute {stripped!r}: column 9 must be tag=value pairs "
                    "separated by ';'", f"{REPAIRED}: the attribute is left out")
            changed = True
            continue
        if "=" in value:
            problem(number, line, f"malformed attribute {stripped!r}: more than one '=' (write '=' inside a value "
                    "as %3D)", f"{REPAIRED}: the attribute is left out")
            changed = True
            continue
        if not value:
            problem(number, line, f"attribute '{key}=' has no value; give it a value or remove it",
                    f"{REPAIRED}: the attribute is left out")
            changed = True
            continue
        if key[0].isupper() and key not in RESERVED_TAGS:
            problem(number, line, f"illegal uppercase attribute {key!r}: tags starting with a capital are reserved "
                    f"by GFF3 (ID, Name, Alias, Parent, ...); write it as {key[0].lower() + key[1:]!r}",
                    f"{KEPT}: the tag is kept as written")
        if key == "Target" and not all(_TARGET.fullmatch(unquote(v)) and int(unquote(v).split()[1]) <=
                                       int(unquote(v).split()[2]) for v in value.split(",")):
            problem(number, line, f"Target={value!r} must be 'target_id start end [strand]' (1-based, blank-separated, start <= end)",
                    f"{REPAIRED}: the attribute is left out")
            changed = True
            continue
        if key == "Is_circular" and value not in ("true", "false"):
            problem(number, line, f"Is_circular={value!r} must be true or false",
                    f"{KEPT}: the sequence is not read as circular")
        if key in pairs:
            problem(number, line, f"more than one {key} attribute; several values are written {key}=a,b",
                    f"{REPAIRED}: the values are joined")
            changed = True
            pairs[key].append(value)
        else:
            pairs[key] = [value]
    if changed:
        text = ";".join(f"{key}={','.join(values)}" for key, values in pairs.items()) or "."
    attributes = {key: ",".join(values) for key, values in pairs.items()}
    if "%" in text:
        attributes = {unquote(key) if "%" in key else key: unquote(value) if "%" in value else value
                      for key, value in attributes.items()}
    return text, attributes


def _gtf_attributes(text: str, problem, number: int, line: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    attributes: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for piece in text.split(";"):
        piece = piece.strip()
        if not piece:
            continue
        key, sep, value = piece.partition(" ")
        if not sep or not key:
            problem(number, line, f"malformed GTF attribute {piece!r}: expected key \"value\" pairs separated by ';'",
                    f"{REPAIRED}: the attribute is left out")
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        # GTF repeats keys (several tags); keep them all, comma-separated like GFF3 multiple values
        if key in attributes:
            attributes[key] = f"{attributes[key]},{value}"
            lists.setdefault(key, [attributes[key].split(",")[0]]).append(value)
        else:
            attributes[key] = value
    return attributes, lists


def _looks_like_gtf(path: str, column9: str) -> bool:
    name = path.lower()
    if name.endswith((".gtf", ".gtf.gz", ".gff2", ".gff2.gz")):
        return True
    return "=" not in column9 and '"' in column9


BEDGRAPH_HINT = ("; this looks like a bedGraph track (sequence, start, end, value): values along the genome, not "
                 "genes; give the genome's GFF3, GTF or GenBank annotation instead, and score the track against it with "
                 "`genoview evaluate --bedgraph TRACK --gff ANNOTATION`")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True

def _int(text: str, what: str) -> int | str:
    """The number, or the problem with it."""
    try:
        return int(text)
    except ValueError:
        return f"{what} {text!r} is not a whole number"


def _has_feature_lines(text: str) -> bool:
    return any(line.count("\t") >= 8 and not line.startswith("#") for line in text.splitlines())


class _Reader:
    """One pass over the lines, then the checks that need the whole file (parents, cycles, phases, GTF)."""

    def __init__(self, path: str, strict: bool):
        self.path = path
        self.strict = strict
        self.problem = ProblemLog(path, strict)
        self.features: list[Feature] = []
        self.by_id: dict[str, Feature] = {}
        self.regions: dict[str, tuple[int, int]] = {}
        self.region_lines: dict[str, int] = {}
        self.seen_seqids: set[str] = set()
        self.circular: set[str] = set()
        self.sequences: dict[str, IndexedRecord] = {}
        self.pieces: dict[int, list[list]] = {}  # id(feature) -> [start, end, phase, line, is_first] per line
        self.gtf_lists: dict[int, dict[str, list[str]]] = {}
        self.gtf: bool | None = None
        self.version_seen = False
        self.data_lines = 0
        self.dropped: set[int] = set()  # id() of features skipped by the whole-file checks
        self.header_missing_line = 1
        self.block = 0  # how many '###' lines so far: a feature's ID is not seen across one
        self.terminators: list[int] = []  # the line numbers of the '###' lines
        self.block_of: dict[int, int] = {}  # id(feature) -> self.block where it was defined, when not 0

    # --- the line pass ----------------------------------------------------------------------------------
    def read(self) -> Annotation:
        number = 0
        try:
            with _open_text(self.path) as handle:
                lines = enumerate(handle, start=1)
                first = True
                while True:
                    item = next(lines, None)
                    if item is None:
                        break
                    number, raw = item
                    line = raw.rstrip("\r\n")
                    if not line or line.isspace():
                        continue
                    if first:
                        first = False
                        if self._first_line(line, number):
                            continue
                    if line[0] == "#":
                        if line.startswith("##FASTA"):
                            self.sequences = index_fasta_bytes(handle.read().encode("utf-8"), self.path,
                                                               line_offset=number)
                            break
                        self._directive(line, number)
                        continue
                    if line.startswith(">"):
                        rest = handle.read()
                        if not _has_feature_lines(rest):
                            # gt reads a '>' line as the start of the sequences, ##FASTA or not: strict
                            # accepts it too; lenient says so
                            if not self.strict:
                                self.problem(number, line, "a FASTA header without a '##FASTA' line before it",
                                             f"{KEPT}: the rest of the file is read as the sequences")
                            self.sequences = index_fasta_bytes((raw + rest).encode("utf-8"), self.path,
                                                               line_offset=number - 1)
                            break
                        self.problem(number, line, "a FASTA header inside the features, without a '##FASTA' "
                                     "line; move the sequences to the end after a ##FASTA line")
                        lines = self._skip_sequence_lines(rest.splitlines(True), number + 1)
                        continue
                    self._feature_line(line, number)
        except (OSError, EOFError, zlib.error) as exc:
            raise GenoViewInputError(
                f"cannot read the annotation ({exc}); the file is damaged, truncated or not text", self.path,
                number or None,
            ) from None
        if self.gtf:
            self._check_gtf()
        else:
            self._check_parents()
            self._check_cycles()
        self._check_phases()
        features = [f for f in self.features if id(f) not in self.dropped] if self.dropped else self.features
        report = self.problem.report
        if not features and self.data_lines and self.problem.first_error is not None:
            first = self.problem.first_error
            raise GenoViewInputError(f"no line of this file could be read as a feature; the first problem: "
                                     f"{first.reason}", self.path, first.line)
        if not features and not self.sequences and not self.regions and not self.version_seen:
            if not self.data_lines and os.path.getsize(self.path) == 0:   # an export or a copy that wrote nothing
                raise GenoViewInputError("the file is empty (0 bytes): the export or copy that made it wrote nothing",
                                         self.path)
            raise GenoViewInputError("no features found: this does not look like a GFF3/GTF file", self.path)
        if any(entry.text is None for entry in report):
            _fill_texts(self.path, report)
        report.entries.sort(key=lambda entry: entry.line or 0)  # the whole-file checks come after the line pass
        table = FeatureTable(features)
        table.report = report
        table.gtf = bool(self.gtf)   # messages that show a line to add write it in the file's own syntax
        return Annotation(table, self.regions, self.sequences, report)

    def _skip_sequence_lines(self, rest: list[str], start: int):
        """Lines after a stray '>' header: the sequence lines under it are skipped with it, then reading goes on."""
        numbered = enumerate(rest, start=start)
        for number, raw in numbered:
            line = raw.rstrip("\r\n")
            if line.startswith("#") or line.count("\t") >= 8:
                return itertools.chain([(number, raw)], numbered)
            if line.strip():
                self.problem.report.add(number, line, "sequence under a FASTA header inside the features", SKIPPED)
        return iter(())

    def _first_line(self, line: str, number: int) -> bool:
        """Check the ``##gff-version`` line; True when the line was it."""
        match = _VERSION.match(line)
        if match:
            self.version_seen = True
            version = match.group(1)
            if not re.fullmatch(r"3(\.\d+){0,2}", version):
                self.problem(number, line, f"GFF version {version!r} is not 3: the first line of a GFF3 file is "
                             "'##gff-version 3'", f"{KEPT}: the file is read as GFF3")
            return True
        if line.startswith("##gff-version"):
            self.problem(number, line, "'##gff-version' without a version: write '##gff-version 3'",
                         f"{KEPT}: the file is read as GFF3")
            self.version_seen = True
            return True
        self.header_missing_line = number  # an error only for GFF3 in strict mode, decided at the first feature
        return False

    def _directive(self, line: str, number: int) -> None:
        if line.startswith("##sequence-region"):
            self._sequence_region(line, number)
        elif line.startswith("###") and not line[3:].strip():
            self.block += 1
            self.terminators.append(number)
        elif line.startswith("##gff-version"):
            self.problem(number, line, "a second '##gff-version' line; it belongs only at the top of the file",
                         f"{KEPT}: the line is ignored")

    def _sequence_region(self, line: str, number: int) -> None:
        parts = line.split()
        if len(parts) != 4:
            self.problem(number, line, "##sequence-region needs: seqid start end", f"{SKIPPED}")
            return
        seqid = unquote(parts[1])
        start, end = _int(parts[2], "sequence-region start"), _int(parts[3], "sequence-region end")
        for value in (start, end):
            if isinstance(value, str):
                self.problem(number, line, value)
                return
        if start < 1:
            self.problem(number, line, f"sequence-region start {start} must be 1 or more: GFF3 is 1-based")
            return
        if end < start:
            self.problem(number, line, f"sequence-region end ({end}) is before its start ({start})")
            return
        if seqid in self.region_lines:
            self.problem(number, line, f"the sequence region {seqid!r} is already defined on line "
                         f"{self.region_lines[seqid]}")
            return
        if seqid in self.seen_seqids:
            self.problem(number, line, f"##sequence-region {seqid} comes after features on {seqid}; put it before "
                         "them, at the top of the file")
            return
        self.regions[seqid] = (start - 1, end)
        self.region_lines[seqid] = number

    def _feature_line(self, line: str, number: int) -> None:
        self.data_lines += 1
        problem = self.problem
        columns = line.split("\t")
        if len(columns) > 9 and not "".join(columns[9:]).strip():
            columns = columns[:9]  # trailing tabs, as some tools write
        if len(columns) != 9:
            hint = " (columns must be separated by tabs, not spaces)" if len(columns) < 9 and " " in line else ""
            if 3 <= len(columns) < 9 and columns[1].strip().isdigit() and columns[2].strip().isdigit():
                hint = ("; this looks like a BED file (sequence, start, end, ...): GenoView reads GFF3, GTF or GenBank "
                        "annotations, so convert it to GFF3 first (e.g. AGAT's agat_convert_bed2gff.pl)")
                if len(columns) == 4 and _is_number(columns[3]):
                    hint = BEDGRAPH_HINT
            elif line.split(None, 1)[0] in ("track", "browser", "fixedStep", "variableStep"):
                # the header of a bedGraph or wiggle file (what `genoview predict --bedgraph` and Export write)
                hint = ("; this is a UCSC track line: the file is a bedGraph, wiggle or BED file, not an annotation "
                        "(a bedGraph or wiggle track is scored against one with `genoview evaluate --bedgraph TRACK "
                        "--gff ANNOTATION`; a BED file of features converts to GFF3 with AGAT's agat_convert_bed2gff.pl)")
            problem(number, line, f"expected 9 tab-separated columns, found {len(columns)}{hint}")
            return
        seqid, source, type_, start_text, end_text, score_text, strand_text, phase_text, attribute_text = columns
        if not seqid.strip() or not type_:
            problem(number, line, "the seqid and type columns must not be empty")
            return
        if seqid != seqid.strip():
            problem(number, line, f"seqid {seqid!r} has spaces around it", f"{REPAIRED}: read as {seqid.strip()!r}")
            seqid = seqid.strip()
        start, end = _int(start_text, "start"), _int(end_text, "end")
        for value in (start, end):
            if isinstance(value, str):
                problem(number, line, value + (" (GFF3 needs both coordinates)" if "'.'" in value else ""))
                return
        if start < 1:
            problem(number, line, f"start ({start}) must be 1 or more: GFF coordinates are 1-based")
            return
        if end < start:
            problem(number, line, f"end ({end}) is before start ({start}); fix the coordinates")
            return
        strand = STRANDS.get(strand_text)
        if strand is None:
            problem(number, line, f"strand {strand_text!r} must be one of + - . ?")
            return
        if phase_text not in PHASES:
            problem(number, line, f"phase {phase_text!r} must be one of 0 1 2 .")
            return
        score = None
        if score_text != ".":
            try:
                score = float(score_text)
            except ValueError:
                problem(number, line, f"score {score_text!r} is not a number or '.'")
                return
        if "%" in seqid:
            seqid = unquote(seqid)
        if self.gtf is None:
            self.gtf = _looks_like_gtf(self.path, attribute_text)
            if not self.gtf and not self.version_seen:   # strict refuses; lenient reads it as GFF3 and says so
                problem(self.header_missing_line, "",
                        "a GFF3 file must begin with the line '##gff-version 3'", f"{KEPT}: the file is read as GFF3")
        region = self.regions.get(seqid)
        if region is not None and not (region[0] <= start - 1 and end <= region[1]) and seqid not in self.circular:
            problem(number, line, f"the feature ({start:,}..{end:,}) lies outside ##sequence-region {seqid} "
                    f"{region[0] + 1:,}..{region[1]:,} (line {self.region_lines[seqid]})")
            return
        phase = PHASES[phase_text]
        lists = None
        if self.gtf:
            attributes, lists = _gtf_attributes(attribute_text, problem, number, line)
            parents = None
            if type_ == "gene":
                feature_id, parent = attributes.get("gene_id"), None
            elif type_ in _GTF_GENE_CHILDREN:
                feature_id, parent = attributes.get("transcript_id"), attributes.get("gene_id")
            else:
                feature_id, parent = None, attributes.get("transcript_id") or attributes.get("gene_id")
            if not attributes.get("gene_id"):
                problem(number, line, "a GTF line needs a gene_id attribute")
                return
            if type_ in _GTF_TRANSCRIPT_PARTS and not attributes.get("transcript_id"):
                problem(number, line, f"a GTF {type_} line needs a transcript_id attribute")
                return
            name = attributes.get("gene_name") or attributes.get("gene_id")
            stored: dict[str, str] | str = attributes
        else:
            stored, attributes = check_gff3_attributes(attribute_text, problem, number, line)
            feature_id = attributes.get("ID")
            parent_text = attributes.get("Parent")
            parents = tuple(p for p in parent_text.split(",") if p) if parent_text else None
            parent = parents[0] if parents else None
            name = attributes.get("Name") or attributes.get("gene") or attributes.get("locus_tag")
            if attributes.get("Is_circular") == "true":
                self.circular.add(seqid)
        self.seen_seqids.add(seqid)
        if feature_id is not None and not self.gtf:
            first = self.by_id.get(feature_id)
            if first is not None and self.block_of.get(id(first), 0) != self.block:
                self.problem(number, line, f"ID {feature_id!r} (line {first.line}) is used again after the '###' on "
                             f"line {self.terminators[self.block_of.get(id(first), 0)]}, which closes the features "
                             "before it; remove that '###' or give this feature its own ID")
                return
            if first is not None:
                self._another_line(first, feature_id, seqid, source, type_, strand, start - 1, end, phase, number,
                                   line, attributes)
                return
        # one shared string per distinct seqid, source and type rather than one per line
        seqid, source, type_ = sys.intern(seqid), sys.intern(source), sys.intern(type_)
        feature = Feature(seqid, start - 1, end, strand, type_, feature_id, name, parent, phase, stored, number,
                          source, score, aliases=search_aliases(attributes, feature_id, name), parents=parents)
        if lists:
            feature.set_value_lists(lists)
        if feature_id is not None and not self.gtf:
            self.by_id[feature_id] = feature
        if self.block:
            self.block_of[id(feature)] = self.block
        self.features.append(feature)

    def _another_line(self, first: Feature, feature_id: str, seqid: str, source: str, type_: str, strand: int,
                      start: int, end: int, phase: int | None, number: int, line: str,
                      attributes: dict[str, str]) -> None:
        """A second line with an ID already seen: one more piece of the same feature, or a clash."""
        clash = None
        if first.seqid != seqid:
            clash = f"ID {feature_id!r} is already used on line {first.line} on sequence {first.seqid}; an ID names " \
                    "one feature on one sequence"
        elif first.type != type_:
            clash = f"ID {feature_id!r} is already used by a {first.type} on line {first.line}; give this {type_} " \
                    "its own ID"
        elif first.strand != strand:
            clash = f"the {type_} with ID {feature_id!r} is on another strand than its piece on line {first.line}"
        elif first.source != source:
            clash = f"the {type_} with ID {feature_id!r} has another source than its piece on line {first.line}"
        if clash:
            self.problem(number, line, clash)
            return
        # gt: the lines of one feature carry the same attributes, Target and Gap aside (each part of a
        # cDNA_match aligns its own stretch of the target)
        differ = [k for k in sorted(set(attributes) | set(first.attributes))
                  if k not in ("Target", "Gap") and attributes.get(k) != first.attributes.get(k)]
        if differ:
            key = differ[0]
            self.problem(number, line, f"the {type_} with ID {feature_id!r} has another {key} attribute than its "
                         f"piece on line {first.line} ({attributes.get(key)!r} vs {first.attributes.get(key)!r}); "
                         "the lines of one feature carry the same attributes",
                         f"{KEPT}: one feature with the attributes of line {first.line}")
        pieces = self.pieces.setdefault(id(first), [[first.start, first.end, first.phase, first.line, True]])
        pieces.append([start, end, phase, number, False])
        first.add_part(start, end)

    # --- whole-file checks ------------------------------------------------------------------------------
    def _check_parents(self) -> None:
        for feature in self.features:
            parents = feature.parents or ((feature.parent,) if feature.parent else ())
            if not parents:
                continue
            kept = []
            for parent_id in parents:
                parent = self.by_id.get(parent_id)
                if parent_id == feature.id:
                    reason = f"the feature names itself as its Parent ({parent_id!r})"
                elif parent is None:
                    reason = f"Parent {parent_id!r} is not defined (no feature has ID={parent_id})"
                elif parent.seqid != feature.seqid:
                    reason = f"Parent {parent_id!r} (line {parent.line}) is on sequence {parent.seqid}, this " \
                             f"{feature.type} on {feature.seqid}; a child lies on its parent's sequence"
                else:
                    blocks = sorted((self.block_of.get(id(parent), 0), self.block_of.get(id(feature), 0)))
                    if blocks[0] == blocks[1]:
                        kept.append(parent_id)
                        continue
                    reason = f"Parent {parent_id!r} (line {parent.line}) is on the other side of the '###' on line " \
                             f"{self.terminators[blocks[0]]}, which closes all references to the features before it"
                self.problem(feature.line, None, reason, f"{REPAIRED}: the Parent link is left out")
            if len(kept) != len(parents):
                _set_parents(feature, kept)

    def _check_cycles(self) -> None:
        """A Parent chain must not come back to where it started (A -> B -> A)."""
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for feature in self.features:
            if feature.id is None or state.get(feature.id):
                continue
            stack = [(feature.id, iter(self._parents_of(feature.id)))]
            state[feature.id] = 1
            while stack:
                node, parents = stack[-1]
                step = next(parents, None)
                if step is None:
                    state[node] = 2
                    stack.pop()
                    continue
                if state.get(step) == 1:
                    child = self.by_id[node]
                    path = " -> ".join([n for n, _ in stack[[n for n, _ in stack].index(step):]] + [step])
                    self.problem(child.line, None, f"Parent {step!r} makes a cycle ({path}); a feature cannot be its "
                                 "own ancestor", f"{REPAIRED}: the Parent link is left out")
                    _set_parents(child, [p for p in self._parents_of(node) if p != step])
                elif not state.get(step) and step in self.by_id:
                    state[step] = 1
                    stack.append((step, iter(self._parents_of(step))))

    def _parents_of(self, feature_id: str) -> tuple[str, ...]:
        feature = self.by_id.get(feature_id)
        if feature is None:
            return ()
        return feature.parents or ((feature.parent,) if feature.parent else ())

    def _check_phases(self) -> None:
        """genometools' cds_check: each CDS has a phase; along a multi-part CDS each follows from the one before."""
        groups: list[list[list]] = []
        by_parent: dict[tuple[str, str], list[list]] = {}
        for feature in self.features:
            if feature.type != "CDS" or id(feature) in self.dropped:
                continue
            pieces = self.pieces.get(id(feature))
            if pieces is not None:
                groups.append([piece + [feature] for piece in pieces])
                continue
            piece = [feature.start, feature.end, feature.phase, feature.line, True, feature]
            if feature.parent:
                by_parent.setdefault((feature.seqid, feature.parent), []).append(piece)
            else:
                groups.append([piece])
        groups.extend(by_parent.values())
        for group in groups:
            group.sort(key=lambda piece: piece[0], reverse=group[0][5].strand < 0)
            correct = 0
            for i, piece in enumerate(group):
                start, end, phase, line, is_first, feature = piece
                if i == 0 and phase is None:
                    self.problem(line, None, "a CDS needs a phase (0, 1 or 2) in column 8",
                                 f"{REPAIRED}: read as phase 0")
                    phase = 0
                elif i and phase != correct:
                    shown = "." if phase is None else phase
                    self.problem(line, None, f"CDS phase {shown} does not follow from the CDS part before it "
                                 f"(line {group[i - 1][3]}): it should be {correct}",
                                 f"{REPAIRED}: read as phase {correct}")
                    phase = correct
                if phase != piece[2]:
                    piece[2] = phase
                    if is_first:
                        feature.phase = phase
                correct = (3 - (end - start - phase) % 3) % 3

    def _check_gtf(self) -> None:
        """As gt gtf_to_gff3: a transcript and its gene on one strand; stop codons outside the CDS, never alone."""
        strand_of: dict[str, tuple[int, int]] = {}  # gene or transcript id -> (strand, line)
        cds_of: dict[str, list[Feature]] = {}
        stops: list[Feature] = []
        for feature in self.features:
            attributes = feature.attributes
            bad = None
            for key in ("gene_id", "transcript_id"):
                value = attributes.get(key)
                if not value or feature.strand == 0:
                    continue
                seen = strand_of.setdefault(f"{key}:{value}", (feature.strand, feature.line))
                if seen[0] != feature.strand:
                    what = "gene" if key == "gene_id" else "transcript"
                    bad = f"the {feature.type} is on strand {'+-'[feature.strand < 0]} but {what} {value!r} is on " \
                          f"{'+-'[seen[0] < 0]} (line {seen[1]}); a {what} lies on one strand"
                    break
            if bad:
                self.problem(feature.line, None, bad)
                self.dropped.add(id(feature))
                continue
            transcript = attributes.get("transcript_id")
            if feature.type == "CDS" and transcript:
                cds_of.setdefault(transcript, []).append(feature)
            elif feature.type == "stop_codon":
                stops.append(feature)
        for stop in stops:
            transcript = stop.attributes.get("transcript_id")
            cds = cds_of.get(transcript or "", [])
            if not cds:
                self.problem(stop.line, None, f"a stop codon without a CDS in transcript {transcript!r}")
                self.dropped.add(id(stop))
            elif any(c.start < stop.end and stop.start < c.end for c in cds):
                self.problem(stop.line, None, f"the stop codon lies inside the CDS of transcript {transcript!r}; in "
                             "GTF the CDS ends before the stop codon")
                self.dropped.add(id(stop))


def _set_parents(feature: Feature, kept: list[str]) -> None:
    """Keep only these Parent ids, in the fields and in column 9, so the feature says what was loaded."""
    feature.parent = kept[0] if kept else None
    feature.parents = tuple(kept) if len(kept) > 1 else None
    text = feature._attributes
    if isinstance(text, str):
        pieces = [p for p in text.split(";") if p.strip() and not p.strip().startswith("Parent=")]
        if kept:
            pieces.append("Parent=" + ",".join(kept))
        feature._attributes = ";".join(pieces) or "."
    elif isinstance(text, dict):
        text.pop("Parent", None)
        if kept:
            text["Parent"] = ",".join(kept)


def _fill_texts(path: str, report: AnnotationReport) -> None:
    """Put the line text into entries made by the whole-file checks (the line pass does not keep lines)."""
    wanted = {entry.line for entry in report if entry.text is None and entry.line is not None}
    texts: dict[int, str] = {}
    with _open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if number in wanted:
                texts[number] = raw.rstrip("\r\n")
                if len(texts) == len(wanted):
                    break
    report.entries = [entry if entry.text is not None else type(entry)(entry.line, texts.get(entry.line, ""),
                                                                         entry.reason, entry.action)
                      for entry in report]


def read_gff(path: str | os.PathLike, strict: bool = False) -> Annotation:
    """Read a GFF3 (or GTF) file, gzip or plain, including ##sequence-region and an embedded ##FASTA.

    ``strict`` refuses the file at its first problem; otherwise sound lines load and the rest are listed in
    the returned ``report`` (see the module docstring for what is checked).
    """
    return _Reader(os.fspath(path), strict).read()

