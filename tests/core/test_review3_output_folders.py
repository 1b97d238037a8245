"""One rule for every command's output: the output (a file, or the model folder train / train-lm / adapt make) is
created, the folders above it are not (a slip in --out is a message naming the missing folder, exit 2, nothing
made), as `predict`, `mutate` and `score-pairs` already did; `train --save-spec` never writes over its genome."""
from __future__ import annotations

from pathlib import Path

import pytest

from genoview.cli import main as cli_main

DATA = Path(__file__).resolve().parents[1] / "data"
GENES = "NCBIGeneID,NucleotideSequence\n" + "".join(
    f"g{i},<ATG{'ACGT' * (5 + i % 4)}{'GCA' * (i % 3)}TAA>\n" for i in range(30))


def _refused(capsys, missing: Path) -> None:
    err = capsys.readouterr().err
    assert "does not exist; create it first" in err and str(missing) in err
    assert not missing.exists()


def test_model_commands_refuse_missing_folders_above_out(tmp_path, capsys):
    missing = tmp_path / "no" / "such"
    fasta, gff = DATA / "engine_tiny.fa", DATA / "engine_tiny.gff3"
    assert cli_main(["train", "--fasta", str(fasta), "--gff", str(gff), "--architecture", "genecnn",
                     "--max-steps", "1", "--out", str(missing / "m")]) == 2
    _refused(capsys, tmp_path / "no")
    genes = tmp_path / "genes.csv"
    genes.write_text(GENES)
    assert cli_main(["train-lm", "--architecture", "ngram", "--genes", str(genes), "--out", str(missing / "lm")]) == 2
    _refused(capsys, tmp_path / "no")
    assert cli_main(["train", "--fasta", str(fasta), "--gff", str(gff), "--save-spec", str(missing / "s.json")]) == 2
    _refused(capsys, tmp_path / "no")


def test_adapt_refuses_missing_folders_above_out(tmp_path, capsys):
    from genoview.core.models import resolve_model_dir

    if resolve_model_dir("geneorf-bacteria") is None:
        pytest.skip("shipped model geneorf-bacteria not present")
    missing = tmp_path / "no" / "such"
    assert cli_main(["adapt", "--model", "geneorf-bacteria", "--fasta", str(DATA / "engine_tiny.fa"),
                     "--out", str(missing / "m")]) == 2
    _refused(capsys, tmp_path / "no")


def test_save_spec_never_replaces_its_annotation(tmp_path, capsys):
    fasta, gff = tmp_path / "g.fa", tmp_path / "g.gff3"
    fasta.write_bytes((DATA / "engine_tiny.fa").read_bytes())
    gff.write_bytes((DATA / "engine_tiny.gff3").read_bytes())
    before = gff.read_bytes()
    assert cli_main(["train", "--fasta", str(fasta), "--gff", str(gff), "--save-spec", str(gff)]) == 2
    assert gff.read_bytes() == before and "is the input file" in capsys.readouterr().err
    assert cli_main(["train", "--fasta", str(fasta), "--gff", str(gff), "--save-spec", str(tmp_path / "s.json")]) == 0
    assert (tmp_path / "s.json").is_file()


def test_train_overwrite_replaces_only_a_model_folder(tmp_path, capsys):
    """`train --overwrite --out DIR` replaced the whole folder at the end: a folder of the user's files (no
    config.json) lost them. Refused before any work, as `train-lm --overwrite` refuses it."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "thesis.txt").write_text("years of work")
    assert cli_main(["train", "--fasta", str(DATA / "engine_tiny.fa"), "--gff", str(DATA / "engine_tiny.gff3"),
                     "--architecture", "genecnn", "--max-steps", "1", "--out", str(project), "--overwrite"]) == 2
    assert "no model (no config.json)" in capsys.readouterr().err
    assert [p.name for p in project.iterdir()] == ["thesis.txt"]


def test_adapt_refuses_a_genome_without_genes_to_learn_from(tmp_path, capsys):
    """`adapt` on an all-N FASTA saved and registered a model whose statistics were all zeros (it then called no
    genes anywhere): refused, naming the file and how many bases it has; nothing saved."""
    from genoview.core.models import resolve_model_dir

    if resolve_model_dir("geneorf-bacteria") is None:
        pytest.skip("shipped model geneorf-bacteria not present")
    fasta = tmp_path / "n.fa"
    fasta.write_text(">n\n" + "N" * 30000 + "\n")
    assert cli_main(["adapt", "--fasta", str(fasta), "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert "n.fa" in err and "no genes to learn from" in err and "its 0 bases of A, C, G, T" in err
    assert not (tmp_path / "m").exists()
