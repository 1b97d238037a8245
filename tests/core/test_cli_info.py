"""`genoview info`: table and JSON output, clean exit 2 on bad input, no heavy imports on its path."""
from __future__ import annotations

import json
import subprocess
import sys

from genoview.cli import main


def test_info_json(data_dir, capsys):
    assert main(["info", "--fasta", str(data_dir / "io_small.fa.gz"), "--gff", str(data_dir / "io_small.gff3"),
                 "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in summary["sequences"]] == ["chr1", "chr2", "chr3"]
    chr2 = summary["sequences"][1]
    assert chr2 == {"id": "chr2", "length": 50, "gc": 0.5, "n": 10}
    assert summary["features"] == {"gene": 3, "CDS": 2, "mRNA": 1, "pseudogene": 1, "repeat_region": 1}


def test_info_table(data_dir, capsys):
    assert main(["info", "--fasta", str(data_dir / "io_small.gb")]) == 0
    out = capsys.readouterr().out
    assert "TEST01.1" in out and "74" in out and "features by type" in out and "CDS" in out


def test_info_without_annotation(data_dir, capsys):
    assert main(["info", "--fasta", str(data_dir / "io_crlf.fa"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["features"] == {}


def test_bad_input_exits_2_with_the_message(tmp_path, data_dir, capsys):
    bad = tmp_path / "bad.fa"
    bad.write_text(">a\nACGU\nAC?T\n")
    assert main(["info", "--fasta", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "genoview info: error:" in err and "line 3" in err and "'?'" in err
    assert main(["info", "--fasta", str(tmp_path / "missing.fa")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_info_path_imports_no_torch_or_qt(data_dir):
    code = (
        "import sys\n"
        "from genoview.cli import main\n"
        f"assert main(['info', '--fasta', {str(data_dir / 'io_small.fa')!r}, '--json']) == 0\n"
        "heavy = [m for m in ('torch', 'transformers', 'PySide6', 'pyqtgraph') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_info_lists_what_a_lenient_read_skipped_and_strict_refuses(data_dir, capsys):
    args = ["info", "--fasta", str(data_dir / "gui_tiny.fa"), "--gff", str(data_dir / "gff_partly_bad.gff3")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "4 annotation line(s) reported (2 skipped, 2 repaired); --strict refuses such files" in out
    assert "line 5: start '.' is not a whole number" in out and "NC_000913.3\tRefSeq\tgene\t.\t." in out
    assert "line 7: a CDS needs a phase" in out and "line 8: Parent 'gene-missing' is not defined" in out
    assert main(args + ["--json"]) == 0
    report = json.loads(capsys.readouterr().out)["annotation_report"]
    assert report["count"] == 4 and [e["line"] for e in report["lines"]] == [5, 7, 8, 9]
    assert main(args + ["--strict"]) == 2
    err = capsys.readouterr().err
    assert "gff_partly_bad.gff3, line 5: start '.' is not a whole number" in err


def test_evaluate_warns_in_one_line_and_strict_refuses(tmp_path, data_dir, capsys):
    track = tmp_path / "t.bedGraph"
    track.write_text("chrA\t0\t1200\t0.7\nchrB\t0\t600\t0.2\n")
    args = ["evaluate", "--bedgraph", str(track), "--gff", str(data_dir / "gff_partly_bad.gff3"),
            "--fasta", str(data_dir / "gui_tiny.fa"), "--json"]
    assert main(args) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("genoview evaluate: warning: gff_partly_bad.gff3")]
    assert len(warnings) == 1 and "2 lines skipped, 2 lines repaired" in warnings[0]
    assert main(args + ["--strict"]) == 2
    assert "gff_partly_bad.gff3, line 5" in capsys.readouterr().err
