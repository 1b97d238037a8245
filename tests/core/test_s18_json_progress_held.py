"""`train --progress json` sends at most two progress events a second; the ones inside the half second were dropped,
so the reader's newest progress was an older step than the log and eval events after it: the wizard's Run page said
"step 17/60" (status and bar) while its curve and metrics line were at step 20, all through the evaluation (session
18, H-left18: measured on engine_tiny, 60 steps, eval every 20). The newest held progress now goes out before the
next other event."""
from __future__ import annotations

import io
import json


def test_the_newest_progress_precedes_each_log_and_eval():
    from genoview.cli.train import _JsonLines

    out = io.StringIO()
    events = _JsonLines(out)
    for step in range(1, 21):   # as the loop calls it: progress each step, a log and an evaluation at step 20
        events.progress(step / 60, f"step {step}/60 loss 0.5")
    events.log({"step": 20, "epoch": 1.0, "loss": 0.5})
    events.log({"step": 20, "epoch": 1.0, "eval_mcc": 0.7, "best": True})
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["event"] for e in lines] == ["progress", "progress", "log", "eval"]
    assert lines[0]["message"] == "step 1/60 loss 0.5"   # the first one sent at once, as before
    assert lines[1] == {"event": "progress", "fraction": round(20 / 60, 4), "message": "step 20/60 loss 0.5"}
    events.emit("done", steps=20)   # nothing held: nothing sent before it
    assert json.loads(out.getvalue().splitlines()[-1])["event"] == "done" and len(out.getvalue().splitlines()) == 5
