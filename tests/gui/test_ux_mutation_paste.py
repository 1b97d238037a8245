"""Real vs mutated with a sequence as a biologist copies it: a GenBank ORIGIN block was refused with "position 1 holds
'O'"; a sequence with an N run was refused by the language model on the mutated copy, at a position a random
deletion had shifted. Numbers and keywords of the block are dropped; other letters are said at once, in the pasted
sequence's positions, with its longest clean stretch."""
from __future__ import annotations

from genoview.gui.panels.mutation import MutationPanel, check_bases, pasted_bases
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

GENBANK = """ORIGIN
        1 atgaaacgca ttagcaccac cattaccacc accatcacca ccaccggtaa cggtgcgggc
       61 tgataa
//
"""


def test_a_genbank_block_pastes_as_its_bases():
    assert pasted_bases(GENBANK) == ("ATGAAACGCATTAGCACCACCATTACCACCACCATCACCACCACCGGTAACGGTGCGGGC" + "TGATAA")
    assert pasted_bases("acgt NNNN\n  tgca") == "ACGTNNNNTGCA"   # spaces and lines, as before


def test_other_letters_are_said_in_the_pasted_positions():
    check_bases("ACGT" * 10)
    try:
        check_bases("ACGT" * 30 + "NNNNN" + "ACGT" * 10 + "R")
    except Exception as exc:  # noqa: BLE001
        text = str(exc)
    assert "'N', 'R' at 121-125, 166" in text and "longest stretch without them is bases 1-120" in text


def test_the_panel_refuses_before_mutating(qtbot):
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm="kn-human-genes", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.pasted.setPlainText("ACGT" * 25 + "\nNNNNN" + "ACGT" * 25)
    panel.max_edits.setValue(5)
    panel.run_compare()
    assert panel._job is None and "'N' at 101-105" in panel.status.text()
    assert "Language models" in panel.status.text()
    runner.cancel_all()
    runner.wait()


def test_a_genome_region_is_said_in_genome_coordinates():
    bases = "ACGT" * 25 + "NN" + "ACGT" * 24 + "AA"   # 200 bases from chr1:1,001-1,200
    for strand, where, clean in ((1, "chr1:1,101-1,102", "chr1:1,001-1,100"), (-1, "chr1:1,099-1,100", "chr1:1,101-1,200")):
        try:
            check_bases(bases, ("chr1", 1000, 1200, strand))
        except Exception as exc:  # noqa: BLE001
            text = str(exc)
        assert f"'N' at {where}" in text and f"without them is {clean}: choose that part" in text
