"""What the training wizard computes without Qt: presets, the data preview and a timed probe of a spec.

The probe runs a few real training steps of the spec's model on its data (in a child process started by
the wizard: ``python -m genoview.core.training_plan probe SPEC.json``) and extrapolates the time and
memory of the whole run from them, so the estimate is measured on this machine, not guessed.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import sys
import time
from typing import Any

from genoview.core.errors import GenoViewInputError
from genoview.core.training.spec import TrainingSpec

# Hyperparameter presets: spec fields (and model options) by preset, per architecture where they differ.
PRESETS: dict[str, dict[str, Any]] = {
    "Fast CPU": {
        "help": "GeneCNN on 4 kb windows, bounded by 600 steps (same seed, same weights): a few minutes on a 2-core CPU "
                "for a bacterial genome",
        "architecture": "genecnn",
        "spec": {"window": 4000, "batch_size": 4, "learning_rate": 3e-3, "epochs": None, "max_steps": 600,
                 "max_minutes": None, "eval_every": 50, "eval_windows": 40, "patience": 8, "warmup_fraction": 0.03,
                 "weight_decay": 0.01, "windows_per_epoch": None},
        "options": {},
    },
    "Thesis DNABERT": {
        "help": "The thesis's DNABERT fine-tuning: k 3, window 75, learning rate 5e-6, 3 epochs, dropout 0.06, "
                "weight decay 0.01, warm-up 0.06, batch 16",
        "architecture": "kmer-bert",
        "spec": {"k": 3, "window": 75, "learning_rate": 5e-6, "epochs": 3.0, "weight_decay": 0.01,
                 "warmup_fraction": 0.06, "batch_size": 16, "max_steps": None, "max_minutes": None,
                 "labelling": "majority"},
        "options": {"dropout": 0.06, "task": "windows"},
    },
    "GPU": {
        "help": "Larger batches and longer runs for a CUDA GPU: 3 epochs with early stopping",
        "architecture": None,
        "spec": {"batch_size": 32, "epochs": 3.0, "max_steps": None, "max_minutes": None, "patience": 6,
                 "learning_rate": 1e-3},
        "options": {},
        "by_architecture": {"genecnn": {"window": 12000, "eval_every": 100, "eval_windows": 60},
                            "kmer-bert": {"batch_size": 64, "learning_rate": 1e-4, "eval_every": 200}},
    },
}

# size presets of a model trained from scratch (model options)
SIZES: dict[str, dict[str, dict[str, Any]]] = {
    "genecnn": {"tiny": {"hidden_size": 8, "dilations": [1, 3, 9]}, "small": {"hidden_size": 16},
                "base": {"hidden_size": 32}, "large": {"hidden_size": 64}},
    "kmer-bert": {"tiny": {"hidden_size": 32, "num_layers": 2, "num_heads": 2},
                  "small": {"hidden_size": 128, "num_layers": 4, "num_heads": 4},
                  "base": {"hidden_size": 768, "num_layers": 12, "num_heads": 12}},
}


def preset_values(name: str, architecture: str | None) -> tuple[str | None, dict[str, Any], dict[str, Any]]:
    """(architecture the preset asks for or None, spec fields, model options) of a preset."""
    preset = PRESETS[name]
    spec = dict(preset["spec"])
    spec.update(preset.get("by_architecture", {}).get(preset["architecture"] or architecture or "", {}))
    return preset["architecture"], spec, dict(preset["options"])


# ------------------------------------------------------------------------------------------ data preview
def data_preview(spec: TrainingSpec, progress=None, cancel=None) -> dict[str, Any]:
    """Sequences, positive (genic) fraction per part and the number of windows per part of a spec's data."""
    from genoview.core.training.datasets import load_tracks, open_training_genomes, positive_fraction, split_regions

    if not spec.fasta:
        raise GenoViewInputError("choose a genome (FASTA or GenBank) first")
    genome = open_training_genomes(spec)
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    split = split_regions(lengths, spec, genome.parts)
    used = [r.seqid for r in split.train + split.valid + split.test]
    if cancel is not None:
        cancel.check()
    tracks = load_tracks(genome, used, spec.feature_types)
    from genoview.core.training.architectures import window_need
    from genoview.core.training.datasets import tiled_starts, window_that_fits

    try:
        need = window_need(spec)   # the run's own (window, context): the Review page's probe and `train` build it so
    except GenoViewInputError:   # an architecture or parent model not chosen yet (the Model page comes later)
        need = None
    window, context = need if need is not None else (int(spec.window or 4000), 0)
    out: dict[str, Any] = {"sequences": len(lengths), "seqids": list(lengths), "bases": sum(lengths.values()), "window": window,
                           "context": context, "window_bases": window + 2 * context,
                           "feature_types": genome.features.count_by_type() if genome.features else {},
                           "genomes": [{"name": name, "sequences": len(keys), "role": role,
                                        "bases": sum(lengths[k] for k in keys)} for name, keys, role in genome.parts]}
    for part in ("train", "valid", "test"):
        regions = getattr(split, part)
        out[part] = {"bases": sum(r.length for r in regions), "windows": len(tiled_starts(regions, window, context)),
                     "positive_fraction": round(positive_fraction(tracks, regions), 4) if regions else None}
    out["valid_too_short"] = None   # the words the Review page's probe and `genoview train` refuse such a part with
    # what would fit instead (the wizard's one-click fixes): the largest window, by 100s, whose window and context fit
    # the longest validation stretch (no_validation_window_message's figure), and the smallest validation fraction
    out["window_fits"] = out["fraction_fits"] = None
    if out["valid"]["bases"] and not out["valid"]["windows"]:
        from types import SimpleNamespace

        out["valid_too_short"] = valid_window_refusal(spec, lengths, genome.parts, split,
                                                      SimpleNamespace(chunk=window, context=context), wizard=True)
        out["window_fits"] = window_that_fits(max((r.length for r in split.valid), default=0), context)
        out["fraction_fits"] = fraction_that_fits(spec, lengths, genome.parts, window + 2 * context)
    return out


