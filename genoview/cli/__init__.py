"""Headless command line: `genoview info|predict|evaluate|train|calibrate|models|mutate|adapt|runs|gui`.

Each command lives in its own module here with ``add_parser(subparsers)`` and ``run(args) -> int``.
Nothing here imports Qt; `genoview gui` (and plain `genoview`) import the GUI only when run.
"""
from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import re
import sys
import traceback

from genoview import __version__
from genoview.core.errors import Cancelled, GenoViewInputError

SYSTEM_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}   # reported without a file name
COMMANDS = ["info", "predict", "evaluate", "train", "calibrate", "models", "mutate", "score-pairs",
            "variant-effects", "saturation", "train-lm", "adapt", "runs", "gui"]


# What a newcomer reads first in `genoview COMMAND --help`: commands that work as written (file names aside), each with
# what it does; tests/core/test_cli_newcomer_examples.py parses every one. Kept here (not in each command's module) so
# every command has them in one form.
EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "info": [("genoview info genome.fna.gz", "sequences: ids, lengths, GC, N"),
             ("genoview info genome.fna.gz --gff genes.gff3", "and the annotation's features by type")],
    "predict": [("genoview predict genome.fna.gz --gff-out genes.gff3 --proteins-out proteins.faa",
                 "genes and their proteins, default model"),
                ("genoview predict genome.fna.gz --bedgraph track.bedgraph.gz", "the gene-probability track"),
                ("genoview predict genome.fna.gz --seqid NC_000913.3 --start 1 --end 100,000 --bigwig track.bw "
                 "--model genecnn-ecoli", "one region, another model, bigWig")],
    "evaluate": [("genoview evaluate genome.fna.gz --gff genes.gff3", "the default model against your annotation"),
                 ("genoview evaluate genome.fna.gz --gff genes.gff3 --genes", "also gene by gene (stops, starts)"),
                 ("genoview evaluate --bedgraph track.bedgraph.gz --gff genes.gff3 --from 0.7 --to 1",
                  "a track you have, on the last 30 %")],
    "train": [("genoview train --init geneorf-bacteria --fasta genome.fna.gz --gff genes.gff3 --name my-geneorf",
               "fine-tune the default gene model"),
              ("genoview train --fasta genome.fna.gz --gff genes.gff3 --name my-cnn --max-steps 600",
               "a new GeneCNN, into your library"),
              ("genoview train --fasta genome.fna.gz --gff genes.gff3 --name my-cnn --save-spec spec.json",
               "only write the settings (run: --spec spec.json)")],
    "calibrate": [("genoview calibrate genome.fna.gz --model my-cnn --gff genes.gff3",
                   "on the validation part the model recorded")],
    "models": [("genoview models", "every model, the default marked *"),
               ("genoview models --task language-model", "language models only"),
               ("genoview models geneorf-bacteria", "what that model is for, how good it is, on what data"),
               ("genoview models --import their-model.zip --name their-cnn",
                "a colleague's model (a folder or an exported zip) into your library"),
               ("genoview models my-cnn --export my-cnn.zip", "a model as a zip (also --rename NEW, --delete)")],
    "mutate": [("genoview mutate --genes genes.csv.gz --max-changes 5 --n 1000 --seed 7 --out pairs.csv",
                "1,000 real/mutated pairs, up to 5 edits each")],
    "score-pairs": [("genoview score-pairs pairs.csv", "the default language model"),
                    ("genoview score-pairs pairs.csv --model kn-human-genes --model lm-human-genes",
                     "compare two models")],
    "variant-effects": [("genoview variant-effects --vcf mine.vcf --genome genome.fa --region chr7:1000-2000",
                         "each variant's log-likelihood ratio under the default language model"),
                        ("genoview variant-effects --vcf mine.vcf --genome genome.fa --model kn-human-genes "
                         "--model lm-human-genes --out effects.tsv", "two models side by side, written as TSV")],
    "saturation": [("genoview saturation --genome genome.fa --annotation genes.gff3 --region abcA --from 1 --length 60 "
                    "--out map.csv", "every substitution of the gene's first 60 bases, scored by the default language "
                    "model")],
    "train-lm": [("genoview train-lm --architecture ngram --genes genes.csv.gz --out my-kn",
                  "a Kneser-Ney model in about a minute")],
    "adapt": [("genoview adapt genome.fna.gz --out my-adapted", "the default model self-trained on this genome "
               "(no annotation needed)")],
    "runs": [("genoview runs", "the newest 20 runs: running, finished, failed, or lost with a cluster node"),
             ("genoview runs --kind train --status lost", "trainings whose node stopped showing progress")],
    "gui": [("genoview genome.fna.gz --gff genes.gff3", "open the window on a genome"),
            ("genoview gui genome.fna.gz --gff genes.gff3 --model geneorf-bacteria --locus thrA --screenshot view.png",
             "predict, go to a gene, save a picture")],
}


class ExamplesHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, except that the epilog's example lines (indented two spaces) are kept as written."""

    def _fill_text(self, text, width, indent):
        if "\n  genoview" not in text:
            return super()._fill_text(text, width, indent)
        head, _, examples = text.partition("\nExamples:\n")
        filled = super()._fill_text(head, width, indent) + "\n\n" if head.strip() else ""
        return filled + "Examples:\n" + examples


class CommandParser(argparse.ArgumentParser):
    """A command's parser: a missing genome is named as the usage line shows it (GENOME, given first); a usage
    error is one line, as README's exit codes say (argparse put the whole usage first, 24 lines for `train`, which
    hid the error in a batch job's log; H-cli18), pointing to --help."""

    def error(self, message):
        if "required: --fasta" in message and "GENOME" in (self.usage or ""):
            message = message.replace("--fasta", "GENOME (the genome file, first or after --fasta)", 1)
        elif "required: --pairs" in message and "--pairs" not in (self.usage or ""):
            message = message.replace("--pairs", "PAIRS.csv (the pair file, first or after --pairs)", 1)
        self.exit(2, f"{self.prog}: error: {message} (`{self.prog} --help` shows the options)\n")


def examples_epilog(command: str, epilog: str | None) -> str | None:
    """``epilog`` followed by the command's examples (each a command line, its comment on the next line)."""
    examples = EXAMPLES.get(command)
    if not examples:
        return epilog
    lines = [f"  {line}\n      # {what}" for line, what in examples]
    if command in FIRST_ARGUMENT:
        lines.append(f"  (the first file may come without {FIRST_ARGUMENT[command]})")
    return (epilog or "") + "\nExamples:\n" + "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genoview",
        description="GenoView: genomes, gene-probability tracks from DNA language models, evaluation and training.",
        epilog="Start with `genoview genome.fna.gz` (the window) or `genoview info genome.fna.gz`; "
               "`genoview COMMAND --help` shows each command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"GenoView {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"genoview.cli.{name.replace('-', '_')}")
        except ModuleNotFoundError as exc:
            if exc.name == f"genoview.cli.{name.replace('-', '_')}":
                continue  # command not built yet
            raise
        module.add_parser(sub)
        # options are spelt out: argparse read `predict --gff FILE` (the annotation option of the other commands)
        # as an abbreviation of --gff-out and wrote the predicted genes over the user's annotation
        sub.choices[name].allow_abbrev = False
        sub.choices[name].epilog = examples_epilog(name, sub.choices[name].epilog)
        sub.choices[name].formatter_class = ExamplesHelpFormatter
        if name in FIRST_ARGUMENT:   # the usage line shows the short form newcomers type (`genoview info GENOME`)
            option = FIRST_ARGUMENT[name]
            metavar = next(a.metavar or a.dest.upper() for a in sub.choices[name]._actions if option in a.option_strings)
            usage = sub.choices[name].format_usage().removeprefix("usage: ").strip()
            first = "GENOME" if option == "--fasta" else metavar
            sub.choices[name].usage = re.sub(   # a wrapped usage keeps its line break
                rf"{re.escape(option)}(\s+){re.escape(metavar)}",
                lambda m: (m.group(1) if "\n" in m.group(1) else "") + first, usage, count=1).replace("%", "%%")
    return parser


def number_type(cast, ok, expected: str, out_of_range: str):
    """An argparse type: ``cast(text)`` (else "expected EXPECTED, got 'text'"), kept when ``ok(value)``, else
    ``out_of_range`` formatted with ``value`` and ``text``."""
    def parse(text: str):
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(out_of_range.format(value=value, text=text))
        return value
    return parse


