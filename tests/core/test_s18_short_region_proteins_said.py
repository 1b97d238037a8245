"""H-cli18: `predict --seqid S --start 10,000 --end 19,000 --gff-out r.gff3 --proteins-out r.faa` (under 20,000
bases: genes are runs of the track, without strand or frame) ended "wrote 9 predicted genes ... and their proteins to
r.faa" over an empty r.faa; it now says the protein FASTA is empty and why."""
from __future__ import annotations

from pathlib import Path

from genoview.cli import main as cli_main

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example" / "example.fa"


def test_an_empty_protein_fasta_is_said_empty(tmp_path, capsys):
    faa = tmp_path / "r.faa"
    assert cli_main(["predict", str(EXAMPLE), "--seqid", "chrEx", "--start", "1", "--end", "9,000", "--gff-out",
                     str(tmp_path / "r.gff3"), "--proteins-out", str(faa), "--model", "genecnn-ecoli"]) == 0
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert faa.read_text() == ""
    assert "an empty protein FASTA to" in last and "runs of the track, without strand or frame" in last
    assert "their proteins" not in last
