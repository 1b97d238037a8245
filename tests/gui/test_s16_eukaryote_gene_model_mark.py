"""A bacterial gene model predicting a eukaryotic sequence in the window: the window's warning mark says so (core's
one warning, as `genoview predict` prints it); the shipped example (a bacterium) gets no mark (session 16)."""
from __future__ import annotations

import csv
import gzip

from genoview.core import genome_kind as gk


def _human_like(csv_path, folder):
    parts, total = [], 0
    with gzip.open(csv_path, "rt") as handle:
        for row in csv.DictReader(handle):
            parts.append(row["NucleotideSequence"].strip("<>"))
            total += len(parts[-1])
            if total >= 100_000:
                break
    path = folder / "human_like.fa"
    path.write_text(">chrH\n" + "".join(parts) + "\n")
    return path


def test_prodigal_on_human_genes_marks_the_window(qtbot, tmp_path, open_example_window, human_genes_csv):
    gk._warned.clear()
    window = open_example_window(_human_like(human_genes_csv, tmp_path))
    assert window.session.genome._long_orf_share < gk.PROKARYOTE_ORF_SHARE   # read on the loader's thread
    panel = getattr(window, "mutation_panel", None)
    if panel is not None and panel.names_loaded:   # the window's language-model suggestion: the same guess
        assert "eukaryote" in panel.lm_hint.text()
    with qtbot.waitSignal(window.predict_controller.finished, timeout=60000):
        window.predict_controller.predict("prodigal", [window.session.seqid])
    qtbot.waitUntil(lambda: not window.warning_label.isHidden())
    assert window.warning_label.text() == "⚠ Bacterial gene model"
    assert "ships no eukaryotic gene model" in window.warning_label.toolTip()


def test_the_example_bacterium_gets_no_mark(qtbot, open_example_window):
    gk._warned.clear()
    window = open_example_window()
    with qtbot.waitSignal(window.predict_controller.finished, timeout=60000):
        window.predict_controller.predict("prodigal", [window.session.seqid])
    assert window.warning_label.isHidden()


def test_the_mark_goes_with_its_genome_and_comes_back_when_it_is_opened_again(qtbot, tmp_path, open_example_window,
                                                                             human_genes_csv):
    """Review of 86c0779: the mark stayed on the next genome opened (the example bacterium showed '⚠ Bacterial gene
    model'), and the same file opened again in the same window said nothing (core warned once per file path)."""
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME

    gk._warned.clear()
    human = _human_like(human_genes_csv, tmp_path)
    window = open_example_window(human)

    def predict_and_wait():
        with qtbot.waitSignal(window.predict_controller.finished, timeout=60000):
            window.predict_controller.predict("prodigal", [window.session.seqid])

    predict_and_wait()
    qtbot.waitUntil(lambda: not window.warning_label.isHidden())
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    assert window.warning_label.isHidden() and not window.warning_label.toolTip()
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(human)
    assert window.warning_label.isHidden()
    predict_and_wait()
    qtbot.waitUntil(lambda: not window.warning_label.isHidden())
    assert window.warning_label.text() == "⚠ Bacterial gene model"
