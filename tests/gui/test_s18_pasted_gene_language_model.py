"""Real vs mutated suggests the language model for what is scored: pasted bases, not the genome open beside them.

H-walk18 under Xvfb: with S. aureus open, a human gene pasted into Sequence (From turned to Pasted sequence) kept
'kn-ecoli-genes: the bacterial-gene model: the sequence looks like a prokaryote's (a 2.81 Mb genome, …)' and scored
the human gene with the E. coli model. Pasted bases are a sequence too short to tell (README: the default language
model, the caption naming the bacterial one); cleared, the suggestion is the genome's again."""
from __future__ import annotations

from genoview.core.genome_kind import BACTERIAL_LM

HUMAN_GENE = "ATGGCCCTGTGGATGCGCCTCCTGCCCCTGCTGGCGCTGCTGGCCCTCTGGGGACCTGACCCAGCCGCAGCCTTTGTGAACCAACACCTGTGC" * 3


def test_pasted_bases_are_judged_not_the_open_genome(qtbot, open_example_window):
    window = open_example_window()   # the example genome: a prokaryote's
    panel = window.mutation_panel
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    if panel.prokaryote_lm != BACTERIAL_LM or not panel.default_lm:
        import pytest

        pytest.skip("the shipped language models are not installed")
    assert panel.lm_names.text() == BACTERIAL_LM   # the open genome's suggestion
    panel.pasted.setPlainText(HUMAN_GENE)
    assert panel.source.currentText() == "Pasted sequence"
    assert panel.lm_names.text() == panel.default_lm
    hint = panel.lm_hint.text()
    assert f"{len(HUMAN_GENE):,}-base pasted sequence" in hint and BACTERIAL_LM in hint and "2.81" not in hint
    panel.pasted.setPlainText("")   # cleared: the region in view of the genome is scored again
    assert panel.source.currentText() == "Visible region"
    assert panel.lm_names.text() == BACTERIAL_LM and "prokaryote" in panel.lm_hint.text()
