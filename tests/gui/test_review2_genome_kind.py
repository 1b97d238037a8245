"""Deciding whether the open genome is a prokaryote (mutation panel's LM suggestion) does not walk the annotation on
the GUI thread: the feature types are known from the table made on the loader's thread (a human GFF: ~3 M features,
~0.1 s per walk, at every genome or annotation change)."""
from genoview.core.genome import Genome
from genoview.core.io.features import Feature, FeatureTable
from genoview.core.io.sequence import SequenceRecord


class _NoWalk(FeatureTable):
    def __iter__(self):
        raise AssertionError("genome_kind walked every feature")


def test_genome_kind_reads_the_tables_types_without_walking_it():
    from genoview.gui.panels.mutation import genome_kind

    cds = Feature(seqid="chr", start=0, end=90, strand=1, type="CDS", id="g1")
    mrna = Feature(seqid="chr", start=0, end=90, strand=1, type="mRNA", id="t1")
    bacterium = Genome(None, {"chr": SequenceRecord("chr", "", 200_000)}, _NoWalk([cds]))
    assert genome_kind(bacterium)[0] == "prokaryote"
    eukaryote = Genome(None, {"chr": SequenceRecord("chr", "", 200_000)}, _NoWalk([cds, mrna]))
    kind, why = genome_kind(eukaryote)
    assert kind == "eukaryote" and "mRNA" in why
    assert FeatureTable([cds, mrna]).types == frozenset({"CDS", "mRNA"}) and FeatureTable().types == frozenset()