# every command's seeds: a whole number >= 0 (mutate and adapt met numpy's "expected non-negative integer"
# traceback for --seed -1; train refused it in its own words)
seed_number = number_type(int, lambda v: v >= 0, "a whole number >= 0", "seed {value} is out of range; allowed: >= 0")


def command_line(args: argparse.Namespace, leave_out: tuple[str, ...] = ()) -> str:
    """The `genoview COMMAND ...` line that repeats a run, recorded by train, train-lm and adapt (runs table,
    genoview.json, model card): the options given (defaults left out) in the parser's order, spelt out, one flag per
    value of a repeatable option, an option of several words (nargs) its words, other lists comma-joined; files and
    folders absolute (`_recorded_paths`: a model card's command run from another folder found other files or none);
    ``leave_out``: the dests that say how a run reports, not what it computes. Read from the parsed options, not
    ``sys.argv`` (an in-process ``main([...])`` recorded the caller's own argv, and abbreviations or option order made
    two equal runs look different). The command's parser is ``args._parser`` (its ``set_defaults``)."""
    import shlex

    words = ["genoview", args._parser.prog.split()[-1]]
    for action in args._parser._actions:
        if not action.option_strings or action.dest in ("help", "_parser", *leave_out):
            continue
        value = getattr(args, action.dest, None)
        if value is None or value is False or value == [] or value == action.default:
            continue
        flag = action.option_strings[0]
        value = _recorded_paths(action.dest, value)
        if value is True:
            words.append(flag)
        elif isinstance(action, argparse._AppendAction):
            for item in value:
                words += [flag, str(item)]
        elif isinstance(value, list) and (action.nargs in ("+", "*") or isinstance(action.nargs, int)):
            words += [flag, *(str(item) for item in value)]   # `--x a b` (comma-joined it read as one value "a,b")
        elif isinstance(value, list):
            words += [flag, ",".join(str(item) for item in value)]
        else:
            words += [flag, str(value)]
    return shlex.join(words)


# dests of the recorded commands' options that name files or folders, and how: "path" always; "genome"
# FASTA[:GFF] (train) or FASTA (train-lm); "model" a model NAME (left as typed) or a folder
PATH_DESTS = {"fasta": "path", "gff": "path", "annotation": "path", "out": "path", "spec": "path", "genes": "path",
              "stop_file": "path", "save_spec": "path", "genome": "genome", "init": "model", "model": "model"}


def _recorded_paths(dest: str, value):
    """``value`` of option ``dest`` with its file and folder names made absolute (as the recorded command needs to
    repeat the run from any folder); model names, and options that name no file, unchanged."""
    kind = PATH_DESTS.get(dest)
    if kind is None or value is None or isinstance(value, bool):
        return value
    if isinstance(value, list):
        return [_recorded_paths(dest, item) for item in value]
    text = os.fspath(value)
    if kind == "path":
        return os.path.abspath(os.path.expanduser(text))
    if kind == "genome":   # as train's _genomes reads it: FASTA:GFF unless the whole word is a file
        if ":" in text and not os.path.exists(text):
            fasta, _, gff = text.partition(":")
            return os.path.abspath(fasta) + (":" + os.path.abspath(gff) if gff else ":")
        return os.path.abspath(os.path.expanduser(text))
    # a model: a folder is made absolute; a bare word is a name unless it only resolves to a folder here
    if "/" in text or "\\" in text or text in (".", ".."):
        return os.path.abspath(os.path.expanduser(text))
    if os.path.isdir(text):
        try:
            from genoview.core.models import resolve_model_dir

            resolved = resolve_model_dir(text)
        except Exception:   # noqa: BLE001 - the run itself reports an unknown model
            resolved = None
        if resolved is not None and os.path.samefile(resolved, text):
            return os.path.abspath(text)
    return text


