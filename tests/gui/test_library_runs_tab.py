"""The library's Training runs tab: the newest training runs with their machine and last-seen time; a run of
another machine (a cluster node sharing GENOVIEW_HOME) silent for GENOVIEW_LOST_AFTER_MIN minutes shows as lost."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from genoview.core.store import open_store
from genoview.gui.library import RUN_COLUMNS, LibraryWindow


def test_training_runs_tab_shows_lost_runs_with_machine_and_last_seen(qtbot):
    store = open_store()
    finished = store.start_run("train", "my-cnn", {})
    store.finish_run(finished, "finished", message="600 steps")
    lost = store.start_run("train", "node-cnn", {})
    seen = (datetime.now(timezone.utc) - timedelta(minutes=40)).isoformat(timespec="seconds")
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE runs SET host = 'node-a', heartbeat = ? WHERE id = ?", [seen, lost])
    conn.close()
    store.start_run("prediction", "geneorf-bacteria", {})   # not a training run: not listed
    adapted = store.start_run("adapt", "my-adapted", {})   # `genoview adapt` and `train-lm` make models: listed
    store.finish_run(adapted, "finished")
    window = LibraryWindow()
    window.quiet = True
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.loaded and window.runs_loaded, timeout=60000)
    assert window.pages.tabText(1) == "Training runs (1 lost)"
    table = window.runs_table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [row[0] for row in rows] == ["my-adapted", "node-cnn", "my-cnn"]
    status, machine, last_seen, kind = (RUN_COLUMNS.index(c) for c in ("Status", "Machine", "Last seen", "Kind"))
    assert [row[kind] for row in rows] == ["adapt", "train", "train"]
    rows = rows[1:]
    assert rows[0][status] == "lost" and rows[0][machine] == "node-a"
    assert rows[0][last_seen] == seen.replace("T", " ")[:16] + " UTC"
    assert "no sign of progress from node-a" in table.item(1, status).toolTip()
    assert rows[1][status] == "finished"
