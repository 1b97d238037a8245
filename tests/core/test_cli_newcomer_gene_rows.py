"""`genoview evaluate --genes`: the gene-level rows line up under their headers whatever the model's name is (a
24-character name column put "GenoView:geneorf-bacteria" out of line) and say what sens and prec mean."""
from __future__ import annotations

from genoview.core.gene_level import format_gene_level


def test_gene_rows_line_up_and_are_explained():
    row = {"stop_sensitivity": 0.962, "stop_precision": 0.9199, "start_sensitivity": 0.8194, "start_precision": 0.7835}
    text = format_gene_level({"GenoView:geneorf-bacteria-mycoplasma_gallisepticum": row, "prodigal": row})
    header, first, second, legend = text.splitlines()
    assert header.index("stop prec") + len("stop prec") == first.index("0.9199") + len("0.9199")
    assert first.index("0.9199") == second.index("0.9199")
    assert header.rindex("start prec") + len("start prec") == len(first) == len(second)
    assert "sens = share of annotated genes found" in legend and "prec = share of the calls" in legend
