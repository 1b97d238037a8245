"""The store on a server or cluster: a full or read-only disk under GENOVIEW_HOME is one line naming genoview.db,
another node's temporary cache files in a shared GENOVIEW_HOME are left alone, and two processes writing runs and
cache entries at once lose nothing."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from genoview.cli import main
from genoview.core import store as store_module
from genoview.core.errors import GenoViewInputError
from genoview.core.store import Store, temp_name


@pytest.mark.parametrize("said, words", [("database or disk is full", "no space left for the GenoView database"),
                                         ("attempt to write a readonly database", "cannot be written"),
                                         ("disk I/O error", "cannot be read")])
def test_a_full_or_read_only_disk_is_a_message_naming_the_database(tmp_path, said, words):
    store = Store(tmp_path / "genoview.db")
    with pytest.raises(GenoViewInputError) as caught:
        with store.connect():
            raise sqlite3.OperationalError(said)
    assert words in str(caught.value) and "genoview.db" in str(caught.value) and "GENOVIEW_HOME" in str(caught.value)


def test_a_full_database_disk_is_exit_2_in_one_line(tmp_path, monkeypatch, capsys):
    """Seen with GENOVIEW_HOME on a 64 kB disk: sqlite3.OperationalError traceback, exit 1."""
    fasta = tmp_path / "g.fa"
    fasta.write_text(">s\n" + "ACGT" * 500 + "\n")
    real_connect = sqlite3.connect

    class Full(sqlite3.Connection):
        def executemany(self, *args, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_module.sqlite3, "connect", lambda *a, **k: real_connect(*a, factory=Full, **k))
    assert main(["predict", "--model", "prodigal", "--fasta", str(fasta), "--bedgraph", str(tmp_path / "t.bg")]) == 2
    err = capsys.readouterr().err
    assert "genoview.db: no space left for the GenoView database" in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.bg")) and not list(tmp_path.glob(".*tmp"))


def _dead_pid() -> int:
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout)


def test_another_hosts_temporary_cache_file_is_left_to_it(tmp_path):
    """A GENOVIEW_HOME shared by cluster nodes: a node's start-up removed a cache entry another node was writing
    (its pid is not alive here), and that node's prediction then failed at the rename."""
    HOST_TAG = store_module.HOST_TAG
    store = Store(tmp_path / "g.db")
    store.cache_dir.mkdir(parents=True, exist_ok=True)
    pid = _dead_pid()
    other = "f" * 6 if HOST_TAG != "f" * 6 else "e" * 6
    theirs = store.cache_dir / f".k1.npy.{pid}.{other}12345678.genoview-tmp"
    theirs.write_bytes(b"being written on another node")
    stale = store.cache_dir / f".k2.npy.{pid}.{other}87654321.genoview-tmp"
    stale.write_bytes(b"left by a node that died yesterday")
    day_ago = time.time() - store_module.FOREIGN_TEMP_AGE_S - 60
    os.utime(stale, (day_ago, day_ago))
    ours = store.cache_dir / f".k3.npy.{pid}.{HOST_TAG}12345678.genoview-tmp"
    ours.write_bytes(b"left by a dead process of this host")
    Store(tmp_path / "g.db")
    assert theirs.exists() and not stale.exists() and not ours.exists()
    assert HOST_TAG in temp_name(store.cache_dir / "x.npy").name


WRITER = textwrap.dedent('''
    import sys, time
    import numpy as np
    from genoview.core.store import Store
    store, n = Store(sys.argv[1]), 0
    end = time.time() + float(sys.argv[2])
    while time.time() < end:
        run = store.start_run("prediction", "m", {"n": n})
        writer = store.cache_writer(f"k{n % 3}", 500)
        writer.write(np.full(500, n, dtype=np.uint16))
        writer.commit()
        entry = store.open_cached(f"k{(n + 1) % 3}")
        if entry is not None:
            assert entry.length == 500 and len(set(entry.read(0, 500).tolist())) == 1   # never half of two writes
        store.finish_run(run, "finished", {"bases": 500})
        n += 1
    print(n)
''')


def test_two_processes_writing_runs_and_cache_entries_at_once_lose_nothing(tmp_path):
    db = tmp_path / "genoview.db"
    Store(db)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "GENOVIEW_DB_TIMEOUT": "30"}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), "1.5"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in outs]
    made = sum(int(out) for out, _ in outs)
    runs = Store(db).runs("prediction")
    assert made > 0 and len(runs) == made and {r["status"] for r in runs} == {"finished"}
    assert all(len(r["metrics"]) == 1 for r in runs)
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.endswith(".genoview-tmp")]


def test_a_read_only_store_at_the_current_schema_is_read(tmp_path, read_only_database):
    """A GENOVIEW_HOME mounted read-only on compute nodes: `genoview models` said 'attempt to write a readonly
    database' (opening the store always took the write lock to migrate); reading needs no write."""
    db = tmp_path / "genoview.db"
    Store(db).finish_run(Store(db).start_run("prediction", "m", {}), "finished")
    read_only_database()
    store = Store(db)
    assert [r["status"] for r in store.runs()] == ["finished"] and store.library_models() == []
    with pytest.raises(GenoViewInputError, match="cannot be written"):
        store.start_run("prediction", "m", {})


def test_the_cache_keeps_under_its_size_limit_dropping_the_least_recently_used(tmp_path, monkeypatch):
    """A batch over many genomes filled the home folder's quota at 2 bytes a base: the cache has a limit
    ($GENOVIEW_CACHE_GB); entries used within the hour, and the one just made, are never removed for it."""
    store = Store(tmp_path / "genoview.db")
    monkeypatch.setenv("GENOVIEW_CACHE_GB", "0")   # no limit while the entries are made
    for i in range(4):
        store.save_prediction(f"k{i}", np.zeros(1000, dtype=np.float32))   # 2,128 bytes each, a 4 kB block on disk
    old = time.time() - 2 * store_module.RECENTLY_USED_S
    for i, age in ((0, 300), (1, 100), (2, 200)):   # k3 stays recent
        path = store.cache_dir / f"k{i}.npy"
        os.utime(path, (old - age, old - age))
    assert store.open_cached("k0") is not None   # read now: recently used again
    monkeypatch.setenv("GENOVIEW_CACHE_GB", str(5 * store_module.disk_bytes(store.cache_dir / "k3.npy") / 1e9))
    store.save_prediction("k4", np.zeros(1000, dtype=np.float32))   # 5 entries: at the limit, nothing removed
    assert {f"k{i}" for i in range(5)} == {p.stem for p in store.cache_dir.glob("*.npy")}
    store.save_prediction("k5", np.zeros(1000, dtype=np.float32))   # over it: the oldest unused go, to 90 %
    kept = {p.stem for p in store.cache_dir.glob("*.npy")}
    assert kept == {"k0", "k3", "k4", "k5"}
    assert store.open_cached("k2") is None and store.open_cached("k5") is not None
    with store.connect() as db:
        assert db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == len(kept)
