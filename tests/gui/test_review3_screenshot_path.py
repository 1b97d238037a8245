"""`genoview gui --screenshot` never writes over the genome or annotation (`--screenshot genes.gff3` emptied the
annotation: Qt opened it for writing before it found no image format for .gff3), makes no missing folders (the rule
of every command's output), and replaces its target only with a whole PNG."""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def test_screenshot_refuses_inputs_other_formats_and_missing_folders(tmp_path, capsys):
    from genoview.cli import main

    fasta, gff = tmp_path / "g.fa", tmp_path / "g.gff3"
    fasta.write_bytes((DATA / "gui_tiny.fa").read_bytes())
    gff.write_bytes((DATA / "gui_tiny.gff3").read_bytes())
    before = gff.read_bytes(), fasta.read_bytes()
    for target, says in ((gff, ".png"), (fasta, ".png"), (tmp_path / "shot", ".png"),
                         (tmp_path / "no" / "shot.png", "does not exist; create it first")):
        assert main(["gui", str(fasta), "--gff", str(gff), "--screenshot", str(target)]) == 2
        assert says in capsys.readouterr().err
    assert (gff.read_bytes(), fasta.read_bytes()) == before
    assert not (tmp_path / "no").exists() and not (tmp_path / "shot").exists()
    gff_png = tmp_path / "g.png"
    gff_png.write_bytes(b"not an image yet")
    assert main(["gui", str(fasta), "--gff", str(gff), "--screenshot", str(gff_png), "--width", "400",
                 "--height", "300"]) == 0
    assert gff_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_screenshot_of_a_session_file_says_what_to_do(tmp_path, capsys):
    from genoview.cli import main

    session = tmp_path / "s.genoview.json"
    session.write_text('{"format": "genoview-session", "version": 1}')
    assert main(["gui", str(session), "--screenshot", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert "saved session opens in the window" in err and "unrecognised" not in err
