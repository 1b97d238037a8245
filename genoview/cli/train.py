"""`genoview train`: train a gene model on a genome and its annotation, into a directory or the library."""
from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

from genoview.core.errors import GenoViewInputError
from genoview.cli import seed_number

# command-line option -> TrainingSpec field, for the options that map one to one
SPEC_OPTIONS = {
    "train_from": "train_from", "train_to": "train_to",
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
        "train", help="train or fine-tune a gene model (GeneORF, GeneCNN, k-mer BERT) on annotated genomes",
        description="Train a per-nucleotide gene model. The split is by fractions of each sequence "
                    "(default: train on 0-0.7, validate on the last 10% of that, test on 0.7-1) or by held-out "
                    "sequences, or by held-out genomes (--fasta A --gff A --fasta B --gff B --test-genomes B: "
                    "several genomes train as one). The same --seed and data give the same weights on CPU. The model folder appears "
                    "only when the run is complete (it trains in a hidden .NAME.partial folder beside it, which "
                    "--resume continues after a crash or kill).",
        epilog="Fine-tuning (--init MODEL) re-learns the genome-specific parts of the parent on the new genome "
               "by default and says what it re-learned: for GeneCNN the codon (dicodon) coding-potential table "
               "(codon_table=recount: counted from the new genome's CDS; parent keeps the parent's; "
               "train_dicodons=true also trains it) and the rRNA/tRNA memory (rna_memory=relearn; merge or keep "
               "to keep the parent's). GeneORF (--init geneorf-bacteria) tries a few candidates on the new "
               "genome's training part (recipe=select): the parent as it is, the parent adapted to the genome's "
               "sequence as `genoview adapt` does (with 4 seeds, averaged: adapt_seeds), each of the two with its "
               "scorers' last step refitted on the annotated genes, and a greedy average of the best adapted ones' "
               "weights (soup_greedy); it scores each by two-fold cross-fitting there (fit on one half, score the "
               "other) and keeps the average (anchor soup_greedy) unless another scores "
               "better by at least 0.004 (margin) and on both halves (lead_check), and records the choice; "
               "its RNA memory gains the rRNA/tRNA genes annotated in the training part (own_rna=true; false "
               "keeps the parent's references only); "
               "recipe=refit or recipe=continue run one way without a choice. --list-options shows every model option with its type, range and "
               "default. A training spec (--spec, --save-spec) holds data, task, model, hyperparameters and seed "
               "as JSON; options given here override it. --progress json streams one JSON object per line on "
               "stdout (events: start, message, log, eval, progress, done, error); SIGTERM or --stop-file ends "
               "the run early and still finishes the best weights into a usable model.",
    )
    from genoview.core.training.architectures import architecture_names

    data = p.add_argument_group("data")
    data.add_argument("--architecture", default=None, choices=architecture_names(),
                      help="model to train (default genecnn, or the spec's)")
    data.add_argument("--fasta", action="append", default=[],
                      help="genome FASTA (.gz/bgzip) or GenBank; repeat (each with its --gff) to train on several genomes")
    data.add_argument("--gff", "--annotation", dest="gff", action="append", default=[],
                      help="GFF3/GTF/GenBank annotation (the labels) of the --fasta before it")
    data.add_argument("--genome", action="append", default=[], metavar="FASTA[:GFF]",
                      help="a genome and its annotation in one word; repeatable (same as --fasta F --gff A)")
    data.add_argument("--valid-genomes", type=_list, metavar="NAMES",
                      help="hold these genomes out for validation (split by genome; NAME = file name less "
                           "extensions, or its folder for genome.fna.gz, or the FASTA path)")
    data.add_argument("--test-genomes", type=_list, metavar="NAMES",
                      help="hold these genomes out for testing (split by genome)")
    data.add_argument("--feature-types", type=_list, help="annotation types that count as genic (default gene,pseudogene)")
    data.add_argument("--seqids", type=_list, help="comma-separated sequences to use (default all)")
    data.add_argument("--valid-seqids", type=_list, help="hold these sequences out for validation (split by sequence)")
    data.add_argument("--test-seqids", type=_list, help="hold these sequences out for testing (split by sequence)")
    data.add_argument("--train-from", type=float, help="training part start, a fraction of each sequence (default 0)")
    data.add_argument("--train-to", type=float, help="training part end, a fraction of each sequence (default 0.7)")
    data.add_argument("--valid-fraction", type=float, help="last fraction of the training part used for validation "
                      "(default 0.1)")
    data.add_argument("--test-from", type=float, help="test part start, a fraction of each sequence (default 0.7)")
    data.add_argument("--test-to", type=float, help="test part end, a fraction of each sequence (default 1)")
    shape = p.add_argument_group("model and windows")
    shape.add_argument("--window", type=int, help="bases per training window (its labelled centre; default: GeneCNN "
                       "4,000, the others their own)")
    shape.add_argument("--context", type=int, help="bases of flank on each side of a window (default: the model's "
                       "own, 2,143 for GeneCNN: its orf_reach option, 2,000 by default, plus its convolutions' "
                       "reach, 143 by default; a fine-tune keeps its parent's). GeneCNN: --context N sets "
                       "orf_reach, and the flank is N plus that reach")
    shape.add_argument("--k", type=int, help="k-mer size (k-mer models; default 6, a fine-tune takes its parent's)")
    shape.add_argument("--labelling", choices=["majority", "all", "any"], help="window labels for window classifiers")
    shape.add_argument("--model-option", action="append", default=[], metavar="KEY=VALUE",
                       help="architecture setting, VALUE in JSON (e.g. hidden_size=48, dilations=[1,3,9], "
                            "train_dicodons=false); checked against --list-options; repeatable")
    shape.add_argument("--list-options", action="store_true",
                       help="print the architecture's model options (type, range, default, help) and exit")
    shape.add_argument("--init", help="fine-tune: start from this model (name or folder) instead of random weights; "
                                      "re-learns its genome-specific parts (see below)")
    shape.add_argument("--stage", choices=["pretrain", "finetune"],
                       help="k-mer BERT: masked-LM pre-training or gene fine-tuning (same as --model-option stage=...)")
    optim = p.add_argument_group("optimisation")
    optim.add_argument("--epochs", type=float, help="passes over the training windows (default: GeneCNN 1, GeneORF 16, "
                       "k-mer BERT 1; with --max-minutes: no bound, time or early stopping ends the run)")
    optim.add_argument("--windows-per-epoch", type=int, help="random training windows per epoch (default: the training part's length / window)")
    optim.add_argument("--max-steps", type=int, help="stop after this many optimiser steps (a bound independent of the machine's speed)")
    # the architectures' defaults (core/training/architectures: DEFAULTS of each; test_s19_train_help_defaults)
    optim.add_argument("--batch-size", type=int, help="windows per optimiser step (default: GeneCNN 4, GeneORF "
                       "4,096 candidate genes, k-mer BERT 16)")
    optim.add_argument("--lr", type=float, help="peak learning rate (default: GeneCNN 0.003, GeneORF 0.001, k-mer "
                       "BERT 0.0005)")
    optim.add_argument("--weight-decay", type=float, help="AdamW weight decay (default 0.01; GeneORF reads none)")
    optim.add_argument("--warmup", type=float, help="fraction of the steps spent warming up (default: GeneCNN 0.03, "
                       "k-mer BERT 0.05; GeneORF reads none)")
    optim.add_argument("--class-weighting", choices=["none", "balanced"],
                       help="balanced: weigh genic and non-genic bases equally in the loss (default none)")
    optim.add_argument("--seed", type=seed_number, help="seed of every random choice (default 1; same seed and data: "
                       "same weights)")
    optim.add_argument("--patience", type=int, help="stop after this many evaluations without improvement (default: "
                       "GeneCNN 4, the others none)")
    optim.add_argument("--metric", help="validation metric that picks the best model and drives --patience: mcc "
                       "(default), roc_auc, accuracy, f1 or loss (lower is better)")
    optim.add_argument("--eval-every", type=int, help="evaluate every N steps (default: once per epoch)")
    optim.add_argument("--eval-windows", type=int, help="at most this many validation windows (default: the "
                       "architecture's, 60 for GeneCNN and 64 for k-mer BERT; all of them where it has none)")
    optim.add_argument("--max-minutes", type=float, help="wall-clock bound on training (not epochs): trains until "
                       "this or early stopping; the best model so far is kept")
    optim.add_argument("--threads", type=int, help="CPU threads (default: all cores)")
    out = p.add_argument_group("output")
    out.add_argument("--out", help="directory to write the model to")
    out.add_argument("--name", help="model name (with no --out: saved into the user model library)")
    out.add_argument("--overwrite", action="store_true",
                     help="replace an existing model folder (only once the new model is finished)")
    out.add_argument("--resume", action="store_true",
                     help="continue the unfinished run toward --out/--name from its newest checkpoint "
                          "(the settings must be the same)")
    out.add_argument("--spec", help="read the settings from a training spec JSON file (options given here override it)")
    out.add_argument("--save-spec", metavar="FILE", help="write the training spec of these settings to FILE and exit "
                                                         "(`genoview train --spec FILE --out DIR` runs it)")
    out.add_argument("--progress", choices=["bar", "json", "none"], default="bar",
                     help="bar (stderr, default), json (JSON lines on stdout for a GUI or script) or none")
    out.add_argument("--stop-file", metavar="FILE", help="finish early (best weights kept) once FILE exists")
    out.add_argument("--device", help="auto, cpu, cuda or mps")
    p.set_defaults(run=run, _parser=p)
    return p


