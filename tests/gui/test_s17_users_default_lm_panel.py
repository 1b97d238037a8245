"""Real vs mutated: the user's own language model flagged "default": true is suggested for a bacterium too (the
CLI's rule, genome_kind.language_model_for with users_default), not the bacterial-gene model."""
from __future__ import annotations

from genoview.core.genome import Genome
from genoview.core.io.features import Feature, FeatureTable
from genoview.core.io.sequence import SequenceRecord
from genoview.gui.panels.mutation import MutationModelNames, MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner


def test_the_users_default_wins_on_a_bacterium(qtbot):
    session, runner = Session(), JobRunner()
    widget = MutationPanel(session, runner, default_lm="lm-human-genes", default_gene_model="",
                           prokaryote_lm="kn-ecoli-genes")
    qtbot.addWidget(widget)
    cds = Feature(seqid="chr", start=0, end=90, strand=1, type="CDS", id="g1")
    session.set_genome(Genome(None, {"chr": SequenceRecord("chr", "", 200_000)}, FeatureTable([cds])))
    assert widget.lm_names.text() == "kn-ecoli-genes"   # the built-in rule
    widget.lm_names.setText("")   # as before the library is read
    widget.use_model_names(MutationModelNames("my-lm", "geneorf-bacteria", "kn-ecoli-genes", [], True))
    assert widget.lm_names.text() == "my-lm"
    session.set_genome(Genome(None, {"chr": SequenceRecord("chr", "", 300_000)}, FeatureTable([cds])))
    assert widget.lm_names.text() == "my-lm"
    assert "your default language model" in widget.lm_hint.text() and "prokaryote" not in widget.lm_hint.text()
    runner.cancel_all()
    runner.wait()
