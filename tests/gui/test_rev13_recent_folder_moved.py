"""rev13: a recent genome found again after its folder moved (a project folder renamed: genome and annotation moved
together) opened WITHOUT its annotation and said nothing of it. The annotation is looked for at the same place
beside the genome's new place; not there either, the status bar says the genome opened alone."""
from __future__ import annotations

import shutil

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def _moved_project(tmp_path, open_example_window, monkeypatch, keep_annotation):
    project = tmp_path / "project"
    (project / "annotation").mkdir(parents=True)
    genome, annotation = project / "example.fa", project / "annotation" / "example.gff3"
    shutil.copy(EXAMPLE_GENOME, genome)
    shutil.copy(EXAMPLE_ANNOTATION, annotation)
    window = open_example_window(genome, annotation)
    renamed = tmp_path / "project-2026"
    shutil.move(project, renamed)
    if not keep_annotation:
        (renamed / "annotation" / "example.gff3").unlink()
    monkeypatch.setattr(window, "locate_missing", lambda what, saved, message: str(renamed / "example.fa"))
    return window, renamed


def test_the_annotation_moved_with_the_genome_is_found_beside_it(qtbot, tmp_path, open_example_window, monkeypatch):
    window, renamed = _moved_project(tmp_path, open_example_window, monkeypatch, keep_annotation=True)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.recent_menu.actions()[0].trigger()
    assert window.session.genome.path == str(renamed / "example.fa")
    assert window.session.genome.annotation_path == str(renamed / "annotation" / "example.gff3")
    assert len(window.session.genome.features) > 0
    assert window.settings.recent_annotations[window.settings.recent_files[0]] == str(renamed / "annotation"
                                                                                         / "example.gff3")


def test_an_annotation_not_found_is_said(qtbot, tmp_path, open_example_window, monkeypatch):
    window, renamed = _moved_project(tmp_path, open_example_window, monkeypatch, keep_annotation=False)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.recent_menu.actions()[0].trigger()
    assert window.session.genome.path == str(renamed / "example.fa") and window.session.genome.annotation_path is None
    assert "example.gff3 is not there any more: the genome opened alone" in window.statusBar().currentMessage()


def test_the_note_is_not_said_of_a_later_genome(qtbot, tmp_path, open_example_window, monkeypatch):
    """The genome found again fails to open (damaged): the note 'X is not there any more' was then said when the
    next, unrelated genome opened."""
    window, renamed = _moved_project(tmp_path, open_example_window, monkeypatch, keep_annotation=False)
    (renamed / "example.fa").write_text("this is not a genome\n")
    with qtbot.waitSignal(window.load_failed, timeout=20000):
        window.recent_menu.actions()[0].trigger()
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE_GENOME, confirm=False)
    assert "not there any more" not in window.statusBar().currentMessage()
