"""`genoview train`: train a gene model on a genome and its annotation, into a directory or the library."""
from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from genoview.core.errors import GenoViewInputError

# command-line option -> TrainingSpec field, for the options that map one to one
SPEC_OPTIONS = {
    "fasta": "fasta", "gff": "annotation", "train_from": "train_from", "train_to": "train_to",
    "valid_fraction": "valid_fraction", "test_from": "test_from", "test_to": "test_to", "window": "window",
    "context": "context", "k": "k", "labelling": "labelling", "epochs": "epochs",
    "windows_per_epoch": "windows_per_epoch", "max_steps": "max_steps", "batch_size": "batch_size",
    "lr": "learning_rate", "weight_decay": "weight_decay", "warmup": "warmup_fraction",
    "class_weighting": "class_weighting", "seed": "seed", "patience": "patience", "metric": "metric", "eval_every": "eval_every",
    "eval_windows": "eval_windows", "max_minutes": "max_minutes", "resume": "resume", "init": "init_from",
    "threads": "num_threads", "architecture": "architecture",
}


def _list(text: str) -> list[str]:
    return [item for item in text.split(",") if item]


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "train", help="train a gene model (GeneCNN, k-mer BERT) on a genome and its annotation",
        description="Train a per-nucleotide gene model. The split is by fractions of each sequence "
                    "(default: train on 0-0.7, validate on the last 10% of that, test on 0.7-1) or by held-out sequences.",
    )
    from genoview.core.training.architectures import architecture_names

    data = p.add_argument_group("data")
    data.add_argument("--architecture", default="genecnn", choices=architecture_names())
    data.add_argument("--fasta", required=False, help="genome FASTA (.gz/bgzip) or GenBank")
    data.add_argument("--gff", "--annotation", dest="gff", help="GFF3/GTF/GenBank annotation (the labels)")
    data.add_argument("--feature-types", type=_list, help="annotation types that count as genic (default gene,pseudogene)")
    data.add_argument("--seqids", type=_list, help="comma-separated sequences to use (default all)")
    data.add_argument("--valid-seqids", type=_list, help="hold these sequences out for validation (split by sequence)")
    data.add_argument("--test-seqids", type=_list, help="hold these sequences out for testing (split by sequence)")
    data.add_argument("--train-from", type=float)
    data.add_argument("--train-to", type=float)
    data.add_argument("--valid-fraction", type=float, help="last fraction of the training part used for validation")
    data.add_argument("--test-from", type=float)
    data.add_argument("--test-to", type=float)
    shape = p.add_argument_group("model and windows")
    shape.add_argument("--window", type=int, help="bases per training window (its labelled centre)")
    shape.add_argument("--context", type=int, help="bases of flank on each side of a window")
    shape.add_argument("--k", type=int, help="k-mer size (k-mer models)")
    shape.add_argument("--labelling", choices=["majority", "all", "any"], help="window labels for window classifiers")
    shape.add_argument("--model-option", action="append", default=[], metavar="KEY=VALUE",
                       help="architecture setting, VALUE in JSON (e.g. hidden_size=48); repeatable")
    shape.add_argument("--init", help="start from this model directory instead of random weights (fine-tuning)")
    shape.add_argument("--stage", choices=["pretrain", "finetune"],
                       help="k-mer BERT: masked-LM pre-training or gene fine-tuning (same as --model-option stage=...)")
    optim = p.add_argument_group("optimisation")
    optim.add_argument("--epochs", type=float)
    optim.add_argument("--windows-per-epoch", type=int)
    optim.add_argument("--max-steps", type=int)
    optim.add_argument("--batch-size", type=int)
    optim.add_argument("--lr", type=float, help="peak learning rate")
    optim.add_argument("--weight-decay", type=float)
    optim.add_argument("--warmup", type=float, help="fraction of the steps spent warming up")
    optim.add_argument("--class-weighting", choices=["none", "balanced"])
    optim.add_argument("--seed", type=int)
    optim.add_argument("--patience", type=int, help="stop after this many evaluations without improvement")
    optim.add_argument("--metric", help="validation metric that picks the best model and drives --patience: mcc "
                       "(default), roc_auc, accuracy, f1 or loss (lower is better)")
    optim.add_argument("--eval-every", type=int, help="evaluate every N steps (default: once per epoch)")
    optim.add_argument("--eval-windows", type=int, help="at most this many validation windows")
    optim.add_argument("--max-minutes", type=float, help="wall-clock bound; the best model so far is kept")
    optim.add_argument("--threads", type=int, help="CPU threads (default: all cores)")
    out = p.add_argument_group("output")
    out.add_argument("--out", help="directory to write the model to")
    out.add_argument("--name", help="model name (with no --out: saved into the user model library)")
    out.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in the output directory")
    out.add_argument("--spec", help="read the settings from a TrainingSpec JSON file (options given here override it)")
    out.add_argument("--device", help="auto, cpu, cuda or mps")
    p.set_defaults(run=run, _parser=p)
    return p


