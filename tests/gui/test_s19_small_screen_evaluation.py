"""The Evaluation panel on a 1280 x 800 laptop (the window 1216 x 720, the dock ~30% of it): the "Score on" box
showed "Held-out part of geneorf-bacteria-GCF_" (the model's name, already in the Track box, made it wider than the
dock; the 'Default: …' line under it names the model whole), and the FP/FN list was ~110 pixels (7 rows) high on a
1400 x 900 and a 1600 x 1000 screen alike (a whole genome lists hundreds of stretches)."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from genoview.gui.session import ProbabilityTrack

NAME = "geneorf-bacteria-GCF_000005845.2_ASM584v2_genomic"   # what Adapt to this genome names a model of E. coli
LAPTOP_WINDOW = (1216, 720)   # fit_to_screen's window on a 1280 x 800 screen


@pytest.fixture
def held_out_window(open_example_window, tmp_path, qtbot):
    """make(size) -> (window, panel, select): the example genome in a window of ``size``, scoring a track of
    geneorf-bacteria; ``select()`` adds and picks a track of a model trained on chrEx's first 70%."""
    directory = tmp_path / NAME
    directory.mkdir()
    region = lambda a, b: [{"seqid": "chrEx", "start": a, "end": b}]
    (directory / "genoview.json").write_text(json.dumps({
        "name": NAME, "architecture": "genecnn", "task": "gene-probability",
        "data": {"fasta": "example.fa", "train": region(0, 60000), "valid": region(60000, 70000),
                 "test": region(70000, 100000)}}))

    def make(size):
        window = open_example_window(size=size)
        session = window.session
        labels = session.genome.label_mask("chrEx", types=("gene",))
        rng = np.random.default_rng(3)
        values = np.clip(labels * 0.5 + rng.random(labels.size) * 0.55, 0, 1).astype(np.float32)
        panel = window.evaluation_panel
        with qtbot.waitSignal(panel.evaluated, timeout=30000):
            session.add_track(ProbabilityTrack("geneorf-bacteria @ chrEx", "geneorf-bacteria", "chrEx", values,
                                               model_name="geneorf-bacteria"))
        qtbot.waitUntil(lambda: panel.isVisible() and panel.width() > 300)

        def select():
            session.add_track(ProbabilityTrack(f"{NAME} @ chrEx", NAME, "chrEx", values, model_name=str(directory)))
            panel.select_track(f"{NAME} @ chrEx")

        return window, panel, select

    return make


def text_room(combo) -> int:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    return combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                        QStyle.SubControl.SC_ComboBoxEditField, combo).width()


def test_score_on_box_and_its_note_show_whole_on_a_laptop(held_out_window, qtbot):
    window, panel, select = held_out_window(LAPTOP_WINDOW)
    assert panel.width() <= 0.31 * window.width()
    select()
    qtbot.wait(60)   # before the evaluation (EVALUATE_DELAY_MS): the form laid out for the new note
    combo = panel.scope_combo
    assert combo.currentData() == "held-out"
    assert combo.currentText() == "Held-out part (last 30%)"
    assert combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole) == \
        f"Held-out part of {NAME} (last 30%)"   # the whole name where the words were shortened
    metrics = combo.fontMetrics()
    for row in range(combo.count()):
        assert metrics.horizontalAdvance(combo.itemText(row)) <= text_room(combo), combo.itemText(row)
    note = panel.scope_note
    assert note.text().startswith(f"Default: held-out part of {NAME} (last 30%).")
    assert note.height() >= note.heightForWidth(note.width())
    for label in (panel.track_combo, combo, note, panel.threshold_spin):
        assert label.geometry().right() <= panel.controls.width()


def test_false_positive_list_shows_a_dozen_rows_and_comes_into_view(held_out_window, qtbot):
    window, panel, _ = held_out_window(LAPTOP_WINDOW)
    with qtbot.waitSignal(panel.errors_listed, timeout=20000):
        panel.show_errors("fp")
    listing = panel.errors_list
    assert listing.count() > 0
    assert listing.height() >= 12 * listing.sizeHintForRow(0)   # was 110 pixels: 7 rows
    qtbot.waitUntil(lambda: not listing.visibleRegion().isEmpty())
    visible = listing.visibleRegion().boundingRect()
    assert visible.height() >= 0.9 * listing.height()   # scrolled into the short panel's view