def default_language_model(command: str, kind: tuple[str | None, str] | None = None) -> str:
    """The language model for ``genoview COMMAND`` given no --model, by the window's rule (core's
    ``genome_kind.language_model_for``): the bacterial-gene model for a genome that looks like a prokaryote's, else
    the default (human genes), and the user's own model flagged default for every genome; ``kind`` is
    ``genome_kind(genome)``, None without a genome (score-pairs). Said on stderr with why; an input error when none
    is installed."""
    from genoview.core.genome_kind import installed_bacterial_lm, language_model_for
    from genoview.core.lm_models import language_model_default

    genome_kind, why = kind if kind is not None else (None, "")
    default, users_default = language_model_default()
    name, reason = language_model_for(genome_kind, default,
                                      installed_bacterial_lm() if genome_kind == "prokaryote" and not users_default
                                      else None, users_default)
    if name is None:
        raise GenoViewInputError("no language model is installed: give --model NAME|DIR")
    said = reason if users_default else f"{reason} ({why})" if genome_kind is not None else (
        f"{reason}: {why}" if why else f"{reason}: no genome to tell a bacterium from a eukaryote")
    print(f"genoview {command}: no --model: {name}, {said}; --model chooses another", file=sys.stderr)
    return name


def misspelt_command(word: str) -> str | None:
    """The command ``word`` is a slip for (`genoview prdict ...` opened the window with a genome named 'prdict');
    None when ``word`` is a file (plain `genoview genome.fa` opens the window) or like no command."""
    import difflib

    if os.path.exists(word) or any(c in word for c in "./\\"):
        return None
    matches = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    return next((c for c in COMMANDS if c.replace("-", "") == word.lower().replace("-", "").replace("_", "")), None)


def quiet_library_progress_bars() -> None:
    """No "Loading weights" / "Writing model shards" tqdm bars from Hugging Face libraries between GenoView's own
    progress lines (they said nothing a user needs and broke the one-bar-per-stage output)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")   # read when huggingface_hub is first imported
    if "transformers" in sys.modules:   # already imported (a test, or a caller that imported it first)
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except Exception:  # noqa: BLE001 - cosmetic only
            pass


def one_line_warnings(command: str) -> None:
    """Python warnings from libraries (pyrodigal's "sequence should be at least 100000 characters", ...) as one
    line "genoview COMMAND: warning: ..." instead of a source path, line number and code line."""
    import warnings

    def show(message, category, filename, lineno, file=None, line=None):
        print(f"genoview {command}: warning: {message}", file=sys.stderr if file is None else file)

    warnings.showwarning = show


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, timeout, a batch scheduler's time limit) raised where the work is, so the same clean-up as
    Ctrl-C runs: half-written outputs removed (they stayed as .NAME.PID.genoview-tmp files until the next run)."""


def terminate_like_interrupt() -> None:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum, frame):
        raise Terminated()

    signal.signal(signal.SIGTERM, handler)


FIRST_ARGUMENT = {"info": "--fasta", "predict": "--fasta", "evaluate": "--fasta", "adapt": "--fasta",
                  "calibrate": "--fasta", "score-pairs": "--pairs"}   # commands whose main input may come first, without its option


def genome_as_fasta(argv: list[str], parser: argparse.ArgumentParser | None = None) -> list[str]:
    """`genoview info genome.fna.gz` as `genoview info --fasta genome.fna.gz` (`score-pairs PAIRS.csv` as
    `--pairs PAIRS.csv`): `genoview gui` takes the genome that way, and newcomers typed it so for the others too
    (argparse: "the following arguments are required: --fasta")."""
    option = FIRST_ARGUMENT.get(argv[0]) if argv else None
    if not option or len(argv) < 2 or option in argv or any(a.startswith(option + "=") for a in argv):
        return argv
    if not argv[1].startswith("-"):
        return [argv[0], option, *argv[1:]]
    # the genome after the options (`predict --gff-out genes.gff3 genome.fna`, as most tools take it): argparse said
    # "required: GENOME" or "unrecognized arguments: genome.fna"; the one word no option takes is the genome
    loose = loose_words(argv, parser)
    if len(loose) == 1:
        return [*argv[:loose[0]], option, *argv[loose[0]:]]
    return argv


