"""Data-parallel training beyond one process: the same spec under ``torchrun`` or ``accelerate launch``.

``torchrun --nproc_per_node N --no-python genoview train --spec spec.json --out DIR`` starts N processes.
Rank 0 runs the whole run (:func:`genoview.core.training.runner.run_training`: store, checkpoints,
threshold, test metrics, model card, the rename into place). Every other rank runs :func:`run_worker`: it
prepares the same data and model from the same seed and joins the training loop, which shares each batch
among the ranks (DistributedDataParallel averages the gradients: the global batch is the spec's
``batch_size``), evaluates the same validation windows (so every rank takes the same decisions) and writes
nothing. gloo on CPU, NCCL on CUDA.
"""
from __future__ import annotations

import os
from pathlib import Path

from genoview.core.training.loop import TrainingResult, distributed_rank, set_seed, train_model
from genoview.core.training.spec import TrainingSpec

__all__ = ["distributed_rank", "run_worker"]


def run_worker(spec: TrainingSpec, output_dir: str | os.PathLike, *, device: str | None = None,
               should_stop=None) -> TrainingResult:
    """A non-zero rank's part of a data-parallel run toward ``output_dir`` (it writes nothing)."""
    from genoview.core.device import pick_device
    from genoview.core.training.architectures import get_architecture
    from genoview.core.training.datasets import load_tracks, open_training_genomes, split_regions, wants_validation
    from genoview.core.training.runner import _resolve_init, work_dir_for

    device = pick_device(device)
    if device == "cuda":
        import torch

        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    architecture = get_architecture(spec.architecture)
    genome = open_training_genomes(spec)
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    split = split_regions(lengths, spec, genome.parts)
    tracks = load_tracks(genome, [r.seqid for r in split.train + split.valid + split.test], spec.feature_types)
    validate = wants_validation(spec)
    set_seed(spec.seed)
    prepared = architecture.prepare(_resolve_init(spec), genome, tracks, split)
    return train_model(prepared.model, prepared.train_dataset, prepared.eval_dataset if validate else None,
                       spec, output_dir=work_dir_for(Path(output_dir).expanduser().absolute()),
                       compute_metrics=prepared.compute_metrics, collate_fn=prepared.collate_fn,
                       compute_loss=prepared.compute_loss, save_extra=prepared.save_extra, device=device,
                       should_stop=should_stop)
