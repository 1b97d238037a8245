"""Train a model from a TrainingSpec end to end: open the genome, split, build, train, test, document."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, wrap_progress
from genoview.core.training.architectures import get_architecture
from genoview.core.training.calibration import choose_decoding, predict_regions
from genoview.core.training.datasets import load_tracks, positive_fraction, split_regions
from genoview.core.training.loop import TrainingResult, apply_threads, train_model, update_metadata
from genoview.core.training.spec import TrainingSpec


def run_training(spec: TrainingSpec, output_dir: str | os.PathLike, *, name: str | None = None,
                 command: str | None = None, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None, on_log: Callable[[dict[str, Any]], None] | None = None,
                 device: str | None = None) -> TrainingResult:
    """Train ``spec.architecture`` on ``spec.fasta``/``spec.annotation`` into ``output_dir``.

    Besides the weights the directory gets ``genoview.json`` (name, architecture, task, data, split,
    command, seed, validation and test metrics, history) and a ``README.md`` model card.
    """
    from genoview.core.device import pick_device
    from genoview.core.genome import open_genome

    cancel = ensure_cancel(cancel)
    device = pick_device(device)
    if not spec.fasta:
        raise GenoViewInputError("no genome given; pass --fasta (FASTA or GenBank)")
    architecture = get_architecture(spec.architecture)
    apply_threads(spec.num_threads)
    output_dir = Path(output_dir)
    wrap_progress(progress, 0.0, 0.02)(0.0, "reading the genome")
    genome = open_genome(spec.fasta, spec.annotation)
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    split = split_regions(lengths, spec)
    used = [r.seqid for r in split.train + split.valid + split.test]
    tracks = load_tracks(genome, used, spec.feature_types)
    if not any(tracks[r.seqid][1][r.start:r.end].any() for r in split.train):
        raise GenoViewInputError(
            f"no {'/'.join(spec.feature_types)} features in the training part; check the annotation and --feature-types",
            spec.annotation or spec.fasta,
        )
    cancel.check()
    prepared = architecture.prepare(spec, genome, tracks, split)
    started = time.monotonic()
    result = train_model(
        prepared.model, prepared.train_dataset, prepared.eval_dataset, spec, output_dir=output_dir,
        progress=wrap_progress(progress, 0.02, 0.9), cancel=cancel, on_log=on_log,
        compute_metrics=prepared.compute_metrics, collate_fn=prepared.collate_fn,
        compute_loss=prepared.compute_loss, save_extra=prepared.save_extra, device=device,
    )
    minutes = (time.monotonic() - started) / 60.0
    test_metrics = {}
    track = None
    if prepared.load_track_model is not None and (split.valid or split.test):
        # the architecture's settings (e.g. how a k-mer BERT decodes) are part of loading the model
        update_metadata(output_dir, **{k: v for k, v in prepared.metadata.items() if k != "description"})
        track = prepared.load_track_model(output_dir, device)
    if track is not None and track.settings_key and split.valid:
        # the decision threshold (and any decoding setting) is chosen on the validation slice and stored
        # with the model (calibration.py)
        track.threshold = 0.5
        decoding = choose_decoding(track, genome, tracks, split.valid, cancel=cancel)
        for name, value in decoding["settings"].items():
            track = track.with_setting(name, value)
        track.threshold = decoding["threshold"]
        prepared.metadata.setdefault(track.settings_key, {}).update(decoding["settings"], threshold=track.threshold)
    if track is not None and split.test:
        test_metrics = evaluate_on_regions(track, genome, tracks, split.test,
                                           progress=wrap_progress(progress, 0.9, 1.0), cancel=cancel)
    info = update_metadata(
        output_dir,
        name=name or output_dir.name,
        architecture=spec.architecture,
        task=prepared.task,
        description=prepared.metadata.get("description", architecture.description),
        command=command,
        seed=spec.seed,
        data={
            "fasta": os.path.basename(spec.fasta),
            "annotation": os.path.basename(spec.annotation) if spec.annotation else None,
            "feature_types": spec.feature_types,
            "train": [r.__dict__ for r in split.train],
            "valid": [r.__dict__ for r in split.valid],
            "test": [r.__dict__ for r in split.test],
            "train_genic_fraction": round(positive_fraction(tracks, split.train), 4),
        },
        metrics={"test": test_metrics, "validation": result.best_metrics},
        training_minutes=round(minutes, 2),
        **{k: v for k, v in prepared.metadata.items() if k != "description"},
    )
    (output_dir / "README.md").write_text(model_card(info))
    wrap_progress(progress, 0.9, 1.0)(1.0, "done")
    return result


def evaluate_on_regions(track_model, genome, tracks, regions, *, progress=None, cancel=None) -> dict[str, float]:
    """Predict the regions with a TrackModel and score them together (score_track.py's metrics)."""
    from genoview.core.evaluation import evaluate

    report = evaluate(*predict_regions(track_model, genome, tracks, regions, progress=progress, cancel=cancel))
    out = report.to_json()
    return {k: out[k] for k in ("mcc", "roc_auc", "accuracy", "f1", "precision", "recall", "n", "genic_fraction")}


def _fmt(value) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def model_card(info: dict[str, Any]) -> str:
    """A README.md model card from the genoview.json metadata."""
    data = info.get("data", {})
    training = info.get("training", {})
    spec = training.get("spec", {})
    test = info.get("metrics", {}).get("test", {})
    valid = info.get("metrics", {}).get("validation", {})
    lines = [
        f"# {info.get('name', 'model')}",
        "",
        info.get("description", ""),
        "",
        f"- Architecture: `{info.get('architecture')}` (task: {info.get('task')})",
        f"- Training data: `{data.get('fasta')}` with `{data.get('annotation')}`; genic = {', '.join(data.get('feature_types', []))} features on either strand",
        f"- Split: train {spec.get('train_from')}..{spec.get('train_to')} of each sequence "
        f"(last {spec.get('valid_fraction')} of it for validation), test {spec.get('test_from')}..{spec.get('test_to')}",
        f"- Seed: {info.get('seed')}; steps: {training.get('steps')} ({training.get('stopped_because')}); "
        f"training time: {info.get('training_minutes')} min",
        "",
        "## Command",
        "",
        "```",
        info.get("command") or "(trained from the GUI or the Python API; see genoview.json)",
        "```",
        "",
        "## Metrics (nucleotide level, threshold 0.5)",
        "",
        "| part | MCC | ROC AUC | accuracy | F1 |",
        "|---|---|---|---|---|",
    ]
    if test:
        lines.append(f"| test | {_fmt(test.get('mcc'))} | {_fmt(test.get('roc_auc'))} | {_fmt(test.get('accuracy'))} | {_fmt(test.get('f1'))} |")
    if valid:
        lines.append(f"| validation | {_fmt(valid.get('mcc'))} | {_fmt(valid.get('roc_auc', '-'))} | {_fmt(valid.get('accuracy', '-'))} | {_fmt(valid.get('f1', '-'))} |")
    lines += ["", "History (loss, validation metrics per evaluation) is in `history.json`.", ""]
    return "\n".join(lines)
