"""Real vs mutated: a pasted FASTA record (what a biologist copies from NCBI) is read as its sequence; it was
refused with "position 1 holds '>'". Several records are one clear message."""
from __future__ import annotations

import pytest

from test_mutation_panel import GENES, _run, ngram_dir, panel  # noqa: F401 - same folder (no packages in tests/)

from genoview.core.errors import GenoViewInputError
from genoview.gui.panels.mutation import pasted_bases


def test_pasted_bases_reads_one_fasta_record_sequences_and_markers():
    assert pasted_bases(">NM_0001.1 some gene\nacgtac\nGTA\n") == "ACGTACGTA"
    assert pasted_bases("  >x\r\n;comment\r\nACGT\r\n") == "ACGT"
    assert pasted_bases("<ACGT\nAC>") == "ACGTAC" and pasted_bases("AC GT") == "ACGT"
    with pytest.raises(GenoViewInputError, match="2 FASTA records"):
        pasted_bases(">a\nACGT\n>b\nGGGG\n")


def test_panel_scores_a_pasted_fasta_record(qtbot, panel):
    panel.pasted.setPlainText(f">gene 1\n{GENES[0][:40]}\n{GENES[0][40:]}\n")
    panel.seed.setValue(3)
    _run(qtbot, panel, panel.run_compare)
    assert panel.pair is not None and panel.pair.real == GENES[0]
