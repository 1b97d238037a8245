"""H-ux7: a genome of File ▸ Open recent that was moved said "file not found; check the path" every time it was
chosen, and stayed in the list. The window now asks where it is now, opens it from there and puts the new place in
the list instead of the old one."""
from __future__ import annotations

import shutil

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_a_moved_recent_genome_is_found_and_replaces_its_entry(qtbot, tmp_path, open_example_window, monkeypatch):
    genome = tmp_path / "before" / "example.fa"
    genome.parent.mkdir()
    shutil.copy(EXAMPLE_GENOME, genome)
    window = open_example_window(genome, EXAMPLE_ANNOTATION)
    old = window.settings.recent_files[0]
    assert old == str(genome.resolve())
    moved = tmp_path / "after" / "example.fa"
    moved.parent.mkdir()
    shutil.move(genome, moved)
    asked = []
    monkeypatch.setattr(window, "locate_missing", lambda what, saved, message: asked.append(saved) or str(moved))
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.recent_menu.actions()[0].trigger()
    assert asked == [old]
    assert window.session.genome.path == str(moved) and len(window.session.genome.features) > 0   # its annotation too
    assert window.settings.recent_files[0] == str(moved.resolve()) and old not in window.settings.recent_files
    assert window.loading == 0


def test_not_found_it_is_the_error_as_before(qtbot, tmp_path, open_example_window, monkeypatch):
    genome = tmp_path / "example.fa"
    shutil.copy(EXAMPLE_GENOME, genome)
    window = open_example_window(genome)
    genome.unlink()
    monkeypatch.setattr(window, "locate_missing", lambda *args: None)
    with qtbot.waitSignal(window.load_failed, timeout=20000) as failed:
        window.recent_menu.actions()[0].trigger()
    assert "file not found" in failed.args[0] and window.loading == 0


def test_a_moved_recent_annotation_is_found_or_the_genome_opens_alone(qtbot, tmp_path, open_example_window,
                                                                       monkeypatch):
    annotation = tmp_path / "before" / "example.gff3"
    annotation.parent.mkdir()
    shutil.copy(EXAMPLE_ANNOTATION, annotation)
    window = open_example_window(EXAMPLE_GENOME, annotation)
    moved = tmp_path / "after.gff3"
    shutil.move(annotation, moved)
    monkeypatch.setattr(window, "locate_missing", lambda what, saved, message: str(moved) if what == "annotation"
                        else None)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.recent_menu.actions()[0].trigger()
    assert window.session.genome.annotation_path == str(moved)
    moved.unlink()   # gone for good: the genome opens alone and the status bar says why
    monkeypatch.setattr(window, "locate_missing", lambda *args: None)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.recent_menu.actions()[0].trigger()
    assert window.session.genome.path == str(EXAMPLE_GENOME) and not window.session.genome.features
    assert "after.gff3 is not there any more: the genome opened alone" in window.statusBar().currentMessage()
    assert window.loading == 0
