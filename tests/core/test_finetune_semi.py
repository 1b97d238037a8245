"""GeneORF fine-tune candidate "semi" (semi-supervised statistics: the annotated genes of the training part plus the
genome's own calls elsewhere) and the anchor/margin rule of recipe "select". Tiny synthetic genome, seconds."""
from __future__ import annotations

import math

import numpy as np
import pytest

from genoview.core.training.geneorf import choose_candidate


def test_a_challenger_must_beat_the_anchor_by_the_margin():
    scores = {"parent": {0.0: 0.80, -0.5: 0.815}, "semi": {0.0: 0.81, 0.5: 0.805}}
    assert choose_candidate(scores, ("semi", 0.0), 0.01) == ("semi", 0.0, 0.81)
    assert choose_candidate(scores, ("semi", 0.0), 0.004) == ("parent", -0.5, 0.815)
    assert choose_candidate(scores, ("parent", 0.0), 0.0) == ("parent", -0.5, 0.815)   # margin 0: the best
    assert choose_candidate(scores, ("stats", 0.0), 0.5) == ("parent", -0.5, 0.815)    # an anchor not scored
    tied = {"parent": {0.0: 0.8}, "semi": {0.0: 0.8}}
    assert choose_candidate(tied, ("semi", 0.0), 0.0) == ("semi", 0.0, 0.8)            # a tie keeps the anchor
    broken = {"parent": {0.0: float("nan")}, "semi": {0.0: 0.7}}
    name, delta, mcc = choose_candidate(broken, ("parent", 0.0), 0.0)
    assert (name, delta) == ("semi", 0.0) or math.isnan(mcc)


def test_semi_statistics_count_the_annotated_genes_and_the_own_calls_elsewhere(geneorf_parent):
    from genoview.core import genecalls as gc
    from genoview.core.genome import encode, open_genome
    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.training.geneorf import annotated_statistics

    parent_dir, fasta, gff = geneorf_parent
    genome = open_genome(fasta, gff)
    sequences = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    scorer = GeneORFModel.from_pretrained(str(parent_dir), local_files_only=True).scorer()
    whole = {sid: (0, len(c)) for sid, c in sequences.items()}
    half = {sid: (0, len(c) // 2) for sid, c in sequences.items()}
    # the whole genome annotated: no own call is left outside the scope, so semi = annotated genes only
    assert np.array_equal(annotated_statistics(sequences, genome.features, whole, scorer, own_calls_elsewhere=True).coding,
                          annotated_statistics(sequences, genome.features, whole, scorer).coding)
    # nothing annotated in scope: semi counts the genome's own calls (self-training's), not only pseudo-counts
    own = annotated_statistics(sequences, genome.features, {}, scorer, own_calls_elsewhere=True)
    nothing = annotated_statistics(sequences, genome.features, {}, scorer)
    assert not np.allclose(own.coding, nothing.coding)
    code = own.genetic_code
    seqs = gc.enumerate_candidates(sequences, code)
    stats = gc.self_train(seqs, code, scorer)
    gc.score_coding(seqs, stats.coding, stats.codon_usage)
    calls = gc._decode(seqs, gc._all_scored(seqs, stats, scorer), gc.MAX_OVERLAP)
    counts = gc._gene_hexamer_counts(seqs, calls)
    assert np.allclose(own.coding[:-1], gc._log_odds(counts, gc._background_hexamers(seqs)))
    # half annotated: between the two, and deterministic
    semi = annotated_statistics(sequences, genome.features, half, scorer, own_calls_elsewhere=True)
    again = annotated_statistics(sequences, genome.features, half, scorer, own_calls_elsewhere=True)
    assert np.array_equal(semi.coding, again.coding) and np.array_equal(semi.upstream, again.upstream)
    assert not np.allclose(semi.coding, own.coding)


def test_semi_chosen_is_stored_and_recorded(geneorf_parent, tmp_path):
    from tests.conftest import fine_tune_geneorf

    from genoview.core.models.geneorf import GeneORFModel

    parent_dir, fasta, gff = geneorf_parent
    # a margin no parent offset can clear keeps the anchor: semi at its own offset
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "child", candidates="parent,semi", anchor="semi",
                                margin=1.0)
    tuning = info["fine_tuning"]
    assert tuning["chosen"] == "semi" and tuning["offset_delta"] == 0.0 and tuning["anchor"] == "semi +0"
    assert "own self-trained calls elsewhere" in tuning["relearned"][0] and "margin" in tuning["why"]
    child = GeneORFModel.from_pretrained(str(tmp_path / "child"), local_files_only=True)
    assert child.config.adapted_to and child.stored_statistics() is not None
    assert "semi" in (tmp_path / "child" / "README.md").read_text()
    with pytest.raises(Exception, match="anchor"):
        fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "bad", anchor="magic")


