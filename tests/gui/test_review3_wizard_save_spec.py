"""The wizard's Save spec… shows why a spec was not saved (an OSError escaped the slot and nothing was shown) and
never writes the spec over a genome or annotation it names, as `genoview train --save-spec` refuses."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from genoview.core.training.spec import TrainingSpec
from genoview.gui.wizard import TrainingWizard


def test_save_spec_refuses_inputs_and_reports_failures(qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append((title, text)))
    fasta, gff = tmp_path / "g.fa", tmp_path / "g.json"
    fasta.write_text(">a\nACGT\n")
    gff.write_text("##gff-version 3\n")
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    wizard.spec = TrainingSpec()
    wizard.spec.genomes = [{"fasta": str(fasta), "annotation": str(gff), "role": "train"}]
    page = wizard.review_page
    assert not page.save_spec(str(gff)) and gff.read_text() == "##gff-version 3\n"
    assert "is the input file" in shown[-1][1]
    assert not page.save_spec(str(tmp_path / "no" / "spec.json")) and "does not exist" in shown[-1][1]
    assert page.save_spec(str(tmp_path / "spec.json")) and len(shown) == 2
    assert TrainingSpec.load(tmp_path / "spec.json").genomes[0]["fasta"] == str(fasta)
