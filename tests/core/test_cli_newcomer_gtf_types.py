"""H-ux7: `genoview evaluate` with a GTF (CDS and exon lines, no gene features) refused it ("no gene/pseudogene
features ... choose --feature-types") while the window's Evaluation panel scored the same file against its CDS and
RNA genes. Both now take the same default (core.evaluation.default_genic_types) and the CLI says so."""
from __future__ import annotations

import json

from genoview.cli import main as cli_main
from genoview.core.evaluation import default_genic_types

GTF = "".join(f'chr1\tx\t{kind}\t11\t60\t.\t+\t{"0" if kind == "CDS" else "."}\tgene_id "g1"; transcript_id "g1.t1";\n'
              for kind in ("exon", "CDS"))
ROWS = [("chr1", 0, 10, 0.1), ("chr1", 10, 60, 0.9), ("chr1", 60, 100, 0.2)]


def test_a_gtf_is_scored_against_its_cds_as_in_the_window(tmp_path, capsys):
    (tmp_path / "g.fa").write_text(">chr1\n" + "ACGT" * 25 + "\n")
    (tmp_path / "genes.gtf").write_text(GTF)
    (tmp_path / "t.bedGraph").write_text("".join(f"{s}\t{a}\t{b}\t{v}\n" for s, a, b, v in ROWS))
    args = ["evaluate", "--bedgraph", str(tmp_path / "t.bedGraph"), "--gff", str(tmp_path / "genes.gtf"),
            "--fasta", str(tmp_path / "g.fa"), "--json"]
    code = cli_main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "genes.gtf has no gene features; scoring its CDS (1) as genic" in captured.err
    default = json.loads(captured.out)
    assert cli_main(args + ["--feature-types", "CDS"]) == 0
    assert json.loads(capsys.readouterr().out) == default and default["mcc"] == 1.0


def test_the_default_types():
    assert default_genic_types({"gene", "CDS", "tRNA"}) == ("gene", "pseudogene")
    assert default_genic_types({"exon", "CDS", "tRNA", "transcript"}) == ("CDS", "tRNA")
    assert default_genic_types({"exon"}) == ("gene", "pseudogene")   # nothing to fall back on: the usual error
