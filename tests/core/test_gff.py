"""GFF3/GTF reader: coordinates, strands, attributes, multi-line features, hierarchy, embedded FASTA, errors."""
from __future__ import annotations

import gzip

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome
from genoview.core.io import detect_format
from genoview.core.io.gff import read_gff


def test_coordinates_strands_phases_and_attributes(data_dir):
    annotation = read_gff(data_dir / "io_small.gff3")
    table = annotation.features
    assert annotation.sequence_regions == {"chr1": (0, 64)}
    gene1 = table.find("gene1")[0]
    assert (gene1.seqid, gene1.start, gene1.end, gene1.strand, gene1.type) == ("chr1", 2, 20, 1, "gene")
    assert gene1.name == "abcA" and gene1.phase is None and gene1.line == 5
    assert gene1.attributes["Note"] == "50% sure; really, yes"
    assert table.find("gene2")[0].strand == -1
    assert table.find("psiA")[0].strand == 0  # '?'
    big = table.find("gene3")[0]
    assert big.name == "Big gene" and big.score == 3.5 and big.strand == 0
    repeat = table.query("chr2", 0, 50, types=["repeat_region"])[0]
    assert repeat.attributes == {} and repeat.id is None and (repeat.start, repeat.end) == (4, 10)


def test_one_id_on_several_lines_is_one_feature_with_parts(data_dir):
    table = read_gff(data_dir / "io_small.gff3").features
    cds = [f for f in table if f.type == "CDS"]
    assert len(cds) == 1
    assert cds[0].parts == [(2, 8), (11, 20)] and (cds[0].start, cds[0].end) == (2, 20)
    assert cds[0].phase == 0 and cds[0].attributes["product"] == "A,B protein"
    assert cds[0].attribute_values("product") == ["A", "B protein"]
    # the second part's phase 2 does not follow from the first (6 bases at phase 0): reported, read as 0
    report = read_gff(data_dir / "io_small.gff3").report
    assert [(e.line, e.action) for e in report] == [(7, "repaired: read as phase 0")]
    assert table.count_by_type()["CDS"] == 2  # counted per line, as `cut -f3 | uniq -c` does


def test_parent_hierarchy(data_dir):
    table = read_gff(data_dir / "io_small.gff3").features
    gene1, gene2 = table.find("gene1")[0], table.find("gene2")[0]
    mrna = table.find("rna2")[0]
    assert mrna.parent == "gene2" and mrna.attributes["Parent"] == "gene2,gene1"
    assert [f.id for f in table.children(gene1)] == ["cds1", "rna2"]
    assert table.children(gene2) == [mrna]


def test_query_find_and_counts(data_dir):
    table = read_gff(data_dir / "io_small.gff3").features
    assert [f.id for f in table.query("chr1", 0, 3)] == ["gene1", "cds1"]
    assert [f.id for f in table.query("chr1", 20, 29)] == []
    assert [f.id for f in table.query("chr1", 39, 55)] == ["gene2", "rna2", "pseudo1"]
    assert table.query("chrX", 0, 100) == []
    assert [f.id for f in table.find("ABCA")] == ["gene1", "cds1"]  # Name, then gene=
    assert [f.id for f in table.find("abc")] == ["gene1", "cds1", "gene2"]
    assert [f.id for f in table.find("t000")] == ["gene1", "gene2"]  # locus_tag prefix
    assert table.find("  ") == [] and table.find("zzz") == []
    assert table.count_by_type() == {"gene": 3, "CDS": 2, "mRNA": 1, "pseudogene": 1, "repeat_region": 1}


def test_gzip_gff_reads_the_same(tmp_path, data_dir):
    path = tmp_path / "a.gff3.gz"
    path.write_bytes(gzip.compress((data_dir / "io_small.gff3").read_bytes()))
    assert read_gff(path).features.count_by_type() == read_gff(data_dir / "io_small.gff3").features.count_by_type()


def test_embedded_fasta_makes_a_genome(data_dir):
    genome = open_genome(data_dir / "io_embedded.gff3")
    assert list(genome.sequences) == ["seqA"]
    assert genome.sequences["seqA"].text() == "ACGTACGTACGT"
    assert genome.annotation_path == str(data_dir / "io_embedded.gff3")
    assert genome.features.find("onlyGene")[0].start == 1
    assert detect_format(data_dir / "io_embedded.gff3") == "gff"


def test_gtf(data_dir):
    table = read_gff(data_dir / "io_small.gtf").features
    gene, transcript, exon, cds = list(table)
    assert gene.id == "G1" and gene.name == "abcA" and gene.start == 2
    assert transcript.id == "T1" and transcript.parent == "G1" and transcript.attributes["tag"] == "basic,MANE"
    assert exon.parent == "T1" and exon.id is None and cds.phase == 0
    assert table.children(transcript) == [exon, cds]
    assert detect_format(data_dir / "io_small.gtf") == "gff"


