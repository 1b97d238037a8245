"""Real vs mutated, VCF mode, a line whose ALT holds N: the language model refused the mutated copy after loading,
naming a position in that copy; `genoview mutate --vcf` names the VCF line at once. The panel now says what the CLI
says (the same core check), before any model is loaded; a gene model alone still scores it (review rev14c)."""
from __future__ import annotations

from tests.gui.test_ux8_vcf_panel import _panel_on_chr_a, ngram_dir, refuse_vcf  # noqa: F401 - fixture


def test_an_alt_holding_n_is_refused_with_its_vcf_line_before_scoring(qtbot, session, runner, ngram_dir, tmp_path):
    panel, real = _panel_on_chr_a(qtbot, session, runner, ngram_dir)
    other = {"A": "C", "C": "G", "G": "T", "T": "A"}
    vcf = tmp_path / "mine.vcf"
    vcf.write_text("#CHROM\tPOS\tID\tREF\tALT\n"
                   f"chrA\t5\t.\t{real[4]}\t{other[real[4]]}\n"
                   f"chrA\t20\t.\t{real[19]}\tN\n")
    loaded = []
    panel._load_lms = lambda names: loaded.append(names) or []
    assert "mine.vcf, line 3: ALT N holds letters other than A, C, G, T" in refuse_vcf(qtbot, panel, runner, vcf)
    assert loaded == []   # refused before the models were loaded


def test_the_cli_and_the_panel_share_the_check(tmp_path):
    import pytest

    from genoview.core.errors import GenoViewInputError
    from genoview.core.mutation import read_vcf
    from genoview.gui.panels.mutation import vcf_mutated

    vcf = tmp_path / "v.vcf"
    vcf.write_text("#CHROM\tPOS\tID\tREF\tALT\n7\t2\t.\tC\tCNN\n")   # 'chr7' named without its prefix
    with pytest.raises(GenoViewInputError, match=r"v\.vcf, line 2: ALT CNN holds"):
        vcf_mutated("ACGTACGT", ("chr7", 0, 8, 1), str(vcf), language_models=True)
    mutated, _ = vcf_mutated("ACGTACGT", ("chr7", 0, 8, 1), str(vcf))   # a gene model alone reads N
    assert mutated.mutated == "ACNNGTACGT" and read_vcf(vcf)[0].alt == "CNN"
