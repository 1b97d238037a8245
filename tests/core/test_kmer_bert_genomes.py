"""k-mer BERT across genomes: stop-codon-aware frame decoding, the per-genome threshold rule, save/load."""
from __future__ import annotations

import gzip

import numpy as np
import pytest
import torch

from genoview.core.models.kmer_bert import KmerBertTrackModel, KmerVocab, build_config, load_track_model, save_model_dir
from genoview.core.models.kmer_bert.data import reverse_complement_codes
from genoview.core.models.kmer_bert.modeling import (
    TASK_TOKENS, decode_frames, frame_evidence, model_class, padded_chunk, quantile_threshold, sample_starts,
    stop_segments,
)
from genoview.core.models.kmer_bert.tokenization_kmer import codes_from_text


def tiny_frame_track(**settings) -> KmerBertTrackModel:
    vocab = KmerVocab.for_k(3)
    config = build_config(vocab, hidden_size=16, num_layers=1, num_heads=2, max_tokens=66, dropout=0.0)
    config.num_labels = 8
    torch.manual_seed(0)
    return KmerBertTrackModel(model_class(TASK_TOKENS)(config), vocab, TASK_TOKENS, frame_window=31,
                              both_strands=True, **settings)


def test_decoding_without_codes_is_the_best_windowed_frame_mean():
    rng = np.random.default_rng(0)
    classes = rng.dirichlet(np.ones(8), size=(2, 100))
    got = decode_frames(classes, 21)
    evidence = frame_evidence(classes)
    want = np.stack([evidence[:, :, i - 10:i + 11].mean(axis=-1).max(axis=1) for i in range(10, 90)], axis=-1)
    assert got.shape == (2, 80) and np.allclose(got, want)


def test_stop_codons_cut_their_own_frame_on_each_strand():
    #                  0123456789...   + strand: ATG AAA TAA (stop at 6..8, frame 0)
    codes = codes_from_text("ATGCAATAACCCGGG")[None]
    seg = stop_segments(codes)
    plus0 = seg[0, 0]
    assert (plus0[:9] == 0).all() and (plus0[9:] == 1).all()       # the stop belongs to the ORF it ends
    assert (seg[0, 2] == 0).all() and (seg[0, 4] == 0).all()       # other + frames: no stop in frame
    # code 4 reads TGA as Trp: no cut
    assert (stop_segments(codes_from_text("ATGTGAAAA")[None], 4)[0, 0] == 0).all()
    assert stop_segments(codes_from_text("ATGTGAAAA")[None], 11)[0, 0, 6] == 1
    # the same sequence read backwards: the stop now ends a - strand ORF lying to its right
    rc = np.ascontiguousarray(reverse_complement_codes(codes))       # ... TTA CAT at 6..8, 9..14
    minus = stop_segments(rc)[0]
    cut = [t for t in (1, 3, 5) if minus[t].max() > 0]
    assert len(cut) == 1 and (minus[cut[0], :6] == 0).all() and (minus[cut[0], 6:] == 1).all()


def test_stop_aware_decoding_keeps_a_frame_from_running_through_a_stop():
    n, half = 200, 15
    codes = np.zeros((1, n), np.uint8)                                # poly-A: no stops ...
    codes[0, 99:102] = codes_from_text("TAA")                         # ... but one, in + frame 0 (99 % 3 == 0)
    classes = np.zeros((1, n, 8))
    position = np.arange(n)
    classes[0, :102, 0] = 1.0                                          # non-genic up to the stop
    after = position[102:]
    classes[0, after, 2 + after % 3] = 1.0                             # + frame 0 coding after it
    plain = decode_frames(classes, 2 * half + 1)
    aware = decode_frames(classes, 2 * half + 1, codes)
    # a base just before the stop: the plain window borrows the coding evidence on the far side of the stop
    i = 98 - half
    assert aware[0, i] < plain[0, i]
    assert aware[0, 110 - half] > 3 and np.allclose(aware[0, 150 - half], plain[0, 150 - half])


def test_quantile_threshold_calls_the_expected_fraction():
    x = np.random.default_rng(1).normal(size=10_000)
    t = quantile_threshold(x, 0.85)
    assert abs((x > t).mean() - 0.85) < 0.001
    assert quantile_threshold(np.array([np.nan]), 0.9) == 0.0


