"""Cases where GenoView's GFF3 reader disagreed with genometools' ``gt gff3`` on its own test suite; each file
here is a tiny one written for the rule, not genometools' file."""
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.io.gff import read_gff

HEAD = "##gff-version 3\n##sequence-region chr1 1 10000\n"


def _write(tmp_path, text, name="a.gff3"):
    path = tmp_path / name
    path.write_text(HEAD + text.replace("|", "\t"))
    return path


def test_a_parent_across_a_terminator_is_refused_and_reported(tmp_path):
    # '###' closes every reference to the features before it (gt: "has not been previously defined")
    path = _write(tmp_path, "chr1|.|gene|100|900|.|+|.|ID=g1\n###\nchr1|.|mRNA|100|900|.|+|.|ID=m1;Parent=g1\n")
    with pytest.raises(GenoViewInputError, match="###"):
        read_gff(path, strict=True)
    annotation = read_gff(path)
    assert [entry.line for entry in annotation.report] == [5]
    assert annotation.features.find("m1")[0].parent is None  # the link is left out, and said so


def test_an_id_continued_after_a_terminator_is_refused_and_reported(tmp_path):
    path = _write(tmp_path, "chr1|.|gene|100|900|.|+|.|ID=g1\n"
                            "chr1|.|CDS|100|300|.|+|0|ID=c1;Parent=g1\n###\n"
                            "chr1|.|CDS|500|700|.|+|0|ID=c1;Parent=g1\n")
    with pytest.raises(GenoViewInputError, match="###"):
        read_gff(path, strict=True)
    assert [entry.line for entry in read_gff(path).report] == [6]


def test_features_each_side_of_a_terminator_still_load(tmp_path):
    path = _write(tmp_path, "chr1|.|gene|100|900|.|+|.|ID=g1\nchr1|.|mRNA|100|900|.|+|.|ID=m1;Parent=g1\n###\n"
                            "chr1|.|gene|1000|1900|.|-|.|ID=g2\nchr1|.|mRNA|1000|1900|.|-|.|Parent=g2\n###\n")
    annotation = read_gff(path, strict=True)
    assert len(annotation.features) == 4 and not annotation.report


def test_a_target_with_its_range_swapped_is_refused(tmp_path):
    path = _write(tmp_path, "chr1|.|match|100|200|.|+|.|ID=m;Target=est1 50 10 +\n")
    with pytest.raises(GenoViewInputError, match="start <= end"):
        read_gff(path, strict=True)
    assert len(read_gff(path).report) == 1


def test_the_parts_of_a_match_may_each_carry_their_own_target(tmp_path):
    # gt accepts a multi-line cDNA_match whose lines align different stretches of the target
    path = _write(tmp_path, "chr1|.|cDNA_match|100|200|.|+|.|ID=cm1;Target=cdna1 1 101\n"
                            "chr1|.|cDNA_match|500|600|.|+|.|ID=cm1;Target=cdna1 102 202\n")
    annotation = read_gff(path, strict=True)
    assert not annotation.report
    (feature,) = annotation.features.find("cm1")
    assert (feature.start, feature.end) == (99, 600)


def test_other_attributes_must_still_agree_along_a_feature(tmp_path):
    path = _write(tmp_path, "chr1|.|cDNA_match|100|200|.|+|.|ID=cm1;Name=a\n"
                            "chr1|.|cDNA_match|500|600|.|+|.|ID=cm1;Name=b\n")
    with pytest.raises(GenoViewInputError, match="Name"):
        read_gff(path, strict=True)


GENBANK = """LOCUS       TINY1                 60 bp    DNA     linear   UNK 01-JAN-2000
DEFINITION  tiny.
ACCESSION   TINY1
VERSION     TINY1.1
FEATURES             Location/Qualifiers
     source          1..60
     CDS             join(10..30,OTHER1.1:5..40)
                     /gene="a"
     gene            OTHER1.1:1..50
                     /gene="b"
     gene            join(10..30,40..50)
                     /gene="c"
ORIGIN
        1 acgtacgtac gtacgtacgt acgtacgtac gtacgtacgt acgtacgtac gtacgtacgt
//
"""


@pytest.mark.parametrize("strict", [False, True])
def test_genbank_parts_on_other_records_are_not_drawn_here(tmp_path, strict):
    # Biopython reads 'OTHER1.1:5..40' as a part on another record; it used to be drawn at 5..40 of this one
    from genoview.core.io.genbank import read_genbank

    path = tmp_path / "remote.gb"
    path.write_text(GENBANK)
    sequences, features = read_genbank(path, strict=strict)
    assert list(sequences) == ["TINY1.1"]
    by_name = {f.name: f for f in features if f.type != "source"}
    assert set(by_name) == {"a", "c"}  # 'b' lies wholly on OTHER1.1
    assert (by_name["a"].start, by_name["a"].end) == (9, 30)
    assert by_name["c"].parts == [(9, 30), (39, 50)]
    assert [(entry.line, entry.action.split(":")[0]) for entry in features.report] == [(7, "repaired"), (9, "skipped")]
