"""train-lm and adapt record the command that repeats them as `genoview train` does (cli.command_line: the options
given, spelt out, in the parser's order), not sys.argv: called in-process they recorded the caller's own argv (here
pytest's), and two equal runs typed differently looked different (session 15)."""
from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import pytest

from genoview.cli import build_parser, command_line
from genoview.cli import main as cli_main
from genoview.core.store import open_store
from tests.core.test_hsmall_runs_recorded import _genes


def test_train_lm_records_the_normalised_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["pytest", "-q", "something-else"])
    out = tmp_path / "my lm"
    genes = _genes(tmp_path)
    # options in another order, one at its default, --json (how it reports): none of that is in the command
    assert cli_main(["train-lm", "--out", str(out), "--seed", "0", "--option", "sweeps=1", "--json",
                     "--architecture", "ngram", "--genes", str(genes), "--max-epochs", "3"]) == 0
    capsys.readouterr()
    expected = shlex.join(["genoview", "train-lm", "--architecture", "ngram", "--genes", str(genes), "--out", str(out),
                           "--max-epochs", "3", "--option", "sweeps=1"])
    (run,) = open_store().runs(kind="train-lm")
    assert run["params"]["command"] == expected
    assert json.loads((out / "genoview.json").read_text())["command"] == expected
    assert shlex.split(expected)[1:] and build_parser().parse_args(shlex.split(expected)[1:]).option == ["sweeps=1"]


def test_command_line_repeats_options_and_leaves_out_reporting():
    parser = build_parser()
    args = parser.parse_args(["train-lm", "--architecture", "gpt", "--genes", "g.csv", "--out", "o", "--option",
                              "n_layer=2", "--option", "n_head=2", "--reverse", "--json"])
    here = os.getcwd()
    assert command_line(args, leave_out=("json",)) == shlex.join(
        ["genoview", "train-lm", "--architecture", "gpt", "--genes", f"{here}/g.csv", "--out", f"{here}/o",
         "--reverse", "--option", "n_layer=2", "--option", "n_head=2"])
    adapt = parser.parse_args(["adapt", "--fasta", "my genome.fa", "--out", "o", "--seed", "3"])
    assert command_line(adapt) == shlex.join(["genoview", "adapt", "--fasta", f"{here}/my genome.fa",
                                              "--out", f"{here}/o", "--seed", "3"])
    train = parser.parse_args(["train", "--architecture", "genecnn", "--fasta", "a.fa", "--fasta", "b.fa", "--seqids",
                               "c1,c2", "--out", "o", "--progress", "json"])
    from genoview.cli.train import command_line as train_command_line

    assert train_command_line(train) == (f"genoview train --architecture genecnn --fasta {here}/a.fa --fasta "
                                         f"{here}/b.fa --seqids c1,c2 --out {here}/o")


def test_adapt_records_the_normalised_command(monkeypatch):
    from genoview.cli import adapt

    seen = {}
    monkeypatch.setattr(sys, "argv", ["pytest"])
    # adapt_model returns the folder and the name the library lists it under (the CLI says that name)
    monkeypatch.setattr(adapt, "adapt_model", lambda *a, **k: seen.update(k) or adapt.AdaptedModel(Path("out"), None))
    args = build_parser().parse_args(["adapt", "--out", "o", "--fasta", "g.fa"])
    assert adapt.run(args) == 0
    assert seen["command"] == f"genoview adapt --fasta {os.getcwd()}/g.fa --out {os.getcwd()}/o"


def test_an_option_of_several_words_is_recorded_as_words():
    """nargs options (rev15b): `--x a b` came out as `--x a,b`, which the parser reads as the one value "a,b"; an
    option whose type splits commas keeps its comma-joined value."""
    import argparse

    parser = argparse.ArgumentParser(prog="genoview probe")
    parser.add_argument("--pair", nargs=2)
    parser.add_argument("--many", nargs="+")
    parser.add_argument("--ids", type=lambda text: text.split(","))
    parser.set_defaults(_parser=parser)
    args = parser.parse_args(["--many", "a b", "c", "--pair", "x", "y", "--ids", "c1,c2"])
    line = command_line(args)
    assert line == "genoview probe --pair x y --many 'a b' c --ids c1,c2"
    again = parser.parse_args(shlex.split(line)[2:])
    assert (again.pair, again.many, again.ids) == (args.pair, args.many, args.ids)


def test_the_recorded_command_run_from_another_folder_finds_the_same_files(tmp_path, monkeypatch, capsys):
    """Files and folders are recorded absolute (a model card's "Exact command" typed with relative paths, run from
    another folder, found other files or none); model names stay names, a model folder becomes absolute."""
    work = tmp_path / "work"
    work.mkdir()
    genes = _genes(work)
    monkeypatch.chdir(work)
    assert cli_main(["train-lm", "--architecture", "ngram", "--genes", genes.name, "--out", "lm",
                     "--max-epochs", "1"]) == 0
    capsys.readouterr()
    command = json.loads((work / "lm" / "genoview.json").read_text())["command"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    again = build_parser().parse_args(shlex.split(command)[1:])
    assert os.path.samefile(again.genes, genes) and os.path.samefile(again.out, work / "lm")
    monkeypatch.chdir(work)   # --init given as a folder here, and a model NAME, as the runs read them
    parser = build_parser()
    folder = parser.parse_args(["train-lm", "--architecture", "ngram", "--genes", genes.name, "--out", "b",
                                "--init", "lm"])
    assert shlex.split(command_line(folder))[-1] == str(work / "lm")
    named = parser.parse_args(["adapt", "--model", "geneorf-bacteria", "--fasta", "g.fa", "--out", "o"])
    assert "--model" not in command_line(named)   # the default name, left out
    named = parser.parse_args(["adapt", "--model", "genecnn-ecoli", "--fasta", "g.fa", "--out", "o"])
    assert "--model genecnn-ecoli " in command_line(named)
    train = parser.parse_args(["train", "--architecture", "genecnn", "--genome", "a.fa:a.gff", "--genome", "b.fa",
                               "--out", "o"])
    assert f"--genome {work}/a.fa:{work}/a.gff --genome {work}/b.fa" in command_line(train)


@pytest.mark.parametrize("listed_as", ["mine-adapted", None])
def test_adapt_says_the_library_name_adapt_model_listed_the_model_under(monkeypatch, capsys, listed_as):
    """The CLI's last line says what adapt_model did (session 19: it looked the name up again in the library, a
    second copy of the rule that spelt a linked GENOVIEW_HOME's folders otherwise and said nothing)."""
    from genoview.cli import adapt

    monkeypatch.setattr(adapt, "adapt_model", lambda *a, **k: adapt.AdaptedModel(Path("/x/out"), listed_as))
    assert adapt.run(build_parser().parse_args(["adapt", "--out", "/x/out", "--fasta", "g.fa"])) == 0
    err = capsys.readouterr().err
    assert "adapted model saved to /x/out" in err
    assert ("and added to the library as mine-adapted" in err) == (listed_as is not None)
