"""Find models by name or directory, list them by task, and load one as the interface of its task.

Names resolve in this order: a built-in model ("prodigal"), a model shipped in ``models/``, a model in the
user's library (a folder in ``model_library_dir()``, or a folder elsewhere registered with
:func:`register_model_dir`, kept in the store's ``models`` table), then a local directory path. Directories
are Hugging Face model directories (``config.json`` + ``model.safetensors``) with GenoView's
``genoview.json`` (:class:`~genoview.core.models.metadata.ModelMetadata`); the code that runs one is chosen
from ``config.json``'s ``model_type`` through the table :data:`~genoview.core.models.registry.MODEL_TYPES`.
Importing this module stays light: torch and transformers are imported only when a model is loaded.
"""
from __future__ import annotations

import importlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from genoview import paths
from genoview.core.errors import GenoViewInputError
from genoview.core.models.base import LoadedNetwork, ModelInfo, TrackModel
from genoview.core.models.checks import (
    CONFIG_FILE, check_config_types, check_weights, imported_kinds, model_type_of, read_config, source_kinds,
)
from genoview.core.models.metadata import ModelMetadata
from genoview.core.models.registry import (
    BUILTIN_MODELS, MODEL_TYPES, ModelType, Task, normalize_task, parse_task, register_model_type, task_from_config,
)

PREFERRED_DEFAULT = "geneorf-bacteria"   # the shipped default gene model (issue 12: works on genomes it never saw)
# architectures that run on the CPU with numpy (GeneORF: torch only for its small RNA head, imported when it runs)
CPU_ARCHITECTURES = frozenset({"geneorf"})

__all__ = ["MODEL_TYPES", "LoadedNetwork", "ModelInfo", "ModelMetadata", "ModelType", "Task", "TrackModel",
           "default_model_name", "inspect_model_dir", "list_models", "load_model", "register_model_dir",
           "normalize_task", "register_model_type", "resolve_model_dir"]


# ---------------------------------------------------------------------------------------------- names
def _model_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    # hidden folders are unfinished training runs (".NAME.partial", training/runner.py), never models
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / CONFIG_FILE).is_file())


def _registered_dirs() -> dict[str, Path]:
    """Model folders outside the library that the user registered (store ``models`` table), still present."""
    from genoview.core.store import open_store

    try:
        rows = open_store().library_models()
    except sqlite3.OperationalError as exc:
        where = paths.user_data_dir() / "genoview.db"
        if "locked" in str(exc) or "busy" in str(exc):
            raise GenoViewInputError("the model library database is locked by another GenoView process (a training "
                                     "or prediction run); try again when it finishes", where) from exc
        raise GenoViewInputError(f"the model library database cannot be read ({exc}); close other GenoView "
                                 "windows and try again, or move the file away to start a new library", where) from exc
    except sqlite3.DatabaseError as exc:
        raise GenoViewInputError(f"the model library database is damaged ({exc}); move the file away to start "
                                 "a new library", paths.user_data_dir() / "genoview.db") from exc
    entries = {row["name"]: Path(row["path"]) for row in rows}
    return {name: path for name, path in entries.items() if (path / CONFIG_FILE).is_file()}


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


def resolve_model_dir(name_or_dir: str | os.PathLike) -> Path | None:
    """The directory a model name or path stands for; None for a built-in model."""
    text = os.fspath(name_or_dir)
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


# ---------------------------------------------------------------------------------------------- checks
def inspect_model_dir(directory: str | os.PathLike) -> tuple[str, ModelType, ModelMetadata, Task]:
    """(model_type, its table row, metadata, the model's own task) of a directory, after cheap checks.

    Reads only small files (config.json, genoview.json, the safetensors header): no torch. Raises
    GenoViewInputError naming the file for anything that would stop the model from loading.
    """
    directory = Path(directory)
    config, text = read_config(directory)
    model_type = model_type_of(directory, config, text)
    row = MODEL_TYPES[model_type]
    if row.config_class:
        check_config_types(directory, config, text, source_kinds(row.config_class))
    check_weights(directory, row)
    meta = ModelMetadata.load(directory)
    task = meta.task or task_from_config(row, config)
    return model_type, row, meta, task


