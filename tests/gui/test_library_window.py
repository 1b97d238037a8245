"""The model library window: listing, search and sort, details, import (validated), export, rename, delete with
confirmation (never a shipped model), predict and fine-tune requests, and the Models menu of the main window."""
from __future__ import annotations

import shutil
import zipfile

import pytest
from PySide6.QtCore import Qt

from genoview import paths
from genoview.gui.library import COLUMNS, LibraryWindow

SHIPPED = paths.SHIPPED_MODELS_DIR / "genecnn-ecoli"


@pytest.fixture
def hf_folder(tmp_path):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    folder = tmp_path / "from-the-hub"
    shutil.copytree(SHIPPED, folder)
    return folder


@pytest.fixture
def library(qtbot):
    window = LibraryWindow()
    window.quiet = True
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.loaded, timeout=60000)
    return window


def names(window) -> list[str]:
    return [window.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(window.proxy.rowCount())]


def test_lists_searches_sorts_and_shows_details(qtbot, library):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model not present")
    assert {"genecnn-ecoli", "prodigal"} <= set(names(library))
    library.search.setText("kmer")
    assert "kmer-bert-ecoli" in names(library) and all("kmer" in n for n in names(library))
    library.search.setText("kmer-bert gene-probability")     # every word must match
    assert "kmer-bert-ecoli" in names(library) and "genecnn-ecoli" not in names(library)
    library.search.setText("")
    mcc = COLUMNS.index("Test MCC")
    library.table.sortByColumn(mcc, Qt.SortOrder.DescendingOrder)
    values = [library.proxy.index(r, mcc).data(Qt.ItemDataRole.UserRole + 1) for r in range(library.proxy.rowCount())]
    assert values == sorted(values, reverse=True)
    assert library.select("genecnn-ecoli")
    qtbot.waitUntil(lambda: "genecnn-ecoli" in library.card.toPlainText(), timeout=30000)
    assert '"window": 12000' in library.spec_text.toPlainText()
    assert library.metrics_table.columnCount() >= 2 and library.curves.eval_steps
    assert library.predict_action.isEnabled() and library.fine_tune_action.isEnabled()
    assert not library.delete_action.isEnabled() and not library.rename_action.isEnabled()
    requested = []
    library.predict_requested.connect(requested.append)
    library.fine_tune_requested.connect(requested.append)
    library.predict_action.trigger()
    library.fine_tune_action.trigger()
    assert requested == ["genecnn-ecoli", "genecnn-ecoli"]


def test_import_export_rename_delete(qtbot, library, hf_folder, tmp_path):
    library.import_folder(str(hf_folder), "imported")
    qtbot.waitUntil(lambda: "imported" in names(library), timeout=60000)
    assert library.select("imported") and library.delete_action.isEnabled()
    library.export_to("imported", str(tmp_path / "imported.zip"))
    qtbot.waitUntil(lambda: (tmp_path / "imported.zip").exists() and "Exported" in library.message.text(),
                    timeout=30000)
    with zipfile.ZipFile(tmp_path / "imported.zip") as zf:
        assert "imported/model.safetensors" in zf.namelist()
    library.ask_name = lambda *args: "renamed"
    library.select("imported")
    library.rename_dialog()
    qtbot.waitUntil(lambda: "renamed" in names(library) and "imported" not in names(library), timeout=30000)
    asked = []
    library.confirm = lambda title, text: asked.append(text) or False
    library.select("renamed")
    library.delete_dialog()
    assert asked and "cannot be undone" in asked[0] and (paths.model_library_dir() / "renamed").is_dir()
    library.confirm = lambda title, text: True
    library.delete_dialog()
    qtbot.waitUntil(lambda: "renamed" not in names(library), timeout=30000)
    assert not (paths.model_library_dir() / "renamed").exists()


def test_a_pickle_only_folder_is_refused_with_the_reason(qtbot, library, hf_folder):
    (hf_folder / "model.safetensors").rename(hf_folder / "pytorch_model.bin")
    library.import_folder(str(hf_folder), "pickled")
    qtbot.waitUntil(lambda: "failed" in library.message.text(), timeout=30000)
    assert "pickle" in library.message.text() and "run any code" in library.message.text()
    assert "pickled" not in names(library)


def test_shipped_models_cannot_be_deleted_even_when_asked(qtbot, library):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model not present")
    library.delete("genecnn-ecoli")
    qtbot.waitUntil(lambda: "failed" in library.message.text(), timeout=30000)
    assert "shipped" in library.message.text() and SHIPPED.is_dir()


def test_models_menu_in_the_main_window_opens_library_and_wizard(qtbot):
    from genoview.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Models" in titles and titles.index("&Models") < titles.index("&Help")
    library = window.open_model_library()
    library.quiet = True
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    wizard = window.open_training_wizard({"init_from": "genecnn-ecoli"} if SHIPPED.is_dir() else {})
    wizard.ask_before_closing = False
    if SHIPPED.is_dir():
        assert wizard.model_page.init_from() == "genecnn-ecoli"
    library.predict_requested.emit("genecnn-ecoli")   # no genome open: said, not crashed
    assert "Open a genome" in library.message.text()
    wizard.reject()
    library.close()
    window.close()


def test_a_newly_trained_model_is_shown_in_the_library_and_evaluated_on_the_open_genome(qtbot, data_dir):
    """What the wizard's model_trained does in the main window: library refreshed on the model, a prediction
    with it on the open genome, and the evaluation panel shown."""
    if not SHIPPED.is_dir():
        pytest.skip("shipped model not present")
    from genoview.app import create_main_window

    window = create_main_window()
    window.interactive = False
    window.remember_layout = False
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.genome_loaded, timeout=60000):
        window.open_genome(data_dir / "gui_tiny.fa", data_dir / "gui_tiny.gff3", confirm=False)
    library = window.open_model_library()
    library.quiet = True
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    wizard = window.open_training_wizard({})
    wizard.ask_before_closing = False
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        wizard.model_trained.emit(str(SHIPPED), "genecnn-ecoli")   # as if it had just been trained
    assert "genecnn-ecoli @ chrA" in window.session.tracks and window.evaluation_panel.isVisible()
    panel = window.evaluation_panel
    assert panel._current_track() is not None and panel._current_track().key == "genecnn-ecoli @ chrA"
    qtbot.waitUntil(lambda: library.loaded and library.selected() is not None, timeout=60000)
    assert library.selected().name == "genecnn-ecoli"
    wizard.reject()
    library.close()
    window.close()
