"""Inference: seamless tiling, streaming callbacks, cancel, bedGraph and GFF output."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.errors import Cancelled, GenoViewInputError
from genoview.core.genome import open_genome
from genoview.core.inference import (
    predict_region, predicted_genes, read_bedgraph, write_bedgraph, write_gene_gff,
)
from genoview.core.jobs import CancelToken
from genoview.core.models.base import TrackModel


class WindowMeanModel(TrackModel):
    """Probability = mean base code over +-context around each base: depends on the flanks, like real models."""

    def __init__(self, chunk_size: int, context: int = 25):
        self.chunk_size, self.context, self.default_batch_size = chunk_size, context, 3
        self.info, self.calls = {}, 0

    def predict_chunk(self, codes):
        self.calls += 1
        sums = np.concatenate([np.zeros((codes.shape[0], 1)), np.cumsum(codes, axis=1)], axis=1)
        c, n = self.context, self.chunk_size
        centre = np.arange(c, c + n)
        return ((sums[:, centre + c + 1] - sums[:, centre - c]) / (2 * c + 1) / 4).astype(np.float32)


@pytest.fixture
def record(data_dir):
    return open_genome(data_dir / "engine_tiny.fa").sequences["chrA"]


def test_region_at_once_in_pieces_and_other_chunk_sizes_agree(record):
    whole = predict_region(WindowMeanModel(1000), record)
    assert whole.shape == (record.length,) and whole.dtype == np.float32
    pieces = np.concatenate([predict_region(WindowMeanModel(1000), record, a, min(a + 777, record.length))
                             for a in range(0, record.length, 777)])
    np.testing.assert_allclose(pieces, whole, atol=1e-6)
    np.testing.assert_allclose(predict_region(WindowMeanModel(333), record), whole, atol=1e-6)
    assert whole[0] > whole[25:].min()   # flanks beyond the sequence ends are N (code 4, the highest)


def _tiny_genecnn_track():
    """A small GeneCNN (seeded, mixing weights made large enough to matter) as a track model on the CPU."""
    import torch

    from genoview.core.models.genecnn import GeneCNNConfig, GeneCNNModel
    from genoview.core.models.genecnn.track import GeneCNNTrackModel

    torch.manual_seed(0)
    model = GeneCNNModel(GeneCNNConfig(hidden_size=8, dilations=[1, 3], orf_reach=150, downsample=4))
    with torch.no_grad():
        for block in model.blocks:
            block.mix.weight.normal_(std=0.3)
    return GeneCNNTrackModel(model, None, {}, "cpu")


def test_genecnn_tiles_are_seamless(record):
    track = _tiny_genecnn_track()
    outputs = []
    for chunk in (600, 1000, 4096):
        track.chunk_size = chunk
        outputs.append(predict_region(track, record, 1000, 9000))
    outputs.append(np.concatenate([predict_region(track, record, 1000, 5003), predict_region(track, record, 5003, 9000)]))
    for other in outputs[1:]:
        np.testing.assert_allclose(other, outputs[0], atol=1e-5)


def test_genecnn_short_sequences_read_only_what_they_need(tmp_path):
    """A short contig (and a sequence's last tile) is read as its own length plus the flanks, not as a whole
    ``chunk_size`` tile of N, with the values the whole tile gives (a draft of 1 kb contigs cost ~6x more)."""
    rng = np.random.default_rng(5)
    lengths = [1, 2, 11, 700, 1001, 2600]
    fasta = tmp_path / "draft.fa"
    fasta.write_text("".join(f">c{i}\n{''.join(rng.choice(list('ACGT'), n))}\n" for i, n in enumerate(lengths)))
    records = list(open_genome(fasta).sequences.values())
    track = _tiny_genecnn_track()
    track.chunk_size = 1200
    assert track.tile_multiple == 12
    widths = []
    original = track.predict_chunk
    track.predict_chunk = lambda codes: widths.append(codes.shape[1]) or original(codes)
    cut = [predict_region(track, r) for r in records]
    assert max(widths) - 2 * track.context == 1200            # the 2,600-base contig's first two tiles are whole
    assert sorted(set(widths))[0] - 2 * track.context == 12   # a 1- to 11-base contig reads one 12-base tile
    assert len(widths) == len(lengths) + 1                  # its two whole tiles in one batch, then a 204-base one
    track.predict_chunk, track.any_length = original, False   # every tile whole, as before
    for r, values in zip(records, cut):
        whole = predict_region(track, r)
        assert values.shape == (r.length,)
        np.testing.assert_allclose(values, whole, atol=1e-6, err_msg=r.id)


def test_genecnn_region_values_do_not_depend_on_where_the_region_ends(tmp_path):
    """Only the sequence's own end cuts a tile short: a region ending mid-sequence reads its last tile whole, so
    each base gets exactly (bit for bit) the value a whole-sequence prediction gives it. Cut at the region's end,
    the reverse strand's running sums started elsewhere (E. coli 1-500,000 with genecnn-ecoli: up to 7.5e-5
    apart from the whole genome's values, 72 bedGraph values changed)."""
    import torch

    from genoview.core.models.genecnn import GeneCNNConfig, GeneCNNModel
    from genoview.core.models.genecnn.track import GeneCNNTrackModel

    rng = np.random.default_rng(7)
    fasta = tmp_path / "one.fa"
    fasta.write_text(">s\n" + "".join(rng.choice(list("ACGT"), 5000)) + "\n")
    record = next(iter(open_genome(fasta).sequences.values()))
    torch.manual_seed(0)
    model = GeneCNNModel(GeneCNNConfig(hidden_size=8, dilations=[1, 3], orf_reach=600))
    with torch.no_grad():
        model.hexamer_scores.weight.normal_(std=3.0)   # large running sums, as a trained model's
        for block in model.blocks:
            block.mix.weight.normal_(std=0.3)
    track = GeneCNNTrackModel(model, None, {}, "cpu")
    track.chunk_size = 1200
    whole = predict_region(track, record)
    for start, end in ((0, 1500), (1300, 2999), (2400, 4001)):
        np.testing.assert_array_equal(predict_region(track, record, start, end), whole[start:end],
                                      err_msg=f"{start}-{end}")


def test_genecnn_loads_without_transformers_with_the_same_values(record, tmp_path):
    """Prediction loads GeneCNN with torch alone (network.GeneCNNNetwork): the transformers model's values."""
    import subprocess
    import sys

    import torch

    from genoview.core.models.genecnn import GeneCNNConfig, GeneCNNModel, load_track_model
    from genoview.core.models.genecnn.track import GeneCNNTrackModel
    from genoview.core.models.metadata import ModelMetadata

    torch.manual_seed(1)
    model = GeneCNNModel(GeneCNNConfig(hidden_size=8, dilations=[1, 3], orf_reach=150, rna_kmer_count=3))
    with torch.no_grad():
        for block in model.blocks:
            block.mix.weight.normal_(std=0.3)
        model.set_rna_kmers(torch.tensor([5, 77, 901]))
    model.save_pretrained(tmp_path)
    ModelMetadata().update(name="tiny", architecture="genecnn", task="gene-probability").save(tmp_path)
    light = load_track_model(tmp_path, "cpu")
    assert type(light.model).__name__ == "GeneCNNNetwork"
    full = GeneCNNTrackModel(model, None, {}, "cpu")
    np.testing.assert_array_equal(predict_region(light, record, 500, 7000), predict_region(full, record, 500, 7000))
    code = (f"import sys; from genoview.core.models.genecnn import load_track_model; load_track_model({str(tmp_path)!r}, "
            "'cpu'); print('transformers' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_progress_on_tile_and_cancel(record):
    model = WindowMeanModel(500)
    fractions, tiles = [], []
    predict_region(model, record, 100, 5100, batch_size=2, progress=lambda f, m=None: fractions.append(f),
                   on_tile=lambda a, b, p: tiles.append((a, b, len(p))))
    assert fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert tiles[0] == (100, 500, 400) and tiles[-1] == (5000, 5100, 100)
    assert sum(n for _, _, n in tiles) == 5000

    token = CancelToken()
    model = WindowMeanModel(500)
    seen = []

    def cancel_after_first(a, b, p):
        seen.append(a)
        token.cancel()

    with pytest.raises(Cancelled):
        predict_region(model, record, batch_size=2, cancel=token, on_tile=cancel_after_first)
    assert model.calls == 1 and len(seen) == 2   # the batch in flight finishes, no further batch runs


def test_region_outside_the_sequence_is_an_input_error(record):
    with pytest.raises(GenoViewInputError, match="outside chrA"):
        predict_region(WindowMeanModel(500), record, 0, record.length + 1)


def test_bedgraph_round_trip_and_run_merging(tmp_path):
    probs = np.array([0.1, 0.1, 0.10001, 0.5, 0.5, np.nan, 0.9], dtype=np.float32)
    path = tmp_path / "t.bedGraph"
    lines = write_bedgraph(path, "chr1", 10, probs, track_line="track type=bedGraph")
    assert lines == 3
    text = path.read_text().splitlines()
    assert text[0].startswith("track") and text[1] == "chr1\t10\t13\t0.1000"
    start, values = read_bedgraph(path)["chr1"]
    assert start == 10
    np.testing.assert_allclose(values, [0.1, 0.1, 0.1, 0.5, 0.5, np.nan, 0.9], atol=1e-4)


def test_bedgraph_of_a_bacterial_genome_is_fast(tmp_path):
    import time

    probs = np.random.default_rng(0).random(4_641_652).astype(np.float32)
    probs = np.repeat(probs[::4], 4)[:4_641_652]
    started = time.perf_counter()
    write_bedgraph(tmp_path / "big.bedGraph", "NC_000913.3", 0, probs)
    assert time.perf_counter() - started < 15


def test_predicted_genes_and_gff(tmp_path):
    probs = np.zeros(1000, dtype=np.float32)
    probs[100:400] = 0.9
    probs[500:520] = 0.8
    probs[900:] = 0.7
    genes = predicted_genes(probs, 0.5, min_length=50)
    assert genes == [(100, 400), (900, 1000)]
    path = tmp_path / "g.gff3"
    assert write_gene_gff(path, "chr1", genes, offset=1000) == 2
    lines = path.read_text().splitlines()
    assert lines[0] == "##gff-version 3"
    cols = lines[1].split("\t")
    assert cols[:5] == ["chr1", "GenoView", "gene", "1101", "1400"] and cols[8].startswith("ID=")