def _model_options(items: list[str]) -> dict:
    options = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise GenoViewInputError(f"--model-option {item!r} must look like KEY=VALUE, e.g. hidden_size=48")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return options


def build_spec(args):
    """A TrainingSpec from the architecture's defaults, then --spec, then the options given."""
    from genoview.core.training.architectures import get_architecture
    from genoview.core.training.spec import TrainingSpec

    values = dict(get_architecture(args.architecture).defaults)
    if args.spec:
        values.update(TrainingSpec.load(args.spec).to_json())
    for option, field in SPEC_OPTIONS.items():
        value = getattr(args, option)
        if value is not None and value is not False:
            values[field] = value
    for option, field in (("feature_types", "feature_types"), ("seqids", "seqids"),
                          ("valid_seqids", "valid_seqids"), ("test_seqids", "test_seqids")):
        if getattr(args, option):
            values[field] = getattr(args, option)
    if args.valid_seqids or args.test_seqids:
        values["split"] = "sequences"
    values["model_options"] = {**values.get("model_options", {}), **_model_options(args.model_option)}
    if args.stage:
        values["model_options"]["stage"] = args.stage
    return TrainingSpec(**values)


def command_line(args) -> str:
    """The `genoview train ...` command that repeats this run (options given, in a canonical order)."""
    words = ["genoview", "train"]
    for action in args._parser._actions:
        if not action.option_strings or action.dest in ("help", "_parser"):
            continue
        value = getattr(args, action.dest, None)
        if value is None or value is False or value == [] or value == action.default and action.dest != "architecture":
            continue
        flag = action.option_strings[0]
        if value is True:
            words.append(flag)
        elif isinstance(value, list):
            if action.dest == "model_option":
                for item in value:
                    words += [flag, item]
            else:
                words += [flag, ",".join(value)]
        else:
            words += [flag, str(value)]
    return shlex.join(words)


def _output_dir(args) -> Path:
    from genoview.paths import model_library_dir

    if args.out:
        return Path(args.out)
    if args.name:
        return model_library_dir() / args.name
    raise GenoViewInputError("say where the model goes: --out DIR, or --name NAME for the model library")


def run(args) -> int:
    from genoview.core.jobs import TextProgressBar
    from genoview.core.training.runner import run_training

    spec = build_spec(args)
    if not spec.fasta:
        raise GenoViewInputError("no genome given; pass --fasta FILE (and --gff FILE for the labels)")
    output_dir = _output_dir(args)
    if output_dir.exists() and any(output_dir.iterdir()) and not spec.resume:
        raise GenoViewInputError("the output directory is not empty; pass --resume to continue, or choose another --out",
                                 output_dir)
    bar = TextProgressBar(f"train {spec.architecture}")

    def on_log(record: dict) -> None:
        if "eval_loss" in record:
            metrics = "  ".join(f"{k[5:]} {v:.4f}" for k, v in record.items()
                                if k.startswith("eval_") and isinstance(v, float))
            print(f"step {record['step']:>6}  epoch {record['epoch']:.2f}  {metrics}{'  *best' if record.get('best') else ''}",
                  file=sys.stderr, flush=True)

    result = run_training(spec, output_dir, name=args.name or output_dir.name, command=command_line(args),
                          progress=bar, on_log=on_log, device=args.device)
    from genoview.core.models.metadata import ModelMetadata

    test = ModelMetadata.load(output_dir).metrics.get("test") or {}
    summary = f"saved to {output_dir} after {result.steps} steps ({result.stopped_because})"
    if test:
        summary += f"; test MCC {test['mcc']:.4f}, ROC AUC {test['roc_auc']:.4f}, accuracy {test['accuracy']:.4f}"
    print(summary)
    return 0
