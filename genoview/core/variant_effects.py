"""Variant effects for any sequence and model: real vs mutated per position, saturation mutagenesis, CSV export.

Long work takes ``progress`` and ``cancel`` (checked between batches), as everywhere in core.
- :func:`compare_lm` : per-position log-likelihood of real and mutated under language models, aligned through
  insertions and deletions (:meth:`MutatedSequence.alignment`), with each model's verdicts.
- :func:`compare_gene_model` : the gene model's probability track for real and mutated and their difference.
- :func:`saturation_lm` : every position of a window x the 3 other bases (and optionally its deletion);
  effect = log-likelihood ratio log P(alt) - log P(ref) of the whole sequence, each model computing only what
  a variant changes (:mod:`genoview.core.lm_mutagenesis`; equal to re-scoring every mutated sequence).
- :func:`saturation_gene_model` : the same grid with effect = change of the mean gene probability over the
  window; only the tile around the window is recomputed (its flank = the model's context), never the genome.
  Whole-genome gene finders (GeneORF) keep the genome's self-trained statistics fixed and re-score only the
  ORFs a substitution can touch (:mod:`genoview.core.orf_mutagenesis`); pass ``genome=`` for the real genome.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress, wrap_progress
from genoview.core.lm import GeneScore, LanguageModel
from genoview.core.lm_data import BASES, strip_markers
from genoview.core.mutation import MutatedSequence

ALTERNATIVES = ("A", "C", "G", "T", "del")


@dataclass
class ModelComparison:
    """One model's scores of real and mutated: per-token log-probs (gene order, end slot last) and verdicts."""

    model: str
    real_logprobs: np.ndarray
    mutated_logprobs: np.ndarray
    real: GeneScore
    mutated: GeneScore

    @property
    def perplexity_verdict(self) -> bool:
        """True when the real sequence has the lower perplexity (the study's perplexity rule)."""
        return self.real.perplexity < self.mutated.perplexity

    @property
    def probability_verdict(self) -> bool:
        return self.real.total > self.mutated.total

    def aligned(self, real_cols: np.ndarray, mut_cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per alignment column: real log-prob, mutated log-prob (NaN at gaps) and mutated - real."""
        real = np.where(real_cols >= 0, self.real_logprobs[np.maximum(real_cols, 0)], np.nan)
        mut = np.where(mut_cols >= 0, self.mutated_logprobs[np.maximum(mut_cols, 0)], np.nan)
        return real, mut, mut - real


def compare_lm(models: Sequence[LanguageModel], mutated: MutatedSequence, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> list[ModelComparison]:
    """Score real and mutated with each model."""
    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    out = []
    for k, model in enumerate(models):
        cancel.check()
        real_lp, mut_lp = model.token_logprobs([mutated.real, mutated.mutated],
                                               progress=wrap_progress(progress, k / len(models),
                                                                      (k + 1) / len(models)), cancel=cancel)
        out.append(ModelComparison(model.name, real_lp, mut_lp, GeneScore.from_logprobs(real_lp),
                                   GeneScore.from_logprobs(mut_lp)))
    progress(1.0, None)
    return out


def write_per_position(path: str | Path, pair: MutatedSequence, comparisons: Sequence[ModelComparison],
                       gene: GeneModelComparison | None = None, gene_model: str = "",
                       region: tuple | None = None) -> None:
    """Real vs mutated's side-by-side curves as a table: one row per model and alignment column (a deleted base
    faces an empty mutated position, an inserted one an empty real position), the measure (log P per base in nats,
    or the gene model's gene probability) of real and mutated and ``mutated_minus_real`` (below 0: less likely);
    with ``region`` (seqid, start, end, strand) each real base's genome position too. CSV, or TSV for a .tsv name;
    written atomically."""
    from genoview.core.io.atomic import write_atomically

    real_cols, mut_cols = pair.alignment()
    curves = [(c.model, "log-probability (nats)", *c.aligned(real_cols, mut_cols)) for c in comparisons]
    if gene is not None:
        curves.append((gene_model or "gene model", "gene probability", *gene.aligned(real_cols, mut_cols)))
    delimiter = "\t" if Path(path).name.lower().endswith(".tsv") else ","

    def where(i: int) -> list:
        if region is None:
            return []
        if i < 0:
            return [region[0], "", ""]
        _, start, end, strand = region
        return [region[0], start + i + 1 if strand >= 0 else end - i, "+" if strand >= 0 else "-"]

    def cell(value: float) -> str:
        return "" if np.isnan(value) else f"{value:.6g}"

    def write_to(tmp) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            w = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
            w.writerow(["model", "measure", "column", "real_position", "mutated_position", "real_base",
                        "mutated_base", "real", "mutated", "mutated_minus_real"]   # < 0: the copy less likely there
                       + (["seqid", "genome_position", "strand"] if region is not None else []))
            for model, measure, real, mutated, difference in curves:
                for k, (i, j) in enumerate(zip(real_cols.tolist(), mut_cols.tolist())):
                    w.writerow([model, measure, k + 1, i + 1 if i >= 0 else "", j + 1 if j >= 0 else "",
                                pair.real[i] if i >= 0 else "", pair.mutated[j] if j >= 0 else "",
                                cell(real[k]), cell(mutated[k]), cell(difference[k])] + where(i))

    write_atomically(path, write_to)


def _codes(sequence: str) -> np.ndarray:
    from genoview.core.genome import encode

    return encode(np.frombuffer(sequence.upper().encode("ascii"), dtype=np.uint8))


def _refuse_whole_genome_decoder(track_model) -> None:
    """A model whose genes come from a decoder over the whole genome (``calls_own_genes``: the k-mer BERT's ORF
    decoder) has no per-window track to re-run for each variant: say so, and what to use instead."""
    name = getattr(track_model, "name", "this model")
    if getattr(track_model, "calls_own_genes", False):
        raise GenoViewInputError(f"{name} calls its genes over the whole genome (an ORF decoder over every base), "
                                 "which cannot be re-run for each variant of a window; for real vs mutated and heat "
                                 "maps use a per-base gene model (e.g. kmer-bert-ecoli) or geneorf-bacteria")
    if getattr(track_model, "whole_sequence", False):   # (GeneORF, with call_genome, never comes here)
        raise GenoViewInputError(f"{name} predicts whole sequences only and cannot score a window; for real vs "
                                 "mutated and heat maps use geneorf-bacteria, genecnn-ecoli or kmer-bert-ecoli")


def _tiles_predictor(track_model, n: int):
    """``predict(tiles) -> (batch, n)`` float64 gene probabilities of tiles laid out [context | n bases | context].
    A model that reads any length (``any_length``: GeneCNN) gets the tiles as they are; any other is given the
    chunks its contract asks for (``context + chunk_size + context`` bases, N beyond the tile), on a grid from
    the window's first base, at most its batch size at a time (a k-mer BERT refused the window's own length)."""
    _refuse_whole_genome_decoder(track_model)
    chunk = getattr(track_model, "chunk_size", None)
    ctx = int(getattr(track_model, "context", 0))
    if getattr(track_model, "any_length", False) or chunk is None or int(chunk) == n:
        return lambda tiles: np.asarray(track_model.predict_chunk(tiles), dtype=np.float64)
    chunk = int(chunk)
    pieces = -(-n // chunk)
    batch = max(1, int(getattr(track_model, "default_batch_size", 8)))

    def predict(tiles: np.ndarray) -> np.ndarray:
        tiles = np.asarray(tiles, dtype=np.uint8)
        padded = np.full((len(tiles), pieces * chunk + 2 * ctx), 4, dtype=np.uint8)
        padded[:, :tiles.shape[1]] = tiles
        chunks = np.stack([padded[:, k * chunk:(k + 1) * chunk + 2 * ctx] for k in range(pieces)], axis=1)
        chunks = chunks.reshape(-1, chunk + 2 * ctx)
        probs = np.concatenate([np.asarray(track_model.predict_chunk(chunks[b:b + batch]), dtype=np.float64)
                                for b in range(0, len(chunks), batch)])
        return probs.reshape(len(tiles), pieces * chunk)[:, :n]

    return predict


def gene_probability(track_model, sequence: str, flank_left: str = "", flank_right: str = "",
                     progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> np.ndarray:
    """The gene model's probabilities for ``sequence`` (float32, one per base), with optional real flanks
    (N beyond them), predicted as one tile of the model."""
    ensure_cancel(cancel).check()
    ctx = int(getattr(track_model, "context", 0))
    left = _codes(flank_left)[-ctx:] if ctx and flank_left else np.zeros(0, np.uint8)
    right = _codes(flank_right)[:ctx] if ctx and flank_right else np.zeros(0, np.uint8)
    body = _codes(strip_markers(sequence))
    tile = np.concatenate([np.full(ctx - left.size, 4, np.uint8), left, body, right,
                           np.full(ctx - right.size, 4, np.uint8)])
    probs = _tiles_predictor(track_model, len(body))(tile[None, :])[0]
    ensure_progress(progress)(1.0, None)
    return np.asarray(probs, dtype=np.float32)


@dataclass
class GeneModelComparison:
    real: np.ndarray
    mutated: np.ndarray

    def aligned(self, real_cols: np.ndarray, mut_cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        real = np.where(real_cols >= 0, self.real[np.maximum(real_cols, 0)], np.nan)
        mut = np.where(mut_cols >= 0, self.mutated[np.maximum(mut_cols, 0)], np.nan)
        return real, mut, mut - real


def compare_gene_model(track_model, mutated: MutatedSequence, flank_left: str = "", flank_right: str = "",
                       progress=None, cancel=None, genome: "GenomeContext | None" = None) -> GeneModelComparison:
    """The gene model's track for real and mutated. A whole-genome model (GeneORF) reads the mutated copy in
    its genome (``genome``; else the flanks and the sequence are the genome) with the real genome's
    self-trained statistics kept fixed."""
    if hasattr(track_model, "call_genome"):
        return _compare_whole_genome(track_model, mutated, flank_left, flank_right, genome,
                                     ensure_progress(progress), ensure_cancel(cancel))
    real = gene_probability(track_model, mutated.real, flank_left, flank_right, cancel=cancel)
    mut = gene_probability(track_model, mutated.mutated, flank_left, flank_right, cancel=cancel)
    ensure_progress(progress)(1.0, None)
    return GeneModelComparison(real, mut)


def _compare_whole_genome(track_model, mutated, flank_left, flank_right, genome, progress, cancel):
    from genoview.core.lm_data import reverse_complement
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    real_text, mut_text = strip_markers(mutated.real).upper(), strip_markers(mutated.mutated).upper()
    if genome is None:
        left, right = strip_markers(flank_left).upper(), strip_markers(flank_right).upper()
        genome = GenomeContext({"sequence": _codes(left + real_text + right)}, "sequence", len(left),
                               len(left) + len(real_text), 1)
    genome = bounded_genome(genome)
    reference = orf_reference(track_model, genome.sequences, genome.seqid, wrap_progress(progress, 0.0, 0.4),
                              cancel)
    real = reference.prepare_window(genome.start, genome.end)
    cancel.check()
    piece = mut_text if genome.strand > 0 else reverse_complement(mut_text)
    codes = genome.sequences[genome.seqid]
    sequences = dict(genome.sequences)
    sequences[genome.seqid] = np.concatenate([codes[:genome.start], _codes(piece), codes[genome.end:]])
    other = OrfMutagenesis(track_model, sequences, genome.seqid, stats=reference.stats,
                           progress=wrap_progress(progress, 0.4, 0.9), cancel=cancel)
    mut = other.prepare_window(genome.start, genome.start + len(piece))
    if genome.strand < 0:
        real, mut = real[::-1], mut[::-1]
    progress(1.0, None)
    return GeneModelComparison(np.ascontiguousarray(real), np.ascontiguousarray(mut))


# ---------------------------------------------------------------- saturation mutagenesis

@dataclass
class SaturationResult:
    """Effects of every single-base change of a window: ``effects[i, j]`` for position ``start + i`` and
    alternative ``ALTERNATIVES[j]`` (NaN for the reference base itself, and for deletions when not asked)."""

    sequence: str
    start: int
    end: int
    effects: np.ndarray
    measure: str                      # "log-likelihood ratio" or "change of gene probability"
    model: str = ""
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)
    # where ``sequence`` lies in a genome, (seqid, start, end, strand) 0-based half-open, when it was taken from one:
    # the CSV then gives each row's genome position too (a gene's "position 12" on the minus strand had to be mapped
    # back by hand to find it in the genome or a VCF)
    region: tuple | None = None

    def genome_position(self, i: int) -> int | None:
        """1-based position in the genome (forward strand) of the sequence's 0-based position ``i``."""
        if self.region is None:
            return None
        _, start, end, strand = self.region
        return start + i + 1 if strand >= 0 else end - i

    def max_effect(self) -> np.ndarray:
        """Per position, the effect of largest magnitude (signed); NaN where nothing was scored."""
        eff = np.where(np.isnan(self.effects), 0.0, self.effects)
        idx = np.abs(eff).argmax(axis=1)
        out = self.effects[np.arange(len(idx)), idx]
        return np.where(np.isnan(self.effects).all(axis=1), np.nan, out)

    def write_csv(self, path: str | Path) -> None:
        """One row per variant: position (1-based in the sequence), ref, alt, effect, measure, model; with a
        ``region``, also seqid, genome_position (1-based, forward strand) and strand (ref/alt read on that strand)."""
        from genoview.core.io.atomic import write_atomically

        def write_to(tmp) -> None:
            with open(tmp, "w", newline="", encoding="utf-8") as handle:
                w = csv.writer(handle)
                placed = self.region is not None   # then: where each row lies in the genome, and on which strand
                w.writerow(["position", "ref", "alt", "effect_alt_minus_ref", "measure", "model"]   # < 0: ALT less likely
                           + (["seqid", "genome_position", "strand"] if placed else []))
                for i in range(self.end - self.start):
                    for j, alt in enumerate(ALTERNATIVES):
                        value = self.effects[i, j]
                        if not np.isnan(value):
                            w.writerow([self.start + i + 1, self.sequence[self.start + i], alt, f"{value:.6g}",
                                        self.measure, self.model]
                                       + ([self.region[0], self.genome_position(self.start + i),
                                           "+" if self.region[3] >= 0 else "-"] if placed else []))

        write_atomically(path, write_to)   # a failed write leaves an earlier file whole and no temporary file


