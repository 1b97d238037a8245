"""A model that calls its own genes (calls_own_genes) makes its own-calls keys from every region's sequence
checksum: those are read in one go (store.sequence_checksums) before the keys are made, not one by one."""
from __future__ import annotations


def test_own_calls_keys_read_warmed_checksums(tmp_path, monkeypatch):
    from genoview.core import prediction
    from genoview.core import store as store_module
    from genoview.core.genome import open_genome
    from genoview.core.prediction import PredictionRequest, predict

    fasta = tmp_path / "draft.fa"
    fasta.write_text("".join(f">k{i}\n{'ACGT' * (20 + i % 7)}\n" for i in range(50)))
    store_module.open_store()
    monkeypatch.setattr(prediction, "_calls_own_genes", lambda identity: True)
    single = store_module.sequence_checksum
    misses = []

    def counted(record, genome_path=None):
        key = (store_module.file_identity(genome_path), str(record.id)) if genome_path else None
        if key not in store_module._sequence_checksums:
            misses.append(record.id)   # one store query (and a transaction) for this sequence alone
        return single(record, genome_path)

    monkeypatch.setattr(store_module, "sequence_checksum", counted)
    with open_genome(fasta) as genome:
        records = list(genome.sequences.values())
        events = predict(PredictionRequest(genome, model="prodigal", regions=[(r.id, 0, r.length) for r in records],
                                           record_run=False))
        next(events)   # the cache keys (and own-calls keys) are made before the first event
        events.close()
    assert misses == [], f"{len(misses)} sequences looked up one by one"
