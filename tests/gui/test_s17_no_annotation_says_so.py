"""A genome without annotation (H-walk, session 17): the Evaluation panel opened on blank tables and plots, one small
line saying why; it now says that an annotation is needed and how to open one (with the button), and the gene
disagreements list hides its "Annot." and "Annotated as" columns ("n/a" and nothing on every row)."""
from __future__ import annotations

import numpy as np

from genoview.core.io import read_annotation
from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_evaluation_says_an_annotation_is_needed_and_disagreements_hide_its_columns(qtbot, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, size=(1600, 1000))
    panel = window.evaluation_panel
    panel.show()
    qtbot.waitUntil(panel.annotation_needed.isVisible)
    text = panel.annotation_needed_label.text()
    assert "File ▸ Open annotation…" in text and "drop a GFF3" in text and "example.fa" in text
    assert panel.annotation_needed_button.isVisible()
    assert not panel.tabs.isVisible() and not panel.numbers.isVisible()
    called = []
    window.choose_annotation = lambda: called.append(True)
    panel.annotation_needed_button.click()
    assert called

    seqid = window.session.seqid
    values = np.full(window.session.sequence_length(), 0.9, dtype=np.float32)
    window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(f"toy @ {seqid}")
    dock = window.disagreements_panel
    assert "Annotation" not in window.view.gene_calls.result.systems
    assert dock.table.isColumnHidden(4) and dock.table.isColumnHidden(5) and not dock.table.isColumnHidden(3)
    assert "No annotation is open" in dock.summary.text()

    window.session.set_annotation(read_annotation(EXAMPLE_ANNOTATION)[0], str(EXAMPLE_ANNOTATION))
    assert not panel.annotation_needed.isVisible() and panel.tabs.isVisible() and panel.status.isVisible()
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(f"toy @ {seqid}")
    assert not dock.table.isColumnHidden(4) and not dock.table.isColumnHidden(5)
