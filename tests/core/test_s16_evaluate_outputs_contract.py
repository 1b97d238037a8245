"""`genoview evaluate --curves FILE / --disagreements FILE` treat an existing file as `predict --bedgraph/--gff-out`
do (DEVELOPERS.md, Prediction: check_outputs + refuse_foreign_file): an input file (also by another name) is refused,
a genome or annotation GenoView did not write is refused, naming it, before any work; a file of the kind they write
is replaced whole (session 15's review read this as a silent overwrite; it is the contract every CLI writer keeps)."""
from __future__ import annotations

import os
import shutil

import pytest

from genoview.cli import main as cli_main


@pytest.fixture
def inputs(tmp_path, data_dir):
    gff = tmp_path / "ann.gff3"
    shutil.copy(data_dir / "eval_tiny.gff3", gff)
    track = tmp_path / "track.bedgraph"
    track.write_text("chrA\t0\t150\t0.9\nchrA\t150\t291\t0.1\n")
    other_genome = tmp_path / "other.fa"
    shutil.copy(data_dir / "io_small.fa", other_genome)
    return gff, track, other_genome


@pytest.mark.parametrize("option", ["--curves", "--disagreements"])
def test_an_input_or_a_foreign_genome_is_refused_before_any_work(inputs, tmp_path, option, capsys):
    gff, track, other_genome = inputs
    link = tmp_path / "same.gff3"
    os.link(gff, link)
    before = {p: p.read_bytes() for p in (gff, track, other_genome)}
    for target, said in ((gff, "is the input file"), (track, "is the input file"), (link, "is the input file"),
                         (other_genome, "exists and is a genome")):
        assert cli_main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), option, str(target)]) == 2
        err = capsys.readouterr().err
        assert said in err and target.name in err and option in err and "Traceback" not in err
    # predict's writer says the same of its input genome (the contract both follow)
    assert cli_main(["predict", str(other_genome), "--bedgraph", str(other_genome)]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before


def test_a_file_of_its_own_kind_is_replaced_as_predict_replaces_a_track(inputs, tmp_path, capsys):
    gff, track, _ = inputs
    curves = tmp_path / "curves.tsv"
    curves.write_text("an older table\n")
    assert cli_main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), "--curves", str(curves)]) == 0
    assert curves.read_text().startswith("threshold\ttp\tfp") and "an older table" not in curves.read_text()
    assert f"wrote the ROC and precision-recall curves to {curves}" in capsys.readouterr().err