GOOD = "chr1\tt\tgene\t3\t20\t.\t+\t.\tID=g1\n"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("chr1\tt\tgene\t30\t20\t.\t+\t.\tID=x", "end (20) is before start (30)"),
        ("chr1\tt\tgene\tthree\t20\t.\t+\t.\tID=x", "start 'three' is not a whole number"),
        ("chr1\tt\tgene\t3\t2.5e3\t.\t+\t.\tID=x", "end '2.5e3' is not a whole number"),
        ("chr1\tt\tgene\t0\t20\t.\t+\t.\tID=x", "1-based"),
        ("chr1\tt\tgene\t3\t20\t.\t*\t.\tID=x", "strand '*'"),
        ("chr1\tt\tgene\t3\t20\t.\t+\t3\tID=x", "phase '3'"),
        ("chr1\tt\tgene\t3\t20\thigh\t+\t.\tID=x", "score 'high'"),
        ("chr1\tt\tgene\t3\t20\t.\t+\t.\tID=x;junk", "malformed attribute 'junk'"),
        ("chr1\tt\tgene\t3\t20\t.\t+\t.\tID=x;=y", "malformed attribute '=y'"),
        ("chr1\tt\tgene\t3\t20\t.\t+", "expected 9 tab-separated columns, found 7"),
        ("chr1 t gene 3 20 . + . ID=x", "separated by tabs"),
        ("\tt\tgene\t3\t20\t.\t+\t.\tID=x", "must not be empty"),
        (">seq", "without a '##FASTA'"),
        ("##sequence-region chr1 1", "##sequence-region needs"),
    ],
)
def test_bad_lines_are_errors_naming_the_line(tmp_path, line, words):
    """Strict refuses the file at the bad line; lenient (the default) loads the rest and reports that line."""
    path = tmp_path / "bad.gff3"
    path.write_text("##gff-version 3\n" + GOOD + line + "\n" + GOOD)
    with pytest.raises(GenoViewInputError) as err:
        read_gff(path, strict=True)
    assert err.value.line == 3 and words in str(err.value)
    assert str(err.value).startswith("bad.gff3, line 3: ")
    annotation = read_gff(path)
    assert [entry.line for entry in annotation.report][:1] == [3] and words in annotation.report.entries[0].reason
    assert annotation.report.entries[0].text == line and annotation.features.report is annotation.report
    assert annotation.features.find("g1")


def test_not_a_gff_and_damaged_gzip(tmp_path):
    header_only = tmp_path / "header_only.gff3"
    header_only.write_text("##gff-version 3\n# nothing\n")
    for strict in (True, False):  # a valid GFF3 without features: an empty annotation, as gt gff3 accepts it
        annotation = read_gff(header_only, strict=strict)
        assert len(annotation.features) == 0 and not annotation.report
    empty = tmp_path / "empty.gff3"
    empty.write_text("# nothing\n")
    with pytest.raises(GenoViewInputError, match="no features"):
        read_gff(empty)
    damaged = tmp_path / "damaged.gff3.gz"
    lines = "".join(f"chr1\tt\tgene\t{i}\t{i * 7}\t.\t+\t.\tID=g{i * 7919 % 10007}\n" for i in range(1, 3000))
    compressed = gzip.compress(lines.encode())
    damaged.write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(GenoViewInputError, match="damaged, truncated"):
        read_gff(damaged)


def test_trailing_tabs_and_gzip_embedded_fasta(tmp_path, data_dir):
    path = tmp_path / "t.gff3.gz"
    text = (data_dir / "io_embedded.gff3").read_text().replace("Name=onlyGene\n", "Name=onlyGene\t\t\n")
    path.write_bytes(gzip.compress(text.encode()))
    genome = open_genome(path)
    assert genome.sequences["seqA"].length == 12 and genome.features.find("onlygene")[0].end == 5


def test_empty_file_is_named(tmp_path):
    path = tmp_path / "nothing.gff3"
    path.write_text("")
    with pytest.raises(GenoViewInputError, match="empty"):
        open_genome(path)


def test_byte_order_mark_is_ignored(tmp_path, data_dir):
    path = tmp_path / "bom.gff3"
    path.write_bytes(b"\xef\xbb\xbf" + (data_dir / "io_small.gff3").read_bytes())
    assert len(open_genome(data_dir / "io_small.fa", path).features) == 7


def test_attributes_parse_lazily_and_features_built_in_code_are_searchable(data_dir):
    from genoview.core.genome import Feature, FeatureTable

    table = read_gff(data_dir / "io_small.gff3").features
    gene = table.find("T0002")[0]
    assert isinstance(gene._attributes, str)  # kept as text until asked for
    assert gene.attributes == {"ID": "gene2", "gene": "abcB", "locus_tag": "T0002"}
    made = FeatureTable([Feature("c", 0, 5, 1, "gene", attributes={"locus_tag": "X_1"})])
    assert len(made.find("x_1")) == 1
