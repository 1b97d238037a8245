"""H-cli18: README says a lenient read's skipped or repaired annotation lines are "a one-line warning elsewhere"
(than `genoview info`); predict and evaluate said it, but train, calibrate, mutate --vcf, variant-effects and
saturation read an annotation with a bad line without a word (train learnt labels without that gene)."""
from __future__ import annotations

from pathlib import Path

import pytest

from genoview.cli import main as cli_main

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example"
SAID = "1 line skipped (first: line 3: end (10) is before start (90)"


@pytest.fixture
def files(tmp_path):
    fasta = tmp_path / "g.fa"
    fasta.write_text(">s\n" + "ATGAAACCCGGGTTTACGT" * 30 + "\n")
    gff = tmp_path / "bad.gff3"
    gff.write_text("##gff-version 3\ns\t.\tgene\t1\t100\t.\t+\t.\tID=g1;Name=G1\ns\t.\tgene\t90\t10\t.\t+\t.\tID=g2\n")
    vcf = tmp_path / "v.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\ns\t5\t.\tA\tG\n")
    return {"fasta": str(fasta), "gff": str(gff), "vcf": str(vcf), "tmp": tmp_path}


@pytest.mark.parametrize("command", ["mutate", "variant-effects", "saturation"])
def test_language_model_commands_say_a_skipped_line(files, capsys, command):
    f = files
    argv = {"mutate": ["mutate", "--vcf", f["vcf"], "--genome", f["fasta"], "--annotation", f["gff"], "--region",
                       "G1", "--out", str(f["tmp"] / "p.csv")],
            "variant-effects": ["variant-effects", "--vcf", f["vcf"], "--genome", f["fasta"], "--annotation",
                                f["gff"], "--region", "G1", "--model", "kn-ecoli-genes"],
            "saturation": ["saturation", "--genome", f["fasta"], "--annotation", f["gff"], "--region", "G1",
                           "--length", "2", "--model", "kn-ecoli-genes", "--out", str(f["tmp"] / "s.csv")]}[command]
    assert cli_main(argv) == 0
    assert f"genoview {command}: warning: bad.gff3: {SAID}" in capsys.readouterr().err   # the prefix (H-cli18b)


def test_train_and_calibrate_say_a_skipped_line(tmp_path, capsys):
    gff = tmp_path / "example.gff3"
    lines = (EXAMPLE / "example.gff3").read_text().splitlines()
    first = next(i for i, line in enumerate(lines) if "\tgene\t" in line)
    cols = lines[first].split("\t")
    cols[3], cols[4] = cols[4], cols[3]   # end before start
    lines[first] = "\t".join(cols)
    gff.write_text("\n".join(lines) + "\n")
    out = tmp_path / "m"
    assert cli_main(["train", "--fasta", str(EXAMPLE / "example.fa"), "--gff", str(gff), "--out", str(out),
                     "--max-steps", "1", "--batch-size", "2", "--window", "2000", "--model-option",
                     "hidden_size=8"]) == 0
    said = "warning: example.gff3: 1 line skipped"
    assert f"genoview train: {said}" in capsys.readouterr().err   # with the prefix other warnings have (H-cli18b)
    assert cli_main(["calibrate", str(EXAMPLE / "example.fa"), "--model", str(out), "--gff", str(gff),
                     "--from", "0.6", "--to", "0.7"]) == 0
    assert f"genoview calibrate: {said}" in capsys.readouterr().err
