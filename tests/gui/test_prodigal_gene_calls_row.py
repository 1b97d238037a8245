"""The gene-calls row of a prodigal track lists Prodigal's own genes (pyrodigal run directly on the genome, as the
`pyrodigal` command trains: both sequences of the example together), its Prodigal column agrees with it on every
gene, and the Evaluation panel's Genes tab reads the same genes."""
from __future__ import annotations

import pyrodigal
import pytest

from genoview.paths import RESOURCES_DIR
from genoview.settings import Settings

EXAMPLE = RESOURCES_DIR / "example"


@pytest.fixture
def window(qtbot):
    from genoview.app import create_main_window

    window = create_main_window(Settings())
    window.interactive = False
    window.remember_layout = False
    qtbot.addWidget(window)
    window.resize(1400, 900)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE / "example.fa", EXAMPLE / "example.gff3")
    yield window
    window.runner.cancel_all()
    window.runner.wait(20000)


def direct_genes(genome) -> dict:
    sequences = {sid: r.text(0, r.length).upper() for sid, r in genome.sequences.items()}
    finder = pyrodigal.GeneFinder(meta=False)
    finder.train(*sequences.values())
    return {sid: [(g.begin - 1, g.end, g.strand) for g in finder.find_genes(seq)] for sid, seq in sequences.items()}


def test_prodigal_tracks_gene_calls_are_prodigals_genes(qtbot, window):
    with qtbot.waitSignal(window.runner.finished, timeout=60000,
                          check_params_cb=lambda job, result: job.context == "gene-calls"):
        window.predict_controller.predict("prodigal")
    result = window.view.gene_calls.result
    seqid = window.session.seqid
    expected = direct_genes(window.session.genome)[seqid]
    assert result is not None and result.seqid == seqid
    assert [(c.start, c.end, c.strand) for c in result.calls] == expected
    assert result.systems == ("GenoView", "Prodigal", "Annotation")
    # the model's column and Prodigal's agree on every gene: only the annotation differs
    assert all(("GenoView" in g.systems) == ("Prodigal" in g.systems) for g in result.disagreements)
    from genoview.gui.panels.evaluation import own_calls

    genes = own_calls("prodigal", window.session.genome, seqid, 0, window.session.sequence_length())
    assert [(c.start, c.end, c.strand) for c in genes] == expected
