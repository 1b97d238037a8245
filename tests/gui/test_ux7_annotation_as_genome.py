"""H-ux7: an annotation chosen as the genome (File ▸ Open genome… on genes.gff3, which holds no sequences) was an error
box, and one dropped on the window with no genome open only said "Open a genome first" in the status bar. The window
now asks which genome it belongs to (a chooser in its folder) and opens both."""
from __future__ import annotations

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def _bare_window(qtbot):
    from genoview.app import create_main_window
    from genoview.settings import Settings

    window = create_main_window(Settings())
    window.interactive = False
    window.remember_layout = False
    qtbot.addWidget(window)
    return window


def test_an_annotation_opened_as_the_genome_asks_for_its_genome(qtbot, monkeypatch):
    window = _bare_window(qtbot)
    asked = []
    monkeypatch.setattr(window, "choose_genome_for", lambda path: asked.append(path) or str(EXAMPLE_GENOME))
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE_ANNOTATION)
    assert asked == [str(EXAMPLE_ANNOTATION)]
    assert window.session.genome.path == str(EXAMPLE_GENOME) and len(window.session.genome.features) > 90
    assert window.loading == 0


def test_a_dropped_annotation_alone_asks_for_its_genome(qtbot, monkeypatch):
    window = _bare_window(qtbot)
    monkeypatch.setattr(window, "choose_genome_for", lambda path: str(EXAMPLE_GENOME))
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_paths([str(EXAMPLE_ANNOTATION)])
    assert window.session.genome.annotation_path == str(EXAMPLE_ANNOTATION)


def test_no_genome_chosen_says_what_to_do(qtbot, monkeypatch):
    window = _bare_window(qtbot)
    monkeypatch.setattr(window, "choose_genome_for", lambda path: None)
    window.open_genome(EXAMPLE_ANNOTATION)
    qtbot.waitUntil(lambda: "example.gff3 is an annotation: open its genome first" in
                    window.statusBar().currentMessage(), timeout=20000)
    assert window.session.genome is None and window.loading == 0
