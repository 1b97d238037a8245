"""GFF3/GTF rules as genometools checks them: for each, strict refuses at the line, lenient loads the rest and says
what it skipped or repaired (issue 14)."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.io.gff import read_gff

T = "\t"


def row(seqid="chr1", type_="gene", start=1, end=100, strand="+", phase=".", attributes=".", source="t", score="."):
    return T.join([seqid, source, type_, str(start), str(end), score, strand, phase, attributes]) + "\n"


def write(tmp_path, body: str, header: str = "##gff-version 3\n", name: str = "x.gff3"):
    path = tmp_path / name
    path.write_text(header + body)
    return path


def strict_error(path) -> GenoViewInputError:
    with pytest.raises(GenoViewInputError) as err:
        read_gff(path, strict=True)
    return err.value


def only_entry(annotation):
    assert len(annotation.report) == 1, annotation.report.lines()
    return annotation.report.entries[0]


# --- parents -----------------------------------------------------------------------------------------------
def test_undefined_parent(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1") + row(type_="mRNA", attributes="ID=m1;Parent=gX"))
    err = strict_error(path)
    assert err.line == 3 and "Parent 'gX' is not defined" in str(err) and "x.gff3, line 3: Parent" in str(err)
    annotation = read_gff(path)
    entry = only_entry(annotation)
    assert (entry.line, entry.kind) == (3, "repaired") and entry.text.endswith("ID=m1;Parent=gX")
    mrna = annotation.features.find("m1")[0]
    assert mrna.parent is None and "Parent" not in mrna.attributes  # drawn as a top-level feature, as written


def test_parent_defined_later_is_fine(tmp_path):
    path = write(tmp_path, row(type_="mRNA", attributes="ID=m1;Parent=g1") + row(attributes="ID=g1"))
    annotation = read_gff(path, strict=True)
    assert annotation.features.find("m1")[0].parent == "g1" and not annotation.report


def test_self_parent_and_cycle(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1;Parent=g1"))
    assert "names itself as its Parent" in str(strict_error(path))
    assert read_gff(path).features.find("g1")[0].parent is None
    cycle = write(tmp_path, row(attributes="ID=a;Parent=b") + row(attributes="ID=b;Parent=c") +
                  row(attributes="ID=c;Parent=a"), name="cycle.gff3")
    err = strict_error(cycle)
    assert "makes a cycle" in str(err)
    annotation = read_gff(cycle)
    entry = only_entry(annotation)
    assert entry.kind == "repaired" and "cycle" in entry.reason
    parents = {f.id: f.parent for f in annotation.features}
    assert list(parents.values()).count(None) == 1  # exactly one link was cut: the chain is a tree again


def test_empty_id_does_not_merge_unrelated_features(tmp_path):
    path = write(tmp_path, row(start=100, end=200, attributes="ID=;Name=a") +
                 row(start=5000, end=6000, strand="-", attributes="ID=;Name=b"))
    assert "'ID=' has no value" in str(strict_error(path))
    annotation = read_gff(path)
    a, b = annotation.features
    assert (a.start, a.end, a.strand, a.id) == (99, 200, 1, None) and (b.start, b.end, b.strand) == (4999, 6000, -1)
    assert [e.line for e in annotation.report] == [2, 3] and annotation.features.count_by_type() == {"gene": 2}


def test_one_id_on_two_sequences_or_types(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1") + row(seqid="chr2", attributes="ID=g1"))
    assert "one feature on one sequence" in str(strict_error(path))
    annotation = read_gff(path)
    assert [f.seqid for f in annotation.features] == ["chr1"] and only_entry(annotation).kind == "skipped"
    types = write(tmp_path, row(attributes="ID=g1") + row(type_="CDS", phase="0", attributes="ID=g1"), name="t.gff3")
    assert "already used by a gene on line 2" in str(strict_error(types))


def test_child_on_another_sequence_than_its_parent(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1") + row(seqid="chr2", type_="mRNA", attributes="ID=m1;Parent=g1"))
    assert "a child lies on its parent's sequence" in str(strict_error(path))
    assert read_gff(path).features.find("m1")[0].parent is None


def test_lines_of_one_feature_carry_the_same_attributes_strand_and_source(tmp_path):
    path = write(tmp_path, row(type_="CDS", end=9, phase="0", attributes="ID=c1;product=a") +
                 row(type_="CDS", start=20, end=28, phase="0", attributes="ID=c1;product=b"))
    assert "has another product attribute than its piece on line 2 ('b' vs 'a')" in str(strict_error(path))
    annotation = read_gff(path)
    cds = annotation.features.find("c1")[0]
    assert cds.parts == [(0, 9), (19, 28)] and cds.attributes["product"] == "a"
    assert only_entry(annotation).action == "kept: one feature with the attributes of line 2"
    strand = write(tmp_path, row(type_="exon", end=9, attributes="ID=e1") +
                   row(type_="exon", start=20, end=28, strand="-", attributes="ID=e1"), name="s.gff3")
    assert "on another strand than its piece on line 2" in str(strict_error(strand))
    assert read_gff(strand).features.find("e1")[0].parts == [(0, 9)]
    source = write(tmp_path, row(type_="exon", end=9, attributes="ID=e1") +
                   row(type_="exon", start=20, end=28, source="other", attributes="ID=e1"), name="src.gff3")
    assert "another source than its piece on line 2" in str(strict_error(source))


# --- sequence regions --------------------------------------------------------------------------------------
@pytest.mark.parametrize("region", ["##sequence-region chr1 100 200\n", "##sequence-region chr1 1 120\n"])
def test_feature_outside_its_sequence_region(tmp_path, region):
    path = write(tmp_path, row(start=110, end=120, attributes="ID=in") + row(start=50, end=150, attributes="ID=out")
                 + row(start=150, end=250, attributes="ID=out2"), header="##gff-version 3\n" + region)
    err = strict_error(path)
    assert err.line in (3, 4) and "outside ##sequence-region chr1" in str(err)
    annotation = read_gff(path)
    kept = [f.id for f in annotation.features]
    assert "out2" not in kept and all(e.kind == "skipped" for e in annotation.report)


def test_circular_sequence_allows_features_across_the_end(tmp_path):
    path = write(tmp_path, row(type_="region", end=100, attributes="ID=r;Is_circular=true") +
                 row(start=90, end=110, attributes="ID=across"), header="##gff-version 3\n##sequence-region chr1 1 100\n")
    annotation = read_gff(path, strict=True)
    assert annotation.features.find("across")[0].end == 110 and not annotation.report


@pytest.mark.parametrize(("region", "words"), [
    ("##sequence-region chr1 0 100\n", "1-based"),
    ("##sequence-region chr1 1 -5\n", "before its start"),
    ("##sequence-region chr1 1 x\n", "not a whole number"),
    ("##sequence-region chr1 1\n", "needs: seqid start end"),
])
def test_bad_sequence_region_lines(tmp_path, region, words):
    path = write(tmp_path, region + row(attributes="ID=g1"))
    err = strict_error(path)
    assert err.line == 2 and words in str(err)
    annotation = read_gff(path)
    assert annotation.sequence_regions == {} and only_entry(annotation).kind == "skipped"
    assert annotation.features.find("g1")


def test_region_after_its_features_and_twice(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1") + "##sequence-region chr1 1 50\n")
    assert "comes after features on chr1" in str(strict_error(path))
    annotation = read_gff(path)
    assert annotation.sequence_regions == {} and only_entry(annotation).line == 3
    twice = write(tmp_path, row(attributes="ID=g1"), name="twice.gff3",
                  header="##gff-version 3\n##sequence-region chr1 1 500\n##sequence-region chr1 1 600\n")
    assert "already defined on line 2" in str(strict_error(twice))
    assert read_gff(twice).sequence_regions == {"chr1": (0, 500)}


# --- CDS phases --------------------------------------------------------------------------------------------
def test_cds_needs_a_phase(tmp_path):
    path = write(tmp_path, row(type_="CDS", start=1, end=9, attributes="ID=c1"))
    assert "a CDS needs a phase" in str(strict_error(path))
    annotation = read_gff(path)
    assert annotation.features.find("c1")[0].phase == 0 and only_entry(annotation).action == "repaired: read as phase 0"


@pytest.mark.parametrize("strand", ["+", "-"])
def test_multi_part_cds_phases_follow_the_length_before(tmp_path, strand):
    # 5' part 10 bases at phase 0 -> the next part starts with 2 bases finishing its codon: phase 2
    if strand == "+":
        good = row(type_="CDS", start=1, end=10, phase="0", attributes="ID=c1") + \
            row(type_="CDS", start=21, end=30, phase="2", attributes="ID=c1")
    else:
        good = row(type_="CDS", start=1, end=10, strand="-", phase="2", attributes="ID=c1") + \
            row(type_="CDS", start=21, end=30, strand="-", phase="0", attributes="ID=c1")
    assert not read_gff(write(tmp_path, good), strict=True).report
    bad = good.replace("\t2\tID=c1", "\t1\tID=c1")
    path = write(tmp_path, bad, name="bad.gff3")
    err = strict_error(path)
    assert err.line == (3 if strand == "+" else 2) and "it should be 2" in str(err)
    annotation = read_gff(path)
    assert only_entry(annotation).action == "repaired: read as phase 2"
    cds = annotation.features.find("c1")[0]
    assert cds.parts == [(0, 10), (20, 30)] and cds.phase == (0 if strand == "+" else 2)


def test_cds_parts_under_one_parent_are_checked_together(tmp_path):
    body = row(type_="mRNA", end=40, attributes="ID=m1") + row(type_="CDS", start=1, end=10, phase="0",
                                                              attributes="Parent=m1") + \
        row(type_="CDS", start=21, end=30, phase="0", attributes="Parent=m1")
    assert "it should be 2" in str(strict_error(write(tmp_path, body)))
    fixed = read_gff(write(tmp_path, body, name="y.gff3"))
    assert [f.phase for f in fixed.features if f.type == "CDS"] == [0, 2]


# --- GTF ---------------------------------------------------------------------------------------------------
def gtf(type_, start, end, strand="+", phase=".", transcript="T1", gene="G1"):
    return row(type_=type_, start=start, end=end, strand=strand, phase=phase,
               attributes=f'gene_id "{gene}"; transcript_id "{transcript}";')


def test_gtf_transcript_and_gene_on_one_strand(tmp_path):
    path = write(tmp_path, gtf("gene", 1, 100) + gtf("transcript", 1, 100, strand="-") + gtf("exon", 1, 50, "-"),
                 header="", name="x.gtf")
    err = strict_error(path)
    assert err.line == 2 and "gene 'G1' is on +" in str(err)
    annotation = read_gff(path)
    assert [f.type for f in annotation.features] == ["gene"]  # the transcript's lines are on the other strand
    assert [e.line for e in annotation.report] == [2, 3]


def test_gtf_lines_need_their_ids(tmp_path):
    path = write(tmp_path, gtf("gene", 1, 100) + row(type_="exon", end=50, attributes='gene_id "G1";') +
                 row(type_="exon", end=50, attributes='transcript_id "T1";'), header="", name="x.gtf")
    err = strict_error(path)
    assert err.line == 2 and "a GTF exon line needs a transcript_id" in str(err)
    annotation = read_gff(path)
    assert [f.type for f in annotation.features] == ["gene"] and "needs a gene_id" in annotation.report.entries[1].reason


def test_gtf_stop_codon_inside_the_cds_and_alone(tmp_path):
    body = gtf("CDS", 1, 30, phase="0") + gtf("stop_codon", 28, 30) + gtf("exon", 100, 200, transcript="T2") + \
        gtf("stop_codon", 150, 152, transcript="T2")
    path = write(tmp_path, body, header="", name="x.gtf")
    assert "lies inside the CDS" in str(strict_error(path))
    annotation = read_gff(path)
    assert [e.line for e in annotation.report] == [2, 4] and "without a CDS" in annotation.report.entries[1].reason
    assert [f.type for f in annotation.features] == ["CDS", "exon"]
    good = write(tmp_path, gtf("CDS", 1, 27, phase="0") + gtf("stop_codon", 28, 30), header="", name="ok.gtf")
    assert not read_gff(good, strict=True).report


# --- attributes (column 9) ---------------------------------------------------------------------------------
def test_percent_encoding_and_several_values(tmp_path):
    path = write(tmp_path, row(attributes="ID=g%3B1;Note=a%3Bb%2Cc;Dbxref=GeneID:1,UniProt:P2;Alias=%41x"))
    feature = read_gff(path, strict=True).features.find("g;1")[0]
    assert feature.attributes["Note"] == "a;b,c" and feature.attribute_values("Note") == ["a;b,c"]
    assert feature.attributes["Dbxref"] == "GeneID:1,UniProt:P2"
    assert feature.attribute_values("Dbxref") == ["GeneID:1", "UniProt:P2"] and feature.attribute_values("Alias") == ["Ax"]
    assert feature.attribute_values("missing") == []


def test_repeated_tags_are_joined_or_refused(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1;Alias=x;Alias=y,z"))
    assert "more than one Alias attribute" in str(strict_error(path))
    feature = read_gff(path).features.find("g1")[0]
    assert feature.attributes["Alias"] == "x,y,z" and feature.attribute_values("Alias") == ["x", "y", "z"]
    assert only_entry(read_gff(path)).action == "repaired: the values are joined"


@pytest.mark.parametrize(("attributes", "words", "kept"), [
    ("ID=g1;foo==bar", "more than one '='", {"ID": "g1"}),
    ("ID=g1;junk", "malformed attribute 'junk'", {"ID": "g1"}),
    ("ID=g1;=y", "malformed attribute '=y'", {"ID": "g1"}),
    ("ID=g1;note=", "'note=' has no value", {"ID": "g1"}),
    ("ID=g1;Foo=1", "illegal uppercase attribute 'Foo'", {"ID": "g1", "Foo": "1"}),
    ("ID=g1;Is_circular=maybe", "Is_circular='maybe' must be true or false", {"ID": "g1", "Is_circular": "maybe"}),
    ("ID=g1;Target=EST23 1", "must be 'target_id start end [strand]'", {"ID": "g1"}),
])
def test_bad_attributes(tmp_path, attributes, words, kept):
    path = write(tmp_path, row(attributes=attributes))
    err = strict_error(path)
    assert err.line == 2 and words in str(err)
    annotation = read_gff(path)
    assert annotation.features.find("g1")[0].attributes == kept
    assert only_entry(annotation).kind == ("kept" if len(kept) == 2 else "repaired")


def test_is_circular_false_and_reserved_tags_are_fine(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1;Name=n;Alias=a;Note=x;Dbxref=d:1;Ontology_term=GO:1;Is_circular=false;"
                                          "Derives_from=g0;Target=t 1 10;Gap=M10;gene=abc"))
    assert not read_gff(path, strict=True).report


# --- header and odd lines ----------------------------------------------------------------------------------
def test_gff_version_line(tmp_path):
    bad = write(tmp_path, row(attributes="ID=g1"), header="##gff-version gff3\n")
    err = strict_error(bad)
    assert err.line == 1 and "GFF version 'gff3' is not 3" in str(err)
    assert only_entry(read_gff(bad)).kind == "kept"
    assert not read_gff(write(tmp_path, row(attributes="ID=g1"), header="##gff-version 3.1.26\n", name="v.gff3"),
                        strict=True).report
    missing = write(tmp_path, row(attributes="ID=g1"), header="", name="missing.gff3")
    assert "must begin with the line '##gff-version 3'" in str(strict_error(missing))
    lenient = read_gff(missing)   # read as GFF3, and the report says the version line is missing
    assert lenient.features.find("g1") and only_entry(lenient).kind == "kept"
    assert "must begin with the line '##gff-version 3'" in only_entry(lenient).reason
    later = write(tmp_path, row(attributes="ID=g1") + "##gff-version 3\n", name="later.gff3")
    assert "a second '##gff-version' line" in str(strict_error(later))


def test_header_only_file_is_an_empty_annotation(tmp_path):
    path = write(tmp_path, "##sequence-region chr1 1 1000\n")
    annotation = read_gff(path, strict=True)
    assert len(annotation.features) == 0 and annotation.sequence_regions == {"chr1": (0, 1000)}


def test_ncbi_dot_coordinates_and_seqid_with_a_trailing_space(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1") + row(start=".", end=".", attributes="ID=g2") +
                 row(seqid="chr1 ", attributes="ID=g3"))
    err = strict_error(path)
    assert err.line == 3 and "start '.' is not a whole number" in str(err)
    annotation = read_gff(path)
    assert [f.id for f in annotation.features] == ["g1", "g3"] and annotation.features.find("g3")[0].seqid == "chr1"
    assert [(e.line, e.kind) for e in annotation.report] == [(3, "skipped"), (4, "repaired")]


def test_fasta_header_without_fasta_directive(tmp_path):
    at_end = write(tmp_path, row(attributes="ID=g1") + ">chr1\nACGT\nAC\n")
    for strict in (True, False):  # genometools reads a '>' line as the start of the sequences
        annotation = read_gff(at_end, strict=strict)
        assert annotation.sequences["chr1"].text() == "ACGTAC"
    assert only_entry(read_gff(at_end)).kind == "kept"
    inside = write(tmp_path, row(attributes="ID=g1") + ">chr1\nACGT\n" + row(attributes="ID=g2"), name="in.gff3")
    err = strict_error(inside)
    assert err.line == 3 and "without a '##FASTA'" in str(err)
    annotation = read_gff(inside)
    assert [f.id for f in annotation.features] == ["g1", "g2"] and [e.line for e in annotation.report] == [3, 4]


def test_a_file_with_no_sound_line_is_refused_even_when_lenient(tmp_path):
    path = write(tmp_path, row(start="x", attributes="ID=a") + row(end="y", attributes="ID=b"))
    with pytest.raises(GenoViewInputError, match="no line of this file could be read as a feature") as err:
        read_gff(path)
    assert err.value.line == 2


def test_lenient_report_summary_and_lines(tmp_path):
    path = write(tmp_path, row(attributes="ID=g1") + row(start=".", end=".", attributes="ID=g2") +
                 row(type_="CDS", attributes="ID=c1"))
    report = read_gff(path).report
    assert report.counts() == {"skipped": 1, "repaired": 1, "kept": 0}
    assert report.summary().startswith("x.gff3: 1 line skipped, 1 line repaired (first: line 3: start '.'")
    assert report.lines()[1].startswith("line 4: a CDS needs a phase") and "ID=c1" in report.lines()[1]
    assert report.to_json()[0]["line"] == 3 and "genoview info" in report.warning()
