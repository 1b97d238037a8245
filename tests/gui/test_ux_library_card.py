"""A renamed or imported copy of a model shows its card with a line saying under which name the card was written
(the card of 'my-cnn' was titled 'genecnn-ecoli': which model was this?)."""
from __future__ import annotations

import shutil

import pytest

from genoview.gui.library import LibraryWindow, card_for
from genoview.paths import SHIPPED_MODELS_DIR

SHIPPED = SHIPPED_MODELS_DIR / "genecnn-ecoli"


def test_card_for_names_both():
    assert card_for("genecnn-ecoli", "# genecnn-ecoli\n\ntext") == "# genecnn-ecoli\n\ntext"
    shown = card_for("my-cnn", "# genecnn-ecoli\n\ntext")
    assert shown.startswith("*In the library as **my-cnn**") and "called genecnn-ecoli" in shown
    assert card_for("x", "no title") == "no title"


def test_renamed_copy_card_says_its_library_name(qtbot, tmp_path):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    folder = tmp_path / "copy"
    shutil.copytree(SHIPPED, folder)
    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    library.import_folder(str(folder), name="my-cnn")
    qtbot.waitUntil(lambda: "Imported" in library.message.text(), timeout=60000)
    qtbot.waitUntil(lambda: library.select("my-cnn"), timeout=30000)
    qtbot.waitUntil(lambda: "In the library as my-cnn" in library.card.toPlainText(), timeout=30000)
    assert "genecnn-ecoli" in library.card.toPlainText()
