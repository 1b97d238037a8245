"""GeneORF options of the fine-tune recipe 'select' (margin, anchor, folds, ...) or of 'refit' and 'select'
(genome_weight, offset_scale) given under another recipe were ignored silently: they are refused, naming the option
and its recipe, on the command line and in a spec file, before anything is read or written (session 16 review)."""
from __future__ import annotations

import json

import pytest

from genoview.cli import main
from genoview.core.errors import GenoViewInputError
from genoview.core.training.options import check_options, describe_options


def test_an_option_of_another_recipe_is_refused_naming_both():
    with pytest.raises(GenoViewInputError, match=r"geneorf option margin applies only under recipe 'select', and "
                                                 r"this run's recipe is 'refit': drop margin \(or give it its default, 0.004\), or set "
                                                 r"recipe=select"):
        check_options("geneorf", {"recipe": "refit", "margin": 0.01})
    with pytest.raises(GenoViewInputError, match=r"genome_weight applies only under recipe 'refit' or 'select'.*"
                                                 r"'continue'"):
        check_options("geneorf", {"recipe": "continue", "genome_weight": 2.0})
    # under their own recipe (given or the default, select) and for options of every recipe: accepted as before
    assert check_options("geneorf", {"margin": 0.01}) == {"margin": 0.01}
    assert check_options("geneorf", {"recipe": "refit", "genome_weight": 2.0, "own_rna": False})["genome_weight"] == 2.0
    assert check_options("geneorf", {"recipe": "continue", "start_scorer": False, "hidden": 16})
    assert "margin (a number from 0.0 to 1.0; default 0.004; recipe select only)" in describe_options("geneorf")


def test_the_cli_and_a_spec_file_refuse_it_before_any_output(data_dir, tmp_path, capsys):
    fasta, gff = str(data_dir / "engine_tiny.fa"), str(data_dir / "engine_tiny.gff3")
    out = tmp_path / "child"
    assert main(["train", "--architecture", "geneorf", "--init", "geneorf-bacteria", "--fasta", fasta, "--gff", gff,
                 "--model-option", "recipe=continue", "--model-option", "anchor=adapt", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "option anchor applies only under recipe 'select'" in err and "recipe is 'continue'" in err
    assert not out.exists()
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"data": {"genomes": [{"fasta": fasta, "annotation": gff}]},
                               "model": {"architecture": "geneorf", "init": "geneorf-bacteria",
                                         "options": {"recipe": "refit", "folds": 4}}}))
    assert main(["train", "--spec", str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "option folds applies only under recipe 'select', and this run's recipe is 'refit'" in err
    assert not out.exists()
