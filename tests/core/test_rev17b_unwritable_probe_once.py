"""writable_or_warn on a store found unwritable asks the database once per call, and not under the store lock.

Since 5f0ede4 an unwritable answer is asked again at every attempt (one rolled-back write); writable_or_warn then asked
``store.unwritable()`` a second time to choose its mark, inside ``_stores_lock``, which every ``open_store()`` takes
(the window's model lists on the GUI thread included): a probe that waits on another process's lock (up to
GENOVIEW_DB_TIMEOUT) held them all. Session 17 review."""
from __future__ import annotations

from genoview.core import store as store_module
from genoview.core.store import NOT_CACHED_MARK, NOT_RECORDED_MARK, Store


def test_one_probe_per_call_outside_the_lock_and_the_right_mark(tmp_path, monkeypatch):
    store = Store(tmp_path / "genoview.db")
    monkeypatch.setattr(store_module, "_warned_unwritable", {})
    asked = []
    answer = {"database": "genoview.db: read-only", "cache": None}

    def database_probe():
        asked.append(store_module._stores_lock.locked())
        return answer["database"]
    monkeypatch.setattr(store, "_database_unwritable_now", database_probe)
    monkeypatch.setattr(store, "_cache_unwritable_now", lambda: answer["cache"])

    assert store_module.writable_or_warn(store) is False
    assert asked == [False]   # one rolled-back write, the lock free
    assert store_module.writable_or_warn(store, cache=True) is False
    assert asked == [False, False]
    assert set(store_module._warned_unwritable.values()) == {NOT_RECORDED_MARK}

    answer.update(database=None, cache="cache: Permission denied")   # the database writable again, the cache not
    assert store_module.writable_or_warn(store) is True
    assert store_module.writable_or_warn(store, cache=True) is False
    assert store_module._warned_unwritable == {(store.path, "cache: Permission denied"): NOT_CACHED_MARK}
