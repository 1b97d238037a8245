"""Models ▸ Adapt to this genome and an earlier adaptation's `.NAME.partial` folder: one whose writer still runs is
refused naming it; one whose writer ended is named, and removed only when the user says so (the CLI's message
spoke of `rm -r` and --overwrite, which a window user cannot pass)."""
from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtWidgets import QMessageBox

from genoview.core import store as store_module
from genoview.core.training.runner import OWNER_FILE, work_dir_for
from genoview.gui.dialogs.adapt import start_adaptation
from genoview.paths import model_library_dir


def _leftover(name: str, pid: int):
    work = work_dir_for(model_library_dir() / name)
    work.mkdir(parents=True)
    (work / OWNER_FILE).write_text(json.dumps({"pid": pid, "host": store_module.HOST,
                                               "proc_start": store_module._proc_start(pid),
                                               "started": "2026-11-30T12:00:00+00:00"}))
    (work / "model.safetensors").write_bytes(b"half")
    return work


def test_a_running_adaptation_is_named_and_a_dead_ones_leftover_is_asked_about(qtbot, open_example_window,
                                                                                 monkeypatch):
    window = open_example_window()
    errors = []
    monkeypatch.setattr(window, "report_error", lambda title, text: errors.append(text))
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _leftover("geneorf-live", sleeper.pid)
        assert start_adaptation(window, "geneorf-bacteria", "geneorf-live") is None
        assert f"Another adaptation to geneorf-live is running (process {sleeper.pid}, started 2026-11-30" in errors[-1]
    finally:
        sleeper.kill()
        sleeper.wait()

    elsewhere = _leftover("geneorf-node", 4242)   # another machine's writer: counted live, with how to clear it
    record = json.loads((elsewhere / OWNER_FILE).read_text())
    (elsewhere / OWNER_FILE).write_text(json.dumps({**record, "host": "node-elsewhere"}))
    assert start_adaptation(window, "geneorf-bacteria", "geneorf-node") is None
    assert "is running (process 4242 on node-elsewhere, started 2026-11-30" in errors[-1]
    assert f"If that machine's process has ended, delete {elsewhere} and adapt again." in errors[-1]
    assert elsewhere.is_dir()

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    work = _leftover("geneorf-left", ended.pid)
    assert start_adaptation(window, "geneorf-bacteria", "geneorf-left") is None   # not interactive: not removed
    assert "ended before it finished" in errors[-1] and "Remove that folder" in errors[-1] and work.is_dir()

    window.interactive = True
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.runner.finished, timeout=120000):
        assert start_adaptation(window, "geneorf-bacteria", "geneorf-left", offer_prediction=lambda n: False)
    assert f"(process {ended.pid}, started 2026-11-30T12:00:00+00:00) ended before it finished" in asked[0]
    assert not work.exists() and (model_library_dir() / "geneorf-left" / "config.json").is_file()
