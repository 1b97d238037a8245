"""`genoview evaluate`: score a gene-probability track (a bedGraph, or a model run now) against an annotation."""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

from genoview.core.errors import GenoViewInputError, require_input_file
from genoview.core.track_files import BIGWIG_MAGIC, read_track  # noqa: F401 - the one track reader (core)
from genoview.cli.predict import add_model_arguments


FEATURE_TYPES_DEFAULT = "gene,pseudogene"


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "evaluate", help="score a track against the annotation (MCC, ROC AUC, ...)",
        description="Score per-nucleotide gene probabilities against an annotation, base by base (the figures "
                    "agree with the reference scorer score_track.py): a base is genic when a feature of "
                    "--feature-types covers it (either strand); bases the track does not cover count as probability "
                    "0 ('uncovered'). Give the genome to predict with a model and score in one go (the default model "
                    "unless --model), or score an existing --bedgraph.",
        epilog="The split --from/--to is a fraction of every sequence, [int(n*from), int(n*to)); the customary "
               "test part is --from 0.7 --to 1.0. With --model and no --from/--to, each sequence the model was "
               "trained on is scored on the part it held out (recorded in its genoview.json), any other sequence "
               "whole; scoring bases the model was trained on prints a warning. Unlike score_track.py, a feature "
               "crossing the origin of a circular sequence is genic on both sides of the origin, and features or "
               "track values on sequences the genome does not have are errors.",
    )
    source = p.add_mutually_exclusive_group()   # neither: --fasta predicts with the default model (as --model says)
    source.add_argument("--bedgraph", metavar="TRACK", help="the track to score: bedGraph (plain or gzip) or bigWig, "
                                                             "as `genoview predict` writes")
    p.add_argument("--gff", help="the annotation with the true genes (GFF3, GTF or GenBank); default: the "
                                 "features of a GenBank or EMBL genome (or of a GFF3 holding its sequences)")
    p.add_argument("--fasta", help="the genome (sequence lengths; required with --model); default: the GFF's "
                                   "##sequence-region lines")
    p.add_argument("--seqid", help="score this sequence only (default: every sequence)")
    p.add_argument("--from", dest="frac_from", type=float, default=None,
                   help="split start as a fraction (default 0, or the model's held-out part)")
    p.add_argument("--to", dest="frac_to", type=float, default=None,
                   help="split end as a fraction (default 1, or the model's held-out part)")
    p.add_argument("--threshold", type=float, default=0.5, help="genic when probability >= this (default 0.5)")
    p.add_argument("--feature-types", default=FEATURE_TYPES_DEFAULT,
                   help="comma-separated annotation types that count as genic (default gene,pseudogene)")
    p.add_argument("--json", action="store_true", help="print one JSON object (score_track.py's keys plus pr_auc)")
    p.add_argument("--genes", action="store_true",
                   help="also score gene calls against the annotated CDS (stop / start sensitivity and precision), "
                        "the track's genes beside Prodigal's; needs --fasta")
    p.add_argument("--disagreements", metavar="FILE",
                   help="also write the genes the track's calls, Prodigal and the annotation disagree on (by stop "
                        "codon; the window's View > Gene disagreements) as a table: TSV, or CSV for a .csv name, "
                        "with the annotation's locus tag, name and product; implies --genes")
    p.add_argument("--curves", metavar="FILE",
                   help="also write the ROC and precision-recall curves as a table (TSV, or CSV for a .csv name): per "
                        "threshold 1.000 to 0.000 in steps of 0.001, the counts, TPR/recall, FPR, precision and MCC "
                        "(precision is 1 where nothing is predicted, where the plotted curve starts; the printed "
                        "precision at --threshold says 0 there)")
    p.add_argument("--strict", action="store_true", help="refuse an annotation with any bad line (default: skip "
                                                         "such lines with a warning)")
    add_model_arguments(p, model_group=source)   # at most one source of probabilities: --bedgraph or --model
    p.set_defaults(run=run)
    return p