def valid_window_refusal(spec: TrainingSpec, lengths: dict[str, int], parts, split, dataset, *,
                         wizard: bool = False) -> str:
    """The words `genoview train` and the Review page's probe refuse a validation part without one whole window
    with: the data page's (no_validation_window_message), with the smallest --valid-fraction that fits when the
    dataset says its window and context (the CLI said only "raise --valid-fraction" while the wizard named 0.12)."""
    from genoview.core.training.datasets import no_validation_window_message

    chunk, context = getattr(dataset, "chunk", None), getattr(dataset, "context", None)
    fits = fraction_that_fits(spec, lengths, parts, chunk + 2 * context) if chunk and context is not None else None
    return no_validation_window_message(split.valid, dataset, wizard=wizard, fraction_fits=fits)


def fraction_that_fits(spec: TrainingSpec, lengths: dict[str, int], parts, width: int) -> float | None:
    """The smallest validation fraction (2 decimals, at most 0.5) whose part of the longest sequence holds one
    window of ``width`` bases, by ``split_regions``' cut; None when the split is not by fraction or none fits."""
    import dataclasses
    import math

    from genoview.core.training.datasets import split_regions

    if spec.split == "sequences" or (spec.split == "genomes" and any(r == "validation" for _, _, r in parts or ())):
        return None
    longest = max(lengths.values(), default=0)
    guess = math.ceil(100 * width / longest) / 100 if longest else 1.0
    for hundredths in range(max(1, int(round(guess * 100)) - 1), 51):   # checked by the split itself (its rounding)
        try:
            split = split_regions(lengths, dataclasses.replace(spec, valid_fraction=hundredths / 100), parts)
        except GenoViewInputError:
            return None
        if any(r.length >= width for r in split.valid):
            return hundredths / 100
    return None


