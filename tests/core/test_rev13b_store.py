"""Review of the store's session-13 changes (rev13b): the cache limit never removes what a run still reads, an
entry larger than the limit does not empty the cache, start-up's clean-up on a read-only store, and start-up's
adoption of a file without its record leaves a live process's record alone."""
from __future__ import annotations

import os
import subprocess
import time

import numpy as np

from genoview.core import prediction as prediction_module
from genoview.core import store as store_module
from genoview.core.genome import open_genome
from genoview.core.models.base import TrackModel
from genoview.core.prediction import Done, PredictionRequest, predict
from genoview.core.store import Store, open_store



def entry_bytes(values: int) -> int:
    """What a cache entry of ``values`` values takes on this disk (the size limit counts allocated blocks)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "e.npy"
        np.save(path, np.zeros(values, dtype=np.uint16))
        return store_module.disk_bytes(path)


ENTRY = entry_bytes(1000)


class GC(TrackModel):
    name, context, chunk_size, default_batch_size = "gc-rev13b", 4, 500, 4

    def __init__(self):
        self.info, self.device = {"version": "1"}, "cpu"

    def predict_chunk(self, codes):
        centre = codes[:, self.context:-self.context]
        return np.where((centre == 1) | (centre == 2), 0.9, 0.1).astype(np.float32)


def test_a_runs_own_cached_region_is_not_trimmed_before_it_is_read(tmp_path, monkeypatch):
    """predict opens its cached regions first and reads them in order; recording a region it computed trimmed the
    cache sparing only that entry, so a cached region opened over an hour before (a long run) was deleted unread
    and the run failed."""
    rng = np.random.default_rng(3)
    fasta = tmp_path / "two.fa"
    fasta.write_text("".join(f">c{i}\n{''.join(rng.choice(list('ACGT'), size=3000))}\n" for i in range(2)))
    open_store()
    with open_genome(fasta) as genome:   # c1 cached by an earlier run
        list(predict(PredictionRequest(genome, GC(), regions=[("c1", 0, 3000)])))
    monkeypatch.setenv("GENOVIEW_CACHE_GB", str(1.5 * entry_bytes(3000) / 1e9))   # room for one 3 kb entry and a half
    monkeypatch.setattr(prediction_module, "RECORD_EVERY_S", 0.0)
    real = Store.register_predictions

    def an_hour_later(self, entries, *args, **kwargs):   # c0 took over an hour: c1 was opened that long ago
        for path in self.cache_dir.glob("*.npy"):
            os.utime(path, (time.time() - 7200, time.time() - 7200))
        return real(self, entries, *args, **kwargs)

    monkeypatch.setattr(Store, "register_predictions", an_hour_later)
    with open_genome(fasta) as genome:
        events = list(predict(PredictionRequest(genome, GC(), bedgraph=str(tmp_path / "t.bedGraph"))))
    assert isinstance(events[-1], Done) and events[-1].result.from_cache == [False, True]
    assert {line.split()[0] for line in (tmp_path / "t.bedGraph").read_text().splitlines()
            if not line.startswith("track")} == {"c0", "c1"}


def test_an_entry_larger_than_the_limit_does_not_empty_the_cache(tmp_path, monkeypatch):
    """One entry over the whole limit pushed out every other entry at each record and left the cache over it."""
    store = Store(tmp_path / "genoview.db")
    monkeypatch.setenv("GENOVIEW_CACHE_GB", str(3 * ENTRY / 1e9))
    for i in range(2):
        store.save_prediction(f"k{i}", np.zeros(1000, dtype=np.float32))
        os.utime(store.cache_dir / f"k{i}.npy", (time.time() - 7200, time.time() - 7200))
    store.save_prediction("big", np.zeros(10_000, dtype=np.float32))   # 20 kB against a limit of three 1 kB entries
    assert {p.stem for p in store.cache_dir.glob("*.npy")} == {"k0", "k1"}
    assert store.open_cached("big") is None and store.open_cached("k0") is not None
    with store.connect() as db:
        assert db.execute("SELECT SUM(size_bytes) FROM predictions").fetchone()[0] == 2 * ENTRY


def test_a_read_only_store_opens_with_a_dead_run_and_a_missing_cache_file(tmp_path, monkeypatch,
                                                                         read_only_database):
    """Start-up's clean-up writes (a dead process's run marked failed, a record whose file is gone dropped): on a
    GENOVIEW_HOME mounted read-only they made `genoview models` fail; they wait for a writable start."""
    db = tmp_path / "genoview.db"
    store = Store(db)
    run_id = store.start_run("prediction", "m", {})
    gone = subprocess.Popen(["true"])
    gone.wait()
    with store.connect() as conn, conn.conn:
        conn.execute("UPDATE runs SET pid = ?, proc_start = NULL WHERE id = ?", [gone.pid, run_id])
    store.save_prediction("k0", np.zeros(1000, dtype=np.float32))
    (store.cache_dir / "k0.npy").unlink()
    read_only_database()
    read_only = Store(db)
    assert read_only.library_models() == [] and read_only.runs()[0]["status"] == "running"
    monkeypatch.undo()
    again = Store(db)   # writable again: the clean-up happens
    assert again.runs()[0]["status"] == "failed" and again.open_cached("k0") is None


def test_adopting_a_file_leaves_the_record_its_live_process_just_wrote(tmp_path, monkeypatch):
    """A draft's entries are renamed into place and recorded up to a second later; another process starting then
    took the file as one without a record and replaced the live process's record with a blank one."""
    db = tmp_path / "genoview.db"
    live = Store(db)
    writer = live.cache_writer("k" * 64, 10, "chr7", 100, 110, "geneorf")
    writer.write(np.arange(10, dtype=np.uint16))
    writer.commit(register=False)
    real = store_module.CachedTrack

    def checked_while_the_live_process_records(path):   # the live process records between the scan and adoption
        if path.name == writer.final.name:
            live.register_predictions([writer.entry])
        return real(path)

    monkeypatch.setattr(store_module, "CachedTrack", checked_while_the_live_process_records)
    Store(db)
    monkeypatch.undo()
    with live.connect() as conn:
        row = conn.execute("SELECT seqid, start, \"end\", model FROM predictions").fetchall()
    assert row == [("chr7", 100, 110, "geneorf")]


