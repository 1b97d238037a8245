"""A model trained in the wizard is predicted on the open genome and the evaluation panel waits for its track: when
that prediction failed (or was cancelled) the waiting slot stayed connected to every later prediction for good."""
from __future__ import annotations

from PySide6.QtCore import SIGNAL


def test_a_failed_prediction_of_the_new_model_leaves_nothing_waiting(qtbot, open_example_window):
    window = open_example_window()
    controller = window.predict_controller
    waiting = lambda: controller.receivers(SIGNAL("finished(QString)"))   # noqa: E731
    before = waiting()
    wizard = window.open_training_wizard({})
    wizard.ask_before_closing = False
    with qtbot.waitSignal(controller.failed, timeout=30000):
        wizard.model_trained.emit("/nowhere/no-such-model", "no-such-model")   # its folder is gone: it fails
    assert waiting() == before   # no slot waits for a track that will not come
    wizard.close()
