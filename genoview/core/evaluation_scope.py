"""What an evaluation covers, in the user's words, and scoring a track over it honestly.

A scope is "the whole sequence", "the held-out part of this model (last 30%)", "the visible region" or
"the selection". When a model was trained on this genome (its ``genoview.json`` records the train,
validation and test regions), the default is its held-out part; otherwise the whole sequence, and the
scope says why. A scope that overlaps the model's training part carries a warning.

Bases a track has not predicted are *not* probability 0 here (unlike ``score_track.py`` and
``genoview evaluate``, which follow the referee): :func:`evaluate_scope` scores the predicted bases only
and says how much of the scope that is. The GUI panel is only widgets over these functions.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from genoview.core.evaluation import EvaluationReport, error_intervals, evaluate
from genoview.core.genome import Region

SCOPE_KINDS = ("held-out", "whole", "visible", "selection")
SCOPE_WORDS = {"held-out": "held-out part", "whole": "whole sequence", "visible": "visible region",
               "selection": "selection"}




@dataclass(frozen=True)
class ModelParts:
    """Where a model was trained, validated (threshold and checkpoint chosen) and tested: its metadata's ``data``."""

    model: str
    train: tuple[Region, ...]
    valid: tuple[Region, ...]
    test: tuple[Region, ...]
    fasta: str = ""
    named_genomes: tuple[str, ...] = ()   # data.train_genomes: a shipped model names genomes without their regions

    @classmethod
    def from_data(cls, model: str, data: Mapping[str, Any] | None) -> ModelParts | None:
        """From ``genoview.json["data"]`` (``train``/``valid``/``test``: lists of {seqid, start, end}); None without."""
        if not isinstance(data, Mapping):
            return None
        from genoview.core.errors import GenoViewInputError
        from genoview.core.models.metadata import ModelMetadata

        meta = ModelMetadata(data=dict(data))
        try:   # the metadata class is the one reader of recorded regions; a malformed record is no record
            train, valid, test = (tuple(Region(*r) for r in meta.regions(part)) for part in ("train", "valid", "test"))
        except GenoViewInputError:
            return None
        named = tuple(str(g) for g in (data.get("train_genomes") or []) if isinstance(g, str))
        parts = cls(model, train, valid, test, str(data.get("fasta") or ""), named)
        return parts if parts.train else None

    def trained_on(self, seqid: str, length: int) -> bool:
        """Whether this sequence is one the model was trained on: a training region on ``seqid`` and every
        recorded region of ``seqid`` inside ``length`` (another assembly with the same name usually is not)."""
        mine = [r for r in (*self.train, *self.valid, *self.test) if r.seqid == seqid]
        return any(r.seqid == seqid for r in self.train) and all(r.end <= length for r in mine)

    def held_out(self, seqid: str, length: int) -> Region | None:
        """The test region of ``seqid`` when the model was trained on it and held that part out."""
        if not self.trained_on(seqid, length):
            return None
        tests = [r for r in self.test if r.seqid == seqid and r.length]
        if not tests:
            return None
        return Region(seqid, min(r.start for r in tests), max(r.end for r in tests))

    def seen(self, seqid: str, start: int, end: int) -> tuple[int, int]:
        """(bases of [start, end) the model trained on, bases it chose its threshold/checkpoint on)."""
        return (sum(r.overlap(seqid, start, end) for r in self.train),
                sum(r.overlap(seqid, start, end) for r in self.valid))


def model_parts(model_name_or_dir: str) -> ModelParts | None:
    """The recorded split of a model by name or folder (None for built-in models or without a record).

    Reads the model's metadata through its owner class when present; never raises (a model that cannot
    be read just has no recorded split, and evaluation falls back to the whole sequence).
    """
    if not model_name_or_dir:
        return None
    try:
        from genoview.core.models import resolve_model_dir

        directory = resolve_model_dir(model_name_or_dir)
        if directory is None:
            return None
        data = _metadata_data(Path(directory))
    except Exception:   # noqa: BLE001 - a broken model folder must not break evaluation
        return None
    name = Path(model_name_or_dir).name if ("/" in model_name_or_dir or "\\" in model_name_or_dir) else model_name_or_dir
    return ModelParts.from_data(name, data)


