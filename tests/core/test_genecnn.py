"""GeneCNN: reading-frame features on hand-made sequences, HF save/load round trip, the TrackModel wrapper."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from genoview.core.models.genecnn import GeneCNNConfig, GeneCNNModel, MODEL_TYPE, load_track_model
from genoview.core.models.genecnn.features import (
    GEOMETRY_FEATURES, LENGTH_SCALE, feature_count, frame_features, reverse_complement, strand_features,
)

CODE = {"A": 0, "C": 1, "G": 2, "T": 3}


def encode(text: str) -> torch.Tensor:
    return torch.tensor([[CODE.get(c, 4) for c in text]])


def geometry(text: str, reach: int = 3000) -> np.ndarray:
    """(length, 7) forward-strand geometry features, lengths back in bases."""
    out = strand_features(encode(text), torch.zeros(4097, 1), reach)[0, :, :GEOMETRY_FEATURES].numpy().copy()
    out[:, 2:5] = np.expm1(out[:, 2:5] / LENGTH_SCALE)
    out[:, 6] = np.expm1(out[:, 6] / LENGTH_SCALE)
    return out


def tiny_model(**options) -> GeneCNNModel:
    config = GeneCNNConfig(hidden_size=8, dilations=[1, 3], orf_reach=120, chunk_size=200, **options)
    torch.manual_seed(0)
    model = GeneCNNModel(config)
    with torch.no_grad():   # blocks start as the identity; make them do something in tests
        for block in model.blocks:
            block.mix.weight.normal_(std=0.3)
    return model.eval()


def test_orf_geometry_on_a_hand_made_gene():
    seq = "CC" + "ATG" + "AAA" * 5 + "TAA" + "GG"
    g = geometry(seq)
    # codon starting at 2 is ATG: a start; its frame runs from the sequence start to the stop at 20
    assert g[2, 1] == 1 and g[20, 0] == 1 and g[3, 0] == 1   # TGA at 3 is a stop in frame 0
    assert g[2, 2] == pytest.approx(21, abs=1e-3)            # ORF rows -1..6 -> 21 bases
    assert g[8, 3] == pytest.approx(12, abs=1e-3)            # codon at 8 -> stop at 20
    assert g[8, 5] == 1 and g[8, 6] == pytest.approx(21, abs=1e-3)   # ATG upstream, ATG..TAA = 21 bases
    assert g[20, 3] == 0


def test_stops_on_the_reverse_strand():
    seq = "GG" + "TTA" + "GGGGGG"           # TTA on the forward strand is TAA on the reverse strand
    reverse = strand_features(reverse_complement(encode(seq)), torch.zeros(4097, 1), 3000)[0].flip(0)
    stop = reverse[:, 0].numpy()
    # the reverse-strand codon TAA covers forward bases 2..4 and starts at flipped index of base 4
    assert stop[4] == 1 and stop.sum() == 1


def test_orf_reach_caps_lengths():
    seq = "A" * 3000
    g = geometry(seq, reach=300)
    assert g[1500, 2] == pytest.approx(603, abs=1)   # 100 codons each way plus the base's own codon


def test_frame_features_shape_and_fused_projection_agree():
    model = tiny_model()
    codes = torch.randint(0, 5, (2, 700))
    weights = model.hexamer_scores.weight
    wide = frame_features(codes, weights, model.config.orf_reach)
    assert wide.shape == (2, feature_count(model.config.score_dims), 700)
    with torch.no_grad():
        fused = model.project_features(codes).transpose(1, 2)
        reference = model.inputs(wide)
    assert torch.allclose(fused, reference, atol=1e-5)


def test_save_and_load_round_trip_with_automodel(tmp_path):
    from transformers import AutoConfig, AutoModel

    model = tiny_model(downsample=4)
    model.save_pretrained(tmp_path, safe_serialization=True)
    assert (tmp_path / "model.safetensors").exists()
    assert json.loads((tmp_path / "config.json").read_text())["model_type"] == MODEL_TYPE
    assert isinstance(AutoConfig.from_pretrained(tmp_path, local_files_only=True), GeneCNNConfig)
    loaded = AutoModel.from_pretrained(tmp_path, local_files_only=True).eval()
    codes = torch.randint(0, 4, (1, 1000))
    with torch.no_grad():
        assert torch.allclose(model(input_ids=codes).logits, loaded(input_ids=codes).logits, atol=1e-6)


def test_loss_ignores_unlabelled_bases():
    model = tiny_model()
    codes = torch.randint(0, 4, (1, 300))
    labels = torch.full((1, 300), -100.0)
    labels[0, 100:200] = 1.0
    out = model(input_ids=codes, labels=labels)
    expected = torch.nn.functional.binary_cross_entropy_with_logits(out.logits[0, 100:200], labels[0, 100:200])
    assert torch.allclose(out.loss, expected)


def test_track_model_predicts_centres(tmp_path):
    model = tiny_model()
    model.save_pretrained(tmp_path)
    (tmp_path / "genoview.json").write_text(json.dumps({"name": "tiny"}))
    track = load_track_model(tmp_path, "cpu")
    assert track.name == "tiny" and track.context == model.config.context and track.chunk_size == 200
    codes = np.random.default_rng(0).integers(0, 4, (3, 200 + 2 * track.context)).astype(np.uint8)
    probs = track.predict_chunk(codes)
    assert probs.shape == (3, 200) and probs.dtype == np.float32 and ((probs > 0) & (probs < 1)).all()


def test_context_covers_features_and_receptive_field():
    config = GeneCNNConfig(orf_reach=2000, dilations=[1, 3, 9], downsample=4, chunk_size=1001)
    assert config.context >= 2000 + config.receptive_radius()
    assert config.context % 4 == 0 and config.chunk_size % 4 == 0


@pytest.mark.realdata
def test_shipped_model_on_a_slice_of_the_ecoli_test_part(ecoli_fasta, ecoli_gff):
    from genoview.core.evaluation import evaluate
    from genoview.core.genome import open_genome, split_bounds
    from genoview.core.inference import predict_region
    from genoview.paths import SHIPPED_MODELS_DIR

    model = load_track_model(SHIPPED_MODELS_DIR / "genecnn-ecoli", "cpu")
    genome = open_genome(ecoli_fasta, ecoli_gff)
    record = genome.sequences["NC_000913.3"]
    start = split_bounds(record.length, 0.7, 1.0)[0]
    end = start + 200_000
    probs = predict_region(model, record, start, end)
    report = evaluate(genome.label_mask(record.id)[start:end], probs)
    assert report.mcc >= 0.85 and report.roc_auc >= 0.97


def test_hexamer_log_odds_from_the_training_part_favour_the_coding_frame(data_dir):
    from genoview.core.genome import open_genome
    from genoview.core.models.genecnn.coding_potential import hexamer_indices, hexamer_log_odds
    from genoview.core.training.datasets import Region, load_tracks

    genome = open_genome(data_dir / "engine_tiny.fa", data_dir / "engine_tiny.gff3")
    tracks = load_tracks(genome, ["chrA", "chrB"], ["gene"])
    assert hexamer_log_odds(genome, tracks, [Region("chrA", 0, 14982)], ("CDS",)) is None
    scores = hexamer_log_odds(genome, tracks, [Region("chrA", 0, 14982)], ("gene",))
    assert scores.shape == (4097, 2) and scores[4096].tolist() == [0.0, 0.0]
    codes = tracks["chrB"][0]
    index = hexamer_indices(codes)
    gene = [f for f in genome.features.on("chrB", ("gene",)) if f.strand == 1][0]   # held out from the counts
    per_frame = [scores[index[gene.start + shift:gene.end - 5:3], 1].mean() for shift in range(3)]
    assert per_frame[0] > max(per_frame[1:])   # synthetic genes differ from their shifted frames only by stops


def test_precomputed_features_give_the_same_centre_predictions():
    from genoview.core.models.genecnn.training import region_features

    model = tiny_model(downsample=4)
    codes = np.random.default_rng(1).integers(0, 4, 3000).astype(np.uint8)
    features = region_features(model, codes, tile=700)
    margin = model.config.receptive_radius() + 4
    a, b = 1200, 1600
    with torch.no_grad():
        direct = model(input_ids=torch.from_numpy(codes[None])).logits[0, a:b]
        window = torch.from_numpy(features[a - margin:b + margin][None])
        served = model(features=window).logits[0, margin:margin + b - a]
    torch.testing.assert_close(served, direct, atol=2e-2, rtol=0)   # float16 storage


def test_rna_memory_finds_copies_on_either_strand_and_survives_save_load(tmp_path):
    from transformers import AutoModel

    from genoview.core.models.genecnn.rna_memory import RNA_LOGIT, canonical_kmers, covered_by

    rng = np.random.default_rng(3)
    rna = torch.from_numpy(rng.integers(0, 4, 60))
    table = torch.unique(canonical_kmers(rna[None], 24)[0])
    table = table[table >= 0]
    filler = torch.from_numpy(rng.integers(0, 4, 100))
    genome = torch.cat([filler, reverse_complement(rna[None])[0], filler])[None]
    covered = covered_by(genome, table, 24)[0]
    assert covered[100:160].all() and not covered[:100].any() and not covered[160:].any()

    model = tiny_model()
    model.set_rna_kmers(table)
    model.save_pretrained(tmp_path)
    loaded = AutoModel.from_pretrained(tmp_path, local_files_only=True).eval()
    assert torch.equal(loaded.rna_kmers, table)
    with torch.no_grad():
        logits = loaded(input_ids=genome).logits[0]
    assert (logits[100:160] >= RNA_LOGIT).all()


def test_inference_path_matches_the_autograd_path():
    """The in-place no-grad kernels (blocks, projection, RNA k-mer lookup) give the training path's logits."""
    from genoview.core.models.genecnn.rna_memory import canonical_kmers

    model = tiny_model(rna_kmer_size=5)
    codes = torch.randint(0, 5, (2, 700))
    codes[0, 100:160] = torch.randint(0, 4, (60,))   # a known RNA stretch without N
    kmers = canonical_kmers(codes[:1, 100:160], 5)
    model.set_rna_kmers(torch.unique(kmers[kmers >= 0]))
    with torch.enable_grad():
        reference = model(input_ids=codes).logits.detach()
    with torch.inference_mode():
        fast = model(input_ids=codes).logits
    assert torch.allclose(fast, reference, atol=1e-5)
    assert (fast[0, 100:160] >= 4.0).all()


