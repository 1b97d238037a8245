"""`genoview train-lm`: train a nucleotide language model (n-gram, LSTM or GPT-2-style) on genes.

The genes are split by gene (family, near-copies moved to training, see ``core/lm_data.split_genes``) into
training, validation (early stopping, settings) and test (held-out perplexity, recorded in the card).
"""
from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
import time
from pathlib import Path
from genoview.cli import command_line, number_type, seed_number

ARCHITECTURES = ("ngram", "lstm", "gpt")
# --option keys each architecture reads (a misspelt key was silently ignored before: refuse it instead)
OPTION_KEYS = {
    "ngram": ("contexts", "groups", "sweeps", "table_contexts"),
    "lstm": ("embedding_size", "hidden_size", "num_layers", "dropout"),
    "gpt": ("n_embd", "n_layer", "n_head", "n_positions", "dropout", "n_inner", "activation_function"),
}


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "train-lm", help="train a nucleotide language model on genes",
        description="Train a nucleotide language model (it scores sequences: Real vs mutated in the window, "
                    "`genoview score-pairs`) on genes (`<ACGT...>` CSV as "
                    "train_genes.csv.gz, or FASTA, or the genes of an annotated genome). Genes are split by "
                    "gene into training / validation / test; held-out (test) perplexity goes into the model card.")
    p.add_argument("--architecture", choices=ARCHITECTURES, required=True,
                   help="ngram (interpolated Kneser-Ney, counts only: seconds), lstm or gpt (neural, trained with torch)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--genes", metavar="CSV|FASTA", help="gene table (NucleotideSequence column) or FASTA")
    src.add_argument("--genome", metavar="FASTA", help="a genome whose annotated genes are the data (with --annotation)")
    p.add_argument("--annotation", metavar="GFF", help="annotation of --genome")
    p.add_argument("--train-fraction", type=_fraction, default=0.7,
                   help="with --genome: genes wholly in the first part train (its last 1/7 validates), "
                        "genes in the rest are the test (default 0.7, the customary E. coli split)")
    p.add_argument("--out", required=True, metavar="DIR", help="model directory to write")
    p.add_argument("--name", help="model name (default: the folder's name)")
    p.add_argument("--reverse", action="store_true", help="read genes right to left")
    p.add_argument("--split-seed", type=seed_number, default=0,
                   help="seed of the gene split into training/validation/test (default 0, the shipped models' split)")
    p.add_argument("--test-fraction", type=_fraction, default=0.1, help="with --genes: share of genes held out for the "
                                                                    "test (default 0.1)")
    p.add_argument("--valid-fraction", type=_fraction, default=0.1, help="with --genes: share of genes for validation "
                                                                     "(default 0.1)")
    p.add_argument("--seed", type=seed_number, default=0, help="seed of the weights and batches (default 0)")
    p.add_argument("--max-minutes", type=_positive_float, default=60.0,
                   help="wall-clock bound of neural training, in minutes (default 60)")
    p.add_argument("--max-epochs", type=_positive_int, default=200, help="passes over the training genes (default 200)")
    p.add_argument("--max-steps", type=_positive_int, help="stop after this many optimiser steps (load-independent bound)")
    p.add_argument("--init", metavar="DIR|NAME", help="start from this model's weights (lstm or gpt, the "
                                                      "same architecture; its own configuration: no --option) and "
                                                      "train on")
    p.add_argument("--overwrite", action="store_true",
                   help="replace the model already in --out (the --init model too) once the new one is finished")
    p.add_argument("--lr", type=_positive_float, default=2e-3, help="peak learning rate (default 0.002)")
    p.add_argument("--batch-tokens", type=_positive_int, default=12000, help="tokens (bases) per batch (default 12000)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="architecture setting (lstm: hidden_size, num_layers, embedding_size, dropout; "
                        "gpt: n_embd, n_layer, n_head, n_positions, dropout; ngram: contexts (comma-separated context "
                        "lengths increasing from 0, up to 22, such as 0,1,2,3,4), sweeps, table_contexts); repeatable; "
                        "an unknown KEY or a value of the wrong type or range is refused before any data is read")
    p.add_argument("--json", action="store_true",
                   help="print the model's folder and perplexities as one JSON object (default: one line for people)")
    p.add_argument("--threads", type=_positive_int, default=1, help="torch threads (default 1)")
    p.add_argument("--description", default="", help="one line for the model card (default: architecture and "
                                                      "direction)")
    p.set_defaults(run=run, _parser=p)
    return p


# each --option's type and range, checked before any data is read or the run recorded ("contexts=4" failed with
# "'int' object is not iterable" after loading the genes, and was recorded as a failed run): (type, minimum,
# maximum, what it is); "list" is a list of whole numbers, given comma-separated (0,1,2) or as JSON ([0,1,2])
OPTION_TYPES = {
    "contexts": ("list", 0, 22, "the n-gram's context lengths"),
    "groups": ("groups", 0, None, "groups of positions in contexts whose discounts are tuned together, as JSON "
                                  "such as [[0,1,2],[3,4]]"),
    "sweeps": ("int", 0, None, "passes of the discount tuning"),
    "table_contexts": ("int", 0, 22, "context lengths up to this one kept as count tables"),
    "embedding_size": ("int", 1, None, "size of each base's embedding"),
    "hidden_size": ("int", 1, None, "LSTM state size"),
    "num_layers": ("int", 1, None, "LSTM layers"),
    "dropout": ("float", 0, 1, "dropout probability"),
    "n_embd": ("int", 1, None, "GPT width (a multiple of n_head)"),
    "n_layer": ("int", 1, None, "GPT layers"),
    "n_head": ("int", 1, None, "attention heads (dividing n_embd)"),
    "n_positions": ("int", 1, None, "longest sequence in tokens"),
    "n_inner": ("int", 1, None, "feed-forward width"),
    "activation_function": ("str", None, None, "feed-forward activation such as gelu_new or relu"),
}


def _option_value(key: str, raw: str):
    """The typed value of ``--option KEY=RAW``, or a GenoViewInputError naming the option with what it takes."""
    from genoview.core.errors import GenoViewInputError

    kind, low, high, what = OPTION_TYPES.get(key, ("json", None, None, ""))
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    span = f" from {low} to {high}" if low is not None and high is not None else f" >= {low}" if low is not None else ""

    def refuse(takes: str):
        raise GenoViewInputError(f"--option {key}={raw}: {key} takes {takes} ({what})")

    if kind == "list":
        if isinstance(value, str):
            try:
                value = [int(word) for word in value.split(",") if word.strip()]
            except ValueError:
                value = None
        example = ",".join(str(i) for i in range(5))
        takes = f"a comma-separated list such as {example}, each{span}, increasing from 0"
        if not isinstance(value, list) or not value or not all(isinstance(v, int) and not isinstance(v, bool)
                                                                  for v in value):
            refuse(takes)
        if value[0] != 0 or any(b <= a for a, b in zip(value, value[1:])) or value[-1] > high:
            refuse(takes)
    elif kind == "groups":
        if not (isinstance(value, list) and value and all(
                isinstance(g, list) and g and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0
                                                  for i in g) for g in value)):
            refuse("a JSON list of lists of positions (0 = the first context length), such as [[0,1,2],[3,4]]")
    elif kind in ("int", "float"):
        if kind == "int" and isinstance(value, float) and value.is_integer():
            value = int(value)
        number = isinstance(value, int) if kind == "int" else isinstance(value, (int, float)) and math.isfinite(value)
        if (not number or isinstance(value, bool) or (low is not None and value < low)
                or (high is not None and value > high)):
            refuse(("a whole number" if kind == "int" else "a number") + span)
        value = float(value) if kind == "float" else value
    elif kind == "str" and not isinstance(value, str):
        refuse("text")
    return value