def _metadata_data(directory: Path) -> Mapping[str, Any] | None:
    from genoview.core.models.metadata import ModelMetadata

    return ModelMetadata.load(directory).data


def describe_part(start: int, end: int, length: int) -> str:
    """A part of a sequence in words: "last 30%", "first 70%", "middle 20%" (rounded to whole percents)."""
    share = (end - start) / length if length else 0.0
    percent = f"{share:.0%}" if share >= 0.01 else f"{share:.1%}"
    if start == 0 and end >= length:
        return "all of it"
    if end >= length:
        return f"last {percent}"
    if start == 0:
        return f"first {percent}"
    return f"{percent} from {start / length:.0%}"


@dataclass(frozen=True)
class EvaluationScope:
    """What is evaluated: one track over [start, end) of its sequence against some feature types.

    ``kind`` is one of :data:`SCOPE_KINDS`; ``name`` is what the user picks ("Held-out part of
    genecnn-ecoli (last 30%)"); ``description`` adds the 1-based bases; ``warning`` says when the
    part overlaps what the model was trained or calibrated on.
    """

    track_key: str
    seqid: str
    start: int
    end: int
    types: tuple[str, ...]
    description: str
    version: int = 0
    kind: str = "whole"
    name: str = ""
    warning: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class ScopeChoice:
    """One entry of the scope list: its kind, the words shown, and the bases (None where not available now)."""

    kind: str
    name: str
    region: Region | None
    unavailable: str = ""   # why it cannot be chosen now ("no selection", "the view shows another sequence")
    short: str = ""   # the words for a narrow box (the held-out part without its model's name); "" : ``name``

    @property
    def label(self) -> str:
        return self.short or self.name


def scope_choices(seqid: str, length: int, parts: ModelParts | None = None,
                  visible: Region | None = None, selection: Region | None = None) -> list[ScopeChoice]:
    """The scopes a user can pick for a track of ``seqid``: held-out part (when recorded), whole, visible, selection."""
    choices = []
    held = parts.held_out(seqid, length) if parts is not None else None
    if held is not None:
        part = describe_part(held.start, held.end, length)
        choices.append(ScopeChoice("held-out", f"Held-out part of {parts.model} ({part})", held,
                                   short=f"Held-out part ({part})"))
    choices.append(ScopeChoice("whole", "Whole sequence", Region(seqid, 0, length)))
    if visible is not None and visible.seqid == seqid and visible.length:
        choices.append(ScopeChoice("visible", "Visible region", visible))
    else:
        shown = f"the view shows {visible.seqid}" if visible is not None and visible.seqid != seqid else "nothing in view"
        choices.append(ScopeChoice("visible", "Visible region", None, shown))
    if selection is not None and selection.seqid == seqid and selection.length:
        choices.append(ScopeChoice("selection", "Selection", selection))
    else:
        choices.append(ScopeChoice("selection", "Selection", None, "nothing selected on this sequence"))
    return choices