def parent_saw_test(spec: TrainingSpec) -> str:
    """A sentence when the model this run fine-tunes (``spec.init_from``) was trained or validated on bases this
    run tests on (its recorded split): the new model's test figures would flatter it; "" otherwise. Reads the
    genome: call it off the GUI thread."""
    if not spec.init_from:
        return ""
    from genoview.core.evaluation_scope import describe_part, model_parts
    from genoview.core.training.datasets import open_training_genomes, split_regions

    parts = model_parts(spec.init_from)
    if parts is None:
        return ""
    genome = open_training_genomes(spec)
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    split = split_regions(lengths, spec, genome.parts)
    seen, where = 0, []
    for region in split.test:
        if not parts.trained_on(region.seqid, lengths[region.seqid]):
            continue
        trained, validated = parts.seen(region.seqid, region.start, region.end)
        if trained + validated:
            seen += trained + validated
            where.append(f"{region.seqid} ({describe_part(region.start, region.end, lengths[region.seqid])})")
    if not seen:
        return ""
    total = sum(r.length for r in split.test)
    return (f"{parts.model} was trained or validated on {seen:,} of the {total:,} bases this run tests on "
            f"({', '.join(where[:3])}): the new model's test figures would flatter it. Test on bases "
            f"{parts.model} never saw: a later part of the sequence or a held-out genome.")


