"""H-rob (session 15): Ctrl+C during `genoview train` said only "interrupted"; its checkpoints stayed in the hidden
.NAME.partial folder and only the run record (unseen) said --resume continues it. The run now says so."""
from __future__ import annotations

import pytest

from genoview.core.errors import Cancelled
from genoview.core.jobs import CancelToken
from genoview.core.training.runner import run_training
from genoview.core.training.spec import TrainingSpec

TINY_MODEL = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}


def test_a_cancelled_run_with_a_checkpoint_says_resume(data_dir, tmp_path):
    spec = TrainingSpec(fasta=str(data_dir / "engine_tiny.fa"), annotation=str(data_dir / "engine_tiny.gff3"),
                        architecture="genecnn", window=300, windows_per_epoch=40, batch_size=8, learning_rate=5e-3,
                        epochs=1, max_steps=10, eval_every=4, eval_windows=8, num_threads=1, seed=3,
                        model_options=dict(TINY_MODEL))
    token = CancelToken()
    said = []
    with pytest.raises(Cancelled):
        run_training(spec, tmp_path / "cut", name="cut", cancel=token, on_message=said.append,
                     progress=lambda f, m=None: token.cancel() if f >= 0.6 else None)
    assert (tmp_path / ".cut.partial").is_dir() and not (tmp_path / "cut").exists()
    assert any(".cut.partial" in line and "--resume continues it" in line for line in said), said
