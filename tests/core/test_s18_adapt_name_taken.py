"""H-cli18: `genoview adapt` took a library name another model had without a word: `--name NAME` (or the --out
folder's name, the default) replaced that model's library entry, and `--out geneorf-bacteria` was "added to the
library" under the shipped model's name, so `--model geneorf-bacteria` still ran the shipped one; `genoview train
--name NAME` trained to the end and then said "saved but not added". A --name another model has is now refused
before any work, in one line; a taken default name (a loop's `--out $g/adapted`) makes the model and says it is not
added to the library, as train says, instead of replacing the other's entry."""
from __future__ import annotations

from pathlib import Path

import pytest

from genoview.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "example"
SHIPPED = ROOT / "models"


@pytest.mark.parametrize("command", ["adapt", "train"])
@pytest.mark.parametrize("how", ["built-in", "library"])
def test_a_taken_name_is_refused_before_any_work(tmp_path, capsys, how, command):
    from genoview.core.models import register_model_dir, resolve_model_dir

    register_model_dir(SHIPPED / "genecnn-ecoli", name="mine")   # a model of the user's library, kept elsewhere
    name, taken = ("prodigal", "a built-in model") if how == "built-in" else ("mine", "genecnn-ecoli")
    out = tmp_path / "run2"
    if command == "adapt":
        argv = ["adapt", str(EXAMPLE / "example.fa"), "--out", str(out), "--name", name]
    else:
        argv = ["train", "--fasta", str(EXAMPLE / "example.fa"), "--gff", str(EXAMPLE / "example.gff3"),
                "--out", str(out), "--name", name, "--max-steps", "1"]
    code = cli_main(argv)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1
    assert f"the library name {name!r} is already used by" in err and taken in err and "give --name NEW" in err
    assert list(tmp_path.iterdir()) == []   # nothing written, no training
    assert resolve_model_dir("mine") == (SHIPPED / "genecnn-ecoli").resolve()   # its entry kept


def test_a_taken_default_name_keeps_the_other_models_entry(tmp_path, capsys):
    from genoview.core.models import resolve_model_dir

    out = tmp_path / "geneorf-bacteria"   # named like the shipped model: the name the library would give it
    assert cli_main(["adapt", str(EXAMPLE / "example.fa"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "the model was saved but not added to the library" in err and f"--model {out}" in err
    assert "added to the library as" not in err and (out / "config.json").is_file()
    assert resolve_model_dir("geneorf-bacteria") == (SHIPPED / "geneorf-bacteria").resolve()
    again = tmp_path / "mine-adapted"
    assert cli_main(["adapt", str(EXAMPLE / "example.fa"), "--out", str(again)]) == 0
    assert f"added to the library as mine-adapted" in capsys.readouterr().err
    assert resolve_model_dir("mine-adapted") == again.resolve()


def test_a_read_only_home_is_not_said_to_list_the_model(tmp_path, capsys, monkeypatch, read_only_home):
    read_only_home()
    monkeypatch.chdir(tmp_path)   # the folder by its bare name in the working folder is no library entry
    assert cli_main(["adapt", str(EXAMPLE / "example.fa"), "--out", "road"]) == 0
    err = capsys.readouterr().err
    assert "not in your library's list" in err and "added to the library" not in err


def test_adapting_to_a_few_genes_is_said(tmp_path, capsys):
    """H-cli18: `adapt genes.fa` (three human genes, 1.6 kb) made a model without a word; under Prodigal's 20,000
    bases it says the model learnt from little and to use the parent."""
    fasta = tmp_path / "genes.fa"
    codons = ["ATG"] + ["GCT", "GAA", "CTG", "AAA", "GGC", "ACC"] * 60 + ["TAA"]
    fasta.write_text(">g1\n" + "".join(codons) + "CCCTTTAAAGGG" * 20 + "\n")
    assert cli_main(["adapt", str(fasta), "--out", str(tmp_path / "few")]) == 0
    err = capsys.readouterr().err
    assert "genoview adapt: warning: genes.fa holds" in err and "under the 20,000 Prodigal needs" in err
