"""A GTF (exon and CDS lines, no gene features) opened with its genome: the evaluation panel ticked nothing (its
defaults are gene and pseudogene) and showed empty tables under "Tick at least one annotation feature type"; it
now ticks CDS (and RNA genes) when the annotation has no gene features. Files with genes keep gene/pseudogene."""
from __future__ import annotations

import numpy as np


def test_a_gtf_is_scored_against_its_cds(qtbot, tmp_path, open_example_window):
    rng = np.random.default_rng(3)
    fasta = tmp_path / "g.fa"
    fasta.write_text(">c\n" + "".join(rng.choice(list("ACGT"), 3000)) + "\n")
    gtf = tmp_path / "genes.gtf"
    lines = []
    for i, (start, end) in enumerate(((101, 400), (801, 1200), (2001, 2400))):
        for kind in ("exon", "CDS"):
            lines.append(f'c\tx\t{kind}\t{start}\t{end}\t.\t+\t{"0" if kind == "CDS" else "."}\t'
                         f'gene_id "g{i}"; transcript_id "g{i}.t1";')
    gtf.write_text("\n".join(lines) + "\n")
    window = open_example_window(fasta, gtf)
    panel = window.evaluation_panel
    assert panel.checked_types() == ("CDS",)


def test_an_annotation_with_genes_keeps_its_defaults(qtbot, open_example_window):
    window = open_example_window()
    checked = window.evaluation_panel.checked_types()
    assert checked and set(checked) <= {"gene", "pseudogene"}
