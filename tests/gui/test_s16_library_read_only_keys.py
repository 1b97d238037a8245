"""Delete (and F2) on a shipped or built-in model did nothing in the model library: its greyed action ignores the key
and only the toolbar tooltip said why (session 16 walk). The key now says why on the message line (shipped models are
read-only; Export zip… and Import zip… make a copy of your own; the search box keeps it out of sight), nothing is
deleted, and a right click on a row lists the actions, the greyed ones with their reason as tooltip."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from genoview import paths
from genoview.gui.library import LibraryWindow

SHIPPED = paths.SHIPPED_MODELS_DIR / "genecnn-ecoli"


@pytest.fixture
def library(qtbot):
    window = LibraryWindow()
    window.quiet = True
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.loaded, timeout=60000)
    return window


def test_delete_and_f2_on_a_shipped_model_say_why_and_touch_nothing(qtbot, library):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    asked = []
    library.confirm = lambda *a: asked.append(a) or True
    assert library.select("genecnn-ecoli")
    library.table.setFocus()
    qtbot.keyClick(library.table, Qt.Key.Key_Delete)
    said = library.message.text()
    assert "genecnn-ecoli is a shipped model" in said and "read-only" in said and "cannot be deleted" in said
    assert "Export zip" in said and "Import zip" in said and "search box" in said
    assert not asked and SHIPPED.is_dir()
    qtbot.keyClick(library.table, Qt.Key.Key_F2)
    assert "cannot be renamed" in library.message.text()
    assert library.select("prodigal")
    qtbot.keyClick(library.table, Qt.Key.Key_Delete)
    assert "prodigal is built into GenoView and cannot be deleted" in library.message.text()


def test_the_right_click_menu_lists_the_actions_with_the_reason_of_greyed_ones(qtbot, library):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    assert library.select("genecnn-ecoli")
    rect = library.table.visualRect(library.table.selectionModel().selectedRows()[0])
    library.table.customContextMenuRequested.emit(rect.center())
    menu = library._menu
    actions = {a.text(): a for a in menu.actions() if not a.isSeparator()}
    wanted = {"Predict with this model", "Fine-tune from this model…", "Export zip…", "Rename…", "Delete…"}
    assert wanted <= set(actions)
    assert actions["Predict with this model"].isEnabled() and not actions["Delete…"].isEnabled()
    assert "cannot be deleted" in actions["Delete…"].toolTip() and menu.toolTipsVisible()
    menu.close()
