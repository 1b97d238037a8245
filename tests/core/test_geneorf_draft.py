"""GeneORF on draft assemblies: partial genes at contig edges scored as complete ones (partial_as_complete), and
fit --draft (contigs cut from annotated genomes, partial genes labelled)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from tests.core.test_genecalls import _synthetic_genome


def _features(planted, seqid="chr"):
    return [SimpleNamespace(type="CDS", seqid=seqid, strand=s, parts=[(a, b)]) for a, b, s in planted]


def test_draft_pieces_cover_the_genome_in_order():
    from genoview.core.models.geneorf.fit import draft_pieces

    codes = np.arange(200_000) % 4
    pieces, where = draft_pieces({"chr": codes.astype(np.uint8)}, seed=3, shortest=5_000, longest=40_000)
    joined = np.concatenate(list(pieces.values()))
    assert np.array_equal(joined, codes)
    assert all(len(c) >= 5_000 for c in pieces.values())
    assert [where[k][1] for k in pieces] == sorted(where[k][1] for k in pieces)
    assert draft_pieces({"chr": codes.astype(np.uint8)}, seed=3, shortest=5_000, longest=40_000)[1] == where


def test_genes_cut_by_a_contig_edge_are_labelled_on_both_sides():
    """A gene running through a cut: its 5' part (true start to the contig end) and its 3' part (from the
    contig edge to the true stop) are genes with the right start; complete genes keep their labels."""
    from genoview.core import genecalls as gc
    from genoview.core.models.geneorf.fit import genome_table

    codes, planted = _synthetic_genome(seed=5, genes=12)
    plus = [g for g in planted if g[2] > 0]
    minus = [g for g in planted if g[2] < 0]
    cuts = [(plus[1][0] + plus[1][1]) // 2 // 3 * 3 + 1, (minus[2][0] + minus[2][1]) // 2]
    bounds = [0, *cuts, len(codes)]
    contigs = {f"chr:{a}": codes[a:b] for a, b in zip(bounds[:-1], bounds[1:])}
    pieces = {f"chr:{a}": ("chr", a) for a in bounds[:-1]}
    weights = (gc.DEFAULT_WEIGHTS, gc.DEFAULT_BIAS)
    table, _ = genome_table(contigs, _features(planted), None, weights, genetic_code=11, pieces=pieces)
    partial = table["x"][:, gc.FEATURES.index("partial")] > 0
    # each cut gene gives two exact partial candidates (5' part and 3' part)
    assert int((table["exact"] & partial).sum()) == 4
    assert (table["stop"] | ~table["exact"]).all()
    # every complete planted gene still has its exact candidate
    assert int((table["exact"] & ~partial).sum()) == len(planted) - 2


def test_partial_candidates_are_scored_as_complete_genes_when_the_model_says_so():
    from genoview.core import genecalls as gc
    from genoview.core.models.geneorf.weights import partial_as_complete

    column = gc.FEATURES.index("partial")
    w = np.arange(len(gc.FEATURES), dtype=np.float64)

    def scorer(feats):
        return feats @ w, feats @ (2 * w)
    feats = np.random.default_rng(0).normal(size=(50, len(gc.FEATURES)))
    feats[:, column] = 0.0
    feats[[3, 17, 40], column] = 1.0
    before = feats.copy()
    gene, start = partial_as_complete(scorer)(feats)
    complete = feats.copy()
    complete[:, column] = 0.0
    assert np.allclose(gene, complete @ w) and np.allclose(start, complete @ (2 * w))
    assert np.array_equal(feats, before)   # the caller's features are left as they are


def test_shipped_model_calls_both_parts_of_a_gene_cut_by_a_contig_edge():
    """geneorf-bacteria on a genome cut into two contigs inside a gene: the gene's 5' part (its start to the contig
    end) and its 3' part (from the next contig's edge to its stop) are both called, as partial genes."""
    from genoview.core.models import load_model

    codes, planted = _synthetic_genome(seed=2, genes=40)
    start, stop, _ = [g for g in planted if g[2] > 0][10]
    cut = (start + stop) // 2
    model = load_model("geneorf-bacteria")
    assert model.model.config.partial_as_complete
    calls, _, _ = model.call_genome({"c1": codes[:cut], "c2": codes[cut:]})
    found = {(c.seqid, c.start, c.strand, c.partial) for c in calls if c.kind == "CDS"}
    assert ("c1", start, 1, "01") in found
    assert any(c.seqid == "c2" and c.start < 3 and c.end == stop - cut and c.partial == "10" for c in calls)


def test_start_background_travels_from_the_config_to_self_training():
    """config start_background reaches genecalls.self_train through the scorer (both loaders, own_columns)."""
    from genoview.core.models.geneorf import GeneORFConfig, GeneORFModel
    from genoview.core.models.geneorf.track import own_columns

    model = GeneORFModel(GeneORFConfig(n_features=14, hidden=4, start_background=0.5))
    assert own_columns(model.scorer(), 14).start_background == 0.5
    assert GeneORFModel(GeneORFConfig(n_features=14, hidden=4)).scorer().start_background == 0.0


def test_shipped_model_weighs_start_codons_against_the_genome():
    from genoview.core.models import load_model

    model = load_model("geneorf-bacteria")
    assert model.model.config.start_background == 0.5
    assert model.model.scorer().start_background == 0.5
