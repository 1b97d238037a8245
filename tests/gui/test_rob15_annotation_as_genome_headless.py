"""H-rob (session 15): `genoview gui genes.gff3 --screenshot out.png` (an annotation given as the genome, headless)
hung for the screenshot's 900 s guard: the window offered its genome chooser, which is not shown headless, and
then only wrote the status bar, so load_failed never came. It now fails at once with the reader's message."""
from __future__ import annotations

import argparse

from genoview.gui.start_page import EXAMPLE_ANNOTATION


def _bare_window(qtbot):
    from genoview.app import create_main_window
    from genoview.settings import Settings

    window = create_main_window(Settings())
    window.interactive = False
    window.remember_layout = False
    qtbot.addWidget(window)
    return window


def test_no_genome_chosen_emits_load_failed(qtbot):
    window = _bare_window(qtbot)
    with qtbot.waitSignal(window.load_failed, timeout=20000) as blocker:
        window.open_genome(EXAMPLE_ANNOTATION)
    assert "holds no sequences" in blocker.args[0] and "example.gff3" in blocker.args[0]
    assert window.session.genome is None and window.loading == 0


def test_screenshot_of_an_annotation_fails_at_once(tmp_path, qtbot, monkeypatch, capsys):
    import genoview.app as app_module
    from genoview.app import ScreenshotRun, create_main_window

    monkeypatch.setattr(app_module, "SCREENSHOT_TIMEOUT_S", 30)   # a regression fails in 30 s, not 900

    window = create_main_window()
    qtbot.addWidget(window)
    args = argparse.Namespace(fasta=str(EXAMPLE_ANNOTATION), gff=None, model=None, locus=None, device=None,
                              screenshot=str(tmp_path / "out.png"), width=800, height=600)
    run = ScreenshotRun(window, args)
    assert run.run() == 2
    said = capsys.readouterr().err
    assert "holds no sequences" in said and "no screenshot after" not in said
    assert not (tmp_path / "out.png").exists()
