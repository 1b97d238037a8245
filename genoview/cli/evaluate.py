"""`genoview evaluate`: score a gene-probability track (a bedGraph, or a model run now) against an annotation."""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.cli.predict import add_model_arguments


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "evaluate", help="score a track against the annotation (MCC, ROC AUC, ...)",
        description="Score per-nucleotide gene probabilities against an annotation, base by base, exactly as "
                    "../shared/tools/score_track.py does: a base is genic when a feature of --feature-types covers "
                    "it (either strand); bases the track does not cover count as probability 0 ('uncovered'). "
                    "Score an existing --bedgraph, or give --model and --fasta to predict and score in one go.",
        epilog="The split --from/--to is a fraction of every sequence, [int(n*from), int(n*to)); the customary "
               "test part is --from 0.7 --to 1.0.",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--bedgraph", metavar="TRACK", help="the track to score (bedGraph)")
    p.add_argument("--gff", required=True, help="the annotation with the true genes (GFF3, GTF or GenBank)")
    p.add_argument("--fasta", help="the genome (sequence lengths; required with --model); default: the GFF's "
                                   "##sequence-region lines")
    p.add_argument("--seqid", help="score this sequence only (default: every sequence)")
    p.add_argument("--from", dest="frac_from", type=float, default=0.0, help="split start as a fraction (default 0)")
    p.add_argument("--to", dest="frac_to", type=float, default=1.0, help="split end as a fraction (default 1)")
    p.add_argument("--threshold", type=float, default=0.5, help="genic when probability >= this (default 0.5)")
    p.add_argument("--feature-types", default="gene,pseudogene",
                   help="comma-separated annotation types that count as genic (default gene,pseudogene)")
    p.add_argument("--json", action="store_true", help="print one JSON object (score_track.py's keys plus pr_auc)")
    add_model_arguments(p, model_group=source)   # exactly one source of probabilities: --bedgraph or --model
    p.set_defaults(run=run)
    return p


def sequence_lengths(args, features, regions) -> dict[str, int]:
    """Lengths of the sequences to score: from --fasta, else the annotation's ##sequence-region lines."""
    if args.fasta:
        from genoview.core.genome import open_genome

        with open_genome(args.fasta) as genome:
            lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    else:
        lengths = {seqid: end for seqid, (start, end) in regions.items()}
        if not lengths:
            raise GenoViewInputError("has no ##sequence-region lines to take sequence lengths from; pass --fasta",
                                     args.gff)
    if args.seqid:
        if args.seqid not in lengths:
            raise GenoViewInputError(f"no sequence {args.seqid!r} (there are: {', '.join(list(lengths)[:5])})",
                                     args.fasta or args.gff)
        lengths = {args.seqid: lengths[args.seqid]}
    return lengths


def genic_labels(features, lengths: dict[str, int], types: list[str], path: str) -> dict[str, np.ndarray]:
    """Per-sequence masks of bases covered by a feature of ``types`` (either strand), like Genome.label_mask."""
    labels = {}
    for seqid, length in lengths.items():
        mask = np.zeros(length, dtype=bool)
        for feature in features.on(seqid, types):
            for start, end in feature.parts:
                mask[start:end] = True
        labels[seqid] = mask
    if not any(mask.any() for mask in labels.values()):
        counts = features.count_by_type()
        have = ", ".join(f"{t} ({n:,})" for t, n in counts.items()) or "no features"
        raise GenoViewInputError(f"no {'/'.join(types)} features on the sequences scored; the annotation has: "
                                 f"{have}; choose --feature-types from those", path)
    return labels


def tracks_from_bedgraph(path: str, lengths: dict[str, int]) -> dict[str, np.ndarray]:
    """Full-length float32 tracks (NaN where the bedGraph has no value) of the sequences scored."""
    from genoview.core.inference import read_bedgraph

    tracks = {seqid: np.full(length, np.nan, dtype=np.float32) for seqid, length in lengths.items()}
    for seqid, (start, values) in read_bedgraph(path).items():
        if seqid in tracks:
            if start + len(values) > len(tracks[seqid]):
                raise GenoViewInputError(f"values for {seqid} reach base {start + len(values):,}, past its end "
                                         f"({len(tracks[seqid]):,}); is this track for another genome?", path)
            covered = ~np.isnan(values)
            tracks[seqid][start:start + len(values)][covered] = values[covered]
    return tracks


def tracks_from_model(args, lengths: dict[str, int]) -> tuple[str, dict[str, np.ndarray]]:
    """Predict the split of each sequence with --model; full-length tracks, NaN outside the split."""
    from genoview.cli.predict import predict_regions
    from genoview.core.evaluation import split_slice
    from genoview.core.genome import open_genome
    from genoview.core.jobs import TextProgressBar
    from genoview.core.models import load_model

    if not args.fasta:
        raise GenoViewInputError("--model needs --fasta: the genome to predict")
    model = load_model(args.model, device=args.device)
    regions = []
    for seqid, length in lengths.items():
        part = split_slice(length, args.frac_from, args.frac_to)
        if part.stop > part.start:
            regions.append((seqid, part.start, part.stop))
    with open_genome(args.fasta) as genome:
        predicted = predict_regions(model, genome, regions, device=args.device, batch_size=args.batch_size,
                                    use_cache=not args.no_cache, progress=TextProgressBar(f"predict {model.name}"))
    tracks = {seqid: np.full(length, np.nan, dtype=np.float32) for seqid, length in lengths.items()}
    for seqid, start, end in regions:
        tracks[seqid][start:end] = predicted[seqid]
    return model.name, tracks


def format_report(report, what: str) -> str:
    """The readable table `genoview evaluate` prints."""
    r = report.to_json()
    auc = lambda v: "n/a" if v is None else f"{v:.4f}"
    col = max(len("predicted genic"), 3 + max(len(f"{r[k]:,}") for k in ("tp", "tn", "fp", "fn")))
    cell = lambda name: f"{name.upper()} {r[name]:,}".rjust(col)
    return "\n".join([
        f"{what}: {r['n']:,} bases scored, {r['genic_fraction']:.2%} genic, {r['uncovered']:,} uncovered, "
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
    from genoview.core.io import read_annotation
    from genoview.core.store import open_store

    if not 0.0 <= args.frac_from <= args.frac_to <= 1.0:
        raise GenoViewInputError(f"--from {args.frac_from} --to {args.frac_to}: need 0 <= from <= to <= 1")
    types = [t.strip() for t in args.feature_types.split(",") if t.strip()]
    features, regions = read_annotation(args.gff)
    lengths = sequence_lengths(args, features, regions)
    labels = genic_labels(features, lengths, types, args.gff)
    if args.model:
        what, tracks = tracks_from_model(args, lengths)
    else:
        what, tracks = args.bedgraph, tracks_from_bedgraph(args.bedgraph, lengths)
    report = evaluate_sequences(labels, tracks, args.frac_from, args.frac_to, args.threshold)
    scope = ", ".join(seqid for seqid in lengths)
    if (args.frac_from, args.frac_to) != (0.0, 1.0):
        scope += f" [{args.frac_from:g}, {args.frac_to:g})"
    if args.model:
        store = open_store()
        run_id = store.start_run("evaluation", what, {"gff": args.gff, "fasta": args.fasta, "scope": scope,
                                                      "threshold": args.threshold, "feature_types": types})
        store.finish_run(run_id, "finished", {k: v for k, v in report.to_json().items() if v is not None})
    if args.json:
        json.dump(report.to_json(), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(format_report(report, f"{what} on {scope}"))
    return 0