def annotation_of_genome(args, command: str) -> None:
    """No --gff: a GenBank or EMBL genome is its own annotation (`train` read its features; `evaluate hinf.gbk`
    stopped at "the following arguments are required: --gff"), said on stderr; a FASTA has none: the fix is named."""
    if args.gff:
        return
    from genoview.core.io import GENBANK, GFF, detect_format

    kind = detect_format(args.fasta) if args.fasta and os.path.isfile(args.fasta) else None
    if kind in (GENBANK, GFF):   # a GFF3 genome (its sequences after ##FASTA) too: it was told "a FASTA file holds
        args.gff = args.fasta    # no genes"; one without the section gets the reader's "no ##FASTA section" message
        print(f"genoview {command}: the annotation is {args.fasta}'s own features (--gff FILE for another)",
              file=sys.stderr)
        return
    raise GenoViewInputError(f"{command} needs the annotation with the true genes: add --gff genes.gff3 (GFF3, GTF, "
                             "GenBank or EMBL)" + (" - a FASTA file holds no genes" if args.fasta else ""),
                             args.fasta)


def sequence_lengths(args, features, regions) -> dict[str, int]:
    """Lengths of every sequence of the genome: from --fasta, else the annotation's ##sequence-region lines."""
    if args.fasta:
        from genoview.core.genome import open_genome

        with open_genome(args.fasta) as genome:
            return {seqid: record.length for seqid, record in genome.sequences.items()}
    lengths = {seqid: end for seqid, (start, end) in regions.items()}
    if not lengths:
        raise GenoViewInputError("has no ##sequence-region lines to take sequence lengths from; pass --fasta",
                                 args.gff)
    return lengths


def scored_lengths(args, lengths: dict[str, int]) -> dict[str, int]:
    """The sequences to score: all, or --seqid."""
    if not args.seqid:
        return lengths
    if args.seqid not in lengths:
        raise GenoViewInputError(f"no sequence {args.seqid!r} (there are: {', '.join(list(lengths)[:5])})",
                                 args.fasta or args.gff)
    return {args.seqid: lengths[args.seqid]}


def genic_labels(features, lengths: dict[str, int], types: list[str], path: str) -> dict[str, np.ndarray]:
    """Per-sequence genic masks (genoview.core.genome.genic_mask: either strand, both sides of a circular origin)."""
    from genoview.core.genome import genic_mask

    labels = {seqid: genic_mask(features, seqid, length, types) for seqid, length in lengths.items()}
    if not any(mask.any() for mask in labels.values()):
        counts = features.count_by_type()
        have = ", ".join(f"{t} ({n:,})" for t, n in counts.items()) or "no features"
        raise GenoViewInputError(f"no {'/'.join(types)} features on the sequences scored; the annotation has: "
                                 f"{have}; choose --feature-types from those", path)
    return labels


def tracks_from_bedgraph(path: str, lengths: dict[str, int], genome_lengths: dict[str, int] | None = None,
                         genome: str = "the genome") -> dict[str, np.ndarray]:
    """Full-length float32 tracks (NaN where the bedGraph has no value) of the sequences scored.

    Values on a sequence the genome does not have, or past a sequence's end, are errors: the track is
    for another genome (score_track.py would drop or clip them silently).
    """
    require_input_file(path, "a track")   # a folder said "file not found"
    genome_lengths = genome_lengths if genome_lengths is not None else lengths
    tracks = {seqid: np.full(length, np.nan, dtype=np.float32) for seqid, length in lengths.items()}
    foreign: dict = {}   # read with the genome's lengths: another genome's values are not read, an end past one is
    read = read_track(path, genome_lengths, foreign, genome)   # refused at its line (a typo'd end made 8 GB first)
    for seqid, line in list(foreign.items())[:1]:
        known = ", ".join(list(genome_lengths)[:5]) + (", ..." if len(genome_lengths) > 5 else "")
        raise GenoViewInputError(f"has values for sequence {seqid!r}, which {genome} does not have (it has: "
                                 f"{known}); is this track for another genome?", path, line)
    for seqid, (start, values) in read.items():   # an end past a sequence was refused by read_track, at its line
        if seqid in tracks:
            covered = ~np.isnan(values)
            tracks[seqid][start:start + len(values)][covered] = values[covered]
    return tracks


