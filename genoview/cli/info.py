"""`genoview info`: sequence ids, lengths, GC fraction, N count, feature counts, and what a lenient read skipped."""
from __future__ import annotations

import argparse
import json
import os
import sys


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "info", help="summarise a genome: sequences, lengths, GC, N, feature counts",
        description="Print each sequence's id, length, GC fraction and N count, and feature counts by type.",
    )
    p.add_argument("--fasta", help="genome: FASTA (plain, gzip, bgzip), GenBank, EMBL, or GFF3 with ##FASTA")
    p.add_argument("--gff", help="annotation: GFF3, GTF or GenBank (alone, without GENOME: its features by type and "
                                 "every line the reading reported)")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object instead of a table (with --strict, a refused file's too: \"refused\" "
                        "true, its \"error\" and every line a lenient read reports; exit status 2)")
    p.add_argument("--write-renamed", action="store_true",
                   help="when the annotation's sequence names differ from the genome's only as 'chr1' / 'NC_000907' "
                        "or a '.1' do, write a copy with the genome's names (NAME.renamed.gff3 beside it, as the "
                        "window's 'Open a copy' does) and summarise with it; when it also describes sequences the "
                        "genome lacks (a plasmid in another file), a copy without their features (NAME.kept.gff3); "
                        "the file itself is not changed")
    p.add_argument("--strict", action="store_true",
                   help="refuse an annotation with any bad line, naming it (default: load the rest and list "
                        "every skipped or repaired line)")
    p.set_defaults(run=run)
    return p


def summarise(genome) -> dict:
    """The info summary as a plain dict (what --json prints)."""
    sequences = [
        {"id": rec.id, "length": rec.length, "gc": round(rec.gc_fraction, 6), "n": rec.n_count}
        for rec in genome.sequences.values()
    ]
    return {"sequences": sequences, **_annotation_summary(genome.features)}


def _annotation_summary(features) -> dict:
    """The summary's annotation keys: feature counts by type and the lines the reading reported."""
    report = features.report
    return {"features": features.count_by_type(),
            "annotation_report": {"count": len(report), "counts": report.counts(), "lines": report.to_json()}}


def summarise_annotation(path: str, strict: bool):
    """An annotation read alone (`genoview info --gff FILE`, which every "lines kept" warning points to)."""
    from genoview.core.io import read_annotation

    features, _regions = read_annotation(path, strict=strict)
    return {"sequences": [], **_annotation_summary(features)}, features.report


def suggest_write_renamed(exc, command: str, genome: str | None) -> None:
    """Add to the message of ``exc`` (an annotation whose sequence names are not the genome's: check_features'
    error, with ``renaming`` or ``dropping``) the copy `genoview info --write-renamed` writes, before the awk command
    (kept last: it is copied and pasted as it stands; it renames one sequence, the copy every one). `genoview info`
    names its own option; every other command (``genome``: the genome file it was given) the info command to run:
    `evaluate` and the others suggested only awk (H-cli18b). Said once: the CLI's error handler calls it for every
    command, and info before it for its --json refusal."""
    import shlex

    renaming = getattr(exc, "renaming", None) or getattr(exc, "dropping", None)
    message = exc.args[0] if exc.args else ""
    if not renaming or not isinstance(message, str) or "--write-renamed" in message or exc.path is None:
        return
    if command == "info":
        run = "add --write-renamed for"
    elif genome:
        run = (f"`genoview info {shlex.quote(os.fspath(genome))} --gff {shlex.quote(exc.path)} --write-renamed` "
               "writes")
    else:   # evaluate --bedgraph without a genome: no info command to give
        return
    exc.args = (message.replace(
        "rename it in the annotation's first column, e.g. ",
        f"{run} a renamed copy (NAME.renamed.gff3), or rename it in the annotation's first column, e.g. ", 1).replace(
        "or an annotation of the genome's sequences only, e.g. ",
        f"or {run} a copy without their features (NAME.kept.gff3), or keep the genome's sequences' features "
        "yourself, e.g. ", 1), *exc.args[1:])


