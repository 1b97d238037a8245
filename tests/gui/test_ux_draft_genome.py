"""A draft genome in many contigs (the Paracoccus draft has 87): predicting "All sequences" while another contig is
shown scores and calls the shown contig (the evaluation and the gene calls stayed on the first), and a GeneORF
model's gene calls on one contig are its whole-genome calls (what `predict --gff-out` writes), not a call of that
contig alone."""
from __future__ import annotations

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_all_sequences_prediction_scores_and_calls_the_shown_sequence(qtbot, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION, size=(1400, 900))
    first, second = list(window.session.genome.sequences)
    window.session.set_sequence(second)
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000) as blocker:
        window.predict_controller.predict("prodigal", [first, second])
    assert blocker.args[0].endswith(second)   # the gene calls are worked out for this key
    qtbot.waitUntil(lambda: len(window.session.tracks) == 2, timeout=60000)
    track = window.session.tracks[window.evaluation_panel.track_combo.currentData()]
    assert track.seqid == second
    qtbot.waitUntil(lambda: window.view.gene_calls.result is not None, timeout=60000)
    assert window.view.gene_calls.result.seqid == second
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_geneorf_calls_on_one_sequence_are_the_whole_genome_calls():
    from genoview.core.genome import open_genome
    from genoview.core.models import load_model
    from genoview.core.models.geneorf.track import _LAST_CALLS, cached_calls
    from genoview.gui.genome_view.gene_calls_track import gene_calls_job, geneorf_genome_calls

    genome = open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    first, second = list(genome.sequences)
    model = load_model("geneorf-bacteria")
    _LAST_CALLS.clear()   # as in a new session whose track came from the prediction cache
    length = genome.sequences[second].length
    calls, code = geneorf_genome_calls(model, genome, [(second, 0, length)])
    whole, whole_code = cached_calls(model.path, genome.path)   # made once for the whole genome
    assert code == whole_code
    assert [(c.start, c.end, c.strand) for c in calls] == [(c.start, c.end, c.strand) for c in whole
                                                          if c.seqid == second]
    assert any(c.seqid == first for c in whole)
    values = model.whole_genome_track(genome.sequences[second])
    result = gene_calls_job(genome, f"geneorf-bacteria @ {second}", second, [(0, values)], "geneorf-bacteria")
    assert sorted((c.start, c.end) for c in result.calls) == sorted((c.start, c.end) for c in calls)
    assert geneorf_genome_calls(object(), genome, [(second, 0, length)]) is None   # other models: their track


def test_a_later_jump_takes_the_choose_one_message_off(qtbot, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    assert not window.go_to("abc")   # several genes: the list is offered
    assert "choose one from the list" in window.statusBar().currentMessage()
    assert window.go_to("EX_0002")
    assert "choose one" not in window.statusBar().currentMessage()   # it said so for 10 s after the jump


def test_genes_tab_scores_the_models_own_calls(qtbot, open_example_window):
    """The evaluation's Genes tab decoded a GeneORF track on its own: a third set of genes beside the Gene calls row
    and `predict --gff-out`. It scores the model's own (whole-genome) calls now; other models' tracks are decoded."""
    from genoview.core.evaluation_scope import gene_level_scores
    from genoview.gui.panels.evaluation import own_calls

    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION, size=(1400, 900))
    seqid = window.session.seqid
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        window.predict_controller.predict("geneorf-bacteria", [seqid])
    qtbot.waitUntil(lambda: window.view.gene_calls.result is not None, timeout=60000)
    panel = window.evaluation_panel
    qtbot.waitUntil(lambda: panel.result is not None, timeout=60000)
    with qtbot.waitSignal(panel.genes_scored, timeout=60000) as blocker:
        panel.score_genes()
    scores = blocker.args[0]
    genome, result = window.session.genome, panel.result
    row = window.view.gene_calls.result.calls
    assert scores == gene_level_scores(genome, result.scope, result.probs, start=result.origin, calls=row)
    length = genome.sequences[seqid].length
    assert own_calls("", genome, seqid, 0, length) is None   # a track of no model: decoded
    # the built-in prodigal calls Prodigal's own genes (the Prodigal column's), not a decoding of its track
    from genoview.core.gene_level import prodigal_genes
    from genoview.core.genome import encode

    sequences = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    assert [(c.seqid, c.start, c.end, c.strand) for c in own_calls("prodigal", genome, seqid, 0, length)] == [
        g[:4] for g in prodigal_genes(sequences) if g[0] == seqid]
    window.runner.cancel_all()
    window.runner.wait(20000)
