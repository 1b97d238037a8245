"""Sequence checksums of many sequences are read from and written to the store in one go: a prediction over a
draft of 5,000 contigs spent 90 s writing one row per contig (one transaction each) before the model ran."""
from __future__ import annotations


def test_checksums_of_a_draft_take_two_store_connections(tmp_path, monkeypatch):
    from genoview.core import store as store_module
    from genoview.core.genome import open_genome
    from genoview.core.prediction import genome_digest

    fasta = tmp_path / "draft.fa"
    fasta.write_text("".join(f">k{i}\n{'ACGT' * (20 + i % 7)}\n" for i in range(300)))
    store_module.open_store()   # made and migrated first: its own connections are not counted
    connections = []
    real = store_module.Store.connect
    monkeypatch.setattr(store_module.Store, "connect", lambda self: connections.append(1) or real(self))
    with open_genome(fasta) as genome:
        records = list(genome.sequences.values())
        sums = store_module.sequence_checksums(records, genome.path)
        assert len(connections) <= 2 and len(set(sums)) == 300
        store_module._sequence_checksums.clear()   # a new process: the store's rows, one query
        connections.clear()
        assert store_module.sequence_checksums(records, genome.path) == sums and len(connections) == 1
        assert [store_module.sequence_checksum(r) for r in records[:3]] == sums[:3]   # the same values
        store_module._sequence_checksums.clear()
        connections.clear()
        digest = genome_digest(genome)
        assert len(connections) == 1 and digest == genome_digest(genome)
        store_module._sequence_checksums.clear()
        misses = _one_by_one_lookups(genome, records, monkeypatch)
        assert misses == [], f"{len(misses)} sequences looked up one by one"


def test_own_calls_keys_read_warmed_checksums(tmp_path, monkeypatch):
    """A model that calls its own genes (calls_own_genes) makes its own-calls keys from every region's sequence
    checksum: those are read in one go (store.sequence_checksums) before the keys are made, not one by one."""
    from genoview.core import prediction
    from genoview.core import store as store_module
    from genoview.core.genome import open_genome

    fasta = tmp_path / "draft.fa"
    fasta.write_text("".join(f">k{i}\n{'ACGT' * (20 + i % 7)}\n" for i in range(50)))
    store_module.open_store()
    monkeypatch.setattr(prediction, "_calls_own_genes", lambda identity: True)
    with open_genome(fasta) as genome:
        misses = _one_by_one_lookups(genome, list(genome.sequences.values()), monkeypatch)
    assert misses == [], f"{len(misses)} sequences looked up one by one"


def _one_by_one_lookups(genome, records, monkeypatch) -> list:
    """The sequences whose checksum a prediction over ``records`` looked up alone (one store query each) while
    making its cache keys (and own-calls keys), before its first event."""
    from genoview.core import store as store_module
    from genoview.core.prediction import PredictionRequest, predict

    misses = []
    single = store_module.sequence_checksum

    def counted(record, genome_path=None):
        key = (store_module.file_identity(genome_path), str(record.id)) if genome_path else None
        if key not in store_module._sequence_checksums:
            misses.append(record.id)   # one store query (and a transaction) for this sequence alone
        return single(record, genome_path)

    monkeypatch.setattr(store_module, "sequence_checksum", counted)
    events = predict(PredictionRequest(genome, model="prodigal", regions=[(r.id, 0, r.length) for r in records],
                                       record_run=False))
    next(events)   # the cache keys (and own-calls keys) are made before the first event
    events.close()
    return misses