def _variants(sequence: str, start: int, end: int, deletions: bool):
    """(row, column, mutated sequence) for every substitution (and deletion) in [start, end)."""
    for i in range(start, end):
        ref = sequence[i]
        for j, alt in enumerate(ALTERNATIVES):
            if alt == "del":
                if deletions:
                    yield i - start, j, sequence[:i] + sequence[i + 1:]
            elif alt != ref:
                yield i - start, j, sequence[:i] + alt + sequence[i + 1:]


def _check_window(sequence: str, start: int, end: int | None) -> tuple[str, int, int]:
    sequence = strip_markers(sequence).upper()   # soft-masked (lower-case) bases are bases too
    end = len(sequence) if end is None else end
    if not 0 <= start < end <= len(sequence):
        raise GenoViewInputError(f"window {start + 1}..{end} is outside the sequence (1..{len(sequence)})")
    if set(sequence) - set(BASES):
        raise GenoViewInputError("saturation mutagenesis needs a sequence of A, C, G and T only")
    return sequence, start, end


def saturation_lm(model: LanguageModel, sequence: str, start: int = 0, end: int | None = None, *,
                  deletions: bool = False, batch: int = 256, progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None, fast: bool = True, window: int | None = None
                  ) -> SaturationResult:
    """Log-likelihood ratio (natural log) of every single-base variant of the window vs the reference.

    ``fast`` (default): each member model reads the reference once and computes only what a variant can
    change (:mod:`genoview.core.lm_mutagenesis`; the same numbers as full re-scoring, tested);
    ``fast=False`` re-scores every mutated sequence in full (the reference the tests compare with).
    ``window`` (bases; None or 0: the whole sequence): a sequence longer than this has each change scored in the
    window around it that ``genoview variant-effects --window`` scores the same single-base variant in
    (:func:`saturation_windows`): 20 changes of a 200 kb gene read ~20 kb, not the 200 kb for every change."""
    import time

    started = time.monotonic()
    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    sequence, start, end = _check_window(sequence, start, end)
    if window and len(sequence) > window:
        pieces = saturation_windows(len(sequence), start, end, window)
        effects = np.full((end - start, len(ALTERNATIVES)), np.nan)
        measure, extra, done = "log-likelihood ratio", {"windows": [(lo, hi) for lo, hi, _, _ in pieces]}, 0
        for lo, hi, a, b in pieces:
            part = saturation_lm(model, sequence[lo:hi], a - lo, b - lo, deletions=deletions, batch=batch,
                                 progress=wrap_progress(progress, done / (end - start), (done + b - a) / (end - start)),
                                 cancel=cancel, fast=fast)
            effects[a - start:b - start] = part.effects
            measure, done = part.measure, done + b - a
            for name, seconds in part.extra.get("cpu_seconds_by_member", {}).items():
                by_member = extra.setdefault("cpu_seconds_by_member", {})
                by_member[name] = by_member.get(name, 0.0) + seconds
        progress(1.0, None)
        return SaturationResult(sequence, start, end, effects, measure, model.name, time.monotonic() - started, extra)
    if hasattr(model, "masked_marginals"):
        # a masked LM: masked-marginal scores, log P(alt) - log P(ref) with the position masked (one pass set)
        marginals = model.masked_marginals(sequence)[start:end]
        ref_codes = np.array(["ACGT".index(b) for b in sequence[start:end]])
        effects = np.full((end - start, len(ALTERNATIVES)), np.nan)
        effects[:, :4] = marginals - marginals[np.arange(end - start), ref_codes][:, None]
        effects[np.arange(end - start), ref_codes] = np.nan
        progress(1.0, None)
        return SaturationResult(sequence, start, end, effects, "masked-marginal log-ratio", model.name,
                                time.monotonic() - started)
    effects = np.full((end - start, len(ALTERNATIVES)), np.nan)
    if fast:
        from genoview.core.lm_mutagenesis import DELETION, prepare_variants, variant_totals

        cells = [(i - start, j, (i, DELETION if alt == "del" else "ACGT".index(alt) + 1))
                 for i in range(start, end) for j, alt in enumerate(ALTERNATIVES)
                 if (alt == "del" and deletions) or (alt != "del" and alt != sequence[i])]
        progress(0.0, "reading the reference")
        scorer = prepare_variants(model, sequence)
        cancel.check()
        ref_total = float(np.sum(scorer.reference))

        def done(k: int) -> None:
            progress(0.05 + 0.95 * k / max(len(cells), 1), f"{k}/{len(cells)} variants")

        totals = variant_totals(scorer, [c[2] for c in cells], check=cancel.check, done=done)
        for (row, col, _), total in zip(cells, totals):
            effects[row, col] = total - ref_total
        progress(1.0, None)
        extra = {"fast": True}
        if hasattr(scorer, "seconds_by_member"):
            extra["cpu_seconds_by_member"] = scorer.seconds_by_member()
        return SaturationResult(sequence, start, end, effects, "log-likelihood ratio", model.name,
                                time.monotonic() - started, extra)
    ref_total = float(np.sum(model.token_logprobs([sequence], cancel=cancel)[0]))
    # substitutions, then deletions: a batch of one length (a GPT lays a padded row out in the longest's windows)
    variants = sorted(_variants(sequence, start, end, deletions), key=lambda v: -len(v[2]))
    for b in range(0, len(variants), batch):
        cancel.check()
        part = variants[b:b + batch]
        if len(part[0][2]) != len(part[-1][2]):     # the batch where substitutions end: one call per length
            scores = [lp for length in (len(part[0][2]), len(part[-1][2]))
                      for lp in model.token_logprobs([v[2] for v in part if len(v[2]) == length], cancel=cancel)]
        else:
            scores = model.token_logprobs([v[2] for v in part], cancel=cancel)
        for (row, col, _), lp in zip(part, scores):
            effects[row, col] = float(np.sum(lp)) - ref_total
        progress(min(1.0, (b + batch) / max(len(variants), 1)), f"{min(b + batch, len(variants))}/{len(variants)} variants")
    return SaturationResult(sequence, start, end, effects, "log-likelihood ratio", model.name,
                            time.monotonic() - started)


