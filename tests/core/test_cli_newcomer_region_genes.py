"""`genoview predict --start/--end` with GeneORF: the bar's last stage said the whole genome's gene count ("100.0%
4,504 genes" for a 19 kb region of E. coli, H-docs); it now says the genes were called on the whole genome and the
summary line gives the region's count."""
from __future__ import annotations

from genoview.cli import main as cli_main
from genoview.cli.predict import region_progress, region_words
from genoview.core.genome import open_genome
from genoview.gui.start_page import EXAMPLE_GENOME


def test_a_region_says_its_own_gene_count(tmp_path, capsys):
    gff = tmp_path / "r.gff3"
    code = cli_main(["predict", str(EXAMPLE_GENOME), "--model", "geneorf-bacteria", "--seqid", "chrEx", "--start", "1,001", "--end",
                     "9,000", "--gff-out", str(gff), "--no-cache"])
    err = capsys.readouterr().err
    assert code == 0
    region_genes = sum(1 for line in gff.read_text().splitlines() if "\tgene\t" in line)
    assert f"{region_genes:,} predicted genes in chrEx:1,001-9,000 to {gff}" in err
    assert "genes called on the whole genome" in err
    assert not any(line.rstrip().endswith(" genes") for line in err.splitlines() if "%" in line)


def test_whole_sequences_keep_the_count():
    said = []
    with open_genome(EXAMPLE_GENOME) as genome:
        seqid, record = next(iter(genome.sequences.items()))
        assert region_words(genome, [(seqid, 0, record.length)]) is None
        assert region_progress(said.append, genome, [(seqid, 0, record.length)]) == said.append
        assert region_words(genome, [(seqid, 0, 10)]) == f"{seqid}:1-10"
        region_progress(lambda f, m=None: said.append(m), genome, [(seqid, 0, 10)])(1.0, "4,504 genes")
    assert said == ["genes called on the whole genome"]
