"""The model registry: find a model by name or directory and load it as a TrackModel.

Names resolve in this order: the built-in "prodigal", a model shipped in ``models/``, a model in the
user's library (a folder in ``model_library_dir()``, or a folder elsewhere registered with
:func:`register_model_dir`, kept in the store's ``models`` table), then a local directory path. Directories are Hugging Face model directories
(``config.json`` + ``model.safetensors``) with GenoView's ``genoview.json`` metadata; the architecture
is chosen from ``config.json``'s ``model_type``. Importing this module stays light: torch and
transformers are imported only when a model is loaded.
"""
from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from genoview import paths
from genoview.core.errors import GenoViewInputError
from genoview.core.models.base import ModelInfo, TrackModel

BUILTIN_MODELS = ("prodigal",)
PREFERRED_DEFAULT = "genecnn-ecoli"
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json")
LEGACY_WEIGHTS = "pytorch_model.bin"  # accepted for k-mer BERT (DNABERT) directories only

__all__ = ["ModelInfo", "TrackModel", "load_model", "list_models", "default_model_name", "resolve_model_dir",
           "register_model_dir"]


def _model_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "config.json").is_file())


def _read_metadata(directory: Path) -> dict[str, Any]:
    """genoview.json of a model directory ({} when absent); a malformed one is an input error."""
    meta_path = directory / "genoview.json"
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GenoViewInputError(f"not valid JSON ({exc.msg}); fix or delete the file", meta_path, exc.lineno) from exc
    if not isinstance(meta, dict):
        raise GenoViewInputError("expected a JSON object with the model's metadata", meta_path)
    return meta


def _registered_dirs() -> dict[str, Path]:
    """Model folders outside the library that the user registered (store ``models`` table), still present."""
    from genoview.core.store import open_store

    entries = {row["name"]: Path(row["path"]) for row in open_store().library_models()}
    return {name: path for name, path in entries.items() if (path / "config.json").is_file()}


def _named_dirs() -> dict[str, Path]:
    """Every model directory reachable by name: shipped first, then library folders, then registered ones."""
    named: dict[str, Path] = {}
    for root in (paths.SHIPPED_MODELS_DIR, paths.model_library_dir()):
        for directory in _model_dirs(root):
            named.setdefault(directory.name, directory)   # a shipped name hides a library model of the same name
    for name, directory in _registered_dirs().items():
        named.setdefault(name, directory)
    return named


def _available_names() -> list[str]:
    return list(BUILTIN_MODELS) + [name for name in _named_dirs() if name not in BUILTIN_MODELS]


def resolve_model_dir(name_or_dir: str | Path) -> Path | None:
    """The directory a model name or path stands for; None for a built-in model."""
    text = str(name_or_dir)
    if text in BUILTIN_MODELS:
        return None
    if "/" not in text and "\\" not in text and text not in (".", ".."):
        for root in (paths.SHIPPED_MODELS_DIR, paths.model_library_dir()):
            if (root / text).is_dir():
                return root / text
        registered = _registered_dirs().get(text)
        if registered is not None:
            return registered
    candidate = Path(text).expanduser()
    if candidate.is_dir():
        return candidate.resolve()
    raise GenoViewInputError(
        f"no model named {text!r} and no such directory; available models: {', '.join(_available_names())}"
    )


def _is_dnabert_bin_dir(directory: Path) -> bool:
    """True for a downloaded DNABERT directory with pytorch_model.bin (transformers reads it with weights_only=True)."""
    if not (directory / LEGACY_WEIGHTS).is_file():
        return False
    return importlib.import_module("genoview.core.models.kmer_bert").is_kmer_bert_dir(directory)


