"""GeneORF options that mean something only in a fine-tune (the recipe, every recipe's options, own_rna) given to a
run from scratch were ignored silently, and hidden (from scratch only) given to a fine-tune too: they are refused,
naming the option and why, as 1d9591c does for an option of another recipe (session 18, H-left18). An option given
at its default changes nothing and is accepted, as both refusals offer ("or give it its default"): refit with
margin=0.004 was refused though its message said so. Refit with another margin stays refused: refit reads no margin
(only _train_select does)."""
from __future__ import annotations

import json

import pytest

from genoview.cli import main
from genoview.core.errors import GenoViewInputError
from genoview.core.training.options import check_options, describe_options


@pytest.mark.parametrize("option", [{"margin": 0.01}, {"anchor": "adapt"}, {"recipe": "refit"}, {"own_rna": False},
                                    {"genome_weight": 2.0}])
def test_a_fine_tune_option_from_scratch_is_refused(option):
    name = next(iter(option))
    with pytest.raises(GenoViewInputError, match=rf"geneorf option {name} applies only to a fine-tune .* this run "
                                                 r"trains from scratch: drop .* or start from a model \(--init\)"):
        check_options("geneorf", option, init=False)
    assert check_options("geneorf", option, init="geneorf-bacteria") == option


def test_hidden_in_a_fine_tune_is_refused_and_the_options_of_both_ways_pass():
    with pytest.raises(GenoViewInputError, match="option hidden applies only to training from scratch: a fine-tune "
                                                 "keeps the shape of geneorf-bacteria"):
        check_options("geneorf", {"hidden": 16}, init="geneorf-bacteria")
    assert check_options("geneorf", {"hidden": 16, "start_scorer": False}, init=False)["hidden"] == 16
    assert check_options("geneorf", {"start_scorer": False}, init="geneorf-bacteria") == {"start_scorer": False}


def test_an_option_at_its_default_passes_as_the_messages_offer():
    assert check_options("geneorf", {"recipe": "refit", "margin": 0.004}) == {"recipe": "refit", "margin": 0.004}
    assert check_options("geneorf", {"margin": 0.004, "recipe": "select"}, init=False)
    with pytest.raises(GenoViewInputError, match="margin applies only under recipe 'select'"):
        check_options("geneorf", {"recipe": "refit", "margin": 0.01}, init="geneorf-bacteria")
    listed = describe_options("geneorf")
    assert "recipe (one of" in listed and "fine-tune (--init) only" in listed and "from scratch only" in listed


def test_the_cli_and_a_spec_file_refuse_it_before_any_output(data_dir, tmp_path, capsys):
    fasta, gff = str(data_dir / "engine_tiny.fa"), str(data_dir / "engine_tiny.gff3")
    out = tmp_path / "scratch"
    assert main(["train", "--architecture", "geneorf", "--fasta", fasta, "--gff", gff, "--model-option",
                 "margin=0.01", "--out", str(out)]) == 2
    assert "option margin applies only to a fine-tune" in capsys.readouterr().err and not out.exists()
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"data": {"genomes": [{"fasta": fasta, "annotation": gff}]},
                               "model": {"architecture": "geneorf", "options": {"own_rna": False}}}))
    assert main(["train", "--spec", str(spec), "--out", str(out)]) == 2
    assert "option own_rna applies only to a fine-tune" in capsys.readouterr().err and not out.exists()
    assert main(["train", "--architecture", "geneorf", "--init", "geneorf-bacteria", "--fasta", fasta, "--gff", gff,
                 "--model-option", "hidden=16", "--out", str(out)]) == 2
    assert "hidden applies only to training from scratch" in capsys.readouterr().err and not out.exists()
