"""H-cli19: a track file lacking one sequence of the genome (the example genome's plasmid) is scored as the referee
scores it: ../shared/tools/score_track.py counts every sequence, the bases the track does not cover as probability 0
('uncovered'), and so does `genoview evaluate --bedgraph`. The evaluation panel's "Score all" scored only the
sequences in the file: a file of the chromosome alone was not even offered to be scored as one genome (one sequence),
and one of two of three contigs was scored on those two. The panel now scores every sequence of the genome."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np

from genoview.cli import main as cli_main
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.track_opener import track_key


def test_a_track_file_without_the_plasmid_scores_as_the_referee(qtbot, open_example_window, tmp_path, capsys,
                                                               score_track_script):
    rng = np.random.default_rng(5)
    path = tmp_path / "chromosome-only.bedGraph"   # chrEx only: plasmidEx (8,000 bases) absent
    path.write_text("".join(f"chrEx\t{a}\t{a + 100}\t{round(float(rng.uniform()), 3)}\n"
                            for a in range(0, 100_000, 100)))
    referee = subprocess.run([sys.executable, str(score_track_script), str(path), str(EXAMPLE_ANNOTATION), "--fasta",
                              str(EXAMPLE_GENOME), "--feature-types", "gene"], capture_output=True, text=True,
                             check=True).stdout
    referee = json.loads(referee[:referee.rindex("}") + 1])
    assert referee["n"] == 108_000 and referee["uncovered"] == 8_000

    assert cli_main(["evaluate", "--bedgraph", str(path), "--gff", str(EXAMPLE_ANNOTATION), "--fasta",
                     str(EXAMPLE_GENOME), "--feature-types", "gene", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["n"] == referee["n"] and cli["uncovered"] == referee["uncovered"]
    for key in ("mcc", "accuracy", "precision", "recall", "roc_auc"):
        assert abs(cli[key] - referee[key]) < 1e-4, key

    window = open_example_window(size=(1200, 800))
    with qtbot.waitSignal(window.track_file_opened, timeout=20000):
        window.open_track_file(path)
    panel = window.evaluation_panel
    panel.show()
    panel.set_types(["gene"])
    panel.select_track(track_key(str(path), "chrEx"))
    assert panel.all_button.isVisible() and panel.all_button.text() == "Score all 2 sequences as one genome"
    panel.all_button.click()
    qtbot.waitUntil(lambda: "MCC" in panel.all_label.text(), timeout=30000)
    text = panel.all_label.text()
    assert "on all 2 sequences" in text and "108,000 bases" in text and "8,000 bases not predicted count as 0" in text
    shown = dict(re.findall(r"(MCC|accuracy|precision|recall|ROC AUC) (-?[0-9]+\.[0-9]+)", text))
    for word, key in (("MCC", "mcc"), ("accuracy", "accuracy"), ("precision", "precision"), ("recall", "recall"),
                      ("ROC AUC", "roc_auc")):
        assert shown[word] == f"{referee[key]:.4f}", (word, shown[word], referee[key])