def _model_options(items: list[str]) -> dict:
    from genoview.core.training.options import parse_option_text

    return dict(parse_option_text(item) for item in items)


def build_spec(args):
    """A TrainingSpec from the architecture's defaults, then --spec, then the options given.

    ``--max-minutes`` given here without ``--epochs`` or ``--max-steps`` bounds the run by time only.
    """
    from genoview.core.training.architectures import get_architecture
    from genoview.core.training.options import check_options
    from genoview.core.training.spec import TrainingSpec

    loaded = TrainingSpec.read_settings(args.spec) if args.spec else {}
    genomes = _genomes(args)
    if genomes:   # genomes given here replace the spec's
        loaded.pop("genomes", None)
        loaded.pop("fasta", None)
        loaded.pop("annotation", None)
    architecture = (args.architecture or loaded.get("architecture")
                    or _architecture_of(args.init or loaded.get("init_from")) or "genecnn")
    values = dict(get_architecture(architecture).defaults)
    values.update(loaded)
    values["architecture"] = architecture
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
    if genomes:
        values["genomes"] = genomes
    if args.valid_genomes or args.test_genomes:
        values["split"] = "genomes"
        values["genomes"] = _with_roles(values.get("genomes") or [], args.valid_genomes or [],
                                        args.test_genomes or [])
    if args.max_minutes is not None and args.epochs is None and args.max_steps is None:
        values["epochs"] = None
    values["model_options"] = {**values.get("model_options", {}), **_model_options(args.model_option)}
    if args.stage:
        values["model_options"]["stage"] = args.stage
    values["model_options"] = check_options(architecture, values["model_options"],
                                            init=values.get("init_from") or False)
    return TrainingSpec(**values)


