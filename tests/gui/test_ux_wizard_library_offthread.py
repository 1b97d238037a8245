"""Models > Train a model… reads the model library (every folder's config, genoview.json, card and size) on a worker,
not on the GUI thread while the wizard is made; the Run page's two plots are made when first used."""
from __future__ import annotations

import threading

import genoview.core.library as library


def _record_threads(monkeypatch) -> list[bool]:
    read_on = []
    real = library.library_rows

    def library_rows():
        read_on.append(threading.current_thread() is threading.main_thread())
        return real()

    monkeypatch.setattr(library, "library_rows", library_rows)
    return read_on


def test_the_wizard_reads_the_library_off_the_gui_thread(qtbot, open_example_window, monkeypatch):
    window = open_example_window()
    read_on = _record_threads(monkeypatch)
    wizard = window.open_training_wizard({})
    wizard.ask_before_closing = False
    page = wizard.model_page
    assert not page.loaded and "Reading the model library" in page.note.text()
    assert wizard.run_page._curves is None   # the live curves' plots wait for the Run page
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert read_on == [False]
    shipped = [page.shipped_combo.itemData(i) for i in range(page.shipped_combo.count())]
    assert "geneorf-bacteria" in shipped and page.source() == "shipped" and "Reading" not in page.note.text()
    assert read_on == [False]   # asking the page afterwards reads nothing more
    assert wizard.run_page.curves is wizard.run_page.curves   # made once, on first use
    wizard.reject()


def test_a_prefilled_fine_tune_waits_for_the_rows(qtbot, open_example_window, monkeypatch):
    window = open_example_window()
    read_on = _record_threads(monkeypatch)
    wizard = window.open_training_wizard({"init_from": "geneorf-bacteria"})
    wizard.ask_before_closing = False
    page = wizard.model_page
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert read_on == [False]
    assert page.source() == "shipped" and page.init_from() == "geneorf-bacteria" and page.architecture() == "geneorf"
    wizard.reject()


def test_a_failed_read_is_said_on_the_page(qtbot, open_example_window, monkeypatch):
    window = open_example_window()

    def broken():
        raise OSError("models folder unreadable")

    monkeypatch.setattr(library, "library_rows", broken)
    wizard = window.open_training_wizard({})
    wizard.ask_before_closing = False
    page = wizard.model_page
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert "unreadable" in page.note.text() and page.source() == "scratch"   # training from scratch still works
    wizard.reject()