def saturation_windows(n: int, start: int, end: int, window: int) -> list[tuple[int, int, int, int]]:
    """(lo, hi, a, b): the changes at positions [a, b) of a sequence of ``n`` bases are scored in its bases [lo, hi),
    for positions [start, end): each position's window by ``vcf_effects._window_of`` (the rule of
    ``genoview variant-effects --window``, the one helper), positions sharing a window grouped; one piece (0, n)
    when the sequence is no longer than ``window`` (or ``window`` is 0 / None)."""
    if not window or n <= window:
        return [(0, n, start, end)]
    from genoview.core.vcf_effects import _window_of

    pieces: list[tuple[int, int, int, int]] = []
    for i in range(start, end):
        lo, hi = _window_of(i, i + 1, n, window)
        if pieces and pieces[-1][:2] == (lo, hi):
            pieces[-1] = (lo, hi, pieces[-1][2], i + 1)
        else:
            pieces.append((lo, hi, i, i + 1))
    return pieces


def saturation_gene_model(track_model, sequence: str, start: int = 0, end: int | None = None, *,
                          deletions: bool = False, flank_left: str = "", flank_right: str = "", batch: int = 32,
                          genome: GenomeContext | None = None,
                          progress: ProgressCallback | None = None, cancel: CancelToken | None = None
                          ) -> SaturationResult:
    """Change of the mean gene probability over the window for every single-base variant in it.

    Only one tile is recomputed per variant: the window with the model's context on both sides (the bases a
    change in the window can reach and the bases those outputs read), from the real flanks where given.
    A deletion shifts what follows by one base; its tile keeps the window's length by taking one more base
    of the right flank.
    """
    import time

    started = time.monotonic()
    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    sequence, start, end = _check_window(sequence, start, end)
    if hasattr(track_model, "call_genome"):
        return _saturation_whole_genome(track_model, sequence, start, end, deletions, flank_left, flank_right,
                                        genome, progress, cancel, started)
    ctx = int(getattr(track_model, "context", 0))
    left_text = flank_left + sequence[:start]
    right_text = sequence[end:] + flank_right
    left = _codes(left_text[-ctx:]) if ctx and left_text else np.zeros(0, np.uint8)
    right = _codes(right_text[:ctx + 1]) if right_text else np.zeros(0, np.uint8)
    left = np.concatenate([np.full(ctx - left.size, 4, np.uint8), left])
    right = np.concatenate([right, np.full(ctx + 1 - right.size, 4, np.uint8)])
    window = _codes(sequence[start:end])
    n = end - start
    reference = np.concatenate([left, window, right[:ctx]])

    predict = _tiles_predictor(track_model, n)
    ref_probs = predict(reference[None, :])[0]
    fast = _cropped_genecnn(track_model, ctx, n, reference)
    used_fast = fast is not None and np.abs(fast(reference[None, :])[0] - ref_probs).max() < 1e-4
    if used_fast:
        predict = fast      # the same numbers, the CNN run only where window outputs can change
    ref_mean = float(ref_probs.mean())
    effects = np.full((n, len(ALTERNATIVES)), np.nan)
    jobs = []
    for i in range(n):
        for j, alt in enumerate(ALTERNATIVES):
            if alt == "del":
                if deletions:
                    jobs.append((i, j, None))
            elif "ACGT".index(alt) != window[i]:
                jobs.append((i, j, "ACGT".index(alt)))
    for b in range(0, len(jobs), batch):
        cancel.check()
        part = jobs[b:b + batch]
        tiles = np.repeat(reference[None, :], len(part), axis=0)
        for row, (i, _, code) in enumerate(part):
            if code is None:
                body = np.concatenate([np.delete(window, i), right[:1]])
                tiles[row, ctx:ctx + n] = body
                tiles[row, ctx + n:] = right[1:ctx + 1]
            else:
                tiles[row, ctx + i] = code
        means = predict(tiles).mean(axis=1)
        for (i, j, _), value in zip(part, means):
            effects[i, j] = value - ref_mean
        progress(min(1.0, (b + batch) / max(len(jobs), 1)), f"{min(b + batch, len(jobs))}/{len(jobs)} variants")
    return SaturationResult(sequence, start, end, effects, "change of gene probability",
                            getattr(track_model, "name", "gene model"), time.monotonic() - started,
                            {"reference_mean": ref_mean, "cropped": used_fast})


