"""`genoview variant-effects` and `genoview saturation` guess the genome's kind only to choose the default language
model: with --model the guess (up to 8 x 50 kb of ORF scanning on a large genome) is not run (session 16 review)."""
from __future__ import annotations

from genoview.cli import main as cli_main
from genoview.core import genome_kind as genome_kind_module
from genoview.paths import RESOURCES_DIR

EXAMPLE = RESOURCES_DIR / "example"


def _count_guesses(monkeypatch) -> list:
    calls = []
    real = genome_kind_module.genome_kind

    def counting(genome, *args, **kwargs):
        calls.append(genome)
        return real(genome, *args, **kwargs)
    monkeypatch.setattr(genome_kind_module, "genome_kind", counting)
    return calls


def test_saturation_with_a_model_does_not_guess_the_kind_and_without_one_does(tmp_path, monkeypatch, capsys):
    calls = _count_guesses(monkeypatch)
    common = ["saturation", "--genome", str(EXAMPLE / "example.fa"), "--region", "chrEx:1-40", "--length", "5"]
    assert cli_main(common + ["--model", "kn-human-genes", "--out", str(tmp_path / "a.csv")]) == 0
    assert calls == []
    assert cli_main(common + ["--out", str(tmp_path / "b.csv")]) == 0
    assert len(calls) == 1


def test_variant_effects_with_a_model_does_not_guess_the_kind(tmp_path, monkeypatch, capsys):
    calls = _count_guesses(monkeypatch)
    text = "".join(line.strip() for line in (EXAMPLE / "example.fa").read_text().split(">")[1].splitlines()[1:])
    vcf = tmp_path / "mine.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n"
                   f"chrEx\t20\t.\t{text[19]}\t{'A' if text[19] != 'A' else 'C'}\n")
    common = ["variant-effects", "--vcf", str(vcf), "--genome", str(EXAMPLE / "example.fa"), "--region", "chrEx:1-40"]
    assert cli_main(common + ["--model", "kn-human-genes", "--out", str(tmp_path / "a.tsv")]) == 0
    assert calls == []
    assert cli_main(common + ["--out", str(tmp_path / "b.tsv")]) == 0
    assert len(calls) == 1
