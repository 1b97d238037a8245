"""`genoview gui DRAFT --model M` (and its --screenshot run) predicts every contig of a draft, as the Predict dialog
does (it predicted the first contig only); a genome in few sequences keeps the shown one."""
from __future__ import annotations

from types import SimpleNamespace

from genoview.app import ScreenshotRun
from genoview.gui.dialogs.predict import DRAFT_GENOME_MAX, draft_contigs


def write_draft(path, contigs: int, length: int = 3000) -> None:
    bases = "ATGAAACGCATTAGCACCACCATTACCACCACCATCACCATTACCACAGGTAACGGTGCGGGCTGA"
    with open(path, "w") as out:
        for i in range(contigs):
            out.write(f">contig{i + 1}\n{(bases * (length // len(bases) + 1))[:length]}\n")


def test_draft_contigs_rule(tmp_path):
    from genoview.core.genome import open_genome

    write_draft(tmp_path / "draft.fa", 5)
    write_draft(tmp_path / "two.fa", 2)
    assert draft_contigs(open_genome(tmp_path / "draft.fa")) == [f"contig{i}" for i in range(1, 6)]
    assert draft_contigs(open_genome(tmp_path / "two.fa")) is None
    assert draft_contigs(None) is None
    assert draft_contigs(SimpleNamespace(sequences=dict.fromkeys("abcde"), total_length=DRAFT_GENOME_MAX + 1)) is None


def test_command_line_model_predicts_every_contig_of_a_draft(qtbot, open_example_window, tmp_path, monkeypatch):
    write_draft(tmp_path / "draft.fa", 5)
    window = open_example_window(str(tmp_path / "draft.fa"))
    asked = []
    monkeypatch.setattr(window.predict_controller, "predict", lambda *a, **k: asked.append(a))
    args = SimpleNamespace(model="prodigal", locus=None, device=None, screenshot=str(tmp_path / "x.png"),
                           fasta=str(tmp_path / "draft.fa"), gff=None)
    ScreenshotRun(window, args)._on_loaded(window.session.genome)
    assert asked and asked[0][1] == [f"contig{i}" for i in range(1, 6)]
