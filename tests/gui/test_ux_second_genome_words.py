"""Opening another genome while a prediction runs: the question counted the track still being filled among "the N
tracks shown now" and did not say the prediction would stop; it now says so (only when one runs)."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def test_the_question_says_a_running_prediction_stops(qtbot, open_example_window, monkeypatch):
    window = open_example_window()
    texts = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: texts.append(self.text()) or 0)
    window.ask_closing_tracks(2)
    monkeypatch.setattr(type(window.predict_controller), "busy", property(lambda self: True))
    window.ask_closing_tracks(2)
    assert "prediction running now is stopped" not in texts[0]
    assert "prediction running now is stopped" in texts[1] and "2 tracks" in texts[1]