def default_scope(seqid: str, length: int, parts: ModelParts | None, model_label: str = "") -> tuple[str, str]:
    """(kind, why): the held-out part of a model trained on this genome, else the whole sequence, with the reason."""
    model = parts.model if parts is not None else (model_label or "this track's model")
    if parts is None:
        return "whole", f"{model} records no training split on this genome, so the whole sequence is scored."
    held = parts.held_out(seqid, length)
    if held is not None:
        train = [r for r in parts.train if r.seqid == seqid]
        trained = (f"the {describe_part(train[0].start, train[0].end, length)}" if len(train) == 1
                   else f"{sum(r.length for r in train):,} bases")
        return "held-out", (f"{model} was trained on {trained} of {seqid}; its held-out part "
                            f"({describe_part(held.start, held.end, length)}) shows how it does on bases it never saw.")
    if parts.trained_on(seqid, length):   # trained here, tested on other sequences (a held-out genome split)
        others = sorted({r.seqid for r in parts.test if r.seqid != seqid})
        tested = f"; it was tested on {', '.join(others[:3])}{', ...' if len(others) > 3 else ''}" if others else ""
        # "and validated" only when it was: a split with a validation genome validated elsewhere
        validated = " and validated" if any(r.seqid == seqid for r in parts.valid) else ""
        return "whole", (f"{model} held out no part of {seqid}: it was trained{validated} on it{tested}. The "
                         "whole sequence is scored.")
    if any(r.seqid == seqid for r in parts.train):
        return "whole", (f"{model} was trained on a {seqid} of another length (another assembly), "
                         "so the whole sequence is scored.")
    if any(r.seqid == seqid and r.end <= length for r in parts.test):   # its held-out test genome
        return "whole", (f"{model} was tested on {seqid}, held out whole from its training: every base's label is "
                         "new to it.")
    if len(parts.named_genomes) > len({r.seqid for r in parts.train}):
        # geneorf-bacteria names its 8 training genomes but records regions of E. coli only: S. aureus COL, one of
        # them, was said to be "new to it", which made its training genome's figures read as held-out ones
        names = ", ".join(_genome_words(g) for g in parts.named_genomes[:8])
        more = f" and {len(parts.named_genomes) - 8} more" if len(parts.named_genomes) > 8 else ""
        return "whole", (f"{model} records no training part on {seqid}, but it was trained on genomes it names only "
                         f"({names}{more}): if this genome is one of them, these figures flatter it; if not, every "
                         "base's label is new to it.")
    # where it was trained, when its record says: "(a model adapted to this genome read its sequence only, never
    # its genes)" was said of every such model, also of one trained on another genome (H-walk18: genecnn-example-3,
    # trained on example.fa, scored on E. coli)
    where = f" (it was trained on {Path(parts.fasta).name})" if parts.fasta else ""
    return "whole", (f"{model} was not trained on {seqid}'s annotation{where}: every base's label is new to it.")


def _genome_words(folder: str) -> str:
    """A genome's folder name as a biologist writes it: "staphylococcus_aureus_COL" -> "Staphylococcus aureus COL",
    "ecoli" -> "E. coli" (the note listed "ecoli, staphylococcus aureus COL, ...")."""
    if folder.lower() == "ecoli":
        return "E. coli"
    words = folder.replace("_", " ")
    return words[:1].upper() + words[1:]


def training_warning(parts: ModelParts | None, seqid: str, start: int, end: int, length: int,
                     runs: list[tuple[int, int]] | None = None) -> str:
    """A sentence when [start, end) (or only its ``runs``: the bases scored) overlaps the model's training
    (or validation) part, else ""."""
    runs = [(start, end)] if runs is None else runs
    n = sum(b - a for a, b in runs)
    if parts is None or n <= 0 or not parts.trained_on(seqid, length):
        return ""
    seen = [parts.seen(seqid, a, b) for a, b in runs]
    trained, validated = sum(t for t, _ in seen), sum(v for _, v in seen)
    if not trained and not validated:
        return ""
    bits = []
    if trained:
        bits.append(f"trained on {trained / n:.0%} of these bases")
    if validated:
        bits.append(f"chose its threshold on {validated / n:.0%} of them")
    held = parts.held_out(seqid, length)
    hint = (f"; score its held-out part ({describe_part(held.start, held.end, length)}) to see how it does on "
            "new bases") if held is not None else ""
    return f"{parts.model} was {' and '.join(bits)}: these scores flatter it{hint}."


def make_scope(track_key: str, choice: ScopeChoice, types: tuple[str, ...], length: int,
               parts: ModelParts | None, version: int = 0) -> EvaluationScope:
    """The scope for a chosen entry, with its words and its training-overlap warning."""
    r = choice.region
    bases = f"{r.seqid}:{r.start + 1:,}-{r.end:,}"
    description = {
        "held-out": f"held-out part of {parts.model if parts else 'the model'} "
                    f"({describe_part(r.start, r.end, length)}, {bases})",
        "whole": f"whole sequence {r.seqid} (1-{r.end:,})",
    }.get(choice.kind, f"{choice.name[:1].lower()}{choice.name[1:]} {bases}")
    return EvaluationScope(track_key, r.seqid, r.start, r.end, tuple(types), description, version,
                           choice.kind, choice.name, training_warning(parts, r.seqid, r.start, r.end, length))