@pytest.mark.parametrize("downsample", [1, 4])
def test_centre_logits_skip_the_flanks_with_the_same_values(downsample):
    """``compute_logits(flank=)`` runs the blocks and the RNA memory on the centre and its reach only: the centre's
    logits are those of the whole tile (a 1 kb contig's tile is ~80 % N flank, which the blocks used to run over)."""
    from genoview.core.models.genecnn.rna_memory import canonical_kmers

    model = tiny_model(rna_kmer_size=5, downsample=downsample)
    flank = int(model.config.context)
    codes = torch.randint(0, 4, (2, 2 * flank + 301))
    codes[:, :flank] = 4                               # N beyond a contig's start, as the tiles read it
    codes[1, flank + 40:flank + 100] = torch.randint(0, 4, (60,))
    kmers = canonical_kmers(codes[1:, flank + 40:flank + 100], 5)
    model.set_rna_kmers(torch.unique(kmers[kmers >= 0]))
    with torch.inference_mode():
        whole = model.compute_logits(input_ids=codes)[:, flank:-flank]
        centre = model.compute_logits(input_ids=codes, flank=flank)
    assert centre.shape == (2, 301)
    torch.testing.assert_close(centre, whole, atol=1e-6, rtol=0)
    assert (centre[1, 40:100] >= 4.0).all()


def test_an_even_kernel_size_is_refused_before_training():
    """kernel_size takes odd values only: an even kernel is not centred (separable: a RuntimeError traceback 'size of
    tensor a (500) must match ... (499)'; dense: it reached past the context, and the centre-only blocks of
    ``compute_logits(flank=)`` changed the logits by up to 0.008 with kernel_size 2)."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.training.options import check_options

    assert check_options("genecnn", {"kernel_size": 5}) == {"kernel_size": 5}
    for even in (2, 4):
        with pytest.raises(GenoViewInputError, match=r"kernel_size=%d is not allowed; kernel_size takes one of 1, 3, "
                                                     r"5, 7, 9, 11, 13, 15" % even):
            check_options("genecnn", {"kernel_size": even})
