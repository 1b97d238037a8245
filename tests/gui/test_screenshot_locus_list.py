"""`genoview gui G --gff A --locus rrnB --screenshot X`: where the window would list the features a word matches under
the Go-to box, the headless run said "choose one from the list" and showed no list; it now prints the list."""
from __future__ import annotations


def test_a_locus_matching_several_features_prints_them(tmp_path, capsys, qtbot):
    from genoview.cli import main

    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "ACGT" * 500 + "\n")
    gff = tmp_path / "g.gff3"
    gff.write_text("##gff-version 3\n"
                   "chr1\tt\tgene\t101\t400\t.\t+\t.\tID=g1;Name=rrsX;product=16S rRNA of opX operon\n"
                   "chr1\tt\tgene\t601\t900\t.\t+\t.\tID=g2;Name=rrlX;product=23S rRNA of opX operon\n")
    code = main(["gui", str(fasta), "--gff", str(gff), "--locus", "opX", "--screenshot", str(tmp_path / "x.png")])
    err = capsys.readouterr().err
    assert code == 2
    assert "give one of these as --locus" in err and "choose one from the list" not in err
    assert "\n  rrsX" in err and "\n  rrlX" in err