def _genomes(args) -> list[dict]:
    """--fasta/--gff pairs (in order) and --genome FASTA[:GFF] words, as the spec's genome list."""
    if len(args.gff) > len(args.fasta):
        raise GenoViewInputError("more --gff than --fasta: give each genome's --fasta, then its --gff")
    out = [{"fasta": f, "annotation": args.gff[i] if i < len(args.gff) else None, "role": "train"}
           for i, f in enumerate(args.fasta)]
    for word in args.genome:
        fasta, _, gff = word.partition(":") if ":" in word and not Path(word).exists() else (word, "", "")
        out.append({"fasta": fasta, "annotation": gff or None, "role": "train"})
    return out


def _with_roles(genomes: list[dict], valid: list[str], test: list[str]) -> list[dict]:
    """The genomes with the named ones marked validation / test (names as genome_label gives them, or paths)."""
    from genoview.core.training.datasets import genome_label

    taken: set[str] = set()
    names = []
    for g in genomes:
        names.append(genome_label(g["fasta"], taken))
        taken.add(names[-1])
    out = [dict(g, role="train") for g in genomes]
    for role, wanted in (("validation", valid), ("test", test)):
        for word in wanted:
            hits = [i for i, g in enumerate(genomes) if word in (names[i], g["fasta"], Path(g["fasta"]).name)]
            if not hits:
                raise GenoViewInputError(f"--{'valid' if role == 'validation' else 'test'}-genomes: no genome {word!r}; "
                                         f"the genomes are {', '.join(names) or '(none)'}")
            for i in hits:
                out[i]["role"] = role
    return out


def _architecture_of(model: str | None) -> str | None:
    """The architecture of the model a fine-tune starts from (its genoview.json), or None."""
    if not model:
        return None
    try:
        from genoview.core.models import resolve_model_dir
        from genoview.core.models.metadata import ModelMetadata

        directory = resolve_model_dir(model)
        return ModelMetadata.load(directory).to_dict().get("architecture") if directory else None
    except Exception:   # an unknown model is reported by the run, with its reasons
        return None


