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