def run(args: argparse.Namespace) -> int:
    from genoview.core.errors import GenoViewInputError

    if not (args.strict and args.json):
        return _run(args)
    # --strict --json: a script reads standard output; a refusal printed only a line on standard error. It also gets
    # the JSON: "refused" true, the refusal (message, file, line) and, read leniently, every line --strict objects to
    try:
        return _run(args, extra={"refused": False})
    except GenoViewInputError as exc:
        if exc.path is None:
            raise
        lenient = argparse.Namespace(**{**vars(args), "strict": False, "write_renamed": False})
        try:
            summary, _report = _summary(lenient)
        except GenoViewInputError:   # refused leniently too: not a matter of --strict; said as without --json
            raise exc from None
        refusal = {"message": str(exc), "file": exc.path, "line": exc.line}
    json.dump({**summary, "refused": True, "error": refusal}, sys.stdout)
    sys.stdout.write("\n")
    print(f"genoview info: error: {refusal['message']}", file=sys.stderr)
    return 2


def _summary(args: argparse.Namespace):
    """(the summary --json prints, the annotation's report) of the command's files."""
    from genoview.core.errors import GenoViewInputError, require_input_file
    from genoview.core.genome import open_genome

    if args.fasta is None and args.gff is None:
        raise GenoViewInputError("name a genome (genoview info GENOME [--gff FILE]) or an annotation alone "
                                 "(genoview info --gff FILE)")
    if args.fasta is None:
        require_input_file(args.gff, "an annotation")
        summary, report = summarise_annotation(args.gff, args.strict)
    else:
        try:
            genome = open_genome(args.fasta, args.gff, strict=args.strict)
        except GenoViewInputError as exc:
            renaming = getattr(exc, "renaming", None) or getattr(exc, "dropping", None)
            if not (args.write_renamed and renaming):
                suggest_write_renamed(exc, "info", args.fasta)
                raise
            from genoview.core.genome import write_renamed_annotation
            from genoview.paths import user_data_dir

            copy = write_renamed_annotation(args.gff, renaming, user_data_dir() / "renamed annotations")
            names = ", ".join(f"{old} as {new}" if new is not None else f"{old}'s features left out"
                              for old, new in list(renaming.items())[:3])
            print(f"genoview info: wrote {copy}: {os.path.basename(args.gff)} with {names}"
                  f"{', ...' if len(renaming) > 3 else ''} (the file itself is unchanged); give it as --gff from now on",
                  file=sys.stderr)
            genome = open_genome(args.fasta, copy, strict=args.strict)
        with genome:
            summary = summarise(genome)
            report = genome.features.report
    return summary, report


def _run(args: argparse.Namespace, extra: dict | None = None) -> int:
    summary, report = _summary(args)
    out = sys.stdout
    if args.json:
        json.dump({**summary, **(extra or {})}, out)
        out.write("\n")
        return 0
    if args.fasta is None:
        out.write(f"{os.path.basename(args.gff)}: the annotation alone (give the genome too for its sequences)\n")
    else:
        width = max([len("sequence")] + [len(s["id"]) for s in summary["sequences"]])
        out.write(f"{'sequence':<{width}}  {'length':>14}  {'GC':>7}  {'N':>12}\n")
        for s in summary["sequences"]:
            out.write(f"{s['id']:<{width}}  {s['length']:>14,}  {s['gc']:>7.4f}  {s['n']:>12,}\n")
        total = sum(s["length"] for s in summary["sequences"])
        out.write(f"{len(summary['sequences'])} sequence(s), {total:,} bases\n")
    if summary["features"]:
        out.write("\nfeatures by type:\n")
        type_width = max(len(t) for t in summary["features"])
        for feature_type, count in summary["features"].items():
            out.write(f"  {feature_type:<{type_width}}  {count:>9,}\n")
    elif args.gff:
        out.write("\nno features\n")
    if report:
        counts = ", ".join(f"{n} {kind}" for kind, n in report.counts().items() if n)
        name = os.path.basename(report.path) if getattr(report, "path", None) else "the annotation"
        out.write(f"\n{name}: {len(report)} annotation line(s) reported ({counts}); --strict refuses such files:\n")
        for line in report.lines():
            out.write(f"  {line}\n")
    return 0
