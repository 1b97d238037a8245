"""The k-mer BERT as the coding scorer of an ORF gene finder (kmer_bert/orfs.py) and its model folder."""
from __future__ import annotations

import gzip

import numpy as np
import pytest
import torch

from genoview.core.genome import CODING_FRAME_REVERSE
from genoview.core.models.kmer_bert import KmerBertTrackModel, KmerVocab, build_config, load_track_model, save_model_dir
from genoview.core.models.kmer_bert.data import reverse_complement_codes
from genoview.core.models.kmer_bert.modeling import TASK_TOKENS, model_class
from genoview.core.models.kmer_bert.orfs import OrfDecoder, call_genes_bert, calls_track, genome_shift, record_classes
from genoview.core.models.kmer_bert.tokenization_kmer import codes_from_text

STOPS = ("TAA", "TAG", "TGA")


def genome_with_one_gene(seed: int = 0, n: int = 3000, gene_start: int = 900, codons: int = 300):
    """(codes, classes): random sequence holding one ATG..TAA gene on +, and class probabilities that call
    its bases coding in its frame (0.8) and every other base non-genic (0.8)."""
    rng = np.random.default_rng(seed)
    body = []
    while len(body) < codons - 2:
        c = "".join(rng.choice(list("ACGT"), size=3))
        if c not in STOPS:
            body.append(c)
    gene = "ATG" + "".join(body) + "TAA"
    text = "".join(rng.choice(list("ACGT"), size=gene_start)) + gene
    text += "".join(rng.choice(list("ACGT"), size=n - len(text)))
    classes = np.full((n, 8), 0.2 / 7, dtype=np.float32)
    classes[:, 0] = 0.8
    end = gene_start + len(gene)
    classes[gene_start:end] = 0.2 / 7
    classes[np.arange(gene_start, end), 2 + np.arange(len(gene)) % 3] = 0.8
    return codes_from_text(text), classes, (gene_start, end)


@pytest.mark.parametrize("strand", [1, -1])
def test_bert_evidence_along_an_orf_calls_that_gene_on_its_strand(strand):
    codes, classes, (start, end) = genome_with_one_gene()
    n = len(codes)
    if strand < 0:   # the same genome read from the other strand: the gene is on -
        codes = reverse_complement_codes(codes).copy()
        classes = classes[::-1][:, CODING_FRAME_REVERSE].copy()
        start, end = n - end, n - start
    calls = call_genes_bert({"s": codes}, {"s": classes}, OrfDecoder(coding_weight=0.1, bias=-5.0), 11)
    assert [(c.start, c.end, c.strand, c.start_codon) for c in calls] == [(start, end, strand, "ATG")]
    track = calls_track(calls, n, np.zeros(n))
    assert (track[start:end] > 0.5).all() and (np.delete(track, np.arange(start, end)) < 0.5).all()


def test_median_centre_is_taken_over_all_six_frames():
    _, classes, _ = genome_with_one_gene()
    shift = genome_shift({"s": classes}, OrfDecoder(centre="median"))
    # almost every (base, frame) pair is non-coding: the median is the non-genic bases' log-odds
    assert shift == pytest.approx(np.log(0.2 / 7 + 1e-3) - np.log(0.8 + 1e-3), abs=1e-5)
    assert genome_shift({"s": classes}, OrfDecoder()) == 0.0


def test_decoder_settings_round_trip():
    d = OrfDecoder(coding_weight=0.2, centre="median", length_weight=0.5, start_bonus=(0, -1, -2, -3), bias=-4)
    assert OrfDecoder.from_dict(d.to_dict()) == d
    assert OrfDecoder.from_dict({"coding_weight": 2.0, "unknown": 1}).coding_weight == 2.0


def tiny_orf_track(**settings) -> KmerBertTrackModel:
    vocab = KmerVocab.for_k(3)
    config = build_config(vocab, hidden_size=16, num_layers=1, num_heads=2, max_tokens=66, dropout=0.0)
    config.num_labels = 8
    torch.manual_seed(0)
    return KmerBertTrackModel(model_class(TASK_TOKENS)(config), vocab, TASK_TOKENS, frame_window=31,
                              both_strands=True, **settings)


