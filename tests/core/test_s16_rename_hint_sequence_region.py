"""The awk command that renames an annotation's sequence (its names differ from the genome's) renames the
`##sequence-region` line too: the copy kept the old name there, and `evaluate --bedgraph TRACK --gff COPY` (lengths
from those lines) then named every renamed feature unknown and suggested renaming it back (session 15 review). The
command, run as given, writes what `--write-renamed` writes (write_renamed_annotation), byte for byte."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from genoview.cli import main as cli_main
from genoview.core.genome import open_genome, sequence_renaming, write_renamed_annotation
from genoview.core.io import read_annotation


@pytest.mark.parametrize("region_line", ["##sequence-region NC_1 1 100", "##sequence-region   NC_1\t1 100"])
def test_the_hint_renames_the_sequence_region_line(tmp_path, capsys, region_line):
    fasta = tmp_path / "g.fa"
    fasta.write_text(">NC_1.2\n" + "ACGT" * 25 + "\n")
    gff = tmp_path / "genes.gff3"
    gff.write_text(f"##gff-version 3\n{region_line}\n##sequence-region NC_9 1 50\n"
                   "NC_1\tx\tgene\t11\t40\t.\t+\t.\tID=g1\nNC_1\tx\tCDS\t11\t40\t.\t+\t0\tParent=g1\n")
    assert cli_main(["info", str(fasta), "--gff", str(gff)]) == 2
    command = capsys.readouterr().err.split("e.g. ", 1)[1].strip()
    assert command.startswith("awk ") and command.endswith("genes.gff3 > renamed.gff3")
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    renamed = tmp_path / "renamed.gff3"
    features, regions = read_annotation(str(renamed), strict=True)
    assert set(regions) == {"NC_1.2", "NC_9"} and {f.seqid for f in features} == {"NC_1.2"}
    with open_genome(fasta, renamed) as genome:
        assert len(genome.features) == 2
    # the scorer that takes the lengths from those lines reads the copy
    track = tmp_path / "track.bedgraph"
    track.write_text("NC_1.2\t0\t100\t0.5\n")
    assert cli_main(["evaluate", "--bedgraph", str(track), "--gff", str(renamed), "--json"]) == 0
    if region_line == "##sequence-region NC_1 1 100":   # single spaces: the same bytes as --write-renamed's copy
        features, _ = read_annotation(str(gff))
        copy = write_renamed_annotation(gff, sequence_renaming({"NC_1.2": 100}, features), tmp_path / "w")
        assert renamed.read_bytes() == Path(copy).read_bytes()
