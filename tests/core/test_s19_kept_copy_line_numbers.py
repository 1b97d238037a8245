"""The copy without the features of sequences the genome lacks (NAME.kept.gff3) keeps every other line's number: a
line left out is left empty (H-walk19 under Xvfb: broken.gff3 with a chrWrong line 7 on the example genome; the
annotation report of broken.kept.gff3 named its line 7, which was line 8 of broken.gff3, the file one edits). The
awk command the error message gives writes the same bytes."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from genoview.cli import main as cli_main
from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome, write_renamed_annotation

GFF = ("##gff-version 3\n"
       "##sequence-region chrWrong 1 500\n"
       "chr1\tx\tgene\t1\t30\t.\t+\t.\tID=g1\n"
       "chrWrong\tx\tgene\t1\t30\t.\t+\t.\tID=w1\n"
       "chrWrong\tx\tCDS\t1\t30\t.\t+\t0\tParent=w1\n"
       "chr1\tx\tCDS\t1\t30\t.\t+\t7\tParent=g1\n"          # line 6: a bad phase, skipped and reported
       "chr1\tx\tgene\t50\t80\t.\t-\t.\tID=g2\n")


def test_the_report_of_the_copy_names_the_lines_of_the_file(tmp_path, capsys):
    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "ACGT" * 25 + "\n")
    gff = tmp_path / "genes.gff3"
    gff.write_text(GFF)
    with pytest.raises(GenoViewInputError) as refused:
        open_genome(fasta, gff)
    assert refused.value.dropping == {"chrWrong": None}
    copy = write_renamed_annotation(gff, refused.value.dropping, tmp_path / "data")
    lines = Path(copy).read_text().split("\n")
    assert len(lines) == len(GFF.split("\n")) and lines[1] == lines[3] == lines[4] == ""
    assert "chrWrong" not in Path(copy).read_text()
    with open_genome(fasta, copy) as genome:
        assert [entry.line for entry in genome.features.report] == [6]   # line 6 of genes.gff3 too
        assert {f.id for f in genome.features if f.type == "gene"} == {"g1", "g2"}
    # the message's awk command writes the same bytes
    assert cli_main(["info", str(fasta), "--gff", str(gff)]) == 2
    command = capsys.readouterr().err.split("e.g. ", 1)[1].strip()
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    assert (tmp_path / "kept.gff3").read_bytes() == Path(copy).read_bytes()
