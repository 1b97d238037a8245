"""The mutagenesis panel's local GeneORF track equals full re-scoring also where a substitution moves an RNA gene
found by homology: a 1-base deletion 22 bases into the gene puts the first seeds on another diagonal; a
substitution that kills the seeds before it moves the gene's start by one base."""
import numpy as np

from tests.core.test_genecalls import _synthetic_genome
from tests.core.test_geneorf_rna_hook import _model, _write_references, assert_variants_match_full_rescoring


def test_a_variant_that_moves_a_homology_gene_end_matches_full_rescoring(tmp_path):
    from genoview.core.models.geneorf.track import load_track_model
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    codes, _ = _synthetic_genome(seed=5, genes=12)
    rng = np.random.default_rng(3)
    reference = rng.integers(0, 4, 1500).astype(np.uint8)
    assert reference[21] != reference[22]
    copy = np.concatenate([reference[:22], reference[23:]])
    flank = rng.integers(0, 4, 300).astype(np.uint8)
    a = len(codes) + len(flank)
    genome = np.concatenate([codes, flank, copy, flank[::-1]])
    directory = _model(tmp_path / "model")
    _write_references(directory, reference)
    model = load_track_model(directory)
    mutagenesis = OrfMutagenesis(model, {"chr": genome}, "chr")
    window = (a - 20, a + 20)
    mutagenesis.prepare_window(*window)
    assert_variants_match_full_rescoring(model, mutagenesis, genome, window, [(a + 10, (int(genome[a + 10]) + 1) % 4)])
