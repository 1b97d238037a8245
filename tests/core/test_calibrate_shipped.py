"""`genoview calibrate` on a model shipped with GenoView is refused (it rewrote the shipped genoview.json in the
installation, for every user and session); the message says to import a copy and calibrate that."""
from __future__ import annotations

import shutil

import pytest

from genoview import paths
from genoview.cli import main


def test_calibrate_refuses_a_shipped_model(tmp_path, capsys, monkeypatch):
    real = paths.SHIPPED_MODELS_DIR / "genecnn-ecoli"
    if not real.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    shipped_dir = tmp_path / "shipped"    # a copy stands for the installation: the test never touches the real one
    shutil.copytree(real, shipped_dir / "genecnn-ecoli")
    monkeypatch.setattr(paths, "SHIPPED_MODELS_DIR", shipped_dir)
    shipped = shipped_dir / "genecnn-ecoli"
    before = (shipped / "genoview.json").read_bytes()
    fasta, gff = tmp_path / "g.fa", tmp_path / "g.gff3"
    fasta.write_text(">a\n" + "ATGAAACCCGGGTTTTAA" * 200 + "\n")
    gff.write_text("##gff-version 3\na\tx\tgene\t1\t900\t.\t+\t.\tID=g1\n")
    for model in ("genecnn-ecoli", str(shipped)):
        assert main(["calibrate", "--model", model, "--fasta", str(fasta), "--gff", str(gff), "--from", "0",
                     "--to", "1"]) == 2
        assert "shipped" in capsys.readouterr().err
    assert (shipped / "genoview.json").read_bytes() == before
