"""`genoview info` with an annotation whose lines were skipped names the file the line numbers belong to (the list
said "line 6: ..." and left the reader to guess which of the two files given)."""
from __future__ import annotations

from genoview.cli import main


def test_skipped_lines_name_their_file(tmp_path, capsys):
    fasta = tmp_path / "g.fna"
    fasta.write_text(">c1\n" + "ACGT" * 50 + "\n", encoding="utf-8")
    gff = tmp_path / "genes.gff3"
    gff.write_text("##gff-version 3\nc1\tx\tgene\t1\t90\t.\t+\t.\tID=a\nc1\tx\tgene\t5\t40\t.\t+\n", encoding="utf-8")
    assert main(["info", str(fasta), "--gff", str(gff)]) == 0
    out = capsys.readouterr().out
    assert "genes.gff3: 1 annotation line(s) reported (1 skipped)" in out
    assert "line 3: expected 9 tab-separated columns, found 7" in out
