"""GeneORF on sequences of any size, in bounded memory: what it trains itself on, and chunk-by-chunk calling.

GeneORF learns each genome's statistics from the genome itself before it calls genes (Prodigal's way).
Which bases it learns from, and how it reads them:

- **A genome of at most** ``WHOLE_GENOME_MAX`` **bases** (every sequence of the FASTA file together: all
  bacteria and archaea): trained and called on all of it at once, as Prodigal does, a draft in many contigs
  as one genome. Any region asked for is a slice of that whole-genome result (cached in the model).
- **A larger genome** (a eukaryotic chromosome, a metagenome):
  - a region shorter than ``TRAIN_SAMPLE`` (the GUI's visible region, a gene-sized window): trained on the
    region plus ``REGION_MARGIN`` on each side, widened to at least ``REGION_TRAIN_MIN`` (clipped to the
    sequence);
  - a whole sequence or a longer region: trained on a fixed sample of the genome, ``SAMPLE_PIECES`` evenly
    spaced pieces totalling ``TRAIN_SAMPLE`` bases (the same for every sequence of the genome);
  then genes are called chunk by chunk on a grid of ``CHUNK`` bases (from base 0 of the sequence; from the
  region's start for a region trained on its own window), each read with ``OVERLAP`` bases more on both sides; a chunk keeps the genes whose stop codon lies in it (RNA
  genes: whose first base does) and the track of its own bases. Memory holds one chunk and the sample's
  training, whatever the sequence's length; pieces stream to the outputs as chunks finish.
"""
from __future__ import annotations

import os

import numpy as np

from genoview.core.jobs import ensure_cancel

WHOLE_GENOME_MAX = 8_000_000     # bases: genomes up to this size train and call at once
TRAIN_SAMPLE = 8_000_000         # bases a larger genome self-trains on (evenly spaced pieces)
SAMPLE_PIECES = 8
REGION_MARGIN = 100_000          # bases added on each side of a region a large genome trains on
REGION_TRAIN_MIN = 1_000_000     # ... widened to at least this
CHUNK = 2_000_000                # bases called at a time in a large genome
OVERLAP = 50_000                 # bases read beyond each side of a chunk (a gene is far shorter)


def genome_lengths(record, model=None) -> tuple[tuple, dict[str, int]]:
    """(cache key, {seqid: length} of every sequence in the record's FASTA file); the record alone when the
    file cannot be read again. A genome small enough to be called at once is read into ``model``'s cache
    while the file is open (what GeneORFTrackModel._genome_of would read)."""
    path = getattr(getattr(record, "_source", None), "path", None)
    if path and os.path.isfile(path):
        from genoview.core.genome import encode, open_genome

        key = (os.path.abspath(path), os.path.getsize(path), os.path.getmtime(path))
        if key not in _LENGTHS:
            with open_genome(path) as genome:
                _LENGTHS.clear()
                _LENGTHS[key] = {sid: r.length for sid, r in genome.sequences.items()}
                small = sum(_LENGTHS[key].values()) <= WHOLE_GENOME_MAX
                if model is not None and small and key not in model._cache and \
                        _LENGTHS[key].get(record.id) == record.length:
                    model._cache = {key: {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}}
        lengths = _LENGTHS[key]
        if lengths.get(record.id) == record.length:
            return key, lengths
    return (id(record),), {record.id: record.length}


_LENGTHS: dict = {}   # the last genome file's sequence lengths


def sample_intervals(lengths: dict[str, int], budget: int = TRAIN_SAMPLE,
                     pieces: int = SAMPLE_PIECES) -> list[tuple[str, int, int]]:
    """(seqid, start, end) of ``pieces`` evenly spaced stretches of the genome (sequences end to end, in file
    order) totalling ``budget`` bases; a stretch crossing a sequence end continues on the next sequence."""
    total = sum(lengths.values())
    if total <= budget:
        return [(sid, 0, n) for sid, n in lengths.items() if n]
    size = budget // pieces
    out = []
    bounds = np.cumsum([0, *lengths.values()])
    names = list(lengths)
    for k in range(pieces):
        g0 = int((k + 0.5) * total / pieces - size / 2)
        g1 = g0 + size
        for i, sid in enumerate(names):
            a, b = max(g0, int(bounds[i])), min(g1, int(bounds[i + 1]))
            if a < b:
                out.append((sid, a - int(bounds[i]), b - int(bounds[i])))
    return out


def region_training_window(length: int, start: int, end: int) -> tuple[int, int]:
    """The bases a large genome's region trains on: the region plus REGION_MARGIN each side, widened to
    REGION_TRAIN_MIN, inside [0, length)."""
    a, b = start - REGION_MARGIN, end + REGION_MARGIN
    if b - a < REGION_TRAIN_MIN:
        grow = (REGION_TRAIN_MIN - (b - a)) // 2
        a, b = a - grow, b + grow
    if a < 0:
        a, b = 0, b - a
    if b > length:
        a, b = max(0, a - (b - length)), length
    return a, b


