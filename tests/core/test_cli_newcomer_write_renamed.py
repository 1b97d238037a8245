"""rev13 (proposed for H-batch's cli/info.py): an annotation whose sequence names differ from the genome's only as
'CHREX' / 'chrEx' or '.1' do: the CLI gave only an awk command; `genoview info GENOME --gff A --write-renamed`
writes the copy the window offers (NAME.renamed.gff3 beside it; the same copy again reused) and reads it."""
from __future__ import annotations

import shutil

from genoview.cli import main as cli_main
from genoview.paths import RESOURCES_DIR


def test_write_renamed_writes_the_copy_and_reads_it(tmp_path, capsys):
    example = RESOURCES_DIR / "example"
    shutil.copy(example / "example.fa", tmp_path / "example.fa")
    text = (example / "example.gff3").read_text()
    (tmp_path / "genes.gff3").write_text(text.replace("chrEx\t", "CHREX\t"))
    assert cli_main(["info", str(tmp_path / "example.fa"), "--gff", str(tmp_path / "genes.gff3")]) == 2
    err = capsys.readouterr().err
    assert "add --write-renamed for a renamed copy" in err and err.strip().endswith("genes.gff3 > renamed.gff3")
    for _ in range(2):
        assert cli_main(["info", str(tmp_path / "example.fa"), "--gff", str(tmp_path / "genes.gff3"),
                         "--write-renamed"]) == 0
        captured = capsys.readouterr()
        assert f"wrote {tmp_path / 'genes.renamed.gff3'}: genes.gff3 with CHREX as chrEx" in captured.err
        assert "chrEx" in captured.out and "gene" in captured.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.fa", "genes.gff3", "genes.renamed.gff3"]
    assert (tmp_path / "genes.renamed.gff3").read_text() == text and "CHREX" in (tmp_path / "genes.gff3").read_text()
