"""The saturation heat map's figure says what it covers and with which model (an exported PNG read
"effect (position x alternative)" and nothing else), under the plots: in the title, a long model name pushed the
colour bar out of the figure."""
from __future__ import annotations

import types

import numpy as np

from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel, heat_map_subject
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(1)
GENES = ["".join("ACGT"[i] for i in RNG.integers(0, 4, 60)) for _ in range(12)]


def test_subject_in_genome_coordinates_or_of_the_pasted_sequence():
    result = types.SimpleNamespace(start=4, end=16, sequence="A" * 60)
    assert heat_map_subject(("chr7", 1000, 1060), result) == "chr7:1,005-1,016"
    assert heat_map_subject(None, result) == "pasted sequence, bases 5-16 of 60"
    # a - strand gene's map reads its reverse complement: bases 5-16 of it are 1,045-1,056 of the genome
    assert heat_map_subject(("chr7", 1000, 1060, -1), result) == "chr7:1,045-1,056 (- strand)"
    assert heat_map_subject(("chr7", 1000, 1060, 1), result) == "chr7:1,005-1,016"


def test_heat_map_title_names_model_and_bases(qtbot, tmp_path):
    out = tmp_path / "kn-with-a-rather-long-model-name-for-the-figure-title"
    fit_ngram(GENES[:10], GENES[10:], out, contexts=[0, 1, 2, 3], sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm=str(out), default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(480, 900)
    panel.show()
    panel.pasted.setPlainText(GENES[0])
    panel.window_start.setValue(5)
    panel.window_length.setValue(12)
    with qtbot.waitSignal(runner.finished, timeout=60000):
        panel.run_saturation()
    qtbot.waitUntil(lambda: panel._job is None)
    panel.tabs.setCurrentIndex(1)
    subject = panel.heat_subject.text
    assert "kn-with-a-rather-long" in subject and "pasted sequence, bases 5-16 of 60" in subject
    assert panel.heat_plot.titleLabel.text == "effect of each base change"
    layout = panel.heat_plots.ci
    columns = panel.heat_plot.minimumWidth() + panel.heat_bar.minimumWidth()
    assert panel.heat_subject.minimumWidth() < columns   # the caption line never widens the figure
    assert layout.minimumWidth() <= columns + 40   # (its margins and spacing): the colour bar stays in the figure
    runner.cancel_all()
    runner.wait()
