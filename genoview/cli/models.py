"""`genoview models`: the shipped, library and built-in models by task, with their metrics and the default."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(subparsers) -> argparse.ArgumentParser:
    from genoview.core.models.registry import Task

    p = subparsers.add_parser(
        "models", help="list the models GenoView can run; import, export, rename or delete yours",
        description="List every shipped model (models/), every model in your library, and the built-in "
                    "Prodigal baseline, with task, architecture, test metrics and which one is the default. "
                    "A folder that cannot be loaded is listed as broken, with the reason. --import, --export, "
                    "--rename and --delete manage your library as the window's Models ▸ Library… does.",
    )
    p.add_argument("name", nargs="?", metavar="NAME",
                   help="one model: print what it is, what it is for, how good it is and what it was trained on "
                        "(the top of its card, README.md)")
    p.add_argument("--task", metavar="TASK", help=f"only models for this task: {', '.join(t.value for t in Task)}")
    p.add_argument("--json", action="store_true",
                   help='print a JSON list of {"name", "path", "architecture", "task", "default", "metrics", '
                        '"description", "broken"} (broken: null, or why the folder cannot be loaded); with NAME, '
                        'that model\'s object plus "summary" (the card\'s top) and "card" (its path)')
    library_group = p.add_argument_group("your library (as the window's Models ▸ Library… does)")
    manage = library_group.add_mutually_exclusive_group()
    manage.add_argument("--import", dest="import_from", metavar="FOLDER|ZIP",
                        help="copy a model folder (config.json, model.safetensors, ...) or the zip `--export` or the "
                             "window's Export zip… wrote into your library, checked first (named by its "
                             "genoview.json, or --name)")
    manage.add_argument("--export", metavar="ZIP", help="write model NAME as a zip another GenoView imports")
    manage.add_argument("--rename", metavar="NEW", help="rename your model NAME (shipped models are read-only)")
    manage.add_argument("--delete", action="store_true",
                        help="delete your model NAME: a library folder is removed; a folder kept elsewhere (made "
                             "with --out) is only taken off the list, its files stay")
    p.add_argument("--name", dest="new_name", metavar="NEW", help="with --import: the library name to give it")
    p.set_defaults(run=run)
    return p


def manage(args: argparse.Namespace) -> int:
    """--import / --export / --rename / --delete, each one line on standard error when done (H-cli18: a server
    without a display had no way to do them; the window's library did)."""
    from genoview.core import library
    from genoview.core.errors import GenoViewInputError

    if args.new_name and not args.import_from:
        raise GenoViewInputError("--name goes with --import (the library name of the imported model); "
                                 "--rename NEW renames a model")
    if args.import_from:
        if args.name:
            raise GenoViewInputError(f"--import takes a folder or zip, not a model NAME ({args.name}); give the "
                                     "library name with --name")
        target = library.import_model(args.import_from, args.new_name)
        print(f"genoview models: imported {args.import_from} as {target.name} ({target})", file=sys.stderr)
        return 0
    wanted = "--export ZIP" if args.export else "--rename NEW" if args.rename else "--delete"
    if not args.name:
        raise GenoViewInputError(f"name the model: genoview models NAME {wanted}")
    from genoview.core.models import list_models, resolve_model_dir

    names = [info.name for info in list_models()]
    if args.name not in names and not (args.export and Path(args.name).is_dir()):   # export also takes a folder
        close = library.close_names(args.name, names)
        raise GenoViewInputError(f"no model named {args.name!r}." + (f" Did you mean {' or '.join(close)}?" if close
                                                                     else "") + " `genoview models` lists them all.")
    if args.export:
        from genoview.core.prediction import check_outputs

        check_outputs({"zip (--export)": args.export}, [], no_genomes=True)   # it replaced a genome.fa
        print(f"genoview models: wrote {library.export_zip(args.name, args.export)} (genoview models --import "
              "takes it back)", file=sys.stderr)
    elif args.rename:
        target = library.rename_model(args.name, args.rename)
        print(f"genoview models: renamed {args.name} to {args.rename} ({target})", file=sys.stderr)
    else:
        directory = resolve_model_dir(args.name)
        removed = library.delete_model(args.name)
        print(f"genoview models: deleted {args.name}" + (f" ({directory} removed)" if removed else
              f" from the list (its folder {directory} stays)"), file=sys.stderr)
    return 0


def _metric(metrics: dict, name: str) -> str:
    """A test-part metric: training writes {"test": {...}, "validation": {...}}; flat dicts work too."""
    test = metrics.get("test")
    value = test.get(name) if isinstance(test, dict) else metrics.get(name)
    return f"{value:.4f}" if isinstance(value, (int, float)) and not isinstance(value, bool) else "-"


SCORE_MARK = "~"


def _is_score(info) -> bool:
    """Whether a language model's test perplexity is a score (its metrics say so): a mixture of both reading
    directions or a bidirectional pseudo-log-likelihood is not a normalised left-to-right model."""
    test = info.metrics.get("test") if isinstance(info.metrics, dict) else None
    return isinstance(test, dict) and bool(test.get("score"))


def card_summary(card: str) -> str:
    """The top of a model card in plain text: its lines up to the first section heading, markdown marks dropped."""
    import re

    lines = []
    for line in card.splitlines()[1:]:   # the first line is the "# name" title
        if line.startswith("## "):
            break
        if line.startswith("<!--"):
            continue
        line = re.sub(r"\*\*([^*]+)\*\*", r"\1", line)          # **bold**
        line = re.sub(r"(?<![*\w])\*([^*]+)\*(?!\*)", r"\1", line)  # *italic*
        lines.append(line.replace("`", ""))
    return "\n".join(lines).strip()


def show_one(name: str, infos, out, as_json: bool = False) -> int:
    """``genoview models NAME``: the card's plain-words top, the figures the table shows, where the whole card is
    (``--json``: the list's record of that model plus "summary" and "card", as README's `models [NAME] [--json]`)."""
    import textwrap

    from genoview.core.errors import GenoViewInputError
    from genoview.core.library import close_names, model_details

    info = next((i for i in infos if i.name == name), None)
    if info is None:
        close = close_names(name, [i.name for i in infos])   # as the library window's search says it
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise GenoViewInputError(f"no model named {name!r}.{hint} `genoview models` lists them all.")
    details = model_details(info.path if info.path and info.path != "(built-in)" else name)
    summary = card_summary(details["card"]) or info.description or info.name   # a built-in's card: its module's CARD
    if as_json:   # was ignored: `genoview models NAME --json` printed the text
        record = dict(info.to_json(), summary=summary,
                      card=f"{details['path']}/README.md" if details.get("path") else None)
        json.dump(record, out, indent=1)
        out.write("\n")
        return 0
    out.write(f"{info.name}  ({info.task}, {info.architecture}{'; the default' if info.default else ''})\n\n")
    for paragraph in summary.split("\n"):
        indent = "  " if paragraph.startswith("- ") else ""
        out.write(textwrap.fill(paragraph, width=100, subsequent_indent=indent + "  ", break_on_hyphens=False) + "\n" if paragraph else "\n")
    if details.get("path"):
        out.write(f"\nThe whole card: {details['path']}/README.md (also Models ▸ Library… in the window)\n")
    if info.broken:
        out.write(f"! broken, cannot be loaded: {info.broken}\n")
    return 0


def run(args: argparse.Namespace) -> int:
    from genoview.core.library import remove_import_leftovers
    from genoview.core.models import list_models

    remove_import_leftovers()   # a killed import's hidden work folder in the library (as the library window does)
    if args.import_from or args.export or args.rename or args.delete or args.new_name:
        return manage(args)
    infos = list_models(task=args.task)
    if args.name:
        return show_one(args.name, infos, sys.stdout, as_json=args.json)
    out = sys.stdout
    lm_default = None
    if any(info.task == "language-model" for info in infos):
        from genoview.core.lm_models import default_language_model_name

        lm_default = default_language_model_name()
    if args.json:
        json.dump([info.to_json() for info in infos], out, indent=1)
        out.write("\n")
        return 0
    if not infos:
        out.write(f"no {args.task} models installed\n")
        return 0
    name_width = max(len("name"), *(len(info.name) for info in infos))
    arch_width = max(len("architecture"), *(len(info.architecture) for info in infos))
    task_width = max(len("task"), *(len(info.task) for info in infos))
    # test-part metrics: MCC and ROC AUC for gene models, perplexity for language models (shown when listed)
    columns = [("test MCC", "mcc"), ("ROC AUC", "roc_auc")]
    if any(_metric(info.metrics, "perplexity") != "-" for info in infos):
        columns.append(("perplexity", "perplexity"))
    header = "  ".join(f"{title:>8}" for title, _ in columns)
    out.write(f"  {'name':<{name_width}}  {'task':<{task_width}}  {'architecture':<{arch_width}}  {header}  path\n")
    broken = []
    for info in infos:
        mark = "*" if info.default or info.name == lm_default else ("!" if info.broken else " ")
        values = "  ".join(f"{_metric(info.metrics, key) + (SCORE_MARK if key == 'perplexity' and _is_score(info) else ''):>{max(8, len(title))}}"
                           for title, key in columns)
        out.write(f"{mark} {info.name:<{name_width}}  {info.task:<{task_width}}  {info.architecture:<{arch_width}}  "
                  f"{values}  {info.path}\n")
        if info.broken:
            broken.append(info)
    if any(info.default for info in infos):
        out.write("* = default model (used when --model is not given)\n")
    if lm_default:
        out.write(f"* on a language model: the default language model ({lm_default}: score-pairs without --model, "
                  "the Real vs mutated panel)\n")
    if any(_is_score(info) for info in infos):
        out.write(f"{SCORE_MARK} = a score, not a language-model perplexity (both reading directions mixed, or each base "
                  "given both sides): compare it only with other scores\n")
    for info in broken:
        out.write(f"! {info.name} is broken and cannot be loaded: {info.broken}\n")
    out.write("What a model is for and how good it is: genoview models NAME\n")
    return 0
