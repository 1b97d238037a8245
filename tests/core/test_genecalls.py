"""Gene calls from ORFs (genecalls.py): candidates, the DP, genetic code, GFF3 and protein output."""
from __future__ import annotations

import io

import numpy as np
from genoview.core import gene_level as gl
from genoview.core import genecalls as gc

CODONS = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT"]
STOPS = {"TAA", "TAG", "TGA"}


def _synthetic_genome(seed=0, genes=40, gene_codons=300, spacer=150, tga_inside=False, gc_bias=0.5):
    """A genome of planted genes (a biased codon usage) on both strands between random spacers.

    Returns (codes, [(start, end, strand)])."""
    rng = np.random.default_rng(seed)
    sense = [c for c in CODONS if c not in STOPS]
    usage = rng.dirichlet(np.full(len(sense), 0.3))
    pieces, planted, pos = [], [], 0

    def spacer_seq(n):
        p = [(1 - gc_bias) / 2, gc_bias / 2, gc_bias / 2, (1 - gc_bias) / 2]
        return "".join(rng.choice(list("ACGT"), size=n, p=p))
    for i in range(genes):
        gap = spacer_seq(spacer) + "AGGAGG" + spacer_seq(7)
        body = [sense[k] for k in rng.choice(len(sense), size=gene_codons, p=usage)]
        if tga_inside:
            for k in range(40, gene_codons, 60):
                body[k] = "TGA"
        gene = "ATG" + "".join(body) + "TAA"
        strand = 1 if i % 3 else -1
        if strand < 0:
            gene = gene[::-1].translate(str.maketrans("ACGT", "TGCA"))
            gap = gap[::-1].translate(str.maketrans("ACGT", "TGCA"))
            piece = spacer_seq(20) + gene + gap   # the upstream side of a reverse gene lies to its right
            start = pos + 20
        else:
            piece = gap + gene
            start = pos + len(gap)
        planted.append((start, start + len(gene), strand))
        pieces.append(piece)
        pos += len(piece)
    pieces.append(spacer_seq(spacer))
    text = "".join(pieces)
    codes = np.frombuffer(text.encode(), dtype=np.uint8)
    lut = np.full(256, 4, dtype=np.uint8)
    for k, b in enumerate(b"ACGT"):
        lut[b] = k
    return lut[codes], planted


def test_planted_genes_are_called_on_both_strands_with_their_stops():
    codes, planted = _synthetic_genome()
    calls, stats = gc.call_genes({"chr": codes}, genetic_code=11)
    report = gl.compare_genes(gl.genes_of_calls(calls), [("chr", a, b, s) for a, b, s in planted])
    assert report.stop_sensitivity >= 0.9
    assert report.stop_precision >= 0.8
    assert {c.strand for c in calls} == {1, -1}
    for c in calls:
        assert (c.end - c.start) % 3 == 0 and c.end - c.start >= gc.MIN_GENE


def test_choose_genes_allows_small_overlaps_only():
    left = np.array([0, 250, 100, 600])
    right = np.array([300, 600, 500, 900])
    score = np.array([5.0, 5.0, 6.0, -1.0])
    chosen = set(gc.choose_genes(left, right, score, max_overlap=60).tolist())
    assert chosen == {0, 1}          # 50 bases of overlap are fine; negative scores are never kept
    assert set(gc.choose_genes(left, right, score, max_overlap=10).tolist()) == {2}


def test_translate_reads_tga_as_trp_under_code_4_and_starts_as_m():
    codes = np.array(["ACGT".index(b) for b in "GTGTGAAAATAA"], dtype=np.uint8)
    assert gc.translate(codes, 11) == "M*K*"
    assert gc.translate(codes, 4) == "MWK*"


def test_genetic_code_4_detected_when_tga_is_inside_genes():
    codes, _ = _synthetic_genome(seed=1, genes=30, gene_codons=600, tga_inside=True, gc_bias=0.3)
    assert gc.long_orf_ratio({"chr": codes}) > 2.5
    assert gc.detect_genetic_code({"chr": codes}, max_gc=1.0) == 4
    assert gc.detect_genetic_code({"chr": codes}, max_gc=0.0) == 11   # GC-rich genomes are not tested
    codes, _ = _synthetic_genome(seed=1, genes=30, gene_codons=600, gc_bias=0.3)
    assert gc.detect_genetic_code({"chr": codes}, max_gc=1.0) == 11


