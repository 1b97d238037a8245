"""A draft genome of many contigs: the cache entries of its contigs are recorded in the store together (one commit,
an fsync, per contig made a 2,000-contig draft take 20-43 s instead of 10-11 s), and every entry is there after the
run, also after a cancel part-way."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from genoview.core import store as store_module
from genoview.core.errors import Cancelled
from genoview.core.genome import open_genome
from genoview.core.jobs import CancelToken
from genoview.core.models.base import TrackModel
from genoview.core.prediction import CacheSaved, Done, PredictionRequest, predict
from genoview.core.store import open_store

CONTIGS = 40


class GC(TrackModel):
    name, context, chunk_size, default_batch_size = "gc-draft", 4, 500, 4

    def __init__(self):
        self.info, self.device = {"version": "1"}, "cpu"

    def predict_chunk(self, codes):
        centre = codes[:, self.context:-self.context]
        return np.where((centre == 1) | (centre == 2), 0.9, 0.1).astype(np.float32)


@pytest.fixture
def draft(tmp_path):
    rng = np.random.default_rng(5)
    fasta = tmp_path / "draft.fa"
    fasta.write_text("".join(f">c{i}\n{''.join(rng.choice(list('ACGT'), size=300 + 7 * i))}\n"
                             for i in range(CONTIGS)))
    return fasta


@pytest.fixture
def commits(monkeypatch):
    """How many transactions the store commits (each one an fsync of genoview.db and its journal)."""
    count = [0]

    def traced(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.set_trace_callback(lambda sql: count.__setitem__(0, count[0] + sql.strip().upper().startswith("COMMIT")))
        return conn

    real = sqlite3.connect
    monkeypatch.setattr(store_module.sqlite3, "connect", traced)
    return count


def test_a_drafts_cache_entries_are_recorded_together(draft, commits):
    open_store()
    with open_genome(draft) as genome:
        before = commits[0]
        events = list(predict(PredictionRequest(genome, GC())))
    assert commits[0] - before < 10, f"{commits[0] - before} store commits for {CONTIGS} contigs"
    assert isinstance(events[-1], Done) and not any(events[-1].result.from_cache)
    assert sorted(e.seqid for e in events if isinstance(e, CacheSaved)) == sorted(f"c{i}" for i in range(CONTIGS))
    with open_store().connect() as db:
        assert db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == CONTIGS
    with open_genome(draft) as genome:   # all from the cache now
        again = list(predict(PredictionRequest(genome, GC())))
    assert all(again[-1].result.from_cache)


def test_entries_made_before_a_cancel_stay_recorded(draft):
    open_store()
    cancel = CancelToken()
    with open_genome(draft) as genome:
        saved = 0
        with pytest.raises(Cancelled):
            for event in predict(PredictionRequest(genome, GC()), cancel):
                if event.__class__.__name__ == "Tile" and event.seqid == "c25":
                    cancel.cancel()
    with open_store().connect() as db:
        saved = db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0]
    assert saved == 25   # c0 .. c24 complete, c25 cancelled part-way
    assert not [p for p in open_store().cache_dir.iterdir() if "genoview-tmp" in p.name]
    assert open_store().runs("prediction")[0]["status"] == "cancelled"


def test_an_entry_in_place_but_not_yet_recorded_is_taken_back_at_the_next_start(tmp_path):
    """kill -9 between an entry's rename into place and its record (up to a second of a draft's contigs)."""
    from genoview.core.store import Store

    store = Store(tmp_path / "genoview.db")
    writer = store.cache_writer("k" * 64, 10, "c1", 0, 10, "m")
    writer.write(np.arange(10, dtype=np.uint16))
    writer.commit(register=False)   # the process dies here
    assert store.open_cached("k" * 64) is None
    again = Store(tmp_path / "genoview.db")
    assert again.open_cached("k" * 64).read(0, 10).tolist() == list(range(10))
