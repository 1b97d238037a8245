"""Real vs mutated's From followed nothing: with a genome open it still said "Pasted sequence" (H-walk, session 17).
It now takes the region in view of an open genome, the gene selected in the view (its name in the Gene field),
pasted bases once pasted, and Pasted sequence with no genome; a From the user picked stays theirs."""
from __future__ import annotations

from PySide6.QtCore import Qt

from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.workers import JobRunner


def test_from_follows_the_open_genome_until_the_user_picks_it(qtbot, session):
    from genoview.gui.session import Session

    alone = MutationPanel(Session(), JobRunner(), default_lm="", default_gene_model="")
    qtbot.addWidget(alone)
    assert alone.source.currentText() == "Pasted sequence"   # no genome: pasted

    panel = MutationPanel(session, JobRunner(), default_lm="", default_gene_model="")
    qtbot.addWidget(panel)
    assert panel.source.currentText() == "Visible region"
    gene = next(f for f in session.genome.features if f.type == "gene")
    session.set_selection(gene.seqid, gene.start, gene.end)   # a gene clicked in the view
    assert panel.source.currentText() == "Gene by name" and panel.gene_name.text()
    assert panel.named_gene().start == gene.start
    session.set_selection(None)
    assert panel.source.currentText() == "Visible region" and panel.gene_name.text() == ""
    panel.pasted.setPlainText("ACGTACGTAC")
    assert panel.source.currentText() == "Pasted sequence"
    panel.pasted.setPlainText("")
    assert panel.source.currentText() == "Visible region"
    panel.gene_name.setText("mine")   # a name typed by the user is not replaced by a click
    session.set_selection(gene.seqid, gene.start, gene.end)
    assert panel.gene_name.text() == "mine" and panel.source.currentText() == "Gene by name"
    panel.source.activated.emit(0)   # the user picks From: it stays so
    panel.source.setCurrentIndex(0)
    session.set_selection(None)
    session.set_genome(session.genome)
    assert panel.source.currentText() == "Pasted sequence"
    session.set_genome(None)
    assert panel.source.currentText() == "Pasted sequence"


def test_a_gene_name_typed_makes_from_gene_by_name(qtbot, session):
    """rev18a: since 56fe887 From read "Visible region" beside an open genome, and a gene name typed in the Gene field
    left it there: Mutate & compare took the region in view, not the gene typed. Emptied again: the region in view."""
    panel = MutationPanel(session, JobRunner(), default_lm="", default_gene_model="")
    qtbot.addWidget(panel)
    assert panel.source.currentText() == "Visible region"
    gene = next(f for f in session.genome.features if f.type == "gene")
    name = gene.attributes.get("locus_tag") or gene.attributes.get("Name") or gene.attributes["ID"]
    qtbot.keyClicks(panel.gene_name, name)
    assert panel.source.currentText() == "Gene by name"
    assert panel.real_sequence()[1][1:3] == (gene.start, gene.end)
    panel.gene_name.selectAll()
    qtbot.keyClick(panel.gene_name, Qt.Key.Key_Backspace)
    assert panel.gene_name.text() == "" and panel.source.currentText() == "Visible region"
