"""`genoview calibrate genome --model my-model --gff genes --from 0.6 --to 0.7` (README's line) said "best MCC ... at
0.49 of the present output; ...; stored threshold 0.8345": two thresholds, and which one the tracks use was left to
guess. It now says the first is on the track's scale as it was, the second of the raw output, folded into the
tracks so that 0.5 is the decision point."""
from __future__ import annotations

from genoview.cli import main
from tests.core.test_calibration import tiny_genecnn


def test_calibrate_says_which_threshold_is_which(data_dir, tmp_path, capsys):
    tiny_genecnn(tmp_path)
    fasta, gff = str(data_dir / "engine_tiny.fa"), str(data_dir / "engine_tiny.gff3")
    assert main(["calibrate", "--model", str(tmp_path), "--fasta", fasta, "--gff", gff, "--from", "0.5",
                 "--to", "0.8"]) == 0
    line = capsys.readouterr().out
    assert "the best MCC is at" in line and "of its track as it was" in line
    assert "of the raw output" in line and "0.5 is the decision point" in line
    assert "present output" not in line
