"""The Evaluation panel's 'Default: …' line names the model as it is spelled (H-walk18: after Models ▸ Adapt to this
genome on E. coli it read 'Default: held-out part of geneorf-bacteria-gcf_000005845.2_asm584v2_genomic (last 30%).'
beside the Track box's 'geneorf-bacteria-GCF_000005845.2_ASM584v2_genomic': the whole choice was lower-cased, not
only its first letter)."""
from __future__ import annotations

import json

import pytest

from genoview.core.genome import open_genome
from genoview.gui.panels.evaluation import EvaluationPanel
from genoview.gui.session import ProbabilityTrack, Session
from genoview.gui.workers import wait_for_background
from tests.gui.test_evaluation_panel import synthetic_values

NAME = "Toy-GCF_000005845.2_ASM584v2"


@pytest.fixture
def session(qapp, data_dir, tmp_path):
    directory = tmp_path / NAME
    directory.mkdir()
    region = lambda a, b: [{"seqid": "chrA", "start": a, "end": b}]
    (directory / "genoview.json").write_text(json.dumps({
        "name": NAME, "architecture": "genecnn", "task": "gene-probability",
        "data": {"fasta": "guib_small.fa", "train": region(0, 11000), "valid": region(11000, 14000),
                 "test": region(14000, 20000)}}))
    genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")
    session = Session()
    session.set_genome(genome)
    values = synthetic_values(genome.label_mask("chrA", types=("gene", "pseudogene")))
    session.add_track(ProbabilityTrack(f"{NAME} @ chrA", NAME, "chrA", values, model_name=str(directory)))
    yield session
    wait_for_background()
    genome.close()


def test_the_default_scope_line_keeps_the_models_spelling(qtbot, session):
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.show()
    assert panel.scope_combo.currentText() == "Held-out part (last 30%)"   # the model: the Track box's
    note = panel.scope_note.text()
    assert note.startswith(f"Default: held-out part of {NAME} (last 30%).")
    assert NAME.lower() not in note
