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


def test_other_gzip_outputs_carry_their_own_name(tmp_path):
    """mutate --out, score-pairs --out and evaluate --curves/--disagreements .gz recorded ".pairs.csv.gz.tmp" and the
    like."""
    genes = tmp_path / "genes.fa"
    genes.write_text(">g1\nATGAAACCCGGGTTTACGTACGTTAA\n>g2\nATGCCCAAATTTGGGACGTACGTTAA\n")
    pairs = tmp_path / "pairs.csv.gz"
    assert cli_main(["mutate", "--genes", str(genes), "--max-changes", "2", "--n", "5", "--out", str(pairs)]) == 0
    scores = tmp_path / "scores.csv.gz"
    assert cli_main(["score-pairs", str(pairs), "--model", "kn-human-genes", "--out", str(scores)]) == 0
    gff = tmp_path / "genes.gff3"
    gff.write_text("##gff-version 3\n##sequence-region chr1 1 100\nchr1\t.\tgene\t11\t60\t.\t+\t.\tID=g1\n")
    track = tmp_path / "t.bedGraph"
    track.write_text("chr1\t0\t100\t0.7\n")
    curves = tmp_path / "curves.tsv.gz"
    assert cli_main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), "--curves", str(curves)]) == 0
    assert {p.name: _header_name(p) for p in (pairs, scores, curves)} == {
        "pairs.csv.gz": "pairs.csv", "scores.csv.gz": "scores.csv", "curves.tsv.gz": "curves.tsv"}
    assert gzip.decompress(pairs.read_bytes()).startswith(b"NCBIGeneID,RealNucleotideSequence")
