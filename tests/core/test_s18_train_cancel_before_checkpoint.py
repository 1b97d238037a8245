"""H-cli18: `genoview train` stopped by Ctrl-C before its first checkpoint (written at each evaluation) recorded
"cancelled; continue with --resume (.NAME.partial)", but nothing was kept (the empty folder is removed) and
`--resume` then said "there is no unfinished run to resume". The record and the message now say to run the same
command again; one stopped after a checkpoint still says --resume."""
from __future__ import annotations

import pytest

from genoview.core.errors import Cancelled
from genoview.core.jobs import CancelToken
from genoview.core.store import open_store
from genoview.core.training.runner import run_training, work_dir_for
from genoview.core.training.spec import TrainingSpec

TINY_MODEL = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}


@pytest.mark.parametrize("at, kept", [(0.05, False), (0.6, True)])
def test_a_cancelled_run_says_whether_resume_can_continue_it(data_dir, tmp_path, at, kept):
    spec = TrainingSpec(fasta=str(data_dir / "engine_tiny.fa"), annotation=str(data_dir / "engine_tiny.gff3"),
                        architecture="genecnn", window=300, windows_per_epoch=40, batch_size=8, learning_rate=5e-3,
                        epochs=1, max_steps=10, eval_every=4, eval_windows=8, num_threads=1, seed=3,
                        model_options=dict(TINY_MODEL))
    token, said = CancelToken(), []
    with pytest.raises(Cancelled):
        run_training(spec, tmp_path / "cut", name="cut", cancel=token, on_message=said.append,
                     progress=lambda f, m=None: token.cancel() if f >= at else None)
    row = open_store().runs(kind="train", limit=1)[0]
    assert row["status"] == "cancelled"
    assert work_dir_for(tmp_path / "cut").is_dir() == kept
    if kept:
        assert "continue with --resume" in row["message"] and any("--resume continues it" in s for s in said)
    else:
        assert "--resume" not in row["message"] and "nothing to resume; run the same command again" in row["message"]
        assert any("before its first checkpoint" in s for s in said)
