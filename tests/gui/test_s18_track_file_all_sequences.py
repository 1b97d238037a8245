"""An opened track file (File ▸ Open track…) on a genome of several sequences is scored as one genome by the
evaluation panel, with the figures `genoview evaluate --bedgraph FILE` prints (session 18, H-left18): the panel
offered "Score all N sequences as one genome" for a model's tracks only (a track file has no model), so the CLI's
whole-genome figure had no counterpart in the window. Each sequence's own figures already matched (checked on the
example genome: chrEx MCC 0.9564, ROC AUC 0.9989 in both; the two sequences together 0.9597 / 0.9990)."""
from __future__ import annotations

import json
import re

import numpy as np

from genoview.cli import main as cli_main
from genoview.gui.track_opener import track_key


def test_a_track_file_on_two_sequences_scores_as_the_cli_does(qtbot, open_example_window, data_dir, tmp_path, capsys):
    fasta, gff = data_dir / "gui_tiny.fa", data_dir / "gui_tiny.gff3"
    rng = np.random.default_rng(3)
    rows = [(seqid, start, start + 50, round(float(rng.uniform()), 4))
            for seqid, length in (("chrA", 1200), ("chrB", 600)) for start in range(0, length, 50)]
    path = tmp_path / "colleague.bedGraph"
    path.write_text("".join(f"{s}\t{a}\t{b}\t{v}\n" for s, a, b, v in rows))
    assert cli_main(["evaluate", "--bedgraph", str(path), "--gff", str(gff), "--fasta", str(fasta),
                     "--feature-types", "gene", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)

    window = open_example_window(fasta, gff, size=(1200, 800))
    with qtbot.waitSignal(window.track_file_opened, timeout=20000):
        window.open_track_file(path)
    panel = window.evaluation_panel
    panel.show()
    panel.set_types(["gene"])
    panel.select_track(track_key(str(path), "chrA"))
    assert panel.all_button.isVisible() and panel.all_button.text() == "Score all 2 sequences as one genome"
    panel.all_button.click()
    qtbot.waitUntil(lambda: "MCC" in panel.all_label.text(), timeout=30000)
    text = panel.all_label.text()
    assert "colleague.bedGraph on all 2 sequences" in text and "1,800 bases" in text
    shown = dict(re.findall(r"(MCC|accuracy|precision|recall|ROC AUC) (-?[0-9]+\.[0-9]+)", text))
    for word, key in (("MCC", "mcc"), ("accuracy", "accuracy"), ("precision", "precision"), ("recall", "recall"),
                      ("ROC AUC", "roc_auc")):
        assert shown[word] == f"{cli[key]:.4f}", (word, shown[word], cli[key])


def test_a_track_file_of_other_numbers_says_its_threshold_for_the_cli(qtbot, open_example_window, data_dir, tmp_path,
                                                                      capsys):
    """A file of other numbers than probabilities is scored as drawn, scaled from its range to 0..1, so the panel's
    threshold is not the CLI's --threshold on the same file (a score file of -3 to 5: MCC 0.10 in the panel at 0.5,
    0.20 from the CLI at 0.5): the panel says the threshold in the file's numbers, and evaluate --bedgraph given it
    prints the panel's figures; one the CLI cannot take (outside 0..1) is said so."""
    fasta, gff = data_dir / "gui_tiny.fa", data_dir / "gui_tiny.gff3"
    rng = np.random.default_rng(1)
    rows = [(seqid, start, start + 50, round(float(rng.uniform(-0.4, 1.6)), 3))
            for seqid, length in (("chrA", 1200), ("chrB", 600)) for start in range(0, length, 50)]
    path = tmp_path / "score.bedGraph"
    path.write_text("".join(f"{s}\t{a}\t{b}\t{v}\n" for s, a, b, v in rows))
    window = open_example_window(fasta, gff, size=(1200, 800))
    with qtbot.waitSignal(window.track_file_opened, timeout=20000):
        window.open_track_file(path)
    panel = window.evaluation_panel
    panel.show()
    panel.set_types(["gene"])
    panel.select_track(track_key(str(path), "chrA"))
    panel.set_scope("whole")
    with qtbot.waitSignal(panel.evaluated, timeout=30000):
        panel.evaluate_now()
    note = panel.scale_note.text()
    assert panel.scale_note.isVisible() and "not probabilities" in note and "threshold 0.50 here is" in note
    raw = re.search(r"gives these figures with --threshold ([0-9.]+)\)", note).group(1)
    controls = panel.controls   # the pane keeps the height its wrapped lines need: the note's lines were cut
    qtbot.waitUntil(lambda: controls.height() >= controls.layout().heightForWidth(controls.width()), timeout=5000)
    shown = panel.current_metrics()
    assert cli_main(["evaluate", "--bedgraph", str(path), "--gff", str(gff), "--fasta", str(fasta), "--seqid", "chrA",
                     "--feature-types", "gene", "--threshold", raw, "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    for key in ("mcc", "accuracy", "precision", "recall", "roc_auc"):
        assert f"{shown[key]:.4f}" == f"{cli[key]:.4f}", key
    window.session.set_threshold(0.1)   # -0.4 + 0.1 x 2: below 0, which the CLI refuses
    qtbot.waitUntil(lambda: "threshold 0.10 here is" in panel.scale_note.text(), timeout=5000)
    assert "takes --threshold 0 to 1 on its numbers" in panel.scale_note.text()
