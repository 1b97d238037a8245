"""How `genoview train --architecture kmer-bert` builds its runs (registered on import).

Two stages, chosen by ``spec.model_options["stage"]`` (the CLI's ``--stage``):

* ``pretrain``: a fresh BertForMaskedLM learns the genome by DNABERT's k-mer span masking.
* ``finetune``: a gene head on a pre-trained encoder (``spec.init_from``: GenoView's pre-training
  output or a downloaded DNABERT directory), or on a fresh one. ``model_options["task"]`` picks
  ``tokens`` (BertForTokenClassification, every k-mer labelled by its centre base) or ``windows``
  (BertForSequenceClassification on ``spec.window``-base windows labelled by ``spec.labelling``).
  Per-token models learn ``labels=genic`` (2 classes) or ``labels=frame``: 8 classes that also say the
  strand and codon position of CDS bases (``CODING_FRAME_CLASSES``). The gene track is the same either
  way, P(genic) = 1 - P(class 0), unless ``frame_window`` (default :data:`FRAME_WINDOW` bases) decodes it
  from reading-frame-consistent evidence. The frame classes make reading frames part of what is learned,
  which a small k-mer BERT otherwise finds slowly (see models/kmer-bert-ecoli/README.md).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from torch.utils.data import ConcatDataset, Subset

from genoview.core.errors import GenoViewInputError
from genoview.core.models.kmer_bert.data import FineTuneCollator, MaskedLMWindows, TokenLabelWindows, WindowLabelSet
from genoview.core.models.kmer_bert.masking import IGNORE_INDEX, SpanMaskingCollator
from genoview.core.models.kmer_bert.modeling import (
    ARCHITECTURE, DNABERT_WINDOW, TASK_MASKED_LM, TASK_TOKENS, TASK_WINDOWS, DNAKmerTokenizer,
    build_config, genic_probability, load_hf_model, load_track_model, model_class, uses_phase_types, with_phase_types,
)
from genoview.core.models.kmer_bert.tokenization_kmer import VOCAB_FILE, KmerVocab
from genoview.core.training.architectures import Architecture, PreparedRun, register_architecture
from genoview.core.training.options import ModelOption, check_options, register_options
from genoview.core.genome import CODING_FRAME_CLASSES, CODING_FRAME_REVERSE
from genoview.core.training.datasets import positive_fraction

STAGES = ("pretrain", "finetune")
TASKS = {"tokens": TASK_TOKENS, "windows": TASK_WINDOWS}
LABELS = {"genic": ("non-genic", "genic"), "frame": CODING_FRAME_CLASSES}
# bases over which a frame model's reading-frame evidence is averaged (KmerBertTrackModel._frame_decoded) at
# first; the runner then picks the window among FRAME_WINDOW_CHOICES on the validation slice (61 for the
# shipped E. coli model); frame_window=0 turns the decoder off
FRAME_WINDOW = 61
SHAPE_OPTIONS = {"hidden_size": 128, "num_layers": 4, "num_heads": 4, "intermediate_size": None,
                 "max_tokens": 512, "dropout": 0.1, "phase_types": False}
DEFAULT_K = 6  # not in DEFAULTS: a fine-tuning run takes k from its initial model
DEFAULTS = {
    "epochs": 1.0, "batch_size": 16, "learning_rate": 5e-4, "weight_decay": 0.01,
    "warmup_fraction": 0.05, "eval_every": 100, "eval_windows": 64, "log_every": 10,
}


OPTIONS = (
    ModelOption("stage", "str", "finetune", "pretrain: masked-LM pre-training on the genome; finetune: a gene head",
                choices=STAGES),
    ModelOption("task", "str", "tokens", "tokens: every k-mer labelled by its centre base; windows: one label per "
                "window (--window, --labelling)", choices=tuple(TASKS)),
    ModelOption("labels", "str", "genic", "genic (2 classes) or frame (8 classes: strand and codon position of CDS "
                "bases; needs CDS features)", choices=tuple(LABELS)),
    ModelOption("frame_window", "int", FRAME_WINDOW, "bases over which a frame model's reading-frame evidence is "
                "averaged (0: off; the runner then picks it on the validation slice)", 0, 2001),
    ModelOption("reverse_complement", "bool", False, "also train on the reverse complement of every window"),
    ModelOption("mlm_probability", "float", 0.15, "fraction of k-mer positions masked in pre-training", 0.01, 0.5),
    ModelOption("hidden_size", "int", 128, "width of the encoder", 8, 2048),
    ModelOption("num_layers", "int", 4, "encoder layers", 1, 48),
    ModelOption("num_heads", "int", 4, "attention heads (must divide hidden_size)", 1, 64),
    ModelOption("intermediate_size", "int", None, "feed-forward width (default 4 x hidden_size)", 8, 16384),
    ModelOption("max_tokens", "int", 512, "tokens per window (positions of the encoder)", 16, 512),
    ModelOption("dropout", "float", 0.1, "dropout of the encoder", 0.0, 0.9),
    ModelOption("phase_types", "bool", False, "codon-phase token types (token_type_ids 0/1/2 by position mod 3)"),
)


def _options(spec) -> dict[str, Any]:
    options = {"stage": "finetune", "task": "tokens", "labels": "genic", "frame_window": FRAME_WINDOW,
               "reverse_complement": False, "mlm_probability": 0.15, **SHAPE_OPTIONS,
               **check_options(ARCHITECTURE, dict(spec.model_options))}
    if options["stage"] not in STAGES:
        raise GenoViewInputError(f"kmer-bert stage {options['stage']!r} is unknown; use pretrain or finetune")
    if options["task"] not in TASKS:
        raise GenoViewInputError(f"kmer-bert task {options['task']!r} is unknown; use tokens or windows")
    if options["labels"] not in LABELS:
        raise GenoViewInputError(f"kmer-bert labels {options['labels']!r} are unknown; use genic or frame")
    if options["labels"] == "frame" and options["task"] != "tokens":
        raise GenoViewInputError("kmer-bert labels=frame needs per-token labels (task=tokens)")
    return options


def _concat(datasets: list):
    datasets = [d for d in datasets if len(d)]
    return ConcatDataset(datasets) if datasets else None


def _limit(dataset, limit: int | None):
    """At most ``limit`` items spread evenly (keeps validation quick)."""
    if dataset is None or limit is None or len(dataset) <= limit:
        return dataset
    return Subset(dataset, np.linspace(0, len(dataset) - 1, limit).round().astype(int).tolist())


def genic_metrics(logits: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Validation MCC, accuracy, F1 and ROC AUC of genic (any class but 0; threshold 0.5) over labelled positions."""
    from genoview.core.evaluation import evaluate

    genic = genic_probability(logits)
    keep = labels != IGNORE_INDEX
    report = evaluate(labels[keep] > 0, genic[keep])
    return {"mcc": report.mcc, "accuracy": report.accuracy, "f1": report.f1, "roc_auc": report.roc_auc}


