"""Real vs mutated with a hand-written VCF: the file is read on a worker, and what was read differently from its
text (a 'chr' prefix, a multi-allelic line) is said under the panel."""
from __future__ import annotations

import threading

import pytest

from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram


@pytest.fixture(scope="module")
def ngram_dir(tmp_path_factory):
    genes = ["ATGGCCAAGTTTAGGCTACGCCGATAGCAT" * 3, "TTAGGCTACGATGGCCAAGTCCGATAGCAT" * 3]
    out = tmp_path_factory.mktemp("lm") / "kn"
    fit_ngram(genes, genes[:1], out, contexts=[0, 1, 2], sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    return out



def _panel_on_chr_a(qtbot, session, runner, ngram_dir):
    """A quiet Real vs mutated panel on chrA's first 60 bases, and those bases."""
    from genoview.gui.panels.mutation import MutationPanel

    panel = MutationPanel(session, runner, default_lm=str(ngram_dir), default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    session.set_sequence("chrA")
    session.set_region(0, 60)
    return panel, session.genome.sequences["chrA"].text(0, 60).upper()


def refuse_vcf(qtbot, panel, runner, vcf) -> str:
    """Compare the visible region with ``vcf``'s variants applied, wait for the refusal, and return the status."""
    panel.source.setCurrentText("Visible region")
    panel.mode.setCurrentText("VCF")
    panel.vcf_path.setText(str(vcf))
    with qtbot.waitSignal(runner.failed, timeout=60000):
        panel.run_compare()
    qtbot.waitUntil(lambda: panel._job is None)
    return panel.status.text()

def test_a_vcf_is_read_on_a_worker_and_its_chr_prefix_and_alleles_are_said(qtbot, session, runner, ngram_dir,
                                                                          tmp_path, monkeypatch):
    from genoview.core import mutation
    panel, real = _panel_on_chr_a(qtbot, session, runner, ngram_dir)
    other = {"A": "C", "C": "G", "G": "T", "T": "A"}
    vcf = tmp_path / "mine.vcf"     # her VCF says "A" for the FASTA's "chrA", and one site has two ALTs
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n"
                   f"A\t5\t.\t{real[4]}\t{other[real[4]]}\n"
                   f"A\t20\t.\t{real[19]}\t{other[real[19]]},{other[other[real[19]]]}\n")
    readers = []
    original = mutation.read_vcf

    def spy(path):
        readers.append(threading.current_thread() is threading.main_thread())
        return original(path)

    monkeypatch.setattr(mutation, "read_vcf", spy)
    panel.source.setCurrentText("Visible region")
    panel.mode.setCurrentText("VCF")
    panel.vcf_path.setText(str(vcf))
    with qtbot.waitSignal(runner.finished, timeout=60000):
        panel.run_compare()
    qtbot.waitUntil(lambda: panel._job is None)
    assert readers == [False]   # read on the worker (a 100 MB exome .vcf.gz froze the window)
    assert [e.describe() for e in panel.pair.edits] == [f"5{real[4]}>{other[real[4]]}",
                                                         f"20{real[19]}>{other[real[19]]}"]
    status = panel.status.text()
    assert "the VCF's CHROM A read as chrA" in status and "line 4" in status and "multi-allelic" in status


def test_a_refused_vcf_is_said_with_file_and_line_after_the_worker(qtbot, session, runner, ngram_dir, tmp_path):
    panel, real = _panel_on_chr_a(qtbot, session, runner, ngram_dir)
    vcf = tmp_path / "split.vcf"   # a multi-allelic site split into two lines (bcftools norm -m-)
    vcf.write_text("#CHROM\tPOS\tID\tREF\tALT\n" f"chrA\t7\t.\t{real[6]}\tN\n" f"chrA\t7\t.\t{real[6]}\tNN\n")
    assert "split.vcf, line 3: lines 2 and 3 change the same bases" in refuse_vcf(qtbot, panel, runner, vcf)


def test_a_vcf_with_a_chr_prefix_but_no_variant_here_says_where_its_variants_are(tmp_path):
    from genoview.core.errors import GenoViewInputError
    from genoview.gui.panels.mutation import vcf_mutated

    vcf = tmp_path / "far.vcf"
    vcf.write_text("#CHROM\tPOS\tID\tREF\tALT\nchr7\t5000\t.\tA\tC\n")
    with pytest.raises(GenoViewInputError) as info:
        vcf_mutated("ACGTACGTAC", ("7", 0, 10, 1), str(vcf))
    # was "no variant on 7: its 1 variants are on chr7 (1)": read as a naming problem that was not one
    assert "no variant in chr7:1-10" in str(info.value) and "lie elsewhere" in str(info.value)
