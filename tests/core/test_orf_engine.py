"""GeneORF's prediction engine: loading without transformers, the vectorised genecalls parts against their
plain-loop versions, and chunk-by-chunk calling of large genomes (chunked.py) in bounded memory."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from genoview.core import genecalls as gc
from genoview.paths import SHIPPED_MODELS_DIR

GENEORF = SHIPPED_MODELS_DIR / "geneorf-bacteria"


@pytest.fixture(scope="module")
def ecoli_slice(ecoli_fasta, tmp_path_factory):
    """A 400 kb slice of E. coli as its own FASTA file (a real genome, small enough for a test)."""
    from genoview.core.genome import open_genome

    with open_genome(ecoli_fasta) as genome:
        record = next(iter(genome.sequences.values()))
        text = record.text(1_000_000, 1_400_000)
    path = tmp_path_factory.mktemp("slice") / "ecoli-slice.fa"
    path.write_text(">slice E. coli 1,000,001-1,400,000\n" + "\n".join(text[i:i + 80] for i in range(0, len(text), 80))
                    + "\n")
    return path


def _codes(path):
    from genoview.core.genome import encode, open_genome

    with open_genome(path) as genome:
        return {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}


def _call_key(calls, digits=9):
    return [(c.seqid, c.start, c.end, c.strand, c.kind, c.start_codon, round(c.score, digits)) for c in calls]


def test_prediction_imports_no_transformers(tmp_path):
    """Loading GeneORF for prediction reads safetensors with numpy: transformers is never imported."""
    code = ("import sys; from genoview.core.models import load_model; m = load_model('geneorf-bacteria'); "
            "m.model.scorer(); print('transformers' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_light_weights_give_the_transformers_models_calls(ecoli_slice):
    """GeneORFWeights (prediction) and the transformers GeneORFModel (training) give identical calls and track."""
    from genoview.core.models.geneorf import GeneORFTrackModel, load_track_model

    light = load_track_model(GENEORF)
    full = GeneORFTrackModel(light.torch_model(), GENEORF, light.info)
    sequences = _codes(ecoli_slice)
    calls_a, stats_a, track_a = light.call_genome(sequences)
    calls_b, stats_b, track_b = full.call_genome(sequences)
    assert len(calls_a) > 300
    assert _call_key(calls_a) == _call_key(calls_b)
    assert np.array_equal(stats_a.coding, stats_b.coding)
    for sid in sequences:
        assert np.array_equal(track_a[sid], track_b[sid])


def _sd_runs_loop(codes):
    """The plain version of genecalls._sd_runs (every piece of AGGAGG, 3-6 long, tried at every base)."""
    n = len(codes)
    out = np.zeros(n, dtype=np.int8)
    for length in range(3, 7):
        for first in range(0, 7 - length):
            hit = np.ones(max(n - length + 1, 0), dtype=bool)
            for k in range(length):
                hit &= codes[k:n - length + 1 + k] == gc.SD_MOTIF[first + k]
            out[:len(hit)] = np.where(hit, np.maximum(out[:len(hit)], length), out[:len(hit)])
    return out


def test_shine_dalgarno_runs_match_the_plain_loop():
    rng = np.random.default_rng(3)
    for n in (0, 2, 6, 50, 20_000):
        codes = rng.choice([0, 2, 2, 2, 0, 1, 3], n).astype(np.uint8)
        assert np.array_equal(gc._sd_runs(type("C", (), {})(), codes), _sd_runs_loop(codes))


def _start_posterior_loop(kept, lengths, temperature=1.0):
    """The plain version of genecalls.start_posterior_track (one np.maximum per start stretch)."""
    out = {seqid: np.zeros(n, dtype=np.float32) for seqid, n in lengths.items()}
    seqs, scored, chosen = kept["seqs"], kept["scored"], kept["chosen"]
    for (i, strand), picked in chosen.items():
        s = seqs[i]
        cands = s.strands[strand]
        _, score, _, _ = scored[(i, strand)]
        key = cands.frame * (1 << 40) + cands.k_stop
        for j in picked.tolist():
            members = np.nonzero(key == key[j])[0]
            members = members[np.argsort(cands.start_nt[members])]
            z = score[members] / temperature
            w = np.exp(z - z.max())
            w /= w.sum()
            conf = 1.0 / (1.0 + np.exp(-min(max(score[j], -50.0), 50.0)))
            cover = np.cumsum(w) * conf
            bounds = np.append(cands.start_nt[members], cands.end_nt[j])
            for k in range(len(members)):
                a, b = int(bounds[k]), int(bounds[k + 1])
                if b <= a:
                    continue
                if strand < 0:
                    a, b = s.length - b, s.length - a
                np.maximum(out[s.seqid][a:b], np.float32(cover[k]), out=out[s.seqid][a:b])
    return out


def test_start_posterior_track_matches_the_plain_loop(ecoli_slice):
    from genoview.core.models.geneorf import load_track_model

    model = load_track_model(GENEORF)
    sequences = _codes(ecoli_slice)
    kept = {}
    gc.call_genes(sequences, weights=model.model.scorer(), keep=kept)
    lengths = {sid: len(c) for sid, c in sequences.items()}
    fast, slow = gc.start_posterior_track(kept, lengths), _start_posterior_loop(kept, lengths)
    for sid in sequences:
        assert np.array_equal(fast[sid], slow[sid])


def test_chunks_give_the_whole_sequences_calls(ecoli_slice, monkeypatch):
    """Called chunk by chunk (overlaps, genes kept by their stop) with the same statistics, a sequence gets the
    calls and track of calling it whole."""
    from genoview.core.genome import open_genome
    from genoview.core.models.geneorf import chunked, load_track_model

    model = load_track_model(GENEORF)
    sequences = _codes(ecoli_slice)
    stats = chunked.train_statistics(model, sequences)
    whole_calls, _, whole_track = model.call_genome(sequences, stats=stats)
    monkeypatch.setattr(chunked, "CHUNK", 120_000)
    monkeypatch.setattr(chunked, "OVERLAP", 30_000)
    with open_genome(ecoli_slice) as genome:
        record = next(iter(genome.sequences.values()))
        calls, out, pieces = [], np.full(record.length, np.nan, dtype=np.float32), 0
        for fraction, chunk in chunked.iter_chunks(model, record, 0, record.length, stats, calls_out=calls):
            for lo, hi, values in chunk:
                out[lo:hi] = values
                pieces += 1
    assert pieces == 4 and fraction == 1.0
    # scores agree to rounding (a chunk's cumulative coding sums start elsewhere)
    assert _call_key(sorted(calls, key=lambda c: (c.start, c.end)), 5) == _call_key(whole_calls, 5)
    np.testing.assert_allclose(out, whole_track[record.id], atol=1e-6)


def test_training_sample_and_region_window():
    from genoview.core.models.geneorf import chunked

    lengths = {"a": 30_000_000, "b": 500_000, "c": 69_500_000}
    pieces = chunked.sample_intervals(lengths, budget=8_000_000, pieces=8)
    assert sum(b - a for _, a, b in pieces) == 8_000_000
    assert {sid for sid, _, _ in pieces} == {"a", "c"} and all(0 <= a < b <= lengths[s] for s, a, b in pieces)
    assert chunked.sample_intervals({"x": 5_000_000}) == [("x", 0, 5_000_000)]
    assert chunked.region_training_window(250_000_000, 100_000_000, 101_000_000) == (99_900_000, 101_100_000)
    assert chunked.region_training_window(250_000_000, 10, 20_010) == (0, 1_000_000)
    assert chunked.region_training_window(1_200_000, 1_190_000, 1_200_000) == (200_000, 1_200_000)


def test_large_genome_streams_chunks_through_the_prediction_service(ecoli_slice, tmp_path, monkeypatch):
    """A genome above WHOLE_GENOME_MAX: the prediction service gets one tile per chunk (bedGraph written as
    they come), a region trains on its own window, and `--gff-out` writes the chunks' calls."""
    from genoview.core.genome import open_genome
    from genoview.core.models.geneorf import chunked
    from genoview.core.prediction import PredictionRequest, Tile, predict, run_to_end

    monkeypatch.setattr(chunked, "WHOLE_GENOME_MAX", 100_000)
    monkeypatch.setattr(chunked, "TRAIN_SAMPLE", 200_000)
    monkeypatch.setattr(chunked, "REGION_TRAIN_MIN", 150_000)
    monkeypatch.setattr(chunked, "CHUNK", 100_000)
    monkeypatch.setattr(chunked, "OVERLAP", 20_000)
    with open_genome(ecoli_slice) as genome:
        tiles = []
        request = PredictionRequest(genome=genome, model="geneorf-bacteria", bedgraph=tmp_path / "t.bedGraph",
                                    gff_out=tmp_path / "t.gff3", use_cache=False, record_run=False)
        result = run_to_end(predict(request), on_event=lambda e: tiles.append(e) if isinstance(e, Tile) else None)
        assert [(t.start, t.end) for t in tiles] == [(0, 100_000), (100_000, 200_000), (200_000, 300_000),
                                                    (300_000, 400_000)]
        assert result.genes > 300
        gff = (tmp_path / "t.gff3").read_text()
        assert gff.count("\tCDS\t") > 300
        assert (tmp_path / "t.bedGraph").stat().st_size > 10_000
        seqid = next(iter(genome.sequences))
        region = PredictionRequest(genome=genome, model="geneorf-bacteria", regions=[(seqid, 150_000, 180_000)],
                                   use_cache=False, record_run=False, keep_values=True)
        values = run_to_end(predict(region)).values[0]
    assert len(values) == 30_000 and np.isfinite(values).all() and (values > 0.5).mean() > 0.5
