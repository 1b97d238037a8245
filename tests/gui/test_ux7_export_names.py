"""H-ux7: File ▸ Export offered "Predicted genes as GFF3…" beside "Gene calls as GFF3…"; a user of `genoview predict
--gff-out` ("the predicted genes") took the first and got strandless stretches of the track. It is named for what it
writes now, and its dialog points to Gene calls for genes with strand and start codon."""
from __future__ import annotations

from genoview.gui.export import GeneExportDialog


def test_the_stretch_export_says_what_it_writes(qtbot, open_example_window):
    window = open_example_window()
    texts = [a.text() for a in window.export_menu.actions()]
    assert "Stretches above the threshold as GFF3…" in texts and "Gene calls as GFF3…" in texts
    assert not any(t.startswith("Predicted genes") for t in texts)
    assert "Gene calls as GFF3" in window.export_actions.genes_action.toolTip()
    dialog = GeneExportDialog(window, window.session)
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    assert any("Gene calls as GFF3" in label.text() for label in dialog.findChildren(QLabel))