@dataclass
class GenomeContext:
    """Where a real sequence lies in its genome, for whole-genome models: ``sequences`` {seqid: codes} (every
    sequence of the genome: GeneORF self-trains on all of them), the sequence is
    ``sequences[seqid][start:end]`` read on ``strand`` (-1: reverse complement)."""

    sequences: dict
    seqid: str
    start: int
    end: int
    strand: int = 1


def bounded_genome(genome: GenomeContext) -> GenomeContext:
    """What GeneORF self-trains on for this place (geneorf/chunked.py's rule): the whole genome up to
    WHOLE_GENOME_MAX bases, else the sequence around the place (REGION_MARGIN each side, at least
    REGION_TRAIN_MIN), so a chromosome-sized genome is never read whole."""
    from genoview.core.models.geneorf import chunked

    if sum(len(c) for c in genome.sequences.values()) <= chunked.WHOLE_GENOME_MAX:
        return genome
    codes = genome.sequences[genome.seqid]
    a, b = chunked.region_training_window(len(codes), genome.start, genome.end)
    return GenomeContext({genome.seqid: codes[a:b]}, genome.seqid, genome.start - a, genome.end - a, genome.strand)


def _genome_key(sequences: dict) -> tuple:
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for seqid, codes in sequences.items():
        digest.update(seqid.encode() + b"\0")
        digest.update(np.ascontiguousarray(codes, dtype=np.uint8).tobytes())
    return tuple(sequences), digest.hexdigest()