def test_sampled_chunks_spread_over_contigs_and_pad_with_n():
    starts = sample_starts({"a": 10_000, "b": 500, "c": 30_000}, 1000, 8000)
    lengths = {"a": 10_000, "b": 500, "c": 30_000}
    assert len(starts) == 8 and all(start < lengths[seqid] for seqid, start in starts)
    assert {seqid for seqid, _ in starts} == {"a", "c"} and starts[-1] == ("c", 29_000)
    assert sample_starts({"a": 2500, "b": 10}, 1000, 100_000) == [("a", 0), ("a", 1000), ("a", 2000), ("b", 0)]
    codes = np.arange(10, dtype=np.uint8) % 4
    chunk = padded_chunk(codes, 0, 4, 3)
    assert chunk.tolist() == [4, 4, 4, 0, 1, 2, 3, 0, 1, 2]


def write_fasta(path, sequences):
    with gzip.open(path, "wt") as fh:
        for name, text in sequences.items():
            fh.write(f">{name}\n{text}\n")


def test_threshold_rule_round_trips_and_cuts_each_genome_at_its_genic_fraction(tmp_path):
    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region

    track = tiny_frame_track(stop_aware=True)
    rule = {"rule": "quantile", "genic_fraction": 0.7, "sample_bases": 100_000}
    save_model_dir(track.model, track.vocab, tmp_path / "m", {
        "name": "tiny", "architecture": "kmer-bert", "task": "token-classification",
        "kmer_bert": {"k": 3, "labels": "frame", "frame_window": 31, "both_strands": True, "stop_aware": True,
                      "threshold": 0.5, "threshold_rule": rule}})
    loaded = load_track_model(tmp_path / "m")
    assert loaded.threshold_rule == rule and loaded.stop_aware and loaded.whole_sequence
    assert not loaded.with_setting("threshold_rule", None).whole_sequence
    rng = np.random.default_rng(2)
    write_fasta(tmp_path / "g.fa.gz", {f"c{i}": "".join(rng.choice(list("ACGT"), size=n))
                                       for i, n in enumerate((3000, 2500, 800))})
    with open_genome(tmp_path / "g.fa.gz") as genome:
        parts = [predict_region(loaded, record) for record in genome.sequences.values()]
    (chosen,) = loaded.adaptations.values()
    assert chosen["genetic_code"] in (4, 11) and chosen["sampled_bases"] == 6300
    genic = np.concatenate(parts) >= 0.5
    assert abs(genic.mean() - 0.7) < 0.01          # the whole genome was the sample: exactly its quantile
    # a region alone gets the same values as the whole record (the threshold belongs to the genome)
    with open_genome(tmp_path / "g.fa.gz") as genome:
        part = predict_region(loaded, genome.sequences["c0"], 1000, 1500)
    assert np.allclose(part, parts[0][1000:1500], atol=1e-6)


def test_unknown_threshold_rule_is_refused():
    from genoview.core.errors import GenoViewInputError

    with pytest.raises(GenoViewInputError, match="threshold rule"):
        tiny_frame_track(threshold_rule={"rule": "otsu"})


def test_clipped_rule_keeps_the_fixed_threshold_unless_the_genic_fraction_leaves_its_range():
    from genoview.core.models.kmer_bert.modeling import rule_threshold

    x = np.linspace(-5, 5, 10_001)                          # uniform: fraction above t = (5 - t) / 10
    rule = {"logodds": 0.0, "min_fraction": 0.4, "max_fraction": 0.7}
    assert rule_threshold(x, rule) == 0.0                   # half genic: inside the range
    assert abs(rule_threshold(x, {**rule, "logodds": -4.0}) - (-2.0)) < 1e-3   # 90 % -> held to 70 %
    assert abs(rule_threshold(x, {**rule, "logodds": 3.0}) - 1.0) < 1e-3       # 20 % -> raised to 40 %
    assert abs(rule_threshold(x, {"genic_fraction": 0.25}) - 2.5) < 1e-3


def test_shipped_bacteria_model_chooses_its_threshold_per_genome():
    from genoview.paths import SHIPPED_MODELS_DIR

    path = SHIPPED_MODELS_DIR / "kmer-bert-ecoli-pergenome"
    if not (path / "model.safetensors").is_file():
        pytest.skip("kmer-bert-ecoli-pergenome not present")
    track = load_track_model(path)
    assert track.whole_sequence and track.threshold_rule["rule"] == "quantile"
    assert track.frame_window == 121 and track.both_strands and track.model.config.num_labels == 8
    rng = np.random.default_rng(5)
    records = {"a": rng.integers(0, 4, size=4000).astype(np.uint8)}
    chosen = track.adapt_to_genome(records)
    assert 0.0 < chosen["threshold"] < 1.0 and chosen["sampled_bases"] == 4000
