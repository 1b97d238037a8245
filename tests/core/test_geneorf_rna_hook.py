"""GeneORF's RNA genes by homology (rna_homology.py) reach its calls and track through call_genome when the model
folder holds rna_references.fasta; `genoview adapt` carries the file; the mutagenesis panel's local track follows."""
from __future__ import annotations

import shutil

import numpy as np

from tests.core.test_adapt import _tiny_geneorf
from tests.core.test_genecalls import _synthetic_genome


def _genome_with_rrna(seed: int = 5):
    """(genome codes, reference 16S codes, (start, end) of its copy): a synthetic genome with a 1,500-base
    'rRNA' appended on the reverse strand, 12 bases changed from the reference."""
    from genoview.core.genecalls import reverse_complement

    codes, _ = _synthetic_genome(seed=seed, genes=12)
    rng = np.random.default_rng(seed)
    reference = rng.integers(0, 4, 1500).astype(np.uint8)
    copy = reference.copy()
    changed = rng.choice(len(copy), 12, replace=False)
    copy[changed] = (copy[changed] + 1) % 4
    flank = rng.integers(0, 4, 300).astype(np.uint8)
    start = len(codes) + len(flank)
    genome = np.concatenate([codes, flank, reverse_complement(copy), flank[::-1]])
    return genome, reference, (start, start + len(copy))


def _model(directory):
    """The tiny GeneORF of test_adapt without RNA-head calls (its random head would call RNA anywhere)."""
    import json

    _tiny_geneorf(directory)
    config = json.loads((directory / "config.json").read_text())
    config["rna_threshold"] = 1.01
    (directory / "config.json").write_text(json.dumps(config))
    return directory


def _write_references(directory, reference):
    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE

    text = "".join("ACGT"[c] for c in reference)
    (directory / REFERENCES_FILE).write_text(f">other|16S|{len(reference)}\n{text}\n")


def test_a_folder_with_references_calls_rna_genes_by_homology(tmp_path):
    from genoview.core.models.geneorf.track import load_track_model

    genome, reference, (a, b) = _genome_with_rrna()
    plain = _model(tmp_path / "plain")
    with_refs = tmp_path / "with_refs"
    shutil.copytree(plain, with_refs)
    _write_references(with_refs, reference)

    def rrna(calls):
        return [c for c in calls if c.kind == "rRNA" and c.start < b and c.end > a]

    calls, _, tracks = load_track_model(plain).call_genome({"chr": genome})
    assert not rrna(calls)
    calls, _, tracks = load_track_model(with_refs).call_genome({"chr": genome})
    found = rrna(calls)
    assert len(found) == 1 and found[0].strand == -1
    assert abs(found[0].start - a) <= 12 and abs(found[0].end - b) <= 12
    assert (tracks["chr"][found[0].start:found[0].end] >= 0.5).all()
    # no protein call lies mostly inside the RNA gene
    inside = [c for c in calls if c.kind == "CDS" and min(c.end, b) - max(c.start, a) > 0.5 * (c.end - c.start)]
    assert not inside


def test_adapt_carries_the_references(tmp_path):
    from genoview.cli.adapt import adapt_model
    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE

    genome, reference, _ = _genome_with_rrna()
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr\n" + "".join("ACGTN"[c] for c in genome) + "\n")
    parent = _model(tmp_path / "parent")
    _write_references(parent, reference)
    out = adapt_model(str(parent), str(fasta), tmp_path / "adapted", name="tiny-adapted-refs", command="test").path
    assert (out / REFERENCES_FILE).read_text() == (parent / REFERENCES_FILE).read_text()


def test_local_mutagenesis_track_keeps_the_homology_genes(tmp_path):
    from genoview.core.models.geneorf.track import load_track_model
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    genome, reference, (a, b) = _genome_with_rrna()
    directory = _model(tmp_path / "model")
    _write_references(directory, reference)
    model = load_track_model(directory)
    mutagenesis = OrfMutagenesis(model, {"chr": genome}, "chr")
    window = (a - 100, a + 100)       # across the RNA gene's left edge
    full = model.call_genome({"chr": genome})[2]["chr"]
    np.testing.assert_allclose(mutagenesis.prepare_window(*window), full[window[0]:window[1]], atol=1e-5)
    variants = [(a - 50, (int(genome[a - 50]) + 1) % 4), (a + 40, (int(genome[a + 40]) + 2) % 4)]
    assert_variants_match_full_rescoring(model, mutagenesis, genome, window, variants)


def assert_variants_match_full_rescoring(model, mutagenesis, genome, window, variants):
    """Each variant's local track equals calling the whole mutated sequence (with the reference's statistics)."""
    original = model.model.stored_statistics
    model.model.stored_statistics = lambda: mutagenesis.stats
    try:
        for (p, base), fast in zip(variants, mutagenesis.variant_tracks(variants)):
            mutated = genome.copy()
            mutated[p] = base
            slow = model.call_genome({"chr": mutated})[2]["chr"][window[0]:window[1]]
            np.testing.assert_allclose(fast, slow, atol=1e-5)
    finally:
        model.model.stored_statistics = original


def test_an_rna_head_switched_off_is_not_run(tmp_path, monkeypatch):
    from genoview.core.models.geneorf import rna
    from genoview.core.models.geneorf.track import load_track_model

    genome, reference, _ = _genome_with_rrna()
    directory = _model(tmp_path / "model")          # rna_threshold 1.01
    model = load_track_model(directory)
    before = model.call_genome({"chr": genome})

    def refuse(*args, **kwargs):
        raise AssertionError("the RNA head ran although its threshold is >= 1")
    monkeypatch.setattr(rna, "rna_probabilities_outside", refuse)
    monkeypatch.setattr(rna, "rna_probabilities", refuse)
    calls, _, tracks = model.call_genome({"chr": genome})
    assert [(c.start, c.end, c.kind) for c in calls] == [(c.start, c.end, c.kind) for c in before[0]]
    np.testing.assert_array_equal(tracks["chr"], before[2]["chr"])
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    mutagenesis = OrfMutagenesis(model, {"chr": genome}, "chr")
    np.testing.assert_allclose(mutagenesis.prepare_window(100, 200), tracks["chr"][100:200], atol=1e-5)
    assert len(mutagenesis.variant_tracks([(150, (int(genome[150]) + 1) % 4)])) == 1