def scored_parts(args, lengths: dict[str, int], model_parts=None) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """(seqid -> [start, end) to score, notes for the user).

    --from/--to when given (a fraction of every sequence, as score_track.py); else, with a model that
    records its split, the held-out part of each sequence it was trained on and the whole of the others.
    """
    from genoview.core.evaluation_scope import describe_part
    from genoview.core.genome import split_bounds

    if args.frac_from is not None or args.frac_to is not None or model_parts is None:
        frac_from = 0.0 if args.frac_from is None else args.frac_from
        frac_to = 1.0 if args.frac_to is None else args.frac_to
        return {seqid: split_bounds(length, frac_from, frac_to) for seqid, length in lengths.items()}, []
    parts, notes = {}, []
    for seqid, length in lengths.items():
        held = model_parts.held_out(seqid, length)
        parts[seqid] = (held.start, held.end) if held is not None else (0, length)
        if held is not None:
            notes.append(f"scoring the held-out part of {model_parts.model} on {seqid} "
                         f"({describe_part(held.start, held.end, length)}, bases {held.start + 1:,}-{held.end:,}); "
                         "--from 0 --to 1 scores the whole sequence")
    return parts, notes


def tracks_from_model(args, model, lengths: dict[str, int], parts: dict[str, tuple[int, int]],
                      beat=None) -> dict[str, np.ndarray]:
    """Predict the scored part of each sequence with the loaded model; full-length tracks, NaN elsewhere.
    ``beat`` (a callback wrapper, e.g. a recorded run's ``beating``) wraps the progress bar."""
    from genoview.cli.predict import predict_regions
    from genoview.core.genome import open_genome
    from genoview.core.jobs import TextProgressBar

    regions = [(seqid, start, end) for seqid, (start, end) in parts.items() if end > start]
    with open_genome(args.fasta) as genome:
        predicted = predict_regions(model, genome, regions, device=args.device, batch_size=args.batch_size,
                                    use_cache=not args.no_cache,
                                    progress=(beat or (lambda bar: bar))(TextProgressBar(f"predict {model.name}")))
    tracks = {seqid: np.full(length, np.nan, dtype=np.float32) for seqid, length in lengths.items()}
    for seqid, start, end in regions:
        tracks[seqid][start:end] = predicted[seqid]
    return tracks


def decoding_genetic_code(model, fasta: str, parts: dict, detected: int | None = None) -> tuple[int, str]:
    """(the genetic code `--genes` decodes with, how it was chosen, in words), by the gene callers' rule: a model's
    own code (config.json's genetic_code, or the statistics of the genome it was adapted to), else detected from
    the scored sequence (genecalls.detect_genetic_code, as call_genes does; ``detected``: the code the decode
    already found, so the sequence is not read again); Prodigal's row uses the same code."""
    from genoview.cli.predict import DETECTED, fixed_genetic_code, genetic_code_how

    if detected is not None and getattr(model, "genetic_code_how", None):   # Prodigal: the code its genes were read with
        return int(detected), model.genetic_code_how
    fixed = fixed_genetic_code(model) if model is not None else None
    if fixed:   # predict --gff-out's words for the same model (they read "given by the model's config.json" here)
        return int(fixed), genetic_code_how(fixed)
    stored = getattr(getattr(model, "model", None), "stored_statistics", None)
    stats = stored() if callable(stored) else None
    if stats is not None:
        adapted = getattr(model.model.config, "adapted_to", None) or "a genome"
        return int(stats.genetic_code), f"the model's own, from its adaptation to {adapted}"
    if detected is not None:
        return int(detected), DETECTED
    from genoview.core.genecalls import detect_genetic_code
    from genoview.core.genome import encode, open_genome

    with open_genome(fasta) as genome:
        sequences = {f"{seqid}:{start}": encode(genome.sequences[seqid].fetch(start, end))
                     for seqid, (start, end) in parts.items() if end > start}
    return detect_genetic_code(sequences), DETECTED


def sparse_track_note(r: dict) -> str | None:
    """A line when most scored bases have no prediction (a track of one region scored over the whole sequence,
    as a newcomer does after `predict --start/--end`): they count as not genic and the MCC means little."""
    n, uncovered = r.get("n") or 0, r.get("uncovered") or 0
    if not n or uncovered * 2 <= n:
        return None
    return (f"the track covers only {n - uncovered:,} of the {n:,} bases scored ({(n - uncovered) / n:.1%}); the rest "
            "count as not genic, so these figures describe the gaps, not the model: predict the whole sequence, or "
            "score the covered part (--seqid, --from/--to)")


