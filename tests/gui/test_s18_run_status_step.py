"""The Run page's status and bar name the step its curve and metrics line are at (session 18, H-left18): the child's
half-second progress limit dropped the newest progress, so the page said "step 17/60" while its log and eval were at
step 20, for the whole evaluation. Fed here the lines `train --progress json` writes for 20 quick steps."""
from __future__ import annotations

import io
import json

from genoview.cli.train import _JsonLines
from genoview.gui.wizard.window import TrainingWizard


def test_the_status_names_the_step_of_the_last_log_and_eval(qtbot):
    w = TrainingWizard()
    w.ask_before_closing = False
    qtbot.addWidget(w)
    out = io.StringIO()
    events = _JsonLines(out)
    events.emit("start", architecture="genecnn", seed=1)
    for step in range(1, 21):
        events.progress(step / 60, f"step {step}/60 loss 0.5000")
    events.log({"step": 20, "epoch": 1.0, "loss": 0.5, "total_steps": 60})
    events.log({"step": 20, "epoch": 1.0, "eval_mcc": 0.7, "best": True})
    run = w.run_page
    for line in out.getvalue().splitlines():
        run._on_event(json.loads(line))
    assert "step 20" in run.metrics.text()
    assert run.status.text() == "step 20/60 loss 0.5000" and run.progress.value() == round(1000 * 20 / 60)
