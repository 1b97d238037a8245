"""Prodigal (through pyrodigal) as a classic baseline gene model, next to the language models.

Its genes are Prodigal's own (``own_gene_calls``: begin, end, strand, partial flags, start codon, confidence), what
``pyrodigal -i GENOME -f gff`` writes gene by gene: ``predict --gff-out`` and ``--proteins-out``, the window's Gene
calls row, ``evaluate --genes`` and the gene disagreements read them, never a decoding of the track.

The track value of a base is the confidence of the Prodigal gene covering it, ``confidence() / 100``
(the highest one where genes overlap, either strand), and 0 outside genes. Prodigal reports genes with
a confidence of at least 50 %, so at the default threshold 0.5 the track marks exactly the called
genes, while the confidence still ranks them for ROC and PR curves.

Prodigal learns its gene model from the genome itself, as the prodigal command does: single mode trained on every
sequence of the genome's file together (a draft's contigs, a chromosome and its plasmids) when they hold at least
20 kb (Prodigal's minimum), metagenomic mode (pre-trained profiles, the best one per sequence) otherwise; genetic
code 11, the command's default (a file over MAX_GENOME bases, no bacterium, trains on each sequence alone). A
region is called with FLANK bases on each side, and its genes are those that overlap it, whole.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import numpy as np

from genoview.core.genecalls import GeneCall
from genoview.core.jobs import ensure_cancel, ensure_progress
from genoview.core.models.base import TrackModel

MIN_TRAINING_LENGTH = 20_000
# genes are called on the requested region plus this much flank, so genes crossing its edges are whole
FLANK = 5_000
GENETIC_CODE = 11   # the prodigal command's default (-g 11)
# a genome file of more bases (not a bacterium: a eukaryote's chromosomes) trains on the predicted sequence alone,
# as before session 15, rather than holding every chromosome in memory
MAX_GENOME = 64_000_000
# how its genes' genetic code was chosen, in the words `predict --gff-out` and `evaluate --genes` print
GENETIC_CODE_HOW = "Prodigal's: 11 as the prodigal command without -g, or on a genome under 20 kb its " \
                   "metagenomic profile's"

# The built-in model's card (it has no folder, so no README.md): THE words `genoview models prodigal`, the library's
# Model card tab and the Predict dialog's note show (core.library.model_details gives it as a folder's card).
CARD = """# prodigal

