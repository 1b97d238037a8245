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
