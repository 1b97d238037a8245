"""A run the wizard pauses or cancels is recorded as paused or cancelled, not failed: walked under Xvfb (session 16),
`genoview runs` and the library's Training runs tab listed both as "failed" (the killed child's row stayed "running"
until the next start marked it so)."""
from __future__ import annotations

import os

from genoview.core.store import open_store
from genoview.gui.wizard.process import TrainingProcess, mark_killed_run


def test_a_paused_or_cancelled_child_run_is_recorded_so(qapp):
    store = open_store()
    paused = store.start_run("train", "paused-model", {})
    assert mark_killed_run(os.getpid(), "paused", "paused in the training wizard") == paused
    cancelled = store.start_run("train", "cancelled-model", {})
    assert mark_killed_run(os.getpid(), "cancelled", "cancelled in the training wizard") == cancelled
    status = {run["id"]: (run["status"], run["message"]) for run in store.runs(kind="train")}
    assert status[paused] == ("paused", "paused in the training wizard")
    assert status[cancelled] == ("cancelled", "cancelled in the training wizard")
    assert mark_killed_run(os.getpid() + 1_000_000, "paused", "x") is None   # another process's run: untouched


def test_the_child_pid_is_kept_for_the_record(qtbot, tmp_path):
    import sys

    process = TrainingProcess()
    ended = []
    process.ended.connect(lambda outcome, code: ended.append(outcome))
    process.start_command(sys.executable, ["-c", "import time; time.sleep(30)"], tmp_path / "out")
    qtbot.waitUntil(lambda: process.child_pid > 0, timeout=10000)
    recorded = []
    process._record_killed_run = lambda status, message: recorded.append(status)
    process.pause()
    qtbot.waitUntil(lambda: bool(ended), timeout=10000)
    assert ended == ["paused"] and recorded == ["paused"]
