"""`genoview evaluate --bedgraph` takes what `genoview predict` writes: a bigWig (it was a UnicodeDecodeError
traceback), a gzip bedGraph whatever its name, and refuses anything else with one line naming the file."""
from __future__ import annotations

import gzip
import json

import pytest

from genoview.cli import main as cli_main

GFF = "##gff-version 3\n##sequence-region chr1 1 100\nchr1\t.\tgene\t11\t60\t.\t+\t.\tID=g1\n"
ROWS = [("chr1", 0, 10, 0.1), ("chr1", 10, 60, 0.9), ("chr1", 60, 100, 0.2)]


def _score(tmp_path, track, capsys):
    gff = tmp_path / "genes.gff3"
    gff.write_text(GFF)
    code = cli_main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), "--json"])
    captured = capsys.readouterr()
    return code, captured


def test_bigwig_and_gzip_by_content(tmp_path, capsys):
    pybigtools = pytest.importorskip("pybigtools")
    text = "".join(f"{s}\t{a}\t{b}\t{v}\n" for s, a, b, v in ROWS)
    plain = tmp_path / "t.bedGraph"
    plain.write_text(text)
    gz_named_plain = tmp_path / "t2.bedGraph.gz"
    gz_named_plain.write_text(text)
    gz_unnamed = tmp_path / "t3.bedGraph"
    gz_unnamed.write_bytes(gzip.compress(text.encode()))
    bw = tmp_path / "t.bw"
    handle = pybigtools.open(str(bw), "w")
    handle.write({"chr1": 100}, iter(ROWS))
    results = []
    for track in (plain, gz_named_plain, gz_unnamed, bw):
        code, captured = _score(tmp_path, track, capsys)
        assert code == 0, captured.err
        results.append(json.loads(captured.out))
    assert all(r["mcc"] == pytest.approx(1.0) for r in results)
    assert all(r["n"] == 100 for r in results)


def test_not_a_track_is_one_line(tmp_path, capsys):
    binary = tmp_path / "x.bedGraph"
    binary.write_bytes(bytes(range(256)) * 4)
    code, captured = _score(tmp_path, binary, capsys)
    assert code == 2
    assert "x.bedGraph" in captured.err and "Traceback" not in captured.err
    code, captured = _score(tmp_path, tmp_path / "missing.bedGraph", capsys)
    assert code == 2 and "missing.bedGraph: file not found" in captured.err


def test_a_region_track_scored_whole_gets_a_note(tmp_path, capsys):
    track = tmp_path / "region.bedGraph"
    track.write_text("chr1\t10\t30\t0.9\n")
    code, captured = _score(tmp_path, track, capsys)
    assert code == 0 and "covers only 20 of the 100 bases" in captured.err
    full = tmp_path / "full.bedGraph"
    full.write_text("".join(f"{s}\t{a}\t{b}\t{v}\n" for s, a, b, v in ROWS))
    code, captured = _score(tmp_path, full, capsys)
    assert code == 0 and "covers only" not in captured.err


def test_threshold_out_of_range_and_a_misspelt_feature_type(tmp_path, capsys):
    track = tmp_path / "t.bedGraph"
    track.write_text("".join(f"{s}\t{a}\t{b}\t{v}\n" for s, a, b, v in ROWS))
    gff = tmp_path / "genes.gff3"
    gff.write_text(GFF)
    base = ["evaluate", "--bedgraph", str(track), "--gff", str(gff)]
    assert cli_main(base + ["--threshold", "50"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err
    assert cli_main(base + ["--feature-types", "gene,genes", "--json"]) == 0
    captured = capsys.readouterr()
    assert "--feature-types genes: not in" in captured.err and json.loads(captured.out)["mcc"] == pytest.approx(1.0)
    assert cli_main(base + ["--json"]) == 0   # the default gene,pseudogene: no pseudogene is no warning
    assert "warning" not in capsys.readouterr().err
