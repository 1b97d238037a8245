"""Decision thresholds chosen on validation data and folded into a model's output.

A model trained with class weights, or one whose errors are not symmetric, draws its best genic/not
line somewhere other than 0.5. GenoView picks that line on a validation region (never the test part),
stores it in the model's ``genoview.json`` and shifts the model's log-odds so that 0.5 on every track
is the chosen decision point. The shift is monotone: ranking metrics (ROC and PR AUC) do not change.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, wrap_progress
from genoview.core.models.base import logit
from genoview.core.models.metadata import ModelMetadata

THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def compose_thresholds(current: float, chosen: float) -> float:
    """The raw-output threshold equal to ``chosen`` on an output already folded at ``current``."""
    return float(1.0 / (1.0 + np.exp(-(logit(current) + logit(chosen)))))


def best_threshold(labels: np.ndarray, probs: np.ndarray) -> tuple[float, float]:
    """(threshold, MCC): the grid threshold (0.05..0.95, step 0.01) with the best MCC (0 where undefined);
    of equally good ones, the nearest to 0.5."""
    from genoview.core.evaluation import ThresholdSweep

    tp, tn, fp, fn = (a.astype(np.float64) for a in ThresholdSweep(labels, probs).confusion_at(THRESHOLD_GRID))
    with np.errstate(invalid="ignore", divide="ignore"):
        mcc = np.nan_to_num((tp * tn - fp * fn) / np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)), nan=0.0)
    ties = np.flatnonzero(mcc >= mcc.max() - 1e-12)
    best = int(ties[np.argmin(np.abs(THRESHOLD_GRID[ties] - 0.5))])
    return float(THRESHOLD_GRID[best]), float(mcc[best])


def labelled_predictions(track_model, genome, tracks, regions, *, progress: ProgressCallback | None = None,
                         cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(labels, probs) of ``regions`` concatenated, predicted with ``track_model`` through the prediction
    service (no cache: a decoding variant shares its directory with the model it came from)."""
    from genoview.core.prediction import predict_values

    probs = predict_values(track_model, genome, [(r.seqid, r.start, r.end) for r in regions], use_cache=False,
                           progress=progress, cancel=cancel)
    labels = [tracks[r.seqid][1][r.start:r.end] for r in regions]
    return np.concatenate(labels), np.concatenate(probs)


def choose_decoding(track_model, genome, tracks, regions, *, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> dict:
    """The decoding settings and grid threshold with the best MCC on ``regions`` (the validation slice).

    The model as it is is scored first; a model with ``calibration_choices`` is then scored with each other
    value of those settings (one at a time). Of equally good variants the earliest wins (the present one).
    Returns the best of ``tried``, one ``{"settings": {name: value changed}, "threshold", "mcc",
    "mcc_at_half"}`` per variant, with ``tried`` itself; thresholds are on the variant's present (already
    folded) output.
    """
    from genoview.core.evaluation import confusion

    variants = [({}, track_model)] + [({name: value}, track_model.with_setting(name, value))
                                      for name, values in track_model.calibration_choices.items() for value in values
                                      if value != getattr(track_model, name)]
    tried = []
    for i, (setting, variant) in enumerate(variants):
        stage = wrap_progress(progress, i / len(variants), (i + 1) / len(variants))
        labels, probs = labelled_predictions(variant, genome, tracks, regions, progress=stage, cancel=cancel)
        if not labels.any() or labels.all():
            raise GenoViewInputError("the calibration region holds only one class (all genic or none); pick a "
                                     "region with genes and intergenic stretches", track_model.path)
        threshold, mcc = best_threshold(labels, probs)
        tried.append({"settings": setting, "threshold": threshold, "mcc": mcc,
                      "mcc_at_half": confusion(labels, probs, 0.5).mcc})
    return {**max(tried, key=lambda row: row["mcc"]), "tried": tried}


def calibrate_model_dir(directory: str | os.PathLike, genome, tracks, regions, *,
                        progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                        device: str | None = None) -> dict[str, float]:
    """Choose the decision threshold of a saved model on ``regions`` and store it in its genoview.json.

    The model's present output (already folded at its stored threshold, if any) is scored on the grid;
    the new stored threshold composes both, so calibrating twice on the same data changes nothing.
    A model with ``calibration_choices`` (a k-mer BERT's frame-decoder window) is also scored with each
    other value of those settings, and the setting with the best MCC is stored with its threshold.
    Returns the MCC at 0.5 before and after, the threshold chosen on the present output and the stored
    one, the chosen settings and every variant tried.
    """
    from genoview.core.models import Task, load_model

    directory = Path(directory)
    model = load_model(directory, task=Task.GENE_PROBABILITY, device=device)
    key = model.settings_key
    if key is None:
        from genoview.core.models.registry import threshold_architecture_words

        raise GenoViewInputError(f"{model.name} has no adjustable decision threshold (only "
                                 f"{threshold_architecture_words()} models have one)", directory)
    decoding = choose_decoding(model, genome, tracks, regions, progress=progress, cancel=cancel)
    chosen, mcc_after = decoding["threshold"], decoding["mcc"]
    mcc_before = decoding["tried"][0]["mcc_at_half"]
    with ModelMetadata.editing(directory) as meta:
        stored = compose_thresholds(meta.threshold(key), chosen)
        settings = meta.section(key)
        settings.update(decoding["settings"])
        settings["threshold"] = round(stored, 4)
    return {"chosen": chosen, "threshold": settings["threshold"], "mcc_before": mcc_before, "mcc_after": mcc_after,
            "settings": {name: settings.get(name, getattr(model, name)) for name in model.calibration_choices},
            "tried": decoding["tried"]}
