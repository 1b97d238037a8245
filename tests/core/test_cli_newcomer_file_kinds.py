"""H-ux7: files a newcomer opens by mistake are named for what they are: a zip a collaborator sent ("a binary file
(a bigWig, BAM or other)" before) and a BED file given as the annotation ("expected 9 tab-separated columns, found
6" before)."""
from __future__ import annotations

import zipfile

from genoview.cli import main as cli_main


def test_a_zip_is_named_and_the_bed_file_too(tmp_path, capsys):
    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "ACGT" * 100 + "\n")
    archive = tmp_path / "genome.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(fasta, "g.fa")
    assert cli_main(["info", str(archive)]) == 2
    err = capsys.readouterr().err
    assert "genome.zip: a zip archive, not a genome or annotation: unpack it first" in err
    bed = tmp_path / "genes.bed"
    bed.write_text("chr1\t10\t100\tgene1\t0\t+\nchr1\t200\t300\tgene2\t0\t-\n")
    assert cli_main(["info", str(fasta), "--gff", str(bed)]) == 2
    err = capsys.readouterr().err
    assert "genes.bed, line 1:" in err and "this looks like a BED file" in err and "convert it to GFF3" in err


def test_an_empty_annotation_says_it_is_empty(tmp_path, capsys):
    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "ACGT" * 100 + "\n")
    empty = tmp_path / "genes.gff3"
    empty.write_text("")
    assert cli_main(["info", str(fasta), "--gff", str(empty)]) == 2
    assert "genes.gff3: the file is empty (0 bytes)" in capsys.readouterr().err
