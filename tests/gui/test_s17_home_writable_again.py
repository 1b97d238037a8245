"""A GENOVIEW_HOME read-only when the window opened and made writable while it runs (session 16 review): the window
kept its "Not recorded" mark, and nothing was recorded, until a restart. The store now asks again at the next write
attempt (one rolled-back write), records the run, and core's record that clears the mark takes it away."""
from __future__ import annotations

import sqlite3

from genoview.core import store as store_module
from genoview.core.store import open_store
from genoview.gui.predict_controller import PredictController
from tests.gui.test_predict import fake_models  # noqa: F401 (a fixture)


def test_the_not_recorded_mark_goes_when_the_home_can_be_written_again(qtbot, make_window, session, fake_models,
                                                                        read_only_home, monkeypatch):
    real_connect = sqlite3.connect
    read_only_home()
    window = make_window()
    controller = PredictController(session, window.runner)
    with qtbot.waitSignal(controller.finished, timeout=20000):
        controller.predict("fake", ["chrA"])
    qtbot.waitUntil(lambda: window.warning_label.isVisible())
    assert "Not recorded" in window.warning_label.text()
    before = len(open_store().runs())

    monkeypatch.setattr(store_module.sqlite3, "connect", real_connect)   # chmod u+w, as the user did
    cleared = []
    window.core_warning_cleared.connect(lambda text, mark: cleared.append((text, mark)))
    with qtbot.waitSignal(controller.finished, timeout=20000):
        controller.predict("fake", ["chrB"])
    qtbot.waitUntil(lambda: not window.warning_label.isVisible())
    assert cleared and cleared[0][1] == "Not recorded or cached" and "again" in cleared[0][0]
    assert "recorded and predictions cached again" in window.statusBar().currentMessage()
    runs = open_store().runs()
    assert len(runs) == before + 1 and runs[0]["status"] == "finished"


def test_a_store_found_unwritable_is_asked_again_at_the_next_attempt(monkeypatch):
    answers = iter(["read-only", None])
    memo = store_module._WritableMemo()
    monkeypatch.setattr(store_module, "WRITABLE_RECHECK_S", 60.0)
    assert memo.ask(lambda: next(answers)) == "read-only"
    assert memo.ask(lambda: next(answers)) is None    # asked again: writable now
    assert memo.ask(lambda: "never asked") is None    # writable: taken so for a minute
