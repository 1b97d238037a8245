"""Issue 13, item by item: track list and colours, asking before tracks go, session files, start screen and actions,
messages in words, the go-to box, the toolbar at 1024 x 700, the Predict dialog's memory, Help > About."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QColorDialog, QDialog
from PySide6.QtGui import QColor

from genoview.core.errors import GenoViewInputError
from genoview.gui import session_file
from genoview.gui.dialogs.files import one_line, user_message
from genoview.gui.dialogs.predict import PredictDialog
from genoview.gui.genome_view.colors import TRACK_COLORS, track_color
from genoview.gui.panels.tracks import TrackListPanel
from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.settings import Settings


@pytest.fixture
def window(make_window, errors):
    return make_window(Settings(), size=(1200, 700))


def open_example(qtbot, window, annotation=True):
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION if annotation else None)
    window.view.flush()


def add_track(session, key, label, value=0.3, seqid="chrEx", color=None):
    values = np.full(session.genome.sequences[seqid].length, np.nan, dtype=np.float32)
    values[:5000] = value
    track = ProbabilityTrack(key, label, seqid, values, model_name=label)
    if color:
        track.color = color
    session.add_track(track)
    return track


# --- item 4: tracks ---------------------------------------------------------------------------------
def test_track_colours_belong_to_the_model_not_the_order():
    alone = track_color("prodigal")
    assert track_color("prodigal", [track_color("genecnn-ecoli")]) in (alone, *TRACK_COLORS)
    assert track_color("prodigal", ["#000000"]) == alone   # other tracks' colours do not move it
    taken = track_color("prodigal", [alone])
    assert taken != alone   # a clash takes the next free colour


def test_track_list_hides_reorders_renames_recolours_and_removes(qtbot, window, monkeypatch):
    open_example(qtbot, window)
    session = window.session
    add_track(session, "a", "model A")
    add_track(session, "b", "model B")
    panel = TrackListPanel(session, window)
    panel.ask_before_removing = False
    view = window.view
    assert [panel.list.item(i).text() for i in range(2)] == ["model A", "model B"]
    assert list(view.track_plots) == ["a", "b"]
    # hide and show
    panel.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert list(view.track_plots) == ["b"] and not session.tracks["a"].visible
    panel.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert list(view.track_plots) == ["a", "b"]
    # reorder
    panel.list.setCurrentRow(1)
    panel.move_current(-1)
    assert list(session.tracks) == ["b", "a"] and list(view.track_plots) == ["b", "a"]
    assert panel.list.item(0).text() == "model B"
    # rename: the row label follows
    panel.list.item(0).setText("Prodigal")
    assert session.tracks["b"].label == "Prodigal"
    assert "Prodigal" in view._labels[view.track_plots["b"]].text
    # colour
    panel.list.setCurrentRow(0)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    panel.choose_color()
    assert session.tracks["b"].color == "#123456"
    assert view.track_plots["b"].columns.color.name() == "#123456"
    # remove
    panel.remove_current()
    assert list(session.tracks) == ["a"] and list(view.track_plots) == ["a"] and panel.list.count() == 1


def test_another_genome_asks_before_dropping_tracks_and_never_raises(qtbot, window, monkeypatch, data_dir):
    open_example(qtbot, window)
    add_track(window.session, "a", "model A")
    asked = []
    monkeypatch.setattr(window, "ask_closing_tracks", lambda count: asked.append(count) or "cancel")
    window.open_genome(data_dir / "gui_tiny.fa")
    assert asked == [1] and window.session.genome.path.endswith("example.fa") and "a" in window.session.tracks
    monkeypatch.setattr(window, "ask_closing_tracks", lambda count: "close")
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(data_dir / "gui_tiny.fa")   # other sequence names: the KeyError of issue 13
    window.view.flush()
    assert window.session.seqid == "chrA" and not window.session.tracks and not window.view.track_plots


# --- sessions ------------------------------------------------------------------------------------------
def test_session_file_round_trip_and_clear_errors(qtbot, window, tmp_path):
    open_example(qtbot, window)
    track = add_track(window.session, "prodigal @ chrEx", "prodigal", color="#9467bd")
    track.visible = False
    window.session.set_region(100, 900)
    path = tmp_path / "s.genoview.json"
    assert window.save_session(path)
    state = session_file.read_session(path)
    assert state.genome.endswith("example.fa") and state.annotation.endswith("example.gff3")
    assert state.region == (100, 900) and state.seqid == "chrEx"
    assert state.tracks[0].ranges == [(0, 5000)] and state.tracks[0].color == "#9467bd" and not state.tracks[0].visible
    data = json.loads(path.read_text())
    data["genome"] = {"path": str(tmp_path / "gone.fa"), "relative": "gone.fa"}
    path.write_text(json.dumps(data))
    with pytest.raises(GenoViewInputError, match="not there any more"):
        session_file.read_session(path)
    path.write_text("not json")
    with pytest.raises(GenoViewInputError, match="not a GenoView session"):
        session_file.read_session(path)


# --- item 7: first start ----------------------------------------------------------------------------
def test_start_page_until_a_genome_and_actions_follow(qtbot, window):
    assert window.central.currentWidget() is window.start_page
    assert not window.zoom_in_action.isEnabled() and not window.go_to_box.isEnabled()
    assert not window.recent_menu.isEnabled()
    window.start_page.example_button.click()
    qtbot.waitUntil(lambda: window.session.genome is not None, timeout=20000)
    assert window.central.currentWidget() is window.view and window.zoom_in_action.isEnabled()
    assert window.recent_menu.isEnabled() and "example.fa + example.gff3" in window.recent_menu.actions()[0].text()
    assert window.start_page.recent_list.count() == 1


def test_about_names_versions_and_device(qtbot, window):
    text = window.about_text()
    for name in ("GenoView", "Python", "Qt", "PySide6", "pyqtgraph", "PyTorch", "Models run on"):
        assert name in text


def test_predict_dialog_remembers_a_browsed_model_folder(qtbot, window, tmp_path, monkeypatch):
    open_example(qtbot, window)
    folder = tmp_path / "my-model"
    folder.mkdir()
    dialog = PredictDialog(window, window.session, window.settings)
    qtbot.addWidget(dialog)
    dialog.add_model_folder(str(folder))
    dialog._accept_if_valid()
    assert window.settings.default_model == str(folder)
    again = PredictDialog(window, window.session, window.settings)
    qtbot.addWidget(again)
    assert again.model_combo.currentData() == str(folder)


# --- item 8: layout -----------------------------------------------------------------------------------
def test_toolbar_keeps_zoom_and_predict_visible_at_1024_by_700(qtbot):
    from genoview.app import create_main_window

    window = create_main_window(Settings())
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    toolbar = window.toolbar
    for action in (window.predict_action, window.zoom_in_action, window.zoom_out_action, window.zoom_box_action):
        button = toolbar.widgetForAction(action)
        assert button is not None and button.isVisible(), action.text()
        assert toolbar.rect().contains(button.geometry()), action.text()


def test_gene_rows_fit_the_view(qtbot, window):
    open_example(qtbot, window)
    view = window.view
    add_track(window.session, "a", "model A")
    window.go_to("chrEx:1-2000")
    view.flush()
    rows = view.feature_item.rows_in_view(*view.visible_range())
    assert view._feature_rows == max(1, rows)
    genes = view.feature_plot.sceneBoundingRect()
    first_track = view.track_plots["a"].sceneBoundingRect()
    assert first_track.top() - genes.bottom() < 12   # no empty band between the gene rows and the first track
    add_track(window.session, "b", "model B")
    view.flush()
    a, b = view.track_plots["a"].sceneBoundingRect(), view.track_plots["b"].sceneBoundingRect()
    assert b.top() - a.bottom() < 12   # nor between tracks (a label allowed to grow made rows taller than plots)


# --- item 9: messages and the go-to box ---------------------------------------------------------------
def test_binary_file_message_is_short_and_in_words(qtbot, window, errors, tmp_path):
    binary = tmp_path / "renamed.fa"
    binary.write_bytes(bytes(range(256)) * 40)
    with qtbot.waitSignal(window.load_failed, timeout=20000):
        window.open_genome(binary)
    title, text = errors[0]
    assert "\\x" not in text and len(max(text.splitlines(), key=len)) <= 300
    assert "\\x" not in window.statusBar().currentMessage() and len(window.statusBar().currentMessage()) <= 120


def test_python_error_texts_are_reworded():
    assert user_message("[Errno 2] No such file or directory: '/data/x.fa'") == \
        "the file /data/x.fa does not exist (moved, renamed or deleted?)"
    assert "permission denied" in user_message("cannot read: [Errno 13] Permission denied: '/x'")
    assert len(one_line("a" * 500)) == 120


def test_go_to_offers_choices_clears_errors_and_follows_the_view(qtbot, window):
    open_example(qtbot, window)
    offered = []
    window.go_to_box.ambiguous.connect(lambda text, names: offered.append(names))
    region = window.session.region
    assert not window.go_to("abc")   # abcA, abcB, ... : a list to choose from, no silent jump
    assert window.session.region == region and len(offered[0]) > 1 and "abcA" in offered[0]
    assert "genes start with 'abc'" in window.statusBar().currentMessage()
    assert not window.go_to("nonsense-gene")
    assert "nonsense-gene" in window.statusBar().currentMessage()
    assert window.go_to("abcA")
    message = window.statusBar().currentMessage()
    assert "nonsense-gene" not in message   # the old error is gone; the example genome has three abcA: which was taken
    assert message.startswith("3 genes are named abcA: took EX_0001")
    window.view.pan_right()
    window.view.flush()
    start, end = window.session.region
    assert window.go_to_box.text() == f"chrEx:{start + 1:,}-{end:,}"


def test_right_click_on_a_track_label_opens_its_menu(qtbot, window, monkeypatch):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QInputDialog

    open_example(qtbot, window)
    add_track(window.session, "a", "model A")
    panel = TrackListPanel(window.session, window)
    asked = []
    window.view.track_menu_requested.connect(lambda key, position: asked.append(key))
    label = window.view._labels[window.view.track_plots["a"]]
    event = type("Click", (), {"button": lambda self: Qt.MouseButton.RightButton, "accept": lambda self: None,
                               "screenPos": lambda self: QPoint(5, 5).toPointF()})()
    label.mouseClickEvent(event)
    assert asked == ["a"]
    menu = panel.track_menu("a")
    assert [action.text() for action in menu.actions()] == ["Hide", "Rename…", "Colour…", "Move up", "Move down",
                                                             "Remove…"]
    menu.deleteLater()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Renamed", True))
    panel.rename_current()
    assert window.session.tracks["a"].label == "Renamed"


def test_dropping_a_session_file_reopens_it(qtbot, window, tmp_path):
    open_example(qtbot, window)
    window.session.set_region(2000, 3000)
    path = tmp_path / "dropped.genoview.json"
    assert window.save_session(path)
    window.session.set_genome(None)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_paths([str(path)])
    window.view.flush()
    assert window.session.region == (2000, 3000) and window.session.genome.annotation_path.endswith("example.gff3")


def test_go_to_box_with_focus_follows_the_view_until_the_user_types(qtbot, window):
    open_example(qtbot, window)
    box = window.go_to_box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    window.go_to("abcA")
    assert box.text().startswith("chrEx:")   # the found place, not the typed name
    qtbot.keyClicks(box, "xyz")
    window.view.pan_right()
    window.view.flush()
    assert box.text().endswith("xyz")   # what the user is typing is left alone
