"""Real vs mutated at a dock's width (H-walk, session 17): the Variants tab's scores and the Side by side verdicts
sat off-screen to the right of the VCF line, position and kind / the log P and PPL numbers. The result columns now
come first on screen; the table's copy and Export table… keep the columns' own order."""
from __future__ import annotations

from pathlib import Path

from genoview.core.vcf_effects import SkippedLine, VariantEffect, VariantEffects, VcfAllele
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.table_copy import table_text
from genoview.gui.workers import JobRunner


def _results():
    alleles = [VcfAllele(2, "chr", 399, "rs1", "A", "C"), VcfAllele(2, "chr", 399, "rs1", "A", "G", 2)]
    skipped = [SkippedLine(3, "chr 5000 far T G", "outside the region chr:1-1000")]
    return [VariantEffects(name, "chr:1-1000", 1, [VariantEffect(a, "SNV", -1.5 - k, 3.0, 3.1) for k, a in
                                                   enumerate(alleles)], skipped, [], Path("mine.vcf"))
            for name in ("kn-ecoli-genes", "lm-human-genes")]


def _shown(table):
    header = table.horizontalHeader()
    return [table.horizontalHeaderItem(header.logicalIndex(v)).text() for v in range(table.columnCount())]


def test_scores_and_verdicts_come_first_exports_keep_their_order(qtbot, tmp_path):
    panel = MutationPanel(Session(), JobRunner(), default_lm="", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(560, 900)   # the dock's share (0.35) of a 1600-pixel window
    panel.show()
    qtbot.waitExposed(panel)
    shown = _shown(panel.verdicts)
    assert shown[:3] == ["model", "perplexity rule", "probability rule"]
    panel.show_variant_effects(_results())
    table = panel.variants_table
    shown = _shown(table)
    assert shown[0] == "change" and shown[1].startswith("kn-ecoli-genes") and shown[2].startswith("lm-human-genes")
    assert shown[-1] == "status"
    header = table.horizontalHeader()
    right = sum(header.sectionSize(header.logicalIndex(v)) for v in range(3))
    assert right <= table.viewport().width()   # the change and both models' scores are in view
    assert table.item(0, 0).text() == "2"   # still sorted by VCF line (column 0 as made)
    # the copy and the export: the columns' own order, VCF line first
    assert table_text(table).splitlines()[0].strip("\t").startswith("VCF line\tposition\tchange\tkind")
    out = tmp_path / "effects.tsv"
    panel.save_variant_effects(str(out))
    assert out.read_text().splitlines()[0].startswith("vcf_line\tchrom\tpos")
