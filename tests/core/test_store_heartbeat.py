"""Run heartbeats: a run of another host (a cluster node sharing GENOVIEW_HOME) that stopped showing progress is
shown lost, with its host and last-seen time, never deleted; this host's runs are still judged by their pid."""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
import sqlite_utils

from genoview.cli import main
from genoview.core import store as store_module
from genoview.core.errors import GenoViewInputError
from genoview.core.store import MIGRATIONS, SCHEMA_VERSION, Store


def _ago(minutes: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(minutes=minutes)).isoformat(timespec="seconds")


def _set(db_path, run_id: int, **fields) -> None:
    with sqlite3.connect(db_path) as conn:
        for key, value in fields.items():
            conn.execute(f"UPDATE runs SET {key} = ? WHERE id = ?", [value, run_id])
    conn.close()


def _status(store: Store) -> dict[int, str]:
    return {row["id"]: row["status"] for row in store.runs()}


@pytest.fixture
def two_hosts(tmp_path, monkeypatch):
    """One database shared by node-a and node-b; ``as_host(name)`` makes this process that node."""
    db_path = tmp_path / "genoview.db"

    def as_host(name: str) -> Store:
        monkeypatch.setattr(store_module, "HOST", name)
        return Store(db_path)
    return db_path, as_host


def test_another_hosts_silent_run_is_lost_with_its_host_and_last_seen_time(two_hosts, monkeypatch):
    db_path, as_host = two_hosts
    node_a = as_host("node-a")
    silent = node_a.start_run("train", "my-cnn", {})
    beating = node_a.start_run("train", "other-cnn", {})
    finished = node_a.start_run("prediction", "geneorf-bacteria", {})
    node_a.finish_run(finished, "finished")
    _set(db_path, silent, heartbeat=_ago(20), pid=999_999_999)   # node-a died 20 minutes ago
    _set(db_path, beating, heartbeat=_ago(2), pid=999_999_998)
    _set(db_path, finished, heartbeat=_ago(60))

    node_b = as_host("node-b")   # opening the store on node-b marks nothing of node-a's failed
    rows = {row["id"]: row for row in node_b.runs()}
    assert rows[silent]["status"] == "lost" and rows[beating]["status"] == "running"
    assert rows[finished]["status"] == "finished"
    assert "node-a" in rows[silent]["message"] and rows[silent]["last_seen"] in rows[silent]["message"]
    assert rows[silent]["last_seen"] == rows[silent]["heartbeat"]

    monkeypatch.setenv("GENOVIEW_LOST_AFTER_MIN", "30")   # a longer limit: still running
    assert _status(node_b)[silent] == "running"
    monkeypatch.setenv("GENOVIEW_LOST_AFTER_MIN", "soon")
    with pytest.raises(GenoViewInputError, match="GENOVIEW_LOST_AFTER_MIN"):
        node_b.runs()
    monkeypatch.delenv("GENOVIEW_LOST_AFTER_MIN")

    with sqlite3.connect(db_path) as conn:   # nothing was written: the row stays as node-a left it
        assert conn.execute("SELECT status FROM runs WHERE id = ?", [silent]).fetchone()[0] == "running"
    conn.close()
    _set(db_path, silent, heartbeat=_ago(0))   # a node only cut off comes back: running again
    assert _status(node_b)[silent] == "running"


def test_this_hosts_runs_are_judged_by_their_process_not_their_heartbeat(two_hosts):
    db_path, as_host = two_hosts
    node_a = as_host("node-a")
    alive = node_a.start_run("train", "m", {})   # this very process: alive
    _set(db_path, alive, heartbeat=_ago(120))
    assert _status(node_a)[alive] == "running"
    dead = node_a.start_run("train", "m2", {})
    _set(db_path, dead, pid=999_999_999)
    assert _status(as_host("node-a"))[dead] == "failed"   # the next start on node-a: failed, as before


def test_heartbeat_is_throttled_and_written_through_progress_callbacks(two_hosts):
    db_path, as_host = two_hosts
    node_a = as_host("node-a")
    run_id = node_a.start_run("train", "m", {})
    _set(db_path, run_id, heartbeat=_ago(20))
    assert node_a.heartbeat(run_id) is False          # just started: beat at most every HEARTBEAT_EVERY_S
    heard = []
    beat = node_a.beating(run_id, lambda fraction, message=None: heard.append(fraction))
    node_a._beats[run_id] -= store_module.HEARTBEAT_EVERY_S   # 30 s later
    beat(0.5, "training")
    assert heard == [0.5]
    row = next(r for r in node_a.runs() if r["id"] == run_id)
    assert datetime.fromisoformat(row["heartbeat"]) > datetime.now(timezone.utc) - timedelta(minutes=1)
    node_a.finish_run(run_id, "finished")
    assert node_a.heartbeat(run_id, force=True) is True   # a closed run's row is not touched
    assert _status(node_a)[run_id] == "finished"
    assert node_a.heartbeat(None) is False


def test_prediction_runs_beat_as_their_tiles_come(two_hosts, monkeypatch, data_dir):
    from genoview.core.genome import open_genome
    from genoview.core.prediction import PredictionRequest, predict, run_to_end

    beats = []
    monkeypatch.setattr(store_module.Store, "heartbeat",
                        lambda self, run_id, force=False: beats.append(run_id) or False)
    genome = open_genome(data_dir / "engine_tiny.fa")
    result = run_to_end(predict(PredictionRequest(genome=genome, model="prodigal", use_cache=False)))
    assert result.run_id is not None and set(beats) == {result.run_id}


def test_older_database_gains_the_heartbeat_and_its_runs_show_their_start(tmp_path, monkeypatch):
    db_path = tmp_path / "v5.db"
    conn = sqlite3.connect(db_path)
    db = sqlite_utils.Database(conn)
    for migration in MIGRATIONS[:5]:
        migration(db)
    conn.execute("PRAGMA user_version = 5")
    conn.execute("INSERT INTO runs (kind, model, params, status, started, pid, host) "
                 f"VALUES ('train', 'old', '{{}}', 'running', '{_ago(90)}', 1, 'node-a')")
    conn.commit()
    conn.close()
    monkeypatch.setattr(store_module, "HOST", "node-b")
    store = Store(db_path)
    assert store.schema_version() == SCHEMA_VERSION >= 6
    row = store.runs()[0]
    assert row["heartbeat"] is None and row["last_seen"] == row["started"] and row["status"] == "lost"


def test_genoview_runs_lists_lost_runs_with_host_and_last_seen(monkeypatch, capsys):
    store = store_module.open_store()
    run_id = store.start_run("train", "my-cnn", {})
    seen = _ago(40)
    _set(store.path, run_id, host="node-a", heartbeat=seen)
    assert main(["runs"]) == 0
    out = capsys.readouterr().out
    assert "lost" in out and "node-a" in out and f"run {run_id}: no sign of progress from node-a since {seen}" in out
    assert main(["runs", "--status", "running"]) == 0
    assert "no runs recorded that match" in capsys.readouterr().out
    assert main(["runs", "--kind", "train", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["status"] == "lost" and rows[0]["host"] == "node-a" and rows[0]["last_seen"] == seen