def test_a_child_keeps_its_parents_rna_references(geneorf_parent, tmp_path):
    import filecmp
    import shutil

    from tests.conftest import fine_tune_geneorf

    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE
    from genoview.paths import SHIPPED_MODELS_DIR

    parent_dir, fasta, gff = geneorf_parent
    shipped = SHIPPED_MODELS_DIR / "geneorf-bacteria" / REFERENCES_FILE
    if not shipped.is_file():
        pytest.skip("the shipped model has no RNA references")
    shutil.copy2(shipped, parent_dir / REFERENCES_FILE)
    fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "child", candidates="parent", offset_step=0.0)
    assert filecmp.cmp(parent_dir / REFERENCES_FILE, tmp_path / "child" / REFERENCES_FILE, shallow=False)


def test_a_damaged_parent_table_cache_is_recomputed(geneorf_parent):
    from genoview.core.jobs import CancelToken
    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.training.geneorf import _parent_table
    from genoview.paths import user_data_dir

    parent_dir, fasta, gff = geneorf_parent
    scorer = GeneORFModel.from_pretrained(str(parent_dir), local_files_only=True)   # the model the table refits
    entry = {"name": "tiny", "fasta": fasta, "annotation": gff, "regions": None, "ecoli": False}
    table, hit = _parent_table(entry, parent_dir, scorer, 1, CancelToken())
    assert not hit and _parent_table(entry, parent_dir, scorer, 1, CancelToken())[1]
    cached, = (user_data_dir() / "cache" / "geneorf-tables").glob("tiny-*.npz")
    cached.write_bytes(cached.read_bytes()[:100])   # a half-written file
    again, hit = _parent_table(entry, parent_dir, scorer, 1, CancelToken())
    assert not hit and all(np.array_equal(table[k], again[k]) for k in table)
    assert _parent_table(entry, parent_dir, scorer, 1, CancelToken())[1]   # written back whole
    assert [p.name for p in cached.parent.iterdir()] == [cached.name]     # no temporary file left


def test_semi_statistics_self_train_with_the_models_overlap_and_start_background(geneorf_parent):
    """The model's max_overlap and start_background (genecalls.max_overlap_of/start_background_of) reach the
    self-training of annotated_statistics too, not only the decoding of the own calls (it used 60 and the
    scorer's attribute)."""
    from genoview.core import genecalls as gc
    from genoview.core.genome import encode, open_genome
    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.training.geneorf import annotated_statistics

    parent_dir, fasta, gff = geneorf_parent
    genome = open_genome(fasta, gff)
    sequences = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    scorer = GeneORFModel.from_pretrained(str(parent_dir), local_files_only=True).scorer()
    own = annotated_statistics(sequences, genome.features, {}, scorer, own_calls_elsewhere=True, max_overlap=0,
                               start_background=0.5)
    assert own.start_background == 0.5
    seqs = gc.enumerate_candidates(sequences, own.genetic_code)
    stats = gc.self_train(seqs, own.genetic_code, scorer, max_overlap=0, start_background=0.5)
    gc.score_coding(seqs, stats.coding, stats.codon_usage)
    calls = gc._decode(seqs, gc._all_scored(seqs, stats, scorer), 0)
    counts = gc._gene_hexamer_counts(seqs, calls)
    assert np.allclose(own.coding[:-1], gc._log_odds(counts, gc._background_hexamers(seqs)))