def _options(items: list[str], architecture: str | None = None) -> dict:
    """The --option values, typed and checked (keys the architecture reads, values of their type and range)."""
    from genoview.core.errors import GenoViewInputError

    out = {}
    known = OPTION_KEYS.get(architecture)
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise GenoViewInputError(f"--option {item!r}: expected KEY=VALUE")
        if known is not None and key not in known:
            raise GenoViewInputError(f"--option {key}: {architecture} has no such setting; its settings are "
                                     f"{', '.join(known)}")
        out[key] = _option_value(key, value.strip())
    groups = out.get("groups")
    if groups is not None:   # positions into contexts (given, else the default chain)
        if "contexts" in out:
            size = len(out["contexts"])
        else:
            from genoview.core.models.ngram import DEFAULT_CHAIN
            size = len(DEFAULT_CHAIN)
        if any(i >= size for g in groups for i in g):
            raise GenoViewInputError(f"--option groups: positions go from 0 to {size - 1} (one per context length)")
    if architecture == "gpt" and ("n_embd" in out or "n_head" in out):
        n_embd, n_head = out.get("n_embd", 128), out.get("n_head", 4)   # gpt_lm.build's defaults
        if n_embd % n_head:
            raise GenoViewInputError(f"--option n_embd={n_embd} with n_head={n_head}: n_embd must be a multiple of "
                                     "n_head (each head takes n_embd / n_head of the width)")
    return out