def loose_words(argv: list[str], parser: argparse.ArgumentParser | None) -> list[int]:
    """Indexes of ``argv``'s words (after the command) that are neither an option nor an option's value."""
    if parser is None:
        return []
    command = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    sub = command.choices.get(argv[0]) if command is not None else None
    if sub is None:
        return []
    takes = {name: action.nargs for action in sub._actions for name in action.option_strings}
    loose, i = [], 1
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return []
        if word.startswith("-") and len(word) > 1 and not word.lstrip("-")[:1].isdigit():
            name = word.split("=", 1)[0]
            if name not in takes:
                return []   # an option argparse will name as unknown: leave the words as typed
            if "=" not in word and takes[name] != 0:
                if takes[name] not in (None, 1):
                    return []   # several values: which word is whose is argparse's to say
                i += 1
        else:
            loose.append(i)
        i += 1
    return loose



def several_genomes(argv: list[str], parser: argparse.ArgumentParser | None) -> str | None:
    """What to do when several genome files are given to a one-genome command (`genoview predict *.fna.gz`, as a
    cluster user types it): argparse said only "unrecognized arguments: b.fna.gz" under the top-level usage."""
    if not argv or FIRST_ARGUMENT.get(argv[0]) != "--fasta":
        return None
    extra = [argv[i] for i in loose_words(argv, parser)]
    if not extra or not all(os.path.isfile(word) for word in extra):
        return None
    annotations = [word for word in extra if _annotation_name(word)]
    if annotations:   # `genoview evaluate genome.fna annotation.gff3`: the --gff forgotten, not a second genome
        if argv[0] == "predict":
            return (f"{annotations[0]} looks like an annotation, and predict reads none (it predicts from the "
                    f"sequence alone): leave it out, and score the prediction against it with `genoview evaluate "
                    f"GENOME --gff {annotations[0]}`")
        if "--gff" not in _options_of(argv[0], parser):
            return None
        return (f"{annotations[0]} looks like an annotation: give it with --gff (`genoview {argv[0]} GENOME --gff "
                f"{annotations[0]}`)")
    given = argv.index("--fasta") + 1 if "--fasta" in argv else None
    files = ([argv[given]] if given is not None and given < len(argv) else []) + extra
    if len(files) < 2:
        return None
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return (f"one genome per run, and {len(files)} files were given ({shown}); run the command once per genome, "
            f"each with its own output names, e.g. `for g in *.fna.gz; do genoview {argv[0]} \"$g\" ...; done` or one "
            "job of an array per genome (the runs may share one GENOVIEW_HOME). A genome in several sequences "
            "(chromosomes, plasmids, a draft's contigs) is one multi-FASTA file: `cat` them into one")


def _annotation_name(path: str) -> bool:
    name = path.lower().removesuffix(".gz").removesuffix(".bgz")
    return name.endswith((".gff", ".gff3", ".gtf", ".gff2"))


def _options_parser(command: str | None, parser: argparse.ArgumentParser | None) -> argparse.ArgumentParser | None:
    """The parser of ``command`` (None when there is none)."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None) if parser else None
    return sub.choices.get(command) if sub is not None and command else None


def _options_of(command: str, parser: argparse.ArgumentParser | None) -> set[str]:
    chosen = _options_parser(command, parser)
    return {name for action in chosen._actions for name in action.option_strings} if chosen is not None else set()

TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")   # any other leading option is the window's (`genoview --locus thrA`)


class StderrWarnings(logging.Handler):
    """Core's warnings (the ``genoview`` logger: a GENOVIEW_HOME that cannot be written) as one line on standard
    error, ``genoview COMMAND: warning: ...``, the stream looked up at each line (tests capture it)."""

    def __init__(self, command: str) -> None:
        super().__init__(logging.WARNING)
        self.command = command

    def emit(self, record: logging.LogRecord) -> None:
        print(f"genoview {self.command}: warning: {record.getMessage()}", file=sys.stderr)


def say_warning(command: str, text: str) -> None:
    """A warning core words as 'warning: ...' (an annotation's skipped or repaired lines, AnnotationReport.warning)
    on standard error as every other CLI warning: 'genoview COMMAND: warning: ...' (it came without the prefix)."""
    print(f"genoview {command}: warning: {text.removeprefix('warning: ')}", file=sys.stderr, flush=True)


def quiet_closed_stdout() -> None:
    """Standard output's reader is gone: what is left in its buffer goes nowhere (Python's flush at exit printed
    "Exception ignored ... BrokenPipeError" and exited 120). 141 is then returned, the status a shell gives a Unix
    tool that SIGPIPE ended (`seq 1 1000000 | head -1`), so `set -o pipefail` sees the output was not all read."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):   # a standard output without a file descriptor (tests capture it)
        pass


