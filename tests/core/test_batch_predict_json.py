"""`genoview predict --json` for batch scripts: one JSON object on standard output (messages stay on standard
error), refused with an output sent to standard output."""
from __future__ import annotations

import json

import numpy as np

from genoview.cli import main


def _genome(tmp_path):
    rng = np.random.default_rng(7)
    fasta = tmp_path / "g.fa"
    fasta.write_text("".join(f">c{i}\n{''.join(rng.choice(list('ACGT'), size=3000))}\n" for i in range(3)))
    return fasta


def test_predict_json_is_one_object_on_stdout(tmp_path, capsys):
    fasta = _genome(tmp_path)
    args = ["predict", "--model", "prodigal", "--fasta", str(fasta), "--bedgraph", str(tmp_path / "t.bedGraph"),
            "--gff-out", str(tmp_path / "g.gff3"), "--json"]
    assert main(args) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert "wrote" in captured.err and "wrote" not in captured.out
    assert summary["model"] == "prodigal" and summary["sequences"] == 3 and summary["bases"] == 9000
    assert summary["outputs"] == {"bedgraph": str(tmp_path / "t.bedGraph"), "gff": str(tmp_path / "g.gff3")}
    assert summary["genes"] > 0 and f"{summary['genes']:,} predicted genes" in captured.err
    assert summary["genetic_code"] is None or summary["genetic_code"]["code"] in (4, 11)
    assert [r["seqid"] for r in summary["regions"]] == ["c0", "c1", "c2"] and summary["regions"][0]["start"] == 1
    assert summary["run_id"] is not None and summary["from_cache"] is False


def test_predict_json_with_an_output_on_stdout_is_refused(tmp_path, capsys):
    fasta = _genome(tmp_path)
    assert main(["predict", "--model", "prodigal", "--fasta", str(fasta), "--bedgraph", "-", "--json"]) == 2
    assert "--json" in capsys.readouterr().err
