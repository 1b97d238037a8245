"""GenBank through Biopython: sequence, features as GenoView Features, joins as parts, names from qualifiers."""
from __future__ import annotations

import gzip

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome
from genoview.core.io import detect_format
from genoview.core.io.genbank import read_genbank

BASES = "ATGAAACGCATTAGCACCACCATTACCACCACCATCACCATTACCACAGGTAACGGTGCGGGCTGANNNNACGT"  # Biopython upper-cases


def test_sequence_and_features(data_dir):
    sequences, table = read_genbank(data_dir / "io_small.gb")
    record = sequences["TEST01.1"]
    assert record.text() == BASES and record.description == "tiny test plasmid"
    assert record.n_count == 4
    assert table.count_by_type() == {"gene": 2, "CDS": 2, "source": 1}
    gene = table.find("tstA")[0]
    assert (gene.type, gene.start, gene.end, gene.strand, gene.name, gene.id) == ("gene", 0, 30, 1, "tstA", "T_0001")
    cds = [f for f in table if f.type == "CDS"][0]
    assert cds.parts == [(0, 12), (18, 30)] and cds.phase == 0
    assert cds.attributes["product"] == "test protein" and "translation" not in cds.attributes
    other = table.find("T_0002")[0]
    assert other.name == "T_0002" and other.strand == -1 and (other.start, other.end) == (40, 60)


def test_open_genome_on_genbank_and_as_annotation(tmp_path, data_dir):
    genome = open_genome(data_dir / "io_small.gb")
    assert genome.annotation_path == str(data_dir / "io_small.gb")
    assert genome.label_mask("TEST01.1").sum() == 50
    fasta = tmp_path / "t.fa"
    fasta.write_text(">TEST01.1\n" + BASES + "\n")
    genome = open_genome(fasta, data_dir / "io_small.gb")
    assert len(genome.features) == 4 and genome.sequences["TEST01.1"].text(0, 3) == "ATG"
    assert detect_format(data_dir / "io_small.gb") == "genbank"


def test_gzip_genbank(tmp_path, data_dir):
    path = tmp_path / "a.gb.gz"
    path.write_bytes(gzip.compress((data_dir / "io_small.gb").read_bytes()))
    sequences, _table = read_genbank(path)
    assert sequences["TEST01.1"].length == len(BASES)


def test_bad_genbank_is_an_error(tmp_path, data_dir):
    text = (data_dir / "io_small.gb").read_text()
    broken = tmp_path / "broken.gb"
    broken.write_text(text.replace("     gene            complement(41..60)", "     gene            complement(41..x60)"))
    with pytest.raises(GenoViewInputError, match=r"broken.gb, line 21: .*'complement\(41..x60\)'"):
        open_genome(broken, strict=True)
    no_sequence = tmp_path / "noseq.gb"
    no_sequence.write_text(text[: text.index("ORIGIN")] + "//\n")
    with pytest.raises(GenoViewInputError):
        read_genbank(no_sequence)
    not_genbank = tmp_path / "x.gb"
    not_genbank.write_text("hello\n")
    with pytest.raises(GenoViewInputError, match="no GenBank record"):
        read_genbank(not_genbank)


RELEASE_HEADER = """GBBCT1.SEQ          Genetic Sequence Data Bank
                         October 15 2023

                NCBI-GenBank Flat File Release 258.0

                     Bacterial Sequences (Part 1)

"""


def test_release_file_header_before_the_first_locus(tmp_path, data_dir):
    path = tmp_path / "gbbct1.seq"
    path.write_text(RELEASE_HEADER + (data_dir / "io_small.gb").read_text())
    assert detect_format(path) == "genbank"
    genome = open_genome(path, strict=True)
    assert genome.sequences["TEST01.1"].text() == BASES and len(genome.features) == 4


def test_protein_records_are_refused(tmp_path):
    path = tmp_path / "protein.gp"
    path.write_text("LOCUS       P0AD86                    21 aa            linear   BCT 01-JAN-2000\n"
                    "DEFINITION  thr operon leader peptide.\nACCESSION   P0AD86\nVERSION     P0AD86.1\n"
                    "FEATURES             Location/Qualifiers\n     source          1..21\n"
                    "ORIGIN\n        1 mkristtitt titittgnga g\n//\n")
    for strict in (True, False):
        with pytest.raises(GenoViewInputError, match="is a protein sequence"):
            open_genome(path, strict=strict)


def test_malformed_location_is_reported_with_its_line_and_the_rest_loads(tmp_path, data_dir):
    text = (data_dir / "io_small.gb").read_text()
    broken = tmp_path / "broken.gb"
    broken.write_text(RELEASE_HEADER + text.replace("join(1..12,19..30)", "join(1..12,19..>>30)") + text.replace(
        "TEST01", "TEST02"))
    with pytest.raises(GenoViewInputError, match=r"broken.gb, line 22: record TEST01.1: the location"):
        read_genbank(broken, strict=True)
    sequences, table = read_genbank(broken)
    assert list(sequences) == ["TEST01.1", "TEST02.1"] and len(table) == 7  # 8 features, the CDS skipped
    entry = table.report.entries[0]
    assert (entry.line, entry.kind) == (22, "skipped") and "join(1..12,19..>>30)" in entry.text
    assert "'join(1..12,19..>>30)'" in entry.reason and len(table.report) == 1
    assert [f.type for f in table if f.seqid == "TEST01.1"] == ["source", "gene", "gene"]


def test_qualifiers_with_several_values_keep_them_as_a_list(tmp_path, data_dir):
    text = (data_dir / "io_small.gb").read_text().replace(
        '/product="test protein"', '/product="test protein"\n                     /note="a, b"\n'
                                   '                     /note="c"')
    path = tmp_path / "notes.gb"
    path.write_text(text)
    cds = [f for f in read_genbank(path)[1] if f.type == "CDS"][0]
    assert cds.attributes["note"] == "a, b,c" and cds.attribute_values("note") == ["a, b", "c"]
    assert cds.attribute_values("product") == ["test protein"]


def test_location_past_the_end_is_reported_not_clipped(tmp_path, data_dir):
    path = tmp_path / "long.gb"
    path.write_text((data_dir / "io_small.gb").read_text().replace("complement(41..60)", "complement(41..80)"))
    with pytest.raises(GenoViewInputError, match=r"long.gb, line 21: .*runs past the end of the sequence \(74 bases\)"):
        read_genbank(path, strict=True)
    _sequences, table = read_genbank(path)
    assert len(table) == 3 and table.report.entries[0].kind == "skipped"