def load_split(args):
    """(train, valid, test genes, data description) from the command's data arguments."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.lm_data import GeneSplit, genes_from_genome, read_genes, shared_fraction, split_genes

    if args.genes:
        genes = read_genes(args.genes)
        split = split_genes(genes, args.test_fraction, args.valid_fraction, seed=args.split_seed)
        data = {"genes": str(args.genes), **split.describe()}
        return split.train, split.valid, split.test, data
    if not args.annotation:
        raise GenoViewInputError("--genome needs --annotation (the genes are its annotated genes)")
    frac = args.train_fraction
    train_all = genes_from_genome(args.genome, args.annotation, 0.0, frac)
    test = genes_from_genome(args.genome, args.annotation, frac, 1.0)
    cut = int(len(train_all) * 6 / 7)
    train, valid = train_all[:cut], train_all[cut:]
    shared = shared_fraction(test, train_all)
    near = int((shared >= 0.5).sum())
    test = [g for g, s in zip(test, shared) if s < 0.5]
    split = GeneSplit(train, valid, test)
    data = {"genome": str(args.genome), "annotation": str(args.annotation),
            "split": f"genes wholly in the first {frac:.0%} of the sequence train (the last seventh of them, by "
                     f"position, validates); genes wholly in the last {1 - frac:.0%} are the test; {near} test genes "
                     "sharing >= 50% of their distinct 32-mers with a training gene were left out",
            **{k: v for k, v in split.describe().items() if k.endswith("_genes")}}
    return train, valid, test, data


def refuse_ignored_with_init(args) -> None:
    """--init with what it would ignore, before any work: an n-gram model is counted anew from the genes (`--init`
    was not read at all: a fresh model, even from --init genecnn-ecoli, said nothing), and a neural model keeps its
    own configuration (--option was ignored, yet recorded in the card as the run's options)."""
    from genoview.core.errors import GenoViewInputError

    if not args.init:
        return
    if args.architecture == "ngram":
        raise GenoViewInputError(f"--init {args.init}: an ngram model has no weights to start from (it is counted "
                                 "from the genes anew); drop --init, or give --architecture lstm or gpt")
    if args.option:
        raise GenoViewInputError(f"--option {' '.join(args.option)}: --init {args.init} keeps its own configuration "
                                 "(the model's size and dropout); drop --option, or train from scratch without --init")


def init_module(args):
    """The trainable module of an existing model folder (``--init``), checked against the command."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.lm_models import load_language_model

    model = load_language_model(args.init)
    module = getattr(model, "module", None)
    kind = "lstm" if hasattr(module, "lstm") else "gpt" if hasattr(module, "gpt") else None
    if kind != args.architecture:
        raise GenoViewInputError(f"--init {args.init}: not a {args.architecture} language model")
    if bool(model.reverse) != bool(args.reverse):
        raise GenoViewInputError(f"--init {args.init} reads {'right to left' if model.reverse else 'left to right'}; "
                                 "match it with --reverse (or leave it out)")
    return module


def _add_to_library(target: Path, name: str) -> bool:
    """Register the model by name as `genoview train` does (a folder outside the library was found only by its path:
    `genoview models` and the window's Real vs mutated did not list it); False, said on stderr, if that failed."""
    from genoview.core.errors import GenoViewInputError
    from genoview.paths import model_library_dir

    if target.parent.resolve() == model_library_dir().resolve() and target.name == name:
        return True
    try:
        from genoview.core.models import register_model_dir

        register_model_dir(target, name)
    except GenoViewInputError as exc:
        print(f"genoview train-lm: the model was saved but not added to the library: {exc}", file=sys.stderr)
        return False
    return True


def output_folders(args) -> tuple[Path, Path]:
    """(target, work): the --out folder, after refusing one that holds a model or other files (unless --overwrite,
    and then only a model folder), and the hidden ``.NAME.partial`` folder beside it that the run writes into and
    renames into place once finished, so a failed or killed run never leaves a half-written model where a model
    was. The folder carries this process's owner record (``genoview train``'s): a second process toward the same
    --out is refused naming it, and a killed run's leftover is named with how to clear it."""
    from genoview.core.training.runner import check_model_out, claim_model_out

    target = Path(args.out).expanduser().absolute()
    check_model_out(target, args.overwrite, "already holds a model (or other files); pass --overwrite to replace the "
                    "model there once the new one is finished (continuing the --init model into its own folder too), "
                    "or choose another --out")
    return target, claim_model_out(target, "train-lm", overwrite=args.overwrite)


def run(args: argparse.Namespace) -> int:
    import shutil

    from genoview.core.training.runner import finish_model_out

    from genoview.core.jobs import recorded_run

    _options(args.option, args.architecture)   # a bad --option is refused before any data is read or recorded
    refuse_ignored_with_init(args)
    target, work = output_folders(args)
    try:
        # recorded as `genoview train` is (`genoview runs`, the library's Runs tab): a cluster user sees it running,
        # its heartbeat beaten by its batches and log lines, and how it ended
        with recorded_run("train-lm", args.name or target.name, _run_params(args, target)) as recorded:
            name, metrics = _train(args, target, work, beat=recorded.beating)
            recorded.metrics = {f"{part}_perplexity": m["perplexity"] for part, m in metrics.items()}
            recorded.message = "; ".join(f"{part} perplexity {m['perplexity']:.4f}" for part, m in metrics.items())
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)   # this process's own folder (its owner record says so)
        raise
    finish_model_out(work, target, overwrite=args.overwrite)   # the model already there is removed only now
    library = _add_to_library(target, name)
    if args.json:
        print(json.dumps({"model": str(target), "metrics": metrics}, indent=1))
    else:   # the JSON object was all a newcomer saw: say what was made and how good it is
        scores = "; ".join(f"{part} perplexity {m['perplexity']:.4f} ({m['genes']:,} genes)"
                           for part, m in metrics.items())
        print(f"saved {name} to {target}{' (in the library)' if library else ''}: {scores} (per base, lower is "
              f"better: 4 is a guess among A, C, G, T); genoview score-pairs --model "
              f"{shlex.quote(name if library else str(target))} PAIRS scores mutated copies with it")
    return 0 if all(math.isfinite(m["perplexity"]) for m in metrics.values()) else 1


def train_lm_command(args: argparse.Namespace) -> str:
    """The `genoview train-lm ...` line that repeats this run, as `genoview train` records its own (--json: how it
    reports, not what it trains)."""
    return command_line(args, leave_out=("json",))


def _run_params(args: argparse.Namespace, target: Path) -> dict:
    """What the runs table records of a train-lm run: its data, output and settings, and the command."""
    keys = ("architecture", "genes", "genome", "annotation", "reverse", "seed", "split_seed", "init", "lr",
            "batch_tokens", "max_minutes", "max_epochs", "max_steps", "option")
    return {"output": str(target), **{k: getattr(args, k) for k in keys if getattr(args, k, None) not in (None, [])},
            "command": train_lm_command(args)}


def _train(args: argparse.Namespace, target: Path, out: Path, beat=None) -> tuple[str, dict]:
    import torch

    from genoview.core.lm import perplexity
    from genoview.core.lm_models import load_language_model, write_card, write_metadata

    from genoview.core.errors import GenoViewInputError

    torch.set_num_threads(max(1, args.threads))
    options = _options(args.option, args.architecture)
    train, valid, test, data = load_split(args)
    if not train or not valid:   # a genome FASTA given as --genes is one "gene": was a numpy ValueError traceback
        source = args.genes or args.genome
        raise GenoViewInputError(f"{len(train) + len(valid) + len(test)} gene(s) in all: too few for a training and a "
                                 f"validation set ({len(train)} and {len(valid)}); --genes takes a table or FASTA of "
                                 "many genes (a genome FASTA is one sequence: give it as --genome with --annotation)",
                                 source)
    out.mkdir(parents=True, exist_ok=True)   # claimed by output_folders (its owner record inside)
    name = args.name or target.name
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    if beat is not None:   # each log line also tells other nodes the run is alive
        log = beat(log)
    log(f"train {len(train)} genes, validation {len(valid)}, test {len(test)}")
    started = time.monotonic()
    train_seqs, valid_seqs = [g.sequence for g in train], [g.sequence for g in valid]
    if args.architecture == "ngram":
        from genoview.core.models.ngram import fit_ngram

        try:
            training = fit_ngram(train_seqs, valid_seqs, out, reverse=args.reverse, log=log, **options)
        except (TypeError, ValueError) as exc:   # a bad --option value (contexts out of range, ...)
            if not options:
                raise
            raise GenoViewInputError(f"--option {' '.join(args.option)}: {exc}") from None
        arch = "ngram-lm"
    else:
        from genoview.core.lm_training import train_causal_lm

        if args.architecture == "lstm":
            from genoview.core.models.lstm_lm import build
            arch = "lstm-lm"
        else:
            from genoview.core.models.gpt_lm import build
            arch = "gpt-lm"
        try:
            module = build(reverse=args.reverse, **options) if not args.init else init_module(args)
        except (TypeError, ValueError) as exc:   # a bad --option value (n_embd not a multiple of n_head, ...)
            if not options:
                raise
            raise GenoViewInputError(f"--option {' '.join(args.option)}: {exc}") from None
        training = train_causal_lm(module, train_seqs, valid_seqs, out, reverse=args.reverse, lr=args.lr,
                                   batch_tokens=args.batch_tokens, max_epochs=args.max_epochs,
                                   max_seconds=args.max_minutes * 60, seed=args.seed, log=log,
                                   max_steps=args.max_steps, progress=beat() if beat is not None else None)
        training.update({"options": options, "lr": args.lr, "batch_tokens": args.batch_tokens,
                         "max_minutes": args.max_minutes, "max_steps": args.max_steps})
        if args.init:
            training["init"] = str(args.init)
    training["train_seconds"] = round(time.monotonic() - started, 1)
    write_metadata(out, name=name, architecture=arch, task="language-model",
                   description=args.description or f"{arch} nucleotide language model "
                                                     f"({'right to left' if args.reverse else 'left to right'})",
                   data=data, seed=args.seed, command=train_lm_command(args),
                   training=training, language_model={"reverse": bool(args.reverse)})
    model = load_language_model(out)
    metrics = {}
    for part, genes in (("validation", valid_seqs), ("test", [g.sequence for g in test])):
        if genes:
            ppl = perplexity(model, genes)
            metrics[part] = {"perplexity": round(ppl, 4), "genes": len(genes),
                             "tokens": sum(len(g) + 1 for g in genes)}
    write_metadata(out, metrics=metrics)
    write_card(out)
    return name, metrics


# argparse types (--max-minutes -1 saved an untrained model; --train-fraction 1.5 was taken as it was)
_positive_float = number_type(float, lambda v: v > 0, "a number", "must be more than 0, got {text}")
_fraction = number_type(float, lambda v: 0.0 <= v <= 1.0, "a fraction such as 0.7",
                        "expected a fraction between 0 and 1 (0.7 is 70%), got {text}")
_positive_int = number_type(int, lambda v: v >= 1, "a whole number", "must be at least 1, got {value}")