def test_gff3_and_proteins_are_prodigal_like():
    codes, planted = _synthetic_genome(seed=2, genes=12)
    calls, stats = gc.call_genes({"chr": codes}, genetic_code=11)
    text = io.StringIO()
    gc.write_gff3(text, calls, {"chr": len(codes)})
    lines = [line.split("\t") for line in text.getvalue().splitlines() if not line.startswith("#")]
    assert sum(f[2] == "gene" for f in lines) == sum(f[2] == "CDS" for f in lines) == len(calls)
    for f in lines:
        if f[2] == "CDS":
            assert f[7] == "0" and int(f[3]) >= 1 and "Parent=" in f[8]
    faa = io.StringIO()
    assert gc.write_proteins(faa, calls, {"chr": codes}) == len(calls)
    records = faa.getvalue().split(">")[1:]
    assert all(r.split("\n", 1)[1].replace("\n", "").startswith("M") for r in records)
    assert all(r.split("\n", 1)[1].replace("\n", "").endswith("*") for r in records)


def test_gff3_reads_back(tmp_path):
    from genoview.core.io import read_annotation

    codes, planted = _synthetic_genome(seed=3, genes=10)
    calls, _ = gc.call_genes({"chr": codes}, genetic_code=11)
    path = tmp_path / "calls.gff3"
    with open(path, "w") as handle:
        gc.write_gff3(handle, calls, {"chr": len(codes)})
    features, _ = read_annotation(str(path))
    cds = gl.annotated_cds(features)
    assert sorted(cds) == sorted(gl.genes_of_calls(calls))


def test_track_evidence_joins_the_score():
    codes, planted = _synthetic_genome(seed=4, genes=15)
    track = np.full(len(codes), 0.02, dtype=np.float32)
    a, b, _ = planted[0]
    track[a:b] = 0.98
    without, _ = gc.call_genes({"chr": codes}, genetic_code=11)
    with_track, _ = gc.call_genes({"chr": codes}, genetic_code=11, tracks={"chr": track})
    planted_stop = gl.stop_key(("chr", a, b, planted[0][2]))
    assert planted_stop in {gl.stop_key(g) for g in gl.genes_of_calls(with_track)}
    assert len(with_track) < len(without)   # a track calling the rest non-genic removes genes


def test_start_background_weighs_start_codons_against_every_start_of_the_genome():
    """start_background 0: chosen starts against the other starts of their ORFs (as before); 1: against every
    candidate start of the genome (Prodigal's background); 0.5: the mean of the two log-odds. The scorer's
    ``start_background`` attribute (a model's config) sets it when self_train is not told."""
    codes, _ = _synthetic_genome(seed=3)
    seqs = gc.enumerate_candidates({"chr": codes}, 11)
    old = gc.self_train(seqs, 11)
    assert old.start_background == 0.0
    chosen = {(0, 1): np.array([0, 5, 9]), (0, -1): np.array([], dtype=np.int64)}
    cands = seqs[0].strands[1]
    picked = gc.GenomeStatistics(start_background=0.0)
    gc._learn_starts(seqs, chosen, picked)
    every = gc.GenomeStatistics(start_background=1.0)
    gc._learn_starts(seqs, chosen, every)
    half = gc.GenomeStatistics(start_background=0.5)
    gc._learn_starts(seqs, chosen, half)
    true = np.bincount(cands.start_type[chosen[(0, 1)]], minlength=4)[:3].astype(float)
    background = sum(np.bincount(seqs[0].strands[s].start_type, minlength=4) for s in (1, -1))[:3].astype(float)
    assert np.allclose(every.start_codon[:3], gc._log_odds(true, background, pseudo=5.0))
    assert np.allclose(half.start_codon, (picked.start_codon + every.start_codon) / 2)
    assert np.allclose(every.upstream, picked.upstream)   # the upstream matrix is unchanged

    def scorer(feats):
        return gc.score_features(feats)
    scorer.start_background = 1.0
    new = gc.self_train(seqs, 11, scorer)
    assert new.start_background == 1.0
    assert not np.allclose(new.start_codon, old.start_codon)