# ------------------------------------------------------------------------------------------ timed probe
def planned_steps(spec: TrainingSpec, train_windows: int) -> int | None:
    """Optimiser steps the run will take (None: bounded by time or early stopping only)."""
    per_epoch = max(1, train_windows // spec.batch_size) if train_windows >= spec.batch_size else 1
    if spec.max_steps:
        return int(spec.max_steps)
    if spec.epochs is not None:
        return int(math.ceil(spec.epochs * per_epoch))
    return None


def probe(spec: TrainingSpec, steps: int = 4, device: str | None = None) -> dict[str, Any]:
    """Time ``steps`` real training steps and one validation batch of ``spec``; extrapolate the whole run.

    Returns seconds for preparing, per step and per validation window, the planned steps and evaluations,
    the estimated total seconds and the peak memory (resident set) of the probing process.
    """
    import resource

    import torch

    from genoview.core.device import pick_device
    from genoview.core.training.architectures import get_architecture
    from genoview.core.training.datasets import (
        load_tracks,
        open_training_genomes,
        split_regions,
        wants_validation,
    )
    from genoview.core.training.loop import _default_loss, _to_device, apply_threads, set_seed
    from genoview.core.training.runner import _resolve_init

    started = time.monotonic()
    device = pick_device(device)
    apply_threads(spec.num_threads)
    architecture = get_architecture(spec.architecture)
    run_spec = _resolve_init(spec)
    genome = open_training_genomes(spec)
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    split = split_regions(lengths, spec, genome.parts)
    if spec.architecture == "geneorf":
        return _probe_geneorf(run_spec, spec, genome, split, started, device)
    tracks = load_tracks(genome, [r.seqid for r in split.train + split.valid + split.test], spec.feature_types)
    set_seed(spec.seed)
    prepared = architecture.prepare(run_spec, genome, tracks, split)
    if wants_validation(spec) and (prepared.eval_dataset is None or len(prepared.eval_dataset) == 0):
        raise GenoViewInputError(valid_window_refusal(spec, lengths, genome.parts, split, prepared.eval_dataset,
                                                      wizard=True), spec.fasta)
    prepare_seconds = time.monotonic() - started
    model = prepared.model.to(device)
    model.train()
    collate = prepared.collate_fn or torch.utils.data.default_collate
    loss_of = prepared.compute_loss or _default_loss
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=spec.learning_rate)
    n = len(prepared.train_dataset)
    timings = []
    for step in range(steps + 1):   # the first step warms caches up and is not counted
        t0 = time.monotonic()
        items = [prepared.train_dataset[(step * spec.batch_size + i) % n] for i in range(spec.batch_size)]
        loss, _ = loss_of(model, _to_device(collate(items), device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step:
            timings.append(time.monotonic() - t0)
    step_seconds = sorted(timings)[len(timings) // 2] if timings else 0.0
    eval_window_seconds = 0.0
    eval_windows = len(prepared.eval_dataset) if prepared.eval_dataset is not None else 0
    if eval_windows:
        model.eval()
        count = min(eval_windows, spec.batch_size)
        t0 = time.monotonic()
        with torch.inference_mode():
            loss_of(model, _to_device(collate([prepared.eval_dataset[i] for i in range(count)]), device))
        eval_window_seconds = (time.monotonic() - t0) / count
    total_steps = planned_steps(spec, n)
    per_epoch = max(1, n // spec.batch_size)
    evaluations = 0
    if total_steps is not None:
        evaluations = max(1, total_steps // (spec.eval_every or per_epoch))
    train_seconds = (total_steps or 0) * step_seconds
    if spec.max_minutes:
        train_seconds = min(train_seconds, 60 * spec.max_minutes) if total_steps else 60 * spec.max_minutes
        if not total_steps:
            evaluations = max(1, int(train_seconds / max(step_seconds, 1e-6)) // (spec.eval_every or per_epoch))
    eval_seconds = evaluations * eval_windows * eval_window_seconds
    window = int(spec.window or 4000)
    test_windows = sum(r.length for r in split.test) / window
    valid_windows = sum(r.length for r in split.valid) / window
    # the threshold is chosen on the whole validation part and the test part is predicted once
    final_seconds = (test_windows + valid_windows) * eval_window_seconds
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_bytes = peak if sys.platform == "darwin" else peak * 1024
    parameters = sum(p.numel() for p in model.parameters())
    return {"device": device, "prepare_seconds": round(prepare_seconds, 2), "step_seconds": round(step_seconds, 4),
            "eval_window_seconds": round(eval_window_seconds, 5), "planned_steps": total_steps,
            "evaluations": evaluations, "train_windows": n, "parameters": parameters,
            "estimated_seconds": round(prepare_seconds + train_seconds + eval_seconds + final_seconds, 1),
            "peak_memory_bytes": int(peak_bytes), "probe_steps": len(timings)}


def _probe_geneorf(run_spec, spec, genome, split, started, device) -> dict[str, Any]:
    """GeneORF's probe: time one self-training and gene call of the largest genome, extrapolate the run
    (self-training each training genome once, one gene call of the validation part per evaluation round)."""
    import resource

    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.models.geneorf.track import GeneORFTrackModel
    from genoview.core.training.datasets import load_tracks
    from genoview.core.training.geneorf import MAX_EPOCHS, genome_groups

    used = [r.seqid for r in split.train + split.valid + split.test]
    groups = genome_groups(genome, used)
    tracks = load_tracks(genome, used, spec.feature_types)
    sizes = {name: sum(len(tracks[k][0]) for k in keys) for name, keys in groups}
    name, keys = max(groups, key=lambda g: sizes[g[0]])
    model = (GeneORFModel.from_pretrained(run_spec.init_from, local_files_only=True) if run_spec.init_from
             else None)
    prepare_seconds = time.monotonic() - started
    t0 = time.monotonic()
    if model is not None:
        GeneORFTrackModel(model, None, {}).call_genome({k: tracks[k][0] for k in keys})
    per_base = (time.monotonic() - t0) / max(sizes[name], 1)
    total = sum(sizes.values())
    epochs = int(spec.epochs) if spec.epochs is not None else MAX_EPOCHS
    rounds = 1 + max(1, math.ceil(math.log2(max(epochs, 1))) + 1)
    valid = {r.seqid for r in split.valid}
    valid_bases = sum(size for n, k in groups for size in [sizes[n]] if valid & set(k))
    estimate = prepare_seconds + per_base * (total + rounds * valid_bases + total)
    if spec.max_minutes:
        estimate = min(estimate, 60 * spec.max_minutes + per_base * total)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"device": "cpu", "prepare_seconds": round(prepare_seconds, 2), "step_seconds": round(per_base * total, 2),
            "eval_window_seconds": 0.0, "planned_steps": epochs, "evaluations": rounds,
            "train_windows": 0, "parameters": sum(p.numel() for p in model.parameters()) if model is not None else 0,
            "estimated_seconds": round(estimate, 1),
            "peak_memory_bytes": int(peak if sys.platform == "darwin" else peak * 1024), "probe_steps": 1}


def main(argv: list[str] | None = None) -> int:
    """``python -m genoview.core.training_plan probe SPEC.json [STEPS]``: one JSON line (or an error line)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] != "probe":
        print("usage: python -m genoview.core.training_plan probe SPEC.json [STEPS]", file=sys.stderr)
        return 2
    try:
        spec = TrainingSpec.load(argv[1])
        spec = dataclasses.replace(spec, resume=False)
        result = probe(spec, steps=int(argv[2]) if len(argv) > 2 else 4)
    except GenoViewInputError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 2
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