# ---------------------------------------------------------------------------------------------- loading
def _import_hook(row: ModelType, task: Task):
    name = row.module_for(task)
    module = importlib.import_module(name)
    if not callable(getattr(module, "load", None)):
        raise TypeError(f"{name} is registered in MODEL_TYPES but has no load(directory, *, device, task)")
    return module


def _task_error(label: str, own: Task, wanted: Task) -> GenoViewInputError:
    return GenoViewInputError(f"{label} is a {own.value} model, but a {wanted.value} model is needed here; "
                              f"choose one from `genoview models --task {wanted.value}`")


def load_model(name_or_dir: str | os.PathLike, task: Task | str | None = Task.GENE_PROBABILITY,
               device: str | None = None) -> Any:
    """Load a model by built-in, shipped or library name, or from a local model directory, as the interface of
    ``task``: a :class:`TrackModel` for ``Task.GENE_PROBABILITY`` (the default, so code that draws gene tracks
    never receives a language model), whatever the row's module returns for the other tasks; ``task=None``
    takes the model's own task.

    Every failure (unknown name, another task, damaged files, config values of the wrong type) is a
    GenoViewInputError naming the file and what to do.
    """
    wanted = parse_task(task) if task is not None else None
    directory = resolve_model_dir(name_or_dir)
    if directory is None:
        name = os.fspath(name_or_dir)
        row = BUILTIN_MODELS[name]
        if wanted is not None and wanted not in row.tasks:
            raise _task_error(name, row.tasks[0], wanted)
        task = wanted or row.tasks[0]
        return _import_hook(row, task).load(None, device=device or "cpu", task=task)
    model_type, row, meta, own = inspect_model_dir(directory)
    label = meta.name or directory.name
    if wanted is not None and (wanted != own or wanted not in row.tasks):
        raise _task_error(label, own, wanted)
    if row.architecture in CPU_ARCHITECTURES and device in (None, "auto", "cpu"):
        device = "cpu"   # choosing a device would import torch for nothing
    else:
        from genoview.core.device import pick_device

        device = pick_device(device)
    try:
        module = _import_hook(row, own)
        if "transformers" in sys.modules:   # a transformers model: loading takes a blink, callers show progress
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        if not row.config_class:   # a plug-in's config: its registered transformers class gives the types
            check_config_types(directory, *read_config(directory), imported_kinds(model_type))
        model = module.load(directory, device=device, task=own)
    except GenoViewInputError:
        raise
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RuntimeError, ImportError) as exc:
        detail = f"{type(exc).__name__}: {str(exc).strip()[:300]}"
        if "mismatch" in str(exc).lower() or "size" in str(exc).lower() and "shape" in str(exc).lower():
            raise GenoViewInputError(
                f"does not match the weights in model.safetensors ({detail}); a setting such as "
                "hidden_size was changed, or the files come from different models: copy the model again",
                directory / CONFIG_FILE) from exc
        raise GenoViewInputError(
            f"the {row.architecture} model could not be loaded ({detail}); its files may come from another "
            "version or be damaged: copy the model again or retrain it", directory) from exc
    if getattr(model, "path", None) is None:
        try:
            model.path = directory
        except AttributeError:
            pass
    return model


# ---------------------------------------------------------------------------------------------- listing
def _info_for(directory: Path, name: str) -> ModelInfo:
    """What `genoview models` shows of a directory; a broken one is listed with the reason, never raised."""
    try:
        _, row, meta, task = inspect_model_dir(directory)
    except GenoViewInputError as exc:
        return _broken_info(directory, name, str(exc))
    return ModelInfo(name=name, path=str(directory), architecture=meta.architecture or row.architecture,
                     task=task.value, default=meta.default, metrics=dict(meta.metrics),
                     description=meta.description)


