"""Property tests: any valid FASTA/GFF round-trips; any damaged one parses or raises GenoViewInputError, nothing else."""
from __future__ import annotations

import gzip
import io
import os
import tempfile
from urllib.parse import quote

from Bio import bgzf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome
from genoview.core.io import sources
from genoview.core.io.fasta import index_fasta
from genoview.core.io.gff import read_gff

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASES = "ACGTNacgtnRYKMSWBDHV-"

sequence_ids = st.text("abcXYZ019_.|", min_size=1, max_size=8)
records = st.dictionaries(sequence_ids, st.text(BASES, min_size=1, max_size=300), min_size=1, max_size=6)


@st.composite
def fasta_files(draw):
    """(expected records, file bytes, compression) with random widths, line endings and blank lines."""
    expected = draw(records)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    parts = [newline * draw(st.integers(0, 2))]
    for seqid, bases in expected.items():
        description = draw(st.sampled_from(["", " a description", "\tx=1 y=2"]))
        parts.append(f">{seqid}{description}{newline}")
        width = draw(st.integers(1, 80))
        for start in range(0, len(bases), width):
            parts.append(bases[start:start + width] + newline)
            if draw(st.integers(0, 20)) == 0:
                parts.append(newline)  # a stray blank line
    text = "".join(parts)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final newline
    return expected, text.encode(), draw(st.sampled_from(["plain", "gzip", "bgzip"]))


def _compress(data: bytes, compression: str) -> bytes:
    if compression == "gzip":
        return gzip.compress(data)
    if compression == "bgzip":
        buffer = io.BytesIO()
        writer = bgzf.BgzfWriter(fileobj=buffer)
        writer.write(data)
        writer.flush()
        buffer.write(bgzf._bgzf_eof)
        return buffer.getvalue()
    return data


def _index(data: bytes, chunk_bytes: int):
    """Index bytes written to a temp file, read in chunks of ``chunk_bytes`` (tiny ones test chunk edges)."""
    saved = sources.CHUNK_BYTES
    sources.CHUNK_BYTES = chunk_bytes
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "x.fa")
            with open(path, "wb") as handle:
                handle.write(data)
            found = index_fasta(path)
            return {seqid: record.text() for seqid, record in found.items()}, found
    finally:
        sources.CHUNK_BYTES = saved


chunk_sizes = st.sampled_from([1, 2, 3, 5, 17, 4096])


@SETTINGS
@given(fasta_files(), chunk_sizes, st.data())
def test_valid_fasta_round_trips(case, chunk_bytes, data):
    expected, text, compression = case
    texts, found = _index(_compress(text, compression), chunk_bytes)
    assert texts == expected
    for seqid, bases in expected.items():
        start = data.draw(st.integers(0, len(bases)))
        end = data.draw(st.integers(start, len(bases)))
        assert found[seqid].text(start, end) == bases[start:end]
        assert found[seqid].n_count == bases.upper().count("N")


@SETTINGS
@given(fasta_files(), st.integers(0, 2), chunk_sizes, st.data())
def test_damaged_fasta_parses_or_raises_input_error(case, how, chunk_bytes, data):
    _expected, text, compression = case
    blob = bytearray(_compress(text, compression))
    position = data.draw(st.integers(0, max(len(blob) - 1, 0)))
    if how == 0:
        del blob[position:]  # truncated
    elif how == 1:
        blob[position:position] = data.draw(st.binary(min_size=1, max_size=8))  # injected bytes
    else:
        blob[position] = data.draw(st.integers(0, 255))  # one byte changed
    try:
        texts, found = _index(bytes(blob), chunk_bytes)
    except GenoViewInputError as err:
        assert str(err)
        return
    for record in found.values():
        assert len(record.fetch()) == record.length


feature_lines = st.lists(
    st.tuples(
        st.sampled_from(["chr1", "chr2", "chr 3"]),
        st.integers(1, 900),
        st.integers(0, 99),
        st.sampled_from(["+", "-", ".", "?"]),
        st.sampled_from(["gene", "CDS", "exon", "repeat_region"]),
        st.sampled_from([".", "0", "1", "2"]),
        st.text(st.sampled_from(list("aZ09 ;=%,&\t\"'#>é漢")), max_size=12),  # characters GFF3 must escape
    ).filter(lambda line: not (line[4] == "CDS" and line[5] == ".")),  # a CDS without a phase is not valid GFF3
    min_size=1,
    max_size=25,
)


def _gff_text(lines) -> str:
    rows = ["##gff-version 3"]
    for number, (seqid, start, length, strand, type_, phase, note) in enumerate(lines):
        attributes = f"ID=f{number};Note={quote(note, safe=' ')}" if note else f"ID=f{number}"
        rows.append("\t".join([quote(seqid, safe=""), "src", type_, str(start), str(start + length), ".",
                               strand, phase, attributes]))
    return "\n".join(rows) + "\n"


def _read_gff(text: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "x.gff3")
        with open(path, "wb") as handle:
            handle.write(text)
        return read_gff(path)


@SETTINGS
@given(feature_lines)
def test_valid_gff_round_trips(lines):
    table = _read_gff(_gff_text(lines).encode()).features
    assert len(table) == len(lines) and not table.report
    for number, (feature, (seqid, start, length, strand, type_, phase, note)) in enumerate(zip(table, lines)):
        assert (feature.seqid, feature.start, feature.end, feature.type) == (seqid, start - 1, start + length, type_)
        assert feature.strand == {"+": 1, "-": -1}.get(strand, 0)
        assert feature.phase == (None if phase == "." else int(phase))
        assert feature.id == f"f{number}" and feature.attributes.get("Note", "") == note
        assert feature.line == number + 2


@SETTINGS
@given(feature_lines, st.integers(0, 3), st.data())
def test_damaged_gff_parses_or_raises_input_error(lines, how, data):
    blob = bytearray(_gff_text(lines).encode())
    position = data.draw(st.integers(0, len(blob) - 1))
    if how == 0:
        del blob[position:]
    elif how == 1:
        blob[position:position] = data.draw(st.binary(min_size=1, max_size=6))
    elif how == 2:
        blob[position] = data.draw(st.sampled_from([ord("\t"), ord(";"), ord("="), ord("x"), ord("\n"), 0]))
    else:
        blob = bytearray(gzip.compress(bytes(blob))[: position + 1])
    try:
        annotation = _read_gff(bytes(blob))
    except GenoViewInputError as err:
        assert str(err)
        return
    for feature in annotation.features:
        assert 0 <= feature.start < feature.end


@settings(max_examples=25, deadline=None)
@given(feature_lines)
def test_annotation_checked_against_the_sequences(lines):
    with tempfile.TemporaryDirectory() as folder:
        fasta = os.path.join(folder, "g.fa")
        with open(fasta, "w") as handle:
            handle.write(">chr1\n" + "A" * 950 + "\n>chr2\n" + "C" * 500 + "\n")
        gff = os.path.join(folder, "g.gff3")
        with open(gff, "w") as handle:
            handle.write(_gff_text(lines))
        sizes = {"chr1": 950, "chr2": 500}  # a feature's 1-based closed end is start + length
        fits = all(start + length <= sizes.get(seqid, -1) for seqid, start, length, *_ in lines)
        try:
            genome = open_genome(fasta, gff)
        except GenoViewInputError:
            assert not fits
        else:
            assert fits and len(genome.features) == len(lines)