<!-- plain-words summary -->
- **What it is:** Prodigal (through pyrodigal), built into GenoView: the standard gene finder for bacteria and \
archaea, to compare the models with.
- **What it is for:** A baseline beside the models (the Prodigal column of the gene disagreements); it learns its \
gene model from each genome's own sequence, no annotation needed.
"""


def ascii_sequence(codes) -> bytes:
    """Bases as Prodigal reads them: A, C, G, T, and N for anything else (base codes or ASCII)."""
    codes = np.asarray(codes)
    if codes.dtype == np.uint8 and codes.max(initial=0) <= 4:
        return np.frombuffer(b"ACGTN", dtype=np.uint8)[codes].tobytes()
    from genoview.core.genome import encode

    return np.frombuffer(b"ACGTN", dtype=np.uint8)[encode(codes.astype(np.uint8))].tobytes()


def gene_finder(sequences: dict, genetic_code: int = GENETIC_CODE, mask: bool = False):
    """A pyrodigal GeneFinder for a genome's sequences ({seqid: ASCII bytes}), as the prodigal command makes it:
    trained on all of them together (joined by Prodigal's linkers) when they hold 20 kb or more, else metagenomic."""
    import pyrodigal

    if sum(len(s) for s in sequences.values()) < MIN_TRAINING_LENGTH:
        return pyrodigal.GeneFinder(meta=True, mask=mask)
    import warnings

    finder = pyrodigal.GeneFinder(meta=False, mask=mask)
    with warnings.catch_warnings():   # under 100 kb Prodigal warns that training may be poor, and trains
        warnings.simplefilter("ignore", UserWarning)
        finder.train(*sequences.values(), translation_table=genetic_code)
    return finder


def _genome_key(record):
    """(key, path) of the genome file ``record`` comes from (a draft's contigs are one genome), else of the record."""
    path = getattr(getattr(record, "_source", None), "path", None)
    if path and os.path.isfile(path):
        return (os.path.abspath(path), os.path.getsize(path), os.path.getmtime(path)), path
    return (id(record), record.id, record.length), None


# the last genome trained on, kept for every ProdigalModel in the process (the window loads the model again to list a
# track's genes) and for the gene disagreements' Prodigal column: {key: (sequences, {genetic code: finder})}; one
# genome at a time, under the lock
_TRAINED: dict = {}
# the genes of the stretches called on the last genome (each of a draft's contigs): {"genome": key, "finders": the
# finders whose ids key the stretches (held, so an id is not reused), "stretches": {(id(finder), seqid, lo, hi): genes}}
_FOUND: dict = {}
_LOCK = threading.Lock()


def _sequences_of(record, path) -> dict:
    """{seqid: ASCII} of every sequence in the record's file when that file holds the record (and at most
    MAX_GENOME bases), else of the record."""
    source = getattr(record, "_source", None)
    records = getattr(source, "records", None)   # a GenBank/EMBL file's records, already in memory
    if records is not None and records.get(record.id) is record:
        if sum(r.length for r in records.values()) <= MAX_GENOME:
            return {sid: ascii_sequence(r.fetch(0, r.length)) for sid, r in records.items()}
    elif path is not None:
        from genoview.core.genome import open_genome

        with open_genome(path) as genome:
            if (record.id in genome.sequences and genome.sequences[record.id].length == record.length
                    and sum(r.length for r in genome.sequences.values()) <= MAX_GENOME):
                return {sid: ascii_sequence(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    return {record.id: ascii_sequence(record.fetch(0, record.length))}


def trained_for(record, genetic_code: int = GENETIC_CODE) -> tuple[dict, object]:
    """(the genome's sequences, its GeneFinder) for ``record``: trained once per genome file and genetic code (11, the
    command's; the gene disagreements train with the code the model's calls were read with), kept for the next call."""
    key, path = _genome_key(record)
    with _LOCK:
        found = _TRAINED.get(key)
        if found is None or record.id not in found[0]:   # (a large file's sequences are trained on one by one)
            found = (_sequences_of(record, path), {})
            _TRAINED.clear()
            _TRAINED[key] = found
        sequences, finders = found
        if genetic_code not in finders:
            finders[genetic_code] = gene_finder(sequences, genetic_code)
        return sequences, finders[genetic_code]


def stretch_genes(record, start: int, end: int, genetic_code: int = GENETIC_CODE) -> tuple[int, list]:
    """(offset, pyrodigal genes) of record[start - FLANK:end + FLANK] (the whole record when asked for it), trained on
    the genome (:func:`trained_for`). The genome's stretches' genes are kept: `predict --gff-out` reads them for the
    track and then for the calls, the window for the gene calls and the Prodigal column."""
    sequences, finder = trained_for(record, genetic_code)
    sequence = sequences[record.id]
    lo, hi = max(0, start - FLANK), min(record.length, end + FLANK)
    genome, key = _genome_key(record)[0], (id(finder), record.id, lo, hi)
    with _LOCK:
        if _FOUND.get("genome") == genome and key in _FOUND["stretches"]:
            return lo, _FOUND["stretches"][key]
    genes = list(finder.find_genes(sequence[lo:hi] if (lo, hi) != (0, len(sequence)) else sequence))
    with _LOCK:
        if _FOUND.get("genome") != genome:
            _FOUND.update(genome=genome, finders={}, stretches={})
        _FOUND["finders"][id(finder)] = finder   # held: its id is not reused while its stretches are kept
        _FOUND["stretches"][key] = genes
    return lo, genes


def genome_genes(genome, seqids=None, genetic_code: int = GENETIC_CODE) -> list[tuple] | None:
    """Prodigal's genes [(seqid, start, end, strand, confidence)] on the whole of each of ``seqids`` (default: every
    sequence) of ``genome``, as the prodigal command finds them (trained on every sequence of the file together, no N
    mask), from the kept finder and genes; None when the genome has no file to train on all of."""
    out = []
    for seqid in (list(genome.sequences) if seqids is None else seqids):
        record = genome.sequences[seqid]
        if (len(genome.sequences) > 1 and _genome_key(record)[1] is None
                and getattr(getattr(record, "_source", None), "records", None) is None):
            return None   # (trained_for would train on this sequence alone)
        lo, genes = stretch_genes(record, 0, record.length, genetic_code)
        out.extend((seqid, gene.begin - 1 + lo, gene.end + lo, int(gene.strand), gene.confidence() / 100.0)
                   for gene in genes)
    return out


@dataclass
class ProdigalCall(GeneCall):
    """A GeneCall with Prodigal's numbers: ``score`` is Prodigal's gene score (cscore + sscore, not a log-odds) and
    ``confidence`` Prodigal's, as its GFF3 writes them (``conf``; the track's value is the same)."""

    prodigal_confidence: float = 0.0

    @property
    def confidence(self) -> float:
        return self.prodigal_confidence


def gene_call(seqid: str, gene, offset: int = 0):
    """A pyrodigal gene as a call (:class:`ProdigalCall`): its coordinates, strand, partial flags (left then right
    edge of the forward strand, as Prodigal writes them), start codon, and Prodigal's own score, coding score
    (cscore), start score (sscore) and confidence."""
    return ProdigalCall(seqid, gene.begin - 1 + offset, gene.end + offset, int(gene.strand), float(gene.score),
                        gene.start_type, f"{int(gene.partial_begin)}{int(gene.partial_end)}", float(gene.sscore),
                        float(gene.cscore), prodigal_confidence=gene.confidence() / 100.0)


class ProdigalModel(TrackModel):
    """The built-in "prodigal" model: a whole-sequence TrackModel, no weights, CPU only, that calls its own genes."""

    name = "prodigal"
    whole_sequence = True
    reads_genome = True   # trained on every sequence of the genome's file: a contig's track depends on the others
    genetic_code_how = GENETIC_CODE_HOW

    def __init__(self) -> None:
        import pyrodigal

        self.info = {
            "name": self.name,
            "architecture": "pyrodigal",
            "task": "gene-probability",
            "description": "Prodigal gene finder (pyrodigal), trained on the genome itself; "
                           "value = confidence of the covering gene / 100, 0 outside genes",
            "version": pyrodigal.__version__,
        }
        self.device = "cpu"

    def _genes(self, record, start: int, end: int) -> tuple[int, list]:
        """(offset, pyrodigal genes) of record[start - FLANK:end + FLANK] (:func:`stretch_genes`)."""
        return stretch_genes(record, start, end)

    def predict_record(self, record, start: int = 0, end: int | None = None, progress=None, cancel=None) -> np.ndarray:
        """float32 per-base gene confidence for record[start:end] (0-based half-open)."""
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        end = record.length if end is None else end
        cancel.check()
        progress(0.0, "training Prodigal on the genome")
        trained_for(record)
        cancel.check()
        progress(0.5, "finding genes")
        lo, genes = self._genes(record, start, end)
        cancel.check()
        probs = np.zeros(end - start, dtype=np.float32)
        for gene in genes:
            a, b = max(gene.begin - 1 + lo, start) - start, min(gene.end + lo, end) - start
            if a < b:
                np.maximum(probs[a:b], np.float32(gene.confidence() / 100.0), out=probs[a:b])
        progress(1.0, f"{len(genes)} genes")
        return probs

    def own_gene_calls(self, genome, regions) -> tuple[list, int]:
        """(calls, genetic code) of Prodigal on ``regions`` [(seqid, start, end or values)] of ``genome``: its genes,
        whole, that overlap a region, found as the track finds them (what ``pyrodigal`` gives on whole sequences).
        The code is the one the genes were read with: 11, or the metagenomic profile's (4 or 11) when every
        sequence was called with one profile of that code."""
        spans: dict[str, list] = {}
        for seqid, start, rest in regions:
            end = start + len(rest) if hasattr(rest, "__len__") else int(rest)
            spans.setdefault(seqid, []).append((int(start), int(end)))
        calls, tables = [], set()
        for seqid, wanted in spans.items():
            record = genome.sequences[seqid]
            seen = set()
            for start, end in sorted(wanted):
                lo, genes = self._genes(record, start, end)
                for gene in genes:
                    call = gene_call(seqid, gene, lo)
                    if call.start < end and start < call.end and (call.start, call.end, call.strand) not in seen:
                        seen.add((call.start, call.end, call.strand))
                        calls.append(call)
                        tables.add(int(gene.translation_table))
        code = tables.pop() if len(tables) == 1 else GENETIC_CODE
        return sorted(calls, key=lambda c: (list(spans).index(c.seqid), c.start, c.end)), code


def load(directory=None, *, device: str = "cpu", task=None) -> ProdigalModel:
    """The model registry's hook (registry.BUILTIN_MODELS): Prodigal has no directory and runs on the CPU."""
    return ProdigalModel()
