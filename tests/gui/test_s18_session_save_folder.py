"""File ▸ Save session… opened in the folder the genome was opened from (H-walk18: E. coli opened from the shared data
folder put the session file beside it, a folder not the user's to write); it now opens where exports go (the last
export's folder, else Documents or home), and the folder chosen is where the next export or session goes."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from genoview.gui import export


def test_save_session_opens_where_exports_go_not_the_genomes_folder(qtbot, open_example_window, monkeypatch, tmp_path):
    export._export_folder.clear()
    window = open_example_window()
    genomes = tmp_path / "shared-data"
    genomes.mkdir()
    window.settings.last_directory = str(genomes)   # the genome was opened from there
    mine = tmp_path / "my-sessions"
    mine.mkdir()
    asked = []

    def fake(parent, title, default, filters, *rest, **kwargs):
        asked.append(default)
        return str(mine / "ecoli.genoview.json"), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    try:
        assert window.choose_session_file_to_save()
        assert Path(asked[0]).parent != genomes
        assert (mine / "ecoli.genoview.json").exists()
        assert export.export_folder(window) == str(mine)   # the next export (or session) opens there
        assert window.choose_session_file_to_save()
        assert os.path.dirname(asked[1]) == str(mine)
    finally:
        export._export_folder.clear()