def _broken_info(directory: Path, name: str, reason: str) -> ModelInfo:
    """A broken folder's row: whatever its readable files still say (so ``--task`` filtering keeps it), and why."""
    architecture, task = "unknown", "unknown"
    try:
        config, text = read_config(directory)
        row = MODEL_TYPES[model_type_of(directory, config, text)]
        architecture, task = row.architecture, task_from_config(row, config).value
    except GenoViewInputError:
        pass
    try:
        meta = ModelMetadata.load(directory)
        architecture = meta.architecture or architecture
        task = meta.task.value if meta.task else task
    except GenoViewInputError:
        pass
    return ModelInfo(name=name, path=str(directory), architecture=architecture, task=task, broken=reason)


def list_models(task: Task | str | None = None) -> list[ModelInfo]:
    """Shipped models, then library models, then the built-in ones; exactly one loadable model marked default
    among all (before filtering by ``task``). Broken folders are listed with ``broken`` set to the reason.

    The default is the first gene-probability model whose genoview.json says ``"default": true``, else
    PREFERRED_DEFAULT ("geneorf-bacteria"), else the first loadable gene-probability model, else Prodigal.
    """
    wanted = parse_task(task) if task is not None else None
    infos = [_info_for(directory, name) for name, directory in _named_dirs().items()]
    for name, row in BUILTIN_MODELS.items():
        infos.append(ModelInfo(name=name, path="(built-in)", architecture=row.architecture,
                               task=row.tasks[0].value, description=row.description))
    usable = [i for i in infos if not i.broken and i.task == Task.GENE_PROBABILITY.value]
    marked = [info for info in usable if info.default]
    chosen = marked[0] if marked else next((i for i in usable if i.name == PREFERRED_DEFAULT), usable[0])
    for info in infos:
        info.default = info is chosen
    if wanted is not None:
        infos = [info for info in infos if info.task == wanted.value]
    return infos


def default_model_name() -> str:
    """The name `genoview predict` uses without --model (a loadable gene-probability model)."""
    return next(info.name for info in list_models() if info.default)


def library_name_holder(name: str, directory: str | os.PathLike | None = None) -> str | None:
    """What already has the library name ``name``: "a built-in model", or the folder of the shipped, library or
    registered model that has it (``directory``, the folder of the model about to be named, is not another model,
    through whatever links lead to it); None when the name is free. The one rule behind `genoview adapt`, `train`,
    `train-lm`, ``register_model_dir`` and the window's Models ▸ Adapt."""
    if name in BUILTIN_MODELS:
        return "a built-in model"
    taken = _named_dirs().get(name)
    if taken is None or (directory is not None
                         and taken.resolve() == Path(directory).expanduser().resolve()):
        return None
    return str(taken)


def check_library_name(name: str, directory: str | os.PathLike) -> None:
    """Refuse ``name`` for the model about to be made in ``directory`` when another model (shipped, built-in, in the
    library) has it: before the work, not after (H-cli18: `adapt` replaced another model's library entry without a
    word, `train` said "saved but not added" after training, and a shipped name ran the shipped model)."""
    holder = library_name_holder(name, directory)
    if holder is not None:
        raise GenoViewInputError(f"the library name {name!r} is already used by {holder}; "
                                 "give --name NEW (the library name of the new model; by default the --out "
                                 "folder's name)")


def register_model_dir(directory: str | os.PathLike, name: str | None = None) -> ModelInfo:
    """Add a model folder kept elsewhere to the library under ``name`` (default: the folder's name)."""
    directory = Path(directory).expanduser().resolve()
    _, row, meta, task = inspect_model_dir(directory)
    name = name or directory.name
    holder = library_name_holder(name, directory)
    if holder is not None:
        raise GenoViewInputError(f"the name {name!r} is already used by {holder}; choose another name", directory)
    info = _info_for(directory, name)
    from genoview.core.store import open_store

    open_store().add_model(name, directory, info.architecture, info.task, meta.to_dict())
    return info

