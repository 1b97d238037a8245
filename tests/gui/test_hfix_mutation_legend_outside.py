"""Real vs mutated, side by side: with several language models the legend is a row of its own above the
log-likelihood plot, never over its data (anchored in the plot, its box covered most of the curves at a dock's
width, in both themes); with one model there is no legend row at all."""
from __future__ import annotations

import numpy as np

from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(3)
GENES = ["".join("ACGT"[i] for i in RNG.integers(0, 4, 120)) for _ in range(20)]


def _models(tmp_path, count: int) -> list[str]:
    names = []
    for k in range(count):
        out = tmp_path / f"kn-order-{k + 2}-model"
        fit_ngram(GENES[:16], GENES[16:], out, contexts=list(range(k + 2)), sweeps=1, log=lambda text: None)
        write_metadata(out, name=out.name, architecture="ngram-lm", task="language-model")
        names.append(str(out))
    return names


def _compare(qtbot, tmp_path, count: int) -> MutationPanel:
    panel = MutationPanel(Session(), JobRunner(), default_lm=",".join(_models(tmp_path, count)),
                          default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(480, 1000)   # a dock's size
    panel.show()
    qtbot.waitExposed(panel)
    panel.pasted.setPlainText(GENES[2])
    panel.seed.setValue(7)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_compare()
    qtbot.waitUntil(lambda: panel._job is None)
    return panel


def test_the_legend_of_three_models_stays_off_the_log_likelihood_data(qtbot, tmp_path):
    panel = _compare(qtbot, tmp_path, 3)
    legend, data = panel.lm_plot.legend, panel.lm_plot.getViewBox()
    qtbot.waitUntil(lambda: legend.isVisible() and legend.sceneBoundingRect().height() > 10)
    assert len(legend.items) == 3
    box, plotted = legend.sceneBoundingRect(), data.sceneBoundingRect()
    assert plotted.width() > 300 and plotted.height() > 40   # the data keeps the plot's room
    assert not box.intersects(plotted), (box, plotted)
    assert box.bottom() <= panel.lm_plot.sceneBoundingRect().top() + 1   # above the plot, titles included
    panel.runner.cancel_all()
    panel.runner.wait()


def test_one_model_has_no_legend_row(qtbot, tmp_path):
    panel = _compare(qtbot, tmp_path, 1)
    legend = panel.lm_plot.legend
    assert not legend.items and not legend.isVisible() and legend.maximumHeight() == 0
    panel.runner.cancel_all()
    panel.runner.wait()
