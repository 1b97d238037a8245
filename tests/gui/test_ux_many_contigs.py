"""A draft in many contigs predicted "All sequences": the Tracks dock listed a track per contig (87 rows of the same
model for the Paracoccus draft, names cut). It lists the shown contig's tracks, says how many others there are, and
lists them all on request; moving a track keeps the others' order."""
from __future__ import annotations

import numpy as np

from genoview.gui.session import ProbabilityTrack


def test_track_list_shows_the_shown_contigs_tracks(qtbot, tmp_path, open_example_window):
    rng = np.random.default_rng(0)
    fasta = tmp_path / "draft.fa"
    fasta.write_text("".join(f">contig{i}\n" + "".join(rng.choice(list("ACGT"), 3000)) + "\n" for i in range(5)))
    window = open_example_window(fasta)
    session, panel = window.session, window.track_panel
    for model in ("m1", "m2"):
        for i in range(5):
            session.add_track(ProbabilityTrack(f"{model} @ contig{i}", model, f"contig{i}",
                                               np.full(3000, 0.5, dtype=np.float32), model_name=model))
    shown = session.seqid
    listed = [panel.list.item(r).text() for r in range(panel.list.count())]
    assert listed == [f"m1  ({shown})", f"m2  ({shown})"]
    assert "8 more tracks on the other 4 sequences" in panel.others_label.text()
    assert not panel.all_sequences.isHidden()
    panel.list.setCurrentRow(1)
    panel.move_current(-1)   # past the listed neighbour, not a hidden track of another contig
    assert [panel.list.item(r).data(256) for r in range(panel.list.count())] == [f"m2 @ {shown}", f"m1 @ {shown}"]
    others = [f"{m} @ contig{i}" for m in ("m1", "m2") for i in range(1, 5)]
    assert list(session.tracks)[2:] == others   # the other contigs' tracks kept their order   # the others kept their order
    session.set_sequence("contig3")
    assert [panel.list.item(r).text() for r in range(panel.list.count())] == ["m1  (contig3)", "m2  (contig3)"]
    panel.all_sequences.setChecked(True)
    assert panel.list.count() == 10 and panel.others_label.isHidden()


def test_evaluation_scores_all_contigs_as_one_genome_as_the_command_line(qtbot, capsys, open_example_window):
    """The evaluation panel scored the contig shown; a draft's user wants one figure for the genome."""
    import json

    from genoview.cli import main as cli_main
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME

    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION, size=(1400, 900))
    seqids = list(window.session.genome.sequences)
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        window.predict_controller.predict("prodigal", seqids)
    panel = window.evaluation_panel
    qtbot.waitUntil(lambda: panel.all_button.isVisible(), timeout=20000)
    assert panel.all_button.text() == "Score all 2 sequences as one genome"
    panel.all_button.click()
    qtbot.waitUntil(lambda: "on all 2 sequences" in panel.all_label.text(), timeout=30000)
    assert cli_main(["evaluate", str(EXAMPLE_GENOME), "--gff", str(EXAMPLE_ANNOTATION), "--model", "prodigal",
                     "--json"]) == 0
    mcc = json.loads(capsys.readouterr().out)["mcc"]
    assert f"MCC {mcc:.4f}" in panel.all_label.text()
    panel.session.set_threshold(0.3)
    assert panel.all_label.isHidden()   # the figure was for another threshold
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_predict_dialog_offers_all_contigs_of_a_draft(qtbot, tmp_path, open_example_window):
    from genoview.gui.dialogs.predict import PredictDialog

    rng = np.random.default_rng(1)
    fasta = tmp_path / "draft.fa"
    fasta.write_text("".join(f">contig{i}\n" + "".join(rng.choice(list("ACGT"), 2000)) + "\n" for i in range(5)))
    window = open_example_window(fasta)
    dialog = PredictDialog(window, window.session)
    qtbot.addWidget(dialog)
    assert dialog.all_button.isChecked() and "draft" in dialog.all_button.toolTip()
    assert dialog.request().seqids == [f"contig{i}" for i in range(5)]