def format_report(report, what: str) -> str:
    """The readable table `genoview evaluate` prints."""
    r = report.to_json()
    auc = lambda v: "n/a" if v is None else f"{v:.4f}"
    col = max(len("predicted genic"), 3 + max(len(f"{r[k]:,}") for k in ("tp", "tn", "fp", "fn")))
    cell = lambda name: f"{name.upper()} {r[name]:,}".rjust(col)
    return "\n".join([
        f"{what}: {r['n']:,} bases scored, {r['genic_fraction']:.2%} genic, {r['uncovered']:,} uncovered"
        f"{' (no prediction: scored as probability 0, as score_track.py does)' if r['uncovered'] else ''}, "
        f"threshold {r['threshold']:g}",
        "",
        f"{'':12}{'predicted genic':>{col}}  {'predicted not':>{col}}",
        f"{'genic':12}{cell('tp')}  {cell('fn')}",
        f"{'not genic':12}{cell('fp')}  {cell('tn')}",
        "",
        f"MCC        {r['mcc']:.4f}    ROC AUC  {auc(r['roc_auc'])}    PR AUC  {auc(r['pr_auc'])}",
        f"accuracy   {r['accuracy']:.4f}    F1       {r['f1']:.4f}",
        f"precision  {r['precision']:.4f}    recall   {r['recall']:.4f}",
    ])