def train_statistics(model, sequences: dict):
    """GeneORF's self-training alone (genecalls.call_genes' first half) on ``sequences`` ({name: codes})."""
    from genoview.core import genecalls as gc

    stored = model.model.stored_statistics()
    if stored is not None:   # an adapted model brings its genome's statistics
        return stored
    from genoview.core.models.geneorf.track import prediction_statistics

    code = model.model.config.genetic_code or gc.detect_genetic_code(sequences)
    return prediction_statistics(model.model, gc.enumerate_candidates(sequences, code), code)


def _fetch(record_or_genome, seqid, a, b):
    from genoview.core.genome import encode

    return encode(record_or_genome.fetch(a, b))


def statistics_for(model, record, start: int, end: int, key: tuple, lengths: dict):
    """The GenomeStatistics a large genome's region [start, end) of ``record`` is called with (see the module
    docstring), cached in the model per genome and training window."""
    if end - start < TRAIN_SAMPLE and not (start == 0 and end == record.length):
        a, b = region_training_window(record.length, start, end)
        cache_key = ("stats", key, record.id, a, b)
        if cache_key not in model._cache:
            model._cache[cache_key] = train_statistics(model, {record.id: _fetch(record, record.id, a, b)})
        return model._cache[cache_key]
    cache_key = ("stats", key, "sample")
    if cache_key not in model._cache:
        intervals = sample_intervals(lengths)
        sequences = {}
        path = key[0] if isinstance(key[0], str) else None
        if path is not None:
            from genoview.core.genome import encode, open_genome

            with open_genome(path) as genome:
                for sid, a, b in intervals:
                    sequences[f"{sid}:{a}-{b}"] = encode(genome.sequences[sid].fetch(a, b))
        else:
            sequences = {f"{sid}:{a}-{b}": _fetch(record, sid, a, b) for sid, a, b in intervals}
        model._cache[cache_key] = train_statistics(model, sequences)
    return model._cache[cache_key]


def iter_chunks(model, record, start: int, end: int, stats, cancel=None, calls_out: list | None = None,
                origin: int = 0):
    """Yield (fraction, [(lo, hi, float32 track)]) chunk by chunk over record[start:end] called with ``stats``;
    the chunks' gene calls (record coordinates, in order) are added to ``calls_out``. Chunks lie on a grid of
    CHUNK bases from ``origin`` (0: a base's value does not depend on the region asked for)."""
    from genoview.core.models.geneorf.weights import release_freed_memory

    cancel = ensure_cancel(cancel)
    first, last = (start - origin) // CHUNK, (end - 1 - origin) // CHUNK
    for k in range(first, last + 1):
        cancel.check()
        ca, cb = max(0, origin + k * CHUNK), min(origin + (k + 1) * CHUNK, record.length)
        wa, wb = max(0, ca - OVERLAP), min(record.length, cb + OVERLAP)
        codes = _fetch(record, record.id, wa, wb)
        calls, _, tracks = model.call_genome({record.id: codes}, stats=stats, cancel=cancel)
        del codes
        lo, hi = max(ca, start), min(cb, end)
        piece = np.asarray(tracks[record.id][lo - wa:hi - wa], dtype=np.float32).copy()
        del tracks
        release_freed_memory()   # the chunk's ORF arrays go back to the system: the heap does not creep chunk by chunk
        if calls_out is not None:
            for c in calls:
                c.start, c.end = c.start + wa, c.end + wa
                where = c.start if (c.kind != "CDS" or c.strand < 0) else c.end - 1   # stop codon (RNA: first base)
                if ca <= where < cb:
                    calls_out.append(c)
        yield (hi - start) / (end - start), [(lo, hi, piece)]


def iter_record(model, record, start: int, end: int, progress=None, cancel=None):
    """GeneORFTrackModel.iter_record: (fraction, [(lo, hi, float32 track)]) over record[start:end]."""
    from genoview.core.models.geneorf import track as track_module

    from genoview.core.models.geneorf.weights import keep_freed_memory_for_reuse

    keep_freed_memory_for_reuse()
    cancel = ensure_cancel(cancel)
    key, lengths = genome_lengths(record, model)
    if sum(lengths.values()) <= WHOLE_GENOME_MAX:
        values = model.whole_genome_track(record, progress=progress, cancel=cancel)
        yield 1.0, [(start, end, values[start:end].copy())]
        return
    stats = statistics_for(model, record, start, end, key, lengths)
    whole = start == 0 and end == record.length
    # the calls of a large sequence are kept only for a gene-call output (prediction sets keep_calls): they
    # grow with the sequence (a random 250 Mb chromosome: hundreds of thousands)
    calls: list | None = [] if whole and getattr(model, "keep_calls", False) else None
    # a region trained on its own window is called on a grid from its start (a 1 Mb region: one chunk)
    origin = start if end - start < TRAIN_SAMPLE and not whole else 0
    yield from iter_chunks(model, record, start, end, stats, cancel=cancel, calls_out=calls, origin=origin)
    if calls is not None:   # `predict --gff-out` writes these (track.cached_calls); the genome's sequences accumulate
        entry_key = (str(model.path), key)
        previous = track_module._LAST_CALLS.get(entry_key)
        kept = [c for c in previous[0] if c.seqid != record.id] if previous else []
        track_module._LAST_CALLS.clear()
        track_module._LAST_CALLS[entry_key] = (kept + calls, stats.genetic_code)
