"""`genoview calibrate` for a newcomer: a language model is refused as such (not as 'shipped'), the shipped-model
message gives a shell command, and calibrating on the model's recorded test part warns."""
from __future__ import annotations

from types import SimpleNamespace

from genoview.cli import main as cli_main
from genoview.cli.calibrate import overlaps_test_part as overlaps
from genoview.core.training.datasets import Region


def test_language_model_and_shipped_model_messages(data_dir, capsys):
    fasta, gff = str(data_dir / "eval_tiny.fa"), str(data_dir / "eval_tiny.gff3")
    assert cli_main(["calibrate", "--model", "kn-human-genes", "--fasta", fasta, "--gff", gff]) == 2
    err = capsys.readouterr().err
    assert "language-model model" in err and "gene-probability" in err
    assert cli_main(["calibrate", "--model", "genecnn-ecoli", "--fasta", fasta, "--gff", gff]) == 2
    err = capsys.readouterr().err
    assert "cp -r" in err and "Library" not in err


def test_overlap_with_the_test_part_is_named():
    info = SimpleNamespace(regions=lambda part: [("chr1", 700, 1000)] if part == "test" else [])
    lengths = {"chr1": 1000, "chr2": 500}
    assert overlaps(info, [Region("chr1", 600, 700)], lengths) == []           # the validation part: no warning
    (line,) = overlaps(info, [Region("chr1", 650, 1000)], lengths)
    assert "chr1:701-1,000" in line and "test part" in line
    assert overlaps(info, [Region("chr1", 700, 1000)], {"chr1": 900}) == []     # another assembly of that name


def test_misspelt_feature_type_is_named(tmp_path, data_dir, capsys):
    import json

    model = tmp_path / "my-model"   # never loaded: the check comes before any prediction
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model_type": "genoview-genecnn"}))
    (model / "genoview.json").write_text(json.dumps({"name": "my-model", "task": "gene-probability"}))
    code = cli_main(["calibrate", "--model", str(model), "--fasta", str(data_dir / "eval_tiny.fa"),
                     "--gff", str(data_dir / "eval_tiny.gff3"), "--feature-types", "genes", "--from", "0",
                     "--to", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "none of these types is in the annotation" in err, err
