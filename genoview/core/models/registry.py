"""Which model types GenoView can run, for which tasks: one lazy table, as transformers' ``CONFIG_MAPPING_NAMES``.

``MODEL_TYPES`` maps the ``model_type`` of a directory's ``config.json`` to a :class:`ModelType` row:
the module to import (only when such a model is loaded), GenoView's architecture name (what
``genoview.json``, ``genoview train --architecture`` and ``genoview models`` say), the tasks it can serve
and the module that registers its training. Loading, listing and training all read this table; a new
architecture adds one row (here, or at run time with :func:`register_model_type`) and touches nothing else.

The module of a row exposes one hook::

    def load(directory: Path, *, device: str, task: Task) -> object

returning the interface of ``task``: a :class:`~genoview.core.models.base.TrackModel` for
``Task.GENE_PROBABILITY``; for language-model tasks, whatever that module documents. It may raise
GenoViewInputError; any other error while loading is turned into one by the registry.

Importing this module stays light: no torch, no transformers.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from genoview.core.errors import GenoViewInputError


def lazy_auto_classes(package: str, model_type: str, config: tuple[str, str], model: tuple[str, str]):
    """A module ``__getattr__`` for an architecture package whose prediction path avoids transformers: the
    transformers classes ``config`` and ``model`` ((module under ``package``, class name)) are imported on first
    use of their names and registered with AutoConfig / AutoModel under ``model_type`` (training, adapting)."""
    def __getattr__(name: str):
        if name in (config[1], model[1]):
            import importlib

            from transformers import AutoConfig, AutoModel

            config_module = importlib.import_module(f"{package}.{config[0]}")
            config_class = getattr(config_module, config[1])
            model_class = getattr(importlib.import_module(f"{package}.{model[0]}"), model[1])
            assert config_module.MODEL_TYPE == model_type
            AutoConfig.register(model_type, config_class, exist_ok=True)
            AutoModel.register(config_class, model_class, exist_ok=True)
            return config_class if name == config[1] else model_class
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


class Task(str, enum.Enum):
    """What a model does, in the user's words: the interface :func:`load_model` returns for it."""

    GENE_PROBABILITY = "gene-probability"          # per-nucleotide P(genic): a TrackModel
    LANGUAGE_MODEL = "language-model"              # next-base (causal) DNA language model
    MASKED_LANGUAGE_MODEL = "masked-language-model"  # masked DNA language model (e.g. pre-trained k-mer BERT)

    def __str__(self) -> str:
        return self.value


# names older genoview.json files (and k-mer BERT's head names) used for the tasks above
TASK_ALIASES: dict[str, Task] = {
    "gene-track": Task.GENE_PROBABILITY,
    "token-classification": Task.GENE_PROBABILITY,
    "window-classification": Task.GENE_PROBABILITY,
    "masked-lm": Task.MASKED_LANGUAGE_MODEL,
    "causal-lm": Task.LANGUAGE_MODEL,
}


def normalize_task(name: str | Task | None) -> Task | None:
    """The Task a name stands for (enum values and old names); None for None or an unknown name."""
    if name is None or isinstance(name, Task):
        return name
    text = str(name).strip().lower()
    try:
        return Task(text)
    except ValueError:
        return TASK_ALIASES.get(text)


def parse_task(name: str | Task) -> Task:
    """Like :func:`normalize_task` for a name the user typed: an unknown one is an input error."""
    task = normalize_task(name)
    if task is None:
        raise GenoViewInputError(f"unknown task {name!r}; choose one of {', '.join(t.value for t in Task)}")
    return task


@dataclass(frozen=True)
class ModelType:
    """One row of :data:`MODEL_TYPES`.

    ``module``: import path of the module with the ``load(directory, *, device, task)`` hook.
    ``architecture``: GenoView's name of the architecture (genoview.json "architecture", training, listing).
    ``tasks``: the tasks it can serve; the first is the one assumed when neither genoview.json nor the
    head says otherwise. ``head_tasks``: config.json ``architectures`` class names that pin the task
    (a BERT with a masked-LM head is a masked language model). ``training``: module that registers the
    trainable :class:`~genoview.core.training.architectures.Architecture` (None: not trainable).
    ``pickle_weights``: whether a ``pytorch_model.bin`` without safetensors is accepted (read with
    ``weights_only=True``, tensors only; only DNABERT downloads need it). ``task_modules``: a module with
    its own ``load`` hook for one task, where that task's interface lives apart from ``module`` (e.g. a
    k-mer BERT scored as a masked language model). ``config_class`` ("package.module:Class"): the config
    class whose literal defaults give config.json's value types, read from its source without importing it
    (checks.py), so listing marks a config of wrong types as broken. ``weightless``: the model keeps its
    parameters in files of its own (no model.safetensors required). ``reads_genome``: its track of one sequence
    depends on the genome's other sequences too (GeneORF self-trains on every sequence of the file), so cached
    predictions are keyed by the whole genome (core/prediction.py). ``settings_key``: the genoview.json section
    holding the model's decision ``threshold`` (calibration.py chooses it; ``genoview calibrate`` refuses the
    architectures without one); its TrackModel reads its ``settings_key`` from here, the one place.
    ``windows`` ("package.module:function"): a torch-free function of a TrainingSpec giving (window, context on
    each side) of the training windows the ``training`` module's ``prepare`` makes, which uses the same numbers
    (:func:`~genoview.core.training.architectures.window_need`: the training wizard's Data page counts windows with
    it and must not import torch); None: the trainer takes no such windows (GeneORF reads whole genomes, k-mer BERT
    its own token windows).
    """

    module: str
    architecture: str
    tasks: tuple[Task, ...]
    training: str | None = None
    head_tasks: dict[str, Task] = field(default_factory=dict)
    pickle_weights: bool = False
    description: str = ""
    task_modules: dict[Task, str] = field(default_factory=dict)
    config_class: str | None = None
    weightless: bool = False
    reads_genome: bool = False
    settings_key: str | None = None
    windows: str | None = None

    def module_for(self, task: Task) -> str:
        """The module whose ``load`` hook serves ``task``."""
        return self.task_modules.get(task, self.module)


