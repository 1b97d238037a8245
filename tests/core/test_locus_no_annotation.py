"""A gene name typed with no annotation open says why it cannot be found (`genoview gui G.fna --locus thrA`
without --gff said only "no region, sequence, gene name or locus tag of that name")."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.io.features import FeatureTable
from genoview.core.locus import resolve_locus
from tests.core.test_locus import fake_genome


def test_a_name_without_annotation_says_none_is_open():
    genome = fake_genome()
    genome.features = FeatureTable([])
    with pytest.raises(GenoViewInputError, match="no annotation is open.*--gff FILE"):
        resolve_locus("thrA", genome, "NC_000913.3")


def test_a_name_missing_from_an_annotation_does_not_say_so():
    with pytest.raises(GenoViewInputError) as caught:
        resolve_locus("nosuchgene", fake_genome(), "NC_000913.3")
    assert "no annotation is open" not in str(caught.value)