def _balanced_loss(genic_fraction: float, num_labels: int = 2):
    """Cross-entropy weighting genic (all classes but 0) and non-genic positions equally overall."""
    import torch

    weight = torch.full((num_labels,), 0.5 / max(genic_fraction, 1e-6))
    weight[0] = 0.5 / max(1.0 - genic_fraction, 1e-6)

    def compute_loss(model, batch):
        outputs = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                        **({"token_type_ids": batch["token_type_ids"]} if "token_type_ids" in batch else {}))
        logits = outputs.logits.reshape(-1, num_labels)
        loss = torch.nn.functional.cross_entropy(logits, batch["labels"].reshape(-1), weight=weight.to(logits.device),
                                                 ignore_index=IGNORE_INDEX)
        return loss, outputs
    return compute_loss


def _save_tokenizer(vocab: KmerVocab, max_tokens: int):
    def save_extra(directory: Path) -> None:
        vocab.write(Path(directory) / VOCAB_FILE)
        DNAKmerTokenizer(str(Path(directory) / VOCAB_FILE), model_max_length=max_tokens).save_pretrained(directory)
    return save_extra


def _model(spec, options: dict[str, Any], task: str):
    """(model, vocab): from ``spec.init_from`` (new head if its task differs) or freshly initialised."""
    names = LABELS[options["labels"]]
    labels = {} if task == TASK_MASKED_LM else {"num_labels": len(names), "id2label": dict(enumerate(names)),
                                                "label2id": {name: i for i, name in enumerate(names)}}
    if spec.init_from:
        shape = sorted(set(spec.model_options) & set(SHAPE_OPTIONS))
        if shape:
            raise GenoViewInputError(f"fine-tuning keeps the shape of {spec.init_from}; drop the model option(s) "
                                     f"{', '.join(shape)} (or train from scratch without --init)")
        model, vocab, _ = load_hf_model(spec.init_from, task=task, **labels)
        if spec.k and spec.k != vocab.k:
            raise GenoViewInputError(f"--k {spec.k} differs from the {vocab.k}-mers of the initial model; drop --k",
                                     spec.init_from)
        return model, vocab
    vocab = KmerVocab.for_k(int(spec.k or DEFAULT_K))
    shape = {key: options[key] for key in SHAPE_OPTIONS}
    config = build_config(vocab, **shape)
    if labels:
        config.num_labels = labels["num_labels"]  # sets id2label/label2id to LABEL_i; named below
        config.id2label, config.label2id = labels["id2label"], labels["label2id"]
    return model_class(task)(config), vocab


