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
