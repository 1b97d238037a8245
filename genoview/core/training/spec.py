"""What a training run needs, as one typed JSON record: the wizard and `genoview train` fill it in.

Every setting is declared once in :class:`TrainingSpec` with its type, default, range or choices, the
section of the spec file it belongs to and a help text (:func:`spec_schema` lists them for a form).
A spec file is sectioned (``data``, ``task``, ``model``, ``hyperparameters``, ``seed``, ``run``)::

    {"spec_version": 1,
     "data": {"genomes": [{"fasta": "g.fa", "annotation": "g.gff3"}], "feature_types": ["gene", "pseudogene"],
              "seqids": null, "split": {"method": "fraction", "train_from": 0.0, "train_to": 0.7, ...}},
     "task": {"window": 4000, "context": null, "k": null, "labelling": "majority"},
     "model": {"architecture": "genecnn", "init_from": null, "options": {"hidden_size": 32}},
     "hyperparameters": {"epochs": 1.0, "batch_size": 4, "learning_rate": 0.003, "max_minutes": null, ...},
     "seed": 1,
     "run": {"resume": false, "num_threads": null, "keep_checkpoints": 2, "log_every": 20}}

The flat form (one object of the field names, as older models' ``genoview.json`` holds it) is read too.
Paths are used as written: relative ones are relative to the working directory of the run (the wizard
writes absolute paths).
Model options are checked against the architecture's own table (``genoview.core.training.options``).
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from genoview.core.errors import GenoViewInputError

SPEC_VERSION = 2   # 2: several genomes (data.genomes with roles, split method "genomes"); 1 held one genome
VALIDATION_METRICS = ("mcc", "roc_auc", "accuracy", "f1", "loss")  # gene models; a masked LM has only loss
LABELLING_METHODS = ("majority", "all", "any")
CLASS_WEIGHTING = ("none", "balanced")
SPLIT_METHODS = ("fraction", "sequences", "genomes")
GENOME_ROLES = ("train", "validation", "test")
SECTIONS = ("data", "split", "task", "model", "hyperparameters", "seed", "run")

# settings a resumed run may change without changing what it computes
RESUMABLE_CHANGES = frozenset({"resume", "max_minutes", "keep_checkpoints", "num_threads", "log_every"})


def _setting(default: Any, section: str, kind: str, help: str, *, minimum: float | None = None,
             maximum: float | None = None, choices: tuple | None = None, key: str | None = None,
             label: str | None = None):
    """A TrainingSpec field with its declared type (``kind``), range or choices, spec-file section and help."""
    meta = {"section": section, "type": kind, "help": help, "min": minimum, "max": maximum, "choices": choices,
            "key": key, "label": label}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class TrainingSpec:
    """Data, split, task, model, optimisation settings and seed of one training run (all optional but the data).

    Coordinates of the split are fractions of each sequence (``int(length * fraction)``, as
    ``score_track.py`` does). The validation slice is the last ``valid_fraction`` of the training part
    (or the ``valid_seqids``), never the test part. ``epochs=None`` trains until ``max_minutes``,
    ``max_steps`` or early stopping (``patience``) ends the run.
    """

    architecture: str = _setting("genecnn", "model", "str", "which model to train (genoview train --help lists them)")
    fasta: str | None = _setting(None, "data", "path", "genome FASTA (.gz/bgzip) or GenBank (null: "
                                "none yet; a run needs it, or genomes)")
    annotation: str | None = _setting(None, "data", "path", "GFF3/GTF/GenBank annotation with the true genes "
                                     "(labels; null: the genome file's own features, as a GenBank file's)")
    genomes: list[dict] = _setting([], "data", "list[genome]",
                                   "genomes with their annotation, each {fasta, annotation, role}; role (train, "
                                   "validation or test) is used by split=genomes; fasta/annotation are the first")
    feature_types: list[str] = _setting(["gene", "pseudogene"], "data", "list[str]",
                                        "annotation feature types that count as genic (positive)")
    seqids: list[str] | None = _setting(None, "data", "list[str]", "sequences to use (null: all)")
    split: str = _setting("fraction", "split", "str", "split by fractions of each sequence, by held-out sequences "
                          "or by held-out genomes (each genome's role)",
                          choices=SPLIT_METHODS, key="method")
    train_from: float = _setting(0.0, "split", "float", "training part start (fraction of each sequence)",
                                 minimum=0.0, maximum=1.0)
    train_to: float = _setting(0.7, "split", "float", "training part end (fraction of each sequence)",
                               minimum=0.0, maximum=1.0)
    valid_fraction: float = _setting(0.1, "split", "float", "last fraction of the training part kept for "
                                     "validation (chooses the best checkpoint and the threshold)",
                                     minimum=0.0, maximum=0.99)
    test_from: float = _setting(0.7, "split", "float", "test part start (fraction of each sequence)",
                                minimum=0.0, maximum=1.0)
    test_to: float = _setting(1.0, "split", "float", "test part end (fraction of each sequence)",
                              minimum=0.0, maximum=1.0)
    valid_seqids: list[str] = _setting([], "split", "list[str]", "sequences held out for validation (split=sequences)")
    test_seqids: list[str] = _setting([], "split", "list[str]", "sequences held out for testing (split=sequences)")
    window: int | None = _setting(None, "task", "int", "bases per training window (its labelled centre); "
                                  "null: the architecture's default", minimum=1)
    context: int | None = _setting(None, "task", "int", "bases of flank on each side of a window (null: "
                                   "the model's own, 2,143 for GeneCNN: its orf_reach option, 2,000 by default, "
                                   "plus its convolutions' reach, 143 by default; a fine-tune's parent's). "
                                   "GeneCNN: a number sets orf_reach, and the flank is that plus the convolutions' "
                                   "reach", minimum=0)
    k: int | None = _setting(None, "task", "int", "k-mer size (k-mer models; null: 6, or a fine-tune's "
                             "parent's)",
                             minimum=1, maximum=8)
    labelling: str = _setting("majority", "task", "str", "window label for window classifiers: majority, all or "
                              "any of its bases genic", choices=LABELLING_METHODS)
    init_from: str | None = _setting(None, "model", "path", "start from this model (name or folder) instead of "
                                     "random weights: fine-tuning (null: random weights, a model from scratch)",
                                     key="init")
    model_options: dict[str, Any] = _setting({}, "model", "dict", "architecture settings, checked against the "
                                             "architecture's option table (genoview train --list-options)",
                                             key="options")
    epochs: float | None = _setting(1.0, "hyperparameters", "float", "passes over the training windows; null: no "
                                    "bound (max_minutes, max_steps or patience ends the run)", minimum=0.0)
    windows_per_epoch: int | None = _setting(None, "hyperparameters", "int", "random training windows per epoch "
                                             "(null: the training part's length / window)", minimum=1)
    max_steps: int | None = _setting(None, "hyperparameters", "int", "stop after this many optimiser steps "
                                     "(null: no step limit)",
                                     minimum=1)
    batch_size: int = _setting(16, "hyperparameters", "int", "windows per optimiser step", minimum=1, maximum=4096)
    learning_rate: float = _setting(2e-3, "hyperparameters", "float", "peak learning rate (AdamW), above 0",
                                    minimum=0.0, maximum=1.0)
    weight_decay: float = _setting(0.01, "hyperparameters", "float", "AdamW weight decay", minimum=0.0, maximum=1.0)
    warmup_fraction: float = _setting(0.05, "hyperparameters", "float", "fraction of the run spent warming the "
                                      "learning rate up", minimum=0.0, maximum=0.99)
    grad_clip: float = _setting(1.0, "hyperparameters", "float", "clip the gradient norm to this (0: off)",
                                minimum=0.0)
    class_weighting: str = _setting("none", "hyperparameters", "str", "balanced: weigh genic and non-genic bases "
                                    "equally in the loss", choices=CLASS_WEIGHTING)
    patience: int | None = _setting(None, "hyperparameters", "int", "stop after this many evaluations without "
                                    "improvement (null: never)", minimum=1)
    eval_every: int | None = _setting(None, "hyperparameters", "int", "evaluate every N steps (null: once per "
                                      "epoch)", minimum=1)
    eval_windows: int | None = _setting(None, "hyperparameters", "int", "at most this many validation windows "
                                        "(null: all of them)",
                                        minimum=1)
    metric: str | None = _setting(None, "hyperparameters", "str", "validation metric that picks the best model "
                                  "and drives patience (null: mcc, or loss for language models)",
                                  choices=VALIDATION_METRICS, label="validation metric")
    max_minutes: float | None = _setting(None, "hyperparameters", "float", "wall-clock bound on training; the best "
                                         "model so far is kept (null: no time limit)", minimum=0.0)
    seed: int = _setting(1, "seed", "int", "seed of every random choice: same seed and data, same weights on CPU",
                         minimum=0)
    resume: bool = _setting(False, "run", "bool", "continue from the newest checkpoint of an unfinished run")
    keep_checkpoints: int = _setting(2, "run", "int", "checkpoints kept while training", minimum=1)
    num_threads: int | None = _setting(None, "run", "int", "CPU threads (null: all cores)", minimum=1)
    log_every: int = _setting(20, "run", "int", "log the training loss every N steps", minimum=1)

    def __post_init__(self) -> None:
        self._sync_genomes()
        self.validate()

    def _sync_genomes(self) -> None:
        """``genomes`` is the list; ``fasta``/``annotation`` name its first genome (older specs held only those)."""
        if not isinstance(self.genomes, (list, tuple)):
            return   # validate() names the type error
        genomes = [_genome_entry(g) for g in self.genomes]
        if not genomes and self.fasta:
            genomes = [{"fasta": self.fasta, "annotation": self.annotation, "role": "train"}]
        elif genomes:
            first = genomes[0]
            if self.fasta is not None and (self.fasta != first["fasta"] or
                                           (self.annotation is not None and self.annotation != first["annotation"])):
                raise GenoViewInputError(f"fasta {self.fasta!r} is not the first of the genomes listed "
                                         f"({first['fasta']!r}); give the genomes list or fasta/annotation, not both")
            self.fasta, self.annotation = first["fasta"], first["annotation"]
        self.genomes = genomes

    def genome_roles(self) -> dict[str, list[int]]:
        """Indexes of the genomes per role (split=genomes)."""
        out: dict[str, list[int]] = {role: [] for role in GENOME_ROLES}
        for i, g in enumerate(self.genomes):
            out[g.get("role", "train")].append(i)
        return out

    def validate(self) -> None:
        """Raise GenoViewInputError naming the setting that cannot work, and what would."""
        def bad(message: str) -> None:
            raise GenoViewInputError(message)

        for f in fields(self):
            _check_value(f.name, getattr(self, f.name), f.metadata)
        if not 0.0 <= self.train_from < self.train_to <= 1.0:
            bad(f"training part {self.train_from}..{self.train_to} is empty or outside 0..1; use e.g. 0 to 0.7")
        if not self.test_from <= self.test_to:
            bad(f"test part {self.test_from}..{self.test_to} ends before it starts")
        if self.epochs is not None and self.epochs <= 0 and not self.max_steps:
            bad("epochs must be positive (or give max_steps)")
        if self.epochs is None and not (self.max_minutes or self.max_steps or self.patience):
            bad("epochs is unbounded (null): give max_minutes, max_steps or patience so the run can end")
        if self.learning_rate <= 0:
            bad(f"learning rate {self.learning_rate} must be positive")
        if self.max_minutes is not None and self.max_minutes <= 0:
            bad(f"max minutes {self.max_minutes} must be positive (or unset)")
        fastas = [g["fasta"] for g in self.genomes]
        if len(set(fastas)) < len(fastas):
            bad("a genome is listed twice; list each FASTA once")
        if self.split == "genomes":
            roles = self.genome_roles()
            if not roles["train"]:
                bad("split by genomes needs at least one genome with role train")
            if not roles["validation"] and not roles["test"] and len(self.genomes) < 2:
                bad("split by genomes needs a second genome held out (role validation or test); with one genome "
                    "split by fraction or by sequences")

    # ------------------------------------------------------------------ JSON
    def to_flat(self) -> dict[str, Any]:
        """One object of the field names (as ``genoview.json``'s training record holds it)."""
        return asdict(self)

    def to_json(self) -> dict[str, Any]:
        """The sectioned spec file (see the module docstring)."""
        out: dict[str, Any] = {"spec_version": SPEC_VERSION, "data": {"genomes": [], "split": {}}, "task": {},
                               "model": {}, "hyperparameters": {}, "run": {}}
        for f in fields(self):
            section, key = f.metadata["section"], f.metadata["key"] or f.name
            value = getattr(self, f.name)
            if f.name in ("fasta", "annotation", "genomes"):
                continue
            if section == "seed":
                out["seed"] = value
            elif section == "split":
                out["data"]["split"][key] = value
            else:
                out[section][key] = value
        out["data"]["genomes"] = [dict(g) for g in self.genomes]
        if not self.genomes and self.annotation:
            out["data"]["genomes"] = [{"fasta": None, "annotation": self.annotation, "role": "train"}]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TrainingSpec":
        """Build from a sectioned or a flat dict; unknown keys are an error naming them (typos never pass)."""
        if not isinstance(data, dict):
            raise GenoViewInputError("a training spec is a JSON object with data, task, model, hyperparameters "
                                     "and seed")
        if not any(isinstance(data.get(s), dict) for s in ("data", "task", "model", "hyperparameters", "run")):
            known = {f.name for f in fields(cls)}
            unknown = sorted(set(data) - known)
            if unknown:
                raise GenoViewInputError(f"unknown training setting(s): {', '.join(unknown)}; known: "
                                         f"{', '.join(sorted(known))}")
            return cls(**data)
        return cls(**_flatten(data))

    def save(self, path: str | os.PathLike) -> None:
        """Write the sectioned spec file atomically."""
        from genoview.core.io.atomic import write_atomically

        text = json.dumps(self.to_json(), indent=1) + "\n"
        write_atomically(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))   # no temporary file left

    @classmethod
    def load(cls, path: str | os.PathLike) -> "TrainingSpec":
        """The spec in a file; settings the file leaves out take TrainingSpec's defaults."""
        return cls(**cls.read_settings(path))

    @classmethod
    def read_settings(cls, path: str | os.PathLike) -> dict[str, Any]:
        """The settings a spec file gives (field name -> value), checked; the CLI lays them over the
        architecture's defaults, so a short hand-written spec trains with the architecture's own settings."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise GenoViewInputError(f"cannot read the training spec: {exc.strerror or exc}", path) from exc
        except json.JSONDecodeError as exc:
            raise GenoViewInputError(f"not valid JSON ({exc.msg})", path, exc.lineno) from exc
        try:
            cls.from_json(data)
            if not isinstance(data, dict) or not any(isinstance(data.get(s), dict)
                                                     for s in ("data", "task", "model", "hyperparameters", "run")):
                return dict(data)
            return _flatten(data)
        except GenoViewInputError as exc:
            raise GenoViewInputError(exc.reason, path) from None

    def differences(self, other: "TrainingSpec", ignore=RESUMABLE_CHANGES) -> list[str]:
        """Names of the settings (outside ``ignore``) whose values differ, as ``name: a -> b``."""
        out = []
        for f in fields(self):
            if f.name in ignore:
                continue
            a, b = getattr(other, f.name), getattr(self, f.name)
            if _normal(a) != _normal(b):
                out.append(f"{f.name}: {json.dumps(_normal(a))} -> {json.dumps(_normal(b))}")
        return out


def _normal(value: Any) -> Any:
    """Values as JSON holds them (tuples are lists, 1 == 1.0), to compare a spec with a saved one."""
    return json.loads(json.dumps(value))


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """Sectioned spec -> keyword arguments of TrainingSpec, refusing unknown keys with their section."""
    version = data.get("spec_version", SPEC_VERSION)
    if not isinstance(version, int) or version > SPEC_VERSION:
        raise GenoViewInputError(f"spec_version {version!r} is newer than this GenoView reads ({SPEC_VERSION}); "
                                 "update GenoView")
    by_place: dict[tuple[str, str], str] = {}
    for f in fields(TrainingSpec):
        section, key = f.metadata["section"], f.metadata["key"] or f.name
        if f.name in ("fasta", "annotation", "genomes"):
            continue
        by_place[("data.split" if section == "split" else section, key)] = f.name
    out: dict[str, Any] = {}
    unknown: list[str] = []
    for top, value in data.items():
        if top == "spec_version":
            continue
        if top == "seed":
            out["seed"] = value
            continue
        if top not in ("data", "task", "model", "hyperparameters", "run") or not isinstance(value, dict):
            unknown.append(top)
            continue
        for key, item in value.items():
            if top == "data" and key == "genomes":
                out.update(_genome(item))
            elif top == "data" and key == "split":
                if not isinstance(item, dict):
                    raise GenoViewInputError('data.split must be an object such as {"method": "fraction", '
                                             '"train_from": 0, "train_to": 0.7}')
                for split_key, split_value in item.items():
                    name = by_place.get(("data.split", split_key))
                    if name is None:
                        unknown.append(f"data.split.{split_key}")
                    else:
                        out[name] = split_value
            elif (top, key) in by_place:
                out[by_place[(top, key)]] = item
            else:
                unknown.append(f"{top}.{key}")
    if unknown:
        raise GenoViewInputError(f"unknown training setting(s): {', '.join(unknown)}; the sections are data "
                                 "(genomes, feature_types, seqids, split), task, model, hyperparameters, seed, run")
    return out


def _genome(genomes: Any) -> dict[str, Any]:
    """data.genomes of a spec file (version 1: one genome without a role; version 2: any number, with roles)."""
    if not isinstance(genomes, list) or not all(isinstance(g, dict) for g in genomes):
        raise GenoViewInputError('data.genomes must be a list such as [{"fasta": "g.fa", "annotation": "g.gff3"}]')
    if not genomes:
        return {}
    if len(genomes) == 1 and not genomes[0].get("fasta"):   # an annotation without a genome (yet)
        return {"annotation": genomes[0].get("annotation")}
    return {"genomes": [_genome_entry(g) for g in genomes]}


def _genome_entry(entry: Any) -> dict[str, Any]:
    """One genome {fasta, annotation, role}, checked (role defaults to train)."""
    if not isinstance(entry, dict):
        raise GenoViewInputError(f"a genome is an object {{fasta, annotation, role}}, not {entry!r}")
    unknown = sorted(set(entry) - {"fasta", "annotation", "role"})
    if unknown:
        raise GenoViewInputError(f"unknown genome setting(s) {', '.join(unknown)}; a genome has fasta, annotation "
                                 "and role")
    fasta, annotation, role = entry.get("fasta"), entry.get("annotation"), entry.get("role") or "train"
    if not isinstance(fasta, str) or not fasta:
        raise GenoViewInputError(f"a genome needs its fasta (a file path), got {fasta!r}")
    if annotation is not None and not isinstance(annotation, str):
        raise GenoViewInputError(f"a genome's annotation is a file path, got {annotation!r}")
    if role not in GENOME_ROLES:
        raise GenoViewInputError(f"genome role {role!r} is unknown; use one of {', '.join(GENOME_ROLES)}")
    return {"fasta": fasta, "annotation": annotation, "role": role}


_TYPE_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "text",
               "path": "a file or folder path", "list[str]": "a list of text", "list[int]": "a list of whole numbers",
               "dict": "an object", "list[genome]": "a list of {fasta, annotation, role} objects"}


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("str", "path"):
        return isinstance(value, str)
    if kind == "list[str]":
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    if kind == "list[int]":
        return isinstance(value, (list, tuple)) and all(_type_ok("int", v) for v in value)
    if kind == "dict":
        return isinstance(value, dict)
    if kind == "list[genome]":
        return isinstance(value, (list, tuple)) and all(isinstance(v, dict) for v in value)
    return True


def _check_value(name: str, value: Any, meta) -> None:
    """Type, range and choices of one declared setting (None means 'unset' where the default is None)."""
    if value is None:
        return
    kind = meta.get("type")
    if not _type_ok(kind, value):
        raise GenoViewInputError(f"setting {name} is {json.dumps(value, default=str)}; expected "
                                 f"{_TYPE_WORDS.get(kind, kind)}")
    choices, lo, hi = meta.get("choices"), meta.get("min"), meta.get("max")
    name = meta.get("label") or name
    if choices and value not in choices:
        raise GenoViewInputError(f"{name} {value!r} is unknown; use one of {', '.join(map(str, choices))}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        allowed = f"{lo} to {hi}" if lo is not None and hi is not None else (f">= {lo}" if lo is not None else f"<= {hi}")
        raise GenoViewInputError(f"{name} {value} is out of range; allowed: {allowed}")


def spec_schema() -> list[dict[str, Any]]:
    """Every setting of a spec for a form: name, section, key in the file, type, default, min, max, choices, help."""
    out = []
    for f in fields(TrainingSpec):
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        meta = dict(f.metadata)
        out.append({"name": f.name, "section": meta["section"], "key": meta["key"] or f.name, "type": meta["type"],
                    "default": default, "min": meta["min"], "max": meta["max"],
                    "choices": list(meta["choices"]) if meta["choices"] else None, "help": meta["help"]})
    return out
