"""H-cli18: `predict --bedgraph t.bedgraph.gz --gff-out g.gff3.gz` recorded the temporary file's name in the gzip
header (`file` said 'was ".g.gff3.gz.21981.5bce98462dae7a.genoview-tmp"', and `gunzip -N` restores that name); the
header now names the output as gzip itself would (t.bedgraph, g.gff3)."""
from __future__ import annotations

import gzip
from pathlib import Path

from genoview.cli import main as cli_main

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example" / "example.fa"


def _header_name(path: Path) -> str:
    data = path.read_bytes()
    assert data[:2] == b"\x1f\x8b" and data[3] & 0x08   # FNAME flag
    return data[10:data.index(b"\x00", 10)].decode("latin-1")


def test_gzip_outputs_carry_their_own_name(tmp_path):
    outputs = {"--bedgraph": tmp_path / "t.bedgraph.gz", "--gff-out": tmp_path / "g.gff3.gz",
               "--proteins-out": tmp_path / "p.faa.gz"}
    argv = ["predict", str(EXAMPLE), "--model", "prodigal"]
    for option, path in outputs.items():
        argv += [option, str(path)]
    assert cli_main(argv) == 0
    assert {path.name: _header_name(path) for path in outputs.values()} == {
        "t.bedgraph.gz": "t.bedgraph", "g.gff3.gz": "g.gff3", "p.faa.gz": "p.faa"}
    assert gzip.decompress(outputs["--gff-out"].read_bytes()).startswith(b"##gff-version 3")
