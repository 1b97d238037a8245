"""`genoview gui FILE --locus L --model M`: --locus and --model wait for FILE's genome only (rev18b). A track file given
instead of a genome (3dc9122 opens it as a track), or a genome that fails to load, left them waiting, and they went to
whatever genome the user opened next: a prediction started on it."""
from __future__ import annotations

import types

from genoview.app import open_from_command_line


def _args(fasta, **kw):
    return types.SimpleNamespace(fasta=str(fasta), gff=None, locus="chrEx:1000-2000", model="geneorf-bacteria",
                                 device="auto", **kw)


def _watch(window, monkeypatch):
    calls = []
    monkeypatch.setattr(window, "go_to", lambda locus, *a, **k: calls.append(("go_to", locus)) or True)
    monkeypatch.setattr(window, "predict_controller", types.SimpleNamespace(
        predict=lambda model, *a, **k: calls.append(("predict", model))), raising=False)
    return calls


def _open_example(qtbot, window):
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME

    with qtbot.waitSignal(window.genome_loaded, timeout=30000):
        window.open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)


def test_a_genome_that_fails_leaves_nothing_waiting(qtbot, make_window, tmp_path, monkeypatch, errors):
    window = make_window()
    calls = _watch(window, monkeypatch)
    bad = tmp_path / "broken.fa"
    bad.write_text("this is not a genome\n")
    with qtbot.waitSignal(window.load_failed, timeout=30000):
        open_from_command_line(window, _args(bad))
    _open_example(qtbot, window)   # the user opens another genome
    assert calls == []


def test_a_track_file_given_leaves_nothing_waiting(qtbot, make_window, tmp_path, monkeypatch, capsys):
    window = make_window()
    calls = _watch(window, monkeypatch)
    track = tmp_path / "ex.bedGraph"
    track.write_text("chrEx\t0\t10\t0.5\n")
    open_from_command_line(window, _args(track))
    assert "--locus and --model not used: ex.bedGraph is a track" in capsys.readouterr().err
    _open_example(qtbot, window)
    assert calls == []


def test_the_genome_given_gets_them(qtbot, make_window, monkeypatch):
    from genoview.gui.start_page import EXAMPLE_GENOME

    window = make_window()
    calls = _watch(window, monkeypatch)
    with qtbot.waitSignal(window.genome_loaded, timeout=30000):
        open_from_command_line(window, _args(EXAMPLE_GENOME))
    assert [c[0] for c in calls] == ["go_to", "predict"]
    _open_example(qtbot, window)   # once only
    assert len(calls) == 2
