"""H-ux7: a session whose genome was moved (a folder tidied, a USB disk mounted elsewhere) said "not there any more;
open it with File ▸ Open and save the session again": the file alone came back, its tracks, place and threshold were
lost. The window now asks where the file is now and reopens the session with it (tracks from the cache)."""
from __future__ import annotations

import shutil

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_a_moved_genome_is_found_and_the_session_reopens_with_it(qtbot, tmp_path, open_example_window,
                                                                 monkeypatch):
    genome = tmp_path / "mine" / "example.fa"
    genome.parent.mkdir()
    shutil.copy(EXAMPLE_GENOME, genome)
    window = open_example_window(genome, EXAMPLE_ANNOTATION)
    window.session.set_threshold(0.7)
    window.go_to("chrEx:20,001-30,000")
    session = tmp_path / "work.genoview.json"
    assert window.save_session(session)
    moved = tmp_path / "tidied" / "example.fa"
    moved.parent.mkdir()
    shutil.move(genome, moved)
    shutil.rmtree(genome.parent)
    asked = []

    def locate(what, saved, message, alone=False):
        asked.append((what, saved, message))
        return str(moved)

    monkeypatch.setattr(window, "locate_missing", locate)
    window.go_to("chrEx:1-5,000")
    window.session.set_threshold(0.5)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        assert window.open_session(session)
    assert asked[0][:2] == ("genome", str(genome)) and "not there any more" in asked[0][2]
    qtbot.waitUntil(lambda: window.session.threshold == 0.7)
    assert window.session.genome.path == str(moved)
    start, end = window.session.region
    assert start <= 20000 and 30000 <= end + 1 and end - start < 20000
    assert "1 of its files found where they are now: save the session" in window.statusBar().currentMessage()


def test_not_found_it_is_the_error_as_before(qtbot, tmp_path, open_example_window, monkeypatch):
    genome = tmp_path / "example.fa"
    shutil.copy(EXAMPLE_GENOME, genome)
    window = open_example_window(genome)
    session = tmp_path / "work.genoview.json"
    assert window.save_session(session)
    genome.unlink()
    monkeypatch.setattr(window, "locate_missing", lambda *args, **kw: None)
    failures = []
    window.load_failed.connect(failures.append)
    assert not window.open_session(session)
    assert failures and "not there any more" in failures[0]
