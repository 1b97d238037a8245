"""Start-up: `genoview gui` paints a splash before the slow imports (pyqtgraph, the window, torch), so a user sees
something at once; it closes when the window is shown. The splash module imports only Qt."""
from __future__ import annotations

import subprocess
import sys
import types

import genoview.app
from genoview.cli import gui as gui_cli
from genoview.gui.startup import StartSplash, application, show_splash


def test_splash_is_painted_and_closes(qtbot):
    splash = show_splash(application())
    assert isinstance(splash, StartSplash) and splash.isVisible()
    assert splash.windowHandle().isExposed() and not splash.pixmap().isNull()
    image = splash.grab().toImage()
    assert image.pixelColor(5, 5).name() == "#1f3a5f"   # painted, not a blank window
    splash.finish(None)
    assert not splash.isVisible()


def test_gui_command_shows_the_splash_before_the_window(monkeypatch, qtbot):
    seen = []

    def fake_launch(args, splash=None):
        seen.append(splash is not None and splash.isVisible())
        splash.finish(None)
        return 0

    monkeypatch.setattr(genoview.app, "launch", fake_launch)
    args = types.SimpleNamespace(fasta=None, gff=None, model=None, locus=None, screenshot=None, width=1600,
                                 height=1000, device="auto")
    assert gui_cli.run(args) == 0 and seen == [True]


def test_screenshot_runs_have_no_splash(monkeypatch, tmp_path, qtbot):
    seen = []
    monkeypatch.setattr(genoview.app, "launch", lambda args, splash=None: seen.append(splash) or 0)
    fasta = tmp_path / "g.fa"
    fasta.write_text(">s\nACGT\n")
    args = types.SimpleNamespace(fasta=str(fasta), gff=None, model=None, locus=None,
                                 screenshot=str(tmp_path / "out.png"), width=800, height=600, device="auto")
    assert gui_cli.run(args) == 0 and seen == [None]


def test_startup_module_is_light():
    code = ("import sys, genoview.gui.startup; "
            "print(sorted(m for m in ('torch', 'pyqtgraph', 'genoview.gui.main_window', 'genoview.core.genome') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
