"""Several files where a command takes one genome (`genoview predict *.fna.gz`, as a cluster user types it; `genoview
evaluate genome.fa genes.gff3` with --gff forgotten) are answered in one line under the command's name with what to
do; argparse had said 'genoview: error: unrecognized arguments: b.fa' under the top-level usage, or 'required:
GENOME' when the files came after the options."""
from __future__ import annotations

import pytest

from genoview.cli import main as cli_main


@pytest.fixture
def files(tmp_path):
    made = []
    for name in ("a.fa", "b.fa", "c.fa"):
        path = tmp_path / name
        path.write_text(">chr1\n" + "ACGT" * 100 + "\n")
        made.append(str(path))
    gff = tmp_path / "genes.gff3"
    gff.write_text("##gff-version 3\nchr1\tx\tgene\t1\t90\t.\t+\t.\tID=g1\n")
    return made, str(gff)


@pytest.mark.parametrize("layout", ["first", "after options", "--fasta"])
def test_several_genomes_say_one_per_run(tmp_path, capsys, files, layout):
    genomes, _ = files
    out = str(tmp_path / "genes.gff3.out")
    argv = {"first": ["predict", *genomes, "--gff-out", out],
            "after options": ["predict", "--gff-out", out, *genomes],
            "--fasta": ["predict", "--fasta", *genomes, "--gff-out", out]}[layout]
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("genoview predict: error: one genome per run, and 3 files were given")
    assert "for g in" in err and "multi-FASTA" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "genes.gff3.out").exists()


def test_an_annotation_without_its_option_is_named(capsys, files):
    genomes, gff = files
    assert cli_main(["evaluate", genomes[0], gff]) == 2
    assert f"{gff} looks like an annotation: give it with --gff" in capsys.readouterr().err
    assert cli_main(["info", genomes[0], gff]) == 2
    assert "give it with --gff" in capsys.readouterr().err
    assert cli_main(["predict", genomes[0], gff]) == 2
    assert "predict reads none" in capsys.readouterr().err


def test_one_genome_and_a_word_that_is_no_file_stay_argparses(capsys, files):
    genomes, gff = files
    assert cli_main(["info", genomes[0], "--gff", gff]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        cli_main(["info", genomes[0], "not-a-file.fa"])
    assert "unrecognized arguments: not-a-file.fa" in capsys.readouterr().err
