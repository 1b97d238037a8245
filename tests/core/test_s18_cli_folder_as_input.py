"""H-cli18: a folder given where a command reads a file said "no such file" (score-pairs, mutate --genes/--vcf,
variant-effects --vcf) or "file not found" (evaluate --bedgraph, info --gff), sending the user to look for a file
that is there, or "not a genome file" for an annotation (evaluate --gff). Each now says it is a folder and what
file was wanted; a missing file still says "file not found"."""
from __future__ import annotations

import pytest

from genoview.cli import main as cli_main

GFF = "##gff-version 3\n##sequence-region chr1 1 100\nchr1\t.\tgene\t11\t60\t.\t+\t.\tID=g1\n"


@pytest.fixture
def files(tmp_path):
    gff = tmp_path / "genes.gff3"
    gff.write_text(GFF)
    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "ACGT" * 25 + "\n")
    track = tmp_path / "t.bedGraph"
    track.write_text("chr1\t0\t100\t0.5\n")
    folder = tmp_path / "a_folder"
    folder.mkdir()
    return {"gff": str(gff), "fasta": str(fasta), "track": str(track), "dir": str(folder), "tmp": tmp_path}


CASES = [
    (lambda f: ["score-pairs", f["dir"], "--model", "kn-human-genes"], "not a pair file"),
    (lambda f: ["mutate", "--genes", f["dir"], "--max-changes", "2", "--n", "3", "--out", str(f["tmp"] / "p.csv")],
     "not a gene table or FASTA"),
    (lambda f: ["mutate", "--vcf", f["dir"], "--genome", f["fasta"], "--out", str(f["tmp"] / "p.csv")], "not a VCF"),
    (lambda f: ["variant-effects", "--vcf", f["dir"], "--genome", f["fasta"], "--model", "kn-human-genes"],
     "not a VCF"),
    (lambda f: ["evaluate", "--bedgraph", f["dir"], "--gff", f["gff"]], "not a track"),
    (lambda f: ["evaluate", "--bedgraph", f["track"], "--gff", f["dir"]], "not an annotation"),
    (lambda f: ["info", "--gff", f["dir"]], "not an annotation"),
    (lambda f: ["info", f["fasta"], "--gff", f["dir"]], "not an annotation"),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_a_folder_given_as_an_input_file_is_called_a_folder(files, capsys, case):
    argv, wanted = CASES[case]
    code = cli_main(argv(files))
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"a_folder: this is a folder, {wanted}; give the file's path" in err.strip().splitlines()[-1]
    assert "no such file" not in err and "file not found" not in err


def test_a_missing_input_still_says_file_not_found(files, capsys):
    missing = str(files["tmp"] / "nope.csv")
    assert cli_main(["score-pairs", missing, "--model", "kn-human-genes"]) == 2
    assert "nope.csv: file not found; check the path" in capsys.readouterr().err
    assert cli_main(["info", "--gff", str(files["tmp"] / "nope.gff3")]) == 2
    assert "nope.gff3: file not found; check the path" in capsys.readouterr().err


def test_calibrate_names_a_folder_that_is_no_model(files, capsys):
    """`calibrate --model FOLDER` on a folder without config.json said "the model records no validation region in
    this genome; give --from and --to", though no model was there."""
    code = cli_main(["calibrate", files["fasta"], "--gff", files["gff"], "--model", files["dir"]])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "a_folder: is not a model directory: it has no config.json" in err
    assert "validation region" not in err
