"""Store.unwritable (the database) and Store.cache_unwritable (the cache folder) share one memo (_WritableMemo):
found writable, it is asked again only after WRITABLE_RECHECK_S (a disk that fills); found unwritable, it is asked
again at the next attempt (a home made writable while GenoView runs, 5f0ede4). Session 16's review found the two
kept separate copies of that rule."""
from __future__ import annotations

from genoview.core import store as store_module
from genoview.core.store import Store


def test_each_answer_is_remembered_and_a_writable_one_asked_again_after_the_interval(tmp_path, monkeypatch):
    store = Store(tmp_path / "genoview.db")
    now = [1000.0]
    monkeypatch.setattr(store_module.time, "monotonic", lambda: now[0])
    asked = {"database": 0, "cache": 0}
    answers = {"database": None, "cache": None}

    def probe(which):
        def ask():
            asked[which] += 1
            return answers[which]
        return ask
    monkeypatch.setattr(store, "_database_unwritable_now", probe("database"))
    monkeypatch.setattr(store, "_cache_unwritable_now", probe("cache"))

    assert store.cache_unwritable() is None and asked == {"database": 1, "cache": 1}
    assert store.cache_unwritable() is None and asked == {"database": 1, "cache": 1}   # within the interval
    answers["cache"] = "the cache folder is full"
    assert store.cache_unwritable() is None   # a writable answer is kept for the interval
    now[0] += store_module.WRITABLE_RECHECK_S + 1
    assert store.cache_unwritable() == "the cache folder is full" and asked == {"database": 2, "cache": 2}
    assert store.cache_unwritable() == "the cache folder is full" and asked == {"database": 2, "cache": 3}
    answers["cache"] = None   # freed again: an unwritable answer is asked again at once
    assert store.cache_unwritable() is None and asked == {"database": 2, "cache": 4}
    assert store.unwritable() is None   # the cache folder alone does not stop recording runs
    answers["database"] = "genoview.db: read-only"
    now[0] += store_module.WRITABLE_RECHECK_S + 1
    assert store.unwritable() == store.cache_unwritable() == "genoview.db: read-only"   # the database's reason first
    answers["database"] = None
    assert store.unwritable() is None

def test_a_real_writable_home_is_writable(tmp_path):
    store = Store(tmp_path / "genoview.db")
    assert store.unwritable() is None and store.cache_unwritable() is None
    assert (tmp_path / "cache").is_dir() and not list((tmp_path / "cache").iterdir())   # the probe file is gone
