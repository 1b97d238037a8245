"""Issue 12's GUI: the gene-calls row after a prediction, the disagreements panel (double-click goes there) and
Models > Adapt to this genome (adapt on a worker, registered, then a prediction with it), on the example genome."""
from __future__ import annotations

import pytest

from genoview.gui.genome_view.gene_calls_track import (
    AGREED, DISAGREES, NOT_CALLED, compare_gene_sets,
)
from genoview.paths import RESOURCES_DIR
from genoview.settings import Settings

EXAMPLE = RESOURCES_DIR / "example"


class Call:
    def __init__(self, seqid, start, end, strand, kind="CDS"):
        self.seqid, self.start, self.end, self.strand, self.kind = seqid, start, end, strand, kind
        self.start_codon, self.confidence = "ATG", 0.9

    @property
    def stop_key(self):
        return (self.seqid, self.strand, self.end if self.strand > 0 else self.start)


def test_compare_gene_sets_matches_by_stop_codon():
    calls = [Call("s", 0, 300, 1), Call("s", 1000, 1300, -1), Call("s", 2000, 2090, 1, kind="tRNA")]
    prodigal = [("s", 30, 300, 1), ("s", 5000, 5600, 1)]          # same stop as the first call, other start
    annotated = [("s", 0, 300, 1), ("s", 1000, 1300, -1)]
    features, disagreements = compare_gene_sets("s", calls, prodigal, annotated)
    kinds = {(f.start, f.type) for f in features}
    assert (0, AGREED) in kinds and (1000, DISAGREES) in kinds and (5000, NOT_CALLED) in kinds and (2000, "tRNA") in kinds
    assert [(d.start, d.systems) for d in disagreements] == [(1000, ("GenoView", "Annotation")),
                                                             (5000, ("Prodigal",))]
    _, without_annotation = compare_gene_sets("s", calls, prodigal, None)
    assert [d.systems for d in without_annotation] == [("GenoView",), ("Prodigal",)]


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


def predict_and_call_genes(qtbot, window, model: str):
    """Predict with ``model`` and wait until its gene calls (and the disagreements panel) are done."""
    panel = window.disagreements_panel
    with qtbot.waitSignal(window.runner.finished, timeout=60000,
                          check_params_cb=lambda job, result: job.context == "gene-calls"):
        window.predict_controller.predict(model)
    return panel


def test_prediction_draws_gene_calls_and_lists_disagreements(qtbot, window, tmp_path):
    panel = predict_and_call_genes(qtbot, window, "geneorf-bacteria")
    row = window.view.gene_calls
    result = row.result
    assert result is not None and result.seqid == window.session.seqid
    called = [f for f in row.item.features if "GenoView" in f.systems]
    assert len(called) > 20
    assert {f.strand for f in called} == {1, -1}                  # arrows on both strands
    window.view.flush()
    qtbot.waitUntil(lambda: row.plot.height() > 0, timeout=5000)
    assert row.plot.isVisible()
    assert result.systems == ("GenoView", "Prodigal", "Annotation")
    assert not panel.isHidden() and panel.table.rowCount() == len(result.disagreements)
    window.view.flush()
    image = window.grab()
    assert not image.isNull()
    image.save(str(tmp_path / "gene_calls.png"))
    if result.disagreements:   # double-click a row: the view goes there
        gene = result.disagreements[-1]
        panel._activate(panel.table.rowCount() - 1)
        window.view.flush()
        x0, x1 = window.view.visible_range()
        assert x0 <= gene.start and gene.end <= x1 and x1 - x0 < window.session.sequence_length()


def test_removing_the_track_clears_the_calls(qtbot, window):
    predict_and_call_genes(qtbot, window, "geneorf-bacteria")
    key = window.view.gene_calls.result.track_key
    window.session.remove_track(key)
    row = window.view.gene_calls
    assert row.result is None and not row.item.features and not row.plot.isVisible()
    assert window.disagreements_panel.table.rowCount() == 0


def test_adapt_to_this_genome_registers_a_child_and_predicts_with_it(qtbot, window):
    from genoview.core.models import list_models
    from genoview.gui.dialogs.adapt import adaptable_models, start_adaptation

    assert window.adapt_action.isEnabled() and "geneorf-bacteria" in adaptable_models()
    offered = []

    def offer(name):
        offered.append(name)
        return True

    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        job = start_adaptation(window, "geneorf-bacteria", "geneorf-example", offer_prediction=offer)
        assert job is not None
    assert offered == ["geneorf-example"]
    info = {m.name: m for m in list_models()}["geneorf-example"]
    assert info.architecture == "geneorf"
    assert any(t.model_name == "geneorf-example" for t in window.session.tracks.values())
    # a second one under the same name is refused with a message, nothing queued
    errors = []
    window.report_error = lambda title, message: errors.append(message)
    assert start_adaptation(window, "geneorf-bacteria", "geneorf-example", offer_prediction=offer) is None
    assert errors and "already taken" in errors[0]


def test_adaptation_can_be_cancelled(qtbot, window):
    from genoview.gui.dialogs.adapt import start_adaptation
    from genoview.paths import model_library_dir

    with qtbot.waitSignal(window.runner.cancelled, timeout=60000):
        job = start_adaptation(window, "geneorf-bacteria", "geneorf-cancelled", offer_prediction=lambda n: False)
        window.runner.cancel(job)
    assert not (model_library_dir() / "geneorf-cancelled").exists()


def test_any_models_track_is_decoded_into_gene_calls(qtbot, window):
    """A track of a model that does not call genes itself (here: made from the annotation) is decoded into ORFs."""
    import numpy as np

    from genoview.gui.session import ProbabilityTrack

    session = window.session
    record = session.genome.sequences[session.seqid]
    values = np.full(record.length, 0.05, dtype=np.float32)
    for f in session.genome.features.on(session.seqid):
        if f.type == "CDS":
            values[f.start:f.end] = 0.95
    session.add_track(ProbabilityTrack("annotated", "from the annotation", session.seqid, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000,
                          check_params_cb=lambda job, result: job.context == "gene-calls"):
        window.call_genes("annotated")
    result = window.view.gene_calls.result
    assert result.track_key == "annotated"
    called = [f for f in result.features if "GenoView" in f.systems]
    assert len(called) > 50
    assert len(result.disagreements) < len(called) / 2


def test_adapt_action_is_in_the_models_menu_and_its_dialog_suggests_a_name(qtbot, window):
    from genoview.gui.dialogs.adapt import AdaptDialog, suggested_name

    assert window.adapt_action in window.models_menu.actions()
    assert suggested_name("geneorf-bacteria", "/data/My genome.fna.gz") == "geneorf-bacteria-My-genome"
    dialog = AdaptDialog(str(EXAMPLE / "example.fa"), ["geneorf-bacteria"], window)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "geneorf-bacteria-example"
