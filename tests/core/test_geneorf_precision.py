"""GeneORF's per-call precision stage (models/geneorf/precision.py): its features, that it only shortens the
gene list (the track stays) unless its spec says ``track`` (then dropped calls leave the track too), that a
folder without it calls as before, and that adapted children inherit it."""
from __future__ import annotations

import json

import numpy as np

from tests.core.test_adapt import _tiny_geneorf
from tests.core.test_genecalls import _synthetic_genome


def _spec(n_features, b2, cut=0.5):
    """A classifier giving every call the same probability sigmoid(b2)."""
    return {"mean": [0.0] * n_features, "scale": [1.0] * n_features, "w1": [[0.0]] * n_features, "b1": [0.0],
            "w2": [0.0], "b2": float(b2), "cut": cut}


def _kept(codes):
    from genoview.core import genecalls as gc

    kept: dict = {}
    calls, _ = gc.call_genes({"chr": codes}, genetic_code=11, keep=kept)
    return calls, kept


def test_call_features_are_finite_one_row_per_call():
    from genoview.core.models.geneorf.precision import CALL_FEATURES, call_features

    codes, _ = _synthetic_genome(seed=3, genes=10)
    calls, kept = _kept(codes)
    keys, x = call_features(kept)
    assert x.shape == (len(calls), len(CALL_FEATURES)) and len(keys) == len(calls)
    assert np.isfinite(x).all()
    gc_col = CALL_FEATURES.index("genome_gc")
    assert np.allclose(x[:, gc_col], np.isin(codes, (1, 2)).mean())


def test_gc_at_the_third_codon_position_is_read_in_the_calls_frame():
    """A gene whose codons carry G/C only at their third base: its GC-frame margin is 1 on either strand."""
    from genoview.core import genecalls as gc
    from genoview.core.models.geneorf.precision import CALL_FEATURES, call_features

    rng = np.random.default_rng(0)
    body = np.stack([rng.choice([0, 3], 300), rng.choice([0, 3], 300), rng.choice([1, 2], 300)], 1)
    body[:, 0] = 0                                            # codons A..: never a stop
    gene = np.concatenate([[0, 3, 2], body.ravel(), [3, 0, 0]]).astype(np.uint8)   # ATG ... TAA
    flank = np.full(200, 3, dtype=np.uint8)                   # poly-T: no ATG in frame on +
    checked = 0
    for strand in (1, -1):
        seq = gene if strand > 0 else gc.reverse_complement(gene)
        codes = np.concatenate([flank, seq, flank])
        kept: dict = {}
        gc.call_genes({"chr": codes}, genetic_code=11, keep=kept, min_length=90)
        keys, x = call_features(kept)
        seqs, scored = kept["seqs"], kept["scored"]
        hit = [n for n, (i, s, j) in enumerate(keys) if s == strand
               and scored[(i, s)][3][j] - scored[(i, s)][2][j] == len(gene)]
        if not hit:   # the decoder chose another form: the feature is checked on what it chose
            continue
        assert x[hit[0], CALL_FEATURES.index("gc3_margin")] > 0.99
        checked += 1
    assert checked


def test_the_stage_only_shortens_the_gene_list(tmp_path):
    from genoview.core.models.geneorf.precision import CALL_FEATURES
    from genoview.core.models.geneorf.track import load_track_model

    codes, _ = _synthetic_genome(seed=4, genes=8)
    directory = _tiny_geneorf(tmp_path / "m")
    plain = load_track_model(directory)
    calls0, _, tracks0 = plain.call_genome({"chr": codes})
    assert plain.model.config.call_filter is None and calls0
    config = json.loads((directory / "config.json").read_text())
    for b2, expect_all in ((-5.0, False), (5.0, True)):
        config["call_filter"] = _spec(len(CALL_FEATURES), b2)
        (directory / "config.json").write_text(json.dumps(config))
        calls, _, tracks = load_track_model(directory).call_genome({"chr": codes})
        np.testing.assert_array_equal(tracks["chr"], tracks0["chr"])
        cds = [c for c in calls if c.kind == "CDS"]
        assert (cds == [c for c in calls0 if c.kind == "CDS"]) if expect_all else not cds


def test_with_track_the_dropped_calls_leave_the_track(tmp_path):
    """``call_filter["track"]``: a dropped call's bases are graded as any base outside the called genes (below
    0.5); a kept call's are as without the stage; the gene list is the same as without ``track``."""
    from genoview.core.models.geneorf.precision import CALL_FEATURES
    from genoview.core.models.geneorf.track import OUTSIDE_CEILING, load_track_model

    codes, _ = _synthetic_genome(seed=4, genes=8)
    directory = _tiny_geneorf(tmp_path / "m")
    config = json.loads((directory / "config.json").read_text())
    config["rna_threshold"] = 1.01   # the RNA head off (as shipped): only protein calls raise the track
    (directory / "config.json").write_text(json.dumps(config))
    calls0, _, tracks0 = load_track_model(directory).call_genome({"chr": codes})
    for b2, expect_all in ((-5.0, False), (5.0, True)):
        config["call_filter"] = dict(_spec(len(CALL_FEATURES), b2), track=True)
        (directory / "config.json").write_text(json.dumps(config))
        calls, _, tracks = load_track_model(directory).call_genome({"chr": codes})
        if expect_all:
            np.testing.assert_array_equal(tracks["chr"], tracks0["chr"])
            assert calls == calls0
        else:
            assert not [c for c in calls if c.kind == "CDS"]
            assert tracks["chr"].max() <= OUTSIDE_CEILING
            assert tracks0["chr"].max() > 0.5


def test_an_adapted_child_inherits_the_stage(tmp_path):
    from genoview.cli.adapt import adapt_model
    from genoview.core.models.geneorf.precision import CALL_FEATURES
    from genoview.core.models.geneorf.track import load_track_model

    codes, _ = _synthetic_genome(seed=5, genes=8)
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr\n" + "".join("ACGTN"[c] for c in codes) + "\n")
    parent = _tiny_geneorf(tmp_path / "parent")
    config = json.loads((parent / "config.json").read_text())
    config["call_filter"] = _spec(len(CALL_FEATURES), 1.0, cut=0.3)
    (parent / "config.json").write_text(json.dumps(config))
    out = adapt_model(str(parent), str(fasta), tmp_path / "child", name="tiny-child", command="test").path
    child = json.loads((out / "config.json").read_text())
    assert child["call_filter"] == config["call_filter"]
    assert load_track_model(out).model.config.call_filter["cut"] == 0.3


def test_shipped_model_reads_its_stage():
    from genoview.core.models import load_model
    from genoview.core.models.geneorf.precision import CALL_FEATURES

    spec = load_model("geneorf-bacteria").model.config.call_filter
    if spec is not None:   # shipped with the stage: a one-hidden-layer classifier over CALL_FEATURES
        assert len(spec["mean"]) == len(CALL_FEATURES) == len(spec["w1"])
        assert len(spec["b1"]) == len(spec["w2"]) and 0.0 < spec["cut"] < 1.0
