"""An ensemble of language models as a model folder (task ``language-model``): config.json names the member
models (folder names next to this one, or library names) and their weights; no weights of its own.
Scores are the weighted average of the members' per-token log-probabilities (gene order)."""
from __future__ import annotations

import json
from pathlib import Path

MODEL_TYPE = "genoview-lm-ensemble"


def write_ensemble(directory: str | Path, members: list[str], weights: list[float] | None = None) -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = {"model_type": MODEL_TYPE, "members": list(members),
              "weights": list(weights) if weights is not None else [1.0] * len(members)}
    (directory / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return directory


def load(directory: str | Path, *, device: str = "cpu", task=None):
    from genoview.core.errors import GenoViewInputError
    from genoview.core.lm import EnsembleLM
    from genoview.core.lm_models import load_language_model, read_info

    directory = Path(directory)
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    members = config.get("members")
    if not isinstance(members, list) or not members:
        raise GenoViewInputError('config.json needs "members": a list of model folders or names', directory)
    models = []
    for member in members:
        sibling = directory.parent / str(member)
        models.append(load_language_model(sibling if sibling.is_dir() else str(member), device))
    model = EnsembleLM(models, config.get("weights"))
    model.name, model.path = directory.name, directory
    model.info = {**model.info, **read_info(directory)}
    return model
