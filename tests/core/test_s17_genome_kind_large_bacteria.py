"""Genome kind, session 17: a single bacterial chromosome over 15 Mb (Minicystis rosea 16.0 Mb) was called a
eukaryote by its size alone; now the size decides from 20 Mb and below it the bases do. None of the 12 prokaryotic
genomes of ../shared gets the eukaryote warning (the 4 held-out ones by their bases alone: their annotation is
not read), and a sequence of human genes over 15 Mb still does."""
from __future__ import annotations

import csv
import gzip

import pytest

from genoview.core import genome_kind as gk
from genoview.core.genome import open_genome

HELD_OUT = {"mycoplasma_gallisepticum_Rlow", "chlamydia_trachomatis_D-LC", "treponema_pallidum_Nichols",
            "paracoccus_sp_SCN68-21"}


def _bacteria(ecoli_fasta):
    folder = ecoli_fasta.parent.parent / "bacteria"
    if not folder.is_dir():
        pytest.skip(f"real data not present: {folder}")
    return sorted(p for p in folder.iterdir() if (p / "genome.fna.gz").exists())


def _write_fasta(path, name, text):
    with open(path, "w") as handle:
        handle.write(f">{name}\n")
        for i in range(0, len(text), 100):
            handle.write(text[i:i + 100] + "\n")
    return path


def test_none_of_the_12_prokaryotes_warns(ecoli_fasta, ecoli_gff):
    cases = [(ecoli_fasta, ecoli_gff)] + [(f / "genome.fna.gz", None if f.name in HELD_OUT else
                                           f / "annotation.gff3.gz") for f in _bacteria(ecoli_fasta)]
    assert len(cases) == 12
    for fasta, annotation in cases:
        with open_genome(fasta, annotation) as genome:
            kind, why = gk.genome_kind(genome)
            assert kind == "prokaryote", (fasta, why)
            assert gk.eukaryote_warning(genome, "geneorf-bacteria") is None


def test_one_bacterial_sequence_over_15_mb_is_a_prokaryote_and_human_genes_over_15_mb_are_not(
        ecoli_fasta, human_genes_csv, tmp_path):
    folders = {f.name: f for f in _bacteria(ecoli_fasta)}
    parts = []
    for fasta in [ecoli_fasta] + [folders[n] / "genome.fna.gz" for n in
                                  ("yersinia_pestis_KIM", "methanosarcina_mazei_S-6", "brucella_melitensis_16M")]:
        with open_genome(fasta) as genome:
            parts += [rec.text(0, rec.length) for rec in genome.sequences.values()]
    joined = "".join(parts)[:16_500_000]   # one chromosome the size of Minicystis rosea's
    with open_genome(_write_fasta(tmp_path / "big.fa", "big one bacterial chromosome", joined)) as genome:
        assert genome.total_length == 16_500_000
        kind, why = gk.genome_kind(genome)
        assert kind == "prokaryote" and "open reading frames" in why, why
        assert gk.eukaryote_warning(genome, "geneorf-bacteria") is None
    genes = []
    with gzip.open(human_genes_csv, "rt") as handle:
        genes = [row["NucleotideSequence"].strip("<>") for row in csv.DictReader(handle)]
    human = "".join(genes)
    human = (human * (16_500_000 // len(human) + 1))[:16_500_000]   # human gene sequences, 16.5 Mb
    with open_genome(_write_fasta(tmp_path / "human.fa", "human genes", human)) as genome:
        kind, why = gk.genome_kind(genome)
        assert kind == "eukaryote" and "open reading frames" in why, why
        assert gk.eukaryote_warning(genome, "geneorf-bacteria") is not None


def test_over_20_mb_the_size_still_decides_for_one_sequence(monkeypatch, tmp_path):
    """A single sequence over PROKARYOTE_GENOME_MAX (no known prokaryote) is a eukaryote's whatever its ORFs; the
    limit is lowered here to keep the test fast."""
    monkeypatch.setattr(gk, "PROKARYOTE_GENOME_MAX", 200_000)
    import numpy as np

    rng = np.random.default_rng(3)
    gc_rich = "".join(rng.choice(list("ACGT"), size=250_000, p=[0.1, 0.4, 0.4, 0.1]))   # long ORFs everywhere
    with open_genome(_write_fasta(tmp_path / "one.fa", "one", gc_rich)) as genome:
        assert gk.long_orf_share(genome) >= gk.PROKARYOTE_ORF_SHARE
        kind, why = gk.genome_kind(genome)
        assert kind == "eukaryote" and why.startswith("a 0.25 Mb genome (over "), why
