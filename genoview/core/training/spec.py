"""What a training run needs, as one JSON-serialisable record: the wizard and `genoview train` fill it in."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from genoview.core.errors import GenoViewInputError

VALIDATION_METRICS = ("mcc", "roc_auc", "accuracy", "f1", "loss")  # gene models; a masked LM has only loss
LABELLING_METHODS = ("majority", "all", "any")
CLASS_WEIGHTING = ("none", "balanced")
SPLIT_METHODS = ("fraction", "sequences")


@dataclass
class TrainingSpec:
    """Data, split, model shape and optimisation settings of one training run (all optional but the data).

    Coordinates of the split are fractions of each sequence (``int(length * fraction)``, as
    ``score_track.py`` does). The validation slice is the last ``valid_fraction`` of the training part
    (or the ``valid_seqids``), never the test part.
    """

    architecture: str = "genecnn"
    fasta: str | None = None
    annotation: str | None = None
    feature_types: list[str] = field(default_factory=lambda: ["gene", "pseudogene"])
    seqids: list[str] | None = None
    split: str = "fraction"
    train_from: float = 0.0
    train_to: float = 0.7
    valid_fraction: float = 0.1
    test_from: float = 0.7
    test_to: float = 1.0
    valid_seqids: list[str] = field(default_factory=list)
    test_seqids: list[str] = field(default_factory=list)
    window: int | None = None
    context: int | None = None
    k: int | None = None
    labelling: str = "majority"
    epochs: float = 1.0
    windows_per_epoch: int | None = None
    max_steps: int | None = None
    batch_size: int = 16
    learning_rate: float = 2e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.05
    grad_clip: float = 1.0
    class_weighting: str = "none"
    seed: int = 1
    patience: int | None = None
    eval_every: int | None = None
    eval_windows: int | None = None
    log_every: int = 20
    metric: str | None = None
    max_minutes: float | None = None
    resume: bool = False
    init_from: str | None = None
    keep_checkpoints: int = 2
    num_threads: int | None = None
    model_options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise GenoViewInputError naming the setting that cannot work, and what would."""
        def bad(message: str) -> None:
            raise GenoViewInputError(message)

        if self.labelling not in LABELLING_METHODS:
            bad(f"labelling {self.labelling!r} is unknown; use one of {', '.join(LABELLING_METHODS)}")
        if self.class_weighting not in CLASS_WEIGHTING:
            bad(f"class weighting {self.class_weighting!r} is unknown; use one of {', '.join(CLASS_WEIGHTING)}")
        if self.split not in SPLIT_METHODS:
            bad(f"split {self.split!r} is unknown; use one of {', '.join(SPLIT_METHODS)}")
        if not 0.0 <= self.train_from < self.train_to <= 1.0:
            bad(f"training part {self.train_from}..{self.train_to} is empty or outside 0..1; use e.g. 0 to 0.7")
        if not 0.0 <= self.valid_fraction < 1.0:
            bad(f"validation fraction {self.valid_fraction} must be in [0, 1)")
        if self.epochs <= 0 and not self.max_steps:
            bad("epochs must be positive (or give max_steps)")
        if self.batch_size < 1:
            bad(f"batch size {self.batch_size} must be at least 1")
        if self.learning_rate <= 0:
            bad(f"learning rate {self.learning_rate} must be positive")
        if not 0.0 <= self.warmup_fraction < 1.0:
            bad(f"warmup fraction {self.warmup_fraction} must be in [0, 1)")
        if self.metric is not None and self.metric not in VALIDATION_METRICS:
            bad(f"validation metric {self.metric!r} is unknown; use one of {', '.join(VALIDATION_METRICS)}")
        if self.patience is not None and self.patience < 1:
            bad(f"patience {self.patience} must be at least 1 evaluation (or unset)")
        if self.max_minutes is not None and self.max_minutes <= 0:
            bad(f"max minutes {self.max_minutes} must be positive (or unset)")
        if self.num_threads is not None and self.num_threads < 1:
            bad(f"num_threads {self.num_threads} must be at least 1 (or unset for all cores)")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TrainingSpec":
        """Build from a dict (unknown keys are an error naming them, so typos do not pass silently)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise GenoViewInputError(f"unknown training setting(s): {', '.join(unknown)}")
        return cls(**data)

    def save(self, path: str | os.PathLike) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike) -> "TrainingSpec":
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise GenoViewInputError(f"cannot read the training spec: {exc}", path) from exc
        return cls.from_json(data)