def test_record_classes_are_probabilities_of_every_base():
    track = tiny_orf_track()
    codes = np.random.default_rng(1).integers(0, 4, size=1234).astype(np.uint8)
    classes = record_classes(track, codes)
    assert classes.shape == (1234, 8) and np.allclose(classes.sum(axis=1), 1.0, atol=1e-4)


def test_orf_decoder_model_round_trips_and_predicts_whole_genomes(tmp_path):
    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region

    track = tiny_orf_track()
    decoder = OrfDecoder(coding_weight=0.1, centre="median", length_weight=1.0, bias=-5.0).to_dict()
    save_model_dir(track.model, track.vocab, tmp_path / "m", {
        "name": "tiny-orf", "architecture": "kmer-bert", "task": "token-classification",
        "kmer_bert": {"k": 3, "labels": "frame", "frame_window": 31, "both_strands": True, "threshold": 0.5,
                      "orf_decoder": decoder}})
    loaded = load_track_model(tmp_path / "m")
    assert loaded.whole_sequence and loaded.orf_decoder == decoder and not loaded.calibration_choices
    assert not loaded.with_setting("orf_decoder", None).whole_sequence
    rng = np.random.default_rng(2)
    with gzip.open(tmp_path / "g.fa.gz", "wt") as fh:
        for i, n in enumerate((3000, 900)):
            fh.write(f">c{i}\n{''.join(rng.choice(list('ACGT'), size=n))}\n")
    with open_genome(tmp_path / "g.fa.gz") as genome:
        parts = [predict_region(loaded, record) for record in genome.sequences.values()]
        part = predict_region(loaded, genome.sequences["c0"], 1000, 1500)
    (chosen,) = loaded.adaptations.values()
    assert chosen["genetic_code"] in (4, 11) and np.isfinite(chosen["coding_shift"])
    assert [len(p) for p in parts] == [3000, 900]
    assert all(((p >= 0) & (p <= 1)).all() for p in parts)
    assert np.array_equal(part, parts[0][1000:1500])     # a region is a slice of its record's track


def test_shipped_orf_model_loads_as_an_orf_decoder():
    from genoview.paths import SHIPPED_MODELS_DIR

    path = SHIPPED_MODELS_DIR / "kmer-bert-ecoli-orfs"
    if not (path / "model.safetensors").is_file():
        pytest.skip("kmer-bert-ecoli-orfs not present")
    track = load_track_model(path)
    assert track.whole_sequence and track.orf_decoder and track.model.config.num_labels == 8


def test_shipped_orf_model_calls_ecoli_genes_on_a_slice(tmp_path, ecoli_fasta, ecoli_gff):
    """30 kb of E. coli (training part) through `genoview predict`'s path: the calls cover its genes."""
    from genoview.core.evaluation import evaluate
    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region
    from genoview.paths import SHIPPED_MODELS_DIR

    path = SHIPPED_MODELS_DIR / "kmer-bert-ecoli-orfs"
    if not (path / "model.safetensors").is_file():
        pytest.skip("kmer-bert-ecoli-orfs not present")
    lo, hi = 1_000_000, 1_030_000
    with open_genome(ecoli_fasta, ecoli_gff) as genome:
        (seqid,) = genome.sequences
        text = genome.sequences[seqid].text(lo, hi)
        labels = genome.label_mask(seqid, ("gene",))[lo:hi]
    with gzip.open(tmp_path / "slice.fa.gz", "wt") as fh:
        fh.write(f">slice\n{text}\n")
    model = load_track_model(path)
    with open_genome(tmp_path / "slice.fa.gz") as genome:
        track = predict_region(model, genome.sequences["slice"])
    (chosen,) = model.adaptations.values()
    assert chosen["genetic_code"] == 11 and chosen["genes"] > 10
    assert evaluate(labels, track, 0.5).mcc > 0.6    # 0.862 when written
