"""Edge cases found in review (session 6): empty records and similar inputs the new code paths must survive."""
from __future__ import annotations

import numpy as np


def test_orf_decoder_genome_shift_of_an_empty_record():
    from genoview.core.models.kmer_bert import orfs

    decoder = orfs.OrfDecoder(centre="median")
    assert orfs.genome_shift({"empty": np.zeros((0, 8), np.float32)}, decoder) == 0.0
    both = orfs.genome_shift({"empty": np.zeros((0, 8), np.float32), "b": np.full((9, 8), 0.125, np.float32)},
                             decoder)
    assert both == orfs.genome_shift({"b": np.full((9, 8), 0.125, np.float32)}, decoder)


def test_orf_decoder_prediction_with_a_progress_callback(tmp_path):
    """The CLI (progress bar) and the GUI pass predict(progress=...): a k-mer BERT ORF decoder called it with
    one argument where predict's stage callback takes (fraction, message)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from test_kmer_bert_orfs import orf_model_dir_and_genome

    from genoview.core.genome import open_genome
    from genoview.core.prediction import PredictionRequest, predict, run_to_end

    model_dir, fasta = orf_model_dir_and_genome(tmp_path)
    heard = []
    with open_genome(fasta) as genome:
        events = predict(PredictionRequest(genome, model=str(model_dir), regions=[("c1", 0, 1500)], use_cache=False),
                         progress=lambda fraction, message=None: heard.append(fraction))
        run_to_end(events)
        heard.clear()
        events = predict(PredictionRequest(genome, model=str(model_dir), regions=[("c1", 0, 1500)], use_cache=False),
                         progress=lambda fraction, message: heard.append(fraction))
        run_to_end(events)
    assert heard and all(0.0 <= f <= 1.0 for f in heard)


def test_lstm_variants_of_a_long_sequence_run_in_bounded_batches(monkeypatch):
    """A 20 kb region's block of 128 variants ran the LSTM over 128 x 20,000 positions at once (~4 GB of hidden
    states with the shipped hidden size): rows are now split so rows x positions stays under LSTM_BATCH_TOKENS,
    with the same numbers."""
    import torch

    from genoview.core import lm_mutagenesis as lmm
    from genoview.core.lm import TorchCausalLM
    from genoview.core.models.lstm_lm import build

    torch.manual_seed(1)
    model = TorchCausalLM(build(embedding_size=8, hidden_size=12, num_layers=2, dropout=0.0), name="lstm")
    sequence = "".join(np.random.default_rng(5).choice(list("ACGT"), 60))
    variants = [(i, c) for i in (0, 7, 30, 59) for c in (0, 1, 2, 3, 4) if c == 0 or "ACGT"[c - 1] != sequence[i]]
    whole = lmm.prepare_variants(model, sequence)(variants)
    calls = []
    run = model.module.lstm.forward
    monkeypatch.setattr(lmm, "LSTM_BATCH_TOKENS", 3 * 60)
    monkeypatch.setattr(model.module.lstm, "forward", lambda x, *a: calls.append(x.shape[0]) or run(x, *a))
    split = lmm.prepare_variants(model, sequence)(variants)
    assert max(calls) <= 3
    for a, b, v in zip(whole, split, variants):
        assert a.shape == b.shape and np.allclose(a, b, atol=2e-5), v
        full = model.token_logprobs([lmm.mutated_sequence(sequence, v)])[0]
        assert np.allclose(b, full, atol=2e-5), v


def test_fit_gate_survives_a_token_no_member_allows():
    import numpy as np

    from genoview.core.lm_gate import fit_gate

    a = np.log([0.5, 0.2, 0.0, 0.4], where=np.array([True, True, False, True]), out=np.full(4, -np.inf))
    b = np.log([0.1, 0.6, 0.0, 0.2], where=np.array([True, True, False, True]), out=np.full(4, -np.inf))
    table = fit_gate([a, b], np.array([0, 0, 0, 1]), 3, iters=20)
    assert np.isfinite(table).all() and np.allclose(table.sum(axis=1), 1.0)
    assert np.allclose(table[2], 0.5)   # no token in bucket 2: equal weights


def test_set_codes_with_nothing_to_write_is_a_no_op():
    import numpy as np

    from genoview.core.tracks import SparseTrack

    track = SparseTrack(1000)
    track.set_codes(10, np.zeros(0, dtype=np.uint16))
    assert track.predicted_intervals() == []


def test_saturation_accepts_soft_masked_bases():
    from genoview.core.variant_effects import _check_window

    assert _check_window("acgtACGT", 0, None)[0] == "ACGTACGT"


def test_train_lm_refuses_max_steps_below_one(capsys):
    import pytest

    from genoview.cli import main

    with pytest.raises(SystemExit):
        main(["train-lm", "--architecture", "lstm", "--genes", "x.csv", "--out", "y", "--max-steps", "0"])
    assert "at least 1" in capsys.readouterr().err
