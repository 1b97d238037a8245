"""File ▸ Open track…: a bedGraph or bigWig shown as a track (read on a worker with core's one reader), bad names said
with the file, line and the names expected, values outside 0..1 scaled with the axis in the file's numbers, the
evaluation panel scoring it, a session reopening it, a drop opening it."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.gui.track_opener import track_key


def write_bedgraph(path, rows, header=True):
    text = ("track type=bedGraph name=test\n" if header else "") + "".join(f"{s}\t{a}\t{b}\t{v}\n" for s, a, b, v in rows)
    path.write_text(text)
    return path


@pytest.fixture
def window(open_example_window, data_dir):
    return open_example_window(data_dir / "gui_tiny.fa", data_dir / "gui_tiny.gff3", size=(1000, 700))


def open_track(qtbot, window, path):
    with qtbot.waitSignal(window.track_file_opened, timeout=10000) as opened:
        window.open_track_file(path)
    return opened.args[0]


def test_bedgraph_opens_as_a_track_part_matching_said_and_evaluated(qtbot, window, tmp_path):
    path = write_bedgraph(tmp_path / "colleague.bedGraph",
                          [("chrA", 0, 500, 0.9), ("chrA", 500, 1000, 0.1), ("chrZ", 0, 10, 0.5)])
    opened = open_track(qtbot, window, path)
    key = track_key(str(path), "chrA")
    track = window.session.tracks[key]
    assert key == "colleague.bedGraph @ chrA" and track.label == "colleague.bedGraph"
    assert track.model_name == "" and track.value_range is None
    values = track.values(0, 1200)
    assert np.allclose(values[:500], 0.9, atol=1e-4) and np.allclose(values[500:1000], 0.1, atol=1e-4)
    assert np.isnan(values[1000:]).all()                       # no value in the file: not 0
    assert opened.skipped == ["chrZ"]
    status = window.statusBar().whole_message()
    assert "skipped chrZ (not in the open genome)" in status
    plot = window.view.track_plots[key]                        # a row like a prediction's
    assert plot.track is track
    listed = window.track_panel.list.item(0)
    assert listed.toolTip() == f"colleague.bedGraph: file {path}, sequence chrA"
    # the evaluation panel takes any track of the session: it scores this one against the annotation
    panel = window.evaluation_panel
    with qtbot.waitSignal(panel.evaluated, timeout=20000):
        panel.select_track(key)
        panel.evaluate_now()
    assert panel.result.scope.track_key == key
    # opened again: replaced, not doubled; removed like any track
    open_track(qtbot, window, path)
    assert sum(1 for t in window.session.tracks.values() if getattr(t, "source_path", "")) == 1
    window.session.remove_track(key)
    assert key not in window.view.track_plots


def test_names_of_another_genome_say_file_line_and_names(qtbot, window, tmp_path):
    path = write_bedgraph(tmp_path / "other.bg", [("NC_000913.3", 0, 100, 0.5), ("NC_000913.3", 100, 200, 0.2)])
    with qtbot.waitSignal(window.load_failed, timeout=10000) as failed:
        window.open_track_file(path)
    message = failed.args[0]
    assert "other.bg" in message and "line 2" in message          # the header is line 1
    assert "NC_000913.3" in message and "chrA" in message and "chrB" in message
    assert not window.session.tracks


def test_values_outside_probabilities_are_scaled_and_axis_says_them(qtbot, window, tmp_path):
    path = write_bedgraph(tmp_path / "phylop.bedgraph", [("chrB", 0, 300, -3.0), ("chrB", 300, 600, 5.0)], header=False)
    opened = open_track(qtbot, window, path)
    assert opened.scaled and opened.value_range == (-3.0, 5.0)
    track = window.session.tracks[track_key(str(path), "chrB")]
    assert track.value_range == (-3.0, 5.0)
    values = track.values(0, 600)
    assert np.allclose(values[:300], 0.0) and np.allclose(values[300:], 1.0)
    assert "-3 to 5" in window.statusBar().whole_message()
    window.session.set_sequence("chrB")
    plot = window.view.track_plots[track_key(str(path), "chrB")]
    ticks = plot.getAxis("left")._tickLevels[0]
    assert [text for _, text in ticks] == ["-3", "0", "5"] and ticks[1][0] == pytest.approx(3 / 8)


def test_bigwig_opens(qtbot, window, tmp_path):
    pybigtools = pytest.importorskip("pybigtools")
    path = tmp_path / "track.bw"
    handle = pybigtools.open(str(path), "w")
    handle.write({"chrA": 1200, "chrB": 600}, iter([("chrA", 10, 20, 0.75), ("chrB", 0, 5, 0.25)]))
    open_track(qtbot, window, path)
    values = window.session.tracks[track_key(str(path), "chrA")].values(0, 30)
    assert np.isnan(values[:10]).all() and np.allclose(values[10:20], 0.75, atol=1e-4)


def test_no_genome_says_open_it_first(qtbot, make_window, tmp_path):
    window = make_window()
    window.interactive = False
    path = write_bedgraph(tmp_path / "t.bedGraph", [("chrA", 0, 10, 0.5)])
    with qtbot.waitSignal(window.load_failed, timeout=5000) as failed:
        window.open_paths([str(path)])                             # a drop onto the window
    assert "open its genome first" in failed.args[0]


def test_session_remembers_the_track_file_and_a_drop_opens_one(qtbot, window, tmp_path, open_example_window,
                                                                data_dir):
    path = write_bedgraph(tmp_path / "kept.bedGraph", [("chrA", 0, 100, 0.6)])
    with qtbot.waitSignal(window.track_file_opened, timeout=10000):
        window.open_paths([str(path)])                             # a drop: the same path as File ▸ Open track…
    key = track_key(str(path), "chrA")
    window.session.set_track_style(key, label="my track", color="#aa0000")
    saved = tmp_path / "s.genoview.json"
    assert window.save_session(saved)
    other = open_example_window(data_dir / "gui_tiny.fa")
    with qtbot.waitSignal(other.track_file_opened, timeout=20000):
        assert other.open_session(saved)
    track = other.session.tracks[key]
    assert (track.label, track.color) == ("my track", "#aa0000")
    assert np.allclose(track.values(0, 100), 0.6, atol=1e-4)


def test_two_folders_same_file_name_get_two_tracks(qtbot, window, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_bedgraph(tmp_path / "a" / "track.bedGraph", [("chrA", 0, 10, 0.2)])
    second = write_bedgraph(tmp_path / "b" / "track.bedGraph", [("chrA", 0, 10, 0.8)])
    open_track(qtbot, window, first)
    open_track(qtbot, window, second)
    assert set(window.session.tracks) == {"track.bedGraph @ chrA", "track.bedGraph (b) @ chrA"}
    assert np.allclose(window.session.tracks["track.bedGraph (b) @ chrA"].values(0, 10), 0.8, atol=1e-4)


def test_a_track_dropped_with_its_genome_opens_once_the_genome_has(qtbot, make_window, data_dir, tmp_path):
    window = make_window()
    window.interactive = False
    path = write_bedgraph(tmp_path / "with.bedGraph", [("chrB", 0, 60, 0.3)])
    with qtbot.waitSignal(window.track_file_opened, timeout=20000):
        window.open_paths([str(path), str(data_dir / "gui_tiny.fa"), str(data_dir / "gui_tiny.gff3")])
    assert window.session.genome.annotation_path.endswith("gui_tiny.gff3")
    assert list(window.session.tracks) == ["with.bedGraph @ chrB"]


def test_export_of_a_track_file_not_probabilities_refused_with_its_file(qtbot, window, tmp_path):
    from genoview.core.errors import GenoViewInputError
    from genoview.gui.export import write_track_bedgraph

    path = write_bedgraph(tmp_path / "score.bedGraph", [("chrA", 0, 100, -2.5), ("chrA", 100, 200, 7.5)])
    open_track(qtbot, window, path)
    with pytest.raises(GenoViewInputError, match="not probabilities.*score.bedGraph"):
        write_track_bedgraph(tmp_path / "again.bedGraph", window.session.tracks[track_key(str(path), "chrA")])
    assert not (tmp_path / "again.bedGraph").exists()


def test_a_track_chosen_in_open_genome_opens_as_a_track(qtbot, window, tmp_path, monkeypatch):
    from genoview.gui.dialogs import files as file_dialogs

    path = write_bedgraph(tmp_path / "chosen.bw.bedGraph", [("chrA", 0, 10, 0.4)])
    monkeypatch.setattr(file_dialogs, "choose_genome", lambda *a: str(path))
    with qtbot.waitSignal(window.track_file_opened, timeout=10000):
        window.open_action.trigger()
    assert window.session.genome.path.endswith("gui_tiny.fa") and "chosen.bw.bedGraph @ chrA" in window.session.tracks


def test_a_track_dropped_with_a_genome_whose_annotation_was_declined_is_not_opened_later(qtbot, make_window, data_dir,
                                                                                        tmp_path, monkeypatch):
    """rev18a: the drop's one-shot 'open the tracks once the genome has' stayed connected when the user declined the
    annotation's skipped lines (no genome_loaded, no load_failed): the next genome opened, any genome, got the
    dropped track (a session reopened the same way got the session's place, threshold and predictions)."""
    from genoview.gui.dialogs import annotation_report

    window = make_window()
    path = write_bedgraph(tmp_path / "dropped.bedGraph", [("chrB", 0, 60, 0.3)])
    monkeypatch.setattr(annotation_report, "ask_load_rest", lambda parent, report: False)   # "Cancel"
    window.open_paths([str(path), str(data_dir / "gui_tiny.fa"), str(data_dir / "gff_partly_bad.gff3")])
    qtbot.waitUntil(lambda: "was not loaded" in window.statusBar().currentMessage(), timeout=20000)
    assert window.session.genome is None
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(data_dir / "gui_tiny.fa", data_dir / "gui_tiny.gff3")
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not window.loading, timeout=10000)
    assert not [t for t in window.session.tracks.values() if getattr(t, "source_path", "")]


