"""The saturation heat map's figure says what it covers and with which model (an exported PNG read
"effect (position x alternative)" and nothing else)."""
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


def test_heat_map_title_names_model_and_bases(qtbot, tmp_path):
    out = tmp_path / "kn"
    fit_ngram(GENES[:10], GENES[10:], out, contexts=[0, 1, 2, 3], sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm=str(out), default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.pasted.setPlainText(GENES[0])
    panel.window_start.setValue(5)
    panel.window_length.setValue(12)
    with qtbot.waitSignal(runner.finished, timeout=60000):
        panel.run_saturation()
    qtbot.waitUntil(lambda: panel._job is None)
    title = panel.heat_plot.titleLabel.text
    assert "effect of each base change" in title and "pasted sequence, bases 5-16 of 60" in title
    runner.cancel_all()
    runner.wait()
