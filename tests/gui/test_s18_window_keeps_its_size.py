"""`genoview gui` (and plain `genoview`, `genoview genome.fa`) opens the window at its last size, fitted to the screen.

H-walk18 under Xvfb at 1280 x 800: the window opened 1600 x 1000, its status bar, the Evaluation dock's right half
and the disagreements' lower rows off screen. The --width/--height defaults (1600 x 1000, meant for --screenshot) were
applied to every interactive window after the saved geometry and the screen fit (MainWindow's fit_to_screen)."""
from __future__ import annotations

import types

import genoview.app as app_module
from genoview.cli import main


def _launched(monkeypatch, argv):
    made = []
    create = app_module.create_main_window

    def capture(*args, **kwargs):
        window = create(*args, **kwargs)
        made.append((window, (window.width(), window.height())))   # as MainWindow sized it (fitted, or restored)
        return window

    monkeypatch.setattr(app_module, "create_main_window", capture)
    monkeypatch.setattr(app_module, "application", lambda: types.SimpleNamespace(exec=lambda: 0))
    assert main(argv) == 0
    window, before = made[0]
    after = (window.width(), window.height())
    window.close()
    return before, after


def test_the_window_keeps_the_size_it_was_given(qtbot, monkeypatch):
    before, after = _launched(monkeypatch, ["gui"])
    assert after == before and after != (1600, 1000)


def test_width_and_height_given_still_size_it(qtbot, monkeypatch):
    _before, after = _launched(monkeypatch, ["gui", "--width", "900", "--height", "600"])
    assert after == (900, 600)
    _before, after = _launched(monkeypatch, ["gui", "--width", "1000"])
    assert after[0] == 1000