def test_another_processs_size_limit_spares_a_cached_region_a_long_run_has_still_to_read(tmp_path, monkeypatch):
    """A region computed for over an hour before a cached one is read: another process's trim (the batch next to
    it) removed that entry, unused for an hour, and the run failed at its end; the run marks them used meanwhile."""
    rng = np.random.default_rng(4)
    fasta = tmp_path / "two.fa"
    fasta.write_text("".join(f">c{i}\n{''.join(rng.choice(list('ACGT'), size=3000))}\n" for i in range(2)))
    home = open_store()
    with open_genome(fasta) as genome:
        list(predict(PredictionRequest(genome, GC(), regions=[("c1", 0, 3000)], batch_size=1)))
    monkeypatch.setenv("GENOVIEW_CACHE_GB", str(0.5 * entry_bytes(3000) / 1e9))   # c1 alone is over it
    monkeypatch.setattr(prediction_module, "RENEW_EVERY_S", 0.0, raising=False)
    calls = [0]

    real = GC.predict_chunk

    def slow(self, codes):
        calls[0] += 1
        if calls[0] == 1:   # an hour and more passes while c0 is computed
            for path in home.cache_dir.glob("*.npy"):
                os.utime(path, (time.time() - 7200, time.time() - 7200))
        if calls[0] == 3:   # the other process records an entry: its size limit trims
            Store(home.path).trim_cache()
        return real(self, codes)

    monkeypatch.setattr(GC, "predict_chunk", slow)
    with open_genome(fasta) as genome:
        events = list(predict(PredictionRequest(genome, GC(), batch_size=1,
                                                bedgraph=str(tmp_path / "t.bedGraph"))))
    assert calls[0] >= 3 and events[-1].result.from_cache == [False, True]


def test_the_limit_counts_what_entries_take_on_disk(tmp_path):
    """A draft's 1 kb contigs are 2.1 kB files that take a 4 kB block each (a quota counts blocks): counting file
    sizes let the cache fill twice its limit."""
    store = Store(tmp_path / "genoview.db")
    store.save_prediction("k0", np.zeros(1000, dtype=np.float32))
    info = (store.cache_dir / "k0.npy").stat()
    with store.connect() as db:
        recorded = db.execute("SELECT size_bytes FROM predictions").fetchone()[0]
    assert recorded == (info.st_blocks * 512 or info.st_size)
