"""A gene's details give its DNA and protein as FASTA (copy, or save): a gene found in the view could not be taken to
BLAST or a primer tool but by reading its bases off the screen."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from genoview.core.feature_sequence import coding_feature, feature_dna, feature_protein
from genoview.core.genome import open_genome
from genoview.gui.dialogs.feature_details import FeatureDetailsDialog
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_dna_and_protein_of_genbank_features(data_dir):
    with open_genome(data_dir / "io_small.gb") as genome:
        gene, cds, minus = (f for f in genome.features if f.type != "source")
        assert feature_dna(genome, cds) == "ATGAAACGCATTACCATTACCACC"   # join(1..12,19..30): its parts joined
        assert coding_feature(genome, gene) is cds and feature_protein(genome, gene) == "MKRITITT"
        assert feature_dna(genome, minus) == "CGCACCGTTACCTGTGGTAA"      # complement(41..60): 5'->3' on '-'
        assert coding_feature(genome, minus) is None


def test_the_details_copy_and_save_fasta(qtbot, tmp_path, monkeypatch):
    with open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION) as genome:
        cds = next(f for f in genome.features if f.type == "CDS" and f.strand == -1)
        dialog = FeatureDetailsDialog(cds, None, genome)
        qtbot.addWidget(dialog)
        dialog.copy_dna_button.click()
        dna = QGuiApplication.clipboard().text().splitlines()
        assert dna[0].startswith(">") and f":{cds.start + 1}-{cds.end}(-) CDS" in dna[0]
        assert "".join(dna[1:]).upper() == feature_dna(genome, cds).upper() and len("".join(dna[1:])) == cds.end - cds.start
        dialog.copy_protein_button.click()
        protein = "".join(QGuiApplication.clipboard().text().splitlines()[1:])
        assert protein.startswith("M") and "*" not in protein and len(protein) == (cds.end - cds.start) // 3 - 1
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "gene"),
                                                                              "Protein FASTA (*.faa)"))
        dialog.save_fasta()
        assert "".join((tmp_path / "gene.faa").read_text().splitlines()[1:]) == protein
        region = next(f for f in genome.features if f.type not in ("CDS", "gene"))
        other = FeatureDetailsDialog(region, None, genome)
        qtbot.addWidget(other)
        assert not other.copy_protein_button.isEnabled() and other.copy_dna_button.isEnabled()
        assert not hasattr(FeatureDetailsDialog(cds, None), "copy_dna_button")   # no genome: no buttons


def test_an_alternative_start_codon_reads_m_as_ncbi_writes_it(tmp_path):
    # E. coli's pcnB and infC start with ATT: Copy protein began with I where NCBI's protein (and BLAST hits) have M
    fasta = tmp_path / "g.fa"
    fasta.write_text(">s\n" + "ATTAAACGCTAA" + "ATTAAACGCTAA" + "GGG" + "\n")
    gff = tmp_path / "g.gff3"
    gff.write_text("##gff-version 3\n"
                   "s\tx\tCDS\t1\t12\t.\t+\t0\tID=c1;transl_table=11\n"
                   "s\tx\tCDS\t13\t24\t.\t+\t0\tID=c2;transl_table=11;partial=true\n")
    with open_genome(fasta, gff) as genome:
        complete, partial = (f for f in genome.features if f.type == "CDS")
        assert feature_protein(genome, complete) == "MKR"
        assert feature_protein(genome, partial) == "IKR"   # a partial CDS: its first codon is no start


def test_a_gene_calls_protein_is_read_with_the_code_it_was_called_with(tmp_path):
    # a call clicked in the Gene calls row had no transl_table: Copy protein read code 11 for every call, so a
    # code-4 genome's (Mycoplasma) TGA came out as '*' inside the protein
    import numpy as np

    from genoview.gui.genome_view.gene_calls_track import AGREED, DISAGREES, CallFeature, gene_calls_job

    fasta = tmp_path / "g.fa"
    fasta.write_text(">s\n" + "ATGAAATGACGCTAA" + "\n")
    with open_genome(fasta) as genome:
        call = CallFeature("s", 0, 15, 1, AGREED, "gene 1", attributes={"transl_table": "4"})
        assert feature_protein(genome, call) == "MKWR"
    with open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION) as genome:
        seqid = next(iter(genome.sequences))
        values = genome.label_mask(seqid).astype(np.float32) * 0.8 + 0.1
        result = gene_calls_job(genome, f"p @ {seqid}", seqid, [(0, values)], "prodigal")
        calls = [f for f in result.features if f.type in (AGREED, DISAGREES)]
        assert calls and all(f.attributes["transl_table"] == str(result.genetic_code) for f in calls)


def test_a_call_running_off_its_5_end_has_no_start_methionine(tmp_path):
    # a gene call at a contig's edge (Prodigal's partial "10": no start codon) had its first codon read M
    from genoview.gui.genome_view.gene_calls_track import AGREED, CallFeature

    fasta = tmp_path / "g.fa"
    fasta.write_text(">s\n" + "GTGAAACGCTAA" + "\n")
    with open_genome(fasta) as genome:
        edge = CallFeature("s", 0, 12, 1, AGREED, "gene 1", attributes={"partial": "10", "transl_table": "11"})
        whole = CallFeature("s", 0, 12, 1, AGREED, "gene 2", attributes={"transl_table": "11"})
        assert feature_protein(genome, edge) == "VKR" and feature_protein(genome, whole) == "MKR"
