"""`genoview evaluate --fasta G --gff A` predicts with the default model and scores it, as the --model help says
("default: the default model"); it was refused with "one of the arguments --bedgraph --model is required".
Without --fasta either, one line says what to give."""
from __future__ import annotations

import json

from genoview.cli import main as cli_main
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_fasta_and_gff_alone_score_the_default_model(capsys):
    code = cli_main(["evaluate", "--fasta", str(EXAMPLE_GENOME), "--gff", str(EXAMPLE_ANNOTATION), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "scoring the default model" in captured.err
    assert 0.0 <= json.loads(captured.out)["mcc"] <= 1.0


def test_no_track_and_no_genome_says_what_to_give(capsys):
    code = cli_main(["evaluate", "--gff", str(EXAMPLE_ANNOTATION)])
    err = capsys.readouterr().err
    assert code == 2 and "--bedgraph TRACK" in err and "--fasta GENOME" in err