def orf_reference(track_model, sequences: dict, seqid: str, progress=None, cancel=None):
    """The GeneORF reference state (self-trained statistics, scored ORFs, decoding) of ``seqid``, kept on the
    model for the last genome so that later heat maps on it skip the self-training."""
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    key = (_genome_key(sequences), seqid)
    cache = track_model.__dict__.setdefault("_mutagenesis_reference", {})
    if key not in cache:
        reference = OrfMutagenesis(track_model, sequences, seqid, progress=progress, cancel=cancel)
        cache.clear()
        cache[key] = reference
    return cache[key]


def _saturation_whole_genome(track_model, sequence, start, end, deletions, flank_left, flank_right, genome,
                             progress, cancel, started) -> SaturationResult:
    """GeneORF: change of the window's mean gene probability with the genome's statistics fixed."""
    import time

    from genoview.core.orf_mutagenesis import geneorf_saturation

    if genome is None:   # the sequence with its flanks is the whole genome
        text = strip_markers(flank_left).upper() + sequence + strip_markers(flank_right).upper()
        offset = len(strip_markers(flank_left))
        genome = GenomeContext({"sequence": _codes(text)}, "sequence", offset, offset + len(sequence), 1)
    if genome.end - genome.start != len(sequence):
        raise GenoViewInputError("the sequence does not match its place in the genome")
    genome = bounded_genome(genome)
    if genome.strand > 0:
        g0, g1 = genome.start + start, genome.start + end
    else:
        g0, g1 = genome.end - end, genome.end - start
    reference = orf_reference(track_model, genome.sequences, genome.seqid, wrap_progress(progress, 0.0, 0.5),
                              cancel)
    ref_track, effects, _ = geneorf_saturation(track_model, genome.sequences, genome.seqid, g0, g1,
                                               reference=reference, progress=wrap_progress(progress, 0.5, 1.0),
                                               cancel=cancel)
    if genome.strand < 0:   # back to the sequence's orientation: position reversed, bases complemented
        effects, ref_track = effects[::-1, ::-1], ref_track[::-1]
    grid = np.full((end - start, len(ALTERNATIVES)), np.nan)
    grid[:, :4] = effects
    extra = {"reference_mean": float(ref_track.astype(np.float64).mean()),
             "reference_track": ref_track.astype(np.float32)}
    if deletions:
        extra["note"] = "deletions are not scored with a whole-genome gene finder (GeneORF)"
    return SaturationResult(sequence, start, end, grid, "change of gene probability",
                            getattr(track_model, "name", "gene model"), time.monotonic() - started, extra)


