"""A GENOVIEW_HOME that cannot be written: the window's predictions still run (neither recorded nor cached) and the
window says so once, in the status bar and a lasting mark whose tooltip holds the whole text with the path, not once
per prediction (session 16)."""
from __future__ import annotations

import numpy as np

from genoview.gui.predict_controller import PredictController
from genoview.paths import user_data_dir
from tests.gui.test_predict import expected_probs, fake_models  # noqa: F401 (a fixture)


def test_predictions_run_and_the_window_says_once_that_nothing_is_recorded(qtbot, make_window, session, fake_models,
                                                                           read_only_home):
    read_only_home()
    window = make_window()
    controller = PredictController(session, window.runner)
    said = []
    window.core_warning.connect(lambda text, mark, genome: said.append(text))
    for seqid in ("chrA", "chrB"):
        with qtbot.waitSignal(controller.finished, timeout=20000):
            controller.predict("fake", [seqid])
        np.testing.assert_array_equal(session.tracks[f"fake @ {seqid}"].values,
                                      expected_probs(session.genome.sequences[seqid]))
    qtbot.waitUntil(lambda: window.warning_label.isVisible())
    assert len(said) == 1 and str(user_data_dir() / "genoview.db") in said[0] and "not recorded" in said[0]
    assert window.warning_label.toolTip() == said[0] and "Not recorded" in window.warning_label.text()
    assert not any((user_data_dir() / "cache").glob("*.npy"))
