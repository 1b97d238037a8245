"""Score a per-nucleotide gene-probability track against genic labels: counts, MCC, ROC/PR curves.

Everything here agrees with ``../shared/tools/score_track.py`` (the project's independent referee):
a base is predicted genic when ``p >= threshold``, compared in the track's own precision (a float32
track is compared with the threshold rounded to float32, as numpy does in score_track.py); bases without a prediction (NaN) count as
probability 0 and are reported as ``uncovered``; ROC AUC is the rank statistic with average ranks
for ties; MCC is 0 when undefined.

Speed on whole genomes comes from sorting the probabilities once (:class:`ThresholdSweep`): after
that the confusion counts at ANY threshold are exact and take a binary search, so the GUI's threshold
slider shows exact metrics instantly. Curves are drawn through ``curve_points`` thresholds (exact
counts at each); the AUCs are computed exactly over every distinct probability, not from the curve.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np

SCORE_TRACK_KEYS = (
    "n", "tp", "tn", "fp", "fn", "accuracy", "precision", "recall", "f1", "mcc",
    "roc_auc", "genic_fraction", "uncovered",
)

# the annotation types that count as genic: genes; for an annotation without gene features (a GTF has transcripts,
# exons and CDS; some GFF3 exports have CDS only) its CDS and RNA genes. The window's Evaluation panel ticks these
# and `genoview evaluate` scores them (it refused such a file while the window scored it)
GENIC_TYPES = ("gene", "pseudogene")
GENIC_TYPES_WITHOUT_GENES = ("CDS", "tRNA", "rRNA", "tmRNA", "ncRNA")


def default_genic_types(present: Iterable[str]) -> tuple[str, ...]:
    """The genic types to score an annotation with ``present`` feature types against, by default."""
    present = set(present)
    if present & set(GENIC_TYPES) or not present & set(GENIC_TYPES_WITHOUT_GENES):
        return GENIC_TYPES
    return tuple(t for t in GENIC_TYPES_WITHOUT_GENES if t in present)


@dataclass(frozen=True)
class Confusion:
    """Confusion counts at one threshold, with the metrics derived from them (as score_track.py does)."""

    tp: int
    tn: int
    fp: int
    fn: int

    @property
    def n(self) -> int:
        return self.tp + self.tn + self.fp + self.fn

    @property
    def accuracy(self) -> float:
        return (self.tp + self.tn) / self.n if self.n else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def mcc(self) -> float:
        """Matthews correlation coefficient; 0 when a row or column of the table is empty."""
        denom = math.sqrt(float(self.tp + self.fp) * (self.tp + self.fn) * (self.tn + self.fp) * (self.tn + self.fn))
        return float((self.tp * self.tn - self.fp * self.fn) / denom) if denom else 0.0

    def metrics(self) -> dict[str, float | int]:
        return {
            "n": self.n, "tp": self.tp, "tn": self.tn, "fp": self.fp, "fn": self.fn,
            "accuracy": self.accuracy, "precision": self.precision, "recall": self.recall,
            "f1": self.f1, "mcc": self.mcc,
        }


def _clean(labels: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Labels as bool, probabilities with NaN replaced by 0, and the number of NaNs (uncovered bases)."""
    labels = np.asarray(labels, dtype=bool).ravel()
    probs = np.asarray(probs).ravel()
    if probs.dtype not in (np.float32, np.float64):
        probs = probs.astype(np.float64)
    if labels.shape != probs.shape:
        raise ValueError(f"labels ({labels.size}) and probabilities ({probs.size}) differ in length")
    missing = np.isnan(probs)
    uncovered = int(missing.sum())
    if uncovered:
        probs = np.where(missing, probs.dtype.type(0), probs)
    return labels, probs, uncovered


