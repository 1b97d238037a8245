"""The window's lasting mark says what a GENOVIEW_HOME that cannot be written costs: a database (nothing recorded or
cached) or a cache folder alone (runs recorded, predictions not cached), from core's one warning (session 16)."""
from __future__ import annotations

from genoview.core import store as store_module
from genoview.core.store import open_store


def test_a_cache_folder_alone_marks_the_window_not_cached(qtbot, make_window, monkeypatch):
    store = open_store()
    window = make_window()
    monkeypatch.setattr(store, "cache_unwritable", lambda: f"{store.cache_dir}: the prediction cache folder cannot "
                                                           "be written (Permission denied)")
    monkeypatch.setattr(store_module, "_warned_unwritable", {})
    assert store_module.writable_or_warn(store) and not store_module.writable_or_warn(store, cache=True)
    qtbot.waitUntil(lambda: window.warning_label.isVisible())
    assert window.warning_label.text() == "⚠ Not cached"
    assert window.warning_label.toolTip().startswith("predictions are not cached:")
    assert "runs are recorded" in window.warning_label.toolTip()
