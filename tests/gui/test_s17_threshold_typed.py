"""Typing a threshold into the evaluation panel's box: each keystroke moves the threshold, and the box is not
rewritten under the typing (its echo had turned '0' into '0.000', so '0.35' typed ended as 0.000 or 0.300)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from genoview.core.genome import open_genome
from genoview.gui.panels.evaluation import EvaluationPanel
from genoview.gui.session import ProbabilityTrack, Session
from genoview.gui.workers import wait_for_background
from test_evaluation_panel import synthetic_values


@pytest.fixture
def typed_panel(qtbot, qapp, data_dir):
    genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")
    session = Session()
    session.set_genome(genome)
    values = synthetic_values(genome.label_mask("chrA", types=("gene", "pseudogene")))
    session.add_track(ProbabilityTrack("synthetic @ chrA", "synthetic", "chrA", values))
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.show()
    yield panel, session
    wait_for_background()
    genome.close()


@pytest.mark.parametrize("typed, expected", [("0.35", 0.35), ("0,72", 0.72), (".125", 0.125)])
def test_a_typed_threshold_is_the_threshold(qtbot, typed_panel, typed, expected):
    panel, session = typed_panel
    spin = panel.threshold_spin
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, typed)
    assert spin.value() == pytest.approx(expected)
    assert session.threshold == pytest.approx(expected)            # live, as each key is typed
    assert panel.threshold_slider.value() == round(expected * 1000)
    qtbot.keyClick(spin, Qt.Key_Return)
    assert spin.text() == f"{expected:.3f}".replace(".", spin.locale().decimalPoint())
    assert session.threshold == pytest.approx(expected)