def prepare(spec, genome, tracks, split) -> PreparedRun:
    """Model, datasets and hooks for one kmer-bert stage (see the module docstring)."""
    options = _options(spec)
    stage = options["stage"]
    task = TASK_MASKED_LM if stage == "pretrain" else TASKS[options["task"]]
    model, vocab = _model(spec, options, task)
    max_tokens = min(int(model.config.max_position_embeddings), 512)
    n_tokens = max_tokens - 2
    offset = spec.seed % (n_tokens // 2)
    settings: dict[str, Any] = {"k": vocab.k, "stage": stage, "max_tokens": max_tokens}

    if options["labels"] == "frame" and task == TASK_TOKENS:
        classes = {seqid: genome.coding_frame_classes(seqid, genic) for seqid, (_, genic) in tracks.items()}
        if not any(classes[r.seqid][r.start:r.end].max(initial=0) > 1 for r in split.train):
            raise GenoViewInputError("labels=frame needs CDS features in the training part; the annotation has none "
                                     "there (use labels=genic)", spec.annotation or spec.fasta)
        settings["labels"] = "frame"
        if int(options["frame_window"]) > 0:
            settings["frame_window"] = int(options["frame_window"]) // 2 * 2 + 1
            settings["both_strands"] = True   # decode the reverse complement too (strand-symmetric track)
    else:
        classes = {seqid: genic for seqid, (_, genic) in tracks.items()}

    def region_sets(regions, make):
        return _concat([make(tracks[r.seqid][0][r.start:r.end], classes[r.seqid][r.start:r.end]) for r in regions])

    compute_metrics = compute_loss = load = None
    if task == TASK_MASKED_LM:
        settings["mlm_probability"] = options["mlm_probability"]
        make = lambda codes, labels: MaskedLMWindows(codes, vocab, n_tokens, stride=n_tokens // 2, offset=offset)
        collate = SpanMaskingCollator(vocab, options["mlm_probability"], seed=spec.seed)
    elif task == TASK_TOKENS:
        reverse = None
        if options["reverse_complement"]:   # train on both strands: labels map to the other strand's
            reverse = CODING_FRAME_REVERSE if options["labels"] == "frame" else np.arange(2)
            settings["reverse_complement"] = True
        make = lambda codes, labels: TokenLabelWindows(codes, labels, vocab, n_tokens, stride=n_tokens // 2,
                                                       offset=offset, reverse_complement=reverse)
        collate, compute_metrics, load = FineTuneCollator(vocab.pad_id), genic_metrics, load_track_model
    else:
        window = int(spec.window or DNABERT_WINDOW)
        stride = max(1, window // 3)
        settings.update(window=window, stride=max(1, window // 5), window_rule=spec.labelling)
        make = lambda codes, labels: WindowLabelSet(codes, labels, vocab, window, stride=stride,
                                                    rule=spec.labelling, offset=spec.seed % stride)
        collate, compute_metrics, load = FineTuneCollator(vocab.pad_id), genic_metrics, load_track_model
    if uses_phase_types(model.config):
        collate = with_phase_types(collate)
    train = region_sets(split.train, make)
    if train is None:
        raise GenoViewInputError(f"no training region holds one {n_tokens}-token window; widen the training part")
    valid = _limit(region_sets(split.valid, make), spec.eval_windows)
    if task != TASK_MASKED_LM and spec.class_weighting == "balanced":
        compute_loss = _balanced_loss(positive_fraction(tracks, split.train), int(model.config.num_labels))
    description = ("k-mer BERT (DNABERT-style) pre-trained by masked LM with k-mer span masking" if task == TASK_MASKED_LM
                   else f"k-mer BERT (DNABERT-style) fine-tuned for gene {'per-token labels' if task == TASK_TOKENS else 'window classification'}")
    return PreparedRun(
        model=model, train_dataset=train, eval_dataset=valid, task=task, compute_metrics=compute_metrics,
        collate_fn=collate, compute_loss=compute_loss, save_extra=_save_tokenizer(vocab, max_tokens),
        load_track_model=load, metadata={"description": f"{description}, {vocab.k}-mers.", "kmer_bert": settings},
    )


register_options(ARCHITECTURE, OPTIONS)
register_architecture(Architecture(
    name=ARCHITECTURE,
    description="DNABERT-style k-mer BERT: masked-LM pre-training (--stage pretrain), gene fine-tuning (--stage finetune).",
    prepare=prepare,
    defaults=DEFAULTS,
))
