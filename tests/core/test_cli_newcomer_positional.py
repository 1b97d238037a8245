"""`genoview info GENOME` (and predict, evaluate) take the genome without --fasta, as `genoview gui GENOME` does:
newcomers typed it so and met "the following arguments are required: --fasta"."""
from __future__ import annotations

import pytest

from genoview.cli import genome_as_fasta, main as cli_main
from genoview.gui.start_page import EXAMPLE_GENOME


def test_info_takes_the_genome_first(capsys):
    assert cli_main(["info", str(EXAMPLE_GENOME)]) == 0
    assert "chrEx" in capsys.readouterr().out


def test_only_a_leading_path_is_rewritten():
    assert genome_as_fasta(["predict", "g.fa", "--gff-out", "x.gff3"]) == ["predict", "--fasta", "g.fa", "--gff-out",
                                                                          "x.gff3"]
    assert genome_as_fasta(["predict", "--fasta", "g.fa"]) == ["predict", "--fasta", "g.fa"]
    assert genome_as_fasta(["evaluate", "--fasta=g.fa", "x"]) == ["evaluate", "--fasta=g.fa", "x"]
    assert genome_as_fasta(["train", "g.fa"]) == ["train", "g.fa"]
    assert genome_as_fasta(["info"]) == ["info"]


def test_score_pairs_takes_the_pair_file_first():
    assert genome_as_fasta(["score-pairs", "p.csv", "--model", "kn"]) == ["score-pairs", "--pairs", "p.csv",
                                                                           "--model", "kn"]
    assert genome_as_fasta(["adapt", "g.fa", "--out", "d"]) == ["adapt", "--fasta", "g.fa", "--out", "d"]


def test_a_leading_window_option_opens_the_window(monkeypatch, capsys):
    """`genoview --screenshot out.png` or `genoview --locus thrA g.fa` (the window's options first) said
    "argument COMMAND: invalid choice: 'out.png'"; they are the window's options, as `genoview g.fa --locus thrA` is."""
    import genoview.cli.gui as gui

    seen = []
    monkeypatch.setattr(gui, "run", lambda args: seen.append((args.command, args.screenshot, args.locus)) or 0)
    assert cli_main(["--screenshot", "out.png"]) == 0
    assert cli_main(["--locus", "thrA", str(EXAMPLE_GENOME)]) == 0
    assert seen == [("gui", "out.png", None), ("gui", None, "thrA")]
    with pytest.raises(SystemExit):   # the program's own options stay its own
        cli_main(["--version"])
    assert "GenoView" in capsys.readouterr().out
