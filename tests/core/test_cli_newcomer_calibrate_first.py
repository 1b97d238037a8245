"""`genoview calibrate` as a newcomer types it: the genome first, as info/predict/evaluate take it ("the following
arguments are required: --fasta"); and calibrating the shipped GeneORF said "copy its folder and calibrate the copy",
whose calibration then said GeneORF has no threshold: that is said first."""
from __future__ import annotations

from genoview.cli import genome_as_fasta, main as cli_main
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_calibrate_takes_the_genome_first():
    assert genome_as_fasta(["calibrate", "g.fa", "--model", "m", "--gff", "a.gff3"]) == [
        "calibrate", "--fasta", "g.fa", "--model", "m", "--gff", "a.gff3"]


def test_a_model_without_threshold_is_said_before_copying(capsys):
    code = cli_main(["calibrate", str(EXAMPLE_GENOME), "--model", "geneorf-bacteria", "--gff", str(EXAMPLE_ANNOTATION)])
    err = capsys.readouterr().err
    assert code == 2 and "no adjustable decision threshold" in err and "cp -r" not in err