# --- scoring --------------------------------------------------------------------------------------

@dataclass
class EvaluationResult:
    """A finished evaluation of a scope: its labels and probabilities, which bases are predicted, the report."""

    scope: EvaluationScope
    labels: np.ndarray
    probs: np.ndarray
    predicted: np.ndarray      # bool per base of the scope: the track has a value there
    report: EvaluationReport
    curves: dict
    histogram: dict
    start: int | None = None   # sequence coordinate of labels[0] / probs[0] when they cover only the scope's
    #                            predicted extent (a region of a long chromosome); None: scope.start

    @property
    def origin(self) -> int:
        """Sequence coordinate of the first base of ``labels``, ``probs`` and ``predicted``."""
        return self.scope.start if self.start is None else self.start

    @property
    def n_predicted(self) -> int:
        return self.report.n

    @property
    def not_predicted(self) -> int:
        return self.scope.length - self.report.n

    @property
    def complete(self) -> bool:
        return self.not_predicted == 0

    def predicted_runs(self) -> list[tuple[int, int]]:
        """The scored stretches of the scope, in sequence coordinates."""
        edges = np.flatnonzero(np.diff(np.concatenate(([0], self.predicted.view(np.int8), [0]))))
        return [(self.origin + int(a), self.origin + int(b)) for a, b in zip(edges[0::2], edges[1::2])]

    def error_intervals(self, threshold: float, kind: str) -> list[tuple[int, int]]:
        """FP or FN stretches in sequence coordinates; bases without a prediction are never errors."""
        return error_intervals(self.labels & self.predicted, self.probs, threshold, kind, offset=self.origin)


def coverage_sentence(scope: EvaluationScope, predicted: int, what: str = "") -> str:
    """Words for how much of a scope is predicted: "" when all of it."""
    if predicted >= scope.length:
        return ""
    part = SCOPE_WORDS.get(scope.kind, "scope")
    if predicted == 0:
        return (f"Not predicted: {what + ' has' if what else 'there are'} no predictions in the {part} "
                f"({scope.seqid}:{scope.start + 1:,}-{scope.end:,}); predict it to score it.")
    share = predicted / scope.length
    percent = f"{share:.0%}" if share >= 0.01 else "under 1%"
    return (f"Predicted {percent} of the {part} ({predicted:,} of {scope.length:,} bases): the numbers cover "
            "those bases only; predict the rest to score it all.")


def evaluate_scope(labels_full: np.ndarray, probs: np.ndarray, scope: EvaluationScope, threshold: float,
                   curve_points: int = 501, histogram_bins: int = 50, start: int | None = None) -> EvaluationResult | None:
    """Score the predicted bases of a scope (``probs``: the scope's values, NaN = not predicted).

    ``labels_full`` is the sequence's genic mask (:func:`genoview.core.genome.genic_mask`). Returns
    None when no base of the scope is predicted: there is nothing to score, and 0 is not a prediction.
    With ``start``, ``probs`` and ``labels_full`` both begin at that base and cover only part of the scope (its
    predicted extent: no array as long as the scope for a region of a long chromosome); the rest of the scope
    counts as not predicted.
    """
    if start is None:
        labels = np.asarray(labels_full[scope.start:scope.end], dtype=bool)
    else:
        labels = np.asarray(labels_full[:len(probs)], dtype=bool)
    probs = np.asarray(probs)
    if labels.shape != probs.shape:
        raise ValueError(f"{scope.description}: {len(probs):,} values for {len(labels):,} bases")
    predicted = ~np.isnan(probs)
    if not predicted.any():
        return None
    if predicted.all():
        report = evaluate(labels, probs, threshold)
    else:
        report = evaluate(labels[predicted], probs[predicted], threshold)
    return EvaluationResult(scope, labels, probs, predicted, report, report.curves(curve_points),
                            report.histogram(histogram_bins), start)


