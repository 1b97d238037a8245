"""GeneORF as a TrackModel and as a gene caller: whole genomes at once, as Prodigal reads them."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import ensure_cancel, ensure_progress, wrap_progress
from genoview.core.models.base import TrackModel

# a base outside every called gene gets at most this, graded by the best candidate or RNA evidence there
OUTSIDE_CEILING = 0.49
# the RNA head reads only what protein genes called with at least this log-odds (p ~ 0.95) leave
RNA_SKIP_SCORE = 3.0
# per-base track from the called genes with their start uncertainty (genecalls.start_posterior_track)
START_POSTERIOR = True
# the last genome's calls per model directory, so `predict --gff-out` writes the calls its track came from
_LAST_CALLS: dict = {}


def own_columns(scorer, n_features: int):
    """``scorer`` reading only the first ``n_features`` columns of genecalls.FEATURES: a model fitted before
    features were appended (they are only ever appended) keeps working."""
    def score(feats):
        return scorer(feats[:, :int(n_features)])
    if hasattr(scorer, "start_background"):
        score.start_background = scorer.start_background
    return score


def prediction_statistics(model, seqs, genetic_code: int):
    """The GenomeStatistics the GeneORF ``model`` (its config, scorer(), stored_statistics()) predicts with on the
    genome of ``seqs`` (genecalls.enumerate_candidates): its stored statistics when it is adapted to a genome,
    else self-trained with its own scorer as genecalls.self_training_of(config) says — what call_genome does."""
    from genoview.core import genecalls as gc

    stored = model.stored_statistics()
    if stored is not None:
        return stored
    return gc.self_train(seqs, genetic_code, own_columns(model.scorer(), int(model.config.n_features)),
                         **gc.self_training_of(model.config))


class GeneORFTrackModel(TrackModel):
    """A loaded GeneORF: ``predict_record`` self-trains on the record's whole genome (every sequence of
    the FASTA file it comes from, so a draft in many contigs trains as one genome) and returns the track."""

    whole_sequence = True
    default_batch_size = 1

    def __init__(self, model, path: Path | None, info: dict):
        self.model = model.eval()
        self.path = path
        self.info = info
        self.name = info.get("name") or (path.name if path else "geneorf")
        self.device = "cpu"
        self._cache: dict = {}
        # RNA genes by homology to other genomes' RNA genes (rna_homology.py): the folder's rna_references.fasta
        from genoview.core.models.geneorf.rna_homology import model_references

        self.rna_references = model_references(path) if path is not None else None

    def torch_model(self):
        """The learnt parts as a transformers GeneORFModel (adaptation fine-tunes and saves it)."""
        return self.model.to_model() if hasattr(self.model, "to_model") else self.model

    # ------------------------------------------------------------------ genome level
    def call_genome(self, sequences: dict, genetic_code: int | None = None, progress=None, cancel=None,
                    rna_probs: dict | None = None, stats=None):
        """(gene calls incl. RNA genes, GenomeStatistics, {seqid: float32 track}) of ``sequences`` ({seqid: codes}).

        ``rna_probs`` ({seqid: (5, n) RNA head output}) reuses RNA-head output computed before (tuning).
        ``stats``: GenomeStatistics learnt before (chunked.py: a large genome's sample), instead of self-training."""
        from genoview.core import genecalls as gc
        from genoview.core.models.geneorf.rna import rna_calls, rna_probabilities_outside

        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        code = genetic_code or self.model.config.genetic_code
        stats = stats if stats is not None else self.model.stored_statistics()
        scorer = own_columns(self.model.scorer(), self.model.config.n_features)
        kept: dict = {}
        calls, stats = gc.call_genes(sequences, genetic_code=code, weights=scorer, stats=stats,
                                     **gc.self_training_of(self.model.config),
                                     progress=wrap_progress(progress, 0.0, 0.6), cancel=cancel, keep=kept)
        # the per-call precision stage (precision.py), when the folder's config.json has one: its calls leave
        # the gene list at the end and, with call_filter["track"], the track too (their bases are then graded
        # as any base outside the called genes); the RNA steps read every chosen call, as before
        from genoview.core.models.geneorf.precision import dropped_calls, in_track, kept_without, without_dropped

        spec = getattr(self.model.config, "call_filter", None)
        dropped = dropped_calls(spec, kept, stats.gc)
        lengths = {seqid: len(codes) for seqid, codes in sequences.items()}
        posterior = kept_without(kept, dropped) if in_track(spec) else kept
        tracks = gc.start_posterior_track(posterior, lengths) if START_POSTERIOR else \
            gc.genes_track(without_dropped(calls, dropped) if in_track(spec) else calls, lengths)
        outside = gc.candidate_track(sequences, stats, scorer, lengths, kept=kept)
        posterior = None   # a copy of kept (kept_without) holds the ORF arrays too: both let go before the trim
        kept.clear()
        from genoview.core.models.geneorf.weights import release_freed_memory

        release_freed_memory()   # the ORF arrays' pages go back before torch and the RNA head take theirs
        rna_stage = wrap_progress(progress, 0.6, 1.0)
        rna = []
        for i, (seqid, codes) in enumerate(sequences.items()):
            cancel.check()
            rna_stage(i / max(len(sequences), 1), "looking for tRNA and rRNA genes")
            if self.model.config.rna_threshold >= 1.0:   # the head is off: its evidence is never used
                probs = None
            elif rna_probs is not None and seqid in rna_probs:
                probs = rna_probs[seqid]
            else:
                covered = np.zeros(len(codes), dtype=bool)
                for c in calls:
                    if c.seqid == seqid and c.score > RNA_SKIP_SCORE:
                        covered[c.start:c.end] = True
                probs = rna_probabilities_outside(self.model.rna, codes, covered)
            if self.model.config.rna_threshold < 1.0:
                rna += rna_calls(probs, seqid, threshold=self.model.config.rna_threshold)
            # the RNA threshold chosen on the tuning genomes maps to 0.5 (no RNA evidence when it is >= 1)
            threshold = float(self.model.config.rna_threshold)
            if threshold >= 1.0:
                p_rna = np.zeros(len(codes), dtype=np.float32)
            else:
                p = np.clip(1.0 - probs[0], 1e-6, 1 - 1e-6)
                shift = np.log(threshold / (1 - threshold))
                p_rna = (1.0 / (1.0 + np.exp(-(np.log(p / (1 - p)) - shift)))).astype(np.float32)
            t = tracks[seqid]
            inside = t >= 0.5
            graded = np.minimum(np.maximum(outside[seqid], 0.0), OUTSIDE_CEILING)
            t[~inside] = graded[~inside]
            np.maximum(t, p_rna, out=t)
        # RNA genes found by homology (tracks raised over them in place; protein/RNA-head calls inside dropped)
        from genoview.core.models.geneorf.rna_homology import apply_rna_homology

        merged = apply_rna_homology(sequences, calls + rna, tracks, getattr(self, "rna_references", None),
                                    skip_score=RNA_SKIP_SCORE)
        order = {seqid: i for i, seqid in enumerate(sequences)}
        calls = sorted(without_dropped(merged, dropped), key=lambda c: (order[c.seqid], c.start, c.end))
        progress(1.0, f"{len(calls):,} genes")
        return calls, stats, tracks

    def _genome_of(self, record):
        """{seqid: codes} of every sequence in the record's file when it can be read, else of the record."""
        from genoview.core.genome import encode

        source = getattr(record, "_source", None)
        path = getattr(source, "path", None)
        if path and os.path.isfile(path):
            key = (os.path.abspath(path), os.path.getsize(path), os.path.getmtime(path))
            records = getattr(source, "records", None)   # a GenBank/EMBL file's records, already in memory
            if key not in self._cache and records is not None:
                if records.get(record.id) is record:
                    self._cache = {key: {sid: encode(r.fetch(0, r.length)) for sid, r in records.items()}}
            elif key not in self._cache:
                from genoview.core.genome import open_genome

                with open_genome(path) as genome:
                    if record.id in genome.sequences and genome.sequences[record.id].length == record.length:
                        self._cache = {key: {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}}
            if key in self._cache:
                return key, self._cache[key]
        return (id(record),), {record.id: encode(record.fetch(0, record.length))}

    def whole_genome_track(self, record, progress=None, cancel=None) -> np.ndarray:
        """The track of the whole record, from calling its whole genome at once (cached)."""
        key, sequences = self._genome_of(record)
        result_key = ("tracks",) + key
        if result_key not in self._cache:
            calls, stats, tracks = self.call_genome(sequences, progress=progress, cancel=cancel)
            self._cache[result_key] = tracks
            _LAST_CALLS.clear()
            _LAST_CALLS[(str(self.path), key)] = (calls, stats.genetic_code)
        return self._cache[result_key][record.id]

    def iter_record(self, record, start: int = 0, end: int | None = None, progress=None, cancel=None):
        """Yield (fraction, [(lo, hi, float32 track)]) over record[start:end]: a small genome at once, a large
        one chunk by chunk in bounded memory (chunked.py says what each trains on)."""
        from genoview.core.models.geneorf.chunked import iter_record

        return iter_record(self, record, start, record.length if end is None else end, progress=progress,
                           cancel=cancel)

    def predict_record(self, record, start: int = 0, end: int | None = None, progress=None, cancel=None) -> np.ndarray:
        end = record.length if end is None else end
        out = np.empty(end - start, dtype=np.float32)
        for _, pieces in self.iter_record(record, start, end, progress=progress, cancel=cancel):
            for lo, hi, values in pieces:
                out[lo - start:hi - start] = values
        return out


def cached_calls(model_path, genome_path):
    """(calls, genetic code) this process's last prediction with the model at ``model_path`` made on the genome
    file ``genome_path`` (every sequence), or None."""
    if not genome_path or not os.path.isfile(genome_path):
        return None
    key = (os.path.abspath(genome_path), os.path.getsize(genome_path), os.path.getmtime(genome_path))
    return _LAST_CALLS.get((str(model_path), key))


def load_track_model(path: str | os.PathLike, device: str | None = None) -> GeneORFTrackModel:
    """Load a GeneORF directory (config.json, model.safetensors, genoview.json); CPU only (numpy + a small CNN)."""
    from genoview.core.models.geneorf.weights import GeneORFWeights

    path = Path(path)
    if not (path / "config.json").is_file():
        raise GenoViewInputError("not a model directory (no config.json); pick a folder saved by GenoView", path)
    from genoview.core.models.metadata import ModelMetadata

    info = ModelMetadata.load(path).to_dict()   # the one owner of genoview.json (messages name file and line)
    # read without transformers (weights.py): prediction needs numpy and, for the RNA head, torch
    return GeneORFTrackModel(GeneORFWeights(path), path, info)
