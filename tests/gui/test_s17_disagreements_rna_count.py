"""The gene-disagreements summary counts protein genes and RNA genes apart ('1,777 protein genes called (and 77 RNA
genes)'): '1,777 genes called' read as another count than predict's '1,854 predicted genes' for the same calls."""
from __future__ import annotations

from types import SimpleNamespace

from genoview.gui.genome_view.gene_calls_track import GeneCallsResult
from genoview.gui.panels.disagreements import DisagreementsPanel


def _call(kind):
    return SimpleNamespace(kind=kind)


def test_summary_counts_protein_and_rna_genes(qtbot):
    panel = DisagreementsPanel(None)
    qtbot.addWidget(panel)
    features = [SimpleNamespace(systems=("GenoView", "Prodigal")) for _ in range(3)] + [SimpleNamespace()]
    calls = [_call("CDS")] * 3 + [_call("tRNA"), _call("rRNA")]
    panel.set_result(GeneCallsResult("m @ chrA", "chrA", features, [], ("GenoView", "Prodigal"), 11, calls), "m")
    assert panel.summary.text().startswith("m: 3 protein genes called (and 2 RNA genes); 0 genes where")
    panel.set_result(GeneCallsResult("m @ chrA", "chrA", features[:3], [], ("GenoView", "Prodigal"), 11,
                                     calls[:3]), "m")
    assert panel.summary.text().startswith("m: 3 protein genes called; 0 genes where")