class ClosedStdout:
    """``sys.stdout`` for a program started with its standard output closed (`genoview models >&-`): Python gives
    None there, and the first print was an AttributeError traceback; a write is now one line naming it (main's
    OSError handler, exit 2), after the files a command writes are in place."""

    def write(self, data) -> int:
        raise OSError(errno.EBADF, "closed (the command was started with >&-); redirect it to a file or /dev/null",
                      "standard output")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    @property
    def buffer(self):
        return self


def main(argv: list[str] | None = None) -> int:
    if argv is None and not os.environ.get("GENOVIEW_DEBUG"):   # the program itself (tests keep pytest's warnings)
        one_line_warnings(next((a for a in sys.argv[1:2] if a in COMMANDS), "gui"))
    if argv is None and sys.argv[1:2] and sys.argv[1] in COMMANDS and sys.argv[1] != "gui":
        terminate_like_interrupt()   # `genoview train` installs its own (finish the best weights) over this one
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["help"] and not os.path.exists("help"):   # `genoview help [COMMAND]`, as git and pip take it
        argv = [*argv[1:2], "--help"]
    parser = build_parser()
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        suggestion = misspelt_command(argv[0])
        if suggestion:
            print(f"genoview: error: unknown command {argv[0]!r}; did you mean `genoview {suggestion}`? "
                  "(genoview --help lists the commands)", file=sys.stderr)
            return 2
    if not argv or (argv[0] not in COMMANDS and argv[0] not in TOP_LEVEL_OPTIONS):
        # plain `genoview` (or `genoview genome.fa`, `genoview --gff genes.gff3 genome.fa`) opens the GUI
        argv = ["gui", *argv]
    argv = genome_as_fasta(argv, parser)
    several = several_genomes(argv, parser)
    if several:
        print(f"genoview {argv[0]}: error: {several}", file=sys.stderr)
        return 2
    args, extra = parser.parse_known_args(argv)
    if sys.stdout is None and args.command != "gui":
        # started with >&-: one line at the first write, not a traceback. Not the window: a windowed bundle
        # (pythonw, PyInstaller --windowed) has no standard output at all, and print() there must stay a no-op
        sys.stdout = ClosedStdout()
    if extra:   # argparse named them as "genoview: error: ..." under the top-level usage (H-cli18)
        chosen = _options_parser(args.command, parser)
        (chosen or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    quiet_library_progress_bars()
    if args.command is None:
        parser.print_help()
        return 2
    warnings_out = StderrWarnings(args.command)
    logging.getLogger("genoview").addHandler(warnings_out)
    try:
        return int(args.run(args) or 0)
    except GenoViewInputError as exc:
        if getattr(exc, "renaming", None) or getattr(exc, "dropping", None):   # names not the genome's: the copy
            from genoview.cli.info import suggest_write_renamed                   # `genoview info` writes

            suggest_write_renamed(exc, args.command, getattr(args, "fasta", None) or getattr(args, "genome", None))
        if os.environ.get("GENOVIEW_DEBUG"):   # README: "GENOVIEW_DEBUG=1 shows one" (the traceback); same exit code
            traceback.print_exc()
        print(f"genoview {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except Cancelled:
        print(f"genoview {args.command}: cancelled", file=sys.stderr)
        return 130
    except Terminated:
        print(f"genoview {args.command}: terminated (SIGTERM)", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print(f"genoview {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:   # the reader of standard output stopped (`| head`): quiet, with SIGPIPE's status
        quiet_closed_stdout()
        return 141
    except OSError as exc:   # a file the system refused (no space, permission, not a folder): one line, no traceback
        if exc.filename is None and exc.errno not in SYSTEM_ERRNOS or os.environ.get("GENOVIEW_DEBUG"):
            raise
        where = f"{exc.filename}: " if exc.filename is not None else ""
        print(f"genoview {args.command}: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        logging.getLogger("genoview").removeHandler(warnings_out)


if __name__ == "__main__":
    sys.exit(main())