MODEL_TYPES: dict[str, ModelType] = {
    "genoview-genecnn": ModelType(
        module="genoview.core.models.genecnn", architecture="genecnn", tasks=(Task.GENE_PROBABILITY,),
        training="genoview.core.models.genecnn.training", windows="genoview.core.models.genecnn.shape:window_need",
        config_class="genoview.core.models.genecnn.configuration_genecnn:GeneCNNConfig", settings_key="genecnn",
        description="reading-frame features and a residual dilated 1-D CNN"),
    # DNABERT-layout directories (GenoView's k-mer BERT and downloaded DNABERT ones) say model_type "bert"
    "bert": ModelType(
        module="genoview.core.models.kmer_bert", architecture="kmer-bert",
        tasks=(Task.GENE_PROBABILITY, Task.MASKED_LANGUAGE_MODEL),
        training="genoview.core.models.kmer_bert.training",
        head_tasks={"BertForMaskedLM": Task.MASKED_LANGUAGE_MODEL, "BertForPreTraining": Task.MASKED_LANGUAGE_MODEL},
        pickle_weights=True, description="DNABERT-style k-mer BERT", settings_key="kmer_bert",
        config_class="transformers.models.bert.configuration_bert:BertConfig"),
    "genoview-geneorf": ModelType(
        module="genoview.core.models.geneorf", architecture="geneorf", tasks=(Task.GENE_PROBABILITY,),
        config_class="genoview.core.models.geneorf.configuration_geneorf:GeneORFConfig",
        training="genoview.core.training.geneorf", reads_genome=True,
        description="self-training ORF gene finder (issue 12)"),
    # nucleotide language models (issue 10)
    "genoview-ngram-lm": ModelType(module="genoview.core.models.ngram", architecture="ngram-lm",
                                   tasks=(Task.LANGUAGE_MODEL,), description="interpolated Kneser-Ney n-gram",
                                   config_class="genoview.core.models.ngram.configuration_ngram:NgramLmConfig"),
    "genoview-lstm-lm": ModelType(module="genoview.core.models.lstm_lm", architecture="lstm-lm",
                                  tasks=(Task.LANGUAGE_MODEL,), description="LSTM nucleotide language model",
                                  config_class="genoview.core.models.lstm_lm.configuration_lstm_lm:LstmLmConfig"),
    "gpt2": ModelType(module="genoview.core.models.gpt_lm", architecture="gpt-lm",
                      tasks=(Task.LANGUAGE_MODEL,), description="small GPT nucleotide language model",
                      config_class="transformers.models.gpt2.configuration_gpt2:GPT2Config"),
    "genoview-lm-ensemble": ModelType(module="genoview.core.models.lm_ensemble", architecture="lm-ensemble",
                                      tasks=(Task.LANGUAGE_MODEL,), weightless=True,
                                      description="average of language models' per-token log-probabilities"),
}

# built-in models that have no directory (constructed by their module's load hook)
BUILTIN_MODELS: dict[str, ModelType] = {
    "prodigal": ModelType(module="genoview.core.models.prodigal", architecture="pyrodigal",
                          tasks=(Task.GENE_PROBABILITY,), description="Prodigal gene finder (pyrodigal)",
                          reads_genome=True),
}


def register_model_type(model_type: str, row: ModelType, *, replace: bool = False) -> None:
    """Add a row to :data:`MODEL_TYPES` at run time (a plug-in or a test); built-in rows stay unless ``replace``."""
    if model_type in MODEL_TYPES and not replace and MODEL_TYPES[model_type] != row:
        raise ValueError(f"model_type {model_type!r} is already registered ({MODEL_TYPES[model_type].module})")
    MODEL_TYPES[model_type] = row


def model_type_for_architecture(architecture: str) -> str | None:
    """The config.json model_type whose row has GenoView architecture name ``architecture``."""
    return next((key for key, row in MODEL_TYPES.items() if row.architecture == architecture), None)


def trainable_architectures() -> dict[str, str]:
    """Architecture name -> module that registers its training, for every trainable row."""
    return {row.architecture: row.training for row in MODEL_TYPES.values() if row.training}


def window_rules() -> dict[str, str]:
    """Architecture name -> its row's ``windows`` function ("module:function"), for every row that has one."""
    return {row.architecture: row.windows for row in MODEL_TYPES.values() if row.windows}


def threshold_architectures() -> dict[str, str]:
    """Architecture name -> genoview.json section of its decision threshold, for every row that has one."""
    return {row.architecture: row.settings_key for row in MODEL_TYPES.values() if row.settings_key}


def threshold_architecture_words() -> str:
    """The architectures with a decision threshold, in words ("genecnn and kmer-bert"), for messages: from
    ``threshold_architectures``, so a new row with a settings_key is named without editing any text."""
    names = sorted(threshold_architectures())
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def task_from_config(row: ModelType, config: dict) -> Task:
    """The task a directory's config.json pins by its head class, else the row's first task."""
    for name in config.get("architectures") or []:
        if name in row.head_tasks:
            return row.head_tasks[name]
    return row.tasks[0]
