"""Real vs mutated's batch mode says, as `genoview score-pairs` does, how many pairs are genes a model was trained on
(their verdicts are memorised). The count itself is tested in tests/core/test_s16_score_pairs_training_genes.py;
here the window shows it (a stand-in count: the tiny model's card records no training genes)."""
from __future__ import annotations

import numpy as np

from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(1)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT"]
GENES = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 8)) for _ in range(12)]


def test_batch_warns_about_training_gene_pairs(qtbot, tmp_path, monkeypatch):
    model = tmp_path / "kn"
    fit_ngram(GENES[:8], GENES[8:], model, contexts=[0, 1, 2, 3], sweeps=1, log=lambda text: None)
    write_metadata(model, name="kn", architecture="ngram-lm", task="language-model")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n"
                     + "\n".join(f"g{i},<{g}>,<{g[:5] + g[6:]}>" for i, g in enumerate(GENES[:4])) + "\n")
    import genoview.core.lm_training_overlap as overlap

    seen = []
    monkeypatch.setattr(overlap, "training_pairs",
                        lambda name, reals: seen.append(len(reals)) or (3, "8 training genes of genes.csv"))
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm=str(model), default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.pairs_path.setText(str(pairs))
    with qtbot.waitSignal(runner.finished, timeout=60000):
        panel.run_batch()
    qtbot.waitUntil(lambda: panel._job is None)
    text = panel.batch_comparison.text()
    assert seen == [4]
    assert text.startswith("Warning: 3 of 4 pairs (75%) are genes") and "memorised" in text and "--held-out" in text
    monkeypatch.setattr(overlap, "training_pairs", lambda name, reals: (0, "none"))
    with qtbot.waitSignal(runner.finished, timeout=60000):
        panel.run_batch()
    qtbot.waitUntil(lambda: panel._job is None)
    assert "Warning" not in panel.batch_comparison.text()
    # nats as they are: differences under 1 read "-900 (x0.001)" with pyqtgraph's SI prefix, its scale cut off
    axis = panel.histogram.getAxis("bottom")
    assert not axis.autoSIPrefix and axis.autoSIPrefixScale == 1.0
    runner.cancel_all()
    runner.wait()