def run(args: argparse.Namespace) -> int:
    from genoview.core.evaluation import evaluate_sequences
    from genoview.core.evaluation_scope import model_parts, training_warning
    from genoview.core.genome import check_features
    from genoview.core.io import read_annotation

    frac_from = 0.0 if args.frac_from is None else args.frac_from
    frac_to = 1.0 if args.frac_to is None else args.frac_to
    if not 0.0 <= frac_from <= frac_to <= 1.0:
        percent = " (fractions, not percentages: --from 0.7 is 70%)" if max(frac_from, frac_to) > 1 else ""
        raise GenoViewInputError(f"--from {frac_from:g} --to {frac_to:g}: need 0 <= from <= to <= 1{percent}")
    annotation_of_genome(args, "evaluate")   # before the default model is named: a refusal comes alone
    if args.model and not args.fasta:
        raise GenoViewInputError("--model needs --fasta: the genome to predict")
    if not args.model and not args.bedgraph:   # `evaluate --fasta G --gff A` was refused though --model has a default
        if not args.fasta:
            raise GenoViewInputError("give --bedgraph TRACK (a track `genoview predict` wrote) to score it, or "
                                     "--fasta GENOME to predict with the default model and score that")
        from genoview.core.models import default_model_name

        args.model = default_model_name()
        print(f"genoview evaluate: scoring the default model {args.model} (--model NAME for another, "
              f"--bedgraph TRACK for a track file)", file=sys.stderr)
    if not 0.0 <= args.threshold <= 1.0:
        raise GenoViewInputError(f"--threshold {args.threshold:g} is not a probability between 0 and 1")
    outputs = {"gene disagreements (--disagreements)": args.disagreements, "curves (--curves)": args.curves}
    if args.disagreements or args.curves:   # checked before any work: never over the genome, annotation or track
        from genoview.core.prediction import check_outputs, refuse_foreign_file

        for label, target in check_outputs(outputs, [args.fasta, args.gff, args.bedgraph]).items():
            refuse_foreign_file(target, label)
    if args.disagreements:
        args.genes = True
    types = [t.strip() for t in args.feature_types.split(",") if t.strip()]
    features, regions = read_annotation(args.gff, strict=args.strict)
    from genoview.cli import say_warning

    if features.report:
        say_warning("evaluate", features.report.warning())
    if args.feature_types == FEATURE_TYPES_DEFAULT:   # a GTF (no gene features): its CDS and RNA genes, as the window
        from genoview.core.evaluation import GENIC_TYPES, default_genic_types

        chosen = list(default_genic_types(features.types))
        if chosen != list(GENIC_TYPES):
            counts = features.count_by_type()
            print(f"genoview evaluate: note: {args.gff} has no gene features; scoring its "
                  f"{', '.join(f'{t} ({counts.get(t, 0):,})' for t in chosen)} as genic, as the window's Evaluation "
                  f"panel does (--feature-types to choose others)", file=sys.stderr)
            types = chosen
    else:   # a typo in one of several types was silently ignored
        absent = [t for t in types if t not in features.types]
        if absent and len(absent) < len(types):
            say_warning("evaluate", f"--feature-types {', '.join(absent)}: not in {args.gff} (it has: "
                                    f"{', '.join(sorted(features.types))}); scoring the others")
    genome_lengths = sequence_lengths(args, features, regions)
    where = "the genome" if args.fasta else "the annotation's ##sequence-region lines"
    check_features(genome_lengths, features, regions, args.gff, where)   # wraps origin-crossing features
    lengths = scored_lengths(args, genome_lengths)
    labels = genic_labels(features, lengths, types, args.gff)
    model, recorded = None, None
    if args.model:
        from genoview.core.models import load_model
        from genoview.core.store import open_store, writable_or_warn

        # a GENOVIEW_HOME that cannot be written: said now (once), not after the loading; the evaluation runs on
        writable_or_warn(open_store(), cache=True)
        model = load_model(args.model, device=args.device)
        recorded = model_parts(args.model)
    parts, notes = scored_parts(args, lengths, recorded)
    for seqid, (start, end) in parts.items():
        warning = training_warning(recorded, seqid, start, end, lengths[seqid])
        if warning:
            notes.append(f"warning: {warning}")
    for note in notes:
        print(f"genoview evaluate: {note}", file=sys.stderr)
    scope = ", ".join(seqid if (start, end) == (0, lengths[seqid]) else f"{seqid}:{start + 1:,}-{end:,}"
                      for seqid, (start, end) in parts.items())
    if model is not None:
        from genoview.core.jobs import recorded_run

        # recorded from its start (it was recorded only once done): `genoview runs` shows a long one running, its
        # heartbeat beaten by the prediction's progress, and one that failed or was stopped as such
        with recorded_run("evaluation", model.name, {"gff": args.gff, "fasta": args.fasta, "scope": scope,
                                                     "threshold": args.threshold, "feature_types": types}) as recorded:
            what, tracks = model.name, tracks_from_model(args, model, lengths, parts, beat=recorded.beating)
            report = evaluate_sequences(labels, tracks, threshold=args.threshold, parts=parts)
            recorded.metrics = {k: v for k, v in report.to_json().items() if v is not None}
    else:
        what, tracks = args.bedgraph, tracks_from_bedgraph(args.bedgraph, lengths, genome_lengths,
                                                           "the genome" if args.fasta else "the annotation")
        report = evaluate_sequences(labels, tracks, threshold=args.threshold, parts=parts)
    if args.curves:
        from genoview.core.evaluation import write_curves

        write_curves(args.curves, report)
        print(f"genoview evaluate: wrote the ROC and precision-recall curves to {args.curves}", file=sys.stderr)
    coverage_note = sparse_track_note(report.to_json())
    if coverage_note:
        print(f"genoview evaluate: note: {coverage_note}", file=sys.stderr)
    genes = None
    if args.genes:   # gene level (H-genes, core/gene_level.py)
        if not args.fasta:
            raise GenoViewInputError("--genes needs --fasta: gene calls are read from the sequence")
        from genoview.core.gene_level import gene_level_for_tracks

        decoded: dict = {}
        found: dict | None = {} if args.disagreements else None
        genes = gene_level_for_tracks(args.fasta, features, tracks, parts, model, f"GenoView:{what}", decoded,
                                      genes_out=found)
        code, how = decoding_genetic_code(model, args.fasta, parts, decoded.get("genetic_code"))
        if found is not None:
            from genoview.core.gene_disagreements import disagreements, write_disagreements

            column = model.name if model is not None else "track"   # the window names the column after the model
            found = {(column if name == f"GenoView:{what}" else name): found[name] for name in found}
            rows = disagreements(found)
            write_disagreements(args.disagreements, rows, list(found), features, code)
            whose = f"{column}'s" if model is not None else "the track's"   # was "where track's calls" (H-cli18)
            print(f"genoview evaluate: wrote {len(rows):,} genes where {whose} calls, Prodigal and the annotation "
                  f"disagree to {args.disagreements}", file=sys.stderr)
    if args.json:
        extra = {"gene_level": genes, "genetic_code": {"code": code, "how": how}} if genes else {}
        json.dump({**report.to_json(), **extra}, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(format_report(report, f"{what} on {scope}"))
        if genes:
            from genoview.cli.predict import genetic_code_words
            from genoview.core.gene_level import format_gene_level

            print(format_gene_level(genes))
            print(f"both rows' genes read with {genetic_code_words(code, how)}")
    return 0
