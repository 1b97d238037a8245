"""rev13: a session whose ANNOTATION moved offered "Find the annotation…" or Cancel; Cancel lost the genome, the
tracks, the place and the threshold too ("Cannot open session"). The box now also offers "Open the genome alone":
the session reopens without its annotation and the status bar says why."""
from __future__ import annotations

import shutil

from PySide6.QtWidgets import QMessageBox

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_a_session_whose_annotation_moved_opens_with_the_genome_alone(qtbot, tmp_path, open_example_window,
                                                                       monkeypatch):
    annotation = tmp_path / "genes.gff3"
    shutil.copy(EXAMPLE_ANNOTATION, annotation)
    window = open_example_window(EXAMPLE_GENOME, annotation)
    window.session.set_threshold(0.7)
    window.go_to("chrEx:20,001-30,000")
    session = tmp_path / "work.genoview.json"
    assert window.save_session(session)
    annotation.unlink()
    window.go_to("chrEx:1-5,000")
    window.session.set_threshold(0.5)
    shown = []

    def click_alone(box) -> int:   # the user presses "Open the genome alone" in the real box
        shown.append([button.text() for button in box.buttons()])
        next(b for b in box.buttons() if b.text() == "Open the genome alone").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_alone)
    monkeypatch.setattr(window, "interactive", True)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        assert window.open_session(session)
    assert shown and "Find the annotation…" in shown[0]
    qtbot.waitUntil(lambda: window.session.threshold == 0.7)
    assert window.session.genome.path == str(EXAMPLE_GENOME) and window.session.genome.annotation_path is None
    start, end = window.session.region
    assert start <= 20000 and 30000 <= end + 1 and end - start < 20000
    message = window.statusBar().currentMessage()
    assert "reopened; without its annotation (genes.gff3 is not there any more" in message
    assert "found where they are now" not in message