def metrics_at(result: EvaluationResult, threshold: float) -> dict:
    """Every number of the panel's table at ``threshold`` (exact counts from the report's sweep)."""
    values: dict = dict(result.report.at(threshold).metrics())
    values.update(roc_auc=result.report.roc_auc, pr_auc=result.report.pr_auc,
                  genic_fraction=result.report.genic_fraction, not_predicted=result.not_predicted,
                  threshold=float(threshold))
    return values


def first_unpredicted(values: np.ndarray, start: int = 0, block: int = 1 << 16) -> int:
    """Index of the first NaN at or after ``start`` (``len(values)`` if none), read in blocks so a near hit is cheap."""
    for lo in range(max(0, start), len(values), block):
        hits = np.flatnonzero(np.isnan(values[lo:lo + block]))
        if len(hits):
            return lo + int(hits[0])
    return len(values)


def format_value(value) -> str:
    """Counts with thousands separators, rates to 4 decimals, n/a for undefined (NaN) values."""
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    return f"{value:.4f}"


# --- gene-level scores ----------------------------------------------------------------------------

MIN_GENE_REGION = 3000   # predicted runs shorter than this hold no whole gene worth calling


def gene_level_available() -> bool:
    """Whether GenoView's gene calls and gene-level evaluation (``core.genecalls``, ``core.gene_level``) are installed."""
    try:
        import genoview.core.gene_level  # noqa: F401
        import genoview.core.genecalls  # noqa: F401
    except ImportError:
        return False
    return True


def gene_level_scores(genome, scope: EvaluationScope, probs: np.ndarray, cds_types=("CDS",),
                      progress=None, cancel=None, start: int | None = None, calls: list | None = None) -> dict:
    """Genes called from the track over the scope's predicted runs, matched to the annotated CDS by exact stop
    (and stop and start), as gene finders are compared. Returns label -> value, in users' words.
    ``start``: the base ``probs`` begin at when not the scope's start (:attr:`EvaluationResult.origin`).
    ``calls``: the model's own gene calls (a GeneORF model's whole-genome calls, what `predict --gff-out` writes and
    the window's Gene calls row shows) instead of decoding the track here."""
    origin = scope.start if start is None else start
    from genoview.core.gene_level import annotated_cds, compare_genes, genes_of_calls
    from genoview.core.genecalls import calls_for_regions

    predicted = ~np.isnan(probs)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], predicted.view(np.int8), [0]))))
    runs = [(int(a), int(b)) for a, b in zip(edges[0::2], edges[1::2]) if b - a >= MIN_GENE_REGION]
    if not runs:
        raise ValueError(f"no predicted stretch of {MIN_GENE_REGION:,} bases or more in the {scope.description}")
    regions = [(scope.seqid, origin + a, probs[a:b]) for a, b in runs]
    if calls is None:
        calls, _ = calls_for_regions(genome, regions, progress=progress, cancel=cancel)
    bounds = {scope.seqid: (origin + runs[0][0], origin + runs[-1][1])}
    inside = [(scope.seqid, origin + a, origin + b) for a, b in runs]
    # genes are scored where the track was predicted: the scope's predicted runs
    annotated = [g for g in annotated_cds(genome.features, cds_types)
                 if any(s == g[0] and a <= (g[2] - 1 if g[3] > 0 else g[1]) < b for s, a, b in inside)]
    called = [g for g in genes_of_calls(calls)
              if any(s == g[0] and a <= (g[2] - 1 if g[3] > 0 else g[1]) < b for s, a, b in inside)]
    report = compare_genes(called, annotated, bounds)
    return {
        "Annotated CDS": report.annotated, "Genes called": report.predicted,
        "Same stop": report.stop_matches, "Sensitivity (stop)": report.stop_sensitivity,
        "Precision (stop)": report.stop_precision, "Same start and stop": report.start_matches,
        "Sensitivity (start and stop)": report.start_sensitivity,
        "Precision (start and stop)": report.start_precision,
    }
