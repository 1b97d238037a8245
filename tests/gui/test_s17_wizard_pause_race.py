"""The paused-status race (session 16 review): Pause kills the child, and the window then wrote "paused" over the run's
record, and called the run paused, even when the child had ended on its own just before the kill landed (its own
"finished", or its own "failed" with the reason). The run's own final status now wins, in the store (one conditional
UPDATE, Store.close_killed_run) and in the window (a normal exit is the child's own outcome; only a killed child is
"paused" or "cancelled")."""
from __future__ import annotations

import os
import sys

from genoview.core.store import DEAD_PROCESS_MESSAGE, open_store
from genoview.gui.wizard.process import TrainingProcess, mark_killed_run


def test_the_runs_own_final_status_wins_over_the_windows_paused(qapp):
    store = open_store()
    own_failure = store.start_run("train", "failed-by-itself", {})
    store.finish_run(own_failure, "failed", message="CUDA out of memory")
    assert mark_killed_run(os.getpid(), "paused", "paused in the training wizard") is None
    finished = store.start_run("train", "finished-by-itself", {})
    store.finish_run(finished, "finished", message="600 steps")
    assert mark_killed_run(os.getpid(), "paused", "paused in the training wizard") is None
    killed = store.start_run("train", "killed", {})
    store.finish_run(killed, "failed", message=DEAD_PROCESS_MESSAGE)   # recover()'s mark of the dead child
    assert mark_killed_run(os.getpid(), "paused", "paused in the training wizard") == killed
    status = {run["id"]: (run["status"], run["message"]) for run in store.runs(kind="train")}
    assert status[own_failure] == ("failed", "CUDA out of memory")
    assert status[finished] == ("finished", "600 steps")
    assert status[killed] == ("paused", "paused in the training wizard")
    assert store.close_killed_run(finished, "cancelled") is False


def _ended_while_pausing(qtbot, tmp_path, script: str) -> tuple[list, list]:
    process = TrainingProcess()
    ended, recorded = [], []
    process.ended.connect(lambda outcome, code: ended.append((outcome, code)))
    process._record_killed_run = lambda status, message: recorded.append(status)
    process.start_command(sys.executable, ["-c", script], tmp_path / "out", json_events=True)
    process._pausing = True   # Pause clicked while the child was ending on its own (the kill lands on no process)
    qtbot.waitUntil(lambda: bool(ended), timeout=20000)
    return ended, recorded


def test_a_child_that_finished_before_the_pause_is_finished(qtbot, tmp_path):
    ended, recorded = _ended_while_pausing(qtbot, tmp_path, 'print(\'{"event": "done"}\')')
    assert ended == [("finished", 0)] and recorded == []


def test_a_child_that_failed_before_the_pause_is_failed(qtbot, tmp_path):
    ended, recorded = _ended_while_pausing(qtbot, tmp_path, "import sys; sys.exit(2)")
    assert ended == [("failed", 2)] and recorded == []
