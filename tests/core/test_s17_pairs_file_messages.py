"""score-pairs (and the panel's Batch tab, which reads pairs the same way) on the genes file itself says to make pairs
with `genoview mutate` first (it said only 'missing column(s) RealNucleotideSequence, ...'), and a pair with an N says
which sequence and where."""
from __future__ import annotations

import gzip

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.mutation import read_pairs


def test_the_genes_file_given_as_pairs_says_mutate_first(tmp_path):
    genes = tmp_path / "genes.csv.gz"
    with gzip.open(genes, "wt") as handle:
        handle.write("NCBIGeneID,Symbol,Description,GeneType,GeneGroupIdentifier,GeneGroupMethod,NucleotideSequence\n"
                     "1,A,a gene,protein-coding,,,<ACGTACGT>\n")
    with pytest.raises(GenoViewInputError) as error:
        read_pairs(genes)
    assert "a file of genes" in str(error.value) and "genoview mutate --genes genes.csv.gz" in str(error.value)
    assert error.value.line == 1


def test_a_letter_other_than_acgt_is_placed(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n1,<ACGTACGT>,<ACGTACGT>\n"
                     "2,<ACGTACGT>,<ACGTRCGT>\n")
    with pytest.raises(GenoViewInputError) as error:
        read_pairs(pairs)
    assert error.value.line == 3 and "the mutated sequence has 'R' at position 5" in str(error.value)
