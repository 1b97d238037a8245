"""GeneORF's track of one sequence depends on every sequence of its FASTA file (it self-trains on the whole genome):
a contig's cached track from a draft was given back for a file holding that contig alone (and the reverse), whose
own prediction differs. Cache keys of such a model (registry ``reads_genome``) include the whole genome."""
from __future__ import annotations

import numpy as np
import pytest


def _write(path, records):
    path.write_text("".join(f">{name}\n{seq}\n" for name, seq in records))
    return path


def test_a_contigs_cached_geneorf_track_is_not_reused_for_another_genome(tmp_path):
    from genoview.core.genome import open_genome
    from genoview.core.models import resolve_model_dir
    from genoview.core.prediction import PredictionRequest, genome_digest, predict, run_to_end

    if resolve_model_dir("geneorf-bacteria") is None:
        pytest.skip("shipped model geneorf-bacteria not present")
    rng = np.random.default_rng(7)
    contigs = [(f"c{i}", "".join(rng.choice(list("ACGT"), n))) for i, n in enumerate((3000, 40000, 30000))]
    draft, alone = _write(tmp_path / "draft.fa", contigs), _write(tmp_path / "alone.fa", contigs[:1])

    def track(path, use_cache=True):
        with open_genome(path) as genome:
            result = run_to_end(predict(PredictionRequest(genome, model="geneorf-bacteria", regions=[("c0", 0, 3000)],
                                                          keep_values=True, use_cache=use_cache)))
            return result.values[0], result.from_cache[0]

    in_draft, _ = track(draft)
    by_itself, from_cache = track(alone)
    assert not from_cache, "the draft's cached track of c0 was given for the file holding c0 alone"
    assert np.array_equal(by_itself, track(alone, use_cache=False)[0])
    assert track(draft)[1] and track(alone)[1]   # each genome's own track is still cached
    with open_genome(draft) as a, open_genome(alone) as b:
        assert genome_digest(a) != genome_digest(b)
    assert not np.array_equal(in_draft, by_itself)   # the test's premise: the two genomes' tracks differ


def test_gff_out_gives_the_same_genes_whether_or_not_the_track_was_cached(tmp_path):
    """GeneORF's genes come from its whole-genome call, not from its track: in a new process (no calls in memory)
    `predict --gff-out` over a cached track decoded the track instead and wrote other genes (71 where the model calls
    67 on an 87-contig draft). A reads_genome model's track is not read from the cache when gene calls are written."""
    from genoview.core.genome import open_genome
    from genoview.core.models import resolve_model_dir
    from genoview.core.models.geneorf import track as geneorf_track
    from genoview.core.prediction import PredictionRequest, predict, run_to_end

    if resolve_model_dir("geneorf-bacteria") is None:
        pytest.skip("shipped model geneorf-bacteria not present")
    rng = np.random.default_rng(11)
    fasta = _write(tmp_path / "draft.fa", [(f"c{i}", "".join(rng.choice(list("ACGT"), 1500 + 37 * i)))
                                           for i in range(30)])

    def genes(out):
        with open_genome(fasta) as genome:
            result = run_to_end(predict(PredictionRequest(genome, model="geneorf-bacteria", gff_out=out)))
        geneorf_track._LAST_CALLS.clear()   # as a new process: no whole-genome calls in memory
        rows = [line.split("\t") for line in out.read_text().splitlines() if line and not line.startswith("#")]
        return sorted((r[0], r[2], r[3], r[4], r[6]) for r in rows), result

    first, _ = genes(tmp_path / "a.gff3")
    with open_genome(fasta) as genome:   # the track alone (as the GUI asks): from the cache
        assert all(run_to_end(predict(PredictionRequest(genome, model="geneorf-bacteria"))).from_cache)
    again, result = genes(tmp_path / "b.gff3")
    assert again == first and len(first) > 0
