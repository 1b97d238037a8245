"""`genoview saturation`: the window's heat map on the command line (session 15, H-lm: saturation mutagenesis was in
the window only), a - strand gene read as the gene with each row's genome position."""
from __future__ import annotations

import csv

from genoview.cli import main as cli_main
from genoview.paths import RESOURCES_DIR

EXAMPLE = RESOURCES_DIR / "example"


def test_saturation_of_a_minus_strand_gene_writes_each_change_with_its_genome_position(tmp_path, capsys):
    out = tmp_path / "map.csv"
    assert cli_main(["saturation", "--genome", str(EXAMPLE / "example.fa"), "--annotation", str(EXAMPLE / "example.gff3"),
                     "--region", "abcD", "--from", "1", "--length", "20", "--deletions", "--model", "kn-human-genes",
                     "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "80 changes of positions 1-20 of chrEx:3603-4214 (- strand gene)" in captured.out
    assert "- strand: read reverse-complemented" in captured.err
    rows = list(csv.DictReader(out.read_text().splitlines()))
    assert len(rows) == 80 and {r["alt"] for r in rows} == {"A", "C", "G", "T", "del"}
    genome = "".join(line.strip() for line in (EXAMPLE / "example.fa").read_text().split(">")[1].splitlines()[1:])
    first = rows[0]
    assert first["position"] == "1" and first["genome_position"] == "4214" and first["strand"] == "-"
    assert first["ref"] == {"A": "T", "C": "G", "G": "C", "T": "A"}[genome[4213]]   # the gene's first base


def test_a_window_outside_the_region_is_refused_before_any_model_loads(tmp_path, capsys):
    assert cli_main(["saturation", "--genome", str(EXAMPLE / "example.fa"), "--region", "chrEx:1-100", "--from", "90",
                     "--length", "20", "--model", "kn-human-genes", "--out", str(tmp_path / "map.csv")]) == 2
    assert "the window must lie in the region's 100 bases" in capsys.readouterr().err
