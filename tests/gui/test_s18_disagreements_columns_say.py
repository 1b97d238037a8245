"""The gene disagreements list says what its marks mean and why the annotation's columns are hidden (session 18,
H-left18): its headers had no tooltip ("Annot." with ✓ / – / n/a, unexplained), and an annotation open but without
a CDS on the sequence shown (here: genes only) hid the columns with "No annotation is open: File ▸ Open
annotation…", which the user had just done."""
from __future__ import annotations

import numpy as np

from genoview.core.io import read_annotation
from genoview.gui.panels.disagreements import HEADERS
from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def _call(qtbot, window):
    seqid = window.session.seqid
    key = f"toy @ {seqid}"
    if key not in window.session.tracks:
        values = np.full(window.session.sequence_length(), 0.9, dtype=np.float32)
        window.session.add_track(ProbabilityTrack(key, "toy", seqid, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(key)
    return window.disagreements_panel


def test_headers_say_what_the_marks_mean_and_an_annotation_without_cds_is_named(qtbot, open_example_window, tmp_path):
    genes_only = tmp_path / "genes_only.gff3"
    genes_only.write_text("".join(line for line in EXAMPLE_ANNOTATION.read_text().splitlines(keepends=True)
                                  if "\tCDS\t" not in line))
    window = open_example_window(EXAMPLE_GENOME, str(genes_only))
    dock = _call(qtbot, window)
    assert dock.table.isColumnHidden(4) and dock.table.isColumnHidden(5)
    summary = dock.summary.text()
    assert "No annotation is open" not in summary
    assert "genes_only.gff3 has no CDS" in summary and window.session.seqid in summary
    tips = [dock.table.horizontalHeaderItem(column).toolTip() for column in range(len(HEADERS))]
    assert all(tips), tips
    assert "✓" in tips[4] and "–" in tips[4] and "n/a" in tips[4] and "CDS" in tips[4]
    assert "✓" in tips[3] and "Prodigal" in tips[3]

    window.session.set_annotation(read_annotation(EXAMPLE_ANNOTATION)[0], str(EXAMPLE_ANNOTATION))
    dock = _call(qtbot, window)
    assert not dock.table.isColumnHidden(4) and "has no CDS" not in dock.summary.text()
    assert "✓" in dock.table.horizontalHeaderItem(2).toolTip()   # the track's column keeps its marks' words
