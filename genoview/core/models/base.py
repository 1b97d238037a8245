"""The interface every gene-probability model offers to inference, the CLI and the GUI, and what listing shows."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class ModelInfo:
    """What `genoview models` lists and the GUI's model chooser shows."""

    name: str
    path: str
    architecture: str
    task: str
    default: bool = False
    metrics: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    broken: str = ""   # why the folder cannot be loaded (the message loading it would give); "" when fine

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "architecture": self.architecture,
            "task": self.task,
            "default": self.default,
            "metrics": self.metrics,
            "description": self.description,
            "broken": self.broken or None,
        }


@dataclass
class LoadedNetwork:
    """A model loaded for a task that has no GenoView interface of its own yet (e.g. a k-mer BERT as a masked
    language model): the transformers network and its tokenizer, with the usual name, path, info and device."""

    network: Any
    tokenizer: Any
    task: str
    name: str
    path: Path | None = None
    info: dict[str, Any] = field(default_factory=dict)
    device: str = "cpu"


class TrackModel:
    """A loaded model that turns DNA into per-nucleotide gene probabilities.

    Chunked models implement :meth:`predict_chunk`; inference tiles a region into chunks of
    ``chunk_size`` bases, each padded with ``context`` bases of real flank on both sides (N beyond the
    sequence ends), and keeps only the centre. Models that must see a whole sequence at once
    (Prodigal trains on the genome itself) set ``whole_sequence = True`` and implement
    :meth:`predict_record` instead.
    """

    name: str = "model"
    path: Path | None = None
    info: dict[str, Any]
    device: str = "cpu"
    context: int = 0
    chunk_size: int = 4096
    default_batch_size: int = 8
    whole_sequence: bool = False
    any_length: bool = False          # predict_chunk also takes tiles of any length (GeneCNN): heat maps use one tile
    settings_key: str | None = None   # genoview.json section holding a decision ``threshold`` (calibration.py)
    threshold: float = 0.5            # folded into the output by models with a settings_key
    # decoding settings `genoview calibrate` may choose on validation data with the threshold, e.g.
    # {"frame_window": (31, 61, 91)}; :meth:`with_setting` gives the model with one of them changed
    calibration_choices: dict[str, tuple] = {}

    def with_setting(self, name: str, value) -> "TrackModel":
        """This model (sharing its weights) with the decoding setting ``name`` set to ``value``."""
        raise NotImplementedError

    def predict_chunk(self, codes: np.ndarray) -> np.ndarray:
        """codes: uint8 (batch, context + chunk_size + context) base codes (A0 C1 G2 T3 N4) ->
        float32 (batch, chunk_size) probabilities that each centre base is genic."""
        raise NotImplementedError

    def predict_record(self, record, start: int, end: int, progress=None, cancel=None) -> np.ndarray:
        """Whole-sequence models only: float32 probabilities for record[start:end]."""
        raise NotImplementedError


def logit(p: float) -> float:
    """log(p / (1 - p)) of a probability strictly between 0 and 1."""
    return float(np.log(p / (1.0 - p)))


def fold_logits(logits, threshold: float):
    """Log-odds (numpy or torch) shifted so ``threshold`` maps to 0.5: the one definition of threshold folding."""
    return logits if threshold == 0.5 else logits - logit(threshold)


def fold_threshold(probs: np.ndarray, threshold: float) -> np.ndarray:
    """float32 probabilities folded as :func:`fold_logits` folds their log-odds (monotone: AUCs unchanged)."""
    if threshold == 0.5:
        return np.asarray(probs, dtype=np.float32)
    p = np.clip(np.asarray(probs, dtype=np.float64), 1e-7, 1 - 1e-7)
    return (1.0 / (1.0 + np.exp(-fold_logits(np.log(p / (1 - p)), threshold)))).astype(np.float32)
