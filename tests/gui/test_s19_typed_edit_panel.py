"""Real vs mutated refuses typed edits that change nothing (100G>G, an empty field) before any run; the reading is
tested in tests/core/test_s19_typed_edit_changes_nothing.py."""
from __future__ import annotations


def test_the_panel_says_so_and_runs_nothing(qtbot):
    from genoview.gui.panels.mutation import MutationPanel
    from genoview.gui.session import Session
    from genoview.gui.workers import JobRunner

    panel = MutationPanel(Session(), JobRunner(), default_lm="kn-human-genes", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.pasted.setPlainText("ACGT" * 30)
    panel.mode.setCurrentText("Typed edits")
    for text in ("3G>G", ""):
        panel.typed_edits.setText(text)
        panel.run_compare()
        assert panel._job is None and panel.pair is None
        assert ("changes nothing" if text else "no edits typed") in panel.status.text()
