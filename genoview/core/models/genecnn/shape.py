"""GeneCNN's numbers that need no torch: its config's defaults and tiling rule, its trainer's defaults and options,
and the training windows a spec gets (the registry row's ``windows``).

The one owner of each: GeneCNNConfig (configuration_genecnn.py, transformers), the prediction network's config reader
(network.py, torch) and the trainer (training.py, torch) all read them from here, and the training wizard's Data page
counts windows with :func:`window_need` without importing torch (the import held the GIL for 0.3-0.6 s at a time,
freezing the wizard while its preview said "Reading the genome…").
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from genoview.core.errors import GenoViewInputError
from genoview.core.training.options import ModelOption, check_options, register_options

# GeneCNNConfig's defaults (configuration_genecnn.py imports transformers)
CONFIG_DEFAULTS = {"hidden_size": 32, "dilations": [1, 3, 9, 27, 81, 1, 3, 9], "kernel_size": 3, "separable": False,
                   "score_dims": 2, "downsample": 1, "orf_reach": 2000, "context": None, "chunk_size": 30000,
                   "rna_kmer_size": 24, "rna_kmer_count": 0}

# TrainingSpec fields the trainer prefers (the CLI and the wizard start from them)
DEFAULTS = {
    "window": 4000, "epochs": 1.0, "batch_size": 4, "learning_rate": 3e-3,
    "weight_decay": 0.01, "warmup_fraction": 0.03, "patience": 4, "eval_windows": 60, "log_every": 20,
}


def receptive_radius(dilations, kernel_size: int, downsample: int) -> int:
    """Bases on each side the CNN blocks reach beyond a base's own features."""
    step = max(1, int(downsample))
    return step * (sum(dilations) * (int(kernel_size) - 1) // 2 + 1)


def tiling(orf_reach: int, dilations, kernel_size: int, downsample: int, context: int | None,
           chunk_size: int) -> tuple[int, int]:
    """(context, chunk_size) inference tiles with: context at least orf_reach plus the receptive radius (every base is
    predicted as if the whole sequence had been seen), both on the grid of ``downsample``-base cells."""
    step = max(1, int(downsample))
    needed = int(orf_reach) + receptive_radius(dilations, kernel_size, downsample) + 8
    return -(-max(int(context or 0), needed) // step) * step, -(-int(chunk_size) // step) * step


def config_values(raw: dict) -> SimpleNamespace:
    """A GeneCNN config's values as GeneCNNConfig makes them from ``raw`` (config.json or keyword arguments)."""
    config = SimpleNamespace(**{k: raw.get(k, v) for k, v in CONFIG_DEFAULTS.items()})
    config.dilations = list(config.dilations)
    config.context, config.chunk_size = tiling(config.orf_reach, config.dilations, config.kernel_size,
                                               config.downsample, config.context, config.chunk_size)
    return config


def read_config(directory) -> SimpleNamespace:
    """A GeneCNN config.json as GeneCNNConfig would read it (defaults, context at least the receptive reach)."""
    return config_values(json.loads((Path(directory) / "config.json").read_text(encoding="utf-8")))


# shape options build a fresh model; a fine-tune (--init) takes its parent's shape
SHAPE_OPTIONS = ("hidden_size", "dilations", "kernel_size", "separable", "score_dims", "downsample", "orf_reach",
                 "chunk_size", "rna_kmer_size")
RNA_MEMORY = ("relearn", "merge", "keep")
CODON_TABLES = ("recount", "parent")
OPTIONS = (
    ModelOption("hidden_size", "int", 32, "channels of the residual CNN", 4, 512, init=False),
    ModelOption("dilations", "list[int]", [1, 3, 9, 27, 81, 1, 3, 9], "dilation of each residual block "
                "(one block per entry; the receptive field grows with their sum)", 1, 1024, init=False),
    # odd only: an even kernel is not centred (its separable conv came out a base short, a RuntimeError traceback;
    # its dense conv reached further right than the context and the centre-only blocks allow for)
    ModelOption("kernel_size", "int", 3, "taps of each dilated convolution (odd: centred)", 1, 15,
                choices=(1, 3, 5, 7, 9, 11, 13, 15), init=False),
    ModelOption("separable", "bool", False, "depthwise-separable convolutions (fewer weights, slower on CPU)",
                init=False),
    ModelOption("score_dims", "int", 2, "coding-potential scores per dicodon (2: coding and its reverse)", 1, 8,
                init=False),
    ModelOption("downsample", "int", 1, "run the CNN on s-base averages (s times fewer operations)", 1, 32,
                init=False),
    ModelOption("orf_reach", "int", 2000, "bases the reading-frame features look up- and downstream "
                "(the --context option sets it too)", 30, 20000, init=False),
    ModelOption("chunk_size", "int", 30000, "bases per inference tile", 100, 1000000, init=False),
    ModelOption("rna_kmer_size", "int", 24, "k-mer size of the RNA-gene memory", 12, 32, init=False),
    ModelOption("train_dicodons", "bool", False, "also learn the codon (dicodon) coding-potential table by "
                "gradient descent (slower steps); by default the table is counted from this genome's training-part "
                "CDS and held fixed, from scratch and when fine-tuning (codon_table)"),
    ModelOption("codon_table", "str", "recount", "a fine-tune's dicodon table: recount (re-learned: log-odds "
                "counted from this genome's training-part CDS, as a model trained from scratch starts) or parent "
                "(the parent's table, the genome it was trained on)", choices=CODON_TABLES, init=True),
    # a fine-tune's (init=True), as codon_table; its default is what a run from scratch does too, so given at it
    # (rna_memory=relearn without --init, accepted before) it passes
    ModelOption("rna_memory", "str", "relearn", "a fine-tune's remembered rRNA/tRNA k-mers: relearn (from this "
                "genome's training part, as a model trained from scratch learns them), merge (the parent's plus this "
                "genome's) or keep (the parent's)", choices=RNA_MEMORY, init=True),
)
register_options("genecnn", OPTIONS)


def fresh_config_values(spec, options: dict) -> dict:
    """A from-scratch model's config arguments: the shape options, ``--context`` as orf_reach unless given."""
    options = {k: v for k, v in options.items() if k in SHAPE_OPTIONS}
    if spec.context:
        options.setdefault("orf_reach", spec.context)
    return options


def window_context(spec) -> int:
    """The context (bases each side of a window) ``prepare`` gives the spec's model: the parent's config for a
    fine-tune, else the config its options make. No weights are read, nor torch imported."""
    if spec.init_from:
        from genoview.core.models import resolve_model_dir

        directory = resolve_model_dir(spec.init_from)
        if directory is None:
            raise GenoViewInputError(f"no model named {spec.init_from!r} to start from")
        try:
            return int(read_config(directory).context)
        except (OSError, ValueError, TypeError) as exc:
            raise GenoViewInputError(f"cannot read {Path(directory) / 'config.json'}: {exc}") from exc
    return int(config_values(fresh_config_values(spec, check_options("genecnn", dict(spec.model_options)))).context)


def window_need(spec) -> tuple[int, int]:
    """(window, context each side) of the spec's training windows, as the trainer's ``prepare`` makes them."""
    return int(spec.window or DEFAULTS["window"]), window_context(spec)
