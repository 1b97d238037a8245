"""`genoview predict --fasta g.fa --gff g.gff3 ...` (the annotation option of evaluate, train, gui) was read by
argparse as an abbreviation of --gff-out and wrote the predicted genes over the user's annotation. Options are
spelt out now (no abbreviations in any command), and predict says it takes no annotation."""
from __future__ import annotations

from pathlib import Path

import pytest

from genoview.cli import build_parser, main as cli_main

DATA = Path(__file__).resolve().parents[1] / "data"


def test_predict_gff_never_writes_over_the_annotation(tmp_path, capsys):
    gff = tmp_path / "mine.gff3"
    gff.write_bytes((DATA / "engine_tiny.gff3").read_bytes())
    before = gff.read_bytes()
    assert cli_main(["predict", "--fasta", str(DATA / "engine_tiny.fa"), "--model", "prodigal", "--gff", str(gff),
                     "--bedgraph", str(tmp_path / "t.bedgraph")]) == 2
    assert gff.read_bytes() == before and "--gff-out FILE writes the predicted genes" in capsys.readouterr().err
    assert not (tmp_path / "t.bedgraph").exists()


def test_abbreviated_options_are_refused_in_every_command(capsys):
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["predict", "--fasta", "g.fa", "--bedg", "t.bedgraph"])
    assert "unrecognized arguments: --bedg" in capsys.readouterr().err
    commands = parser._subparsers._group_actions[0].choices
    assert commands and not any(p.allow_abbrev for p in commands.values())


def test_every_seed_is_a_whole_number_from_zero(tmp_path, capsys):
    """mutate and adapt met numpy's "expected non-negative integer" traceback for --seed -1."""
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\ng1,<ATGAAACCCGGGTTTTAA>\n")
    with pytest.raises(SystemExit) as stopped:   # argparse's usage error, exit 2
        cli_main(["mutate", "--genes", str(genes), "--max-changes", "1", "--out", str(tmp_path / "p.csv"),
                  "--seed", "-1"])
    assert stopped.value.code == 2
    assert "seed -1 is out of range" in capsys.readouterr().err and not (tmp_path / "p.csv").exists()
    commands = build_parser()._subparsers._group_actions[0].choices
    seeds = [a for p in commands.values() for a in p._actions if a.dest in ("seed", "split_seed")]
    assert len(seeds) >= 4 and all(a.type("7") == 7 for a in seeds)


def test_train_lm_numbers_are_checked_by_the_parser(capsys):
    """train-lm took --max-minutes -1, --max-epochs 0 or --train-fraction 1.5 as given (an untrained model saved)."""
    parser = build_parser()
    base = ["train-lm", "--architecture", "ngram", "--genes", "g.csv", "--out", "m"]
    for option, value, says in (("--max-minutes", "-1", "more than 0"), ("--max-epochs", "0", "at least 1"),
                                ("--train-fraction", "1.5", "between 0 and 1"), ("--threads", "0", "at least 1")):
        with pytest.raises(SystemExit):
            parser.parse_args(base + [option, value])
        assert says in capsys.readouterr().err
    assert parser.parse_args(base + ["--max-minutes", "0.5", "--train-fraction", "0.7"]).max_minutes == 0.5
