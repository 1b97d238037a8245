"""Reopening a session, then failing to open another file, leaves no stale one-shot slot behind (PySide printed
"Failed to disconnect ... restore" on every later failure), and a session whose genome moved says so."""
from __future__ import annotations

import json
import warnings

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_reopen_then_fail_leaves_no_stale_slot(qtbot, tmp_path, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    path = tmp_path / "s.genoview.json"
    assert window.save_session(path)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        assert window.open_session(path)
    bad = tmp_path / "bad.fa"
    bad.write_text("not a genome\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a RuntimeWarning from a stale disconnect fails the test
        with qtbot.waitSignal(window.load_failed, timeout=20000):
            window.open_genome(bad, confirm=False)
    state = json.loads(path.read_text())
    state["genome"] = {"path": str(tmp_path / "moved" / "example.fa")}
    state.pop("annotation", None)
    moved = tmp_path / "moved.genoview.json"
    moved.write_text(json.dumps(state))
    messages = []
    window.load_failed.connect(messages.append)
    assert not window.open_session(moved)
    assert messages and "not there any more" in messages[0] and "find it" in messages[0]
