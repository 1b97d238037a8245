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
