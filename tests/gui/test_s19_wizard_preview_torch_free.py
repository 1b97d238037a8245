"""The training wizard's Data-page preview imports no torch (session 19): its window and context came from
``window_need``, which imported the architecture's trainer (torch; transformers for GeneCNN) on the preview's worker,
and that import held the GIL for 0.3-0.6 s at a time: the wizard froze over and over for 6-14 s while the page said
"Reading the genome…". The numbers now come from the registry row's torch-free ``windows`` function (GeneCNN:
models/genecnn/shape.py), the one the trainer's ``prepare`` uses too. Run in a child process, so that no other test
has imported torch already."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.wizard import TrainingWizard
w = TrainingWizard(); w.ask_before_closing = False; w.show()
page = w.data_page
page.fasta_edit.setText(str(EXAMPLE_GENOME)); page.annotation_edit.setText(str(EXAMPLE_ANNOTATION))
cases = [{"architecture": "genecnn"}, {"architecture": "genecnn", "init_from": "genecnn-ecoli"},
         {"architecture": "genecnn", "context": 3000},
         {"architecture": "genecnn", "model_options": {"downsample": 4, "dilations": [1, 2, 4], "kernel_size": 5}},
         {"architecture": "kmer-bert"}, {"architecture": "geneorf"}]
out = []
for case in cases:
    for key in ("architecture", "init_from", "context", "model_options"):
        w.values[key] = case.get(key)
    page.refresh_preview()
    t0 = time.monotonic()
    while page.preview is None or page.preview.get("_case") is not None:
        app.processEvents(); time.sleep(0.005)
        if time.monotonic() - t0 > 120:
            raise SystemExit("no preview after 120 s: " + page.preview_label.text())
    p = page.preview
    p["_case"] = 1   # the next case waits for its own preview
    out.append([case, p["window"], p["context"], p["window_bases"], p["valid"]["windows"],
                sorted(m for m in ("torch", "transformers") if m in sys.modules)])
w.close()
print("RESULT " + json.dumps(out))
"""


def test_the_data_page_preview_counts_windows_without_torch(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GENOVIEW_HOME": str(tmp_path / "home")}
    run = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))[7:])
    # (window, context, window bases, validation windows) as window_need gave them when it imported the trainers
    assert [row[1:5] for row in rows] == [
        [4000, 2143, 8286, 0], [4000, 2143, 8286, 0], [4000, 3143, 10286, 0], [4000, 2068, 8136, 0],
        [4000, 0, 4000, 1], [4000, 0, 4000, 1]]
    assert all(row[5] == [] for row in rows), rows   # neither torch nor transformers was imported


def test_genecnn_windows_are_its_configs_own():
    """One owner: the torch-free rule gives the context GeneCNNConfig (what ``prepare`` builds) gives."""
    from genoview.core.models.genecnn import GeneCNNConfig
    from genoview.core.models.genecnn.shape import window_need
    from genoview.core.models.genecnn.training import _fresh_config
    from genoview.core.training.architectures import window_need as need_of
    from genoview.core.training.spec import TrainingSpec

    for options, context in (({}, None), ({"downsample": 4, "dilations": [1, 2, 4], "kernel_size": 5}, None),
                             ({"orf_reach": 500, "downsample": 3}, None), ({}, 3000), ({"orf_reach": 90}, 7)):
        spec = TrainingSpec(architecture="genecnn", model_options=options, context=context, window=5000)
        assert window_need(spec) == need_of(spec) == (5000, _fresh_config(spec, options).context)
    model = ROOT / "models" / "genecnn-ecoli"
    spec = TrainingSpec(architecture="genecnn", init_from=str(model))
    assert need_of(spec) == (4000, GeneCNNConfig.from_pretrained(str(model)).context)