def test_a_track_given_as_the_genome_on_the_command_line_opens_as_a_track(qtbot, window, make_window,
                                                                                    tmp_path):
    """rev18a: 24ae183 sent a track chosen in File ▸ Open genome… to Open track, but `genoview gui track.bedGraph`
    goes to open_genome itself: 'unrecognised file: it starts with 'chrEx\\t0\\t111...''."""
    path = write_bedgraph(tmp_path / "given.bedGraph", [("chrA", 0, 10, 0.4)], header=False)
    with qtbot.waitSignal(window.track_file_opened, timeout=10000):
        window.open_genome(path)
    assert window.session.genome.path.endswith("gui_tiny.fa") and "given.bedGraph @ chrA" in window.session.tracks
    alone = make_window()
    alone.interactive = False
    with qtbot.waitSignal(alone.load_failed, timeout=10000) as failed:
        alone.open_genome(path)
    assert "given.bedGraph is a track: open its genome first" in failed.args[0]


def test_each_end_of_a_log_probability_range_is_labelled_on_the_axis(qtbot, window, tmp_path):
    """rev18a: a log-probability track (-6.9 to -0.0001) showed its bottom label only: '-0.0001' was wider than the
    34 px axis and pyqtgraph leaves out a label that does not fit (no sign of it)."""
    from PySide6.QtGui import QImage, QPainter

    path = write_bedgraph(tmp_path / "logp.bedGraph", [("chrB", 0, 300, -6.908), ("chrB", 300, 600, -0.0001)])
    open_track(qtbot, window, path)
    window.session.set_sequence("chrB")
    plot = window.view.track_plots[track_key(str(path), "chrB")]
    qtbot.waitUntil(lambda: plot.getAxis("left").width() > 0 and plot.height() > 40, timeout=5000)
    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = plot.getAxis("left").generateDrawSpecs(painter)
    finally:
        painter.end()
    drawn = [text for _, _, text in texts]
    assert drawn[0] == "-6.9" and len(drawn) == 2, drawn   # both ends: the top one is ~0 or -1e-4, as fits
    assert drawn[1] in ("~0", "-1e-4")
