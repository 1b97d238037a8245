"""H-cli19: `genoview predict --bedgraph -` recorded its run's output as the temporary file it copied to standard
output (/tmp/genoview-stdout-XXXX/track.bedGraph, gone once the command ends), and `--proteins-out` alone recorded
the gene calls it wrote to a temporary file and threw away as an output. The run records "-" for what went to
standard output, leaves out what the user did not ask for, and names files by their absolute path."""
from __future__ import annotations

import pytest

from genoview.cli import main as cli_main


def _recorded_outputs() -> dict:
    from genoview.core.store import open_store

    return open_store().runs(kind="prediction", limit=1)[0]["params"]["outputs"]


def test_standard_output_is_recorded_as_such(tmp_path, data_dir, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["predict", "--model", "prodigal", "--fasta", str(data_dir / "eval_tiny.fa"), "--no-cache"]
    assert cli_main(argv + ["--bedgraph", "-", "--gff-out", "g.gff3"]) == 0
    assert capsys.readouterr().out
    assert _recorded_outputs() == {"bedgraph": "-", "gff": str(tmp_path / "g.gff3")}
    assert cli_main(argv + ["--bedgraph", "t.bedGraph", "--gff-out", "-"]) == 0
    assert _recorded_outputs() == {"bedgraph": str(tmp_path / "t.bedGraph"), "gff": "-"}


@pytest.mark.filterwarnings("ignore:sequence should be at least")   # pyrodigal on a small genome
def test_proteins_alone_record_no_gene_file(tmp_path, data_dir, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["predict", "--model", "prodigal", "--fasta", str(data_dir / "eval_tiny.fa"), "--no-cache"]
    assert cli_main(argv + ["--proteins-out", "-"]) == 0
    assert _recorded_outputs() == {"proteins": "-"}
    assert cli_main(argv + ["--proteins-out", "p.faa"]) == 0
    assert _recorded_outputs() == {"proteins": str(tmp_path / "p.faa")}
