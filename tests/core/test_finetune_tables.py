"""GeneORF fine-tune tables are built from the statistics the model being refitted predicts with: the parent's own
self-training (its config's max_overlap and start_background, its calls' rounds, its own scorer) and an adapted
model's stored statistics (fit.genome_table(model=...), genecalls.self_training_of). Tiny synthetic genome."""
from __future__ import annotations

import numpy as np


def _arrays(stats) -> dict:
    return stats.to_arrays()


def _same(a, b) -> bool:
    a, b = _arrays(a), _arrays(b)
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def _genome(geneorf_parent):
    from genoview.core.genome import encode, open_genome

    parent_dir, fasta, gff = geneorf_parent
    genome = open_genome(fasta, gff)
    return genome, {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}


def test_a_parents_table_has_the_statistics_its_calls_use(geneorf_parent):
    from genoview.core import genecalls as gc
    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.models.geneorf.fit import genome_table
    from genoview.core.models.geneorf.track import GeneORFTrackModel, prediction_statistics

    genome, sequences = _genome(geneorf_parent)
    model = GeneORFModel.from_pretrained(str(geneorf_parent[0]), local_files_only=True).eval()
    model.config.max_overlap, model.config.start_background = 90, 0.5   # not genecalls' defaults
    assert gc.self_training_of(model.config) == {"rounds": gc.SELF_TRAIN_ROUNDS, "max_overlap": 90,
                                                 "start_background": 0.5}
    _, predicted, _ = GeneORFTrackModel(model, None, {}).call_genome(sequences)
    table, stats = genome_table(sequences, genome.features, None, seed=1, model=model)
    assert _same(stats, predicted)
    code = predicted.genetic_code
    assert _same(prediction_statistics(model, gc.enumerate_candidates(sequences, code), code), predicted)
    assert len(table["x"]) and table["stop"].any()
    # without a model (fit.py's own iterations) the table self-trains as before: the scorer at MAX_OVERLAP
    plain, old = genome_table(sequences, genome.features, None, model.scorer(), seed=1)
    seqs = gc.enumerate_candidates(sequences, code)
    assert _same(old, gc.self_train(seqs, code, model.scorer()))


def test_an_adapted_models_table_has_its_stored_statistics(geneorf_parent):
    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.models.geneorf.fit import genome_table
    from genoview.core.models.geneorf.track import GeneORFTrackModel
    from genoview.core.training.geneorf import adapted_model

    genome, sequences = _genome(geneorf_parent)
    parent = GeneORFModel.from_pretrained(str(geneorf_parent[0]), local_files_only=True).eval()
    adapted = adapted_model(parent, sequences, "tiny", seed=1)
    stored = adapted.stored_statistics()
    assert stored is not None
    _, stats = genome_table(sequences, genome.features, None, seed=1, model=adapted)
    assert _same(stats, stored)
    _, predicted, _ = GeneORFTrackModel(adapted, None, {}).call_genome(sequences)
    assert _same(stats, predicted)


def test_the_fine_tune_tables_are_the_models_tables(geneorf_parent):
    """_tables(model=...) (the select recipe's fold and final tables) equals genome_table(model=...) on the scope."""
    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.models.geneorf.fit import genome_table
    from genoview.core.training.geneorf import _tables
    from genoview.core.jobs import CancelToken
    from genoview.core.genome import Region

    genome, sequences = _genome(geneorf_parent)
    model = GeneORFModel.from_pretrained(str(geneorf_parent[0]), local_files_only=True).eval()
    model.config.max_overlap = 90
    sid, codes = next(iter(sequences.items()))
    regions = [Region(sid, 0, len(codes))]
    tracks = {k: (v, None) for k, v in sequences.items()}
    got, = _tables(genome, tracks, [("tiny", [sid])], None, None, 1, CancelToken(), lambda m: None,
                   regions=regions, model=model)
    want, _ = genome_table({sid: codes}, genome.features, {sid: (0, len(codes))}, seed=1, model=model)
    assert all(np.array_equal(got[k], want[k]) for k in ("x", "stop", "exact", "weight"))
