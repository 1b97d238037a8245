"""H-cli18: `evaluate --bedgraph T --disagreements F` said "wrote N genes where track's calls, Prodigal and the
annotation disagree"; a track file's calls are "the track's" (a model's stay "MODEL's")."""
from __future__ import annotations

from pathlib import Path

from genoview.cli import main as cli_main

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example"


def test_a_track_files_disagreements_are_the_tracks(tmp_path, capsys):
    fasta, gff = str(EXAMPLE / "example.fa"), str(EXAMPLE / "example.gff3")
    track = tmp_path / "t.bedGraph"
    assert cli_main(["predict", fasta, "--model", "prodigal", "--bedgraph", str(track)]) == 0
    capsys.readouterr()
    assert cli_main(["evaluate", "--bedgraph", str(track), "--gff", gff, "--fasta", fasta,
                     "--disagreements", str(tmp_path / "d.tsv")]) == 0
    err = capsys.readouterr().err
    assert "where the track's calls, Prodigal and the annotation disagree" in err
