"""H-ux7: the genome typed after the options, as most tools take it (`genoview predict --gff-out genes.gff3
genome.fna`, `genoview evaluate --gff a.gtf genome.fna`), was refused ("required: GENOME" or "unrecognized arguments:
genome.fna"). The one word that is neither an option nor an option's value is the genome, wherever it stands."""
from __future__ import annotations

from genoview.cli import build_parser, genome_as_fasta, main as cli_main
from genoview.gui.start_page import EXAMPLE_GENOME


def test_the_genome_after_the_options(tmp_path, capsys):
    parser = build_parser()
    assert genome_as_fasta(["predict", "--gff-out", "x.gff3", "g.fa"], parser) == [
        "predict", "--gff-out", "x.gff3", "--fasta", "g.fa"]
    assert genome_as_fasta(["evaluate", "--gff", "a.gtf", "--json", "g.fa", "--threshold", "0.4"], parser) == [
        "evaluate", "--gff", "a.gtf", "--json", "--fasta", "g.fa", "--threshold", "0.4"]
    # two loose words, an unknown option, or --fasta given: left as typed (argparse says what is wrong)
    assert genome_as_fasta(["predict", "--no-cache", "a.fa", "b.fa"], parser) == ["predict", "--no-cache", "a.fa", "b.fa"]
    assert genome_as_fasta(["predict", "--gff-outt", "x", "g.fa"], parser) == ["predict", "--gff-outt", "x", "g.fa"]
    assert genome_as_fasta(["info", "--gff", "a.gff3", "--fasta", "g.fa"], parser) == [
        "info", "--gff", "a.gff3", "--fasta", "g.fa"]
    out = tmp_path / "genes.gff3"
    assert cli_main(["predict", "--seqid", "chrEx", "--end", "5000", "--gff-out", str(out), str(EXAMPLE_GENOME)]) == 0
    assert out.read_text().startswith("##gff-version 3")
    assert cli_main(["info", "--gff", str(EXAMPLE_GENOME.with_suffix(".gff3")), str(EXAMPLE_GENOME)]) == 0
    assert "chrEx" in capsys.readouterr().out
