"""A track GenoView wrote (bedGraph with or without its `track` line, bigWig), given where an annotation or a genome
belongs, is named as a track with the command that scores it; the bedGraph was 'expected 9 tab-separated columns,
found 1 (columns must be separated by tabs, not spaces)', the bigWig 'a binary file (a bigWig, BAM or other)'."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.cli import main as cli_main
from genoview.core.inference import BigWigWriter


@pytest.fixture
def fasta(tmp_path):
    path = tmp_path / "g.fa"
    path.write_text(">chr1\n" + "ACGT" * 100 + "\n")
    return path


@pytest.mark.parametrize("header", ['track type=bedGraph name="geneorf-bacteria"\n', ""])
def test_a_bedgraph_given_as_the_annotation_is_named(tmp_path, capsys, fasta, header):
    track = tmp_path / "track.bedGraph"
    track.write_text(header + "chr1\t0\t100\t0.0000\nchr1\t100\t400\t0.9500\n")
    assert cli_main(["info", str(fasta), "--gff", str(track)]) == 2
    err = capsys.readouterr().err
    assert "track.bedGraph, line 1:" in err and "genoview evaluate --bedgraph TRACK --gff ANNOTATION" in err
    assert ("UCSC track line" in err) if header else ("looks like a bedGraph track" in err)
    assert "not spaces" not in err and "BED file (sequence, start, end, ...)" not in err


def test_a_bigwig_given_as_genome_or_annotation_is_named(tmp_path, capsys, fasta):
    track = tmp_path / "track.bw"
    writer = BigWigWriter(str(track), [("chr1", 400)])
    writer.add("chr1", 0, np.full(400, 0.5, dtype=np.float32))
    writer.close()
    for args in (["info", str(fasta), "--gff", str(track)], ["info", str(track)]):
        assert cli_main(args) == 2
        err = capsys.readouterr().err
        assert "track.bw: a bigWig track" in err and "genoview evaluate --bedgraph TRACK.bw" in err