def _check_model_dir(directory: Path) -> dict[str, Any]:
    """config.json of a model directory, after checking that the directory holds weights."""
    config_path = directory / "config.json"
    if not config_path.is_file():
        raise GenoViewInputError(
            "is not a model directory: it has no config.json (a GenoView model is a Hugging Face directory "
            "with config.json and model.safetensors)", directory)
    if not any((directory / name).is_file() for name in WEIGHT_FILES) and not _is_dnabert_bin_dir(directory):
        raise GenoViewInputError(
            "has no model.safetensors weights; copy the weights next to config.json "
            "(pickled pytorch_model.bin files are loaded only for k-mer BERT directories, as tensors only)", directory)
    try:
        return json.loads(config_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GenoViewInputError(f"not valid JSON ({exc.msg})", config_path, exc.lineno) from exc


def _load_dir(directory: Path, device: str | None) -> TrackModel:
    config = _check_model_dir(directory)
    model_type = config.get("model_type")
    from genoview.core.device import pick_device

    device = pick_device(device)
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # loading takes a blink; callers (CLI bar, GUI status) show their own progress
    genecnn = importlib.import_module("genoview.core.models.genecnn")
    if model_type == genecnn.MODEL_TYPE:
        return genecnn.load_track_model(directory, device)
    kmer_bert = importlib.import_module("genoview.core.models.kmer_bert")
    if kmer_bert.is_kmer_bert_dir(directory):
        return kmer_bert.load_track_model(directory, device)
    raise GenoViewInputError(
        f"config.json names the architecture {model_type!r}, which GenoView cannot run; "
        f"supported: {genecnn.MODEL_TYPE!r} and k-mer BERT gene-track models", directory / "config.json")


def load_model(name_or_dir: str | Path, device: str | None = None) -> TrackModel:
    """Load a model by built-in, shipped or library name, or from a local model directory."""
    directory = resolve_model_dir(name_or_dir)
    if directory is None:
        from genoview.core.models.prodigal import ProdigalModel

        return ProdigalModel()
    model = _load_dir(directory, device)
    model.path = directory
    return model


def _info_for(directory: Path, name: str) -> ModelInfo:
    meta = _read_metadata(directory)
    return ModelInfo(
        name=name,
        path=str(directory),
        architecture=str(meta.get("architecture", "unknown")),
        task=str(meta.get("task", "gene-track")),
        default=meta.get("default") is True,
        metrics=dict(meta.get("metrics") or {}),
        description=str(meta.get("description", "")),
    )


def list_models() -> list[ModelInfo]:
    """Shipped models, then library models, then the built-in Prodigal; exactly one marked default.

    The default is the first model whose genoview.json says ``"default": true``, else "genecnn-ecoli",
    else the first shipped or library model, else Prodigal.
    """
    from genoview.core.models.prodigal import ProdigalModel

    infos = [_info_for(directory, name) for name, directory in _named_dirs().items()]
    prodigal = ProdigalModel().info
    infos.append(ModelInfo(name="prodigal", path="(built-in)", architecture=prodigal["architecture"],
                           task=prodigal["task"], description=prodigal["description"]))
    marked = [info for info in infos if info.default]
    chosen = marked[0] if marked else next((i for i in infos if i.name == PREFERRED_DEFAULT), infos[0])
    for info in infos:
        info.default = info is chosen
    return infos


def default_model_name() -> str:
    """The name `genoview predict` uses without --model."""
    return next(info.name for info in list_models() if info.default)


def register_model_dir(directory: str | Path, name: str | None = None) -> ModelInfo:
    """Add a model folder kept elsewhere to the library under ``name`` (default: the folder's name)."""
    directory = Path(directory).expanduser().resolve()
    _check_model_dir(directory)
    name = name or directory.name
    taken = _named_dirs().get(name)
    if name in BUILTIN_MODELS or (taken is not None and taken != directory):
        raise GenoViewInputError(f"the name {name!r} is already used by {taken or 'a built-in model'}; "
                                 "choose another name", directory)
    info = _info_for(directory, name)
    from genoview.core.store import open_store

    open_store().add_model(name, directory, info.architecture, info.task, _read_metadata(directory))
    return info
