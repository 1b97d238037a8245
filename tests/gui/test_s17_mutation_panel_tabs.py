"""Real vs mutated panel (session 16 review): a result shows its tab by the tab's page, not a number that points
at another tab once the tabs move; the heat map's caption takes the bases read from saturation_lm's own windows
(it called saturation_windows a second time just to write them); the batch histogram's title comes from the
shared plot-title helpers in gui/canvas.py, not from evaluation_plots' private ones."""
from __future__ import annotations

import numpy as np

import genoview.core.variant_effects as variant_effects
import genoview.gui.panels.mutation as mutation
from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(5)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT", "GGATCCTTAA"]
GENES = ["".join(MOTIFS[i] for i in RNG.integers(0, 4, 10)) for _ in range(20)]
SEQUENCE = "".join(RNG.choice(list("ACGT"), 600))


def test_heat_map_shows_its_tab_after_tabs_move_and_caption_uses_the_scored_windows(qtbot, tmp_path, monkeypatch):
    model = tmp_path / "kn"
    fit_ngram(GENES[:16], GENES[16:], model, contexts=[0, 1, 2], sweeps=1, log=lambda text: None)
    write_metadata(model, name="kn", architecture="ngram-lm", task="language-model")
    calls = []
    real_windows = variant_effects.saturation_windows
    monkeypatch.setattr(variant_effects, "saturation_windows", lambda *a: calls.append(a) or real_windows(*a))
    monkeypatch.setattr(mutation, "SATURATION_WINDOW", 200)
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm=str(model), default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.tabs.tabBar().moveTab(1, 3)   # "Heat map" is now the last tab: index 1 is another one
    assert panel.tabs.indexOf(panel.heatmap_page) == 3
    panel.tabs.setCurrentIndex(0)
    panel.pasted.setPlainText(SEQUENCE)
    panel.window_start.setValue(201)
    panel.window_length.setValue(30)
    with qtbot.waitSignal(runner.finished, timeout=60000):
        panel.run_saturation()
    qtbot.waitUntil(lambda: panel._job is None)
    assert panel.tabs.currentWidget() is panel.heatmap_page
    assert len(calls) == 1   # saturation_lm's own; the panel reads its result's windows
    windows = panel.saturation.extra["windows"]
    assert f"bases {windows[0][0] + 1:,}-{windows[-1][1]:,} of 600 read" in panel.heat_caption.text()


def test_batch_histogram_title_uses_the_shared_helpers():
    import inspect

    source = inspect.getsource(mutation)
    assert "evaluation_plots import _" not in source and "canvas.set_plot_title" in source
    assert "setCurrentIndex(" not in source.replace("mode_stack.setCurrentIndex", "")
