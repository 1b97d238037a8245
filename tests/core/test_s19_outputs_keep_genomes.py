"""H-cli19 walk: outputs that are never a genome or an annotation replaced one given as their name without a word:
`genoview models M --export genome.fa` wrote its zip over the genome, `mutate --out genes.gff3` its pairs over the
annotation (predict and evaluate refused this already, core/prediction.refuse_foreign_file). They are refused now,
as predict's are; the command's own earlier output is still replaced, as before."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from genoview.cli import main as cli_main

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example"


def _commands(genes: Path, target: Path) -> dict[str, list[str]]:
    return {"mutate": ["mutate", "--genes", str(genes), "--n", "2", "--max-changes", "1", "--out", str(target)],
            "models --export": ["models", "kn-ecoli-genes", "--export", str(target)],
            "train --save-spec": ["train", "--fasta", str(EXAMPLE / "example.fa"), "--gff",
                                  str(EXAMPLE / "example.gff3"), "--out", str(target.parent / "m"),
                                  "--save-spec", str(target)]}


@pytest.mark.parametrize("command", ["mutate", "models --export", "train --save-spec"])
@pytest.mark.parametrize("kept", ["example.fa", "example.gff3"])
def test_a_genome_or_annotation_is_not_replaced(tmp_path, capsys, command, kept):
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n1,<ATGGCTGAACTGAAAGGCTAA>\n2,<ATGAAACTGGGCTGA>\n")
    target = tmp_path / kept
    shutil.copy(EXAMPLE / kept, target)
    assert cli_main(_commands(genes, target)[command]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"output {kept} exists and is a" in err and "writing would replace it" in err
    assert target.read_bytes() == (EXAMPLE / kept).read_bytes()


@pytest.mark.parametrize("command", ["mutate", "models --export", "train --save-spec"])
def test_its_own_earlier_output_is_replaced(tmp_path, capsys, command):
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n1,<ATGGCTGAACTGAAAGGCTAA>\n2,<ATGAAACTGGGCTGA>\n")
    target = tmp_path / "out.file"
    argv = _commands(genes, target)[command]
    assert cli_main(argv) == 0 and target.stat().st_size > 0
    assert cli_main(argv) == 0, capsys.readouterr().err
