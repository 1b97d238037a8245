"""The Batch tab histogram's bottom axis label (a 130-character sentence) ran off both ends of the axis at the dock's
width (H-walk, session 17): the axis now says what is plotted in a few words, the caption under the plot the rest."""
from __future__ import annotations

import numpy as np

from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(5)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT", "GGATCCTTAA"]
GENES = ["".join(MOTIFS[i] for i in RNG.integers(0, 4, 10)) for _ in range(50)]


def test_the_histograms_axis_label_fits_the_docks_width(qtbot, tmp_path):
    model = tmp_path / "kn"
    fit_ngram(GENES[:25], GENES[25:30], model, contexts=[0, 1, 2], sweeps=1, log=lambda text: None)
    write_metadata(model, name="kn", architecture="ngram-lm", task="language-model")
    rows = ["NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence"]
    for k, gene in enumerate(GENES[30:]):
        rows.append(f"{k},{gene},{gene[:50]}{'A' if gene[50] != 'A' else 'C'}{gene[51:]}")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("\n".join(rows) + "\n")
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm=str(model), default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(560, 1000)   # the dock's share (0.35) of a 1600-pixel window
    panel.show()
    qtbot.waitExposed(panel)
    panel.lm_names.setText(str(model))
    panel.pairs_path.setText(str(pairs))
    with qtbot.waitSignal(runner.finished, timeout=60000):
        panel.run_batch()
    qtbot.waitUntil(lambda: panel._job is None)
    qtbot.waitUntil(lambda: panel.histogram.isVisible())
    axis = panel.histogram.getAxis("bottom")
    assert axis.label.boundingRect().width() <= axis.boundingRect().width()   # the whole label within its axis
    assert "end bins" in panel.histogram_caption.text() and panel.histogram_caption.isVisible()
    runner.wait()