def _cropped_genecnn(track_model, ctx: int, n: int, reference: np.ndarray | None = None):
    """For a GeneCNN: predict the window of full tiles with the reading-frame features of the whole tile (they
    reach ``orf_reach`` bases) but projected and run through the CNN only over the window plus its receptive
    radius, without the wide per-base feature matrix. With the ``reference`` tile, a tile that differs from it
    by one substitution that makes or breaks no stop or start codon on a strand gets that strand's features
    from the reference's plus the change of the two hexamer scores it touches (:class:`_FeatureDeltas`).
    None for other models; the caller checks it against ``predict_chunk`` on the reference tile before use."""
    net = getattr(track_model, "model", None)
    config = getattr(net, "config", None)
    parts = ("hexamer_scores", "inputs", "blocks", "head", "rna_kmers")
    if net is None or not all(hasattr(net, a) for a in parts) or getattr(config, "downsample", 1) != 1 \
            or not hasattr(config, "orf_reach"):
        return None   # (a GeneCNNModel or the torch-only GeneCNNNetwork both have these)
    import torch
    import torch.nn.functional as F

    from genoview.core.models.genecnn.features import N_CODE, strand_features
    from genoview.core.models.genecnn.features import reverse_complement as rc_codes
    from genoview.core.models.genecnn.rna_memory import RNA_LOGIT, covered_by

    # reaches[k]: how far blocks k.. read beyond a base (their dilated taps)
    spans = [layer.conv.dilation[0] * (layer.conv.weight.shape[2] - 1) // 2 for layer in net.blocks]
    reaches = [sum(spans[k:]) for k in range(len(spans) + 1)]
    radius = reaches[0] + 1 + 8          # the config's receptive radius, with margin
    if radius > ctx or net.blocks[0].conv.groups != 1:
        return None
    lo, hi = max(0, ctx - radius), ctx + n + radius
    shift = float(np.log(track_model.threshold / (1 - track_model.threshold))) if track_model.threshold != 0.5 else 0.0
    weight = net.inputs.weight[:, :, 0].t()                                   # (features, hidden)
    hexamers, reach = net.hexamer_scores.weight, config.orf_reach
    deltas = {}

    def needed(length: int, top: int) -> dict:
        # forward features read at tile positions [lo - 2, top); reverse ones (own orientation) at
        # [length - top - 2, length - lo)
        return {0: (max(lo - 2, 0), top), 1: (max(length - top - 2, 0), length - lo)}

    def features_of(codes: torch.Tensor, top: int) -> dict:
        """{strand: (batch, positions, channels) features over the needed positions, first position}."""
        length = codes.shape[1]
        want = needed(length, top)
        out = {}
        rows = torch.arange(codes.shape[0])
        full = {0: [], 1: []}
        if reference is not None and length == len(reference):
            if length not in deltas:
                deltas[length] = {s: _FeatureDeltas(np.asarray(reference if s == 0 else
                                                               np.where(reference < 4, 3 - reference, reference)[::-1]),
                                                    hexamers, reach, *want[s]) for s in (0, 1)}
            diff = (codes != torch.from_numpy(np.ascontiguousarray(reference, dtype=np.int64))).sum(1)
            for s in (0, 1):
                part, recompute = deltas[length][s].apply(codes if s == 0 else rc_codes(codes), diff == 1)
                out[s] = part
                full[s] = recompute
        else:
            for s in (0, 1):
                out[s] = None
                full[s] = rows
        for s in (0, 1):
            todo = full[s]
            if len(todo):
                strand_codes = codes[todo] if s == 0 else rc_codes(codes[todo])
                computed = strand_features(strand_codes, hexamers, reach)[:, want[s][0]:want[s][1]]
                if out[s] is None:
                    out[s] = computed
                else:
                    out[s][todo] = computed
        return {s: (out[s], want[s][0]) for s in (0, 1)}

    def predict(tiles: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            codes = torch.from_numpy(np.ascontiguousarray(tiles, dtype=np.int64)).to(track_model.device)
            length = codes.shape[1]
            top = min(hi, length)
            feats = features_of(codes, top)
            per_frame = feats[0][0].shape[-1]
            x = (weight[:N_CODE + 1] + net.inputs.bias)[codes[:, lo:top].clamp(max=N_CODE)]
            for strand in (0, 1):
                features, first = feats[strand]
                for p in range(3):
                    row = N_CODE + 1 + (3 * strand + p) * per_frame
                    block = weight[row:row + per_frame]
                    if strand == 0:   # base j reads the codon starting at j - p
                        a, b = lo - p, top - p
                    else:             # on the reverse strand the codon at flipped index j + p: own index L-1-j-p
                        a, b = length - 1 - (top - 1) - p, length - lo - p
                    a0, b0 = max(a, 0), min(b, length)
                    part = torch.matmul(features[:, a0 - first:b0 - first], block)
                    if strand == 0:
                        x[:, a0 - a:b0 - a] += part
                    else:             # own orientation runs backwards along the window
                        x[:, (b - b0):(b - a0)] += part.flip(1)
            # each block only over what the later blocks read of it (the window +- their reach): the same values
            centre_at = ctx - lo
            for k, layer in enumerate(net.blocks):
                x = layer(x)
                later = reaches[k + 1]
                a = centre_at - later
                x = x[:, a:centre_at + n + later]      # a view: each batch row stays a dense matrix
                centre_at = later
            logits = F.linear(F.gelu(x), net.head.weight[:, :, 0], net.head.bias).squeeze(-1)
            if net.rna_kmers.numel():
                known = covered_by(codes[:, lo:top], net.rna_kmers, config.rna_kmer_size)[:, ctx - lo:ctx - lo + n]
                logits = torch.where(known, logits.clamp(min=RNA_LOGIT), logits)
            centre = logits.float() - shift
            return torch.sigmoid(centre).double().cpu().numpy()

    return predict


class _FeatureDeltas:
    """One strand's reading-frame features of a reference tile over positions [first, last), and those of
    single substitutions of it computed as changes: when no codon containing the base turns into or out of a
    stop, start or N codon, every ORF boundary stays where it is and only the two hexamer scores that read the
    base change, so each span sum (ORF, to its stop, from its start) that holds them moves by their change.
    Mirrors genecnn.features.strand_features (tests compare with it)."""

    def __init__(self, codes: np.ndarray, hexamer_weights, reach: int, first: int, last: int):
        import torch
        import torch.nn.functional as F

        from genoview.core.models.genecnn import features as gf

        self.gf, self.weights, self.first, self.last = gf, hexamer_weights, first, last
        t = torch.from_numpy(np.ascontiguousarray(codes, dtype=np.int64))[None]
        self.codes = t[0]
        self.length = length = t.shape[1]
        codon = gf.codon_index(t)
        self.codon = codon[0]
        stop = gf._isin(codon, gf.STOP_CODONS)
        start = gf._isin(codon, gf.START_CODONS)
        ends = gf._by_frame(stop | (codon == gf.N_CODON), True)
        starts = gf._by_frame(start, False)
        _, rows, _ = ends.shape
        row = torch.arange(rows).view(1, rows, 1).expand(1, rows, 3)
        rows_reach = max(1, reach // 3)
        last_end = torch.cummax(torch.where(ends, row, torch.full_like(row, -1)), dim=1).values
        prev = torch.maximum(F.pad(last_end[:, :-1], (0, 0, 1, 0), value=-1), row - rows_reach - 1)
        nxt = torch.minimum(torch.cummin(torch.where(ends, row, torch.full_like(row, rows)).flip(1), dim=1)
                            .values.flip(1), row + rows_reach)
        next_start = torch.cummin(torch.where(starts, row, torch.full_like(row, rows)).flip(1), dim=1).values.flip(1)
        next_start = F.pad(next_start, (0, 0, 0, 1), value=rows)
        first_start = torch.gather(next_start, 1, prev + 1)
        begin = torch.where(first_start <= row, first_start, prev + 1)
        self.reference = gf.strand_features(t, hexamer_weights, reach)[0, first:last]     # (positions, channels)
        pos = torch.arange(first, last)
        r, f = pos // 3, pos % 3
        self.row = r
        self.prev, self.nxt, self.begin = prev[0, r, f] + 1, nxt[0, r, f], begin[0, r, f]
        self.frame = f
        # span sums before squashing, recovered from the reference features is not exact: recompute them
        next_codon = F.pad(codon[:, 3:], (0, 3), value=gf.N_CODON)
        hexamer = torch.where((codon == gf.N_CODON) | (next_codon == gf.N_CODON), gf.N_HEXAMER, codon * 64 + next_codon)
        score = hexamer_weights[hexamer]
        dims = score.shape[-1]
        score = F.pad(score, (0, 0, 0, (-length) % 3)).view(1, rows, 3, dims).permute(0, 3, 1, 2)
        total = F.pad(torch.cumsum(score, dim=2), (0, 0, 1, 0))[0]                         # (dims, rows + 1, 3)

        def span(a, b):
            a, b = a.clamp(0, rows), b.clamp(0, rows)
            return (total[:, b, f] - total[:, a, f]).t()                                     # (positions, dims)

        self.raw = (span(self.prev, self.nxt), span(r, self.nxt), span(self.begin, r + 1))
        self.dims = dims
        check = torch.cat([gf.squash(x) for x in self.raw], dim=1)
        self.exact = bool(torch.equal(check, self.reference[:, gf.GEOMETRY_FEATURES:]))

    def _class(self, codon: torch.Tensor) -> torch.Tensor:
        gf = self.gf
        return gf._isin(codon, gf.STOP_CODONS) * 1 + gf._isin(codon, gf.START_CODONS) * 2 + (codon == gf.N_CODON) * 4

    def apply(self, codes: torch.Tensor, single: torch.Tensor):
        """(features (batch, positions, channels) or None, indices of the rows to compute in full)."""
        import torch

        gf = self.gf
        batch = codes.shape[0]
        if not self.exact:
            return None, torch.arange(batch)
        out = self.reference.unsqueeze(0).repeat(batch, 1, 1)
        where = (codes != self.codes).int().argmax(1)
        full = ~single
        candidates = torch.nonzero(single).flatten()
        if not len(candidates):
            return out, torch.nonzero(full).flatten()
        u = where[candidates]
        k = len(candidates)
        sub = codes[candidates]

        def codon_at(c):   # the substituted tiles' codon starting at c (as gf.codon_index reads it)
            b = [sub[torch.arange(k), (c + i).clamp(0, self.length - 1)] for i in range(3)]
            value = 16 * b[0] + 4 * b[1] + b[2]
            return torch.where((b[0] >= 4) | (b[1] >= 4) | (b[2] >= 4), torch.full_like(value, gf.N_CODON), value)

        hexes = []
        for back in (2, 1, 0):                                 # the three codons holding base u
            c = u - back
            ok = (c >= 0) & (c + 2 < self.length)
            cc = c.clamp(0, self.length - 1)
            old, new = self.codon[cc], codon_at(cc)
            changed = ok & (self._class(old) != self._class(new))
            full[candidates[changed]] = True
            # hexamers starting at c - 3 (reads codon c second) and at c (reads it first)
            for h, first_is in ((c - 3, False), (c, True)):
                okh = ok & (h >= 0)
                hh = h.clamp(0, self.length - 1)
                partner = (self.codon[(hh + 3).clamp(max=self.length - 1)] if first_is else self.codon[hh])
                partner = torch.where((hh + 3 < self.length) | ~torch.tensor(first_is), partner,
                                      torch.full_like(partner, gf.N_CODON))
                old_c, new_c = (old, new)
                def hx(a, b):
                    bad = (a == gf.N_CODON) | (b == gf.N_CODON)
                    return torch.where(bad, torch.full_like(a, gf.N_HEXAMER), a * 64 + b)
                old_h = hx(old_c, partner) if first_is else hx(partner, old_c)
                new_h = hx(new_c, partner) if first_is else hx(partner, new_c)
                delta = torch.where(okh.unsqueeze(1), self.weights[new_h] - self.weights[old_h],
                                    torch.zeros(k, self.dims))
                hexes.append((hh // 3, hh % 3, delta))
        keep = ~full[candidates]
        if not keep.any():
            return out, torch.nonzero(full).flatten()
        rows_, frame_ = self.row.unsqueeze(0), self.frame.unsqueeze(0)
        raws = [r.unsqueeze(0).repeat(k, 1, 1) for r in self.raw]
        touched = torch.zeros(k, len(self.row), dtype=torch.bool)
        bounds = ((self.prev.unsqueeze(0), self.nxt.unsqueeze(0)), (rows_, self.nxt.unsqueeze(0)),
                  (self.begin.unsqueeze(0), rows_ + 1))
        for hrow, hframe, delta in hexes:
            same = (frame_ == hframe.unsqueeze(1)) & (delta.abs().sum(1) > 0).unsqueeze(1)
            hr = hrow.unsqueeze(1)
            step = delta.unsqueeze(1)
            for j, (a, b) in enumerate(bounds):
                inside = same & (a <= hr) & (hr < b)
                raws[j].addcmul_(inside.unsqueeze(2).to(step.dtype), step)
                touched |= inside
        new = torch.cat([gf.squash(x) for x in raws], dim=2)
        g = gf.GEOMETRY_FEATURES
        mixed = torch.where(touched.unsqueeze(2), new, self.reference[:, g:].unsqueeze(0))
        sel = candidates[keep]
        out[sel, :, g:] = mixed[keep]
        return out, torch.nonzero(full).flatten()
