"""rev13: the window's 'Open a copy with chr1 as NC_000907' wrote a new NAME.renamed-N.gff3 each time the user opened
the same annotation (a folder filling with identical copies), and renaming a copy again made
NAME.renamed.renamed.gff3. An identical copy is reused; a copy's copy keeps one '.renamed'."""
from __future__ import annotations

import gzip

from genoview.core.genome import write_renamed_annotation

GFF = ("##gff-version 3\r\n##sequence-region chr1 1 100\r\n"
       "chr1\tsrc\tgene\t1\t10\t.\t+\t.\tID=g1\r\n")


def test_the_same_renaming_reuses_its_copy(tmp_path):
    original = tmp_path / "genes.gff3"
    original.write_bytes(GFF.encode())
    first = write_renamed_annotation(original, {"chr1": "NC_1"}, tmp_path / "data")
    assert first == str(tmp_path / "genes.renamed.gff3")
    again = write_renamed_annotation(original, {"chr1": "NC_1"}, tmp_path / "data")
    assert again == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["genes.gff3", "genes.renamed.gff3"]
    assert original.read_bytes() == GFF.encode()   # never changed
    assert (tmp_path / "genes.renamed.gff3").read_bytes() == GFF.replace("chr1", "NC_1").encode()   # CRLF kept
    other = write_renamed_annotation(original, {"chr1": "NC_2"}, tmp_path / "data")   # another renaming: a new copy
    assert other == str(tmp_path / "genes.renamed-2.gff3")
    assert write_renamed_annotation(original, {"chr1": "NC_2"}, tmp_path / "data") == other
    edited = tmp_path / "genes.renamed.gff3"   # the user edited the first copy: it is not reused, nor replaced
    edited.write_bytes(edited.read_bytes() + b"# mine\n")
    third = write_renamed_annotation(original, {"chr1": "NC_1"}, tmp_path / "data")
    assert third == str(tmp_path / "genes.renamed-3.gff3") and edited.read_bytes().endswith(b"# mine\n")


def test_a_copy_renamed_again_keeps_one_renamed(tmp_path):
    copy = tmp_path / "genes.renamed.gff3"
    copy.write_bytes(GFF.encode())
    again = write_renamed_annotation(copy, {"chr1": "NC_1"}, tmp_path / "data")
    assert again == str(tmp_path / "genes.renamed-2.gff3") and copy.read_bytes() == GFF.encode()
    packed = tmp_path / "other.renamed-4.gtf.gz"
    packed.write_bytes(gzip.compress(GFF.encode()))
    assert write_renamed_annotation(packed, {"chr1": "NC_1"}, tmp_path / "data") == str(tmp_path / "other.renamed.gtf")
