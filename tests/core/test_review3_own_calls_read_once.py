"""A cached prediction of a model that calls its own genes reads their saved file once: `predict --gff-out` reads
each sequence's calls at the cache check and writes those (it read them again for the GFF3, and once per region of
a sequence); a prediction without --gff-out (the GUI, whose gene-calls row reads them) only looks for the file."""
from __future__ import annotations

import pytest

pytest.importorskip("transformers")


def test_cached_prediction_reads_the_saved_gene_calls_once(tmp_path, monkeypatch):
    from test_kmer_bert_orfs import gff_genes, orf_model_dir_and_genome   # same folder (no packages in tests/)

    from genoview.core.genome import open_genome
    from genoview.core.prediction import PredictionRequest, own_gene_calls, predict, run_to_end
    from genoview.core.store import Store

    model_dir, fasta = orf_model_dir_and_genome(tmp_path)
    with open_genome(fasta) as genome:
        first = tmp_path / "first.gff3"
        run_to_end(predict(PredictionRequest(genome, model=str(model_dir), gff_out=first)))
        reads = []
        real = Store.gene_calls
        monkeypatch.setattr(Store, "gene_calls", lambda self, key: reads.append(key) or real(self, key))

        result = run_to_end(predict(PredictionRequest(genome, model=str(model_dir))))
        assert all(result.from_cache) and reads == [], "a prediction without --gff-out read the calls it never uses"

        out = tmp_path / "again.gff3"
        regions = [("c0", 0, 1200), ("c0", 1200, 2400), ("c1", 0, 1500)]
        first_regions = tmp_path / "regions.gff3"
        monkeypatch.setattr(Store, "gene_calls", real)
        run_to_end(predict(PredictionRequest(genome, model=str(model_dir), regions=regions, gff_out=first_regions)))
        monkeypatch.setattr(Store, "gene_calls", lambda self, key: reads.append(key) or real(self, key))
        result = run_to_end(predict(PredictionRequest(genome, model=str(model_dir), regions=regions, gff_out=out)))
        assert all(result.from_cache)
        assert len(reads) == len(set(reads)) == 2, f"read {len(reads)} times for 2 sequences"
        assert gff_genes(out) == gff_genes(first_regions)
        reads.clear()
        assert own_gene_calls(str(model_dir), genome, regions) is not None and len(reads) == 2   # the GUI row's read
