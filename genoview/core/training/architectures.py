"""Which architectures `genoview train` and the training wizard can build, by name.

Names are the model registry's architecture names (``registry.MODEL_TYPES[...].architecture``, what
genoview.json says): a row with a ``training`` module is trainable, and that module registers an
:class:`Architecture` at import time with :func:`register_architecture`. It is imported only when that
architecture is asked for (so `genoview train --help` stays fast).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from genoview.core.errors import GenoViewInputError
from genoview.core.models.registry import trainable_architectures


_REGISTRY: dict[str, "Architecture"] = {}


@dataclass
class PreparedRun:
    """A model ready to train with its datasets and the hooks :func:`train_model` takes.

    ``load_track_model(directory, device)`` (optional) loads the trained result as a TrackModel, so the
    runner can report test-part metrics in the model card. For a model with a ``settings_key`` the runner
    first chooses the decision threshold (and any ``calibration_choices``) on the validation slice and
    stores them under that key of the metadata.
    """

    model: Any
    train_dataset: Any
    eval_dataset: Any
    task: str
    compute_metrics: Callable | None = None
    collate_fn: Callable | None = None
    compute_loss: Callable | None = None
    save_extra: Callable | None = None
    load_track_model: Callable | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Architecture:
    """One trainable architecture.

    ``prepare(spec, genome, tracks, split)`` builds the model (from ``spec.init_from`` when set) and its
    datasets; ``tracks`` maps seqid -> (codes, genic mask) for the sequences the split uses.
    ``defaults`` are TrainingSpec fields this architecture prefers (the CLI and wizard start from them);
    ``ignored_settings`` TrainingSpec fields its trainer never reads (the wizard hides them), ``ignored_why`` says why.
    The window and context ``prepare`` gives a spec's model are the registry row's ``windows`` function (torch-free:
    :func:`window_need`), which ``prepare`` uses too.
    """

    name: str
    description: str
    prepare: Callable[..., PreparedRun]
    defaults: dict[str, Any] = field(default_factory=dict)
    ignored_settings: tuple[str, ...] = ()
    ignored_why: str = ""


def register_architecture(architecture: Architecture) -> None:
    """Make ``architecture`` trainable; its name must be a model registry row's (one name everywhere)."""
    from genoview.core.models.registry import MODEL_TYPES

    if architecture.name not in {row.architecture for row in MODEL_TYPES.values()}:
        raise ValueError(f"architecture {architecture.name!r} has no row in genoview.core.models.registry.MODEL_TYPES; "
                         "add one (model_type -> module, architecture name, tasks, training module) first")
    _REGISTRY[architecture.name] = architecture


def architecture_names() -> list[str]:
    return sorted(set(trainable_architectures()) | set(_REGISTRY))


def architecture_loaded(name: str) -> bool:
    """Whether ``name``'s training module is imported already (``get_architecture`` then costs nothing). The wizard
    imports a trainer on a worker when it is not: GeneCNN's brings transformers in, 1.7-8.8 s on the GUI thread."""
    return name in _REGISTRY


def get_architecture(name: str) -> Architecture:
    """The registered architecture ``name`` (importing its training module from the model registry)."""
    modules = trainable_architectures()
    if name not in _REGISTRY and name in modules:
        try:
            importlib.import_module(modules[name])
        except ModuleNotFoundError as exc:
            if exc.name != modules[name]:
                raise
    if name not in _REGISTRY:
        raise GenoViewInputError(
            f"architecture {name!r} is not available; choose one of {', '.join(architecture_names())}"
        )
    return _REGISTRY[name]


def window_need(spec) -> tuple[int, int] | None:
    """(window, context on each side) of a training window for ``spec``'s architecture, as its ``prepare`` makes
    them (a validation window needs window + 2 x context bases); None for an architecture without such windows
    (GeneORF reads whole genomes, k-mer BERT its own token windows). From the registry row's ``windows`` function:
    no trainer, no torch is imported (the wizard's Data page preview calls it; the import froze the wizard)."""
    from genoview.core.models.registry import window_rules

    name = spec.architecture
    if name not in architecture_names():
        get_architecture(name)   # the error naming the architectures there are
    rule = window_rules().get(name)
    if rule is None:
        return None
    module, _, function = rule.partition(":")
    window, context = getattr(importlib.import_module(module), function)(spec)
    return int(window), int(context)
