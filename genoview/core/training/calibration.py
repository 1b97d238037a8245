"""Decision thresholds chosen on validation data and folded into a model's output.

A model trained with class weights, or one whose errors are not symmetric, draws its best genic/not
line somewhere other than 0.5. GenoView picks that line on a validation region (never the test part),
stores it in the model's ``genoview.json`` and shifts the model's log-odds so that 0.5 on every track
is the chosen decision point. The shift is monotone: ranking metrics (ROC and PR AUC) do not change.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, wrap_progress
from genoview.core.models.base import logit

THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
METADATA_FILE = "genoview.json"


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


def predict_regions(track_model, genome, tracks, regions, *, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(labels, probs) of ``regions`` concatenated, predicted with ``track_model``."""
    from genoview.core.inference import predict_region

    total = sum(r.length for r in regions) or 1
    done, probs, labels = 0, [], []
    for r in regions:
        stage = wrap_progress(progress, done / total, (done + r.length) / total)
        probs.append(predict_region(track_model, genome.sequences[r.seqid], r.start, r.end, progress=stage,
                                    cancel=cancel))
        labels.append(tracks[r.seqid][1][r.start:r.end])
        done += r.length
    return np.concatenate(labels), np.concatenate(probs)


def choose_threshold(track_model, genome, tracks, regions, *, progress: ProgressCallback | None = None,
                     cancel: CancelToken | None = None) -> float:
    """The grid threshold with the best MCC on ``regions`` (the validation slice) for this model's output."""
    return best_threshold(*predict_regions(track_model, genome, tracks, regions, progress=progress, cancel=cancel))[0]


def calibrate_model_dir(directory: str | os.PathLike, genome, tracks, regions, *,
                        progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                        device: str | None = None) -> dict[str, float]:
    """Choose the decision threshold of a saved model on ``regions`` and store it in its genoview.json.

    The model's present output (already folded at its stored threshold, if any) is scored on the grid;
    the new stored threshold composes both, so calibrating twice on the same data changes nothing.
    Returns the MCC at 0.5 before and after, the threshold chosen on the present output and the stored one.
    """
    from genoview.core.evaluation import confusion
    from genoview.core.models import load_model

    directory = Path(directory)
    model = load_model(directory, device=device)
    key = model.settings_key
    if key is None:
        raise GenoViewInputError(f"{model.name} has no adjustable decision threshold (only GeneCNN and k-mer BERT "
                                 "models have one)", directory)
    labels, probs = predict_regions(model, genome, tracks, regions, progress=progress, cancel=cancel)
    if not labels.any() or labels.all():
        raise GenoViewInputError("the calibration region holds only one class (all genic or none); pick a region "
                                 "with genes and intergenic stretches", directory)
    chosen, mcc_after = best_threshold(labels, probs)
    mcc_before = confusion(labels, probs, 0.5).mcc
    path = directory / METADATA_FILE
    info = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    settings = info.setdefault(key, {})
    stored = compose_thresholds(float(settings.get("threshold", 0.5)), chosen)
    settings["threshold"] = round(stored, 4)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return {"chosen": chosen, "threshold": settings["threshold"], "mcc_before": mcc_before, "mcc_after": mcc_after}