def command_line(args) -> str:
    """The `genoview train ...` command that repeats this run (options given, in a canonical order)."""
    from genoview import cli

    return cli.command_line(args, leave_out=("progress", "stop_file", "save_spec", "list_options"))


def _output_dir(args) -> Path:
    from genoview.paths import model_library_dir

    if args.out:
        return Path(args.out)
    if args.name:
        return model_library_dir() / args.name
    raise GenoViewInputError("say where the model goes: --out DIR, or --name NAME for the model library")


class _JsonLines:
    """--progress json: one JSON object per line on stdout, progress at most twice a second.

    A progress held back by that limit is sent before the next other event: the step a log or eval event is for
    (and a message's stage) is then the newest progress the reader has. Dropped, the wizard's status and bar
    showed an older step ("step 17/60") than the curve's log and eval at step 20 all through the evaluation."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self._last = 0.0
        self._held: dict | None = None   # the newest progress not sent (inside the half second)

    def emit(self, event: str, **fields) -> None:
        if event != "progress" and self._held is not None:
            held, self._held = self._held, None
            self._write("progress", held)
        self._write(event, fields)

    def _write(self, event: str, fields: dict) -> None:
        self.stream.write(json.dumps({"event": event, **fields}, default=_plain) + "\n")
        self.stream.flush()

    def progress(self, fraction: float, message: str | None = None) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < 0.5:
            self._held = {"fraction": round(fraction, 4), "message": message}
            return
        self._last = now
        self._held = None
        self.emit("progress", fraction=round(fraction, 4), message=message)

    def log(self, record: dict) -> None:
        if any(key.startswith("eval_") for key in record):
            metrics = {key[5:]: value for key, value in record.items() if key.startswith("eval_")}
            # a GeneORF fine-tune's evaluations are its candidates (name and gene offset change): the wizard names them
            named = {k: record[k] for k in ("candidate", "offset_delta") if k in record}
            self.emit("eval", split="validation", step=record["step"], epoch=record["epoch"], best=record.get("best"),
                      eta_seconds=record.get("eta_seconds"), **named, **metrics)
        else:
            self.emit("log", split="train", step=record["step"], epoch=record["epoch"], loss=record.get("loss"),
                      learning_rate=record.get("learning_rate"), eta_seconds=record.get("eta_seconds"),
                      total_steps=record.get("total_steps"))


def _plain(value):
    if hasattr(value, "item"):
        return value.item()
    return str(value)


class _StopRequest:
    """True once SIGTERM arrived or the stop file exists (checked after each step)."""

    def __init__(self, stop_file: str | None):
        self.stop_file = Path(stop_file) if stop_file else None
        self.signalled = False

    def __call__(self) -> bool:
        return self.signalled or (self.stop_file is not None and self.stop_file.exists())

    def install(self):
        def handler(signum, frame):
            self.signalled = True
        try:
            return signal.signal(signal.SIGTERM, handler)
        except ValueError:   # not the main thread (tests driving main() from a worker)
            return None


def run(args) -> int:
    from genoview.core.jobs import TextProgressBar
    from genoview.core.training.runner import run_training

    if args.list_options:
        from genoview.core.training.options import describe_options

        print(describe_options(args.architecture or "genecnn"))
        return 0
    json_out = _JsonLines() if args.progress == "json" else None
    try:
        return _run(args, json_out, TextProgressBar, run_training)
    except Exception as exc:
        if json_out is not None:
            json_out.emit("error", message=str(exc), kind=type(exc).__name__)
        line = group_lost_line(exc, args)
        if line is None:
            raise
        print(f"genoview train: error: {line}", file=sys.stderr, flush=True)
        return 1


# what torch.distributed's backends say when a peer of the group is gone (its socket closed, or it stopped answering)
PEER_LOST = ("connection reset", "connection closed", "broken pipe", "gloo", "nccl", "socket timeout", "timed out")


def group_lost(exc: BaseException) -> bool:
    """Whether ``exc`` is torch.distributed's word that another process of this torchrun group is gone (never with
    GENOVIEW_DEBUG, which keeps the traceback)."""
    import os

    from genoview.core.training.loop import distributed_rank

    if distributed_rank()[1] <= 1 or os.environ.get("GENOVIEW_DEBUG") or not isinstance(exc, RuntimeError):
        return False
    return any(words in str(exc).lower() for words in PEER_LOST)


def group_lost_line(exc: BaseException, args) -> str | None:
    """Under torchrun, the one line for a run stopped because another process of the group ended (rank 0 printed
    torch's 30-line gloo traceback); None for any other error, or with GENOVIEW_DEBUG (the traceback)."""
    if not group_lost(exc):
        return None
    from genoview.core.training.loop import list_checkpoints
    from genoview.core.training.runner import work_dir_for

    lead = "another process of this torchrun group ended (torchrun's report below says which and why); "
    try:
        work = work_dir_for(_output_dir(args).expanduser().absolute())
    except GenoViewInputError:
        work = None
    if work is not None and list_checkpoints(work):
        return lead + f"the unfinished run is kept in {work}: the same torchrun command with --resume continues it"
    return lead + "no checkpoint was saved yet: run the same torchrun command again"


def _run(args, json_out, TextProgressBar, run_training) -> int:
    spec = build_spec(args)
    if args.save_spec:   # never over the genomes it names (--save-spec genes.gff3 replaced the annotation)
        from genoview.core.prediction import check_outputs

        check_outputs({"training spec (--save-spec)": args.save_spec},
                      [p for g in spec.genomes for p in (g.get("fasta"), g.get("annotation"))], no_genomes=True)
        spec.save(args.save_spec)
        print(f"saved the training spec to {args.save_spec}; run it with: genoview train --spec {args.save_spec} "
              "--out DIR", file=sys.stderr)
        return 0
    if not spec.fasta:
        raise GenoViewInputError("no genome given; pass --fasta FILE (and --gff FILE for the labels)")
    output_dir = _output_dir(args)
    from genoview.core.models import check_library_name

    if args.name:   # a --name another model has: refused before the training ("saved but not added" after it)
        check_library_name(args.name, output_dir)
    args.architecture = spec.architecture   # the command recorded names it even when it came from --spec
    stop = _StopRequest(args.stop_file)
    previous = stop.install()
    from genoview.core.training_distributed import distributed_rank, run_worker

    if distributed_rank()[0] > 0:   # torchrun / accelerate launch: rank 0 reports, records and writes
        run_worker(spec, output_dir, device=args.device, should_stop=stop)
        return 0
    if json_out is not None:
        progress, on_log = json_out.progress, json_out.log
        say = lambda text: json_out.emit("message", text=text)
        json_out.emit("start", output=str(output_dir), architecture=spec.architecture, seed=spec.seed,
                      spec=spec.to_json())
    else:
        progress = TextProgressBar(f"train {spec.architecture}") if args.progress == "bar" else None
        def say(text: str) -> None:   # an annotation's skipped lines ("warning: ...") said as other warnings are
            if text.startswith("warning: "):
                from genoview.cli import say_warning

                return say_warning("train", text)
            print(text, file=sys.stderr, flush=True)

        def on_log(record: dict) -> None:
            if "eval_loss" in record and args.progress == "bar":
                metrics = "  ".join(f"{k[5:]} {v:.4f}" for k, v in record.items()
                                    if k.startswith("eval_") and isinstance(v, float))
                print(f"step {record['step']:>6}  epoch {record['epoch']:.2f}  {metrics}"
                      f"{'  *best' if record.get('best') else ''}", file=sys.stderr, flush=True)
    try:
        result = run_training(spec, output_dir, name=args.name or output_dir.name, command=command_line(args),
                              progress=progress, on_log=on_log, device=args.device, should_stop=stop,
                              overwrite=args.overwrite, on_message=say)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    test = result.extra.get("test") or {}
    if json_out is not None:
        # chosen / chosen_offset_delta: a GeneORF select fine-tune's kept candidate and its gene offset change (the
        # wizard stars that eval point), else None
        tuning = result.extra.get("fine_tuning") or {}
        json_out.emit("done", model_dir=str(result.output_dir), steps=result.steps,
                      stopped_because=result.stopped_because, test=test, validation=result.best_metrics,
                      chosen=tuning.get("chosen"), chosen_offset_delta=tuning.get("offset_delta"))
        return 0
    summary = f"saved to {result.output_dir} after {result.steps} steps ({result.stopped_because})"
    if test:
        summary += f"; test MCC {test['mcc']:.4f}, ROC AUC {test['roc_auc']:.4f}, accuracy {test['accuracy']:.4f}"
    print(summary)
    return 0
