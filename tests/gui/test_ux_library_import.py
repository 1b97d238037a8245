"""Importing a copy of a shipped model: the name offered is free (it offered the model's recorded name, e.g.
geneorf-bacteria, and the import then refused it as taken)."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from genoview.gui.library import LibraryWindow, free_name
from genoview.paths import SHIPPED_MODELS_DIR, model_library_dir

SHIPPED = SHIPPED_MODELS_DIR / "geneorf-bacteria"


def test_free_name_skips_taken_names():
    (model_library_dir() / "mine").mkdir()
    assert free_name("geneorf-bacteria", "mine", "elsewhere") == "elsewhere"
    assert free_name("prodigal", "mine") == "prodigal-2"          # built-in and library names are taken
    assert free_name(None, "") == "model"


def test_import_of_a_shipped_copy_offers_a_name_that_imports(qtbot, tmp_path):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model geneorf-bacteria not present")
    folder = tmp_path / "geneorf-bacteria"   # the folder's name is taken as well
    shutil.copytree(SHIPPED, folder)
    library = LibraryWindow()
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    offered = []
    library.ask_name = lambda title, label, text: offered.append(text) or text   # the user accepts the default
    library.import_folder(str(folder))
    qtbot.waitUntil(lambda: "Imported" in library.message.text() or "failed" in library.message.text(),
                    timeout=60000)
    assert offered == ["geneorf-bacteria-2"] and "Imported geneorf-bacteria-2" in library.message.text()
    qtbot.waitUntil(lambda: "geneorf-bacteria-2" in [library.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1)
                                                     for r in range(library.proxy.rowCount())], timeout=30000)


def test_metrics_say_what_they_mean_and_empty_curves_say_why(qtbot):
    from genoview.gui.library import metric_help

    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    library._fill_metrics({"test": {"mcc": 0.87, "stop_precision": 0.9, "peak_mib": 600.0}})
    table = library.metrics_table
    tips = [table.verticalHeaderItem(r).toolTip() for r in range(table.rowCount())]
    assert all(tips) and "-1 to 1" in tips[0] and "stop codon" in tips[1] and "MiB" in tips[2]
    assert "never trained" in table.horizontalHeaderItem(0).toolTip()
    assert [table.verticalHeaderItem(r).text() for r in range(3)] == ["MCC", "stop precision", "peak memory (MiB)"]
    assert metric_help("no_such_key") == ""
    library.curves.load_history([])
    assert library.curves.empty_note.isVisibleTo(library.curves) and "No training curves" in library.curves.empty_note.text()
    library.curves.load_history([{"step": 5, "loss": 0.3}])
    assert not library.curves.empty_note.isVisibleTo(library.curves)


def test_greyed_out_library_buttons_say_why(qtbot):
    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    names = [library.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(library.proxy.rowCount())]
    if "prodigal" in names:
        library.select("prodigal")
        assert not library.fine_tune_action.isEnabled() and "built in" in library.fine_tune_action.toolTip()
        assert not library.export_action.isEnabled() and "no folder" in library.export_action.toolTip()
    language = [n for n in names if n.startswith(("kn-", "lstm-", "gpt-"))]
    if language:
        library.select(language[0])
        assert not library.predict_action.isEnabled() and "Real vs mutated" in library.predict_action.toolTip()


def test_library_columns_say_what_they_hold(qtbot):
    from genoview.gui.library import COLUMNS, LibraryModel

    model = LibraryModel()
    tips = {name: model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            for i, name in enumerate(COLUMNS)}
    assert "-1 to 1" in tips["Test MCC"] and "chance" in tips["Test ROC AUC"] and "fine-tuned" in tips["Parent"]


def test_metrics_recorded_genome_by_genome_get_a_column_each(qtbot):
    """geneorf-bacteria records its held-out figures per genome and their mean beside them: its "held out" column
    was empty (the values were dicts) and the mean was not shown."""
    from genoview.gui.library import metric_columns

    metrics = {"test": {"mcc": 0.9388}, "held_out": {"g_1": {"mcc": 0.88, "stop_precision": 0.92}, "g2": {"mcc": 0.69}},
               "held_out_mean_mcc": 0.844, "measured_with": "a command"}
    assert [name for name, _ in metric_columns(metrics)] == ["test", "held_out: g_1", "held_out: g2", "summary"]
    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    library._fill_metrics(metrics)
    table = library.metrics_table
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    assert heads == ["test", "held out:\ng_1", "held out:\ng2", "summary"]
    assert table.item(rows.index("MCC"), 1).text() == "0.8800" and table.item(rows.index("MCC"), 2).text() == "0.6900"
    assert table.item(rows.index("held out mean mcc"), 3).text() == "0.8440"
    assert "held out from training" in table.horizontalHeaderItem(1).toolTip()
