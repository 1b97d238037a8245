"""After File ▸ Open genome (a FASTA alone), the annotation beside it is named in the status bar and preselected in
File ▸ Open annotation: a newcomer otherwise went hunting for it."""
from __future__ import annotations

import shutil
from pathlib import Path

from genoview.gui.dialogs import files as file_dialogs
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.settings import Settings


def test_suggest_annotation_by_stem_or_the_only_one(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    for name in ("GCF_1_genomic.fna.gz", "GCF_1_genomic.gff.gz", "GCF_2_genomic.gff.gz", "notes.txt"):
        (a / name).write_text("")
    assert file_dialogs.suggest_annotation(a / "GCF_1_genomic.fna.gz") == str(a / "GCF_1_genomic.gff.gz")
    b = tmp_path / "b"
    b.mkdir()
    (b / "genome.fna.gz").write_text("")
    (b / "annotation.gff3.gz").write_text("")
    assert file_dialogs.suggest_annotation(b / "genome.fna.gz") == str(b / "annotation.gff3.gz")
    (b / "other.gtf").write_text("")   # two candidates, no stem match: no guess
    assert file_dialogs.suggest_annotation(b / "genome.fna.gz") is None
    assert file_dialogs.suggest_annotation(None) is None


def test_open_genome_names_the_annotation_and_the_chooser_preselects_it(qtbot, tmp_path, monkeypatch, open_example_window):
    shutil.copy(EXAMPLE_GENOME, tmp_path / "genome.fa")
    shutil.copy(EXAMPLE_ANNOTATION, tmp_path / "annotation.gff3")
    window = open_example_window(tmp_path / "genome.fa")
    message = window.statusBar().currentMessage()
    assert "Ctrl+Shift+O" in message and "annotation.gff3" in message
    assert "Open annotation" in window.view.feature_item.empty_hint   # and the empty Genes row says how
    asked = []
    monkeypatch.setattr(file_dialogs, "choose_annotation", lambda parent, directory: asked.append(directory))
    window.choose_annotation()
    assert asked == [str(tmp_path / "annotation.gff3")]
    assert Path(asked[0]).is_file()
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_annotation(asked[0])
    assert window.view.feature_item.features   # the hint is drawn only while the row is empty


def test_several_genome_fna_files_are_told_apart_in_title_and_recent(qtbot, tmp_path):
    from genoview.app import create_main_window

    for folder in ("staph", "hflu"):
        (tmp_path / folder).mkdir()
        shutil.copy(EXAMPLE_GENOME, tmp_path / folder / "genome.fa")
    window = create_main_window(Settings())
    window.interactive = False
    window.remember_layout = False
    qtbot.addWidget(window)
    for folder in ("staph", "hflu"):
        with qtbot.waitSignal(window.genome_loaded, timeout=20000):
            window.open_genome(tmp_path / folder / "genome.fa", confirm=False)
    assert window.windowTitle().startswith("hflu/genome.fa")
    texts = [a.text() for a in window.recent_menu.actions()]
    assert "hflu/genome.fa" in texts[0] and "staph/genome.fa" in texts[1]
    assert window.start_page.recent_list.item(1).text().startswith("staph/genome.fa")
