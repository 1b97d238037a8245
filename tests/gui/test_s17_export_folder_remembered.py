"""Export dialogs opened in the genome's own folder (H-walk, session 17: for shared data not the user's to write).
They now open in the last export's folder, remembered in the settings between runs, else Documents or home; never
the genome's folder unless the user chose it for an export."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from genoview.gui import export
from genoview.settings import Settings, load_settings, save_settings


def test_exports_open_in_the_remembered_folder_not_the_genomes(qtbot, tmp_path, monkeypatch):
    export._export_folder.clear()
    asked = []
    chosen = tmp_path / "my-results"
    chosen.mkdir()

    def fake(parent, title, default, filters, *rest, **kwargs):
        asked.append(default)
        return str(chosen / "roc.png"), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    window = QWidget()
    qtbot.addWidget(window)
    genomes = tmp_path / "shared" / "data"
    genomes.mkdir(parents=True)
    window.settings = Settings(last_directory=str(genomes))   # a genome opened from the shared data folder
    try:
        export.ask_save_path(window, "Export plot", "roc.png", "PNG image (*.png)")
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        first = Path(asked[-1]).parent
        assert first != genomes and first in (Path(documents), Path.home())
        assert window.settings.last_export_directory == str(chosen)
        save_settings(window.settings)   # as the window does when it closes
        export._export_folder.clear()   # the next run
        window.settings = load_settings()
        assert window.settings.last_export_directory == str(chosen)
        export.ask_save_path(window, "Export plot", "pr.png", "PNG image (*.png)")
        assert asked[-1] == os.path.join(chosen, "pr.png")
        chosen.rename(tmp_path / "gone")   # a remembered folder since removed: not offered
        export._export_folder.clear()
        assert Path(export.export_folder(window)) in (Path(documents), Path.home())
    finally:
        export._export_folder.clear()


def test_a_remembered_folder_made_read_only_is_passed_over(qtbot, tmp_path, monkeypatch):
    """rev18a: a folder the last export went to, since read-only (or an export that failed there: Permission denied),
    was offered again by every export dialog, in this run and the next (it is remembered in the settings)."""
    export._export_folder.clear()
    shut = tmp_path / "read-only"
    shut.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if Path(path) == shut
                        else real_access(path, mode, *a, **k))   # as a read-only mount answers (root ignores chmod)
    window = QWidget()
    qtbot.addWidget(window)
    window.settings = Settings(last_export_directory=str(shut))
    try:
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        assert Path(export.export_folder(window)) in (Path(documents), Path.home())
        export.remember_export_folder(window, str(shut / "roc.png"))   # this run's last export went there
        assert Path(export.export_folder(window)) in (Path(documents), Path.home())
        writable = tmp_path / "mine"
        writable.mkdir()
        export.remember_export_folder(window, str(writable / "roc.png"))
        assert export.export_folder(window) == str(writable)
    finally:
        export._export_folder.clear()
