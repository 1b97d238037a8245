"""File ▸ Export ▸ Track as bedGraph / bigWig of a genome in several sequences (two chromosomes, a plasmid): the
window wrote the shown sequence's track only, so IGV needed one file per chromosome where `genoview predict` writes
one; it now asks, and "All N sequences" writes every sequence the model predicted into one file, in genome order."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QFileDialog, QMessageBox

from genoview.core.genome import open_genome
from genoview.core.inference import read_bedgraph
from genoview.gui import export
from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def _answer(monkeypatch, text_start):
    def exec_(box):
        box.done(0)
        for button in box.buttons():
            if button.text().startswith(text_start):
                button.click()
                return 0
        return 0
    monkeypatch.setattr(QMessageBox, "exec", exec_)


def test_all_sequences_in_one_file(qtbot, tmp_path, monkeypatch, open_example_window):
    import pybigtools

    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    genome = window.session.genome
    tracks = {}
    for seqid in reversed(list(genome.sequences)):   # added plasmid first: the file is still in genome order
        values = genome.label_mask(seqid).astype(np.float32) * 0.8 + 0.1
        tracks[seqid] = values
        window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name="toy"))
    actions = window.export_actions
    monkeypatch.setattr(actions, "_choose_track", lambda: window.session.tracks["toy @ plasmidEx"])
    _answer(monkeypatch, "All 2 sequences")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "all"), a[3]))
    actions.bigwig_action.trigger()
    with pybigtools.open(str(tmp_path / "all.bw")) as bw:
        assert list(bw.chroms()) == list(genome.sequences)
        for seqid, values in tracks.items():
            got = np.asarray(bw.values(seqid, 0, len(values), fillna=None), dtype=np.float32)
            np.testing.assert_allclose(got, values, atol=5.1e-5)
    actions.bedgraph_action.trigger()
    text = (tmp_path / "all.bedGraph").read_text()
    assert text.startswith("track type=bedGraph") and text.index("\nchrEx\t") < text.index("\nplasmidEx\t")
    read = read_bedgraph(tmp_path / "all.bedGraph")
    assert set(read) == set(genome.sequences)
    _answer(monkeypatch, "plasmidEx only")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "one.bedGraph"), ""))
    actions.bedgraph_action.trigger()
    assert set(read_bedgraph(tmp_path / "one.bedGraph")) == {"plasmidEx"}
    _answer(monkeypatch, "Cancel")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    actions.bedgraph_action.trigger()   # cancelled: no file dialog
