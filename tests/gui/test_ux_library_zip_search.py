"""Model library: Import zip… brings back what Export zip… wrote (it took folders only), offering the zip's model name
or its file name without ".zip" (a model named "x.zip" came in); the count beside the search says what a search leaves
("19 models" stayed over one row) and, when it leaves none, the names closest to what was typed."""
from __future__ import annotations

import pytest

from genoview.core.library import export_zip
from genoview.core.library import close_names
from genoview.gui.library import LibraryWindow
from genoview.paths import SHIPPED_MODELS_DIR


def _library(qtbot) -> LibraryWindow:
    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    return library


def test_an_exported_zip_imports_back_under_a_free_name(qtbot, tmp_path):
    if not (SHIPPED_MODELS_DIR / "genecnn-ecoli").is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    zip_path = export_zip("genecnn-ecoli", tmp_path / "from-a-colleague.zip")
    library = _library(qtbot)
    assert library.import_zip_action.isEnabled() and "Export zip" in library.import_zip_action.toolTip()
    library.choose_zip_to_import = lambda: str(zip_path)
    offered = []
    library.quiet = False   # the name is asked, as a user sees it
    library.ask_name = lambda title, label, text: offered.append(text) or text
    library.import_zip_action.trigger()
    qtbot.waitUntil(lambda: "Imported" in library.message.text() or "failed" in library.message.text(),
                    timeout=60000)
    # its recorded name (genecnn-ecoli) is the shipped model's: the zip's name without .zip is offered
    assert offered == ["from-a-colleague"] and "Imported from-a-colleague" in library.message.text()
    qtbot.waitUntil(lambda: library.select("from-a-colleague"), timeout=30000)


def test_the_count_says_what_a_search_leaves_and_suggests_names(qtbot):
    library = _library(qtbot)
    total = len(library.model.rows)
    assert library.count_label.text() == f"{total} models"
    library.search.setText("geneorf")
    shown = library.proxy.rowCount()
    assert 0 < shown < total and library.count_label.text() == f"{shown} of {total} models"
    library.search.setText("gnorf-bactria")   # two letters missing: no row, the names meant suggested
    assert library.proxy.rowCount() == 0
    assert library.count_label.text() == "no model matches 'gnorf-bactria'; did you mean geneorf-bacteria?"
    library.search.setText("xqzzy")
    assert library.count_label.text() == "no model matches 'xqzzy'"
    library.search.setText("")
    assert library.count_label.text() == f"{total} models"


def test_close_names_compare_whole_names_and_their_parts():
    names = ["genecnn-ecoli", "geneorf-bacteria", "kmer-bert-ecoli", "prodigal"]
    assert close_names("gencnn", names) == ["genecnn-ecoli"]
    assert close_names("kmerbert", names) == ["kmer-bert-ecoli"]
    assert close_names("prodigl", names) == ["prodigal"]
    assert close_names("xyz", names) == []