class ThresholdSweep:
    """Probabilities sorted once into distinct values with positive/negative counts per value.

    Memory is about 24 bytes per distinct probability (at most 120 MB for 5 M distinct values;
    tracks read from bedGraph have far fewer). Counts at any threshold are exact.
    """

    def __init__(self, labels: np.ndarray, probs: np.ndarray) -> None:
        labels, probs, self.uncovered = _clean(labels, probs)
        order = np.argsort(probs)
        sorted_p = probs[order]
        sorted_y = labels[order]
        del order
        starts = np.concatenate(([0], np.flatnonzero(sorted_p[1:] != sorted_p[:-1]) + 1)) if probs.size else np.zeros(0, np.int64)
        self.values = sorted_p[starts]
        counts = np.diff(np.concatenate((starts, [probs.size])))
        positives = np.add.reduceat(sorted_y.astype(np.int64), starts) if probs.size else np.zeros(0, np.int64)
        # cumulative counts of the values strictly below values[i]: index i; the total: index -1
        self._pos_below = np.concatenate(([0], np.cumsum(positives)))
        self._neg_below = np.concatenate(([0], np.cumsum(counts - positives)))
        self.n = int(probs.size)
        self.n_pos = int(self._pos_below[-1])
        self.n_neg = self.n - self.n_pos

    def confusion_at(self, thresholds) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Exact (tp, tn, fp, fn) arrays, one entry per threshold (predicted genic when p >= threshold)."""
        t = np.asarray(thresholds, dtype=np.float64).astype(self.values.dtype)
        index = np.searchsorted(self.values, t, side="left")
        fn = self._pos_below[index]
        tn = self._neg_below[index]
        return self.n_pos - fn, tn, self.n_neg - tn, fn

    def confusion(self, threshold: float) -> Confusion:
        tp, tn, fp, fn = self.confusion_at([threshold])
        return Confusion(int(tp[0]), int(tn[0]), int(fp[0]), int(fn[0]))

    def roc_auc(self) -> float:
        """Exact ROC AUC: P(p_pos > p_neg) + 0.5 P(tie), i.e. the rank statistic with average ranks."""
        if self.n_pos == 0 or self.n_neg == 0:
            return float("nan")
        pos = np.diff(self._pos_below)
        neg = np.diff(self._neg_below)
        wins = np.dot(pos.astype(np.float64), self._neg_below[:-1] + 0.5 * neg)
        return float(wins / (float(self.n_pos) * self.n_neg))

    def average_precision(self) -> float:
        """Exact PR AUC as average precision: sum over distinct thresholds of (recall step) x precision."""
        if self.n_pos == 0:
            return float("nan")
        tp = (self.n_pos - self._pos_below[:-1]).astype(np.float64)   # at threshold = values[i]
        predicted = (self.n - self._pos_below[:-1] - self._neg_below[:-1]).astype(np.float64)
        precision = tp / predicted
        recall_step = np.diff(self._pos_below) / self.n_pos
        return float(np.dot(recall_step, precision))

    def histogram(self, bins: int = 50) -> dict[str, list]:
        """Counts of genic and non-genic bases per probability bin over [0, 1] (the last bin includes 1)."""
        edges = np.linspace(0.0, 1.0, bins + 1)
        index = np.searchsorted(self.values, edges[1:-1], side="left")
        cut = np.concatenate(([0], index, [self.values.size]))
        return {
            "edges": edges.tolist(),
            "genic": np.diff(self._pos_below[cut]).tolist(),
            "nongenic": np.diff(self._neg_below[cut]).tolist(),
        }

    def curves(self, points: int = 1001) -> dict[str, list]:
        """ROC and PR curves through ``points`` evenly spaced thresholds in [0, 1] plus both ends."""
        thresholds = np.concatenate(([np.inf], np.linspace(1.0, 0.0, points), [-np.inf]))
        tp, tn, fp, fn = (a.astype(np.float64) for a in self.confusion_at(thresholds))
        tpr = tp / self.n_pos if self.n_pos else np.zeros_like(tp)
        fpr = fp / self.n_neg if self.n_neg else np.zeros_like(fp)
        with np.errstate(invalid="ignore", divide="ignore"):
            precision = np.where(tp + fp > 0, tp / (tp + fp), 1.0)
        finite = np.clip(thresholds, -1.0, 2.0)   # JSON has no infinity
        return {"thresholds": finite.tolist(), "fpr": fpr.tolist(), "tpr": tpr.tolist(),
                "recall": tpr.tolist(), "precision": precision.tolist()}


@dataclass
class EvaluationReport:
    """Everything `evaluate` measures; ``to_json()`` has score_track.py's keys plus ``pr_auc``."""

    threshold: float
    confusion: Confusion
    roc_auc: float
    pr_auc: float
    genic_fraction: float
    uncovered: int
    sweep: ThresholdSweep = field(repr=False)

    def __getattr__(self, name: str) -> Any:
        if name in ("n", "tp", "tn", "fp", "fn", "accuracy", "precision", "recall", "f1", "mcc"):
            return getattr(self.confusion, name)
        raise AttributeError(name)

    def at(self, threshold: float) -> Confusion:
        """Exact counts at another threshold without re-sorting (the GUI's threshold slider)."""
        return self.sweep.confusion(threshold)

    def curves(self, points: int = 1001) -> dict[str, list]:
        return self.sweep.curves(points)

    def histogram(self, bins: int = 50) -> dict[str, list]:
        return self.sweep.histogram(bins)

    def to_json(self, curves: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (NaN becomes None); with ``curves`` also the ROC/PR curves and histogram."""
        out: dict[str, Any] = self.confusion.metrics()
        out.update(roc_auc=_finite(self.roc_auc), pr_auc=_finite(self.pr_auc),
                   genic_fraction=self.genic_fraction, uncovered=self.uncovered, threshold=self.threshold)
        if curves:
            out["curves"] = self.curves()
            out["histogram"] = self.histogram()
        return out


def write_curves(path, report: "EvaluationReport", points: int = 1001) -> int:
    """The ROC and precision-recall curves as a table for a spreadsheet or R (TSV, or CSV for a ``.csv`` name; ``.gz``
    compresses): one row per threshold from 1 down to 0 in ``points`` steps, with the exact counts there (genic when
    p >= threshold), TPR (= recall), FPR, precision and MCC. Written beside the file and renamed into place.
    Precision is 1 where nothing is predicted (tp + fp = 0), as the panel's precision-recall curve draws it
    (``ThresholdSweep.curves``); ``Confusion.precision``, evaluate's printed figure at one threshold, says 0 there."""
    import csv
    import os

    from genoview.core.io.atomic import write_atomically

    path = os.fspath(path)
    thresholds = np.linspace(1.0, 0.0, points)
    tp, tn, fp, fn = (a.astype(np.int64) for a in report.sweep.confusion_at(thresholds))
    plain = path[:-3] if path.lower().endswith(".gz") else path
    delimiter = "," if plain.lower().endswith(".csv") else "\t"

    def rate(numerator, denominator):
        return numerator / denominator if denominator else 0.0

    def write_to(tmp) -> None:
        from genoview.core.io.gz import text_out

        with text_out(tmp, path) as handle:   # gzip for a .gz name, its header naming the output
            writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
            writer.writerow(["threshold", "tp", "fp", "tn", "fn", "tpr_recall", "fpr", "precision", "mcc"])
            for t, a, b, c, d in zip(thresholds, tp, fp, tn, fn):
                confusion = Confusion(int(a), int(c), int(b), int(d))
                writer.writerow([f"{t:.3f}", int(a), int(b), int(c), int(d), f"{rate(a, a + d):.6f}",
                                 f"{rate(b, b + c):.6f}", f"{rate(a, a + b) if a + b else 1.0:.6f}",
                                 f"{confusion.metrics()['mcc']:.6f}"])

    write_atomically(path, write_to)
    return points


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


def evaluate(labels: np.ndarray, probs: np.ndarray, threshold: float = 0.5) -> EvaluationReport:
    """Score probabilities (NaN = uncovered = 0) against boolean genic labels, base by base."""
    sweep = ThresholdSweep(labels, probs)
    return EvaluationReport(
        threshold=float(threshold),
        confusion=sweep.confusion(threshold),
        roc_auc=sweep.roc_auc(),
        pr_auc=sweep.average_precision(),
        genic_fraction=sweep.n_pos / sweep.n if sweep.n else 0.0,
        uncovered=sweep.uncovered,
        sweep=sweep,
    )


def confusion_at(labels: np.ndarray, probs: np.ndarray, thresholds) -> list[Confusion]:
    """Exact confusion counts at many thresholds at once (one sort, then a binary search each)."""
    sweep = ThresholdSweep(labels, probs)
    return [Confusion(int(a), int(b), int(c), int(d)) for a, b, c, d in zip(*sweep.confusion_at(thresholds))]


def confusion(labels: np.ndarray, probs: np.ndarray, threshold: float = 0.5) -> Confusion:
    """Exact confusion counts at one threshold, without sorting."""
    labels, probs, _ = _clean(labels, probs)
    predicted = probs >= probs.dtype.type(threshold)
    tp = int(np.count_nonzero(predicted & labels))
    fp = int(np.count_nonzero(predicted)) - tp
    fn = int(np.count_nonzero(labels)) - tp
    return Confusion(tp=tp, tn=labels.size - tp - fp - fn, fp=fp, fn=fn)


def roc_auc(labels: np.ndarray, probs: np.ndarray) -> float:
    return ThresholdSweep(labels, probs).roc_auc()


def pr_auc(labels: np.ndarray, probs: np.ndarray) -> float:
    return ThresholdSweep(labels, probs).average_precision()


def error_intervals(labels: np.ndarray, probs: np.ndarray, threshold: float = 0.5, kind: str = "fp",
                    offset: int = 0) -> list[tuple[int, int]]:
    """Stretches of false positives ("fp") or false negatives ("fn") as 0-based half-open intervals.

    ``offset`` is added to every coordinate (pass the region start to get sequence coordinates).
    """
    labels, probs, _ = _clean(labels, probs)
    predicted = probs >= probs.dtype.type(threshold)
    if kind == "fp":
        wrong = predicted & ~labels
    elif kind == "fn":
        wrong = ~predicted & labels
    else:
        raise ValueError(f"kind must be 'fp' or 'fn', not {kind!r}")
    edges = np.flatnonzero(np.diff(np.concatenate(([0], wrong.view(np.int8), [0]))))
    return [(int(a) + offset, int(b) + offset) for a, b in zip(edges[0::2], edges[1::2])]


def split_slice(length: int, frac_from: float = 0.0, frac_to: float = 1.0) -> slice:
    """The part of a sequence a fraction split covers, as a slice of :func:`genoview.core.genome.split_bounds`."""
    from genoview.core.genome import split_bounds

    return slice(*split_bounds(length, frac_from, frac_to))


def evaluate_sequences(labels: Mapping[str, np.ndarray], tracks: Mapping[str, np.ndarray],
                       frac_from: float = 0.0, frac_to: float = 1.0, threshold: float = 0.5,
                       parts: Mapping[str, tuple[int, int]] | None = None) -> EvaluationReport:
    """Score several sequences as one (a whole genome), each cut to the same fraction split (or to ``parts``).

    ``labels`` maps every sequence to score onto its full-length genic mask; ``tracks`` maps sequence
    ids onto full-length probability arrays (NaN or a missing sequence = uncovered). ``parts`` (seqid ->
    0-based [start, end)), when given, replaces the fraction split: e.g. the recorded held-out part of a model.
    """
    ys, ps = [], []
    for seqid, mask in labels.items():
        part = slice(*parts[seqid]) if parts is not None else split_slice(len(mask), frac_from, frac_to)
        ys.append(np.asarray(mask[part], dtype=bool))
        track = tracks.get(seqid)
        if track is None:
            ps.append(np.full(part.stop - part.start, np.nan, dtype=np.float32))
        else:
            if len(track) != len(mask):
                raise ValueError(f"track of {seqid} has {len(track)} values for a sequence of {len(mask)} bases")
            ps.append(np.asarray(track[part]))
    return evaluate(_concatenate(ys, bool), _concatenate(ps, np.float32), threshold)


def _concatenate(arrays: Iterable[np.ndarray], dtype) -> np.ndarray:
    arrays = list(arrays)
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)
