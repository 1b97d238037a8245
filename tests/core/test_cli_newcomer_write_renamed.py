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


def test_other_commands_suggest_the_same_copy(tmp_path, data_dir, capsys):
    """`genoview evaluate` on an annotation whose names carry a '.1' suggested only the awk command (which renames
    one sequence of two): it names `genoview info GENOME --gff A --write-renamed`, as `genoview info` names its
    option, through the one cli/info.suggest_write_renamed (H-cli18b); the command it gives works."""
    fasta = tmp_path / "g.fa"
    shutil.copy(data_dir / "eval_tiny.fa", fasta)
    lines = [line if line.startswith("##gff") else line.replace("chrA", "chrA.1").replace("chrB", "chrB.1")
             for line in (data_dir / "eval_tiny.gff3").read_text().splitlines(keepends=True)]
    gff = tmp_path / "v.gff3"
    gff.write_text("".join(lines))
    assert cli_main(["evaluate", str(fasta), "--gff", str(gff), "--model", "prodigal", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert f"`genoview info {fasta} --gff {gff} --write-renamed` writes a renamed copy (NAME.renamed.gff3)" in err
    assert err.count("--write-renamed") == 1 and err.strip().endswith("v.gff3 > renamed.gff3")
    assert cli_main(["info", str(fasta), "--gff", str(gff), "--write-renamed"]) == 0
    capsys.readouterr()
    assert cli_main(["evaluate", str(fasta), "--gff", str(tmp_path / "v.renamed.gff3"), "--model", "prodigal",
                     "--no-cache"]) == 0
    # a sequence the genome lacks beside its own: the copy without their features, in the same words as info's
    gff.write_text((data_dir / "eval_tiny.gff3").read_text() + "chrZ\ttest\tgene\t1\t90\t.\t+\t.\tID=z1\n")
    assert cli_main(["evaluate", str(fasta), "--gff", str(gff), "--model", "prodigal", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert f"or `genoview info {fasta} --gff {gff} --write-renamed` writes a copy without their features" in err
    assert cli_main(["info", str(fasta), "--gff", str(gff)]) == 2
    assert "or add --write-renamed for a copy without their features" in capsys.readouterr().err
